package registry

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. The web layer maps each to one HTTP status.
const (
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict"
	EINTERNAL = "internal"
	// EUNAVAILABLE is a store that cannot answer now: its database is
	// unreachable, failing, full or too slow. Trying again later may work,
	// unlike EINTERNAL.
	EUNAVAILABLE = "unavailable"
)

// Error is a domain error a user can act on. Reason is a stable key the web
// layer turns into a sentence in the visitor's language; Line, when set, is
// the line of an import file it is about. Err, when set, is its cause (the
// database's own error for EUNAVAILABLE), kept for logs and errors.As.
type Error struct {
	Code   string
	Reason string
	Line   int
	Err    error
}

func (e *Error) Error() string {
	msg := e.Code + ": " + e.Reason
	if e.Line > 0 {
		msg = fmt.Sprintf("%s (line %d)", msg, e.Line)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause, so errors.Is and errors.As reach it.
func (e *Error) Unwrap() error { return e.Err }

// Unavailable wraps a failure of the store's database (not a domain error)
// as EUNAVAILABLE, keeping it as the cause.
func Unavailable(err error) error { return &Error{Code: EUNAVAILABLE, Reason: "store", Err: err} }

// IsDomain reports whether err is, or wraps, an error of the domain (an
// *Error or an *Invalid) rather than a bare failure of something below it.
func IsDomain(err error) bool {
	var (
		e  *Error
		iv *Invalid
	)
	return errors.As(err, &e) || errors.As(err, &iv)
}

// Rules a field can break; the web layer has a sentence for each.
const (
	RuleRequired  = "required"
	RuleTooLong   = "too_long"
	RuleControl   = "control_characters"
	RuleURL       = "url"
	RuleScheme    = "url_scheme"
	RuleEmail     = "email"
	RuleRegion    = "region"
	RuleBoolean   = "boolean"
	RuleCode      = "code"
	RuleDuplicate = "duplicate"
	RuleCSV       = "csv"
	RuleTaken     = "website_taken"
	RuleColumn    = "column_missing"
	// RuleColumnTwice is a header naming one column twice ("nom" and "name").
	RuleColumnTwice = "column_twice"
	// RuleNotText is an import file that is not text: a workbook saved as
	// .xlsx rather than CSV, an image, UTF-16.
	RuleNotText = "not_text"
	// RuleTooManyRows is an import file of more than MaxImportRows member
	// rows: staff split it into several files.
	RuleTooManyRows = "too_many_rows"
	// RuleNoRows is an import file without a member row under its header
	// (or without anything at all).
	RuleNoRows = "no_rows"
	// RuleGlyphs is an event's text with characters the posters' fonts
	// cannot print (an emoji, a CJK ideogram); Problem.Chars names them.
	RuleGlyphs = "glyphs"
	// RuleBadgeGlyphs is a company name with characters the badges' fonts
	// cannot draw: the badge vouches for the name, and would show "?".
	RuleBadgeGlyphs = "badge_glyphs"
)

// Problem is one field that failed validation.
type Problem struct {
	Field string
	Rule  string
	Line  int // line of an import file, when validating one
	// Chars names the characters a RuleGlyphs problem is about, as its
	// message shows them: « 🚀 (U+1F680) ».
	Chars string
}

// Invalid is a validation failure listing every problem found, so a form can
// show each next to its field.
type Invalid struct {
	Problems []Problem
}

func (e *Invalid) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Rule
		if p.Line > 0 {
			parts[i] = fmt.Sprintf("line %d: %s", p.Line, parts[i])
		}
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// Field returns the rule the named field broke, or "" when it is fine.
func (e *Invalid) Field(name string) string {
	for _, p := range e.Problems {
		if p.Field == name {
			return p.Rule
		}
	}
	return ""
}

func invalid(field, rule string) *Invalid {
	return &Invalid{Problems: []Problem{{Field: field, Rule: rule}}}
}

// ErrorCode returns the code of err: EINVALID for validation failures, the
// code of a domain *Error, EINTERNAL for anything else, "" for nil.
func ErrorCode(err error) string {
	var (
		e  *Error
		iv *Invalid
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &iv):
		return EINVALID
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// NotFound is the error stores return for a member that does not exist.
func NotFound() error { return &Error{Code: ENOTFOUND, Reason: "member"} }
