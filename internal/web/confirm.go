package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/auth"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/ratelimit"
	"github.com/technopolys/technopolys/internal/registry"
)

// confirmFailures is how many unknown or expired confirmation links one
// client may try an hour. Only misses count: a venue's shared address
// confirms as many real links as it likes, while guessing a 260-bit token
// at twenty an hour is hopeless.
const confirmFailures = 20

// confirmLinks serves the receipt's link, which confirms the contact's
// address.
type confirmLinks struct {
	s     *Server
	fails *ratelimit.Limiter
}

func (s *Server) registerConfirmRoutes(r router) {
	c := &confirmLinks{s: s, fails: ratelimit.New(confirmFailures, confirmFailures, time.Hour, s.now)}
	r.GET("/join/confirm/:token", c.handleConfirmPage)
	r.POST("/join/confirm/:token", c.handleConfirm)
}

// confirmView is the confirmation page: the question (with its button),
// the address confirmed, or the link unknown.
type confirmView struct {
	State string // "ask", "done" or "unknown"
	// Lead names the company, never the contact's address: whoever holds
	// the link learns nothing of the contact from it.
	Lead string
}

// handleConfirmPage asks before confirming. Mail scanners (Outlook's Safe
// Links and the like) fetch every link of a mail before its reader does:
// a GET that confirmed would let a scanner confirm an address nobody read,
// so the GET changes nothing and the button POSTs.
func (c *confirmLinks) handleConfirmPage(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	w = tokenPage{w}
	if !c.allowed(w, r) {
		return
	}
	m, err := c.s.store.FindConfirmLink(r.Context(), auth.TokenHash(ps.ByName("token")))
	v := confirmView{State: "ask"}
	if err == nil && !m.ContactConfirmedAt.IsZero() {
		v.State = "done" // confirmed already: nothing to ask
	}
	c.answer(w, r, m, err, v)
}

// handleConfirm confirms the contact's address. It needs no session (the
// token in the path is the secret), and the sameSite middleware refuses
// it from another site. Confirming again says the same: the first time is
// kept.
func (c *confirmLinks) handleConfirm(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	w = tokenPage{w}
	if !c.allowed(w, r) {
		return
	}
	m, err := c.s.store.ConfirmContact(r.Context(), auth.TokenHash(ps.ByName("token")))
	if err == nil {
		c.s.log.Info("contact confirmed", "member", m.ID)
	}
	c.answer(w, r, m, err, confirmView{State: "done"})
}

// allowed refuses a client that has tried too many unknown links lately.
func (c *confirmLinks) allowed(w http.ResponseWriter, r *http.Request) bool {
	blocked, after := c.fails.Blocked(c.s.clientKey(r))
	if blocked {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.Seconds(after)))
		c.s.respond.ErrorPage(w, r, http.StatusTooManyRequests, "error.rate_limited")
	}
	return !blocked
}

// answer writes the page for the member a link led to, or says the link
// is unknown (counting the miss against the client).
func (c *confirmLinks) answer(w http.ResponseWriter, r *http.Request, m *registry.Member, err error, v confirmView) {
	l := locale.Negotiate(r)
	switch {
	case registry.ErrorCode(err) == registry.ENOTFOUND:
		c.fails.Allow(c.s.clientKey(r))
		v = confirmView{State: "unknown"}
		c.s.respond.Page(w, r, l, http.StatusNotFound, "confirm", l.T("confirm.unknown.title"), v)
		return
	case err != nil:
		c.s.respond.UnavailablePage(w, r, err)
		return
	}
	title := l.T("confirm.title")
	v.Lead = l.T("confirm.lead", m.Name)
	if v.State == "done" {
		title, v.Lead = l.T("confirm.done.title"), l.T("confirm.done.lead", m.Name)
	}
	c.s.respond.Page(w, r, l, http.StatusOK, "confirm", title, v)
}

// tokenPage is an answer to a URL that holds a secret token: no cache
// keeps it, and no page it links to learns the URL from the Referer.
type tokenPage struct{ http.ResponseWriter }

func (w tokenPage) WriteHeader(code int) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.ResponseWriter.WriteHeader(code)
}

func (w tokenPage) Write(b []byte) (int, error) {
	if w.Header().Get("Referrer-Policy") != "no-referrer" { // written without WriteHeader
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w tokenPage) Unwrap() http.ResponseWriter { return w.ResponseWriter }
