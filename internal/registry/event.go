package registry

import (
	"strings"
	"time"

	"github.com/technopolys/technopolys/internal/glyphs"
)

// MaxPlaceLen bounds an event's place, in characters.
const MaxPlaceLen = 200

// RuleDate is broken by a date that is not YYYY-MM-DD; RuleEventTaken by an
// event code already in use.
const (
	RuleDate       = "date"
	RuleEventTaken = "event_taken"
)

// Event is a conference, job fair or meetup whose printed QR code brings
// members in. Its code is the short link's last segment.
type Event struct {
	Code      string
	NameFR    string
	NameEN    string
	StartsOn  string // YYYY-MM-DD, or empty
	Place     string
	CreatedAt time.Time
	// ArchivedAt is when staff archived the event; zero while it is active.
	// An archived event is kept whole: posters already printed still count
	// scans and bring joins.
	ArchivedAt time.Time
	// The event's funnel: scans of its QR code, joins that came with its
	// code, and how many of those are approved members now.
	Scans, Joins, Approved int
}

// Name is the event's name in a language ("fr" or "en").
func (e *Event) Name(lang string) string {
	if lang == "en" {
		return e.NameEN
	}
	return e.NameFR
}

// NewEvent is what staff send to create an event, as typed.
type NewEvent struct {
	Code     string
	NameFR   string
	NameEN   string
	StartsOn string
	Place    string
}

// Validate checks every field and returns the event, or an *Invalid naming
// every field that is wrong. Names and place are free text, escaped wherever
// they land.
func (n NewEvent) Validate() (*Event, error) {
	e := &Event{Code: strings.TrimSpace(n.Code), NameFR: Text(n.NameFR), NameEN: Text(n.NameEN),
		StartsOn: strings.TrimSpace(n.StartsOn), Place: Text(n.Place)}
	var ps problems
	if e.Code == "" {
		ps.check("code", RuleRequired)
	} else if !ValidCode(e.Code) {
		ps.check("code", RuleCode)
	}
	ps.checkPrintable("name_fr", e.NameFR, MaxNameLen)
	ps.checkPrintable("name_en", e.NameEN, MaxNameLen)
	if e.StartsOn != "" {
		if _, err := time.Parse(time.DateOnly, e.StartsOn); err != nil {
			ps.check("starts_on", RuleDate)
		}
	}
	if e.Place != "" {
		ps.checkPrintable("place", e.Place, MaxPlaceLen)
	}
	if len(ps) > 0 {
		return nil, &Invalid{Problems: ps}
	}
	return e, nil
}

// checkPrintable checks text that the posters print: checkText's rules,
// then the characters the embedded fonts lack, refused here and named
// rather than missing from a printed poster (no other font is embedded:
// see glyphs).
func (ps *problems) checkPrintable(field, s string, max int) {
	if rule := checkText(s, max); rule != "" {
		ps.check(field, rule)
		return
	}
	if missing := glyphs.Missing(s); len(missing) > 0 {
		*ps = append(*ps, Problem{Field: field, Rule: RuleGlyphs, Chars: glyphs.Describe(missing)})
	}
}

// Archive archives e (archived true) or makes it active again, or fails
// with ECONFLICT when it is so already: a console that sent the same click
// twice says so rather than moving the archive date.
func (e *Event) Archive(archived bool, now time.Time) error {
	switch {
	case archived && !e.ArchivedAt.IsZero():
		return &Error{Code: ECONFLICT, Reason: "already_archived"}
	case !archived && e.ArchivedAt.IsZero():
		return &Error{Code: ECONFLICT, Reason: "not_archived"}
	case archived:
		e.ArchivedAt = now
	default:
		e.ArchivedAt = time.Time{}
	}
	return nil
}
