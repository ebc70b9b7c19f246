// Package chart draws the figures of the staff console as SVG to inline in
// an HTML page: bars of counts by category and columns of counts per period
// with their running total. The pages forbid inline styles
// (style-src 'self'), so the SVG carries presentation attributes (fill,
// stroke, font-size) and classes a stylesheet may override, never a style
// attribute or element, and no script. Output depends on the input only.
package chart

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Point is one count: a category or a period, and its value. Counts are
// never negative; a negative value is drawn as zero, and one above a
// trillion as a trillion.
type Point struct {
	Label string
	Value int
}

// Chart is what every chart says about itself.
type Chart struct {
	// ID prefixes the ids inside the SVG; it must be unique in the page,
	// since aria-labelledby finds the title and description by id.
	// Characters other than ASCII letters, digits, '-' and '_' are dropped.
	ID string
	// Title and Desc name the figure and say what it shows, for screen
	// readers (role="img" hides the drawing) and as the tooltip. The page
	// draws its own visible heading.
	Title, Desc string
	// Empty is what the chart says when it has no points, in the page's
	// language, such as « Aucune approbation pour l’instant. ».
	Empty  string
	Points []Point
	// Format writes every number (French writes 1 234 with a no-break
	// space); nil writes digits only.
	Format func(int) string
}

// Colours, all on white: marks (bars, axes, the line) at least 3:1, text at
// least 4.5:1 (WCAG 2.1, 1.4.11 and 1.4.3); chart_test checks them.
const (
	white     = "#ffffff"
	textColor = "#1f1f1f"
	axisColor = "#595959"
	gridColor = "#d9d9d9" // decoration only: the axis labels carry the values
	barColor  = "#1d5fa6"
	lineColor = "#b3261e"
)

// Geometry of every chart, in viewBox units. 400 units across a 360 px
// phone keeps 14-unit text at about 12.6 px.
const (
	width    = 400.0
	fontSize = 14.0
	// charWidth is a generous average advance per character of a sans-serif
	// font, in ems: without the page's font metrics, labels are cut by
	// count so they never run past the edge.
	charWidth = 0.6
	pad       = 4.0
)

// format writes n through the chart's Format.
func (c *Chart) format(n int) string {
	if c.Format == nil {
		return strconv.Itoa(n)
	}
	return c.Format(n)
}

// maxValue bounds what a chart draws, so that a running total of many
// points cannot overflow: no count of members or visits comes near it.
const maxValue = 1_000_000_000_000

// values returns the points' values, negatives as zero and none above
// maxValue.
func (c *Chart) values() []int {
	out := make([]int, len(c.Points))
	for i, p := range c.Points {
		out[i] = clamp(p.Value)
	}
	return out
}

func clamp(v int) int { return min(max(v, 0), maxValue) }

// open writes the svg element and its title and description; the caller
// writes the drawing and calls finish.
func (c *Chart) open(w *bytes.Buffer, class string, height float64) {
	id := safeID(c.ID)
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" class="chart %s" viewBox="0 0 %s %s" width="100%%" role="img" aria-labelledby="%s-title %s-desc" font-family="sans-serif" font-size="%s" fill="%s">`,
		class, num(width), num(height), id, id, num(fontSize), textColor)
	fmt.Fprintf(w, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(c.Title), id, esc(c.Desc))
}

func finish(w *bytes.Buffer) template.HTML {
	w.WriteString(`</svg>`)
	return template.HTML(w.String()) // every text in it went through esc
}

// empty draws a chart without points: its message, nothing to scale.
func (c *Chart) empty(class string) template.HTML {
	var w bytes.Buffer
	const height = 48.0
	c.open(&w, class+" chart-empty", height)
	fmt.Fprintf(&w, `<text x="%s" y="%s" text-anchor="middle">%s</text>`,
		num(width/2), num(height/2+fontSize/3), esc(fit(c.Empty, width-2*pad)))
	return finish(&w)
}

// safeID keeps the characters an id and aria-labelledby take without
// escaping; a list of ids is separated by spaces, so none may hold one.
func safeID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r < 128 && (r == '-' || r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "chart"
	}
	return b.String()
}

// textWidth estimates how wide s is written at fontSize.
func textWidth(s string) float64 {
	return float64(len([]rune(s))) * charWidth * fontSize
}

// fit cuts s with an ellipsis so that it is at most room wide.
func fit(s string, room float64) string {
	n := int(room / (charWidth * fontSize))
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// esc escapes s as XML text and attribute value alike.
func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
