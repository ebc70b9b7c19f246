package respond

import (
	"net/url"
	"slices"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
)

// BadgeKit is the badge picker a member's pages show (the verification
// page, the member area): every style and theme previewed, a form to
// choose one, and snippets of the chosen variant ready to paste. The
// template "badge-kit" (partials/badge.html) draws it.
type BadgeKit struct {
	// L is the language of the page the kit is on.
	L                            locale.Lang
	Choice                       BadgeChoice
	Styles                       []badge.Style
	Themes                       []badge.Theme
	Langs                        []locale.Lang
	Chosen                       BadgePreview
	Previews                     []BadgePreview
	HTML, Picture, Markdown, URL string
}

// BadgePreview is one variant of the badge, as an image of our site.
type BadgePreview struct {
	Style         badge.Style
	Theme         badge.Theme
	Src           string
	Width, Height int
	// Choose reloads the page with this variant chosen.
	Choose string
}

// BadgeChoice is the variant a member picked: ?style=&theme=&badge_lang=
// (badge_lang, since lang is the page's own).
type BadgeChoice struct {
	Style badge.Style
	Theme badge.Theme
	Lang  locale.Lang
}

// ParseBadgeChoice reads the choice, each part on its own: an unknown value
// gives that part's default (flat, light, the page's language) rather than
// an error, so that a mistyped link still shows the page, and nothing but
// the 24 known variants can ever be drawn from it.
func ParseBadgeChoice(q url.Values, page locale.Lang) BadgeChoice {
	c := BadgeChoice{Style: badge.Flat, Theme: badge.Light, Lang: page}
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

// Options are the badge options of the choice at scale 1.
func (c BadgeChoice) Options() badge.Options {
	return badge.Options{Style: c.Style, Theme: c.Theme, Lang: c.Lang, Scale: 1}
}

// PageQuery is the page's query for the choice in the page's language:
// the parameters left out are the defaults. It is a query-only reference,
// so it leads back to whichever page the kit is on.
func (c BadgeChoice) PageQuery(page locale.Lang) string {
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

// BadgeQuery is a badge image's query for the choice, theme as given
// (a PNG has no automatic theme: callers pass light or dark).
func (c BadgeChoice) BadgeQuery(theme badge.Theme, extra ...string) url.Values {
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
