package badge_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/fogleman/gg"
	"golang.org/x/image/font/opentype"

	"github.com/technopolys/technopolys/assets"
	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/badge/badgetest"
	"github.com/technopolys/technopolys/internal/locale"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// assertion is a hosted Assertion as the web package builds it, with a
// narrative that would end an SVG's CDATA if the baking did not escape it.
var assertion = badge.Assertion{ID: "https://technopolys.example/ob/assertions/acme-quebec-inc.json",
	JSON: `{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://technopolys.example/ob/assertions/acme-quebec-inc.json",` +
		`"recipient":{"type":"url","hashed":true,"salt":"00ff","identity":"sha256$0123456789abcdef"},"badge":"https://technopolys.example/ob/badge.json",` +
		`"verification":{"type":"HostedBadge"},"issuedOn":"2026-03-01T14:00:00Z","narrative":"x]]>y > \\> \"]]>"}`}

func renderer(t testing.TB) *badge.Renderer {
	t.Helper()
	r, err := badge.New()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func member(name string) badge.Badge {
	return badge.Badge{Kind: badge.Member, Name: name, Assertion: assertion}
}

// eachVariant runs fn for every style × theme × language.
func eachVariant(t *testing.T, fn func(t *testing.T, o badge.Options)) {
	for _, st := range badge.Styles() {
		for _, th := range badge.Themes() {
			for _, l := range []locale.Lang{locale.FR, locale.EN} {
				o := badge.Options{Style: st, Theme: th, Lang: l, Scale: 1}
				t.Run(fmt.Sprintf("%s-%s-%s", st, th, l), func(t *testing.T) { fn(t, o) })
			}
		}
	}
}

func decodePNG(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	return img
}

func TestSVGIsInertXMLWithItsAccessibleName(t *testing.T) {
	r := renderer(t)
	const hostile = `</title><script>alert(1)</script> "Acme" & <b onload='x'>`
	eachVariant(t, func(t *testing.T, o badge.Options) {
		s, err := badgetest.ParseSVG(r.SVG(member(hostile), o))
		if err != nil {
			t.Fatal(err)
		}
		want := hostile + " — membre vérifié de technopolys"
		texts := []string{"membre de", "technopolys"}
		if o.Lang == locale.EN {
			want = hostile + " — verified member of technopolys"
			texts = []string{"member of", "technopolys"}
		}
		if o.Style == badge.ForTheBadge {
			texts = []string{strings.ToUpper(texts[0]), strings.ToUpper(texts[1])}
		}
		texts = []string{badgetest.Inked(texts[0]), badgetest.Inked(texts[1])}
		if s.Title != want || s.Label != want {
			t.Errorf("title %q, aria-label %q; want %q", s.Title, s.Label, want)
		}
		if s.Role != "img" || s.Lang != string(o.Lang) {
			t.Errorf("role %q, xml:lang %q", s.Role, s.Lang)
		}
		if strings.Join(s.Texts, "|") != strings.Join(texts, "|") {
			t.Errorf("texts %q, want %q", s.Texts, texts)
		}
		if len(s.Assertions) != 1 || s.Assertions[0] != assertion.ID {
			t.Errorf("openbadges:assertion %q", s.Assertions)
		}
	})
}

// TestBakedAssertionReadsBack unbakes every variant with a reader written
// from the baking specification: the PNG's iTXt text is the JSON byte for
// byte, the SVG's CDATA the same JSON (its ">" escaped, so it cannot end
// the CDATA), and verify the hosted URL.
func TestBakedAssertionReadsBack(t *testing.T) {
	r := renderer(t)
	var want any
	if err := json.Unmarshal([]byte(assertion.JSON), &want); err != nil {
		t.Fatal(err)
	}
	eachVariant(t, func(t *testing.T, o badge.Options) {
		u, err := badgetest.Unbake(r.SVG(member("Acme"), o))
		if err != nil {
			t.Fatal(err)
		}
		var got any
		if err := json.Unmarshal([]byte(u.Text), &got); err != nil || !reflect.DeepEqual(got, want) || u.Verify != assertion.ID {
			t.Errorf("SVG: verify %q, CDATA %s (%v)", u.Verify, u.Text, err)
		}
		if a, err := badgetest.ParseAssertion(u.Text); err != nil || a.ID != assertion.ID {
			t.Errorf("SVG: %v", err)
		}
		p, err := r.PNG(member("Acme"), o)
		if err != nil {
			t.Fatal(err)
		}
		if u, err := badgetest.Unbake(p); err != nil || u.Text != assertion.JSON {
			t.Errorf("PNG: %+v, %v", u, err)
		}
	})
}

func TestPNGDecodesAtEveryScaleWithItsAssertionBaked(t *testing.T) {
	r := renderer(t)
	eachVariant(t, func(t *testing.T, o badge.Options) {
		var one image.Rectangle
		for scale := 1; scale <= badge.MaxScale; scale++ {
			o.Scale = scale
			p, err := r.PNG(member("Acme"), o)
			if err != nil {
				t.Fatal(err)
			}
			b := decodePNG(t, p).Bounds()
			if scale == 1 {
				one = b
				w, h := r.Size(member("Acme"), o)
				if b.Dx() != w || b.Dy() != h {
					t.Fatalf("scale 1 is %v, Size says %dx%d", b, w, h)
				}
			} else if b.Dx() != scale*one.Dx() || b.Dy() != scale*one.Dy() {
				t.Errorf("scale %d is %dx%d, want exactly %d × %dx%d", scale, b.Dx(), b.Dy(), scale, one.Dx(), one.Dy())
			}
			baked, err := badgetest.Baked(p)
			if err != nil || len(baked) != 1 || baked[0] != assertion.JSON {
				t.Errorf("scale %d: baked %q, %v", scale, baked, err)
			}
		}
	})
}

func TestErrorBadgesSayWhatIsWrong(t *testing.T) {
	r := renderer(t)
	for _, tt := range []struct {
		b    badge.Badge
		l    locale.Lang
		want string
	}{
		{badge.Badge{Kind: badge.NotMember}, locale.FR, "non membre"},
		{badge.Badge{Kind: badge.NotMember}, locale.EN, "not a member"},
		{badge.Badge{Kind: badge.Invalid, Option: "style"}, locale.FR, "option invalide\u00a0: style"},
		{badge.Badge{Kind: badge.Invalid, Option: "scale"}, locale.EN, "invalid option: scale"},
	} {
		o := badge.Defaults(tt.l)
		s, err := badgetest.ParseSVG(r.SVG(tt.b, o))
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Texts) != 2 || s.Texts[1] != badgetest.Inked(tt.want) || len(s.Assertions) != 0 {
			t.Errorf("%+v: texts %q, assertions %q", tt.b, s.Texts, s.Assertions)
		}
		p, err := r.PNG(tt.b, o)
		if err != nil {
			t.Fatal(err)
		}
		if baked, err := badgetest.Baked(p); err != nil || len(baked) != 0 {
			t.Errorf("an error badge carries an assertion: %q %v", baked, err)
		}
	}
}

