package badge

import (
	"bytes"
	"encoding/xml"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/technopolys/technopolys/internal/mark"
)

// SVG draws the badge as an SVG document. It holds no script, no event
// attribute and no external reference; every text that came from a user is
// escaped for XML.
//
// Its text is drawn as the embedded font's glyph outlines, placed where the
// PNG places its glyphs, so every renderer draws the PNG's geometry with
// whatever fonts it has, or none, and whatever minimum font size a reader
// set. Each glyph is defined once in <defs> and placed with <use>; its id
// names it, "r" (regular) or "b" (bold) and the rune in hexadecimal, so a
// reader can tell what a run says (badgetest does). The accessible name is
// the title and aria-label.
func (r *Renderer) SVG(b Badge, o Options) []byte {
	l := r.layout(b, o)
	light, dark := palettes[Light][b.Kind], palettes[Dark][b.Kind]
	pal := light
	if o.Theme == Dark {
		pal = dark
	}
	// Appended to one buffer as large as most badges: formatting each
	// element with fmt was most of an SVG's time.
	w := make([]byte, 0, 6<<10)
	title := esc(l.title)
	w = append(w, `<svg xmlns="http://www.w3.org/2000/svg"`...)
	if b.Assertion.ID != "" {
		w = append(w, ` xmlns:openbadges="http://openbadges.org"`...)
	}
	w = appendInt(append(w, ` width="`...), l.w)
	w = appendInt(append(w, `" height="`...), l.h)
	w = appendInt(append(w, `" viewBox="0 0 `...), l.w)
	w = appendInt(append(w, ' '), l.h)
	w = append(append(w, `" role="img" aria-label="`...), title...)
	w = append(append(append(w, `" xml:lang="`...), o.Lang...), `">`...)
	w = appendAssertion(w, b.Assertion)
	w = append(append(append(w, `<title>`...), title...), `</title>`...)
	if o.Theme == Auto {
		w = appendHex(append(w, `<style>@media (prefers-color-scheme:dark){.lb{fill:`...), dark.LabelBg)
		w = appendHex(append(w, `}.lf{fill:`...), dark.LabelFg)
		w = appendHex(append(w, `}.mk{fill:`...), dark.Mark)
		w = appendHex(append(w, `}.mb{fill:`...), dark.MessageBg)
		w = appendHex(append(w, `}.mf{fill:`...), dark.MessageFg)
		w = append(w, `}}</style>`...)
	}
	spec := l.spec
	if len(spec.overlay) > 0 {
		w = append(w, `<linearGradient id="o" x2="0" y2="1">`...)
		for _, s := range spec.overlay {
			c := "#000"
			if s.white {
				c = "#fff"
			}
			w = appendNum(append(w, `<stop offset="`...), s.offset)
			w = append(append(append(w, `" stop-color="`...), c...), `" stop-opacity="`...)
			w = append(appendNum(w, s.opacity), `"/>`...)
		}
		w = append(w, `</linearGradient>`...)
	}
	w = appendInt(append(w, `<clipPath id="r"><rect width="`...), l.w)
	w = appendInt(append(w, `" height="`...), l.h)
	w = appendNum(append(w, `" rx="`...), spec.radius)
	w = append(w, `" fill="#fff"/></clipPath>`...)
	w = r.appendDefs(w, spec.size, l.label, l.message)
	w = appendInt(append(w, `<g clip-path="url(#r)"><rect class="lb" width="`...), l.split)
	w = appendInt(append(w, `" height="`...), l.h)
	w = appendHex(append(w, `" fill="`...), pal.LabelBg)
	w = appendInt(append(w, `"/><rect class="mb" x="`...), l.split)
	w = appendInt(append(w, `" width="`...), l.w-l.split)
	w = appendInt(append(w, `" height="`...), l.h)
	w = appendHex(append(w, `" fill="`...), pal.MessageBg)
	w = append(w, `"/>`...)
	if len(spec.overlay) > 0 {
		w = appendInt(append(w, `<rect width="`...), l.w)
		w = appendInt(append(w, `" height="`...), l.h)
		w = append(w, `" fill="url(#o)"/>`...)
	}
	if l.progress >= 0 {
		w = appendInt(append(w, `<rect y="`...), l.h-barHeight)
		w = appendInt(append(w, `" width="`...), l.w)
		w = appendInt(append(w, `" height="`...), barHeight)
		w = appendInt(append(w, `" fill="#000" fill-opacity="0.35"/><rect y="`...), l.h-barHeight)
		w = appendNum(append(w, `" width="`...), l.bar)
		w = appendInt(append(w, `" height="`...), barHeight)
		w = appendHex(append(w, `" fill="`...), progressBar)
		w = append(w, `"/>`...)
	}
	w = append(w, `</g>`...)
	w = appendHex(append(w, `<path class="mk" fill="`...), pal.Mark)
	w = appendNum(append(w, `" transform="translate(`...), l.markX)
	w = appendNum(append(w, ' '), l.markY)
	w = appendNum(append(w, `) scale(`...), spec.mark/mark.ViewBox)
	w = append(append(append(w, `)" d="`...), r.mark.D...), `"/>`...)
	w = appendNum(append(w, `<g transform="translate(0 `...), spec.baseline)
	w = append(w, `)">`...)
	w = r.appendRun(w, "lf", l.label, pal.LabelFg, spec.size)
	w = r.appendRun(w, "mf", l.message, pal.MessageFg, spec.size)
	return append(w, `</g></svg>`...)
}

