package chart

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
)

// Geometry of one bar's row: its label on a line of its own above the bar,
// so a label has the whole width even on a phone.
const (
	barHeight = 14.0
	barGap    = 6.0  // between a label's baseline and its bar
	rowGap    = 12.0 // between a bar and the next label
	rowHeight = fontSize + barGap + barHeight + rowGap
)

// Bars draws one horizontal bar per point, in the points' order: its label,
// the bar, the value written at the bar's end. Members by region or an
// event's funnel (visits, requests, approvals) read this way. Bars are
// proportional to the largest value; when every value is zero they are
// empty and the values still say so.
func Bars(c Chart) template.HTML {
	if len(c.Points) == 0 {
		return c.empty("chart-bars")
	}
	values := c.values()
	texts := make([]string, len(values))
	room := 0.0
	for i, v := range values {
		texts[i] = c.format(v)
		room = max(room, textWidth(texts[i]))
	}
	longest := width - 2*pad - barGap - room // the largest value's bar
	top := slices.Max(values)
	var w bytes.Buffer
	height := float64(len(values))*rowHeight + pad
	c.open(&w, "chart-bars", height)
	fmt.Fprintf(&w, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`,
		num(pad), num(pad+fontSize+barGap/2), num(pad), num(height-rowGap/2), axisColor)
	for i, p := range c.Points {
		length := 0.0
		if top > 0 {
			length = float64(values[i]) / float64(top) * longest
		}
		writeBar(&w, p.Label, texts[i], pad+float64(i)*rowHeight, length)
	}
	return finish(&w)
}

// writeBar writes one row from y down. The full label is the row's title,
// which browsers show on hover, since the drawn one may be cut.
func writeBar(w *bytes.Buffer, label, value string, y, length float64) {
	barY := y + fontSize + barGap
	fmt.Fprintf(w, `<g class="bar"><title>%s</title>`, esc(label))
	fmt.Fprintf(w, `<text x="%s" y="%s">%s</text>`, num(pad), num(y+fontSize), esc(fit(label, width-2*pad)))
	fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, num(pad), num(barY), num(length), num(barHeight), barColor)
	fmt.Fprintf(w, `<text class="value" x="%s" y="%s">%s</text></g>`,
		num(pad+length+barGap), num(barY+barHeight/2+fontSize/3), esc(value))
}
