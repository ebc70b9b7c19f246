package qr_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/technopolys/technopolys/internal/qr"
	"github.com/technopolys/technopolys/internal/testenv"
)

// unicodeTitle has an emoji (beyond U+FFFF: a surrogate pair in UTF-16),
// accents, guillemets and PDF syntax.
const unicodeTitle = "Salon 🚀 techno « Québec » été (x) \\ ) — Montréal"

// dpi is the proof's resolution: 10 cm is 787 px, 1 mm about 8.
const dpi = 200

func poster(t *testing.T, layout qr.Layout, paper qr.Paper) []byte {
	t.Helper()
	doc, err := mustCode(t, qr.M, false).PDF(qr.Poster{Paper: paper, Layout: layout, Title: unicodeTitle,
		Details: "3 décembre 2026 · Centre des congrès de Québec", CallToAction: "Adhérez au mouvement technopolys",
		OtherCall: "Join the technopolys movement", Hint: "Scannez le code ou tapez l’adresse\u00a0:",
		Link: "technopolys.example/j/salon-2026", Fold: "Pliez ici"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestPosterLayoutsPrint rasterises every layout on every paper with
// pdftoppm at 200 dpi, as a print proof would, and reads the page back:
// the sheet is the right size; every third of it carries ink; the code
// decodes to the link and measures 10 cm ± 1 mm with its quiet zone of 4
// blank modules; on a table tent both halves carry the code, the top one
// turned half a turn (it reads upright once turned back). The PNGs land in
// $TECHNOPOLYS_SCREENSHOTS when it is set.
func TestPosterLayoutsPrint(t *testing.T) {
	pdftoppm := testenv.Program(t, "pdftoppm", "poppler-utils")
	n := mustCode(t, qr.M, false).Modules() - 2*qr.QuietZone
	for _, layout := range qr.Layouts() {
		for _, paper := range qr.Papers() {
			t.Run(string(layout)+"-"+string(paper), func(t *testing.T) {
				doc := poster(t, layout, paper)
				page := raster(t, pdftoppm, doc)
				if dir := os.Getenv("TECHNOPOLYS_SCREENSHOTS"); dir != "" {
					var b bytes.Buffer
					png.Encode(&b, page)
					err := os.MkdirAll(dir, 0o755) // the first package to save there makes it
					if err == nil {
						err = os.WriteFile(filepath.Join(dir, fmt.Sprintf("poster-%s-%s.png", layout, paper)), b.Bytes(), 0o644)
					}
					if err != nil {
						t.Fatal(err)
					}
				}
				size := qr.PageSize(layout, paper)
				b := page.Bounds()
				if w, h := float64(b.Dx()), float64(b.Dy()); math.Abs(w-size.W/72*dpi) > 2 || math.Abs(h-size.H/72*dpi) > 2 {
					t.Errorf("page %v×%v px, want %.0f×%.0f", w, h, size.W/72*dpi, size.H/72*dpi)
				}
				for i := range 3 {
					third := image.Rect(0, b.Dy()*i/3, b.Dx(), b.Dy()*(i+1)/3)
					if share := inked(page, third); share < 0.05 {
						t.Errorf("third %d of the page: %.1f %% inked, want ≥ 5 %%", i+1, 100*share)
					}
				}
				if layout != qr.LayoutTent {
					checkCode(t, page, n, false)
					return
				}
				top := crop(page, image.Rect(0, 0, b.Dx(), b.Dy()/2))
				bottom := crop(page, image.Rect(0, b.Dy()/2, b.Dx(), b.Dy()))
				front := checkCode(t, bottom, n, false)
				back := checkCode(t, top, n, true)
				turned := checkCode(t, rotate180(top), n, false)
				if math.Abs(turned.X-front.X) > 3 || math.Abs(turned.Y-front.Y) > 3 {
					t.Errorf("top face turned back has its code at %v, the front at %v", turned, front)
				}
				_ = back
			})
		}
	}
}

// checkCode decodes the code on img to the link and measures it; upsideDown
// says it must read turned half a turn. It returns where the code's top-left
// finder pattern is.
func checkCode(t *testing.T, img image.Image, n int, upsideDown bool) (topLeft struct{ X, Y float64 }) {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("does not decode: %v", err)
	}
	if res.GetText() != link {
		t.Fatalf("decodes to %q", res.GetText())
	}
	pts := res.GetResultPoints() // bottom-left, top-left, top-right finder centres
	bl, tl, tr := pts[0], pts[1], pts[2]
	if got := tr.GetX() < tl.GetX(); got != upsideDown {
		t.Errorf("code upside down: %v, want %v (finders %v %v %v)", got, upsideDown, bl, tl, tr)
	}
	// Finder centres sit 3.5 modules in from the symbol's edges.
	module := math.Hypot(tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY()) / float64(n-7)
	width := module * float64(n+2*qr.QuietZone) / dpi * 25.4
	if math.Abs(width-100) > 1 {
		t.Errorf("code printed %.2f mm wide with its quiet zone, want 100 ± 1", width)
	}
	// The quiet zone: 4 modules around the symbol, blank.
	x0, y0 := math.Min(tl.GetX(), tr.GetX())-3.5*module, math.Min(tl.GetY(), bl.GetY())-3.5*module
	side := float64(n) * module
	zone := image.Rect(int(x0-4*module+1), int(y0-4*module+1), int(x0+side+4*module-1), int(y0+side+4*module-1))
	inner := image.Rect(int(x0-1), int(y0-1), int(x0+side+1), int(y0+side+1))
	for y := zone.Min.Y; y < zone.Max.Y; y++ {
		for x := zone.Min.X; x < zone.Max.X; x++ {
			if !image.Pt(x, y).In(inner) && dark(img, x, y) {
				t.Fatalf("ink at (%d, %d) in the quiet zone %v", x, y, zone)
			}
		}
	}
	return struct{ X, Y float64 }{x0, y0}
}

func raster(t *testing.T, pdftoppm string, doc []byte) image.Image {
	t.Helper()
	cmd := exec.Command(pdftoppm, "-r", strconv.Itoa(dpi), "-png", "-singlefile")
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftoppm: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r+g+b)/3 < 0xc000
}

// inked is the share of r's pixels that are not white.
func inked(img image.Image, r image.Rectangle) float64 {
	var n int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); r+g+b < 3*0xf800 {
				n++
			}
		}
	}
	return float64(n) / float64(r.Dx()*r.Dy())
}

