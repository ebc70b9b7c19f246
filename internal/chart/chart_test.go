package chart_test

import (
	"encoding/xml"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/chart"
)

// node is an SVG element as encoding/xml reads it.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func parse(t *testing.T, svg template.HTML) node {
	t.Helper()
	var n node
	if err := xml.Unmarshal([]byte(svg), &n); err != nil {
		t.Fatalf("not XML: %v\n%s", err, svg)
	}
	if n.XMLName.Local != "svg" {
		t.Fatalf("root %s", n.XMLName.Local)
	}
	return n
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) float(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, n.attr(name), err)
	}
	return v
}

// all returns every element named name under n, in document order, whose
// class (when class is not empty) is class.
func (n node) all(name, class string) []node {
	var out []node
	for _, c := range n.Nodes {
		if c.XMLName.Local == name && (class == "" || c.attr("class") == class) {
			out = append(out, c)
		}
		out = append(out, c.all(name, class)...)
	}
	return out
}

// french writes 1 234 as the console does.
func french(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u00a0" + s[i:]
	}
	return s
}

func regions() chart.Chart {
	return chart.Chart{ID: "regions", Title: "Membres par région", Desc: "Montréal en tête.", Format: french,
		Points: []chart.Point{{"Montréal", 1234}, {"Capitale-Nationale", 456}, {"Laval", 0}, {"Estrie", 617}}}
}

func weeks(values ...int) chart.WeekChart {
	c := chart.WeekChart{Chart: chart.Chart{ID: "weeks", Title: "Approbations", Desc: "Par semaine.", Format: french},
		CountLabel: "Approbations par semaine", CumulativeLabel: "Membres au total", Base: 1000}
	for i, v := range values {
		c.Points = append(c.Points, chart.Point{Label: "S" + strconv.Itoa(i+1), Value: v})
	}
	return c
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.02 }

func TestBarsProportional(t *testing.T) {
	c := regions()
	svg := parse(t, chart.Bars(c))
	bars := svg.all("g", "bar")
	if len(bars) != len(c.Points) {
		t.Fatalf("%d bars", len(bars))
	}
	longest := bars[0].all("rect", "")[0].float(t, "width")
	for i, b := range bars {
		p := c.Points[i]
		w := b.all("rect", "")[0].float(t, "width")
		if !near(w, longest*float64(p.Value)/1234) {
			t.Errorf("%s: width %v, want %v", p.Label, w, longest*float64(p.Value)/1234)
		}
		if got := b.all("text", "value")[0].Text; got != french(p.Value) {
			t.Errorf("%s: value %q", p.Label, got)
		}
		if got := b.all("title", "")[0].Text; got != p.Label {
			t.Errorf("title %q", got)
		}
	}
}

func TestWeeks(t *testing.T) {
	c := weeks(3, 0, 12, 7, 12, 1)
	svg := parse(t, chart.Weeks(c))
	cols := svg.all("rect", "column")
	if len(cols) != len(c.Points) {
		t.Fatalf("%d columns", len(cols))
	}
	t.Run("columns are proportional and stand on one baseline", func(t *testing.T) {
		tallest := cols[2].float(t, "height")
		bottom := cols[0].float(t, "y") + cols[0].float(t, "height")
		for i, col := range cols {
			h := col.float(t, "height")
			if want := tallest * float64(c.Points[i].Value) / 12; !near(h, want) {
				t.Errorf("%s: height %v, want %v", c.Points[i].Label, h, want)
			}
			if !near(col.float(t, "y")+h, bottom) {
				t.Errorf("%s does not stand on the baseline", c.Points[i].Label)
			}
		}
	})
	t.Run("the running total only rises, period by period", func(t *testing.T) {
		xs, ys := points(t, svg)
		if len(xs) != len(c.Points) {
			t.Fatalf("%d points", len(xs))
		}
		for i := 1; i < len(xs); i++ {
			if xs[i] <= xs[i-1] || ys[i] > ys[i-1] { // y grows downwards
				t.Errorf("point %d (%v,%v) after (%v,%v)", i, xs[i], ys[i], xs[i-1], ys[i-1])
			}
		}
		if ys[1] != ys[0] { // a week without approvals keeps the total
			t.Errorf("a zero week moved the total")
		}
	})
	t.Run("both scales are labelled through Format", func(t *testing.T) {
		var ticks []string
		for _, n := range svg.all("text", "tick") {
			ticks = append(ticks, n.Text)
		}
		// At most 12 a week, the left scale goes to 15 by 5; 1 035
		// members at the end, the right one to 1 500 by 500.
		for _, want := range []string{"0", "15", "1\u00a0500"} {
			if !slices.Contains(ticks, want) {
				t.Errorf("no tick %q in %q", want, ticks)
			}
		}
		text := strings.Join(texts(svg), "|")
		if !strings.Contains(text, "Approbations par semaine") || !strings.Contains(text, "Membres au total") {
			t.Errorf("legend: %s", text)
		}
	})
}

