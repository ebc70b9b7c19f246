package badge

import (
	"iter"
	"math"
	"strings"
)

// stop is one colour stop of a style's light-and-shade overlay: white when
// white is true, else black, at an opacity.
type stop struct {
	offset, opacity float64
	white           bool
}

// styleSpec is the geometry of a style, in CSS pixels at scale 1.
type styleSpec struct {
	height   int
	radius   float64
	upper    bool    // for-the-badge shouts
	size     float64 // font size
	spacing  float64 // extra space between letters
	bold     bool    // the label in bold too
	mark     float64 // side of the mark
	pad, gap float64 // segment padding; space between mark and label
	baseline float64
	overlay  []stop
}

var styles = map[Style]styleSpec{
	Flat: {height: 20, radius: 3, size: 11, mark: 14, pad: 6, gap: 4, baseline: 14,
		overlay: []stop{{0, .12, true}, {1, .12, false}}},
	FlatSquare: {height: 20, size: 11, mark: 14, pad: 6, gap: 4, baseline: 14},
	Plastic: {height: 18, radius: 4, size: 11, mark: 13, pad: 6, gap: 4, baseline: 13,
		overlay: []stop{{0, .6, true}, {.15, .12, true}, {.85, .18, false}, {1, .35, false}}},
	ForTheBadge: {height: 28, size: 10, spacing: 1.2, upper: true, bold: true, mark: 16, pad: 10, gap: 7, baseline: 18.5},
}

// run is one line of text placed on the badge.
type run struct {
	text     string
	face     *typeface
	x, y     float64   // start of the first glyph, baseline
	advances []float64 // per glyph, kerning and spacing included
	width    float64   // the sum of the advances
}

// layout is where everything goes on a badge, in CSS pixels at scale 1.
// Widths are whole pixels, so a PNG at scale 2 is exactly twice scale 1.
type layout struct {
	spec           styleSpec
	w, h, split    int // split is where the message segment starts
	markX, markY   float64
	label, message run
	title          string
	// progress is how far a Count is toward its goal, 0 to 1; -1 for no bar.
	progress float64
	// bar is the goal bar's filled width: progress × w, but at least
	// minBar once there is any progress, so 5 of 2 000 still shows.
	bar float64
}

// barHeight is the goal bar's height at scale 1; minBar its least filled
// width when progress is above zero.
const barHeight, minBar = 3, 3

func (r *Renderer) layout(b Badge, o Options) *layout {
	spec := styles[o.Style]
	labelText, messageText, title := b.texts(o.Lang)
	if spec.upper {
		labelText, messageText = strings.ToUpper(labelText), strings.ToUpper(messageText)
	}
	labelFace := r.regular
	if spec.bold || b.Kind == Count { // a count's number is bold
		labelFace = r.bold
	}
	l := &layout{spec: spec, h: spec.height, title: title, progress: -1}
	if b.Kind == Count && b.Goal > 0 {
		l.progress = min(1, float64(b.Members)/float64(b.Goal))
	}
	l.label = r.place(labelText, labelFace, spec)
	l.message = r.place(messageText, r.bold, spec)

	textStart := spec.pad + spec.mark + spec.gap
	l.split = int(math.Ceil(textStart + l.label.width + spec.pad))
	l.label.x = textStart + (float64(l.split)-textStart-spec.pad-l.label.width)/2
	l.markX, l.markY = spec.pad, (float64(spec.height)-spec.mark)/2

	messageWidth := int(math.Ceil(2*spec.pad + l.message.width))
	l.message.x = float64(l.split) + (float64(messageWidth)-l.message.width)/2
	l.w = l.split + messageWidth
	if l.progress > 0 {
		l.bar = max(minBar, l.progress*float64(l.w))
	}
	return l
}

// subpixel is how finely glyphs are placed: on quarters of a CSS pixel.
// The PNG rasterises each glyph once per quarter-pixel offset (glyphCache),
// so the layout places glyphs on quarters too and the SVG's outlines go
// where the PNG's glyphs do, at every integer scale. Placed at exact
// positions instead, the SVG's text sits up to an eighth of a pixel away on
// average and Chromium differed from the PNG by twice as much.
const subpixel = 4

// glyphs yields each rune of the run and where its origin goes on the
// baseline: the sum of the advances before it, rounded to the nearest
// 1/subpixel px (the rounding does not accumulate).
func (t run) glyphs() iter.Seq2[rune, float64] {
	return func(yield func(rune, float64) bool) {
		x, i := t.x, 0
		for _, ch := range t.text {
			if !yield(ch, math.Round(x*subpixel)/subpixel) {
				return
			}
			x += t.advances[i]
			i++
		}
	}
}

func (r *Renderer) place(text string, face *typeface, spec styleSpec) run {
	adv := face.advances(text, spec.size, spec.spacing)
	return run{text: text, face: face, y: spec.baseline, advances: adv, width: sum(adv)}
}

// Size returns the width and height, in CSS pixels, of a badge: what the
// snippets put in an img's width and height.
func (r *Renderer) Size(b Badge, o Options) (w, h int) {
	l := r.layout(b, o)
	return l.w, l.h
}
