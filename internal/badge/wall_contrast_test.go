package badge

import "testing"

// TestWallContrast checks WCAG AA for the wall's colours: names and regions
// on their tiles, the heading on the background, at least 4.5:1, and the
// mark at least 3:1 on the tile and on the background.
func TestWallContrast(t *testing.T) {
	for theme, p := range wallPalettes {
		for what, c := range map[string]float64{
			"name":    contrast(p.Name, p.TileBg),
			"region":  contrast(p.Region, p.TileBg),
			"heading": contrast(p.Heading, p.Bg),
		} {
			if c < 4.5 {
				t.Errorf("%s: %s %.2f:1", theme, what, c)
			}
		}
		if c := min(contrast(p.Mark, p.TileBg), contrast(p.Mark, p.Bg)); c < 3 {
			t.Errorf("%s: mark %.2f:1", theme, c)
		}
	}
}
