package qr

import (
	"crypto/sha256"
	"fmt"
	"image/color"
	"strings"

	"github.com/fogleman/gg"
	"github.com/signintech/gopdf"

	"github.com/technopolys/technopolys/assets"
	"github.com/technopolys/technopolys/internal/glyphs"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/mark"
)

// Paper is a poster's paper family: Letter by default, as Québec prints,
// or ISO A4. The large layout takes the family's larger sheet.
type Paper string

// The papers a poster comes on.
const (
	Letter Paper = "letter"
	A4     Paper = "a4"
)

// Papers lists the papers, default first.
func Papers() []Paper { return []Paper{Letter, A4} }

// Layout is what is printed on the sheet.
type Layout string

// The layouts, default first: a one-page poster; a table tent (the sheet
// folded across its middle stands on a table, one face each way); and a
// large poster on 11 × 17 in (Letter's family) or A3 (A4's).
const (
	LayoutPoster Layout = "poster"
	LayoutTent   Layout = "tent"
	LayoutLarge  Layout = "large"
)

// Layouts lists the layouts, default first.
func Layouts() []Layout { return []Layout{LayoutPoster, LayoutTent, LayoutLarge} }

// PageSize is the sheet a layout prints on from a paper family, in points.
func PageSize(l Layout, p Paper) gopdf.Rect {
	switch {
	case l == LayoutLarge && p == A4:
		return *gopdf.PageSizeA3
	case l == LayoutLarge:
		return gopdf.Rect{W: 11 * 72, H: 17 * 72}
	case p == A4:
		return *gopdf.PageSizeA4
	}
	return *gopdf.PageSizeLetter
}

// Poster is the text of a printed sheet around the code, in the poster's
// language (the second call to action in the other one).
type Poster struct {
	Paper        Paper
	Layout       Layout
	Title        string // the event's name
	Details      string // date and place
	CallToAction string
	OtherCall    string // the call to action in the other language
	Hint         string // "scan the code or type the address"
	Link         string // the short link, as text for those who cannot scan
	Fold         string // "fold here", on the table tent's fold line
}

// PosterQRWidth is the printed width of the code, quiet zone included:
// 10 cm, above the 8 cm a phone reads from a few steps away. Every layout
// prints it at that size.
const PosterQRWidth = 100 / 25.4 * 72 // points

// The poster's colours. Black is pure K (CMYK 0, 0, 0, 100) for the code
// and the text, so a press prints it with one plate and no fringe; grey
// text is a tint of K. The band takes the badge's blues.
var (
	bandBlue = color.NRGBA{0x00, 0x3d, 0xa5, 0xff} // Québec blue, the badge's brand
	skyBlue  = color.NRGBA{0x9c, 0xc0, 0xff, 0xff} // the badge's dark-theme blue
	mistBlue = color.NRGBA{0xe8, 0xed, 0xf5, 0xff} // the badge's label background
	white    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

// Pure-K tints, in per cent of K.
const (
	inkBlack = 100
	inkGrey  = 72
	inkFold  = 45
)

// PDF lays out the sheet with the code drawn as vector rectangles in pure
// K, the mark as vector outlines, and the embedded Go fonts as subsets
// named as such (ABCDEF+Go-Regular). Text is set through the font's glyphs,
// so nothing in it can become PDF syntax; characters the fonts lack are
// left out (event validation refuses them, so only a name stored before
// it can hold one). The document's title is the event's name whatever it
// holds, written as UTF-16.
func (c *Code) PDF(p Poster) ([]byte, error) {
	if p.Layout == "" {
		p.Layout = LayoutPoster
	}
	size := PageSize(p.Layout, p.Paper)
	var pdf gopdf.GoPdf
	pdf.Start(gopdf.Config{PageSize: size, Unit: gopdf.UnitPT})
	s := &sheet{pdf: &pdf, w: size.W, h: size.H}
	tag := subsetTag(p)
	for i, f := range []struct{ name, file string }{{"Go-Regular", glyphs.Fonts[0]}, {"Go-Bold", glyphs.Fonts[1]}} {
		data, err := assets.FS.ReadFile(f.file)
		if err != nil {
			return nil, err
		}
		// gopdf embeds only the glyphs used but names the font as it is
		// given: the tag says it is a subset, as PDF asks (ISO 32000 9.6.4).
		family := tag[i] + "+" + f.name
		if err := pdf.AddTTFFontData(family, data); err != nil {
			return nil, fmt.Errorf("poster font: %w", err)
		}
		s.fonts[i] = family
	}
	var err error
	s.mark, err = loadMark()
	if err != nil {
		return nil, err
	}
	title := p.Title
	p = printable(p)
	pdf.AddPage()
	switch p.Layout {
	case LayoutTent:
		err = s.tent(c, p)
	case LayoutPoster, LayoutLarge:
		err = s.poster(c, p)
	default:
		err = fmt.Errorf("qr: unknown layout %q", p.Layout)
	}
	if err == nil {
		err = s.err
	}
	if err != nil {
		return nil, err
	}
	doc, err := pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, err
	}
	return withInfo(doc, title, "technopolys")
}

