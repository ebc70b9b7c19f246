package console

import (
	"html/template"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/chart"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// figureWeeks is how many weeks the membership chart draws; the weeks
// before are its starting total.
const figureWeeks = 26

// figuresView is the figures page: each chart with the table it draws.
type figuresView struct {
	Weeks   template.HTML
	WeekRow []weekRow
	Regions template.HTML
	Region  []chart.Point
	Events  template.HTML
	Event   []eventRow
	Total   string
}

type weekRow struct {
	Week              string
	Approved, Members int
}

type eventRow struct {
	Name                   string
	Scans, Joins, Approved int
}

// handleFigures draws the campaign's figures on the server, as SVG charts
// each followed by its table: members week by week, by region, and each
// event's funnel.
func (c *Console) handleFigures(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	c.site.FlushScans(r.Context())
	hours, err := c.store.ApprovalCounts(r.Context())
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	st, err := c.store.Stats(r.Context())
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	events, err := c.store.ListEvents(r.Context())
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	v := figuresView{Total: l.Plural(st.Members, "home.members")}
	v.weeks(l, hours, c.now())
	v.regions(l, st)
	v.events(l, events)
	c.page(w, r, sess, http.StatusOK, "figures", "staff_figures", l.T("figures.title"), v)
}

// weeks buckets approvals into Québec weeks (from Monday), the last
// figureWeeks of them up to now, on top of the members approved before.
func (v *figuresView) weeks(l locale.Lang, hours []registry.TimeCount, now time.Time) {
	last := monday(now)
	first := last.AddDate(0, 0, -7*(figureWeeks-1))
	counts := make([]int, figureWeeks)
	base := 0
	for _, h := range hours {
		if h.At.Before(first) {
			base += h.Count
			continue
		}
		if i := int(monday(h.At).Sub(first).Hours()+12) / (7 * 24); i < figureWeeks {
			counts[i] += h.Count
		}
	}
	points := make([]chart.Point, figureWeeks)
	members := base
	for i, n := range counts {
		week := first.AddDate(0, 0, 7*i)
		members += n
		points[i] = chart.Point{Label: l.Short(week), Value: n}
		v.WeekRow = append(v.WeekRow, weekRow{l.Date(week), n, members})
	}
	v.Weeks = chart.Weeks(chart.WeekChart{Chart: chart.Chart{ID: "weeks", Title: l.T("figures.weeks"),
		Desc:   l.T("figures.weeks.desc", l.Plural(members-base, "figures.approvals"), l.Plural(members, "home.members")),
		Points: points, Format: l.Int}, CountLabel: l.T("figures.perweek"), CumulativeLabel: l.T("figures.cumulative"), Base: base})
}

// monday is the start of t's week in Québec.
func monday(t time.Time) time.Time {
	t = t.In(locale.Zone)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, locale.Zone)
	return day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
}

func (v *figuresView) regions(l locale.Lang, st registry.Stats) {
	for _, rg := range registry.Regions() {
		v.Region = append(v.Region, chart.Point{Label: string(rg), Value: st.ByRegion[rg]})
	}
	v.Regions = chart.Bars(chart.Chart{ID: "regions", Title: l.T("figures.regions"),
		Desc: l.T("figures.regions.desc", l.Plural(st.Members, "home.members")), Points: v.Region, Format: l.Int})
}

// events draws how many members each active event brought, and lists every
// event's funnel.
func (v *figuresView) events(l locale.Lang, events []*registry.Event) {
	var points []chart.Point
	for _, e := range events {
		v.Event = append(v.Event, eventRow{e.Name(string(l)), e.Scans, e.Joins, e.Approved})
		if e.ArchivedAt.IsZero() {
			points = append(points, chart.Point{Label: e.Name(string(l)), Value: e.Approved})
		}
	}
	v.Events = chart.Bars(chart.Chart{ID: "events", Title: l.T("figures.events"), Desc: l.T("figures.events.desc"),
		Empty: l.T("figures.noevents"), Points: points, Format: l.Int})
}
