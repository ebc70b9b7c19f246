package account

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/auth"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/ratelimit"
	"github.com/technopolys/technopolys/internal/registry"
)

// signInView is the data of the page that asks for a sign-in link.
type signInView struct {
	Email string
	// Notice is a problem to read first; Sent says a link went out (or
	// would have); Done what was just done (signed out).
	Notice, Sent, Done string
}

// signInPage writes the page that asks for a sign-in link.
func (a *Account) signInPage(w http.ResponseWriter, r *http.Request, status int, v signInView) {
	l := locale.Negotiate(r)
	w.Header().Set("Cache-Control", "no-store")
	a.respond.Page(w, r, l, status, "account_signin", l.T("account.signin.title"), v)
}

func (a *Account) handleSignInForm(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	var v signInView
	if r.URL.Query().Get("done") == "signout" {
		v.Done = l.T("account.signedout")
	}
	a.signInPage(w, r, http.StatusOK, v)
}

// maxEmail is the longest address an e-mail may have (RFC 5321).
const maxEmail = 254

// handleAskLink mails a sign-in link to each approved member whose contact
// is the address given, and answers the same page whatever it finds, so
// that nobody learns from it whose address is a member's. Requests are
// throttled per client and per address, members' or not. Cross-site posts
// were refused before this (the site's sameSite middleware): this form
// comes before any session, so it has no form token.
func (a *Account) handleAskLink(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		a.respond.ErrorPage(w, r, http.StatusBadRequest, "error.invalid")
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	v := signInView{Email: email}
	if email == "" || len(email) > maxEmail || !strings.Contains(email, "@") {
		v.Notice = l.T("account.signin.bademail")
		a.signInPage(w, r, http.StatusBadRequest, v)
		return
	}
	client := a.site.ClientKey(r)
	if ok, wait := a.clients.Allow(client); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(ratelimit.Seconds(wait), 1)))
		v.Notice = l.T("signin.paused")
		a.signInPage(w, r, http.StatusTooManyRequests, v)
		return
	}
	// One client asking often for one address gets the same answer and no
	// mail: answering 429 would let anyone lock a member out by asking for
	// its address first. The store caps what an address is sent in all
	// (registry.MailCap), whoever asks.
	if ok, _ := a.addresses.Allow(client + " " + email); ok {
		if err := a.mailLinks(r, email); err != nil {
			a.respond.UnavailablePage(w, r, err)
			return
		}
	}
	a.signInPage(w, r, http.StatusOK, signInView{Sent: l.T("account.signin.sent")})
}

// mailLinks puts a sign-in link in the outbox for each approved member the
// address looks after. A member revoked in between is no error: it simply
// gets no link.
func (a *Account) mailLinks(r *http.Request, email string) error {
	ms, err := a.store.FindMembersByContact(r.Context(), email)
	if err != nil {
		return err
	}
	for _, m := range ms {
		token, _ := auth.NewToken()
		err := a.store.CreateSignInLink(r.Context(), m.ID, token)
		switch {
		case errors.Is(err, registry.ErrMailCapped):
			a.log.Warn("sign-in link not mailed: the address was sent enough today", "member", m.ID)
		case registry.ErrorCode(err) == registry.ENOTFOUND:
		case err != nil:
			return err
		default:
			a.log.Info("sign-in link mailed", "member", m.ID)
		}
	}
	return nil
}

// linkView is the data of a sign-in link's page: the form that spends it.
type linkView struct{ Token string }

// linkHeaders keep a page whose address holds a sign-in token out of
// caches and out of the Referer of whatever it links to.
func linkHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

// handleLinkPage shows a button that spends the link: mail scanners open
// the links of the mails they read, and such a visit must not use up a
// link that works once. It changes nothing.
func (a *Account) handleLinkPage(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	l := locale.Negotiate(r)
	linkHeaders(w)
	a.respond.Page(w, r, l, http.StatusOK, "account_link", l.T("account.link.title"), linkView{Token: ps.ByName("token")})
}

// handleUseLink spends a sign-in link and opens a session. A link the
// store does not take is 410 Gone, whatever the reason (used, expired,
// never issued, its member no longer approved): the store keeps links by
// their hash only and deletes them once used, so it cannot tell these
// apart, and none of them will ever work again. The page offers to ask for
// a new one.
func (a *Account) handleUseLink(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	l := locale.Negotiate(r)
	linkHeaders(w)
	token := ps.ByName("token")
	gone := func() {
		a.respond.Page(w, r, l, http.StatusGone, "account_link", l.T("account.link.gone.title"), linkView{})
	}
	client := a.site.ClientKey(r)
	if blocked, after := a.misses.Blocked(client); blocked {
		w.Header().Set("Retry-After", strconv.Itoa(max(ratelimit.Seconds(after), 1)))
		a.respond.ErrorPage(w, r, http.StatusTooManyRequests, "error.rate_limited")
		return
	}
	if token == "" || len(token) > 200 {
		a.misses.Allow(client)
		gone()
		return
	}
	memberID, err := a.store.UseSignInLink(r.Context(), auth.TokenHash(token))
	if err == nil {
		err = a.startSession(w, r, memberID)
	}
	switch {
	case registry.ErrorCode(err) == registry.ENOTFOUND:
		if sess, _ := a.session(r); sess != nil {
			// The button pressed twice (a double tap, or back and again):
			// the first press signed this browser in, so in it goes.
			http.Redirect(w, r, "/account?lang="+string(l), http.StatusSeeOther)
			return
		}
		a.log.Info("sign-in link refused")
		a.misses.Allow(client) // only misses count: real links cost nothing
		gone()
	case err != nil:
		a.respond.UnavailablePage(w, r, err)
	default:
		a.log.Info("member signed in", "member", memberID)
		http.Redirect(w, r, "/account?lang="+string(l), http.StatusSeeOther)
	}
}

// handleSignOut ends the session and forgets its cookie.
func (a *Account) handleSignOut(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *session) {
	l := locale.Negotiate(r)
	if err := a.store.DeleteMemberSession(r.Context(), sess.TokenHash); err != nil {
		a.respond.UnavailablePage(w, r, err)
		return
	}
	a.setCookie(w, "", -1)
	http.Redirect(w, r, "/account/signin?done=signout&lang="+string(l), http.StatusSeeOther)
}
