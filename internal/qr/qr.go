// Package qr draws QR codes of the campaign's short links as PNG, SVG and a
// printable PDF poster. go-qrcode gives the module matrix; everything drawn
// here comes from that matrix, so every format shows the same symbol. It
// knows nothing of HTTP or the store.
package qr

import (
	"fmt"
	"math"
	"sync"

	"github.com/skip2/go-qrcode"

	"github.com/technopolys/technopolys/internal/mark"
)

// QuietZone is the blank margin, in modules, that scanners need around the
// symbol (ISO/IEC 18004 asks for 4).
const QuietZone = 4

// Level is an error-correction level: L, M, Q or H.
type Level string

// The error-correction levels, from 7 % to 30 % of the symbol recoverable.
const (
	L Level = "L"
	M Level = "M"
	Q Level = "Q"
	H Level = "H"
)

// Levels lists the levels, default (M) first.
func Levels() []Level { return []Level{M, L, Q, H} }

var recovery = map[Level]qrcode.RecoveryLevel{L: qrcode.Low, M: qrcode.Medium, Q: qrcode.High, H: qrcode.Highest}

// PlateShare is the share of the symbol's area the logo's white plate
// covers. Measured here with an independent decoder on level H: 12 % still
// decodes at 256 and 1024 px, 16 % fails at 1024 px and 20 % at 256 px; 9 %
// leaves a margin.
const PlateShare = 0.09

// Code is one QR symbol: its dark modules, without the quiet zone.
type Code struct {
	Content string
	Level   Level
	n       int // modules per side
	dark    [][]bool
	logo    bool
	plate   [2]int // first and last module covered by the plate, each axis
}

// New encodes content at a level. With logo, the level is H and a white
// plate at the centre (PlateShare of the area, on whole modules) carries
// the technopolys mark.
func New(content string, level Level, logo bool) (*Code, error) {
	if logo {
		level = H
	}
	rl, ok := recovery[level]
	if !ok {
		return nil, fmt.Errorf("qr: unknown level %q", level)
	}
	q, err := qrcode.New(content, rl)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	q.DisableBorder = true
	c := &Code{Content: content, Level: level, dark: q.Bitmap(), logo: logo}
	c.n = len(c.dark)
	if logo {
		side := int(math.Round(math.Sqrt(PlateShare) * float64(c.n)))
		if side%2 != c.n%2 { // same parity as the symbol, so it centres on the grid
			side--
		}
		first := (c.n - side) / 2
		c.plate = [2]int{first, first + side - 1}
	}
	return c, nil
}

// Modules is the side of the symbol in modules, quiet zone included.
func (c *Code) Modules() int { return c.n + 2*QuietZone }

// Dark reports whether the module at (x, y) of the symbol (quiet zone
// excluded) is drawn dark. Modules under the logo's plate are light.
func (c *Code) Dark(x, y int) bool {
	if c.onPlate(x, y) {
		return false
	}
	return c.dark[y][x]
}

func (c *Code) onPlate(x, y int) bool {
	return c.logo && x >= c.plate[0] && x <= c.plate[1] && y >= c.plate[0] && y <= c.plate[1]
}

// run is a horizontal stretch of dark modules in one row.
type run struct{ x, y, length int }

// runs lists the dark modules row by row, merged into runs: the SVG path
// and the PDF draw one rectangle per run.
func (c *Code) runs() []run {
	var out []run
	for y := 0; y < c.n; y++ {
		for x := 0; x < c.n; {
			if !c.Dark(x, y) {
				x++
				continue
			}
			start := x
			for x < c.n && c.Dark(x, y) {
				x++
			}
			out = append(out, run{start, y, x - start})
		}
	}
	return out
}

// plateRect is the plate in modules (quiet zone excluded): origin and side.
func (c *Code) plateRect() (at, side int) { return c.plate[0], c.plate[1] - c.plate[0] + 1 }

// markMargin is the blank border, in modules, between the plate's edge and
// the mark.
const markMargin = 1

// loadMark reads the mark once for every drawing; it never changes.
var loadMark = sync.OnceValues(mark.Load)