// points returns the cumulative line's points.
func points(t *testing.T, svg node) (xs, ys []float64) {
	t.Helper()
	lines := svg.all("polyline", "cumulative")
	if len(lines) != 1 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, p := range strings.Fields(lines[0].attr("points")) {
		x, y, _ := strings.Cut(p, ",")
		fx, err1 := strconv.ParseFloat(x, 64)
		fy, err2 := strconv.ParseFloat(y, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("point %q", p)
		}
		xs, ys = append(xs, fx), append(ys, fy)
	}
	return xs, ys
}

func texts(n node) []string {
	var out []string
	for _, t := range n.all("text", "") {
		out = append(out, t.Text)
	}
	return out
}

func TestEscaping(t *testing.T) {
	evil := `<script>alert("x")</script> & Cie`
	c := chart.Chart{ID: "e", Title: "A & B <b>", Desc: evil, Points: []chart.Point{{evil, 3}}}
	for name, svg := range map[string]template.HTML{"bars": chart.Bars(c), "weeks": chart.Weeks(chart.WeekChart{Chart: c, CountLabel: evil, CumulativeLabel: "&"})} {
		t.Run(name, func(t *testing.T) {
			if strings.Contains(string(svg), "<script") || strings.Contains(string(svg), "<b>") {
				t.Fatalf("markup came through: %s", svg)
			}
			n := parse(t, svg)
			if got := n.all("title", "")[0].Text; got != "A & B <b>" {
				t.Errorf("title %q", got)
			}
			if got := n.all("desc", "")[0].Text; got != evil {
				t.Errorf("desc %q", got)
			}
			if !slices.ContainsFunc(texts(n), func(s string) bool { return strings.HasPrefix(s, "<script>") }) {
				t.Errorf("label not drawn as text: %q", texts(n))
			}
		})
	}
}

// TestPolicy holds what the console's Content-Security-Policy and its
// accessibility need of every chart.
func TestPolicy(t *testing.T) {
	for name, svg := range charts() {
		t.Run(name, func(t *testing.T) {
			d := xml.NewDecoder(strings.NewReader(string(svg)))
			for {
				tok, err := d.Token()
				if err != nil {
					break
				}
				el, ok := tok.(xml.StartElement)
				if !ok {
					continue
				}
				if el.Name.Local == "style" || el.Name.Local == "script" || el.Name.Local == "foreignObject" {
					t.Errorf("<%s> element", el.Name.Local)
				}
				for _, a := range el.Attr {
					if a.Name.Local == "style" || strings.HasPrefix(a.Name.Local, "on") || a.Name.Local == "href" {
						t.Errorf("%s attribute on <%s>", a.Name.Local, el.Name.Local)
					}
				}
			}
			n := parse(t, svg)
			if n.attr("role") != "img" || n.attr("width") != "100%" || !strings.HasPrefix(n.attr("viewBox"), "0 0 400 ") {
				t.Errorf("svg %v", n.Attrs)
			}
			ids := map[string]bool{}
			for _, el := range append(n.all("title", ""), n.all("desc", "")...) {
				ids[el.attr("id")] = true
			}
			for _, id := range strings.Fields(n.attr("aria-labelledby")) {
				if !ids[id] {
					t.Errorf("aria-labelledby names %q, which is not a title or desc", id)
				}
			}
		})
	}
}

func charts() map[string]template.HTML {
	long := chart.Chart{ID: "long", Points: []chart.Point{{strings.Repeat("Gaspésie–Îles-de-la-Madeleine ", 4), 10}}}
	return map[string]template.HTML{
		"bars":           chart.Bars(regions()),
		"bars, empty":    chart.Bars(chart.Chart{ID: "e", Empty: "Rien à afficher."}),
		"bars, long":     chart.Bars(long),
		"weeks":          chart.Weeks(weeks(3, 0, 12)),
		"weeks, empty":   chart.Weeks(weeks()),
		"weeks, zeros":   chart.Weeks(chart.WeekChart{Chart: chart.Chart{ID: "z", Points: []chart.Point{{"a", 0}, {"b", 0}}}}),
		"weeks, 2 years": chart.Weeks(weeks(make([]int, 104)...)),
	}
}

