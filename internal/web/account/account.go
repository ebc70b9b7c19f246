// Package account is the member area: a member company signs in with a
// link mailed to its contact, and then sees its listing, picks its badge,
// sees the sites showing it, turns its public listing on or off, asks staff
// for a change of name or website or for its data to be erased, and takes
// away everything we hold about it. Pages are server-rendered and work
// without JavaScript; every form carries the session's form token.
//
// The area knows the store and the pages; what follows a change (badges
// dropped, live counts re-read) and the badge kit belong to the site that
// mounts it, through Site.
package account

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/auth"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/ratelimit"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// Site is what the member area needs from the server that mounts it.
type Site interface {
	// MemberChanged follows any change to a member: its cached badges and
	// pages go, live counts are re-read, the change is logged.
	MemberChanged(m *registry.Member, action registry.Action, actor string)
	// ClientKey names the client for throttling.
	ClientKey(r *http.Request) string
	// BadgeKit is the badge picker of m in the page's language, with the
	// variant c chosen.
	BadgeKit(m *registry.Member, page locale.Lang, c respond.BadgeChoice) respond.BadgeKit
	// FlushEmbeds writes the badge views counted in memory, so the sites a
	// member sees are current.
	FlushEmbeds(ctx context.Context)
}

// Config is what a member area is built from.
type Config struct {
	Store   registry.Store
	Site    Site
	Respond *respond.Responder
	// PublicURL decides whether the session cookie is Secure (https).
	PublicURL string
	Now       func() time.Time
	Log       *slog.Logger
}

// Account serves the member area.
type Account struct {
	store     registry.Store
	site      Site
	respond   *respond.Responder
	publicURL string
	now       func() time.Time
	log       *slog.Logger
	// clients throttles requests for a sign-in link per client, and
	// addresses per client and address, whether or not the address is a
	// member's; misses counts a client's links that opened nothing.
	clients, addresses, misses *ratelimit.Limiter
}

// Requests for a sign-in link one client, and one address, may send an
// hour, and at once: a member who lost a mail asks again, a script that
// fills someone's mailbox stops.
const (
	clientLinks, clientBurst   = 20, 10
	addressLinks, addressBurst = 5, 3
	// linkMisses is how many unknown, used or expired links one client
	// may try an hour, as for confirmation links.
	linkMisses = 20
)

// New returns a member area.
func New(cfg Config) *Account {
	return &Account{store: cfg.Store, site: cfg.Site, respond: cfg.Respond, publicURL: cfg.PublicURL, now: cfg.Now, log: cfg.Log,
		clients:   ratelimit.New(clientLinks, clientBurst, time.Hour, cfg.Now),
		addresses: ratelimit.New(addressLinks, addressBurst, time.Hour, cfg.Now),
		misses:    ratelimit.New(linkMisses, linkMisses, time.Hour, cfg.Now)}
}

// Router is where the area's routes go.
type Router = respond.Router

// Routes mounts the area's pages under /account.
func (a *Account) Routes(r Router) {
	r.GET("/account", a.memberPage(a.handleHome))
	r.GET("/account/signin", a.handleSignInForm)
	r.POST("/account/signin", a.handleAskLink)
	r.GET("/account/signin/:token", a.handleLinkPage)
	r.POST("/account/signin/:token", a.handleUseLink)
	r.POST("/account/signout", a.memberPage(a.handleSignOut))
	r.GET("/account/badge", a.memberPage(a.handleBadge))
	r.POST("/account/consent", a.memberPage(a.handleConsent))
	r.POST("/account/changes", a.memberPage(a.handleChange))
	r.POST("/account/deletion", a.memberPage(a.handleDeletion))
	r.GET("/account/export.json", a.memberPage(a.handleExport))
	// A form's answer is shown at the form's address: a GET there (a reload,
	// the language switch) goes back to the area's home.
	for _, p := range []string{"/account/consent", "/account/changes", "/account/deletion", "/account/signout"} {
		r.GET(p, a.toHome)
	}
}

const (
	// sessionCookie holds a member session's token; the store keeps its
	// hash. It is sent to the area only.
	sessionCookie = "technopolys_member"
	cookiePath    = "/account"
	// maxForm bounds an area form's body.
	maxForm = 16 << 10
)

// session is a signed-in member: its session and the member as it is now.
type session struct {
	*registry.MemberSession
	Member *registry.Member
}

// memberHandle is an area page's handler: it runs with a live session.
type memberHandle func(http.ResponseWriter, *http.Request, httprouter.Params, *session)

// memberPage lets an area page through only with a member session (else to
// the sign-in page), and a form post only with the session's form token.
func (a *Account) memberPage(next memberHandle) httprouter.Handle {
	return func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		w.Header().Set("Cache-Control", "no-store")
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		l := locale.Negotiate(r)
		sess, err := a.session(r)
		switch {
		case err != nil:
			a.respond.UnavailablePage(w, r, err)
		case sess == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, "/account/signin?lang="+string(l), http.StatusSeeOther)
		case sess == nil: // a form sent after the session ended: say so where one asks for a link
			a.signInPage(w, r, http.StatusUnauthorized, signInView{Notice: l.T("account.expired")})
		case r.Method != http.MethodGet && !respond.CSRFMatches(r, sess.CSRF):
			a.respond.ErrorPage(w, r, http.StatusForbidden, "console.stale")
		default:
			next(w, r, ps, sess)
		}
	}
}

// session returns the request's member session and its member, or nil
// when it has none that is live (absent, idle or old, its member no longer
// approved).
func (a *Account) session(r *http.Request) (*session, error) {
	cookie, err := r.Cookie(sessionCookie)
	if err != nil || cookie.Value == "" || len(cookie.Value) > 200 {
		return nil, nil
	}
	se, err := a.store.TouchMemberSession(r.Context(), auth.TokenHash(cookie.Value))
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := a.store.FindMember(r.Context(), se.MemberID)
	if registry.ErrorCode(err) == registry.ENOTFOUND || (err == nil && m.Status != registry.StatusApproved) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &session{MemberSession: se, Member: m}, nil
}

// startSession stores a new session for a member and gives its token to
// the browser.
func (a *Account) startSession(w http.ResponseWriter, r *http.Request, memberID int64) error {
	token, hash := auth.NewToken()
	if err := a.store.CreateMemberSession(r.Context(), &registry.MemberSession{TokenHash: hash, MemberID: memberID, CSRF: rand.Text()}); err != nil {
		return err
	}
	a.setCookie(w, token, 0)
	return nil
}

// setCookie sets the session cookie, or with maxAge < 0 clears it. It is a
// session cookie (no Max-Age): the store ends the session anyway after
// MemberSessionIdle or MemberSessionMax.
func (a *Account) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: value, Path: cookiePath, MaxAge: maxAge, HttpOnly: true,
		Secure: strings.HasPrefix(a.publicURL, "https://"), SameSite: http.SameSiteLaxMode})
}

// nav is the area's menu on each of its pages: the page it is on, and the
// sign-out button's form token.
type nav struct {
	L             locale.Lang
	CSRF, Current string
}

// page writes an area page for a signed-in member.
func (a *Account) page(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	l := locale.Negotiate(r)
	a.respond.Page(w, r, l, status, page, title, data)
}

// toHome sends a GET of a form's address to the area's home.
func (a *Account) toHome(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	http.Redirect(w, r, "/account?lang="+string(locale.Negotiate(r)), http.StatusSeeOther)
}

// home is the area's home with a done= message, after a form.
func home(l locale.Lang, done string) string {
	return "/account?" + url.Values{"lang": {string(l)}, "done": {done}}.Encode()
}