// appendAssertion bakes the assertion directly after the opening <svg> tag,
// as the Open Badges 2.0 baking specification places it: the JSON in CDATA,
// the hosted URL in verify.
func appendAssertion(w []byte, a Assertion) []byte {
	if a.ID == "" {
		return w
	}
	w = append(append(w, `<openbadges:assertion verify="`...), esc(a.ID)...)
	w = append(append(w, `"><![CDATA[`...), cdataJSON.Replace(a.JSON)...)
	return append(w, `]]></openbadges:assertion>`...)
}

// cdataJSON writes JSON so that it is safe in CDATA and means the same to a
// JSON reader: ">" (so no "]]>" ends the CDATA early) and the two
// characters XML forbids that JSON leaves raw become \u escapes, which is
// right because in valid JSON they can only stand inside a string. JSON
// has no raw control character to worry about.
var cdataJSON = strings.NewReplacer(">", `\u003e`, "\uFFFE", `\ufffe`, "\uFFFF", `\uffff`)

// appendDefs defines each glyph with ink that the runs use, once. A badge
// has a few dozen distinct glyphs, so a slice searched from the start finds
// a repeat sooner than a map is built.
func (r *Renderer) appendDefs(w []byte, size float64, runs ...run) []byte {
	w = append(w, `<defs>`...)
	seen := make([]*glyphDef, 0, 48)
	for _, t := range runs {
		for _, ch := range t.text {
			g := r.outlines.get(t.face, size, ch)
			if g.path == "" || slices.Contains(seen, g) {
				continue
			}
			seen = append(seen, g)
			w = append(w, g.path...)
		}
	}
	return append(w, `</defs>`...)
}

// appendRun places a run's glyphs at the layout's positions, the PNG's, on
// the baseline the enclosing group moved to. The class lets theme=auto's
// style recolour the fill.
func (r *Renderer) appendRun(w []byte, class string, t run, c color.NRGBA, size float64) []byte {
	w = append(append(append(w, `<g class="`...), class...), `" fill="`...)
	w = append(appendHex(w, c), `">`...)
	for ch, x := range t.glyphs() {
		if g := r.outlines.get(t.face, size, ch); g.path != "" {
			w = append(append(append(w, `<use href="#`...), g.id...), `" x="`...)
			w = append(appendNum(w, x), `"/>`...)
		}
	}
	return append(w, `</g>`...)
}

// glyphID names a glyph's definition by face and rune.
func glyphID(f *typeface, ch rune) string {
	p := "r"
	if f.weight == "bold" {
		p = "b"
	}
	return p + strconv.FormatInt(int64(ch), 16)
}

// esc escapes text for XML, in element content and attributes alike;
// characters XML cannot hold become U+FFFD.
func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// appendNum writes a coordinate with at most two decimals.
func appendNum(w []byte, v float64) []byte {
	return strconv.AppendFloat(w, math.Round(v*100)/100, 'f', -1, 64)
}

func appendInt(w []byte, v int) []byte { return strconv.AppendInt(w, int64(v), 10) }

// appendHex writes a colour as #RRGGBB.
func appendHex(w []byte, c color.NRGBA) []byte {
	const digits = "0123456789ABCDEF"
	return append(w, '#', digits[c.R>>4], digits[c.R&15], digits[c.G>>4], digits[c.G&15], digits[c.B>>4], digits[c.B&15])
}
