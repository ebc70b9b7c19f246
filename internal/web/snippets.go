package web

import (
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// badgeKit is the badge picker of a member's page in language page, with
// the variant c chosen.
func (s *Server) badgeKit(m *registry.Member, page locale.Lang, c respond.BadgeChoice) respond.BadgeKit {
	sec := respond.BadgeKit{L: page, Choice: c, Styles: badge.Styles(), Themes: badge.Themes(), Langs: []locale.Lang{locale.FR, locale.EN}}
	b := badge.Badge{Kind: badge.Member, Name: m.Name}
	for _, st := range badge.Styles() {
		for _, th := range badge.Themes() {
			v := respond.BadgeChoice{Style: st, Theme: th, Lang: c.Lang}
			w, h := s.badges.renderer.Size(b, v.Options())
			p := respond.BadgePreview{Style: st, Theme: th, Width: w, Height: h, Choose: v.PageQuery(page) + "#badge-choice",
				Src: badgePath(m.Slug, "svg", url.Values{"lang": {string(c.Lang)}, "style": {string(st)}, "theme": {string(th)}})}
			sec.Previews = append(sec.Previews, p)
			if v == c {
				sec.Chosen = p
			}
		}
	}
	size := ` width="` + strconv.Itoa(sec.Chosen.Width) + `" height="` + strconv.Itoa(sec.Chosen.Height) + `"`
	pageURL := s.cfg.PublicURL + "/members/" + m.Slug
	// The snippets go on the member's site, in the badge's language.
	alt := c.Lang.T("badge.title", m.Name)
	img := func(format string, theme badge.Theme, extra ...string) string {
		return s.cfg.PublicURL + badgePath(m.Slug, format, c.BadgeQuery(theme, extra...))
	}
	a := func(inner string) string { return `<a href="` + html.EscapeString(pageURL) + `">` + inner + `</a>` }
	sec.URL = img("svg", c.Theme)
	sec.HTML = a(`<img src="` + html.EscapeString(sec.URL) + `" alt="` + html.EscapeString(alt) + `"` + size + `>`)
	// <picture> follows the reader's colour scheme with PNGs, light and
	// dark whatever theme was chosen; the style and language are the choice's.
	sec.Picture = a(`<picture><source media="(prefers-color-scheme: dark)" srcset="` +
		html.EscapeString(img("png", badge.Dark)+", "+img("png", badge.Dark, "scale", "2")+" 2x") + `">` +
		`<img src="` + html.EscapeString(img("png", badge.Light)) + `" srcset="` + html.EscapeString(img("png", badge.Light, "scale", "2")+" 2x") +
		`" alt="` + html.EscapeString(alt) + `"` + size + `></picture>`)
	sec.Markdown = "[![" + markdownText(alt) + "](" + sec.URL + ")](" + pageURL + ")"
	return sec
}

// badgePath is a badge's path and query on our site.
func badgePath(slug, format string, q url.Values) string {
	return "/badge/" + url.PathEscape(slug) + "." + format + "?" + q.Encode()
}

// markdownText escapes what Markdown would read as markup in link text.
var markdownText = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `<`, `&lt;`, `>`, `&gt;`, "\n", " ").Replace
