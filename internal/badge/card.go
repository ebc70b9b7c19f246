package badge

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"unicode/utf8"

	"github.com/fogleman/gg"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// CardWidth and CardHeight are a link preview's size (Open Graph's
// recommended 1.91:1), which every site that unfurls links crops least.
const (
	CardWidth  = 1200
	CardHeight = 630
)

// Card is the content of a link preview: the image a shared link to one of
// our pages shows. Title is drawn large and wraps to at most three lines,
// the last one cut with an ellipsis; Lead and Note are single lines below.
type Card struct {
	Title, Lead, Note string
	// Footer is the small line at the bottom (the site's host).
	Footer string
	// Muted draws the card in greys, for an address that is no member.
	Muted bool
}

// The card's colours: the badge's Québec blue, the dark theme's lighter
// blue for the leads, all AA on the background.
var (
	cardBg      = rgb(0x003DA5)
	cardBand    = rgb(0x002A73)
	cardText    = rgb(0xFFFFFF)
	cardLead    = rgb(0xDCE6F7)
	cardMutedBg = rgb(0x3A4250)
	cardMutedBd = rgb(0x2A303A)
)

// Geometry of the card, in pixels.
const (
	cardPad       = 80
	cardMark      = 88
	cardBrandSize = 48
	cardLeadSize  = 38
	cardNoteSize  = 30
	cardFootSize  = 26
	cardBandH     = 70
	cardMaxLines  = 3
)

// cardBrand is the wordmark beside the mark, the same in every language.
const cardBrand = "technopolys"

// cardTitleSizes are the title's sizes, tried largest first until the
// title fits in cardMaxLines lines.
var cardTitleSizes = []float64{76, 64, 54}

// CardPNG draws a link preview, CardWidth × CardHeight. Characters the
// embedded font lacks are drawn as '?', as on badges.
func (r *Renderer) CardPNG(c Card) ([]byte, error) {
	bg, band := cardBg, cardBand
	if c.Muted {
		bg, band = cardMutedBg, cardMutedBd
	}
	dc := gg.NewContext(CardWidth, CardHeight)
	faces := cardFaces{}
	dst := dc.Image().(*image.RGBA)
	draw.Draw(dst, dst.Rect, image.NewUniform(bg), image.Point{}, draw.Src)
	draw.Draw(dst, image.Rect(0, CardHeight-cardBandH, CardWidth, CardHeight), image.NewUniform(band), image.Point{}, draw.Src)

	// The mark large and faint on the right, then small beside the name.
	dc.SetColor(color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0x1A})
	r.mark.Draw(dc, CardWidth-470, 70, 440)
	dc.SetColor(cardText)
	r.mark.Draw(dc, cardPad-8, cardPad-10, cardMark)
	r.drawText(dst, faces, r.bold, cardBrandSize, cardPad+cardMark+12, cardPad+50, cardBrand, cardText)

	width := float64(CardWidth - 2*cardPad)
	size, lines := r.fitTitle(c.Title, width)
	y := 250.0
	for _, line := range lines {
		r.drawText(dst, faces, r.bold, size, cardPad, y, line, cardText)
		y += size * 1.18
	}
	y += 14
	if c.Lead != "" {
		r.drawText(dst, faces, r.regular, cardLeadSize, cardPad, y, r.ellipsize(r.regular, cardLeadSize, c.Lead, width), cardLead)
		y += cardLeadSize * 1.4
	}
	if c.Note != "" {
		r.drawText(dst, faces, r.regular, cardNoteSize, cardPad, y, r.ellipsize(r.regular, cardNoteSize, c.Note, width), cardLead)
	}
	if c.Footer != "" {
		r.drawText(dst, faces, r.regular, cardFootSize, cardPad, CardHeight-cardBandH/2+cardFootSize*0.36,
			r.ellipsize(r.regular, cardFootSize, c.Footer, width), cardLead)
	}

	buf := r.buffers.Get().(*bytes.Buffer)
	defer r.buffers.Put(buf)
	buf.Reset()
	if err := r.encoder.Encode(buf, dst); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// fitTitle picks the largest title size at which the title fits in
