package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/assets"
	"github.com/technopolys/technopolys/internal/locale"
)

// view is what every page template receives.
type view struct {
	L      locale.Lang
	Title  string
	Switch string // this page in the other language
	Data   any
}

var funcs = template.FuncMap{
	"t":    func(l locale.Lang, key string) string { return l.T(key) },
	"int":  func(l locale.Lang, n int) string { return l.Int(n) },
	"date": func(l locale.Lang, t time.Time) string { return l.Date(t) },
	// isodate is the machine-readable day of the same date, in Québec.
	"isodate": func(t time.Time) string { return t.In(locale.Zone).Format(time.DateOnly) },
	"field": func(f joinForm, name string) fieldView {
		return fieldView{Errors: f.Errors, Field: name}
	},
	"snippet": func(l locale.Lang, id, label, code string) snippetView {
		return snippetView{L: l, ID: id, Label: label, Code: code}
	},
}

// snippetView is one copy-ready snippet of the verification page.
type snippetView struct {
	L               locale.Lang
	ID, Label, Code string
}

// fieldView is what the field-error template receives.
type fieldView struct {
	Errors map[string]string
	Field  string
}

// parsePages parses each page template with the layout, at start, so a broken
// template stops the server before it serves anything.
func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout").Funcs(funcs).ParseFS(assets.FS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(assets.FS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
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

// switchURL is the current page with ?lang= set to the other language. It
// is a query-only reference ("?lang=en"), which a browser resolves against
// the page it is on: a path from the request never lands in it, so no path
// (such as //evil.example/login) can make it lead off our site.
func switchURL(r *http.Request, l locale.Lang) string {
	q := r.URL.Query()
	q.Set("lang", string(l.Other()))
	return "?" + q.Encode()
}

// render writes a page in language l, which the caller negotiated.
func (s *Server) render(w http.ResponseWriter, r *http.Request, l locale.Lang, status int, page, title string, data any) {
	body, err := s.pageBody(l, page, title, switchURL(r, l), data)
	if err != nil {
		s.log.Error("render", "page", page, "err", err)
		http.Error(w, l.T("error.internal"), http.StatusInternalServerError)
		return
	}
	writePage(w, l, status, body)
}

// pageBody executes a page template with the layout.
func (s *Server) pageBody(l locale.Lang, page, title, switchTo string, data any) ([]byte, error) {
	var buf bytes.Buffer
	err := s.pages[page].ExecuteTemplate(&buf, "layout", view{L: l, Title: title, Switch: switchTo, Data: data})
	return buf.Bytes(), err
}

// writePage sends a page. Pages are never cached by browsers or proxies: a
// verification page must disappear the moment a membership is revoked.
func writePage(w http.ResponseWriter, l locale.Lang, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(l)+"-CA")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Language")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// pageDraft is what a cached page needs when it must be drawn.
type pageDraft struct {
	page, title string
	data        any
}

// cachedPage answers a busy page (the landing page, the directory) from
// memory: key names everything the page shows, so an entry is never stale,
// and it lives under the image cache's byte budget, drawn in a render slot.
// switchTo is the other language's address, built from the page's own
// parameters so that cache busters do not make new entries.
func (s *Server) cachedPage(w http.ResponseWriter, r *http.Request, l locale.Lang, key, switchTo string, draft func() (pageDraft, error)) {
	img, err := s.cached(r.Context(), "page|"+key, func() (*rendered, error) {
		d, err := draft()
		if err != nil {
			return nil, err
		}
		body, err := s.pageBody(l, d.page, d.title, switchTo, d.data)
		if err != nil {
			return nil, err
		}
		return newRendered(body, "text/html; charset=utf-8"), nil
	})
	if err != nil {
		s.unavailablePage(w, r, err)
		return
	}
	writePage(w, l, http.StatusOK, img.body)
}

// errorMessageView is the data of the error page.
type errorMessageView struct{ Message string }

// errorPage renders the error page with a message from the catalogue.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, key string) {
	l := locale.Negotiate(r)
	s.render(w, r, l, status, "error", l.T("error.title"), errorMessageView{Message: l.T(key)})
}

// unavailablePage answers a page route whose store or renderer failed: 503
// with Retry-After when the failure is an outage or overload, 500 (logged)
// otherwise.
func (s *Server) unavailablePage(w http.ResponseWriter, r *http.Request, err error) {
	if statusOf[errorCode(err)] != http.StatusServiceUnavailable {
		s.log.Error("page failed", "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, "error.internal")
		return
	}
	s.logUnavailable(r, err)
	w.Header().Set("Retry-After", retryAfter)
	s.errorPage(w, r, http.StatusServiceUnavailable, "error.unavailable")
}

// handleStatic serves the embedded stylesheet and scripts.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	name := ps.ByName("file")
	body, err := fs.ReadFile(assets.FS, "static/"+name)
	if err != nil {
		s.handleNotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}
