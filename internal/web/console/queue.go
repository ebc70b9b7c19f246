package console

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// The staff console's server-rendered pages: they work without JavaScript,
// every form carrying the session's form token.

// queueView is the queue page's data.
type queueView struct {
	Members []queueCard
	Count   string
	Notice  string
	CSRF    string
	Reasons []string
}

// queueCard is one pending request as staff read it.
type queueCard struct {
	*registry.Member
	EventName string
	Warnings  []string
	Marks     []mark // see contactMarks
}

// rejectReasons are the reasons offered in a list, by key.
var rejectReasons = []string{"sector", "notfound", "duplicate", "outside"}

// handleQueue lists pending requests oldest first, as cards, with what
// staff need to decide: the contact, the site, the event by name, and the
// name warnings.
func (c *Console) handleQueue(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	ms, total, err := c.store.ListMembers(r.Context(), registry.MemberFilter{Status: registry.StatusPending, Limit: maxList})
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	v := queueView{CSRF: sess.CSRF, Notice: c.queueNotice(r, l)}
	v.Count = l.Plural(total, "queue.count")
	for _, k := range rejectReasons {
		v.Reasons = append(v.Reasons, l.T("queue.reason."+k))
	}
	for _, m := range ms {
		card := queueCard{Member: m, Marks: contactMarks(l, m)}
		if e, _ := c.site.KnownEvent(r.Context(), m.Event); e != nil {
			card.EventName = e.Name(string(l))
		}
		if card.Warnings, err = c.nameWarnings(r.Context(), l, m); err != nil {
			c.respond.UnavailablePage(w, r, err)
			return
		}
		v.Members = append(v.Members, card)
	}
	c.page(w, r, sess, http.StatusOK, "queue", "queue", l.T("queue.title"), v)
}

// queueNotice says what the last decision did, from the redirect's query.
// The member is named by its id and read from the store, so that a link
// cannot make the console say what it likes.
func (c *Console) queueNotice(r *http.Request, l locale.Lang) string {
	q := r.URL.Query()
	// The notice says what the member's status shows, nothing else: a link
	// cannot make a pending request "approved".
	name, claims := "", map[string]registry.Status{"approve": registry.StatusApproved, "reject": registry.StatusRejected}
	if id, err := strconv.ParseInt(q.Get("m"), 10, 64); err == nil {
		if m, err := c.store.FindMember(r.Context(), id); err == nil && m.Status == claims[q.Get("done")] {
			name = m.Name
		}
	}
	switch done := q.Get("done"); {
	case (done == "approve" || done == "reject") && name == "":
		return ""
	case done == "approve":
		return l.T("queue.approved", name)
	case done == "reject":
		return l.T("queue.rejected", name)
	case done == "already":
		return l.T("queue.already")
	case done == "reason":
		return l.T("queue.needreason")
	}
	return ""
}

