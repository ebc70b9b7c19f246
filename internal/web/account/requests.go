package account

import (
	"errors"
	"net/http"
	"strings"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// handleConsent turns the member's public listing on or off. Sending the
// same choice twice changes nothing the second time.
func (a *Account) handleConsent(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *session) {
	l := locale.Negotiate(r)
	listed := r.PostFormValue("listed") == "yes"
	actor := registry.MemberActor(sess.Member)
	m, err := a.store.EditMember(r.Context(), sess.Member.ID, registry.MemberEdit{ConsentPublic: &listed}, actor)
	if err != nil {
		a.fail(w, r, sess, err)
		return
	}
	a.site.MemberChanged(m, registry.ActionEdit, actor)
	done := "unlisted"
	if listed {
		done = "listed"
	}
	http.Redirect(w, r, home(l, done), http.StatusSeeOther)
}

// handleChange asks staff for a new name or website, checked as staff's
// own edit is (MemberEdit): the name is what the badge vouches for, so it
// changes only once staff approve. One change request is open at a time.
func (a *Account) handleChange(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *session) {
	l := locale.Negotiate(r)
	name, website := r.PostFormValue("name"), r.PostFormValue("website")
	next := *sess.Member
	changes, err := registry.MemberEdit{Name: &name, Website: &website}.Apply(&next)
	if err == nil && changes == "" {
		err = &registry.Error{Code: registry.EINVALID, Reason: "request_same"}
	}
	if err == nil {
		err = a.store.CreateRequest(r.Context(), &registry.MemberRequest{MemberID: next.ID, Kind: registry.RequestChange,
			Name: next.Name, Website: next.Website})
	}
	if err != nil {
		a.formFailed(w, r, sess, err, func(v *homeView) {
			v.Change.Name, v.Change.Website = strings.TrimSpace(name), strings.TrimSpace(website)
		})
		return
	}
	a.log.Info("change requested", "member", next.ID)
	http.Redirect(w, r, home(l, "change"), http.StatusSeeOther)
}

// handleDeletion asks staff to erase the member's data, once the member
// ticked the box that says it understands.
func (a *Account) handleDeletion(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *session) {
	l := locale.Negotiate(r)
	var err error = &registry.Invalid{Problems: []registry.Problem{{Field: "confirm", Rule: registry.RuleRequired}}}
	if r.PostFormValue("confirm") == "yes" {
		err = a.store.CreateRequest(r.Context(), &registry.MemberRequest{MemberID: sess.Member.ID, Kind: registry.RequestDeletion})
	}
	if err != nil {
		a.formFailed(w, r, sess, err, nil)
		return
	}
	a.log.Info("deletion requested", "member", sess.Member.ID)
	http.Redirect(w, r, home(l, "deletion"), http.StatusSeeOther)
}

// formFailed shows the home again with what went wrong: a bad value by its
// field, an open request or a change to nothing in a sentence; keep puts
// back what was typed. A store failure is the unavailable page.
func (a *Account) formFailed(w http.ResponseWriter, r *http.Request, sess *session, err error, keep func(*homeView)) {
	l := locale.Negotiate(r)
	status := respond.Status(respond.Code(err))
	if status >= http.StatusInternalServerError {
		a.respond.UnavailablePage(w, r, err)
		return
	}
	v, derr := a.homeData(r, sess)
	if derr != nil {
		a.respond.UnavailablePage(w, r, derr)
		return
	}
	var iv *registry.Invalid
	if errors.As(err, &iv) {
		v.Errors = respond.FieldMessages(l, iv)
	} else {
		v.Notice = respond.Message(l, err)
	}
	if keep != nil {
		keep(&v)
	}
	a.page(w, r, status, "account", l.T("account.title"), v)
}

// fail answers a form whose change the store refused.
func (a *Account) fail(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	a.formFailed(w, r, sess, err, nil)
}
