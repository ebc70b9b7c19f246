package qr

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"

	"github.com/fogleman/gg"
)

// MinModulePixels is the smallest module a PNG may have: a printed or
// photographed module under 2 px blurs into its neighbours.
const MinModulePixels = 2

// MaxSize bounds a PNG's side in pixels.
const MaxSize = 4096

var (
	light = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	dark  = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	brand = color.NRGBA{0x00, 0x3d, 0xa5, 0xff} // the mark on its plate
)

// MinSize is the smallest PNG side that gives every module MinModulePixels.
func (c *Code) MinSize() int { return MinModulePixels * c.Modules() }

// PNG draws the code as a size × size PNG, quiet zone included. Modules are
// whole pixels (edges stay sharp); what size leaves over widens the quiet
// zone. Without a logo the image is 1-bit greyscale; with it, RGB, since
// the mark's anti-aliased edge needs more colours than a palette holds.
// The rows are written straight from the modules: no image is converted
// pixel by pixel.
func (c *Code) PNG(size int) ([]byte, error) {
	if size < c.MinSize() || size > MaxSize {
		return nil, fmt.Errorf("qr: size %d outside %d..%d", size, c.MinSize(), MaxSize)
	}
	l := c.layout(size)
	if !c.logo {
		return encodePNG(size, grey1, func(w io.Writer) error { return c.writeRows(w, l, grey1, nil) })
	}
	m, err := c.drawMark(l)
	if err != nil {
		return nil, err
	}
	return encodePNG(size, rgb8, func(w io.Writer) error { return c.writeRows(w, l, rgb8, m) })
}

// layout is where a PNG puts the symbol: k pixels per module, and the
// symbol's first pixel on each axis.
type layout struct{ size, k, origin int }

func (c *Code) layout(size int) layout {
	k := size / c.Modules()
	return layout{size: size, k: k, origin: (size - k*c.n) / 2}
}

// moduleRow is the module row that pixel row y shows, or -1 in the quiet
// zone.
func (c *Code) moduleRow(l layout, y int) int {
	if y < l.origin || y >= l.origin+c.n*l.k {
		return -1
	}
	return (y - l.origin) / l.k
}

// The PNG row filters used: None sends a row as it is; Up sends each byte
// minus the one above it.
const (
	filterNone = 0
	filterUp   = 2
)

// writeRows writes the image's rows top to bottom. A module is k identical
// rows: the first is sent as it is (filter None) and the others as Up, all
// zeros, which deflate packs tightest; rows through the mark are sent as
// Up too. Of the five filters this mix measured smallest (4096 px: 12 KB
// without the logo, 114 KB with it; None throughout, 28 and 308 KB) and
// computes nothing per pixel outside the mark.
func (c *Code) writeRows(w io.Writer, l layout, f pngFormat, m *markTile) error {
	byRow := c.runsByRow()
	width := 1 + f.rowBytes(l.size)
	last, next, up := make([]byte, width), make([]byte, width), make([]byte, width)
	repeat := make([]byte, width)
	last[0], next[0], repeat[0], up[0] = filterNone, filterNone, filterUp, filterUp
	built := -2 // the module row last holds; -1 is the quiet zone
	for y := range l.size {
		my := c.moduleRow(l, y)
		var err error
		switch {
		case m != nil && y >= m.at.Min.Y && y < m.at.Max.Y:
			paintModules(next[1:], l, f.bitsPerPixel(), byRow.of(my))
			m.overlay(next[1:], y)
			subtractRow(up[1:], next[1:], last[1:])
			last, next = next, last
			built = -2 // so the next row is painted afresh, never sent as a repeat
			_, err = w.Write(up)
		case my == built:
			_, err = w.Write(repeat)
		default:
			paintModules(last[1:], l, f.bitsPerPixel(), byRow.of(my))
			built = my
			_, err = w.Write(last)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// rowRuns holds the dark runs of each module row.
type rowRuns [][]run

func (c *Code) runsByRow() rowRuns {
	all := c.runs() // in row order: each row's runs are one stretch of it
	byRow := make(rowRuns, c.n)
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].y == all[i].y {
			j++
		}
		byRow[all[i].y] = all[i:j]
		i = j
	}
	return byRow
}

// of gives module row my's runs; the quiet zone (-1) has none.
func (rr rowRuns) of(my int) []run {
	if my < 0 {
		return nil
	}
	return rr[my]
}

// paintModules fills a row white, then clears the bits of its dark runs.
// White is all ones and black all zeros at every depth used here, so only
// the pixel's width in bits (bpp) differs between formats.
func paintModules(row []byte, l layout, bpp int, runs []run) {
	for i := range row {
		row[i] = 0xff
	}
	for _, r := range runs {
		x0 := l.origin + r.x*l.k
		clearBits(row, x0*bpp, (x0+r.length*l.k)*bpp)
	}
}

// subtractRow sets dst to row minus above, byte by byte: the Up filter.
func subtractRow(dst, row, above []byte) {
	for i := range dst {
		dst[i] = row[i] - above[i]
	}
}

// clearBits zeroes bits [from, to) of b, counted from the high bit of
// b[0], the way PNG packs a row's leftmost pixels. Whole bytes are
// cleared at once.
func clearBits(b []byte, from, to int) {
	for ; from < to && from%8 != 0; from++ {
		b[from/8] &^= 0x80 >> (from % 8)
	}
	if whole := (to - from) / 8; whole > 0 {
		clear(b[from/8 : from/8+whole])
		from += 8 * whole
	}
	for ; from < to; from++ {
		b[from/8] &^= 0x80 >> (from % 8)
	}
}

// markTile is the mark drawn on its plate: canvas holds its pixels in the
// square at, in image coordinates.
type markTile struct {
	canvas *image.RGBA
	at     image.Rectangle
}

// drawMark draws the mark with gg at its place in the image, so its
// anti-aliased edge is what gg draws on a whole-image canvas, pixel for
// pixel. gg rasterises from its canvas's (0, 0); moving the mark to a small
// canvas's corner would change its floating-point coordinates and round
// some edges differently. So the canvas reaches from the image's corner to
// the mark's far corner (4096 px: 24 MB, the whole image 64 MB), and only
// the mark's square is painted and read.
func (c *Code) drawMark(l layout) (*markTile, error) {
	m, err := loadMark()
	if err != nil {
		return nil, err
	}
	at, side := c.plateRect()
	x := l.origin + (at+markMargin)*l.k
	inner := (side - 2*markMargin) * l.k
	t := &markTile{at: image.Rect(x, x, x+inner, x+inner)}
	dc := gg.NewContext(t.at.Max.X, t.at.Max.Y)
	t.canvas = dc.Image().(*image.RGBA)
	// The mark blends onto the plate, which is white.
	draw.Draw(t.canvas, t.at, image.NewUniform(light), image.Point{}, draw.Src)
	dc.SetColor(brand)
	m.Draw(dc, float64(x), float64(x), float64(inner))
	return t, nil
}

// overlay copies the mark's pixels on row y into an RGB row.
func (t *markTile) overlay(row []byte, y int) {
	src := t.canvas.Pix[t.canvas.PixOffset(t.at.Min.X, y):t.canvas.PixOffset(t.at.Max.X, y)]
	dst := row[3*t.at.Min.X:]
	for i := 0; i < len(src)/4; i++ {
		copy(dst[3*i:3*i+3], src[4*i:4*i+3])
	}
}
