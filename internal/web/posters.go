package web

import (
	"net/url"
	"slices"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/qr"
)

// parsePosterOptions reads a poster's layout (poster, tent or large;
// poster by default) and paper (letter or a4; letter by default) and
// names the first that is not one of them, or that is given twice (an
// empty one is the default, as before layouts).
// Nothing else varies, so a poster has 12 forms and each is cached.
func parsePosterOptions(q url.Values) (qr.Layout, qr.Paper, string) {
	layout, paper := qr.LayoutPoster, qr.Letter
	if v := q["layout"]; len(v) > 0 && (v[0] != "" || len(v) > 1) {
		layout = qr.Layout(v[0])
		if len(v) > 1 || !slices.Contains(qr.Layouts(), layout) {
			return "", "", "layout"
		}
	}
	if v := q["paper"]; len(v) > 0 && (v[0] != "" || len(v) > 1) {
		paper = qr.Paper(v[0])
		if len(v) > 1 || !slices.Contains(qr.Papers(), paper) {
			return "", "", "paper"
		}
	}
	return layout, paper, ""
}

// posterQuery is the canonical query of one poster: the default layout is
// left out, so the poster's links stay as they were.
func posterQuery(layout qr.Layout, p qr.Paper, l locale.Lang) string {
	q := "paper=" + string(p) + "&lang=" + string(l)
	if layout != qr.LayoutPoster {
		q = "layout=" + string(layout) + "&" + q
	}
	return q
}

// posterFileKey names a poster in an event's print links: poster_letter_fr,
// tent_a4_en, large_letter_fr.
func posterFileKey(layout qr.Layout, p qr.Paper, l locale.Lang) string {
	return string(layout) + "_" + string(p) + "_" + string(l)
}

// posterFileName is the name a poster saves under.
func posterFileName(code string, layout qr.Layout, p qr.Paper, l locale.Lang) string {
	name := "technopolys-" + code + "-"
	if layout != qr.LayoutPoster {
		name += string(layout) + "-"
	}
	return name + string(p) + "-" + string(l) + ".pdf"
}
