package account

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// embedsShown is how many badge sites the area's home lists; the export
// has them all.
const embedsShown = 50

// homeView is the area's home: the listing, the sites showing the badge,
// the member's requests and the forms that change or ask for something.
type homeView struct {
	Nav    nav
	Member *registry.Member
	// Page is the member's public verification page, on our site.
	Page string
	// Done is what was just done; Notice what went wrong, with Errors by
	// field for the change form.
	Done, Notice string
	Errors       []respond.FieldMessage
	// Change holds the change form's values: the member's, or those typed.
	Change struct{ Name, Website string }
	// OpenChange and OpenDeletion say a request of that kind waits for
	// staff; Requests are all of them, newest first, in words.
	OpenChange, OpenDeletion bool
	Requests                 []requestLine
	Embeds                   []respond.EmbedLine
	EmbedCount               string
}

// requestLine is one of a member's requests, in words.
type requestLine struct {
	Kind, What, Asked, State string
	Open                     bool
}

// homeData gathers the home page for a member; the change form shows the
// member's name and website.
func (a *Account) homeData(r *http.Request, sess *session) (homeView, error) {
	l := locale.Negotiate(r)
	m := sess.Member
	v := homeView{Nav: nav{L: l, CSRF: sess.CSRF, Current: "home"}, Member: m, Page: "/members/" + m.Slug + "?lang=" + string(l)}
	v.Change.Name, v.Change.Website = m.Name, m.Website
	reqs, err := a.store.ListRequests(r.Context(), m.ID)
	if err != nil {
		return v, err
	}
	for i := len(reqs) - 1; i >= 0; i-- {
		q := reqs[i]
		line := requestLine{Kind: l.T("account.request." + string(q.Kind)), Asked: l.Date(q.CreatedAt), Open: q.Open()}
		if q.Kind == registry.RequestChange {
			line.What = q.Name + " · " + q.Website
		}
		switch {
		case q.Open():
			line.State = l.T("account.request.open")
		default:
			line.State = l.T("account.request."+q.Decision, l.Date(q.DecidedAt))
			if q.Reason != "" { // the member is owed the team's reason, here as in the mail
				line.State = l.T("account.request."+q.Decision+".reason", l.Date(q.DecidedAt), q.Reason)
			}
		}
		if q.Open() && q.Kind == registry.RequestChange {
			v.OpenChange = true
		}
		if q.Open() && q.Kind == registry.RequestDeletion {
			v.OpenDeletion = true
		}
		v.Requests = append(v.Requests, line)
	}
	a.site.FlushEmbeds(r.Context()) // the member sees views up to this request
	embeds, total, err := a.store.ListEmbeds(r.Context(), m.ID, embedsShown, 0)
	if err != nil {
		return v, err
	}
	v.Embeds, v.EmbedCount = respond.EmbedLines(l, m, embeds), l.Plural(total, "staff.embeds.count")
	return v, nil
}

// doneMessages are the home's done= values and what each says.
var doneMessages = map[string]string{
	"listed": "account.done.listed", "unlisted": "account.done.unlisted",
	"change": "account.done.change", "deletion": "account.done.deletion",
}

func (a *Account) handleHome(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *session) {
	l := locale.Negotiate(r)
	v, err := a.homeData(r, sess)
	if err != nil {
		a.respond.UnavailablePage(w, r, err)
		return
	}
	if key, ok := doneMessages[r.URL.Query().Get("done")]; ok {
		v.Done = l.T(key)
	}
	a.page(w, r, http.StatusOK, "account", l.T("account.title"), v)
}

// badgeView is the area's badge page: the verification page's picker.
type badgeView struct {
	Nav   nav
	Badge respond.BadgeKit
}

// handleBadge is the badge picker, the same as on the verification page:
// the choice is read from the query the picker's form sends.
func (a *Account) handleBadge(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *session) {
	l := locale.Negotiate(r)
	kit := a.site.BadgeKit(sess.Member, l, respond.ParseBadgeChoice(r.URL.Query(), l))
	a.page(w, r, http.StatusOK, "account_badge", l.T("account.badge.title"), badgeView{Nav: nav{L: l, CSRF: sess.CSRF, Current: "badge"}, Badge: kit})
}
