package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// auditActions are the actions the audit page filters by.
var auditActions = append(registry.Decisions(), registry.ActionEdit, registry.ActionImport, registry.ActionErase)

type auditView struct {
	Actor, Since, Until, Problem string
	Actions                      []auditChoice
	Entries                      []auditLine
	// Actors are the names staff act under, offered as the actor filter's
	// suggestions (it matches a name exactly).
	Actors     []string
	Prev, Next string
}

// auditPage is how many entries one page of the audit log shows.
const auditPage = 100

type auditChoice struct {
	Value, Label string
	Selected     bool
}

type auditLine struct {
	registry.AuditEntry
	When, Action string
	Member       string // the member's name now, or says its record is erased
}

// handleStaffAudit reads the audit log, newest first, filtered by staff
// member, action and dates (a day's bounds in Québec's time).
func (c *Console) handleStaffAudit(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	q := r.URL.Query()
	v := auditView{Actor: strings.TrimSpace(q.Get("actor")), Since: q.Get("since"), Until: q.Get("until")}
	f := registry.AuditFilter{Actor: v.Actor, Limit: auditPage + 1} // one more says there is a next page
	if n, err := strconv.Atoi(q.Get("offset")); err == nil && n > 0 && n < 1<<31 {
		f.Offset = n
	}
	if a := registry.Action(q.Get("action")); slices.Contains(auditActions, a) {
		f.Action = a
	}
	for _, a := range auditActions {
		v.Actions = append(v.Actions, auditChoice{string(a), l.T("action." + string(a)), a == f.Action})
	}
	var bad bool
	if f.Since, bad = day(v.Since, 0); bad {
		v.Problem = l.T("audit.baddate")
	}
	if until, badUntil := day(v.Until, 1); badUntil {
		v.Problem = l.T("audit.baddate")
	} else {
		f.Before = until
	}
	status, err := http.StatusOK, error(nil)
	if v.Problem != "" {
		status = http.StatusBadRequest
	} else {
		entries, err := c.store.ListAudit(r.Context(), f)
		if err != nil {
			c.respond.UnavailablePage(w, r, err)
			return
		}
		v.pages(q, f.Offset, len(entries) > auditPage)
		entries = entries[:min(len(entries), auditPage)]
		names := map[int64]string{} // a page names each member once
		for _, e := range entries {
			e.Reason = reasonInWords(l, e)
			name, err := c.memberName(r, l, names, e.MemberID)
			if err != nil {
				c.respond.UnavailablePage(w, r, err)
				return
			}
			v.Entries = append(v.Entries, auditLine{e, l.Date(e.At) + " " + e.At.In(locale.Zone).Format("15:04"), l.T("action." + string(e.Action)), name})
		}
	}
	if v.Actors, err = c.actors(r); err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	c.page(w, r, sess, status, "audit", "staff_audit", l.T("audit.title"), v)
}

// memberName is how the audit page names a member: by its name today, read
// once a page.
func (c *Console) memberName(r *http.Request, l locale.Lang, names map[int64]string, id int64) (string, error) {
	if name, ok := names[id]; ok {
		return name, nil
	}
	m, err := c.store.FindMember(r.Context(), id)
	switch {
	case registry.ErrorCode(err) == registry.ENOTFOUND:
		names[id] = "#" + strconv.FormatInt(id, 10)
	case err != nil:
		return "", err
	case m.Name == "":
		names[id] = l.T("members.erased")
	default:
		names[id] = m.Name
	}
	return names[id], nil
}

// pages links the pages before and after this one, keeping the filters.
func (v *auditView) pages(q url.Values, offset int, more bool) {
	at := func(n int) string {
		q.Set("offset", strconv.Itoa(n))
		return "/admin/audit?" + q.Encode()
	}
	if offset > 0 {
		v.Prev = at(max(offset-auditPage, 0))
	}
	if more {
		v.Next = at(offset + auditPage)
	}
}

// actors are the names an audit entry may carry: every staff account's,
// and the admin token's.
func (c *Console) actors(r *http.Request) ([]string, error) {
	staff, err := c.store.ListStaff(r.Context())
	if err != nil {
		return nil, err
	}
	out := []string{registry.BreakGlassActor}
	for _, st := range staff {
		out = append(out, st.Name)
	}
	return out, nil
}

// day is the start of a YYYY-MM-DD day in Québec, plus after days; "" is no
// bound.
func day(s string, after int) (t time.Time, bad bool) {
	if s == "" {
		return time.Time{}, false
	}
	d, err := time.ParseInLocation(time.DateOnly, s, locale.Zone)
	if err != nil {
		return time.Time{}, true
	}
	return d.AddDate(0, 0, after), false
}
