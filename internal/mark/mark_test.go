package mark

import (
	"image"
	"testing"

	"github.com/fogleman/gg"
)

func TestLoadAndDraw(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	dc := gg.NewContext(48, 48)
	dc.SetRGB(0, 0, 0)
	m.Draw(dc, 0, 0, 48)
	img := dc.Image().(*image.RGBA)
	// The mark covers a fair share of its square, centre included, and not
	// the corners.
	inked := 0
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] > 128 {
			inked++
		}
	}
	if share := float64(inked) / (48 * 48); share < 0.15 || share > 0.6 {
		t.Errorf("mark covers %.0f%% of its square", 100*share)
	}
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Error("mark reaches the corner")
	}
}

func TestParsePathRefusesWhatItCannotDraw(t *testing.T) {
	for _, d := range []string{"", "L1 1", "M0 0 A1 1 0 0 1 2 2", "M0 0 l1 1", "M0 0 C1 1 2", "M0 0 Lx 1"} {
		if _, err := parsePath(d); err == nil {
			t.Errorf("%q accepted", d)
		}
	}
	ops, err := parsePath("M0 0L1 0C1 1 1 1 0 1Z")
	if err != nil || len(ops) != 4 {
		t.Errorf("%v %v", ops, err)
	}
}