// TestStylesAndThemesLookTheirOwn checks what sets each style apart in the
// pixels themselves: corners (rounded or square), light-and-shade (none,
// subtle, strong) and height; and that the themes differ.
func TestStylesAndThemesLookTheirOwn(t *testing.T) {
	r := renderer(t)
	draw := func(o badge.Options) image.Image {
		p, err := r.PNG(member("Acme"), o)
		if err != nil {
			t.Fatal(err)
		}
		return decodePNG(t, p)
	}
	for _, tt := range []struct {
		style   badge.Style
		rounded bool
		shade   [2]int // bounds of top-to-bottom brightness drop in the message segment
		height  int
	}{
		{badge.Flat, true, [2]int{40, 120}, 20},
		{badge.FlatSquare, false, [2]int{0, 0}, 20},
		{badge.Plastic, true, [2]int{150, 500}, 18},
		{badge.ForTheBadge, false, [2]int{0, 0}, 28},
	} {
		img := draw(badge.Options{Style: tt.style, Theme: badge.Light, Lang: locale.FR, Scale: 2})
		b := img.Bounds()
		_, _, _, corner := img.At(0, 0).RGBA()
		if rounded := corner < 0xffff; rounded != tt.rounded {
			t.Errorf("%s: corner alpha %d, rounded %v", tt.style, corner>>8, tt.rounded)
		}
		x := b.Dx() - 6 // inside the message segment, clear of text
		drop := brightness(img.At(x, 1)) - brightness(img.At(x, b.Dy()-2))
		if drop < tt.shade[0] || drop > tt.shade[1] {
			t.Errorf("%s: brightness drops %d from top to bottom, want %d to %d", tt.style, drop, tt.shade[0], tt.shade[1])
		}
		if b.Dy() != 2*tt.height {
			t.Errorf("%s: height %d at scale 2, want %d", tt.style, b.Dy(), 2*tt.height)
		}
	}
	light := draw(badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1})
	dark := draw(badge.Options{Style: badge.Flat, Theme: badge.Dark, Lang: locale.FR, Scale: 1})
	if d := badgetest.Diff(light, dark); d.Changed < 0.5 {
		t.Errorf("light and dark differ too little: %s", d)
	}
}

