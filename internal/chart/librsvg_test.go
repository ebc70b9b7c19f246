package chart_test

import (
	"bytes"
	"image"
	"image/png"
	"os/exec"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/chart"
	"github.com/technopolys/technopolys/internal/testenv"
)

// TestDrawnByLibrsvg rasterises a bar chart at one pixel per viewBox unit
// and looks where the biggest bar should be: a renderer that reads the SVG
// as the tests do draws it there. Without rsvg-convert it skips, except
// under CI=true, where it fails.
func TestDrawnByLibrsvg(t *testing.T) {
	rsvg := testenv.Program(t, "rsvg-convert", "librsvg2-bin")
	svg := chart.Bars(regions())
	cmd := exec.Command(rsvg, "--width", "400", "--background-color", "white", "--format", "png")
	cmd.Stdin = strings.NewReader(string(svg))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rsvg-convert: %v: %s", err, stderr.String())
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	biggest := parse(t, svg).all("g", "bar")[0].all("rect", "")[0]
	x, y := biggest.float(t, "x"), biggest.float(t, "y")
	w, h := biggest.float(t, "width"), biggest.float(t, "height")
	for _, fx := range []float64{0.1, 0.5, 0.9} {
		if white(img, int(x+fx*w), int(y+h/2)) {
			t.Errorf("white at %.0f%% of the biggest bar", 100*fx)
		}
	}
	// Laval has no members: its row, right of the axis, stays white.
	laval := parse(t, svg).all("g", "bar")[2].all("rect", "")[0]
	if !white(img, int(x+w/2), int(laval.float(t, "y")+h/2)) {
		t.Error("Laval's empty bar is drawn")
	}
}

func white(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r > 0xf000 && g > 0xf000 && b > 0xf000
}
