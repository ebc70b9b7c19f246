package badge

import (
	"math"
	"strconv"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// perPixel is the outlines' precision: coordinates are rounded to
// 1/perPixel of a CSS pixel: a tenth keeps every badge under 6 KB (2.5 KB
// gzipped, TestSVGSizes) and keeps librsvg under 1 % from the PNG
// (TestPNGMatchesSVGRasterisedByLibrsvg).
const perPixel = 10

// outlineKey names one glyph's outline: a face at one size, a rune.
type outlineKey struct {
	face *typeface
	size float64
	r    rune
}

// outlineCache keeps each glyph's definition, its whole <path/> element
// ready to copy into <defs>. A badge uses a few dozen glyphs of two faces
// at three sizes, so the cache stays small and a cold SVG costs what
// copying its markup does.
type outlineCache struct {
	m sync.Map // outlineKey → *glyphDef
}

// glyphDef is one glyph as an SVG defines it: its id (glyphID) and its
// <path id="…" d="…"/> element, empty for a glyph without ink (a space),
// which is neither defined nor placed.
type glyphDef struct {
	id   string
	path string
}

// get returns the definition of r's glyph at size px, its origin on the
// baseline at the start of its advance.
func (c *outlineCache) get(t *typeface, size float64, r rune) *glyphDef {
	k := outlineKey{t, size, r}
	if g, ok := c.m.Load(k); ok {
		return g.(*glyphDef)
	}
	g := &glyphDef{id: glyphID(t, r)}
	if d := t.outline(size, r); d != "" {
		g.path = `<path id="` + g.id + `" d="` + d + `"/>`
	}
	actual, _ := c.m.LoadOrStore(k, g)
	return actual.(*glyphDef)
}

// outline draws r's glyph as path data in CSS pixels, y down, from the
// same glyph the PNG rasterises and the same font units its advances come
// from. Coordinates are rounded to hundredths of a pixel and written
// relative, each from the rounded point before, so rounding never
// accumulates; fills close each contour, so no z is written.
func (t *typeface) outline(size float64, r rune) string {
	var buf sfnt.Buffer
	g, err := t.f.GlyphIndex(&buf, r)
	if err != nil || g == 0 {
		g, _ = t.f.GlyphIndex(&buf, '?')
	}
	// Loaded at one pixel per font unit: exact, then scaled here. sfnt's
	// segments already have y pointing down, as SVG's does.
	segs, err := t.f.LoadGlyph(&buf, g, fixed.I(int(t.upem)), nil)
	if err != nil {
		return ""
	}
	scale := size / t.upem / 64
	units := func(v fixed.Int26_6) int { return int(math.Round(float64(v) * scale * perPixel)) }
	var p pathWriter
	for _, s := range segs {
		var pts []int
		n := 1
		switch s.Op {
		case sfnt.SegmentOpQuadTo:
			n = 2
		case sfnt.SegmentOpCubeTo:
			n = 3
		}
		for _, a := range s.Args[:n] {
			pts = append(pts, units(a.X), units(a.Y))
		}
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			p.move(pts[0], pts[1])
		case sfnt.SegmentOpLineTo:
			p.line(pts[0], pts[1])
		case sfnt.SegmentOpQuadTo:
			p.quad(pts)
		case sfnt.SegmentOpCubeTo:
			p.curve('c', pts)
		}
	}
	return string(p.b)
}

// pathWriter writes compact relative path data from absolute points in
// hundredths of a pixel: no repeated command letter, no separator where a
// sign or a second decimal point already separates, no leading zero.
type pathWriter struct {
	b        []byte
	x, y     int  // the current point
	cmd      byte // the last command letter written
	afterNum bool // the last thing written is a number
	lastFrac bool // and it has a decimal point
	cx, cy   int  // the last quadratic control point
	smooth   bool // the last segment is a quadratic curve
}

func (p *pathWriter) move(x, y int) {
	p.command('m')
	p.num(x - p.x)
	p.num(y - p.y)
	p.x, p.y = x, y
	p.cmd = 0 // a coordinate pair after m is an implicit l: never rely on it
}

func (p *pathWriter) line(x, y int) {
	switch dx, dy := x-p.x, y-p.y; {
	case dx == 0 && dy == 0:
		return
	case dy == 0:
		p.command('h')
		p.num(dx)
	case dx == 0:
		p.command('v')
		p.num(dy)
	default:
		p.command('l')
		p.num(dx)
		p.num(dy)
	}
	p.x, p.y = x, y
}

// quad writes a quadratic curve, as t when its control point is the
// reflection of the previous curve's (give or take one unit of rounding):
// TrueType's implied on-curve points make that the common case.
func (p *pathWriter) quad(pts []int) {
	rx, ry := 2*p.x-p.cx, 2*p.y-p.cy
	if p.smooth && abs(pts[0]-rx) <= 1 && abs(pts[1]-ry) <= 1 {
		p.command('t')
		p.num(pts[2] - p.x)
		p.num(pts[3] - p.y)
		p.cx, p.cy = rx, ry
	} else {
		p.curve('q', pts)
		p.cx, p.cy = pts[0], pts[1]
	}
	p.x, p.y = pts[2], pts[3]
	p.smooth = true
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// curve writes a q or c whose points (control points, then end) are
// relative to the current point, as SVG's relative curves are.
func (p *pathWriter) curve(cmd byte, pts []int) {
	p.command(cmd)
	for i := 0; i < len(pts); i += 2 {
		p.num(pts[i] - p.x)
		p.num(pts[i+1] - p.y)
	}
	p.x, p.y = pts[len(pts)-2], pts[len(pts)-1]
}

func (p *pathWriter) command(c byte) {
	p.smooth = false
	if c != p.cmd {
		p.b = append(p.b, c)
		p.cmd = c
		p.afterNum = false
	}
}

// num writes v in units of 1/perPixel px: "-1.5", ".25", "3".
func (p *pathWriter) num(v int) {
	var s []byte
	if v < 0 {
		s = append(s, '-')
		v = -v
	}
	if whole := v / perPixel; whole != 0 || v == 0 {
		s = strconv.AppendInt(s, int64(whole), 10)
	}
	frac := v%perPixel != 0
	if frac {
		f := strconv.AppendInt(nil, int64(perPixel+v%perPixel), 10)[1:] // zero-padded
		for f[len(f)-1] == '0' {
			f = f[:len(f)-1]
		}
		s = append(append(s, '.'), f...)
	}
	if p.afterNum && s[0] != '-' && !(s[0] == '.' && p.lastFrac) {
		p.b = append(p.b, ' ')
	}
	p.b = append(p.b, s...)
	p.afterNum, p.lastFrac = true, frac
}