func crop(img image.Image, r image.Rectangle) image.Image {
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := range r.Dy() {
		for x := range r.Dx() {
			out.Set(x, y, img.At(r.Min.X+x, r.Min.Y+y))
		}
	}
	return out
}

func rotate180(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.Set(b.Dx()-1-x, b.Dy()-1-y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// colourOp is a fill colour operator of a content stream and what it
// colours next: "k" (CMYK), "rg" (RGB) or "g" (grey) with its operands.
var colourOp = regexp.MustCompile(`(?m)((?:-?[\d.]+\s+){1,4})(k|rg|g)\b`)

// TestPosterBlackIsPureK reads every layout's content streams, inflated:
// the code's modules and the text are filled with CMYK 0 0 0 1 (or a tint
// of K alone), and nothing is black in RGB or grey.
func TestPosterBlackIsPureK(t *testing.T) {
	runs := len(regexp.MustCompile(`M`).FindAllString(string(must(mustCode(t, qr.M, false).SVG(256))), -1))
	for _, layout := range qr.Layouts() {
		for _, paper := range qr.Papers() {
			t.Run(string(layout)+"-"+string(paper), func(t *testing.T) {
				content := contentStreams(t, poster(t, layout, paper))
				var pureK, rects, text int
				fill := ""
				for _, tok := range tokens(content) {
					switch {
					case tok.op == "k" || tok.op == "rg" || tok.op == "g":
						fill = tok.op + " " + strings.Join(tok.args, " ")
						v := nums(t, tok.args)
						switch {
						case tok.op == "k" && v[0] == 0 && v[1] == 0 && v[2] == 0 && v[3] == 1:
							pureK++
						case tok.op == "k" && (v[0] != 0 || v[1] != 0 || v[2] != 0):
							t.Errorf("text or code in process colour: %s", fill)
						case tok.op == "rg" && v[0] == 0 && v[1] == 0 && v[2] == 0, tok.op == "g" && v[0] == 0:
							t.Errorf("black in RGB or grey: %s", fill)
						}
					case tok.op == "re" && strings.HasSuffix(fill, "0.00 0.00 0.00 1.00") || tok.op == "re" && fill == "k 0 0 0 1":
						rects++
					case tok.op == "Tj" || tok.op == "TJ":
						if strings.HasPrefix(fill, "k") {
							text++
						}
					}
				}
				copies := map[qr.Layout]int{qr.LayoutTent: 2}[layout]
				if pureK == 0 || rects < runs*max(1, copies) || text == 0 {
					t.Errorf("%d operators 0 0 0 1 k, %d rectangles in pure K (the code has %d runs), %d texts in K", pureK, rects, runs, text)
				}
			})
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

type token struct {
	op   string
	args []string
}

// tokens splits a content stream into operators with their operands.
func tokens(s string) []token {
	var out []token
	var args []string
	for _, f := range strings.Fields(s) {
		if _, err := strconv.ParseFloat(f, 64); err == nil {
			args = append(args, f)
			continue
		}
		out = append(out, token{f, args})
		args = nil
	}
	return out
}

func nums(t *testing.T, args []string) []float64 {
	out := make([]float64, 4)
	for i, a := range args {
		if i < 4 {
			out[i], _ = strconv.ParseFloat(a, 64)
		}
	}
	return out
}

// contentStreams inflates every Flate stream of doc but the fonts' and
// joins them.
func contentStreams(t *testing.T, doc []byte) string {
	t.Helper()
	var out strings.Builder
	re := regexp.MustCompile(`(?s)<<([^>]*?)>>\s*stream\r?\n`)
	for _, m := range re.FindAllSubmatchIndex(doc, -1) {
		dict := string(doc[m[2]:m[3]])
		if strings.Contains(dict, "Length1") || strings.Contains(dict, "/Subtype") {
			continue // a font file or an image
		}
		body := doc[m[1]:]
		body = body[:bytes.Index(body, []byte("endstream"))]
		if strings.Contains(dict, "FlateDecode") {
			zr, err := zlib.NewReader(bytes.NewReader(body))
			if err != nil {
				continue
			}
			inflated, _ := io.ReadAll(zr)
			body = inflated
		}
		out.Write(body)
		out.WriteByte('\n')
	}
	return out.String()
}

// TestPosterFontsAreNamedSubsets asks poppler's pdffonts: both Go fonts are
// embedded as subsets, each named with a six-letter tag.
func TestPosterFontsAreNamedSubsets(t *testing.T) {
	pdffonts := testenv.Program(t, "pdffonts", "poppler-utils")
	for _, layout := range qr.Layouts() {
		file := filepath.Join(t.TempDir(), "poster.pdf")
		if err := os.WriteFile(file, poster(t, layout, qr.Letter), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdffonts, file).Output()
		if err != nil {
			t.Fatalf("pdffonts: %v", err)
		}
		for _, name := range []string{"Go-Regular", "Go-Bold"} {
			line := regexp.MustCompile(`(?m)^[A-Z]{6}\+` + name + `\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes`)
			if !line.Match(out) {
				t.Errorf("%s: %s not embedded as a named subset:\n%s", layout, name, out)
			}
		}
	}
}

// TestPosterTitleSurvivesUnicode reads the title back with pdfinfo: an
// emoji, accents and PDF syntax come back as they were.
func TestPosterTitleSurvivesUnicode(t *testing.T) {
	pdfinfo := testenv.Program(t, "pdfinfo", "poppler-utils")
	for _, layout := range qr.Layouts() {
		cmd := exec.Command(pdfinfo, "-")
		cmd.Stdin = bytes.NewReader(poster(t, layout, qr.A4))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdfinfo: %v", err)
		}
		if !bytes.Contains(out, []byte("Title:           "+unicodeTitle+"\n")) || !bytes.Contains(out, []byte("Creator:         technopolys\n")) {
			t.Errorf("%s: metadata\n%s", layout, out)
		}
	}
}

// TestWrapKeepsGuillemetsWithTheirWord: a line never starts with » nor
// ends with «, whatever the width.
func TestWrapKeepsGuillemetsWithTheirWord(t *testing.T) {
	name := "Salon techno « Québec » été : Montréal ?"
	// From the width of the longest unit kept together, « Québec », on:
	// narrower, a word is broken anyhow.
	for w := len([]rune("« Québec »")); w <= len([]rune(name)); w++ {
		lines := qr.WrapText(name, w)
		for _, l := range lines {
			if strings.HasPrefix(l, "»") || strings.HasSuffix(l, "«") || strings.HasPrefix(l, ":") || strings.HasPrefix(l, "?") {
				t.Fatalf("a line breaks at French punctuation: %q in %q", l, lines)
			}
		}
	}
}
