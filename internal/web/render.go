package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/assets"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// pageFuncs are the template helpers of visitors' pages.
var pageFuncs = template.FuncMap{
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

// pageDraft is what a cached page needs when it must be drawn.
type pageDraft struct {
	page, title string
	data        any
	share       *respond.Share // nil for the default
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
		body, err := s.respond.Pages.Body(d.page, respond.View{L: l, Title: d.title, Switch: switchTo, Data: d.data, Share: d.share})
		if err != nil {
			return nil, err
		}
		return newRendered(body, "text/html; charset=utf-8"), nil
	})
	if err != nil {
		s.respond.UnavailablePage(w, r, err)
		return
	}
	respond.WritePage(w, l, http.StatusOK, img.body)
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
