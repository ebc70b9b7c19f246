package badge

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/fogleman/gg"
)

// PNG draws the badge as a PNG at the options' scale, baked with its Open
// Badges assertion when it has one.
func (r *Renderer) PNG(b Badge, o Options) ([]byte, error) {
	l := r.layout(b, o)
	pal := paletteFor(o.Theme, b.Kind)
	s := float64(o.Scale)
	dc := gg.NewContext(l.w*o.Scale, l.h*o.Scale)
	r.drawShapes(dc, l, pal, s)
	dst := dc.Image().(*image.RGBA)
	r.drawRun(dst, l.label, pal.LabelFg, l.spec.size*s, s)
	r.drawRun(dst, l.message, pal.MessageFg, l.spec.size*s, s)

	buf := r.buffers.Get().(*bytes.Buffer)
	defer r.buffers.Put(buf)
	buf.Reset()
	if err := r.encoder.Encode(buf, dst); err != nil {
		return nil, err
	}
	if b.Assertion.ID == "" {
		return bytes.Clone(buf.Bytes()), nil
	}
	return bake(buf.Bytes(), b.Assertion.JSON), nil
}

// drawShapes fills the two segments, the style's light-and-shade overlay and
// the mark, in device pixels. The segments are rectangles with whole-pixel
// edges, so they are filled directly and only their rounded corners are
// anti-aliased; gg's rasteriser is kept for the mark's curves, where it
// earns its cost.
func (r *Renderer) drawShapes(dc *gg.Context, l *layout, pal palette, s float64) {
	dst := dc.Image().(*image.RGBA)
	w, h, split := dst.Rect.Dx(), dst.Rect.Dy(), int(float64(l.split)*s)
	draw.Draw(dst, image.Rect(0, 0, split, h), image.NewUniform(pal.LabelBg), image.Point{}, draw.Src)
	draw.Draw(dst, image.Rect(split, 0, w, h), image.NewUniform(pal.MessageBg), image.Point{}, draw.Src)
	applyOverlay(dst, l.spec.overlay)
	if l.progress >= 0 {
		bar := image.Rect(0, h-int(barHeight*s), w, h)
		draw.Draw(dst, bar, image.NewUniform(color.NRGBA{A: 0x59}), image.Point{}, draw.Over)
		draw.Draw(dst, image.Rect(0, bar.Min.Y, int(l.bar*s+0.5), h), image.NewUniform(progressBar), image.Point{}, draw.Src)
	}
	roundCorners(dst, l.spec.radius*s)
	dc.SetColor(pal.Mark)
	r.mark.Draw(dc, l.markX*s, l.markY*s, l.spec.mark*s)
}

// roundCorners cuts the image's four corners to a radius, as the SVG's
// clip path does: each pixel in a corner keeps the share of it (sampled
// 4 × 4) that lies inside the rounded rectangle.
func roundCorners(dst *image.RGBA, radius float64) {
	if radius <= 0 {
		return
	}
	w, h, n := dst.Rect.Dx(), dst.Rect.Dy(), int(math.Ceil(radius))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			cover := 0
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					dx := radius - (float64(x) + (float64(sx)+0.5)/4)
					dy := radius - (float64(y) + (float64(sy)+0.5)/4)
					if dx <= 0 || dy <= 0 || dx*dx+dy*dy <= radius*radius {
						cover++
					}
				}
			}
			if cover == 16 {
				continue
			}
			for _, p := range [4]image.Point{{x, y}, {w - 1 - x, y}, {x, h - 1 - y}, {w - 1 - x, h - 1 - y}} {
				i := dst.PixOffset(p.X, p.Y)
				for c := i; c < i+4; c++ {
					dst.Pix[c] = uint8((int(dst.Pix[c])*cover + 8) / 16)
				}
			}
		}
	}
}

// applyOverlay lays the style's light-and-shade overlay over the two segments, as
// the SVG's gradient does: evaluated at each pixel row's centre, colour and
// opacity interpolated apart (SVG's default), and covering each pixel as
// much as the segments do, so it follows their anti-aliased corners. gg's
// gradient fill allocates a colour per pixel; this is a fifth of the time.
func applyOverlay(dst *image.RGBA, overlay []stop) {
	if len(overlay) == 0 {
		return
	}
	h := dst.Rect.Dy()
	for y := 0; y < h; y++ {
		r, g, b, a := overlayAt(overlay, (float64(y)+0.5)/float64(h))
		row := dst.Pix[y*dst.Stride : y*dst.Stride+dst.Rect.Dx()*4]
		for i := 0; i < len(row); i += 4 {
			cov := float64(row[i+3]) / 255
			k := 1 - a*cov
			row[i] = uint8(r*a*cov*255 + float64(row[i])*k + 0.5)
			row[i+1] = uint8(g*a*cov*255 + float64(row[i+1])*k + 0.5)
			row[i+2] = uint8(b*a*cov*255 + float64(row[i+2])*k + 0.5)
			row[i+3] = uint8(a*cov*255 + float64(row[i+3])*k + 0.5)
		}
	}
}

// overlayAt is the overlay's colour (0 to 1, not premultiplied) and opacity
// at height t (0 top, 1 bottom).
func overlayAt(stops []stop, t float64) (r, g, b, a float64) {
	val := func(s stop) (float64, float64) {
		if s.white {
			return 1, s.opacity
		}
		return 0, s.opacity
	}
	c, a := val(stops[0])
	for i := 1; i < len(stops); i++ {
		if t <= stops[i-1].offset {
			break
		}
		c0, a0 := val(stops[i-1])
		c1, a1 := val(stops[i])
		f := min(1, (t-stops[i-1].offset)/(stops[i].offset-stops[i-1].offset))
		c, a = c0+f*(c1-c0), a0+f*(a1-a0)
	}
	return c, c, c, a
}

// drawRun draws a line of text glyph by glyph at the layout's positions,
// where the SVG places its glyph outlines.
func (r *Renderer) drawRun(dst *image.RGBA, t run, c color.NRGBA, size, s float64) {
	src := image.NewUniform(c)
	for ch, x := range t.glyphs() {
		g, at := r.glyphs.get(t.face, size, ch, x*s, t.y*s)
		draw.DrawMask(dst, g.dr.Add(at), src, image.Point{}, g.mask, image.Point{}, draw.Over)
	}
}

// bake adds the Open Badges baking chunk to an encoded PNG: one uncompressed
// iTXt chunk with keyword "openbadges" whose text is the assertion's JSON,
// placed just before IEND (Open Badges 2.0, "Baking Specification").
func bake(p []byte, assertion string) []byte {
	const iend = 12 // length, "IEND", CRC
	var data bytes.Buffer
	data.WriteString("openbadges")
	data.Write([]byte{0, 0, 0}) // keyword end, not compressed, method 0
	data.Write([]byte{0, 0})    // empty language tag, empty translated keyword
	data.WriteString(assertion)

	out := make([]byte, 0, len(p)+data.Len()+12)
	out = append(out, p[:len(p)-iend]...)
	out = binary.BigEndian.AppendUint32(out, uint32(data.Len()))
	start := len(out)
	out = append(out, "iTXt"...)
	out = append(out, data.Bytes()...)
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	return append(out, p[len(p)-iend:]...)
}