// printable is the poster's text as the fonts set it (glyphs.Printable),
// runs of spaces made one (no-break spaces kept).
func printable(p Poster) Poster {
	for _, f := range []*string{&p.Title, &p.Details, &p.CallToAction, &p.OtherCall, &p.Hint, &p.Link, &p.Fold} {
		*f = strings.Join(strings.FieldsFunc(glyphs.Printable(*f), func(r rune) bool { return r == ' ' }), " ")
	}
	return p
}

// subsetTag is six capital letters for each font, drawn from the text, so
// the same poster always comes out the same and two subsets differ.
func subsetTag(p Poster) [2]string {
	sum := sha256.Sum256([]byte(strings.Join([]string{string(p.Layout), string(p.Paper), p.Title, p.Details, p.CallToAction, p.OtherCall, p.Hint, p.Link, p.Fold}, "\x00")))
	var out [2]string
	for i := range out {
		var b [6]byte
		for j := range b {
			b[j] = 'A' + sum[i*6+j]%26
		}
		out[i] = string(b[:])
	}
	return out
}

// sheet draws on one page, top-down in points.
type sheet struct {
	pdf   *gopdf.GoPdf
	w, h  float64
	fonts [2]string // regular, bold
	mark  *mark.Mark
	err   error
}

const (
	regular = 0
	bold    = 1
)

func (s *sheet) fillRGB(c color.NRGBA) { s.pdf.SetFillColor(c.R, c.G, c.B) }