// handleQueueDecision takes a decision from a console form (the queue's
// cards, a member's page), or saves a member's edit, then goes back where
// the form was, which says what happened. A decision taken already (a
// second click, another staff member) is said so, not an error.
func (c *Console) handleQueueDecision(w http.ResponseWriter, r *http.Request, ps httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	id, err := memberID(ps)
	action := registry.Action(ps.ByName("action"))
	if err == nil && action == registry.ActionErase {
		c.handleStaffErase(w, r, id, sess)
		return
	}
	if err != nil || action != registry.ActionEdit && !slices.Contains(registry.Decisions(), action) {
		c.errorPage(w, r, sess, http.StatusNotFound, "error.not_found")
		return
	}
	back := "/admin/queue?lang=" + string(l) + "&done="
	if r.PostFormValue("back") == "member" || action == registry.ActionEdit {
		back = "/admin/members/" + strconv.FormatInt(id, 10) + "?lang=" + string(l) + "&done="
	}
	var (
		m  *registry.Member
		re *registry.Error
	)
	if action == registry.ActionEdit {
		m, err = c.store.EditMember(r.Context(), id, formEdit(r), sess.Actor)
	} else {
		reason := strings.TrimSpace(r.PostFormValue("other"))
		if reason == "" {
			reason = strings.TrimSpace(r.PostFormValue("reason"))
		}
		m, err = c.store.Decide(r.Context(), registry.Decision{MemberID: id, Action: action, Actor: sess.Actor, Reason: reason})
	}
	switch code := registry.ErrorCode(err); {
	case err == nil:
		c.site.MemberChanged(m, action, sess.Actor)
		http.Redirect(w, r, back+string(action)+"&m="+strconv.FormatInt(id, 10)+"#m"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case action == registry.ActionEdit && (code == registry.EINVALID || code == registry.ECONFLICT):
		c.renderStaffMember(w, r, l, sess, id, respond.Status(code), "", failedEdit(r, l, err))
	case code == registry.ECONFLICT && errors.As(err, &re) && re.Reason == "erased":
		http.Redirect(w, r, back+"erased", http.StatusSeeOther)
	case code == registry.ECONFLICT:
		http.Redirect(w, r, back+"already", http.StatusSeeOther)
	case code == registry.EINVALID:
		http.Redirect(w, r, back+"reason#m"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case code == registry.ENOTFOUND:
		c.errorPage(w, r, sess, http.StatusNotFound, "error.member")
	default:
		c.respond.UnavailablePage(w, r, err)
	}
}

// formEdit reads the member page's edit form. The consent is a checkbox:
// absent means no.
func formEdit(r *http.Request) registry.MemberEdit {
	name, website, region := r.PostFormValue("name"), r.PostFormValue("website"), r.PostFormValue("region")
	consent := r.PostFormValue("consent_public") == "yes"
	return registry.MemberEdit{Name: &name, Website: &website, Region: &region, ConsentPublic: &consent}
}

// staffMemberView is a member's console page: every field, what staff can
// do with it, and its history.
type staffMemberView struct {
	Member *registry.Member
	// Title is the member's name, or says its record was erased.
	Title   string
	Status  string
	Notice  string
	CSRF    string
	Actions []memberAction
	Regions []registry.Region
	History []historyLine
	// Tombstone is a member whose public record was erased: nothing is left
	// to change. ContactErased is the day its contact was erased, or "".
	Tombstone     bool
	ContactErased string
	// Erase is the erase form, nil when nothing is left to erase.
	Erase  *eraseForm
	Embeds embedsView
	// Reason is the member's last decision's reason, in words.
	Reason string
	Edit   editAttempt
	// Requests are the member's requests from its area, newest first.
	Requests []memberRequestLine
	// Marks are what staff weigh the contact by (contactMarks), the day
	// the address was confirmed included.
	Marks []mark
}

// editAttempt is the edit form: the member's record, or what was typed
// and what was wrong with it.
type editAttempt struct {
	Form   memberForm
	Errors []respond.FieldMessage
}

type memberForm struct {
	Name, Website, Region string
	Consent               bool
}

// failedEdit keeps what was typed in the edit form, with the errors (a
// conflict names the field it is about).
func failedEdit(r *http.Request, l locale.Lang, err error) *editAttempt {
	e := formEdit(r)
	a := &editAttempt{Form: memberForm{*e.Name, *e.Website, *e.Region, *e.ConsentPublic}}
	for _, p := range respond.ErrorBody(l, registry.ErrorCode(err), err).Problems {
		a.Errors = append(a.Errors, respond.FieldMessage{Field: p.Field, Message: p.Message})
	}
	if len(a.Errors) == 0 {
		a.Errors = []respond.FieldMessage{{Field: "name", Message: respond.Message(l, err)}}
	}
	return a
}

type memberAction struct {
	Action      registry.Action
	Label       string
	NeedsReason bool
}

type historyLine struct {
	registry.AuditEntry
	Action string // in the page's language
}

// memberActions are the decisions the console offers for a status.
var memberActions = map[registry.Status][]registry.Action{
	registry.StatusPending:  {registry.ActionApprove, registry.ActionReject},
	registry.StatusApproved: {registry.ActionRevoke},
	registry.StatusRevoked:  {registry.ActionReinstate},
	registry.StatusRejected: {registry.ActionReconsider},
}

func (c *Console) handleStaffMember(w http.ResponseWriter, r *http.Request, ps httprouter.Params, sess *registry.Session) {
	id, err := memberID(ps)
	if err != nil {
		c.errorPage(w, r, sess, http.StatusNotFound, "error.member")
		return
	}
	l := locale.Negotiate(r)
	notice := c.queueNotice(r, l)
	switch r.URL.Query().Get("done") {
	case string(registry.ActionEdit):
		notice = l.T("staff.saved")
	case string(registry.ActionRevoke), string(registry.ActionReinstate), string(registry.ActionReconsider):
		notice = l.T("staff.done")
	case string(registry.ActionErase):
		if m, err := c.store.FindMember(r.Context(), id); err == nil && !m.ErasedAt.IsZero() { // erased indeed
			notice = l.T("staff.erased")
		}
	case "already_erased", "erased":
		notice = l.T("error." + r.URL.Query().Get("done"))
	case "reason":
		notice = l.T("staff.needreason")
	}
	c.renderStaffMember(w, r, l, sess, id, http.StatusOK, notice, nil)
}

// renderStaffMember writes a member's page; after an edit that failed, its
// form holds what was typed and the errors, each linked to its field.
func (c *Console) renderStaffMember(w http.ResponseWriter, r *http.Request, l locale.Lang, sess *registry.Session, id int64, status int, notice string, failed *editAttempt) {
	m, err := c.store.FindMember(r.Context(), id)
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		c.errorPage(w, r, sess, http.StatusNotFound, "error.member")
		return
	}
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	audit, err := c.store.ListAudit(r.Context(), registry.AuditFilter{MemberID: id, Limit: maxList})
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	v := staffMemberView{Member: m, Title: m.Name, Status: l.T("state." + string(m.Status)), Notice: notice, CSRF: sess.CSRF,
		Regions: registry.Regions(), Tombstone: m.Tombstone(),
		Edit: editAttempt{Form: memberForm{m.Name, m.Website, string(m.Region), m.ConsentPublic}}}
	if failed != nil {
		v.Edit = *failed
	}
	if v.Requests, err = c.memberRequests(r, l, m); err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	if v.Embeds, err = c.memberEmbeds(r, l, m); err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	if !m.ErasedAt.IsZero() {
		v.ContactErased = l.Date(m.ErasedAt)
	}
	if v.Marks = contactMarks(l, m); len(v.Marks) > 0 && !m.ContactConfirmedAt.IsZero() {
		v.Marks[0].Text = l.T("staff.confirmed", l.Date(m.ContactConfirmedAt))
	}
	if v.Reason = m.Reason; m.Reason == "erase" {
		v.Reason = l.T("staff.erase.reason")
	}
	if v.Tombstone {
		v.Title = l.T("staff.erased.title", strconv.FormatInt(m.ID, 10))
	} else {
		v.Erase = &eraseForm{ContactLeft: m.ErasedAt.IsZero()}
		for _, a := range memberActions[m.Status] {
			v.Actions = append(v.Actions, memberAction{a, l.T("admin." + string(a)), a == registry.ActionReject || a == registry.ActionRevoke})
		}
	}
	for _, e := range audit {
		e.Reason = reasonInWords(l, e)
		v.History = append(v.History, historyLine{e, l.T("action." + string(e.Action))})
	}
	c.page(w, r, sess, status, "members", "staff_member", v.Title, v)
}
