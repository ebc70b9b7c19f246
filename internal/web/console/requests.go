package console

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// Members' requests from their area: a new name or website, which staff
// approve because a name is what the badge vouches for, or the erasure of
// everything, which staff confirm.

// routeRequests mounts the requests page and its two forms. A form's
// answer is shown at its address: a GET there goes back to the list.
func (c *Console) routeRequests(r Router) {
	r.GET("/admin/requests", c.staffPage(c.handleRequests))
	r.POST("/admin/requests/:id/:action", c.staffPage(c.handleRequestDecision))
	r.GET("/admin/requests/:id/:action", c.staffPage(func(w http.ResponseWriter, r *http.Request, _ httprouter.Params, _ *registry.Session) {
		http.Redirect(w, r, "/admin/requests?lang="+string(locale.Negotiate(r)), http.StatusSeeOther)
	}))
}

// requestsView is the requests page's data.
type requestsView struct {
	Requests []requestCard
	Count    string
	Notice   string
	// Problem says why the last decision could not be taken; Failed is the
	// request it was about.
	Problem string
	Failed  int64
	CSRF    string
}

// requestCard is one open request as staff read it: for a change, the
// member's record beside what it asks for.
type requestCard struct {
	*registry.MemberRequest
	Member *registry.Member
	// Who names the member: its name, or says its record was erased.
	Who       string
	KindLabel string
	// Change is a change request, which shows the record beside it.
	Change bool
	// NewName and NewWebsite report what the change would change.
	NewName, NewWebsite bool
}

// handleRequests lists the open requests, oldest first.
func (c *Console) handleRequests(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	c.renderRequests(w, r, l, sess, http.StatusOK, requestsView{Notice: c.requestNotice(r, l)})
}

// renderRequests writes the requests page with v's notice or problem.
func (c *Console) renderRequests(w http.ResponseWriter, r *http.Request, l locale.Lang, sess *registry.Session, status int, v requestsView) {
	rs, err := c.store.ListRequests(r.Context(), 0)
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	v.CSRF, v.Count = sess.CSRF, l.Plural(len(rs), "requests.count")
	for _, rq := range rs {
		m, err := c.store.FindMember(r.Context(), rq.MemberID)
		if err != nil {
			c.respond.UnavailablePage(w, r, err)
			return
		}
		v.Requests = append(v.Requests, requestCard{MemberRequest: rq, Member: m, Who: memberTitle(l, m),
			KindLabel: l.T("requests.kind." + string(rq.Kind)), Change: rq.Kind == registry.RequestChange, NewName: rq.Name != m.Name, NewWebsite: rq.Website != m.Website})
	}
	c.page(w, r, sess, status, "requests", "staff_requests", l.T("requests.title"), v)
}

// memberTitle names a member on a console page, or says its record was
// erased.
func memberTitle(l locale.Lang, m *registry.Member) string {
	if m.Tombstone() {
		return l.T("staff.erased.title", strconv.FormatInt(m.ID, 10))
	}
	return m.Name
}

// requestNotice says what the last decision did. The request is named by
// its id and read from the store, with its member: a link cannot make the
// console say a request was approved.
func (c *Console) requestNotice(r *http.Request, l locale.Lang) string {
	q := r.URL.Query()
	done := q.Get("done")
	if done == "already" {
		return l.T("queue.already")
	}
	claims := map[string]string{"approve": registry.RequestApproved, "refuse": registry.RequestRefused}
	id, err := strconv.ParseInt(q.Get("r"), 10, 64)
	if err != nil || claims[done] == "" {
		return ""
	}
	rq, err := c.store.FindRequest(r.Context(), id)
	if err != nil || rq.Decision != claims[done] {
		return ""
	}
	m, err := c.store.FindMember(r.Context(), rq.MemberID)
	if err != nil {
		return ""
	}
	switch {
	case rq.Decision == registry.RequestRefused:
		return l.T("requests.refused", memberTitle(l, m))
	case rq.Kind == registry.RequestDeletion:
		return l.T("requests.erased", strconv.FormatInt(m.ID, 10))
	default:
		return l.T("requests.changed", m.Name)
	}
}