// brightness is the sum of a pixel's 8-bit channels.
func brightness(c interface{ RGBA() (r, g, b, a uint32) }) int {
	r, g, b, _ := c.RGBA()
	return int(r>>8 + g>>8 + b>>8)
}

func TestParseOptions(t *testing.T) {
	for _, tt := range []struct {
		query     string
		want      badge.Options
		langGiven bool
		bad       string
	}{
		{"", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1}, false, ""},
		{"style=for-the-badge&theme=auto&lang=en&scale=4&v=2", badge.Options{Style: badge.ForTheBadge, Theme: badge.Auto, Lang: locale.EN, Scale: 4}, true, ""},
		{"style=pastel&lang=en&scale=2", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.EN, Scale: 2}, true, "style"},
		{"theme=blue", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1}, false, "theme"},
		{"scale=5", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1}, false, "scale"},
		{"scale=02", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1}, false, "scale"},
		{"scale=0", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1}, false, "scale"},
		{"lang=de", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1}, false, "lang"},
		{"style=flat&style=plastic", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1}, false, "style"},
		{"style=&lang=", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1}, false, "style"},
		{"%73tyle=plastic&lang=e%6E&x=%ZZ", badge.Options{Style: badge.Plastic, Theme: badge.Light, Lang: locale.EN, Scale: 1}, true, ""},
		{"theme=%ZZ", badge.Options{Style: badge.Flat, Theme: badge.Light, Lang: locale.FR, Scale: 1}, false, "theme"},
	} {
		got, langGiven, bad := badge.ParseOptions(tt.query, locale.FR)
		if got != tt.want || langGiven != tt.langGiven || bad != tt.bad {
			t.Errorf("%q: %+v %v %q; want %+v %v %q", tt.query, got, langGiven, bad, tt.want, tt.langGiven, tt.bad)
		}
	}
}

// TestGolden guards every style × theme × language against unintended
// change: the SVG byte for byte, the PNG (scale 2) pixel for pixel. Run
// with -update after an intended change, and look at the files.
func TestGolden(t *testing.T) {
	r := renderer(t)
	eachVariant(t, func(t *testing.T, o badge.Options) {
		o.Scale = 2
		name := filepath.Join("testdata", fmt.Sprintf("%s-%s-%s", o.Style, o.Theme, o.Lang))
		svg := r.SVG(member("Acme Québec inc."), o)
		p, err := r.PNG(member("Acme Québec inc."), o)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			os.WriteFile(name+".svg", svg, 0o644)
			os.WriteFile(name+".png", p, 0o644)
			return
		}
		want, err := os.ReadFile(name + ".svg")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(svg, want) {
			t.Errorf("%s.svg changed (run go test -update and look)", name)
		}
		wantPNG, err := os.ReadFile(name + ".png")
		if err != nil {
			t.Fatal(err)
		}
		d := badgetest.Diff(decodePNG(t, p), decodePNG(t, wantPNG))
		if d.Mean > 0.001 || d.Changed > 0 {
			t.Errorf("%s.png: %s (run go test -update and look)", name, d)
		}
	})
}

