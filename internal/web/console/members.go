package console

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// membersPage is how many members one page of the list shows.
const membersPage = 50

// membersView is the members page: the filters as sent, one page of
// members, the links to the pages around it and to the CSV of the view.
type membersView struct {
	Query, Status, Region, Event string
	Statuses                     []choice
	Regions                      []choice
	Events                       []choice
	Members                      []memberRow
	Count, Prev, Next, CSV       string
	// Page says where this page stands ("Page 3 sur 201"); First and Last
	// lead to the ends of a long list.
	Page, First, Last string
	Problem           string
}

// choice is one option of a filter's list.
type choice struct {
	Value, Label string
	Selected     bool
}

// memberRow is one member of the list.
type memberRow struct {
	*registry.Member
	Status string
}

// handleMembers lists members as staff search them: by name, website or
// slug, by status, region and event, a page at a time; format=csv sends
// every member of the same view as a spreadsheet.
func (c *Console) handleMembers(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	q := r.URL.Query()
	f, v := memberFilter(q)
	if q.Get("format") == "csv" && v.Problem == "" {
		c.exportMembers(w, r, l, f)
		return
	}
	events, err := c.store.ListEvents(r.Context())
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	v.choices(l, events)
	status := http.StatusOK
	if v.Problem != "" {
		status = http.StatusBadRequest
		v.Problem = l.T(v.Problem)
	} else if err := c.listMembers(r, l, f, &v); err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	c.page(w, r, sess, status, "members", "staff_members", l.T("console.nav.members"), v)
}

// memberFilter reads the list's query. A status or region that names none
// is a problem said on the page (the message's key), not an empty list.
func memberFilter(q url.Values) (registry.MemberFilter, membersView) {
	v := membersView{Query: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Region: q.Get("region"), Event: q.Get("event")}
	f := registry.MemberFilter{Query: siteQuery(v.Query), Event: v.Event, Limit: membersPage}
	if len([]rune(v.Query)) > 200 {
		v.Problem = "members.toolong"
	}
	if v.Status != "" {
		st, ok := registry.ParseStatus(v.Status)
		if !ok {
			v.Problem = "members.badfilter"
		}
		f.Status = st
	}
	if v.Region != "" {
		rg, ok := registry.ParseRegion(v.Region)
		if !ok {
			v.Problem = "members.badfilter"
		}
		f.Region = rg
	}
	if n, err := strconv.Atoi(q.Get("offset")); err == nil && n > 0 && n < 1<<31 {
		f.Offset = n / membersPage * membersPage // pages start at multiples of a page
	}
	return f, v
}

// siteQuery is a search as the store matches it: a website typed as staff
// copy it (https://www.acme.example/contact) is searched by its host, as
// websites are kept; anything else as it is.
func siteQuery(q string) string {
	looksLikeSite := strings.Contains(q, "://") || strings.HasPrefix(q, "www.") ||
		strings.Contains(q, ".") && strings.Contains(q, "/") && !strings.Contains(q, " ")
	if !looksLikeSite {
		return q
	}
	if !strings.Contains(q, "://") {
		q = "https://" + q
	}
	if h := registry.HostKey(q); strings.Contains(h, ".") {
		return h
	}
	return q
}

// choices fills the filters' option lists, each with its current choice.
func (v *membersView) choices(l locale.Lang, events []*registry.Event) {
	for _, st := range []registry.Status{registry.StatusPending, registry.StatusApproved, registry.StatusRejected, registry.StatusRevoked} {
		v.Statuses = append(v.Statuses, choice{string(st), l.T("state." + string(st)), v.Status == string(st)})
	}
	for _, rg := range registry.Regions() {
		v.Regions = append(v.Regions, choice{rg.Key(), string(rg), v.Region == rg.Key() || v.Region == string(rg)})
	}
	for _, e := range events {
		v.Events = append(v.Events, choice{e.Code, e.Name(string(l)), v.Event == e.Code})
	}
}

