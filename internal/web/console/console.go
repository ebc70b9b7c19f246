// Package console is the staff console: signing in, the request queue,
// members, events, imports, figures and the audit log, as server-rendered
// pages that work without JavaScript. Every form carries the session's form
// token, and every action is recorded under the signed-in staff member's
// name.
//
// The console knows the store and the pages; what else follows a change
// (badges dropped, live counts re-read) belongs to the site that mounts it,
// through Site.
package console

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/ratelimit"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// Site is what the console needs from the server that mounts it.
type Site interface {
	// MemberChanged follows any change to a member: its cached badges and
	// pages go, live counts are re-read, the change is counted and logged.
	MemberChanged(m *registry.Member, action registry.Action, actor string)
	// MembersImported follows an import of new members.
	MembersImported(ms []*registry.Member, actor string)
	// EventSaved follows an event created or changed.
	EventSaved(e *registry.Event)
	// KnownEvent is the event of a code, or nil, from the site's cache.
	KnownEvent(ctx context.Context, code string) (*registry.Event, error)
	// FlushScans writes the scans counted in memory, so funnels are current.
	FlushScans(ctx context.Context)
	// FlushEmbeds writes the badge views counted in memory, so a member's
	// badge sites are current.
	FlushEmbeds(ctx context.Context)
	// EventFiles are an event's short link and the addresses of its QR
	// codes and posters, by name.
	EventFiles(e *registry.Event) (shortLink string, print map[string]string)
	// ClientKey names the client for throttling.
	ClientKey(r *http.Request) string
	// TokenMatches compares a token with the admin token in constant time.
	TokenMatches(token string) bool
	// Slot runs f in one of the slots that bound heavy work (argon2id
	// takes 64 MiB while it runs).
	Slot(ctx context.Context, f func() error) error
}

// Config is what a console is built from.
type Config struct {
	Store   registry.Store
	Site    Site
	Respond *respond.Responder
	// PublicURL decides whether the session cookie is Secure (https).
	PublicURL string
	Now       func() time.Time
	Log       *slog.Logger
}

// Console serves the staff pages.
type Console struct {
	store     registry.Store
	site      Site
	respond   *respond.Responder
	publicURL string
	now       func() time.Time
	log       *slog.Logger
	// signInFails and accountFails throttle wrong sign-ins per client and
	// per account.
	signInFails, accountFails *ratelimit.Limiter
	dummy                     dummyHash
}

// New returns a console.
func New(cfg Config) *Console {
	return &Console{store: cfg.Store, site: cfg.Site, respond: cfg.Respond, publicURL: cfg.PublicURL, now: cfg.Now, log: cfg.Log,
		signInFails:  ratelimit.New(signInFailures, signInFailures, signInWindow, cfg.Now),
		accountFails: ratelimit.New(signInFailures, signInFailures, signInWindow, cfg.Now)}
}

// Router is where the console's routes go.
type Router = respond.Router

// Routes mounts the console's pages under /admin.
func (c *Console) Routes(r Router) {
	r.GET("/admin", c.staffPage(c.handleHome))
	r.GET("/admin/signin", c.handleSignInForm)
	r.POST("/admin/signin", c.handleSignIn)
	r.POST("/admin/signout", c.handleSignOut)
	r.GET("/admin/password", c.handlePasswordForm)
	r.POST("/admin/password", c.handleSetPassword)
	r.GET("/admin/queue", c.staffPage(c.handleQueue))
	r.GET("/admin/members", c.staffPage(c.handleMembers))
	r.GET("/admin/members/:id", c.staffPage(c.handleStaffMember))
	r.POST("/admin/members/:id/:action", c.staffPage(c.handleQueueDecision))
	// A form's answer is shown at the form's address: switching language or
	// reloading there is a GET, which goes back to the member's page.
	r.GET("/admin/members/:id/:action", c.staffPage(c.toMember))
	r.GET("/admin/events", c.staffPage(c.handleStaffEvents))
	r.POST("/admin/events", c.staffPage(c.handleStaffCreateEvent))
	r.GET("/admin/import", c.staffPage(c.handleImportForm))
	r.POST("/admin/import", c.staffForm(maxImportForm, c.handleImportPreview))
	r.POST("/admin/import/confirm", c.staffForm(maxImportForm, c.handleImportConfirm))
	r.GET("/admin/figures", c.staffPage(c.handleFigures))
	r.GET("/admin/events/:code", c.staffPage(c.handleStaffEvent))
	r.POST("/admin/events/:code", c.staffPage(c.handleStaffEditEvent))
	r.POST("/admin/events/:code/:action", c.staffPage(c.handleStaffArchiveEvent))
	r.GET("/admin/outbox", c.staffPage(c.handleOutbox))
	r.GET("/admin/audit", c.staffPage(c.handleStaffAudit))
	c.routeRequests(r)
}

