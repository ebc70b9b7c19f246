package console

import (
	"errors"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/qr"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// staffEventsView is the events page: each event's funnel and what to
// print, active events first and archived ones apart, and the form that
// creates one.
type staffEventsView struct {
	Events   []eventCard
	Archived []eventCard
	// OpenArchived shows the archived events unfolded, after an archive.
	OpenArchived bool
	Notice       string
	CSRF         string
	Values       map[string]string
	Errors       []respond.FieldMessage
}

type eventCard struct {
	// L and CSRF are the page's, for the card's own template.
	L                                   locale.Lang
	CSRF                                string
	Code, Name, When, Funnel, ShortLink string
	// ArchivedOn is the day it was archived, in words; "" while active.
	ArchivedOn string
	Files      []fileLink
}

type fileLink struct{ Label, URL string }

var eventFields = []string{"code", "name_fr", "name_en", "starts_on", "place"}

func (c *Console) handleStaffEvents(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	v := staffEventsView{CSRF: sess.CSRF, Values: map[string]string{}}
	switch done := r.URL.Query().Get("done"); done {
	case "created", "saved", "archived", "unarchived":
		v.Notice = l.T("events." + done)
	case "already_archived", "not_archived":
		v.Notice = l.T("error." + done)
	}
	v.OpenArchived = r.URL.Query().Get("done") == "archived"
	c.renderStaffEvents(w, r, sess, l, http.StatusOK, v)
}

func (c *Console) renderStaffEvents(w http.ResponseWriter, r *http.Request, sess *registry.Session, l locale.Lang, status int, v staffEventsView) {
	c.site.FlushScans(r.Context())
	events, err := c.store.ListEvents(r.Context())
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	for _, e := range events {
		card := c.eventCard(l, e)
		card.CSRF = sess.CSRF
		if e.ArchivedAt.IsZero() {
			v.Events = append(v.Events, card)
		} else {
			v.Archived = append(v.Archived, card)
		}
	}
	c.page(w, r, sess, status, "events", "staff_events", l.T("events.title"), v)
}

// eventCard says an event's funnel in words, with French plurals, and lists
// its printable files.
func (c *Console) eventCard(l locale.Lang, e *registry.Event) eventCard {
	short, print := c.site.EventFiles(e)
	card := eventCard{L: l, Code: e.Code, Name: e.Name(string(l)), ShortLink: short,
		Funnel: l.Plural(e.Scans, "events.scans") + " → " + l.Plural(e.Joins, "events.joins") + " → " + l.Plural(e.Approved, "events.approved")}
	if d, err := time.ParseInLocation(time.DateOnly, e.StartsOn, locale.Zone); err == nil {
		card.When = l.Date(d)
	}
	if e.Place != "" && card.When != "" {
		card.When += " · " + e.Place
	} else if e.Place != "" {
		card.When = e.Place
	}
	if !e.ArchivedAt.IsZero() {
		card.ArchivedOn = l.Date(e.ArchivedAt)
	}
	card.Files = []fileLink{{l.T("events.qr_png"), print["qr_png"]}, {l.T("events.qr_logo"), print["qr_png_logo"]}, {l.T("events.qr_svg"), print["qr_svg"]}}
	for _, layout := range qr.Layouts() {
		for _, p := range qr.Papers() {
			for _, pl := range []locale.Lang{locale.FR, locale.EN} {
				card.Files = append(card.Files, fileLink{l.T("events."+string(layout), l.T("paper."+string(layout)+"."+string(p)), l.T("lang."+string(pl))),
					print[string(layout)+"_"+string(p)+"_"+string(pl)]})
			}
		}
	}
	return card
}

func (c *Console) handleStaffCreateEvent(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	v := staffEventsView{CSRF: sess.CSRF, Values: map[string]string{}}
	for _, k := range eventFields {
		v.Values[k] = r.PostFormValue(k)
	}
	e, err := registry.NewEvent{Code: v.Values["code"], NameFR: v.Values["name_fr"], NameEN: v.Values["name_en"],
		StartsOn: v.Values["starts_on"], Place: v.Values["place"]}.Validate()
	if err == nil {
		err = c.store.CreateEvent(r.Context(), e)
	}
	var iv *registry.Invalid
	switch {
	case err == nil:
		c.site.EventSaved(e)
		c.log.Info("event created", "code", e.Code, "actor", sess.Actor)
		http.Redirect(w, r, "/admin/events?lang="+string(l)+"&done=created", http.StatusSeeOther)
	case errors.As(err, &iv):
		v.Errors = respond.FieldMessages(l, iv)
		c.renderStaffEvents(w, r, sess, l, http.StatusBadRequest, v)
	case registry.ErrorCode(err) == registry.ECONFLICT:
		v.Errors = []respond.FieldMessage{{Field: "code", Message: respond.Message(l, err)}}
		c.renderStaffEvents(w, r, sess, l, http.StatusConflict, v)
	default:
		c.respond.UnavailablePage(w, r, err)
	}
}