// BenchmarkPNGReference is the plain way to draw the same 2x badge, for
// scale in the same run: gg's own gradient and text drawing with a fresh
// font face, and png.Encode with its defaults.
func BenchmarkPNGReference(b *testing.B) {
	regular, err := assets.FS.ReadFile("fonts/Go-Regular.ttf")
	if err != nil {
		b.Fatal(err)
	}
	bold, _ := assets.FS.ReadFile("fonts/Go-Bold.ttf")
	fr, _ := opentype.Parse(regular)
	fb, _ := opentype.Parse(bold)
	b.ReportAllocs()
	for b.Loop() {
		dc := gg.NewContext(328, 40)
		dc.DrawRoundedRectangle(0, 0, 178, 40, 6)
		dc.SetHexColor("#E8EDF5")
		dc.Fill()
		dc.DrawRoundedRectangle(172, 0, 156, 40, 6)
		dc.SetHexColor("#003DA5")
		dc.Fill()
		g := gg.NewLinearGradient(0, 0, 0, 40)
		g.AddColorStop(0, color.NRGBA{255, 255, 255, 31})
		g.AddColorStop(1, color.NRGBA{0, 0, 0, 31})
		dc.SetFillStyle(g)
		dc.DrawRoundedRectangle(0, 0, 328, 40, 6)
		dc.Fill()
		for _, t := range []struct {
			f *opentype.Font
			s string
			x float64
			c string
		}{{fr, "membre de", 48, "#1A2B4C"}, {fb, "technopolys", 185, "#FFFFFF"}} {
			face, _ := opentype.NewFace(t.f, &opentype.FaceOptions{Size: 22, DPI: 72})
			dc.SetFontFace(face)
			dc.SetHexColor(t.c)
			dc.DrawString(t.s, t.x, 28)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, dc.Image()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSVG(b *testing.B) {
	r := renderer(b)
	o := badge.Defaults(locale.FR)
	for b.Loop() {
		r.SVG(member("Acme Québec inc."), o)
	}
}

func BenchmarkPNG(b *testing.B) {
	r := renderer(b)
	for _, scale := range []int{1, 2, 4} {
		b.Run("scale"+strconv.Itoa(scale), func(b *testing.B) {
			o := badge.Defaults(locale.FR)
			o.Scale = scale
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.PNG(member("Acme Québec inc."), o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestOneMemberAllVariants renders the 120 variants one member can have and
// holds them to the bound the README gives for the image cache.
func TestOneMemberAllVariants(t *testing.T) {
	r := renderer(t)
	total, n := 0, 0
	for _, st := range badge.Styles() {
		for _, th := range badge.Themes() {
			for _, l := range []locale.Lang{locale.FR, locale.EN} {
				o := badge.Options{Style: st, Theme: th, Lang: l, Scale: 1}
				total += len(r.SVG(member("Acme Québec inc."), o))
				n++
				for o.Scale = 1; o.Scale <= badge.MaxScale; o.Scale++ {
					p, err := r.PNG(member("Acme Québec inc."), o)
					if err != nil {
						t.Fatal(err)
					}
					total += len(p)
					n++
				}
			}
		}
	}
	t.Logf("%d variants of one member: %d bytes", n, total)
	if n != 120 || total > 1<<20 {
		t.Errorf("%d variants, %d bytes: the README's bound (120, under 1 MiB) no longer holds", n, total)
	}
}
