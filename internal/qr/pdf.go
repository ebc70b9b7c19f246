package qr

import (
	"fmt"
	"image/color"

	"github.com/fogleman/gg"
	"github.com/signintech/gopdf"

	"github.com/technopolys/technopolys/assets"
)

// Paper is a poster's page size.
type Paper string

// The papers a poster comes on: Letter by default, as Québec prints.
const (
	Letter Paper = "letter"
	A4     Paper = "a4"
)

// Papers lists the papers, default first.
func Papers() []Paper { return []Paper{Letter, A4} }

// Poster is the text of a one-page poster around the code, in the
// poster's language (the second call to action in the other one).
type Poster struct {
	Paper        Paper
	Title        string // the event's name
	Details      string // date and place
	CallToAction string
	OtherCall    string // the call to action in the other language
	Hint         string // "scan the code or type the address"
	Link         string // the short link, as text for those who cannot scan
}

// PosterQRWidth is the printed width of the code, quiet zone included:
// 10 cm, above the 8 cm a phone reads from a few steps away.
const PosterQRWidth = 100 / 25.4 * 72 // points

// PDF lays out a one-page poster with the code drawn as vector rectangles
// and the embedded Go fonts, so accents print. Text is set through the
// font's glyphs, so nothing in it can become PDF syntax.
func (c *Code) PDF(p Poster) ([]byte, error) {
	size := *gopdf.PageSizeLetter
	if p.Paper == A4 {
		size = *gopdf.PageSizeA4
	}
	var pdf gopdf.GoPdf
	pdf.Start(gopdf.Config{PageSize: size, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: p.Title, Creator: "technopolys"})
	for name, file := range map[string]string{"regular": "fonts/Go-Regular.ttf", "bold": "fonts/Go-Bold.ttf"} {
		data, err := assets.FS.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if err := pdf.AddTTFFontData(name, data); err != nil {
			return nil, fmt.Errorf("poster font: %w", err)
		}
	}
	pdf.AddPage()
	l := &poster{pdf: &pdf, width: size.W, margin: 54, y: 54}

	l.text("bold", 20, brand, "technopolys")
	l.y += 18
	if err := l.wrapped("bold", 34, dark, p.Title, 3); err != nil {
		return nil, err
	}
	if p.Details != "" {
		l.text("regular", 16, grey, p.Details)
	}
	l.y += 14
	l.text("bold", 26, brand, p.CallToAction)
	l.text("regular", 16, grey, p.OtherCall)
	l.y += 14
	if err := c.drawVector(&pdf, (size.W-PosterQRWidth)/2, l.y, PosterQRWidth); err != nil {
		return nil, err
	}
	l.y += PosterQRWidth + 10
	l.text("regular", 14, grey, p.Hint)
	l.text("bold", 20, dark, p.Link)
	if err := l.err; err != nil {
		return nil, err
	}
	return pdf.GetBytesPdf(), nil
}

var grey = color.NRGBA{0x44, 0x4c, 0x5a, 0xff}

// poster places lines of centred text down the page.
type poster struct {
	pdf           *gopdf.GoPdf
	width, margin float64
	y             float64
	err           error
}

func (l *poster) text(font string, size float64, c color.Color, s string) {
	if l.err != nil {
		return
	}
	if l.err = l.pdf.SetFont(font, "", size); l.err != nil {
		return
	}
	r, g, b, _ := c.RGBA()
	l.pdf.SetTextColor(uint8(r>>8), uint8(g>>8), uint8(b>>8))
	l.pdf.SetXY(l.margin, l.y)
	l.err = l.pdf.CellWithOption(&gopdf.Rect{W: l.width - 2*l.margin, H: size * 1.25}, s, gopdf.CellOption{Align: gopdf.Center | gopdf.Top})
	l.y += size * 1.3
}

// wrapped sets text on at most maxLines lines, smaller when it needs more.
func (l *poster) wrapped(font string, size float64, c color.Color, s string, maxLines int) error {
	for ; size > 12; size -= 2 {
		if err := l.pdf.SetFont(font, "", size); err != nil {
			return err
		}
		lines, err := l.pdf.SplitTextWithWordWrap(s, l.width-2*l.margin)
		if err != nil {
			return err
		}
		if len(lines) <= maxLines || size <= 14 {
			for _, line := range lines[:min(len(lines), maxLines)] {
				l.text(font, size, c, line)
			}
			return l.err
		}
	}
	return nil
}

// drawVector draws the code's dark modules as filled rectangles, one per
// run, width points wide with the quiet zone, its top-left at (x, y). The
// logo, if any, is a high-resolution image on its plate.
func (c *Code) drawVector(pdf *gopdf.GoPdf, x, y, width float64) error {
	k := width / float64(c.Modules())
	pdf.SetFillColor(0, 0, 0)
	for _, r := range c.runs() {
		pdf.RectFromUpperLeftWithStyle(x+float64(r.x+QuietZone)*k, y+float64(r.y+QuietZone)*k, float64(r.length)*k, k, "F")
	}
	if !c.logo {
		return nil
	}
	m, err := loadMark()
	if err != nil {
		return err
	}
	at, side := c.plateRect()
	inner := float64(side-2*markMargin) * k
	dc := gg.NewContext(512, 512)
	dc.SetColor(light)
	dc.Clear()
	dc.SetColor(brand)
	m.Draw(dc, 0, 0, 512)
	origin := float64(at+QuietZone+markMargin) * k
	return pdf.ImageFrom(dc.Image(), x+origin, y+origin, &gopdf.Rect{W: inner, H: inner})
}
