package badge_test

import (
	"bytes"
	"compress/gzip"
	"image/color"
	"testing"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
)

// everyKind is one badge of each kind the server draws, count widgets with
// a region and a goal included.
var everyKind = map[string]badge.Badge{
	"member":      member("Acme Québec inc."),
	"notmember":   {Kind: badge.NotMember},
	"invalid":     {Kind: badge.Invalid, Option: "style"},
	"noevent":     {Kind: badge.NoEvent},
	"unavailable": {Kind: badge.Unavailable},
	"count":       {Kind: badge.Count, Members: 1234},
	"goal":        {Kind: badge.Count, Members: 5, Goal: 2000},
	"region":      {Kind: badge.Count, Members: 617, Goal: 2000, Region: "Gaspésie–Îles-de-la-Madeleine"},
}

func gzipped(t *testing.T, b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// TestSVGSizes holds every badge, in every style × theme × language, to the
// README's bound now that its text is outlines: 6 KB, 2.5 KB gzipped. A
// count widget with the longest region name draws more glyphs than any
// badge; it is held to 8 KB, 3 KB gzipped.
func TestSVGSizes(t *testing.T) {
	r := renderer(t)
	for name, b := range everyKind {
		limit, gzLimit := 6000, 2500
		if b.Kind == badge.Count && b.Region != "" {
			limit, gzLimit = 8000, 3000
		}
		t.Run(name, func(t *testing.T) {
			lo, hi, glo, ghi := 1<<30, 0, 1<<30, 0
			eachVariant(t, func(t *testing.T, o badge.Options) {
				s := r.SVG(b, o)
				n, g := len(s), gzipped(t, s)
				lo, hi, glo, ghi = min(lo, n), max(hi, n), min(glo, g), max(ghi, g)
				if n > limit || g > gzLimit {
					t.Errorf("%d bytes, %d gzipped; the bound is %d and %d", n, g, limit, gzLimit)
				}
			})
			t.Logf("%d–%d bytes, %d–%d gzipped", lo, hi, glo, ghi)
		})
	}
}

// TestGoalBarShowsSmallProgress: 5 members of a goal of 2 000 is a quarter
// of a percent, less than a pixel of the widget; the bar still shows, at
// least minBar (3 px) at scale 1, in the PNG's pixels and the SVG alike.
func TestGoalBarShowsSmallProgress(t *testing.T) {
	r := renderer(t)
	for _, scale := range []int{1, 2} {
		o := badge.Options{Style: badge.FlatSquare, Theme: badge.Light, Lang: locale.FR, Scale: scale}
		p, err := r.PNG(badge.Badge{Kind: badge.Count, Members: 5, Goal: 2000}, o)
		if err != nil {
			t.Fatal(err)
		}
		img := decodePNG(t, p)
		y := img.Bounds().Max.Y - 1
		yellow := 0
		for x := 0; x < img.Bounds().Dx(); x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.R > 0xD0 && c.G > 0xA0 && c.B < 0x40 { // the bar's #F2B705
				yellow++
			}
		}
		if yellow < 3*scale {
			t.Errorf("scale %d: the goal bar is %d pixels wide at 5 / 2000, want at least %d", scale, yellow, 3*scale)
		}
		none, _ := r.PNG(badge.Badge{Kind: badge.Count, Members: 0, Goal: 2000}, o)
		if img := decodePNG(t, none); color.NRGBAModel.Convert(img.At(0, y)).(color.NRGBA).B < 0x40 {
			t.Errorf("scale %d: no progress draws a bar", scale)
		}
	}
	s := string(r.SVG(badge.Badge{Kind: badge.Count, Members: 5, Goal: 2000}, badge.Defaults(locale.FR)))
	if !bytes.Contains([]byte(s), []byte(`width="3" height="3" fill="#F2B705"`)) {
		t.Errorf("the SVG's goal bar is not 3 px wide: %s", s)
	}
}
