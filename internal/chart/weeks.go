package chart

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
)

// WeekChart is a Chart of counts per period (a week, a month), oldest
// first, drawn with their running total.
type WeekChart struct {
	Chart
	// CountLabel names the columns and their scale, on the left, such as
	// « Approbations par semaine »; CumulativeLabel the line and its scale,
	// on the right, such as « Membres au total ».
	CountLabel, CumulativeLabel string
	// Base is the running total before the first period, so the line ends
	// at today's total while the columns show only the chart's periods.
	Base int
}

// Geometry of a week chart.
const (
	weeksHeight = 260.0
	plotBottom  = weeksHeight - 30
	legendLine  = fontSize + 6
	tickGap     = 6.0 // between an axis and its tick labels
	marker      = 10.0
)

// plot is where a week chart's values land.
type plot struct {
	top, left, right float64
	countTop         int // the left scale's largest tick
	cumulativeTop    int // the right scale's
	slot             float64
	counts, totals   []int
}

func (p *plot) x(i int) float64 { return p.left + (float64(i)+0.5)*p.slot }

// y places v on a scale whose largest tick is top; a scale of zeros puts
// everything on the baseline rather than dividing by zero.
func (p *plot) y(v, top int) float64 {
	return plotBottom - float64(v)/float64(max(top, 1))*(plotBottom-p.top)
}

// Weeks draws one column per point on the left scale and, over them, the
// running total (Base plus every count so far) as a line on the right
// scale. Both scales start at zero. Labels that would collide are drawn
// one in every few periods; every column's title keeps its label.
func Weeks(c WeekChart) template.HTML {
	if len(c.Points) == 0 {
		return c.empty("chart-weeks")
	}
	counts := c.values()
	totals := make([]int, len(counts))
	sum := clamp(c.Base)
	for i, v := range counts {
		sum += v
		totals[i] = sum
	}
	left, right := ticks(slices.Max(counts)), ticks(sum)
	p := &plot{counts: counts, totals: totals, countTop: left[len(left)-1], cumulativeTop: right[len(right)-1]}
	p.left = pad + widest(&c.Chart, left) + tickGap
	p.right = width - pad - widest(&c.Chart, right) - tickGap
	p.slot = (p.right - p.left) / float64(len(counts))
	var w bytes.Buffer
	c.open(&w, "chart-weeks", weeksHeight)
	p.top = c.legend(&w) + fontSize
	c.scales(&w, p, left, right)
	c.columns(&w, p)
	c.line(&w, p)
	c.periods(&w, p)
	return finish(&w)
}

// legend names both series above their scales: the columns' at the left,
// the line's at the right, on one line when both fit and on two otherwise.
// It returns the legend's bottom.
func (c *WeekChart) legend(w *bytes.Buffer) float64 {
	room := width - 2*pad - marker - 4 // the text beside a marker
	count, total := fit(c.CountLabel, room), fit(c.CumulativeLabel, room-marker)
	base := pad + fontSize
	fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, num(pad), num(base-marker), num(marker), num(marker), barColor)
	fmt.Fprintf(w, `<text x="%s" y="%s">%s</text>`, num(pad+marker+4), num(base), esc(count))
	if textWidth(count)+textWidth(total)+3*marker+16 > width-2*pad {
		base += legendLine
	}
	mid := base - marker/2
	fmt.Fprintf(w, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"/>`, num(width-pad-2*marker), num(mid), num(width-pad), num(mid), lineColor)
	fmt.Fprintf(w, `<text x="%s" y="%s" text-anchor="end">%s</text>`, num(width-pad-2*marker-4), num(base), esc(total))
	return base
}

