// Package badge draws technopolys badges as SVG and PNG. Both formats come
// from one layout computed from the embedded font's own metrics, so they
// match pixel for pixel; rendering is a pure function of the badge's content
// and its options, and knows nothing of HTTP or the store.
package badge

import (
	"strings"

	"github.com/technopolys/technopolys/internal/locale"
)

// Kind is what a badge says.
type Kind int

// The badges the service draws.
const (
	// Member is an approved member's badge: "membre de | technopolys".
	Member Kind = iota
	// NotMember answers for unknown, pending, rejected and revoked members.
	NotMember
	// Invalid names an option the request got wrong.
	Invalid
	// NoEvent answers for a QR code of an event that does not exist.
	NoEvent
	// Count is the member-count widget: "1 234 | entreprises membres".
	Count
	// Unavailable answers while the service is overloaded or its store
	// unreachable: "technopolys | indisponible".
	Unavailable
)

// Badge is the content of one badge.
type Badge struct {
	Kind Kind
	// Name is the member's name; it appears only in the SVG's title and
	// aria-label, escaped.
	Name string
	// Option is the bad option an Invalid badge names.
	Option string
	// Assertion is the member's Open Badges assertion, baked into the
	// image; the zero value for anything but a Member badge.
	Assertion Assertion
	// Members, Goal and Region are a Count widget's: the number, an
	// optional goal (a progress bar toward it) and an optional region name.
	Members, Goal int
	Region        string
}

// Assertion is an Open Badges 2.0 Assertion as it is baked (Open Badges
// 2.0, "Baking Specification"): the PNG's iTXt chunk holds JSON, the SVG's
// <openbadges:assertion> holds JSON in CDATA and ID in its verify attribute.
type Assertion struct {
	// ID is the hosted Assertion's URL, its "id"; empty bakes nothing.
	ID string
	// JSON is the Assertion document itself, the bytes the ID serves.
	JSON string
}

// texts returns the badge's two visible texts and its accessible title in
// the options' language.
func (b Badge) texts(l locale.Lang) (label, message, title string) {
	switch b.Kind {
	case Member:
		return l.T("badge.label"), l.T("site.name"), l.T("badge.title", b.Name)
	case NotMember:
		return l.T("site.name"), l.T("badge.notmember"), l.T("badge.notmember.title")
	case NoEvent:
		return l.T("site.name"), l.T("badge.noevent"), l.T("badge.noevent.title")
	case Unavailable:
		return l.T("site.name"), l.T("badge.unavailable"), l.T("badge.unavailable.title")
	case Count:
		number := l.Int(b.Members)
		label := l.T(l.PluralKey(b.Members, "count.label"))
		title = l.Plural(b.Members, "home.count")
		if b.Goal > 0 {
			title = l.T("count.title.goal", title, l.Int(b.Goal))
		}
		if b.Region != "" {
			label += " · " + b.Region
			title += " · " + b.Region
		}
		if b.Goal > 0 {
			// The goal is said in words, not only drawn: "5 / 2 000" read
			// as a score, and the bar means nothing without it.
			label += " · " + l.T("count.goal", l.Int(b.Goal))
		}
		return number, label, title + " — technopolys"
	default:
		msg := l.T("badge.invalid", b.Option)
		return l.T("site.name"), msg, strings.ToUpper(msg[:1]) + msg[1:]
	}
}
