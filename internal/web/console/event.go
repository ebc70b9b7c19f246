package console

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// One event's page: its names, date and place changed, and its archiving.
// The code is printed on posters already, so it never changes.

// staffEventView is the form that edits an event, prefilled, or as typed
// when it comes back with errors.
type staffEventView struct {
	Code   string
	CSRF   string
	Values map[string]string
	Errors []respond.FieldMessage
}

// editFields are the fields of an event staff may change.
var editFields = []string{"name_fr", "name_en", "starts_on", "place"}

func (c *Console) handleStaffEvent(w http.ResponseWriter, r *http.Request, ps httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	e, err := c.store.FindEvent(r.Context(), ps.ByName("code"))
	switch registry.ErrorCode(err) {
	case "":
	case registry.ENOTFOUND:
		c.errorPage(w, r, sess, http.StatusNotFound, "error.event")
		return
	default:
		c.respond.UnavailablePage(w, r, err)
		return
	}
	v := staffEventView{Code: e.Code, CSRF: sess.CSRF,
		Values: map[string]string{"name_fr": e.NameFR, "name_en": e.NameEN, "starts_on": e.StartsOn, "place": e.Place}}
	c.page(w, r, sess, http.StatusOK, "events", "staff_event", l.T("events.edit.title"), v)
}

// handleStaffEditEvent saves an event's form, then goes back to the events
// page; with errors, the form comes back as typed, each error linked to its
// field.
func (c *Console) handleStaffEditEvent(w http.ResponseWriter, r *http.Request, ps httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	code := ps.ByName("code")
	v := staffEventView{Code: code, CSRF: sess.CSRF, Values: map[string]string{}}
	for _, k := range editFields {
		v.Values[k] = r.PostFormValue(k)
	}
	e, err := c.store.EditEvent(r.Context(), code, registry.NewEvent{NameFR: v.Values["name_fr"], NameEN: v.Values["name_en"],
		StartsOn: v.Values["starts_on"], Place: v.Values["place"]})
	var iv *registry.Invalid
	switch {
	case err == nil:
		c.site.EventSaved(e)
		c.log.Info("event edited", "code", e.Code, "actor", sess.Actor)
		http.Redirect(w, r, "/admin/events?lang="+string(l)+"&done=saved", http.StatusSeeOther)
	case errors.As(err, &iv):
		v.Errors = respond.FieldMessages(l, iv)
		c.page(w, r, sess, http.StatusBadRequest, "events", "staff_event", l.T("events.edit.title"), v)
	case registry.ErrorCode(err) == registry.ENOTFOUND:
		c.errorPage(w, r, sess, http.StatusNotFound, "error.event")
	default:
		c.respond.UnavailablePage(w, r, err)
	}
}

// handleStaffArchiveEvent archives an event or makes it active again. A
// second click (or another staff member's) is said to be done already, not
// an error.
func (c *Console) handleStaffArchiveEvent(w http.ResponseWriter, r *http.Request, ps httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	action := ps.ByName("action")
	if action != "archive" && action != "unarchive" {
		c.errorPage(w, r, sess, http.StatusNotFound, "error.not_found")
		return
	}
	e, err := c.store.ArchiveEvent(r.Context(), ps.ByName("code"), action == "archive")
	back := "/admin/events?lang=" + string(l) + "&done="
	var re *registry.Error
	switch {
	case err == nil:
		c.site.EventSaved(e)
		c.log.Info("event "+action+"d", "code", e.Code, "actor", sess.Actor)
		http.Redirect(w, r, back+action+"d", http.StatusSeeOther)
	case registry.ErrorCode(err) == registry.ECONFLICT && errors.As(err, &re):
		http.Redirect(w, r, back+url.QueryEscape(re.Reason), http.StatusSeeOther)
	case registry.ErrorCode(err) == registry.ENOTFOUND:
		c.errorPage(w, r, sess, http.StatusNotFound, "error.event")
	default:
		c.respond.UnavailablePage(w, r, err)
	}
}
