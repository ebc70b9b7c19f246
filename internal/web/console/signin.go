package console

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/auth"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

const (
	// sessionCookie holds a staff session's token; the store keeps its hash.
	sessionCookie = "tp_session"
	// SessionIdle ends a session nobody used for that long.
	SessionIdle = 12 * time.Hour
	// signInFailures is how many wrong passwords an account or a client may
	// send in signInWindow before it must wait.
	signInFailures = 5
	signInWindow   = 15 * time.Minute
)

// signInView is the sign-in page's data.
type signInView struct {
	Email, Notice, Done string
	// Next is the console page to go to once signed in.
	Next string
}

// signInPage writes the sign-in page.
func (c *Console) signInPage(w http.ResponseWriter, r *http.Request, status int, v signInView) {
	l := locale.Negotiate(r)
	w.Header().Set("Cache-Control", "no-store")
	c.respond.Page(w, r, l, status, "signin", l.T("signin.title"), v)
}

// nextPage is where to go once signed in: the console page asked for, if
// it is one (a path of ours under /admin, never another site), else the
// console's home.
func nextPage(next string, l locale.Lang) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/admin") ||
		strings.HasPrefix(u.Path, "/admin/signin") || strings.ContainsAny(next, "\\\r\n") {
		return "/admin?lang=" + string(l)
	}
	return u.RequestURI()
}

func (c *Console) handleSignInForm(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	v := signInView{Next: r.URL.Query().Get("next")}
	switch r.URL.Query().Get("done") {
	case "signout":
		v.Done = l.T("signin.signedout")
	case "password":
		v.Done = l.T("signin.passwordset")
	}
	c.signInPage(w, r, http.StatusOK, v)
}

// handleSignIn opens a session for a staff account (e-mail and password)
// or, as a break-glass, for the admin token. Failures are logged and
// throttled per account and per client; the password is checked in a
// render slot, since argon2id takes 64 MiB while it runs.
func (c *Console) handleSignIn(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		c.respond.ErrorPage(w, r, http.StatusBadRequest, "error.invalid")
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	v := signInView{Email: email, Next: r.PostForm.Get("next")}
	client := c.site.ClientKey(r)
	if c.signInBlocked(client, email) {
		v.Notice = l.T("signin.paused")
		c.signInPage(w, r, http.StatusTooManyRequests, v)
		return
	}
	staffID, actor, err := c.checkSignIn(r, l, email)
	if err != nil {
		if respond.Status(respond.Code(err)) == http.StatusServiceUnavailable {
			c.respond.UnavailablePage(w, r, err)
			return
		}
		c.log.Info("sign-in refused", "email", email, "form", r.PostForm.Get("form"))
		c.signInFails.Allow(client)
		if email != "" {
			c.accountFails.Allow("account:" + email)
		}
		v.Notice = l.T("signin.refused")
		if r.PostForm.Get("form") == "token" {
			v.Notice = l.T("signin.token.refused")
		}
		c.signInPage(w, r, http.StatusUnauthorized, v)
		return
	}
	if err := c.startSession(w, r, staffID, actor); err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	c.log.Info("signed in", "actor", actor)
	http.Redirect(w, r, nextPage(v.Next, l), http.StatusSeeOther)
}

func (c *Console) signInBlocked(client, email string) bool {
	blocked, _ := c.signInFails.Blocked(client)
	if !blocked && email != "" {
		blocked, _ = c.accountFails.Blocked("account:" + email)
	}
	return blocked
}

// errSignIn is a refused sign-in, whatever the reason: the page never says
// whether the e-mail exists.
var errSignIn = respond.Err(respond.EUNAUTHORIZED, "unauthorized")

// checkSignIn returns who signs in: a staff account, or the admin token.
func (c *Console) checkSignIn(r *http.Request, l locale.Lang, email string) (staffID int64, actor string, err error) {
	if r.PostForm.Get("form") == "token" {
		given := strings.TrimSpace(r.PostForm.Get("token"))
		if !c.site.TokenMatches(given) {
			return 0, "", errSignIn
		}
		return 0, registry.BreakGlassActor, nil
	}
	st, err := c.store.FindStaffByEmail(r.Context(), email)
	if err != nil && registry.ErrorCode(err) != registry.ENOTFOUND {
		return 0, "", err
	}
	ok := false
	err = c.site.Slot(r.Context(), func() error {
		hash := c.dummyHash()
		if st != nil && !st.Disabled && st.PasswordHash != "" {
			hash = st.PasswordHash
		}
		ok = auth.Verify(hash, r.PostForm.Get("password")) && st != nil && !st.Disabled && st.PasswordHash != ""
		return nil
	})
	if err != nil {
		return 0, "", err
	}
	if !ok {
		return 0, "", errSignIn
	}
	return st.ID, st.Name, nil
}

