package qr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sync"

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

// encoder reuses its compressor between images: a fresh one allocates over
// a megabyte. The pool changes nothing in what is drawn.
var encoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &encoderBuffers{}}

type encoderBuffers struct{ pool sync.Pool }

func (p *encoderBuffers) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *encoderBuffers) Put(b *png.EncoderBuffer) { p.pool.Put(b) }

// MinSize is the smallest PNG side that gives every module MinModulePixels.
func (c *Code) MinSize() int { return MinModulePixels * c.Modules() }

// PNG draws the code as a size × size PNG, quiet zone included. Modules are
// whole pixels (edges stay sharp); what size leaves over widens the quiet
// zone. Without a logo the image has two colours and encodes at 1 bit per
// pixel.
func (c *Code) PNG(size int) ([]byte, error) {
	if size < c.MinSize() || size > MaxSize {
		return nil, fmt.Errorf("qr: size %d outside %d..%d", size, c.MinSize(), MaxSize)
	}
	k := size / c.Modules()
	origin := (size - k*c.n) / 2
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{light, dark})
	for _, r := range c.runs() {
		x0, y0 := origin+r.x*k, origin+r.y*k
		for y := y0; y < y0+k; y++ {
			row := img.Pix[y*img.Stride+x0 : y*img.Stride+x0+r.length*k]
			for i := range row {
				row[i] = 1
			}
		}
	}
	var out image.Image = img
	if c.logo {
		rgba, err := c.drawLogo(img, origin, k)
		if err != nil {
			return nil, err
		}
		out = rgba
	}
	var buf bytes.Buffer
	if err := encoder.Encode(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// drawLogo puts the mark on the plate, which the modules already leave
// white.
func (c *Code) drawLogo(img *image.Paletted, origin, k int) (*image.RGBA, error) {
	m, err := loadMark()
	if err != nil {
		return nil, err
	}
	dc := gg.NewContext(img.Rect.Dx(), img.Rect.Dy())
	draw.Draw(dc.Image().(*image.RGBA), img.Rect, img, image.Point{}, draw.Src)
	at, side := c.plateRect()
	inner := float64((side - 2*markMargin) * k)
	dc.SetColor(brand)
	m.Draw(dc, float64(origin+(at+markMargin)*k), float64(origin+(at+markMargin)*k), inner)
	return dc.Image().(*image.RGBA), nil
}
