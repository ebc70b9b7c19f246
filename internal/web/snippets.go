package web

import (
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// badgeSection is the "Your badge" part of a verification page: every style
// and theme previewed, a form to choose one, and snippets of the chosen
// variant ready to paste.
type badgeSection struct {
	Choice                       badgeChoice
	Styles                       []badge.Style
	Themes                       []badge.Theme
	Langs                        []locale.Lang
	Chosen                       badgePreview
	Previews                     []badgePreview
	HTML, Picture, Markdown, URL string
}

type badgePreview struct {
	Style         badge.Style
	Theme         badge.Theme
	Src           string
	Width, Height int
	// Choose reloads the page with this variant chosen.
	Choose string
}

// badgeChoice is the variant a member picked on the verification page:
// ?style=&theme=&badge_lang= (badge_lang, since lang is the page's own).
type badgeChoice struct {
	Style badge.Style
	Theme badge.Theme
	Lang  locale.Lang
}

// parseBadgeChoice reads the choice, each part on its own: an unknown value
// gives that part's default (flat, light, the page's language) rather than
// an error, so that a mistyped link still shows the page, and nothing but
// the 24 known variants can ever be drawn from it.
func parseBadgeChoice(q url.Values, page locale.Lang) badgeChoice {
	c := badgeChoice{Style: badge.Flat, Theme: badge.Light, Lang: page}
	if st := badge.Style(q.Get("style")); slices.Contains(badge.Styles(), st) {
		c.Style = st
	}
	if th := badge.Theme(q.Get("theme")); slices.Contains(badge.Themes(), th) {
		c.Theme = th
	}
	if l, ok := locale.Parse(q.Get("badge_lang")); ok {
		c.Lang = l
	}
	return c
}

// options are the badge options of the choice at scale 1.
func (c badgeChoice) options() badge.Options {
	return badge.Options{Style: c.Style, Theme: c.Theme, Lang: c.Lang, Scale: 1}
}

// pageQuery is the verification page's query for the choice in the page's
// language: the parameters left out are the defaults.
func (c badgeChoice) pageQuery(page locale.Lang) string {
	q := url.Values{"lang": {string(page)}}
	if c.Style != badge.Flat {
		q.Set("style", string(c.Style))
	}
	if c.Theme != badge.Light {
		q.Set("theme", string(c.Theme))
	}
	if c.Lang != page {
		q.Set("badge_lang", string(c.Lang))
	}
	return "?" + q.Encode()
}

// badgeQuery is a badge image's query for the choice, theme as given
// (a PNG has no automatic theme: callers pass light or dark).
func (c badgeChoice) badgeQuery(theme badge.Theme, extra ...string) url.Values {
	q := url.Values{"lang": {string(c.Lang)}}
	if c.Style != badge.Flat {
		q.Set("style", string(c.Style))
	}
	if theme != badge.Light {
		q.Set("theme", string(theme))
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}

func (s *Server) badgeSection(m *registry.Member, page locale.Lang, c badgeChoice) badgeSection {
	sec := badgeSection{Choice: c, Styles: badge.Styles(), Themes: badge.Themes(), Langs: []locale.Lang{locale.FR, locale.EN}}
	b := badge.Badge{Kind: badge.Member, Name: m.Name}
	for _, st := range badge.Styles() {
		for _, th := range badge.Themes() {
			v := badgeChoice{Style: st, Theme: th, Lang: c.Lang}
			w, h := s.badges.renderer.Size(b, v.options())
			p := badgePreview{Style: st, Theme: th, Width: w, Height: h, Choose: v.pageQuery(page) + "#badge-choice",
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
		return s.cfg.PublicURL + badgePath(m.Slug, format, c.badgeQuery(theme, extra...))
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
