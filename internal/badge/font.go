package badge

import (
	"fmt"
	"image"
	"image/draw"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/technopolys/technopolys/assets"
)

// typeface is one embedded font. Its metrics place every glyph, in the
// SVG's outlines and the PNG's rasterised glyphs alike.
type typeface struct {
	f      *sfnt.Font
	upem   float64
	weight string // "normal" or "bold"
}

func loadTypeface(file, weight string) (*typeface, error) {
	data, err := assets.FS.ReadFile("fonts/" + file)
	if err != nil {
		return nil, err
	}
	f, err := opentype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", file, err)
	}
	return &typeface{f: f, upem: float64(f.UnitsPerEm()), weight: weight}, nil
}

// advances returns the advance of each rune of s at size px, kerning
// included, plus spacing between letters.
func (t *typeface) advances(s string, size, spacing float64) []float64 {
	var buf sfnt.Buffer
	ppem := fixed.I(int(t.upem)) // measure in font units, exactly
	out := make([]float64, 0, len(s))
	var prev sfnt.GlyphIndex
	for i, r := range []rune(s) {
		g, err := t.f.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			g, _ = t.f.GlyphIndex(&buf, '?')
		}
		adv, _ := t.f.GlyphAdvance(&buf, g, ppem, font.HintingNone)
		w := float64(adv) / 64
		if i > 0 {
			if k, err := t.f.Kern(&buf, prev, g, ppem, font.HintingNone); err == nil {
				out[i-1] += float64(k) / 64 * size / t.upem
			}
			out[i-1] += spacing
		}
		out = append(out, w*size/t.upem)
		prev = g
	}
	return out
}

func sum(xs []float64) (s float64) {
	for _, x := range xs {
		s += x
	}
	return s
}

// glyphKey names one rasterised glyph: a face at one pixel size, a rune and
// the dot's sub-pixel offset, quantised to 1/subpixel of a pixel.
type glyphKey struct {
	face   *typeface
	size   float64
	r      rune
	fx, fy fixed.Int26_6
}

type glyph struct {
	dr   image.Rectangle // relative to the dot's integer position
	mask *image.Alpha
}

// glyphCache keeps rasterised glyphs. Badges draw the same few words over
// and over, so rasterising each glyph once is most of a cold PNG's speed.
type glyphCache struct {
	mu     sync.RWMutex
	faces  map[faceKey]font.Face // not safe for concurrent use: held under mu
	glyphs map[glyphKey]*glyph
}

type faceKey struct {
	face *typeface
	size float64
}

// get returns the glyph of r at size px with its dot at (x, y), and the
// integer point its rectangle is relative to.
func (c *glyphCache) get(t *typeface, size float64, r rune, x, y float64) (*glyph, image.Point) {
	dot := fixed.Point26_6{X: fixed.Int26_6(x*64 + 0.5), Y: fixed.Int26_6(y*64 + 0.5)}
	at := image.Point{X: dot.X.Floor(), Y: dot.Y.Floor()}
	k := glyphKey{face: t, size: size, r: r, fx: (dot.X & 63) &^ (64/subpixel - 1), fy: (dot.Y & 63) &^ (64/subpixel - 1)}
	c.mu.RLock()
	g, ok := c.glyphs[k]
	c.mu.RUnlock()
	if ok {
		return g, at
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if g, ok := c.glyphs[k]; ok {
		return g, at
	}
	g = c.rasterise(k)
	c.glyphs[k] = g
	return g, at
}

func (c *glyphCache) rasterise(k glyphKey) *glyph {
	fk := faceKey{k.face, k.size}
	face, ok := c.faces[fk]
	if !ok {
		var err error
		face, err = opentype.NewFace(k.face.f, &opentype.FaceOptions{Size: k.size, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return &glyph{mask: image.NewAlpha(image.Rectangle{})}
		}
		c.faces[fk] = face
	}
	dr, mask, maskp, _, ok := face.Glyph(fixed.Point26_6{X: k.fx, Y: k.fy}, k.r)
	if !ok {
		dr, mask, maskp, _, _ = face.Glyph(fixed.Point26_6{X: k.fx, Y: k.fy}, '?')
	}
	// The face reuses its mask buffer: keep a copy.
	a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
	if mask != nil {
		draw.Draw(a, a.Bounds(), mask, maskp, draw.Src)
	}
	return &glyph{dr: dr, mask: a}
}