// cardMaxLines lines of width, and wraps it; at the smallest size, what
// does not fit is cut with an ellipsis.
func (r *Renderer) fitTitle(title string, width float64) (float64, []string) {
	for _, size := range cardTitleSizes[:len(cardTitleSizes)-1] {
		if lines, cut := r.wrap(r.bold, size, title, width, cardMaxLines); !cut {
			return size, lines
		}
	}
	size := cardTitleSizes[len(cardTitleSizes)-1]
	lines, _ := r.wrap(r.bold, size, title, width, cardMaxLines)
	return size, lines
}

// wrap breaks text into lines no wider than width, between words, and
// inside a word only when the word alone is wider than a line. Past
// maxLines lines, the last kept one ends with an ellipsis and cut is true.
func (r *Renderer) wrap(t *typeface, size float64, text string, width float64, maxLines int) (lines []string, cut bool) {
	fits := func(s string) bool { return sum(t.advances(s, size, 0)) <= width }
	var line string
	for _, word := range words(text) {
		candidate := word
		if line != "" {
			candidate = line + " " + word
		}
		if fits(candidate) {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = word
		for !fits(line) {
			head := breakWord(line, fits)
			lines = append(lines, head)
			line = line[len(head):]
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) <= maxLines {
		return lines, false
	}
	lines = lines[:maxLines]
	lines[maxLines-1] = r.ellipsize(t, size, lines[maxLines-1]+"…", width)
	if !strings.HasSuffix(lines[maxLines-1], "…") {
		lines[maxLines-1] += "…"
	}
	return lines, true
}

// words splits text where a line may break: at spaces, but not inside
// French guillemets or before the punctuation French spaces off
// (« Acme », « : », « ? »), which would start or end a line alone.
func words(text string) []string {
	var out []string
	glue := false // the previous word opens a quote
	for _, w := range strings.Fields(text) {
		first, _ := utf8.DecodeRuneInString(w)
		if len(out) > 0 && (glue || strings.ContainsRune("»:;!?", first)) {
			out[len(out)-1] += " " + w
		} else {
			out = append(out, w)
		}
		glue = w == "«"
	}
	return out
}

// breakWord returns the longest start of word that fits (one rune at
// least).
func breakWord(word string, fits func(string) bool) string {
	runes := []rune(word)
	n := 1
	for n < len(runes) && fits(string(runes[:n+1])) {
		n++
	}
	return string(runes[:n])
}

// ellipsize cuts text to width, ending it with an ellipsis when it had to.
func (r *Renderer) ellipsize(t *typeface, size float64, text string, width float64) string {
	if sum(t.advances(text, size, 0)) <= width {
		return text
	}
	runes := []rune(strings.TrimSuffix(text, "…"))
	for len(runes) > 0 {
		s := strings.TrimRight(string(runes), " ") + "…"
		if sum(t.advances(s, size, 0)) <= width {
			return s
		}
		runes = runes[:len(runes)-1]
	}
	return "…"
}

// cardFaces are the faces one card is drawn with, by typeface and size.
// A card draws names, which may hold any character: its glyphs are
// rasterised for this card only, not kept in the badges' glyph cache,
// which would grow with every new character and size.
type cardFaces map[faceKey]font.Face

// drawText draws one line with its first glyph at x on baseline y, placed
// as a badge's run is (kerning, quarter pixels), '?' for a missing glyph.
func (r *Renderer) drawText(dst *image.RGBA, faces cardFaces, t *typeface, size, x, y float64, text string, c color.NRGBA) {
	k := faceKey{t, size}
	face, ok := faces[k]
	if !ok {
		var err error
		face, err = opentype.NewFace(t.f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return
		}
		faces[k] = face
	}
	src := image.NewUniform(c)
	adv := t.advances(text, size, 0)
	for ch, gx := range (run{text: text, x: x, advances: adv}).glyphs() {
		dot := fixed.Point26_6{X: fixed.Int26_6(gx*64 + 0.5), Y: fixed.Int26_6(y*64 + 0.5)}
		dr, mask, maskp, _, ok := face.Glyph(dot, ch)
		if !ok {
			dr, mask, maskp, _, ok = face.Glyph(dot, '?')
		}
		if ok && mask != nil {
			draw.DrawMask(dst, dr, src, image.Point{}, mask, maskp, draw.Over)
		}
	}
}