// listMembers reads one page of the view, and the links around it.
func (c *Console) listMembers(r *http.Request, l locale.Lang, f registry.MemberFilter, v *membersView) error {
	ms, total, err := c.store.ListMembers(r.Context(), f)
	if err != nil {
		return err
	}
	if len(ms) == 0 && f.Offset > 0 && total > 0 { // past the end (an old link): the last page
		f.Offset = (total - 1) / membersPage * membersPage
		if ms, total, err = c.store.ListMembers(r.Context(), f); err != nil {
			return err
		}
	}
	for _, m := range ms {
		v.Members = append(v.Members, memberRow{m, l.T("state." + string(m.Status))})
	}
	v.Count = l.Plural(total, "members.found")
	at := func(offset int, format string) string {
		q := url.Values{"lang": {string(l)}}
		for k, val := range map[string]string{"q": v.Query, "status": v.Status, "region": v.Region, "event": v.Event, "format": format} {
			if val != "" {
				q.Set(k, val)
			}
		}
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		return "/admin/members?" + q.Encode()
	}
	pages := (total + membersPage - 1) / membersPage
	if f.Offset > 0 {
		v.Prev = at(max(f.Offset-membersPage, 0), "")
		v.First = at(0, "")
	}
	if f.Offset+len(ms) < total {
		v.Next = at(f.Offset+membersPage, "")
		v.Last = at((pages-1)*membersPage, "")
	}
	if pages > 1 {
		v.Page = l.T("members.page", l.Int(f.Offset/membersPage+1), l.Int(pages))
	}
	v.CSV = at(0, "csv")
	return nil
}

// csvColumns are the export's columns, named in the page's language. The
// first five are the import's own (the French names are among those the
// import reads), so that an export can be imported elsewhere as it is.
var csvColumns = map[locale.Lang][]string{
	locale.FR: {"nom", "site_web", "région", "courriel", "consentement",
		"personne_ressource", "statut", "identifiant", "événement", "motif", "demande_le", "membre_depuis", "no"},
	locale.EN: {"name", "website", "region", "contact_email", "consent_public",
		"contact_name", "status", "slug", "event", "reason", "requested_on", "member_since", "id"},
}

// exportMembers writes every member of the view as CSV, as a spreadsheet in
// the page's language opens it: UTF-8 with a BOM, and the separator Excel
// expects there (a semicolon in French, where the comma is the decimal
// mark), words and dates as the page says them (Québec's time). Cells a
// spreadsheet would read as a formula are quoted as text.
func (c *Console) exportMembers(w http.ResponseWriter, r *http.Request, l locale.Lang, f registry.MemberFilter) {
	f.Offset, f.Limit, f.NoTotal = 0, maxList, true
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="technopolys-`+c.now().In(locale.Zone).Format("2006-01-02")+`.csv"`)
	w.Write([]byte("\ufeff"))
	out := csv.NewWriter(w)
	if l == locale.FR {
		out.Comma = ';'
	}
	out.Write(csvColumns[l])
	for {
		ms, _, err := c.store.ListMembers(r.Context(), f)
		if err != nil { // the header is sent: all that is left is to stop
			c.log.Warn("export stopped", "err", err)
			return
		}
		for _, m := range ms {
			if !m.Tombstone() { // nothing of it is left to export
				out.Write(csvRow(l, m))
			}
		}
		if len(ms) < f.Limit {
			break
		}
		f.Offset += len(ms)
	}
	out.Flush()
}

func csvRow(l locale.Lang, m *registry.Member) []string {
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(locale.Zone).Format("2006-01-02 15:04")
	}
	consent := map[bool]string{true: l.T("csv.yes"), false: l.T("csv.no")}[m.ConsentPublic]
	row := []string{m.Name, m.Website, string(m.Region), m.ContactEmail, consent,
		m.ContactName, l.T("state." + string(m.Status)), m.Slug, m.Event, m.Reason, when(m.CreatedAt), when(m.ApprovedAt), strconv.FormatInt(m.ID, 10)}
	for i, cell := range row {
		row[i] = textCell(cell)
	}
	return row
}

// textCell keeps a spreadsheet from running a cell as a formula (a company
// named "=HYPERLINK(…)" is text, not a link to click): such cells start
// with an apostrophe, which spreadsheets hide.
func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
