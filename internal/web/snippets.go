package web

import (
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// badgeSection is the "Your badge" part of a verification page: every style
// and theme previewed, and snippets ready to paste, in the page's language.
type badgeSection struct {
	Previews                     []badgePreview
	HTML, Picture, Markdown, URL string
}

type badgePreview struct {
	Style         badge.Style
	Theme         badge.Theme
	Src           string
	Width, Height int
}

func (s *Server) badgeSection(m *registry.Member, l locale.Lang) badgeSection {
	var sec badgeSection
	b := badge.Badge{Kind: badge.Member, Name: m.Name}
	for _, st := range badge.Styles() {
		for _, th := range badge.Themes() {
			o := badge.Options{Style: st, Theme: th, Lang: l, Scale: 1}
			w, h := s.badges.renderer.Size(b, o)
			sec.Previews = append(sec.Previews, badgePreview{Style: st, Theme: th, Width: w, Height: h,
				Src: badgePath(m.Slug, "svg", url.Values{"lang": {string(l)}, "style": {string(st)}, "theme": {string(th)}})})
		}
	}
	w, h := s.badges.renderer.Size(b, badge.Defaults(l))
	size := ` width="` + strconv.Itoa(w) + `" height="` + strconv.Itoa(h) + `"`
	page := s.cfg.PublicURL + "/members/" + m.Slug
	alt := l.T("badge.title", m.Name)
	img := func(format string, extra ...string) string {
		q := url.Values{"lang": {string(l)}}
		for i := 0; i+1 < len(extra); i += 2 {
			q.Set(extra[i], extra[i+1])
		}
		return s.cfg.PublicURL + badgePath(m.Slug, format, q)
	}
	a := func(inner string) string { return `<a href="` + html.EscapeString(page) + `">` + inner + `</a>` }
	sec.URL = img("svg")
	sec.HTML = a(`<img src="` + html.EscapeString(sec.URL) + `" alt="` + html.EscapeString(alt) + `"` + size + `>`)
	sec.Picture = a(`<picture><source media="(prefers-color-scheme: dark)" srcset="` +
		html.EscapeString(img("png", "theme", "dark")+", "+img("png", "theme", "dark", "scale", "2")+" 2x") + `">` +
		`<img src="` + html.EscapeString(img("png")) + `" srcset="` + html.EscapeString(img("png", "scale", "2")+" 2x") +
		`" alt="` + html.EscapeString(alt) + `"` + size + `></picture>`)
	sec.Markdown = "[![" + markdownText(alt) + "](" + sec.URL + ")](" + page + ")"
	return sec
}

// badgePath is a badge's path and query on our site.
func badgePath(slug, format string, q url.Values) string {
	return "/badge/" + url.PathEscape(slug) + "." + format + "?" + q.Encode()
}

// markdownText escapes what Markdown would read as markup in link text.
var markdownText = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `<`, `&lt;`, `>`, `&gt;`, "\n", " ").Replace
