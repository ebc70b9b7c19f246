package badge

import (
	"image/color"
	"math"
	"testing"
)

// TestContrast checks WCAG AA for every theme, kind and style: text at
// least 4.5:1 against its background wherever a glyph can sit, the style's
// light-and-shade overlay included, and the mark at least 3:1 (non-text
// contrast).
func TestContrast(t *testing.T) {
	for theme, kinds := range palettes {
		for kind, p := range kinds {
			for style, spec := range styles {
				// Glyphs reach from the cap height above the baseline to the
				// descent below it.
				top := (spec.baseline - 0.75*spec.size) / float64(spec.height)
				bottom := (spec.baseline + 0.25*spec.size) / float64(spec.height)
				for _, y := range []float64{top, (top + bottom) / 2, bottom} {
					label, message := shade(p.LabelBg, spec.overlay, y), shade(p.MessageBg, spec.overlay, y)
					if c := contrast(p.LabelFg, label); c < 4.5 {
						t.Errorf("%s %d %s: label text %.2f:1 at %.0f%% height", theme, kind, style, c, 100*y)
					}
					if c := contrast(p.MessageFg, message); c < 4.5 {
						t.Errorf("%s %d %s: message text %.2f:1 at %.0f%% height", theme, kind, style, c, 100*y)
					}
					if c := contrast(p.Mark, label); c < 3 {
						t.Errorf("%s %d %s: mark %.2f:1", theme, kind, style, c)
					}
				}
			}
		}
	}
}

// shade is bg under the overlay at height y (0 top, 1 bottom), as the PNG
// renderer blends it.
func shade(bg color.NRGBA, overlay []stop, y float64) color.NRGBA {
	if len(overlay) == 0 {
		return bg
	}
	c, _, _, a := overlayAt(overlay, y)
	mix := func(v uint8) uint8 { return uint8(c*a*255 + float64(v)*(1-a) + 0.5) }
	return color.NRGBA{mix(bg.R), mix(bg.G), mix(bg.B), 255}
}

func contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// luminance is WCAG 2's relative luminance.
func luminance(c color.NRGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}
