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
)

// Error is a domain error a user can act on. Reason is a stable key the web
// layer turns into a sentence in the visitor's language; Line, when set, is
// the line of an import file it is about.
type Error struct {
	Code   string
	Reason string
	Line   int
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: %s (line %d)", e.Code, e.Reason, e.Line)
	}
	return e.Code + ": " + e.Reason
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
)

// Problem is one field that failed validation.
type Problem struct {
	Field string
	Rule  string
	Line  int // line of an import file, when validating one
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