func TestIDsUniqueOnOnePage(t *testing.T) {
	a, b := regions(), regions()
	a.ID, b.ID = "by-region", "by-event"
	seen := map[string]bool{}
	for _, svg := range []template.HTML{chart.Bars(a), chart.Bars(b), chart.Weeks(weeks(1, 2))} {
		n := parse(t, svg)
		for _, el := range append(n.all("title", ""), n.all("desc", "")...) {
			id := el.attr("id")
			if id == "" {
				continue
			}
			if seen[id] {
				t.Errorf("id %q twice", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != 6 {
		t.Errorf("ids %v", seen)
	}
	t.Run("an ID that is not one is made one", func(t *testing.T) {
		c := regions()
		c.ID = `x" onload="alert(1)`
		n := parse(t, chart.Bars(c))
		if got := n.attr("aria-labelledby"); got != "xonloadalert1-title xonloadalert1-desc" {
			t.Errorf("aria-labelledby %q", got)
		}
	})
}

func TestEmptyAndZeros(t *testing.T) {
	for name, svg := range map[string]template.HTML{
		"bars":  chart.Bars(chart.Chart{ID: "e", Empty: "Aucun membre pour l’instant."}),
		"weeks": chart.Weeks(chart.WeekChart{Chart: chart.Chart{ID: "e", Empty: "Aucun membre pour l’instant."}}),
	} {
		t.Run(name+" without points says so", func(t *testing.T) {
			n := parse(t, svg)
			if got := texts(n); len(got) != 1 || got[0] != "Aucun membre pour l’instant." || len(n.all("rect", "")) > 0 {
				t.Errorf("texts %q, %d rects", got, len(n.all("rect", "")))
			}
		})
	}
	t.Run("bars of zeros are empty and say 0", func(t *testing.T) {
		n := parse(t, chart.Bars(chart.Chart{ID: "z", Points: []chart.Point{{"a", 0}, {"b", -3}}}))
		for _, b := range n.all("g", "bar") {
			if w := b.all("rect", "")[0].float(t, "width"); w != 0 || b.all("text", "value")[0].Text != "0" {
				t.Errorf("bar %v", b)
			}
		}
	})
	t.Run("weeks of zeros lie on the baseline", func(t *testing.T) {
		svg := charts()["weeks, zeros"]
		if strings.Contains(string(svg), "NaN") || strings.Contains(string(svg), "Inf") {
			t.Fatalf("%s", svg)
		}
		n := parse(t, svg)
		_, ys := points(t, n)
		for _, c := range n.all("rect", "column") {
			if c.float(t, "height") != 0 || c.float(t, "y") != ys[0] || ys[0] != ys[1] {
				t.Errorf("column %v, line %v", c.Attrs, ys)
			}
		}
	})
}

func TestSinglePoint(t *testing.T) {
	n := parse(t, chart.Bars(chart.Chart{ID: "one", Points: []chart.Point{{"Laval", 7}}}))
	if w := n.all("rect", "")[0].float(t, "width"); w < 300 || w > 400 {
		t.Errorf("the one bar is %v wide", w)
	}
	n = parse(t, chart.Weeks(weeks(7)))
	xs, _ := points(t, n)
	if len(xs) != 1 || len(n.all("rect", "column")) != 1 || n.all("rect", "column")[0].float(t, "width") > 48 {
		t.Errorf("one week: %v", n)
	}
}

// TestFitsThePhone: nothing is drawn past the viewBox, estimating text
// widths as the package does, and long labels are cut with their full text
// kept in the title.
func TestFitsThePhone(t *testing.T) {
	for name, svg := range charts() {
		t.Run(name, func(t *testing.T) {
			n := parse(t, svg)
			for _, r := range n.all("rect", "") {
				if end := r.float(t, "x") + r.float(t, "width"); end > 400 || r.float(t, "x") < 0 {
					t.Errorf("rect %v", r.Attrs)
				}
			}
			for _, tx := range n.all("text", "") {
				w := float64(len([]rune(tx.Text))) * 0.6 * 14
				x := tx.float(t, "x")
				start := map[string]float64{"": x, "start": x, "middle": x - w/2, "end": x - w}[tx.attr("text-anchor")]
				if start < 0 || start+w > 400.5 {
					t.Errorf("text %q from %v to %v", tx.Text, start, start+w)
				}
			}
		})
	}
	n := parse(t, charts()["bars, long"])
	bar := n.all("g", "bar")[0]
	if label := bar.all("text", "")[0].Text; !strings.HasSuffix(label, "…") || !strings.HasPrefix(bar.all("title", "")[0].Text, strings.TrimSuffix(label, "…")) {
		t.Errorf("label %q, title %q", label, bar.all("title", "")[0].Text)
	}
}

func TestDeterministic(t *testing.T) {
	for name, svg := range charts() {
		if again := charts()[name]; again != svg {
			t.Errorf("%s differs from one rendering to the next", name)
		}
	}
}

func FuzzBars(f *testing.F) {
	f.Add("Montréal", 12, "<&>", -1)
	f.Fuzz(func(t *testing.T, a string, x int, b string, y int) {
		c := chart.Chart{ID: a, Title: a, Desc: b, Points: []chart.Point{{a, x}, {b, y}}}
		for _, svg := range []template.HTML{chart.Bars(c), chart.Weeks(chart.WeekChart{Chart: c, CountLabel: b})} {
			if err := xml.Unmarshal([]byte(svg), new(node)); err != nil || strings.Contains(string(svg), "NaN") {
				t.Fatalf("%v: %s", err, svg)
			}
		}
	})
}
