package qr_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os/exec"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/technopolys/technopolys/internal/badge/badgetest"
	"github.com/technopolys/technopolys/internal/qr"
	"github.com/technopolys/technopolys/internal/testenv"
)

const link = "https://technopolys.example/j/salon-2026"

// decode reads a QR code with gozxing, a Go port of ZXing: an independent
// decoder, not the encoder's own code.
func decode(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("does not decode: %v", err)
	}
	return res.GetText()
}

func mustCode(t *testing.T, level qr.Level, logo bool) *qr.Code {
	t.Helper()
	c, err := qr.New(link, level, logo)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPNGPixelsMatchDrawing reads the PNG of every level, with and without
// the logo, at the smallest allowed size, 128, 256 and 1024 px back with
// image/png: it is exactly that size, every pixel is the code drawn module
// by module (the mark included), and gozxing decodes it to the link.
// Writing the rows directly changes no pixel.
func TestPNGPixelsMatchDrawing(t *testing.T) {
	for _, level := range qr.Levels() {
		for _, logo := range []bool{false, true} {
			c := mustCode(t, level, logo)
			for _, size := range []int{c.MinSize(), 128, 256, 1024} {
				t.Run(fmt.Sprintf("%s-logo=%v-%d", level, logo, size), func(t *testing.T) {
					p, err := c.PNG(size)
					if err != nil {
						t.Fatal(err)
					}
					got, err := png.Decode(bytes.NewReader(p))
					if err != nil {
						t.Fatal(err)
					}
					if b := got.Bounds(); b.Dx() != size || b.Dy() != size {
						t.Fatalf("%dx%d, want exactly %dx%d", b.Dx(), b.Dy(), size, size)
					}
					want, err := c.DrawnImage(size)
					if err != nil {
						t.Fatal(err)
					}
					if n, at := differing(got, want); n != 0 {
						t.Fatalf("%d pixels differ from the drawing, the first at %v", n, at)
					}
					if text := decode(t, got); text != link {
						t.Fatalf("decodes to %q", text)
					}
				})
			}
		}
	}
}

// TestPNGChunks walks the PNG's chunks with a reader written from the PNG
// specification: the CRCs hold, and the header says 1-bit greyscale
// without the logo and 8-bit RGB with it.
func TestPNGChunks(t *testing.T) {
	for _, logo := range []bool{false, true} {
		p, err := mustCode(t, qr.M, logo).PNG(257)
		if err != nil {
			t.Fatal(err)
		}
		chunks, err := badgetest.Chunks(p)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, c := range chunks {
			types = append(types, c.Type)
		}
		if got := strings.Join(types, " "); got != "IHDR IDAT IEND" {
			t.Fatalf("logo=%v: chunks %s", logo, got)
		}
		want := []byte{0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0} // 257 × 257, 1-bit greyscale
		if logo {
			want[8], want[9] = 8, 2 // 8-bit RGB
		}
		if !bytes.Equal(chunks[0].Data, want) {
			t.Errorf("logo=%v: IHDR % x, want % x", logo, chunks[0].Data, want)
		}
	}
}

// differing counts the pixels where two images of the same bounds differ,
// and gives the first; -1 if the bounds differ.
func differing(a, b image.Image) (n int, first image.Point) {
	if a.Bounds() != b.Bounds() {
		return -1, image.Point{}
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				if n == 0 {
					first = image.Pt(x, y)
				}
				n++
			}
		}
	}
	return n, first
}

func TestLogoForcesH(t *testing.T) {
	if c := mustCode(t, qr.L, true); c.Level != qr.H {
		t.Errorf("logo at level %s", c.Level)
	}
}

func TestSizeBelowTwoPixelsPerModuleIsRefused(t *testing.T) {
	c := mustCode(t, qr.M, false)
	if _, err := c.PNG(c.MinSize() - 1); err == nil {
		t.Error("a size under 2 px per module was drawn")
	}
	if _, err := c.PNG(qr.MaxSize + 1); err == nil {
		t.Error("a size over the maximum was drawn")
	}
}