// maxForm bounds a console form's body (an import's file is sent apart).
const maxForm = 64 << 10

// maxList is the most rows a console page lists at once.
const maxList = 1000

// staffHandle is a console page's handler: it runs with a valid session.
type staffHandle func(http.ResponseWriter, *http.Request, httprouter.Params, *registry.Session)

// staffPage lets a console page through only with a staff session (else to
// the sign-in page), and a form post only with the session's form token.
func (c *Console) staffPage(next staffHandle) httprouter.Handle { return c.staffForm(maxForm, next) }

// staffForm is staffPage for a form whose body may be up to limit bytes.
func (c *Console) staffForm(limit int64, next staffHandle) httprouter.Handle {
	return func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		w.Header().Set("Cache-Control", "no-store")
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		l := locale.Negotiate(r)
		sess, err := c.Session(r)
		switch {
		case err != nil:
			c.respond.UnavailablePage(w, r, err)
		case sess == nil && r.Method == http.MethodGet: // signing in comes back here
			http.Redirect(w, r, "/admin/signin?"+url.Values{"lang": {string(l)}, "next": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
		case sess == nil: // a form sent after the session ended: say so where one signs in again
			c.signInPage(w, r, http.StatusUnauthorized, signInView{Notice: l.T("console.expired"), Next: formPage(r)})
		case r.Method != http.MethodGet && !CSRFMatches(r, sess):
			c.errorPage(w, r, sess, http.StatusForbidden, "console.stale")
		default:
			next(w, r, ps, sess)
		}
	}
}

// page writes a console page: the layout shows the console's menu, with
// section marked as the current one, and the sign-out button.
func (c *Console) page(w http.ResponseWriter, r *http.Request, sess *registry.Session, status int, section, page, title string, data any) {
	l := locale.Negotiate(r)
	c.respond.View(w, r, status, page, respond.View{L: l, Title: title, Switch: respond.SwitchURL(r, l),
		Staff: &respond.Staff{Actor: sess.Actor, CSRF: sess.CSRF, Section: section, Sections: sections,
			BreakGlass: sess.StaffID == 0}, Data: data})
}

// sections are the console's menu, in order: "" is its home, each other one
// is /admin/{section}.
var sections = []string{"", "queue", "requests", "members", "events", "import", "figures", "outbox", "audit"}

// toMember sends a GET of a member's form address to the member's page.
func (c *Console) toMember(w http.ResponseWriter, r *http.Request, ps httprouter.Params, sess *registry.Session) {
	id, err := memberID(ps)
	if err != nil {
		c.errorPage(w, r, sess, http.StatusNotFound, "error.member")
		return
	}
	http.Redirect(w, r, "/admin/members/"+strconv.FormatInt(id, 10)+"?lang="+string(locale.Negotiate(r)), http.StatusSeeOther)
}

// formPage is the page a form was sent from, as its Referer says (a
// browser sends it for our own pages), so that signing in again goes back
// there; nextPage checks it is one of the console's.
func formPage(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host {
		return ""
	}
	return u.RequestURI()
}

// errorPage writes the error page with the console's menu when staff are
// signed in, so that the way back is the console, not the public site.
func (c *Console) errorPage(w http.ResponseWriter, r *http.Request, sess *registry.Session, status int, key string) {
	if sess == nil {
		c.respond.ErrorPage(w, r, status, key)
		return
	}
	l := locale.Negotiate(r)
	c.page(w, r, sess, status, "", "error", l.T("error.title"), respond.ErrorMessage{Message: l.T(key)})
}

// memberID reads the :id of a route; a malformed one is simply not found.
func memberID(ps httprouter.Params) (int64, error) {
	id, err := strconv.ParseInt(ps.ByName("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, registry.NotFound()
	}
	return id, nil
}

// nameWarnings are the name warnings of a pending or approved member, in
// the page's language, each naming the member it is about.
func (c *Console) nameWarnings(ctx context.Context, l locale.Lang, m *registry.Member) ([]string, error) {
	if m.Status != registry.StatusPending && m.Status != registry.StatusApproved {
		return nil, nil
	}
	similar, err := c.store.SimilarMembers(ctx, m)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, w := range registry.Warnings(m, similar) {
		msg := l.T("warning." + w.Kind)
		if w.Member != nil {
			msg += " (" + w.Member.Name + ")"
		}
		out = append(out, msg)
	}
	return out, nil
}