// handleRequestDecision approves or refuses a request, then goes back to
// the list, which says what happened. A request decided already (a second
// click, another staff member) is said so; a change the record cannot take
// (a name or website another member holds, a member revoked or erased
// meanwhile) is shown on the list, the request left open.
func (c *Console) handleRequestDecision(w http.ResponseWriter, r *http.Request, ps httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	id, err := memberID(ps)
	action := ps.ByName("action")
	if err != nil || action != "approve" && action != "refuse" {
		c.errorPage(w, r, sess, http.StatusNotFound, "error.not_found")
		return
	}
	before, err := c.store.FindRequest(r.Context(), id)
	var was *registry.Member
	if err == nil {
		was, err = c.store.FindMember(r.Context(), before.MemberID)
	}
	var (
		rq *registry.MemberRequest
		m  *registry.Member
		re *registry.Error
	)
	if err == nil && before.Open() && action == "approve" && before.Kind == registry.RequestDeletion && r.PostFormValue("confirm") != "yes" {
		// Erasing is for good: the box says staff mean it.
		c.renderRequests(w, r, l, sess, http.StatusBadRequest, requestsView{Problem: l.T("requests.confirm"), Failed: id})
		return
	}
	if err == nil {
		rq, m, err = c.store.DecideRequest(r.Context(), id, action == "approve", sess.Actor, r.PostFormValue("reason"))
	}
	back := "/admin/requests?lang=" + string(l) + "&done="
	switch code := registry.ErrorCode(err); {
	case err == nil:
		if rq.Decision == registry.RequestApproved {
			c.requestApplied(rq, m, was, sess.Actor)
		}
		http.Redirect(w, r, back+action+"&r="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case code == registry.ECONFLICT && errors.As(err, &re) && re.Reason == "request_decided":
		http.Redirect(w, r, back+"already", http.StatusSeeOther)
	case code == registry.ECONFLICT || code == registry.EINVALID:
		c.renderRequests(w, r, l, sess, respond.Status(code), requestsView{Problem: respond.Message(l, err), Failed: id})
	case code == registry.ENOTFOUND:
		c.errorPage(w, r, sess, http.StatusNotFound, "error.request")
	default:
		c.respond.UnavailablePage(w, r, err)
	}
}

// requestApplied tells the site what an approved request changed: a new
// name or website changes the badge (its slug stays, as for any edit); an
// erasure takes the slug, so the badges and page cached under the old one
// must go.
func (c *Console) requestApplied(rq *registry.MemberRequest, m, was *registry.Member, actor string) {
	if rq.Kind == registry.RequestChange {
		c.site.MemberChanged(m, registry.ActionEdit, actor)
		return
	}
	gone := *m
	gone.Slug = was.Slug
	c.site.MemberChanged(&gone, registry.ActionErase, actor)
}

// memberRequestLine is one of a member's requests on its console page.
type memberRequestLine struct {
	*registry.MemberRequest
	Kind, State string
}

// memberRequests are a member's requests, newest first, with their state
// in words.
func (c *Console) memberRequests(r *http.Request, l locale.Lang, m *registry.Member) ([]memberRequestLine, error) {
	rs, err := c.store.ListRequests(r.Context(), m.ID)
	if err != nil {
		return nil, err
	}
	out := make([]memberRequestLine, 0, len(rs))
	for i := len(rs) - 1; i >= 0; i-- {
		state := l.T("requests.state.open")
		if !rs[i].Open() {
			state = l.T("requests.state."+rs[i].Decision, l.Date(rs[i].DecidedAt), rs[i].Actor)
		}
		out = append(out, memberRequestLine{rs[i], l.T("requests.kind." + string(rs[i].Kind)), state})
	}
	return out, nil
}