// dummyHash is checked against for unknown accounts, so that the time a
// refusal takes does not tell which e-mails have one.
func (c *Console) dummyHash() string {
	c.dummy.once.Do(func() { c.dummy.hash, _ = auth.Hash(rand.Text()) })
	return c.dummy.hash
}

type dummyHash struct {
	once sync.Once
	hash string
}

// startSession stores a new session and gives its token to the browser.
func (c *Console) startSession(w http.ResponseWriter, r *http.Request, staffID int64, actor string) error {
	token, hash := auth.NewToken()
	sess := &registry.Session{TokenHash: hash, StaffID: staffID, Actor: actor, CSRF: rand.Text()}
	if err := c.store.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: strings.HasPrefix(c.publicURL, "https://"), SameSite: http.SameSiteLaxMode})
	return nil
}

// Session returns the request's staff session, or nil when it has none
// that is valid (absent, expired, its account disabled).
func (c *Console) Session(r *http.Request) (*registry.Session, error) {
	cookie, err := r.Cookie(sessionCookie)
	if err != nil || cookie.Value == "" || len(cookie.Value) > 200 {
		return nil, nil
	}
	sess, err := c.store.TouchSession(r.Context(), auth.TokenHash(cookie.Value), SessionIdle)
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		return nil, nil
	}
	return sess, err
}

// CSRFMatches reports whether a state-changing request carries the staff
// session's form token (respond.CSRFMatches).
func CSRFMatches(r *http.Request, sess *registry.Session) bool {
	return respond.CSRFMatches(r, sess.CSRF)
}

func (c *Console) handleSignOut(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	if cookie, err := r.Cookie(sessionCookie); err == nil {
		sess, _ := c.Session(r)
		if sess != nil && !CSRFMatches(r, sess) {
			c.respond.ErrorPage(w, r, http.StatusForbidden, "error.forbidden")
			return
		}
		if err := c.store.DeleteSession(r.Context(), auth.TokenHash(cookie.Value)); err != nil {
			c.respond.UnavailablePage(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: strings.HasPrefix(c.publicURL, "https://"), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/admin/signin?done=signout&lang="+string(l), http.StatusSeeOther)
}

// passwordView is the set-password page's data: the one-time link's token
// rides in a hidden field, and is spent only when the form is sent (a mail
// scanner that opens the link must not use it up).
type passwordView struct{ Token, Notice string }

func (c *Console) handlePasswordForm(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the address
	c.respond.Page(w, r, l, http.StatusOK, "password", l.T("password.title"), passwordView{Token: r.URL.Query().Get("token")})
}

func (c *Console) handleSetPassword(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		c.respond.ErrorPage(w, r, http.StatusBadRequest, "error.invalid")
		return
	}
	v := passwordView{Token: r.PostForm.Get("token")}
	var hash string
	err := c.site.Slot(r.Context(), func() (err error) {
		hash, err = auth.Hash(r.PostForm.Get("password"))
		return err
	})
	if err == auth.ErrWeak {
		v.Notice = l.T("password.weak")
		c.respond.Page(w, r, l, http.StatusBadRequest, "password", l.T("password.title"), v)
		return
	}
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	id, err := c.store.UseStaffLink(r.Context(), auth.TokenHash(v.Token))
	if err == nil {
		err = c.store.SetStaffPassword(r.Context(), id, hash)
	}
	switch {
	case registry.ErrorCode(err) == registry.ENOTFOUND:
		v.Notice = l.T("password.badlink")
		c.respond.Page(w, r, l, http.StatusBadRequest, "password", l.T("password.title"), v)
	case err != nil:
		c.respond.UnavailablePage(w, r, err)
	default:
		c.log.Info("staff password set", "staff", id)
		http.Redirect(w, r, "/admin/signin?done=password&lang="+string(l), http.StatusSeeOther)
	}
}