// rasterise renders an SVG with librsvg at its own size.
func rasterise(t *testing.T, svg []byte) image.Image {
	t.Helper()
	rsvg := testenv.Program(t, "rsvg-convert", "librsvg2-bin")
	cmd := exec.Command(rsvg, "--format", "png", "--background-color", "white")
	cmd.Stdin = bytes.NewReader(svg)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rsvg-convert: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestSVGRasterisedDecodes(t *testing.T) {
	for _, level := range qr.Levels() {
		for _, logo := range []bool{false, true} {
			for _, size := range []int{128, 256, 1024} {
				t.Run(fmt.Sprintf("%s-logo=%v-%d", level, logo, size), func(t *testing.T) {
					svg, err := mustCode(t, level, logo).SVG(size)
					if err != nil {
						t.Fatal(err)
					}
					img := rasterise(t, svg)
					if got := decode(t, img); got != link {
						t.Fatalf("decodes to %q", got)
					}
				})
			}
		}
	}
}

// TestPosterQRDecodesAt150dpi rasterises the poster's page with poppler's
// pdftoppm at 150 dpi, as a print proof would, and decodes the whole page.
func TestPosterQRDecodesAt150dpi(t *testing.T) {
	pdftoppm := testenv.Program(t, "pdftoppm", "poppler-utils")
	for _, paper := range qr.Papers() {
		for _, logo := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s-logo=%v", paper, logo), func(t *testing.T) {
				doc, err := mustCode(t, qr.M, logo).PDF(qr.Poster{Paper: paper, Title: hostileTitle,
					CallToAction: "Adhérez au mouvement technopolys", OtherCall: "Join the technopolys movement", Link: "technopolys.example/j/salon-2026"})
				if err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(pdftoppm, "-r", "150", "-png", "-singlefile")
				cmd.Stdin = bytes.NewReader(doc)
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("pdftoppm: %v", err)
				}
				page, err := png.Decode(bytes.NewReader(out))
				if err != nil {
					t.Fatal(err)
				}
				wantW := map[qr.Paper]int{qr.Letter: 1275, qr.A4: 1240}[paper] // 8.5 in, 210 mm at 150 dpi
				if w := page.Bounds().Dx(); w < wantW-2 || w > wantW+2 {
					t.Errorf("page is %d px wide at 150 dpi, want %d", w, wantW)
				}
				if got := decode(t, page); got != link {
					t.Fatalf("decodes to %q", got)
				}
				// The title lands in the document's metadata too: still text.
				info := exec.Command("pdfinfo", "-")
				info.Stdin = bytes.NewReader(doc)
				out, err = info.Output()
				if err != nil {
					t.Fatalf("pdfinfo: %v", err)
				}
				if !bytes.Contains(out, []byte("Title:           "+hostileTitle+"\n")) {
					t.Errorf("title in metadata: %s", out)
				}
			})
		}
	}
}

// hostileTitle holds what would break a PDF string or HTML if written raw.
const hostileTitle = `Salon (x) \ ) /Type /Evil <b>"techno"</b> & « Québec »`

func BenchmarkPNG(b *testing.B) {
	c, _ := qr.New(link, qr.M, false)
	for _, size := range []int{256, 1024} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.PNG(size); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPNGLogo draws the largest images the server makes: the logo
// adds the mark's anti-aliased colours to the two of the modules.
func BenchmarkPNGLogo(b *testing.B) {
	c, _ := qr.New(link, qr.H, true)
	for _, size := range []int{1024, qr.MaxSize} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.PNG(size); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSVG(b *testing.B) {
	c, _ := qr.New(link, qr.M, false)
	b.ReportAllocs()
	for b.Loop() {
		c.SVG(512)
	}
}

func BenchmarkPDF(b *testing.B) {
	c, _ := qr.New(link, qr.M, false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.PDF(qr.Poster{Title: "Salon", CallToAction: "Adhérez", OtherCall: "Join", Link: "x/j/salon"}); err != nil {
			b.Fatal(err)
		}
	}
}
