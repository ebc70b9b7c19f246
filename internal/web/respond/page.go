package respond

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/technopolys/technopolys/assets"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// View is what every page template receives.
type View struct {
	L      locale.Lang
	Title  string
	Switch string // this page in the other language
	// Staff is who is signed in to the console, on its pages: the layout
	// then shows the console's menu and the sign-out button.
	Staff *Staff
	// Share is the page's link preview and canonical address; nil for
	// the Responder's default (Responder.Share), which may be none.
	Share *Share
	Data  any
}

// Staff is the console's header: who is signed in, the form token its
// sign-out button sends, the console's sections ("" for its home) and the
// one the page belongs to.
type Staff struct {
	Actor, CSRF, Section string
	Sections             []string
	// BreakGlass is a session opened with the admin token, not an account.
	BreakGlass bool
}

// FieldMessage is one error of a form, linked to its field.
type FieldMessage struct{ Field, Message string }

// FieldMessages are a validation failure's problems, each with its field,
// for a form's error summary.
func FieldMessages(l locale.Lang, iv *registry.Invalid) []FieldMessage {
	out := make([]FieldMessage, len(iv.Problems))
	for i, p := range iv.Problems {
		out[i] = FieldMessage{Field: p.Field, Message: Problem(l, p)}
	}
	return out
}

// Pages are the page templates, each parsed with the layout.
type Pages map[string]*template.Template

// funcs are the helpers every template may use; callers add their own.
var funcs = template.FuncMap{
	"t":   func(l locale.Lang, key string) string { return l.T(key) },
	"int": func(l locale.Lang, n int) string { return l.Int(n) },
	// plural says n with key.one or key.many, as the language counts.
	"plural": func(l locale.Lang, n int, key string) string { return l.Plural(n, key) },
	"date":   func(l locale.Lang, t time.Time) string { return l.Date(t) },
	// name is a name as shown: its guillemets kept with their words.
	"name": locale.KeepTogether,
	// isodate is the machine-readable day of the same date, in Québec.
	"isodate": func(t time.Time) string { return t.In(locale.Zone).Format(time.DateOnly) },
	// markPath is the path data of the technopolys mark.
	"markPath": markPath,
}

// ParsePages parses each page template with the layout, at start, so a
// broken template stops the server before it serves anything. extra are
// helpers of particular pages.
func ParsePages(extra template.FuncMap) (Pages, error) {
	base, err := template.New("layout").Funcs(funcs).Funcs(extra).ParseFS(assets.FS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(assets.FS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := Pages{}
	for _, name := range names {
		page := path.Base(name[:len(name)-len(".html")])
		if page == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(assets.FS, name)
		if err != nil {
			return nil, err
		}
		pages[page] = t
	}
	return pages, nil
}

// SwitchURL is the current page with ?lang= set to the other language. It
// is a query-only reference ("?lang=en"), which a browser resolves against
// the page it is on: a path from the request never lands in it, so no path
// (such as //evil.example/login) can make it lead off our site.
func SwitchURL(r *http.Request, l locale.Lang) string {
	q := r.URL.Query()
	q.Set("lang", string(l.Other()))
	return "?" + q.Encode()
}

// Page writes a page in language l, which the caller negotiated.
func (rs *Responder) Page(w http.ResponseWriter, r *http.Request, l locale.Lang, status int, page, title string, data any) {
	rs.View(w, r, status, page, View{L: l, Title: title, Switch: SwitchURL(r, l), Data: data})
}

// View writes a page from a whole view (the console's, with its header).
func (rs *Responder) View(w http.ResponseWriter, r *http.Request, status int, page string, v View) {
	if v.Share == nil && v.Staff == nil && status == http.StatusOK && rs.Share != nil {
		v.Share = rs.Share(r, v)
	}
	body, err := rs.Pages.Body(page, v)
	if err != nil {
		rs.Log.Error("render", "page", page, "err", err)
		http.Error(w, v.L.T("error.internal"), http.StatusInternalServerError)
		return
	}
	WritePage(w, v.L, status, body)
}

// Body executes a page template with the layout.
func (p Pages) Body(page string, v View) ([]byte, error) {
	var buf bytes.Buffer
	err := p[page].ExecuteTemplate(&buf, "layout", v)
	return buf.Bytes(), err
}

// WritePage sends a page. Pages are never cached by browsers or proxies: a
// verification page must disappear the moment a membership is revoked.
func WritePage(w http.ResponseWriter, l locale.Lang, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(l)+"-CA")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	// A page that holds a secret in its address (a one-time link) sets its
	// own Referrer-Policy, and a signed-in page its own Cache-Control
	// (no-store); the others take these.
	if h.Get("Referrer-Policy") == "" {
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	h.Add("Vary", "Accept-Language")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// ErrorMessage is the data of the error page: what happened, a hint's
// message key (or none) and whether the directory is a way on.
type ErrorMessage struct {
	Message, Hint string
	Directory     bool
}

// ErrorPage renders the error page with a message from the catalogue, under
// a heading that says the kind of failure.
func (rs *Responder) ErrorPage(w http.ResponseWriter, r *http.Request, status int, key string) {
	l := locale.Negotiate(r)
	heading, data := errorHeading(status), ErrorMessage{Message: l.T(key)}
	switch status {
	case http.StatusNotFound, http.StatusGone:
		data.Hint, data.Directory = "error.hint.member", true
	case http.StatusServiceUnavailable:
		data.Hint = "error.hint.retry"
	}
	rs.Page(w, r, l, status, "error", l.T(heading), data)
}

// errorHeading is the error page's heading for a status.
func errorHeading(status int) string {
	switch status {
	case http.StatusNotFound:
		return "error.heading.notfound"
	case http.StatusGone:
		return "error.heading.gone"
	case http.StatusBadRequest:
		return "error.heading.invalid"
	case http.StatusServiceUnavailable, http.StatusTooManyRequests:
		return "error.heading.busy"
	}
	return "error.heading"
}

// UnavailablePage answers a page route whose store or renderer failed: 503
// with Retry-After when the failure is an outage or overload, 500 (logged)
// otherwise.
func (rs *Responder) UnavailablePage(w http.ResponseWriter, r *http.Request, err error) {
	if Status(Code(err)) != http.StatusServiceUnavailable {
		rs.Log.Error("page failed", "path", LogPath(r), "err", err)
		rs.ErrorPage(w, r, http.StatusInternalServerError, "error.internal")
		return
	}
	rs.LogUnavailable(r, err)
	w.Header().Set("Retry-After", RetryAfter)
	rs.ErrorPage(w, r, http.StatusServiceUnavailable, "error.unavailable")
}