// scales draws the axes, a light grid at the left scale's ticks, and both
// scales' labels, each in its series' colour.
func (c *WeekChart) scales(w *bytes.Buffer, p *plot, left, right []int) {
	for _, t := range left {
		fmt.Fprintf(w, `<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, num(p.left), num(p.y(t, p.countTop)), num(p.right), num(p.y(t, p.countTop)), gridColor)
		fmt.Fprintf(w, `<text class="tick" x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, num(p.left-tickGap), num(p.y(t, p.countTop)+fontSize/3), barColor, esc(c.format(t)))
	}
	for _, t := range right {
		fmt.Fprintf(w, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, num(p.right), num(p.y(t, p.cumulativeTop)), num(p.right+tickGap/2), num(p.y(t, p.cumulativeTop)), axisColor)
		fmt.Fprintf(w, `<text class="tick" x="%s" y="%s" fill="%s">%s</text>`, num(p.right+tickGap), num(p.y(t, p.cumulativeTop)+fontSize/3), lineColor, esc(c.format(t)))
	}
	fmt.Fprintf(w, `<path class="axis" d="M%s %sV%sH%sV%s" fill="none" stroke="%s" stroke-width="1"/>`,
		num(p.left), num(p.top), num(plotBottom), num(p.right), num(p.top), axisColor)
}

// columns draws the counts; a column is at most 48 units wide, so one
// period alone does not fill the chart.
func (c *WeekChart) columns(w *bytes.Buffer, p *plot) {
	cw := min(p.slot*0.7, 48)
	for i, v := range p.counts {
		top := p.y(v, p.countTop)
		fmt.Fprintf(w, `<rect class="column" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
			num(p.x(i)-cw/2), num(top), num(cw), num(plotBottom-top), barColor, esc(c.Points[i].Label+" — "+c.format(v)))
	}
}

// line draws the running total over the columns, with a dot per period
// when periods are far enough apart to tell the dots apart.
func (c *WeekChart) line(w *bytes.Buffer, p *plot) {
	pts := make([]string, len(p.totals))
	for i, t := range p.totals {
		pts[i] = num(p.x(i)) + "," + num(p.y(t, p.cumulativeTop))
	}
	fmt.Fprintf(w, `<polyline class="cumulative" points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), lineColor)
	if p.slot < 8 {
		return
	}
	for i, t := range p.totals {
		fmt.Fprintf(w, `<circle cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>`,
			num(p.x(i)), num(p.y(t, p.cumulativeTop)), lineColor, esc(c.Points[i].Label+" — "+c.format(t)))
	}
}

// periods writes the labels under the columns, one in every few when
// they would collide, cut so that each fits its share of the width.
func (c *WeekChart) periods(w *bytes.Buffer, p *plot) {
	longest := 0.0
	for _, pt := range c.Points {
		longest = max(longest, textWidth(pt.Label))
	}
	room := min(longest, 10*charWidth*fontSize) + 8
	every := max(1, int(math.Ceil(room/p.slot)))
	for i := 0; i < len(c.Points); i += every {
		label := fit(c.Points[i].Label, float64(every)*p.slot-8)
		x, anchor := inside(p.x(i), textWidth(label))
		fmt.Fprintf(w, `<text class="period" x="%s" y="%s" text-anchor="%s">%s</text>`, num(x), num(plotBottom+fontSize+4), anchor, esc(label))
	}
}

// inside anchors a label centred at x, or at an edge of the chart when
// centring would push it out.
func inside(x, w float64) (float64, string) {
	switch {
	case x-w/2 < pad:
		return pad, "start"
	case x+w/2 > width-pad:
		return width - pad, "end"
	}
	return x, "middle"
}

// ticks returns round values from zero, about five, the last at least top.
func ticks(top int) []int {
	if top <= 0 {
		return []int{0}
	}
	step := niceStep(float64(top) / 4)
	var out []int
	for t := 0; ; t += step {
		out = append(out, t)
		if t >= top {
			return out
		}
	}
}

// niceStep is the smallest of 1, 2 or 5 times a power of ten that is at
// least raw, and at least 1: counts have no fractions.
func niceStep(raw float64) int {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return max(1, int(math.Round(m*mag)))
		}
	}
	return max(1, int(10*mag))
}

// widest is the width of the widest tick label.
func widest(c *Chart, ts []int) float64 {
	out := 0.0
	for _, t := range ts {
		out = max(out, textWidth(c.format(t)))
	}
	return out
}
