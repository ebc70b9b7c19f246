// Package mark is the technopolys mark, drawn once in assets/logo.svg and
// read from there by everything that shows it: badges, QR codes, posters.
package mark

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/fogleman/gg"

	"github.com/technopolys/technopolys/assets"
)

// ViewBox is the side of the mark's square viewBox in assets/logo.svg.
const ViewBox = 24

// pathOp is one command of the mark's path: 'M', 'L', 'C' or 'Z' with its
// absolute points.
type pathOp struct {
	cmd byte
	pts []float64
}

// Mark is the technopolys mark: its path data as an SVG carries it (D, in
// a ViewBox-sided square), and parsed for gg.
type Mark struct {
	D   string
	ops []pathOp
}

// Load reads the mark's path from assets/logo.svg, so the drawing lives in
// one file that any SVG viewer opens.
func Load() (*Mark, error) {
	data, err := assets.FS.ReadFile("logo.svg")
	if err != nil {
		return nil, err
	}
	var doc struct {
		Path struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("logo.svg: %w", err)
	}
	ops, err := parsePath(doc.Path.D)
	if err != nil {
		return nil, fmt.Errorf("logo.svg: %w", err)
	}
	return &Mark{D: doc.Path.D, ops: ops}, nil
}

// parsePath reads path data made of absolute M, L, C and Z commands, the
// only ones the mark uses; anything else is an error rather than a shape
// drawn differently in the two formats.
func parsePath(d string) ([]pathOp, error) {
	arity := map[byte]int{'M': 2, 'L': 2, 'C': 6, 'Z': 0}
	fields := strings.FieldsFunc(strings.NewReplacer("M", " M ", "L", " L ", "C", " C ", "Z", " Z ", ",", " ").Replace(d),
		func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' })
	var ops []pathOp
	for i := 0; i < len(fields); {
		f := fields[i]
		n, ok := arity[f[0]]
		if len(f) != 1 || !ok {
			return nil, fmt.Errorf("path: unsupported %q", f)
		}
		if i+1+n > len(fields) {
			return nil, fmt.Errorf("path: %s needs %d numbers", f, n)
		}
		op := pathOp{cmd: f[0]}
		for _, v := range fields[i+1 : i+1+n] {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("path: %w", err)
			}
			op.pts = append(op.pts, x)
		}
		ops = append(ops, op)
		i += 1 + n
	}
	if len(ops) == 0 || ops[0].cmd != 'M' {
		return nil, fmt.Errorf("path: must start with M")
	}
	return ops, nil
}

// Draw fills the mark on dc, in dc's current colour, with its top-left
// corner at (x, y) and side size.
func (m *Mark) Draw(dc *gg.Context, x, y, size float64) {
	k := size / ViewBox
	at := func(px, py float64) (float64, float64) { return x + px*k, y + py*k }
	for _, op := range m.ops {
		p := op.pts
		switch op.cmd {
		case 'M':
			dc.MoveTo(at(p[0], p[1]))
		case 'L':
			dc.LineTo(at(p[0], p[1]))
		case 'C':
			x1, y1 := at(p[0], p[1])
			x2, y2 := at(p[2], p[3])
			x3, y3 := at(p[4], p[5])
			dc.CubicTo(x1, y1, x2, y2, x3, y3)
		case 'Z':
			dc.ClosePath()
		}
	}
	dc.Fill()
}
