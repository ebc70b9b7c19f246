package badge_test

import (
	"bytes"
	"image/color"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/badge/badgetest"
	"github.com/technopolys/technopolys/internal/locale"
)

var wallOf3 = badge.Wall{Total: 3, Columns: 2, Tiles: []badge.WallTile{
	{Name: "Acme <Qc> & \"fils\"", Region: "Montréal"},
	{Name: "Société de développement des technologies numériques de la Capitale-Nationale inc.", Region: "Capitale-Nationale"},
	{Name: "Beta", Region: "Laval"},
}}

// TestWallSVG: the wall says its heading, every name (a long one cut with
// an ellipsis) and region as outlines, never as <text>; its title and
// aria-label say the count and every name in full, escaped.
func TestWallSVG(t *testing.T) {
	r := renderer(t)
	for _, l := range []locale.Lang{locale.FR, locale.EN} {
		for _, th := range badge.Themes() {
			body := r.WallSVG(wallOf3, badge.Options{Theme: th, Lang: l})
			s, err := badgetest.ParseSVG(body)
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", l, th, err, body)
			}
			if bytes.Contains(body, []byte("<text")) {
				t.Errorf("%s %s: the wall has <text>", l, th)
			}
			names := []string{"Acme <Qc> & \"fils\"", "Beta"}
			want := []string{badgetest.Inked(l.T("wall.heading"))}
			for _, n := range names {
				want = append(want, badgetest.Inked(n))
			}
			if len(s.Texts) != 7 || s.Texts[0] != want[0] || s.Texts[1] != want[1] || s.Texts[3] != want[2] {
				t.Fatalf("%s %s: texts %q, want heading and names %q", l, th, s.Texts, want)
			}
			if cut := s.Texts[2]; !strings.HasSuffix(cut, "…") || !strings.HasPrefix(cut, "Société") || len([]rune(cut)) > 30 {
				t.Errorf("%s %s: long name drawn %q, want it cut with an ellipsis", l, th, cut)
			}
			if got := s.Texts[4:]; got[0] != "Montréal" || got[1] != "Capitale-Nationale" || got[2] != "Laval" {
				t.Errorf("%s %s: regions %q", l, th, got)
			}
			if s.Role != "img" || s.Label != s.Title || s.Lang != string(l) ||
				!strings.Contains(s.Title, l.Plural(3, "home.count")) || !strings.Contains(s.Title, wallOf3.Tiles[1].Name) || !strings.Contains(s.Title, names[0]) {
				t.Errorf("%s %s: role %q, title %q, label %q", l, th, s.Role, s.Title, s.Label)
			}
			if !bytes.Contains(body, []byte("Acme &lt;Qc&gt; &amp;")) {
				t.Errorf("%s %s: name not escaped", l, th)
			}
			if (th == badge.Auto) != bytes.Contains(body, []byte("prefers-color-scheme")) {
				t.Errorf("%s %s: dark style only for auto", l, th)
			}
		}
	}
}

// TestWallGrid: the grid takes the columns asked, no more than there are
// tiles, in bounds, and an empty wall says so.
func TestWallGrid(t *testing.T) {
	r := renderer(t)
	width := func(wl badge.Wall) int {
		s, err := badgetest.ParseSVG(r.WallSVG(wl, badge.Options{Theme: badge.Light, Lang: locale.FR}))
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(s.Width)
		return n
	}
	one, two := width(badge.Wall{Tiles: wallOf3.Tiles, Columns: 1}), width(badge.Wall{Tiles: wallOf3.Tiles, Columns: 2})
	if two-one != 240+8 {
		t.Errorf("one column %d px, two %d px", one, two)
	}
	if got := width(badge.Wall{Tiles: wallOf3.Tiles, Columns: 6}); got != width(badge.Wall{Tiles: wallOf3.Tiles, Columns: 3}) {
		t.Errorf("six columns of three tiles %d px, want three columns' width", got)
	}
	if got := width(badge.Wall{Tiles: wallOf3.Tiles, Columns: 99}); got != width(badge.Wall{Tiles: wallOf3.Tiles, Columns: 3}) {
		t.Errorf("99 columns: %d px", got)
	}
	s, err := badgetest.ParseSVG(r.WallSVG(badge.Wall{Columns: 4}, badge.Options{Theme: badge.Dark, Lang: locale.EN}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Texts) != 2 || s.Texts[1] != badgetest.Inked("No member companies yet") || !strings.Contains(s.Title, "0 member companies") {
		t.Errorf("empty wall: texts %q, title %q", s.Texts, s.Title)
	}
}

// TestWallRasterisedByLibrsvg: librsvg, given no font at all, draws the
// wall at its size with ink where the names are.
func TestWallRasterisedByLibrsvg(t *testing.T) {
	rsvg := rsvgConvert(t)
	r := renderer(t)
	cmd := exec.Command(rsvg, "--format", "png")
	cmd.Env = noFonts(t)
	cmd.Stdin = bytes.NewReader(r.WallSVG(wallOf3, badge.Options{Theme: badge.Light, Lang: locale.FR}))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rsvg-convert: %v: %s", err, stderr.String())
	}
	img := decodePNG(t, out)
	if b := img.Bounds(); b.Dx() != 2*16+2*240+8 || b.Dy() != 48+2*56+8+16 {
		t.Fatalf("rasterised %v", b)
	}
	// The first tile's name: from x 58, baseline 73, dark navy ink.
	ink := 0
	for y := 62; y < 76; y++ {
		for x := 58; x < 200; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.R < 0x60 && c.G < 0x70 && c.B < 0x90 {
				ink++
			}
		}
	}
	if ink < 100 {
		t.Errorf("only %d inked pixels where the first name is", ink)
	}
}
