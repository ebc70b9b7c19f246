package badge

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"math"
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
	var w bytes.Buffer
	ns := ""
	if b.Assertion.ID != "" {
		ns = ` xmlns:openbadges="http://openbadges.org"`
	}
	fmt.Fprintf(&w, `<svg xmlns="http://www.w3.org/2000/svg"%s width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" xml:lang="%s">`,
		ns, l.w, l.h, l.w, l.h, esc(l.title), o.Lang)
	writeAssertion(&w, b.Assertion)
	fmt.Fprintf(&w, `<title>%s</title>`, esc(l.title))
	if o.Theme == Auto {
		fmt.Fprintf(&w, `<style>@media (prefers-color-scheme:dark){.lb{fill:%s}.lf{fill:%s}.mk{fill:%s}.mb{fill:%s}.mf{fill:%s}}</style>`,
			hex(dark.LabelBg), hex(dark.LabelFg), hex(dark.Mark), hex(dark.MessageBg), hex(dark.MessageFg))
	}
	spec := l.spec
	if len(spec.overlay) > 0 {
		w.WriteString(`<linearGradient id="o" x2="0" y2="1">`)
		for _, s := range spec.overlay {
			c := "#000"
			if s.white {
				c = "#fff"
			}
			fmt.Fprintf(&w, `<stop offset="%s" stop-color="%s" stop-opacity="%s"/>`, num(s.offset), c, num(s.opacity))
		}
		w.WriteString(`</linearGradient>`)
	}
	fmt.Fprintf(&w, `<clipPath id="r"><rect width="%d" height="%d" rx="%s" fill="#fff"/></clipPath>`, l.w, l.h, num(spec.radius))
	r.writeDefs(&w, spec.size, l.label, l.message)
	fmt.Fprintf(&w, `<g clip-path="url(#r)"><rect class="lb" width="%d" height="%d" fill="%s"/><rect class="mb" x="%d" width="%d" height="%d" fill="%s"/>`,
		l.split, l.h, hex(pal.LabelBg), l.split, l.w-l.split, l.h, hex(pal.MessageBg))
	if len(spec.overlay) > 0 {
		fmt.Fprintf(&w, `<rect width="%d" height="%d" fill="url(#o)"/>`, l.w, l.h)
	}
	if l.progress >= 0 {
		fmt.Fprintf(&w, `<rect y="%d" width="%d" height="%d" fill="#000" fill-opacity="0.35"/><rect y="%d" width="%s" height="%d" fill="%s"/>`,
			l.h-barHeight, l.w, barHeight, l.h-barHeight, num(l.bar), barHeight, hex(progressBar))
	}
	w.WriteString(`</g>`)
	fmt.Fprintf(&w, `<path class="mk" fill="%s" transform="translate(%s %s) scale(%s)" d="%s"/>`,
		hex(pal.Mark), num(l.markX), num(l.markY), num(spec.mark/mark.ViewBox), r.mark.D)
	w.WriteString(`<g transform="translate(0 ` + num(spec.baseline) + `)">`)
	r.writeRun(&w, "lf", l.label, pal.LabelFg, spec.size)
	r.writeRun(&w, "mf", l.message, pal.MessageFg, spec.size)
	w.WriteString(`</g></svg>`)
	return w.Bytes()
}

// writeAssertion bakes the assertion directly after the opening <svg> tag,
// as the Open Badges 2.0 baking specification places it: the JSON in CDATA,
// the hosted URL in verify.
func writeAssertion(w *bytes.Buffer, a Assertion) {
	if a.ID == "" {
		return
	}
	fmt.Fprintf(w, `<openbadges:assertion verify="%s"><![CDATA[%s]]></openbadges:assertion>`,
		esc(a.ID), cdataJSON.Replace(a.JSON))
}

// cdataJSON writes JSON so that it is safe in CDATA and means the same to a
// JSON reader: ">" (so no "]]>" ends the CDATA early) and the two
// characters XML forbids that JSON leaves raw become \u escapes, which is
// right because in valid JSON they can only stand inside a string. JSON
// has no raw control character to worry about.
var cdataJSON = strings.NewReplacer(">", `\u003e`, "\uFFFE", `\ufffe`, "\uFFFF", `\uffff`)

// writeDefs defines each glyph with ink that the runs use, once.
func (r *Renderer) writeDefs(w *bytes.Buffer, size float64, runs ...run) {
	w.WriteString(`<defs>`)
	defer w.WriteString(`</defs>`)
	seen := map[string]bool{}
	for _, t := range runs {
		for _, ch := range t.text {
			id := glyphID(t.face, ch)
			if seen[id] {
				continue
			}
			seen[id] = true
			if d := r.outlines.get(t.face, size, ch); d != "" {
				fmt.Fprintf(w, `<path id="%s" d="%s"/>`, id, d)
			}
		}
	}
}

// writeRun places a run's glyphs at the layout's positions, the PNG's, on
// the baseline the enclosing group moved to. The class lets theme=auto's
// style recolour the fill.
func (r *Renderer) writeRun(w *bytes.Buffer, class string, t run, c color.NRGBA, size float64) {
	fmt.Fprintf(w, `<g class="%s" fill="%s">`, class, hex(c))
	for ch, x := range t.glyphs() {
		if r.outlines.get(t.face, size, ch) != "" {
			fmt.Fprintf(w, `<use href="#%s" x="%s"/>`, glyphID(t.face, ch), num(x))
		}
	}
	w.WriteString(`</g>`)
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

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