func (s *sheet) rect(x, y, w, h float64, c color.NRGBA) {
	s.fillRGB(c)
	s.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// drawMark fills the mark, side wide, its top-left at (x, y).
func (s *sheet) drawMark(x, y, side float64, c color.NRGBA) {
	s.fillRGB(c)
	for _, poly := range s.mark.Polygons(x, y, side) {
		pts := make([]gopdf.Point, len(poly))
		for i, p := range poly {
			pts[i] = gopdf.Point{X: p[0], Y: p[1]}
		}
		s.pdf.Polygon(pts, "F")
	}
}

// ink is a text colour: a tint of K, or an RGB colour when rgb is set.
type ink struct {
	k   uint8
	rgb *color.NRGBA
}

func (s *sheet) setFont(font int, size float64) {
	if s.err == nil {
		s.err = s.pdf.SetFont(s.fonts[font], "", size)
	}
}

func (s *sheet) width(font int, size float64, text string) float64 {
	s.setFont(font, size)
	if s.err != nil {
		return 0
	}
	w, err := s.pdf.MeasureTextWidth(text)
	if err != nil {
		s.err = err
	}
	return w
}

// line sets one line of text in a box w wide whose top is y, aligned
// left or centred.
func (s *sheet) line(font int, size float64, c ink, x, y, w float64, align int, text string) {
	s.setFont(font, size)
	if s.err != nil || text == "" {
		return
	}
	if c.rgb != nil {
		s.pdf.SetTextColor(c.rgb.R, c.rgb.G, c.rgb.B)
	} else {
		s.pdf.SetTextColorCMYK(0, 0, 0, c.k)
	}
	s.pdf.SetXY(x, y)
	s.err = s.pdf.CellWithOption(&gopdf.Rect{W: w, H: size * lineHeight}, text, gopdf.CellOption{Align: align | gopdf.Top})
}

// lineHeight is the leading, as a share of the font size.
const lineHeight = 1.18

// text is a paragraph fitted to a box: its lines, font and size.
type text struct {
	font  int
	size  float64
	c     ink
	lines []string
}

func (t text) height() float64 { return float64(len(t.lines)) * t.size * lineHeight }

// fit wraps s at the largest size from max down to min that sets it on at
// most maxLines lines of w and within maxH; at min it keeps maxLines
// lines, the last ending in an ellipsis.
func (s *sheet) fit(font int, c ink, str string, w, maxH, max, min float64, maxLines int) text {
	t := text{font: font, c: c}
	if str == "" {
		return t
	}
	for size := max; ; size *= 0.95 {
		if size <= min {
			size = min
		}
		t.size = size
		t.lines = s.wrap(font, size, str, w)
		if (len(t.lines) <= maxLines && t.height() <= maxH) || size == min {
			break
		}
	}
	if len(t.lines) > maxLines {
		t.lines = t.lines[:maxLines]
		last := []rune(t.lines[maxLines-1])
		for len(last) > 0 && s.width(font, t.size, string(last)+"…") > w {
			last = last[:len(last)-1]
		}
		t.lines[maxLines-1] = strings.TrimSpace(string(last)) + "…"
	}
	return t
}

// wrap breaks str into lines of at most w at spaces (not at no-break
// spaces, nor at those locale.KeepTogether binds), and inside a word only when the
// word alone is wider.
func (s *sheet) wrap(font int, size float64, str string, w float64) []string {
	return wrapText(str, w, func(t string) float64 { return s.width(font, size, t) })
}

// wrapText is wrap with the width of a text measured by width.
func wrapText(str string, w float64, width func(string) float64) []string {
	str = locale.KeepTogether(str)
	var lines []string
	cur := ""
	for _, word := range strings.Split(str, " ") {
		if word == "" {
			continue
		}
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if width(try) <= w {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = ""
		for _, r := range word { // a word wider than the line: break it
			if cur != "" && width(cur+string(r)) > w {
				lines = append(lines, cur)
				cur = ""
			}
			cur += string(r)
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// draw sets a fitted paragraph with its top at y.
func (s *sheet) draw(t text, x, y, w float64, align int) {
	for i, l := range t.lines {
		s.line(t.font, t.size, t.c, x, y+float64(i)*t.size*lineHeight, w, align, l)
	}
}

// band is the brand's header: the mark and the wordmark in white on
// Québec blue, over a lighter stripe; x is where the mark starts.
func (s *sheet) band(x, y, w, h float64) {
	s.rect(0, y, s.w, h, bandBlue)
	s.rect(0, y+h, s.w, h*0.08, skyBlue)
	side := h * 0.64
	s.drawMark(x, y+(h-side)/2, side, white)
	size := h * 0.36
	s.line(bold, size, ink{rgb: &white}, x+side+h*0.22, y+(h-size*lineHeight)/2+size*0.06, w, gopdf.Left, "technopolys")
}

// block is one piece of a column, drawn with its top at y.
type block struct {
	h    float64
	draw func(y float64)
}

// stack draws blocks down from top to bottom, the space left over shared
// evenly between them and the ends, so the column fills its height.
func stack(top, bottom float64, blocks []block) {
	var used float64
	for _, b := range blocks {
		used += b.h
	}
	gap := max(0, (bottom-top-used)/float64(len(blocks)+1))
	y := top + gap
	for _, b := range blocks {
		b.draw(y)
		y += b.h + gap
	}
}

// poster lays out a portrait poster: the band at the top, the event's name
// as large as it fits, the call to action, the code, the link, and a
// footer band with the call in the other language; every piece in
// proportion to the sheet, the code at 10 cm.
func (s *sheet) poster(c *Code, p Poster) error {
	u := s.w / 612 // one point of a Letter poster
	m := 44 * u
	colW := s.w - 2*m
	bandH := 0.12 * s.h
	s.band(m, 0, colW, bandH)
	footH := 0.075 * s.h
	s.rect(0, s.h-footH, s.w, footH, bandBlue)
	s.rect(0, s.h-footH-footH*0.1, s.w, footH*0.1, skyBlue)
	other := s.fit(regular, ink{rgb: &white}, p.OtherCall, colW, footH*0.7, 20*u, 10*u, 1)
	s.draw(other, m, s.h-footH+(footH-other.height())/2, colW, gopdf.Center)

	top, bottom := bandH*1.08+14*u, s.h-footH*1.1-14*u
	details := s.fit(regular, ink{k: inkGrey}, p.Details, colW, 60*u, 17*u, 11*u, 2)
	cta := s.fit(bold, ink{rgb: &bandBlue}, p.CallToAction, colW, 70*u, 28*u, 14*u, 2)
	hint := s.fit(regular, ink{k: inkGrey}, p.Hint, colW, 40*u, 14*u, 9*u, 1)
	link := s.fit(bold, ink{k: inkBlack}, p.Link, colW, 40*u, 24*u, 9*u, 1)
	fixed := details.height() + cta.height() + PosterQRWidth + hint.height() + link.height() + 6*16*u
	title := s.fit(bold, ink{k: inkBlack}, p.Title, colW, bottom-top-fixed, 60*u, 18*u, 3)
	blocks := []block{
		{title.height() + details.height() + 6*u, func(y float64) {
			s.draw(title, m, y, colW, gopdf.Center)
			s.draw(details, m, y+title.height()+6*u, colW, gopdf.Center)
		}},
		{cta.height(), func(y float64) { s.draw(cta, m, y, colW, gopdf.Center) }},
		{PosterQRWidth, func(y float64) {
			if err := c.drawVector(s.pdf, (s.w-PosterQRWidth)/2, y, PosterQRWidth); err != nil && s.err == nil {
				s.err = err
			}
		}},
		{hint.height() + link.height(), func(y float64) {
			s.draw(hint, m, y, colW, gopdf.Center)
			s.draw(link, m, y+hint.height(), colW, gopdf.Center)
		}},
	}
	stack(top, bottom, blocks)
	return s.err
}

// tent lays out a table tent: the sheet folded across its middle stands
// on a table as a roof, so each half is a face, the top one drawn upside
// down so it reads the right way up once folded; the fold is a dashed
// line. Each face has the band at the fold, the name and calls on the
// left and the code at 10 cm on the right.
func (s *sheet) tent(c *Code, p Poster) error {
	half := s.h / 2
	// The top half turned half a turn about its centre: its top lands on
	// the fold, like the bottom half's.
	s.pdf.Rotate(180, s.w/2, half/2)
	s.face(c, p, 0, half)
	s.pdf.RotateReset()
	s.face(c, p, half, half)

	s.pdf.SetStrokeColorCMYK(0, 0, 0, inkFold)
	s.pdf.SetLineWidth(0.75)
	s.pdf.SetCustomLineType([]float64{6, 4}, 0)
	s.pdf.Line(0, half, s.w, half)
	s.pdf.SetLineType("")
	s.line(regular, 7, ink{rgb: &white}, 12, half+3, s.w-24, gopdf.Right, p.Fold)
	return s.err
}

// face is one face of the tent, top at y0, h high, its top at the fold.
func (s *sheet) face(c *Code, p Poster, y0, h float64) {
	u := s.w / 612
	m := 36 * u
	bandH := 0.13 * h
	s.band(m, y0, s.w-2*m, bandH)
	s.rect(0, y0+h-6*u, s.w, 6*u, skyBlue) // the sheet's edge, on the table

	top, bottom := y0+bandH*1.08, y0+h-6*u
	qrX := s.w - m - PosterQRWidth
	s.err = cmpErr(s.err, c.drawVector(s.pdf, qrX, top+(bottom-top-PosterQRWidth)/2, PosterQRWidth))
	colW := qrX - m - 10*u
	details := s.fit(regular, ink{k: inkGrey}, p.Details, colW, 40*u, 11*u, 8*u, 2)
	cta := s.fit(bold, ink{rgb: &bandBlue}, p.CallToAction, colW, 50*u, 17*u, 10*u, 2)
	other := s.fit(regular, ink{k: inkGrey}, p.OtherCall, colW, 30*u, 11*u, 8*u, 2)
	hint := s.fit(regular, ink{k: inkGrey}, p.Hint, colW, 30*u, 10*u, 7*u, 2)
	link := s.fit(bold, ink{k: inkBlack}, p.Link, colW, 30*u, 14*u, 7*u, 1)
	fixed := details.height() + cta.height() + other.height() + hint.height() + link.height() + 5*8*u
	title := s.fit(bold, ink{k: inkBlack}, p.Title, colW, bottom-top-fixed, 32*u, 12*u, 4)
	stack(top, bottom, []block{
		{title.height() + details.height() + 3*u, func(y float64) {
			s.draw(title, m, y, colW, gopdf.Left)
			s.draw(details, m, y+title.height()+3*u, colW, gopdf.Left)
		}},
		{cta.height() + other.height(), func(y float64) {
			s.draw(cta, m, y, colW, gopdf.Left)
			s.draw(other, m, y+cta.height(), colW, gopdf.Left)
		}},
		{hint.height() + link.height(), func(y float64) {
			s.draw(hint, m, y, colW, gopdf.Left)
			s.draw(link, m, y+hint.height(), colW, gopdf.Left)
		}},
	})
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// drawVector draws the code's dark modules as filled rectangles in pure K,
// one per run, width points wide with the quiet zone, its top-left at
// (x, y). The logo, if any, is a high-resolution image on its plate.
func (c *Code) drawVector(pdf *gopdf.GoPdf, x, y, width float64) error {
	k := width / float64(c.Modules())
	pdf.SetFillColorCMYK(0, 0, 0, inkBlack)
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
