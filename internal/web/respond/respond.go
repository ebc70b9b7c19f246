// Package respond holds the answers every audience of the web layer shares:
// which HTTP status an error takes, JSON bodies and errors, and HTML pages
// drawn with the site's layout, error pages included. Visitors' pages, the
// admin API and the staff console all answer through it, so an error reads
// the same wherever it happens.
package respond

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/imagecache"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// Codes of errors that arise in the web layer rather than the domain.
const (
	ETOOLARGE     = "too_large"
	ERATELIMITED  = "rate_limited"
	EUNAUTHORIZED = "unauthorized"
	EMETHOD       = "method"
	// EBUSY: every render slot stayed taken; try again in a moment.
	EBUSY = "busy"
	// EFORBIDDEN: a cross-site request that may change state.
	EFORBIDDEN = "forbidden"
	// EMEDIATYPE: a body that is not the JSON the route takes.
	EMEDIATYPE = "media_type"
)

// Status is the HTTP status of an error code (Code), 500 for a code
// nobody mapped.
func Status(code string) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// statusOf maps every error code to one HTTP status.
var statusOf = map[string]int{
	registry.EINVALID:     http.StatusBadRequest,
	registry.ENOTFOUND:    http.StatusNotFound,
	registry.ECONFLICT:    http.StatusConflict,
	registry.EINTERNAL:    http.StatusInternalServerError,
	ETOOLARGE:             http.StatusRequestEntityTooLarge,
	ERATELIMITED:          http.StatusTooManyRequests,
	EUNAUTHORIZED:         http.StatusUnauthorized,
	EMETHOD:               http.StatusMethodNotAllowed,
	EBUSY:                 http.StatusServiceUnavailable,
	registry.EUNAVAILABLE: http.StatusServiceUnavailable,
	EFORBIDDEN:            http.StatusForbidden,
	EMEDIATYPE:            http.StatusUnsupportedMediaType,
}

// RetryAfter is the Retry-After of a 503: overload and store outages are
// expected to pass within seconds.
const RetryAfter = "2"

// NoStore keeps an answer out of every cache (a 503 must not be kept).
var NoStore = []string{"no-store"}

// Code is registry.ErrorCode, knowing the web layer's own failures:
// a refused render is EBUSY, a request that ran out of time waiting on the
// store is unavailable rather than internal.
func Code(err error) string {
	switch {
	case errors.Is(err, imagecache.ErrBusy):
		return EBUSY
	case errors.Is(err, context.DeadlineExceeded):
		return EBUSY
	}
	return registry.ErrorCode(err)
}

// LogUnavailable records a 503 at warning level: an outage or overload is
// worth seeing, but it is not a bug.
func (rs *Responder) LogUnavailable(r *http.Request, err error) {
	rs.Log.Warn("unavailable", "method", r.Method, "path", LogPath(r), "err", err)
	if Code(err) != EBUSY {
		rs.StoreFailed()
	}
}

// Err is an error of the web layer with its code and reason.
func Err(code, reason string) error { return &registry.Error{Code: code, Reason: reason} }

// BadField is the error of one bad request parameter or body field.
func BadField(field, rule string) error {
	return &registry.Invalid{Problems: []registry.Problem{{Field: field, Rule: rule}}}
}

// JSONType is shared by answers that set it by assignment.
var JSONType = []string{"application/json; charset=utf-8"}

// JSON writes v as an indented JSON answer with its length.
func JSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, "encoding error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// APIError is the body of every JSON error: a sentence in the visitor's
// language, the code, and for validation failures each problem.
type APIError struct {
	Error    string       `json:"error"`
	Code     string       `json:"code"`
	Problems []APIProblem `json:"problems,omitempty"`
}

type APIProblem struct {
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Responder writes the answers that log or count: errors and pages.
type Responder struct {
	Log   *slog.Logger
	Pages Pages
	// StoreFailed counts an answer that the store's outage made a 503.
	StoreFailed func()
	// Share gives a page that brings none its link preview and canonical
	// address (nil for none): staff pages and error pages never get one.
	Share func(r *http.Request, v View) *Share
}

// Error writes err as a JSON error with the status its code maps to.
// Internal errors are logged and their text is never shown.
func (rs *Responder) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := Code(err)
	status := statusOf[code]
	switch {
	case status == 0 || code == registry.EINTERNAL:
		rs.Log.Error("request failed", "method", r.Method, "path", LogPath(r), "err", err)
		status, code = http.StatusInternalServerError, registry.EINTERNAL
	case status == http.StatusServiceUnavailable:
		rs.LogUnavailable(r, err)
		if code == EBUSY {
			err = Err(EBUSY, "busy")
		}
		if w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", RetryAfter)
		}
		w.Header()["Cache-Control"] = NoStore
	}
	JSON(w, status, ErrorBody(locale.Negotiate(r), code, err))
}

// ErrorBody is the JSON body of err.
func ErrorBody(l locale.Lang, code string, err error) APIError {
	body := APIError{Code: code, Error: Message(l, err)}
	var (
		iv *registry.Invalid
		e  *registry.Error
	)
	switch {
	case errors.As(err, &iv):
		for _, p := range iv.Problems {
			body.Problems = append(body.Problems, APIProblem{Line: p.Line, Field: p.Field, Rule: p.Rule, Message: Problem(l, p)})
		}
	case errors.As(err, &e) && conflictField[e.Reason] != "":
		// A conflict names its field too, so a client can tell a taken
		// name from a taken website without reading the sentence.
		p := registry.Problem{Field: conflictField[e.Reason], Rule: e.Reason}
		body.Problems = []APIProblem{{Field: p.Field, Rule: p.Rule, Message: Problem(l, p)}}
	}
	return body
}

// conflictField is the field each kind of conflict is about.
var conflictField = map[string]string{registry.RuleTaken: "website", registry.RuleNameTaken: "name"}

// Message says what is wrong in one sentence of the visitor's language.
func Message(l locale.Lang, err error) string {
	var (
		iv *registry.Invalid
		e  *registry.Error
	)
	switch {
	case errors.As(err, &iv) && len(iv.Problems) > 0:
		msgs := make([]string, len(iv.Problems))
		for i, p := range iv.Problems {
			msgs[i] = Problem(l, p)
		}
		return strings.Join(msgs, " ")
	case errors.As(err, &e) && e.Code != registry.EINTERNAL:
		for _, key := range []string{"error." + e.Reason, "rule." + e.Reason, "error." + e.Code} {
			if locale.Has(key) {
				return l.T(key)
			}
		}
		return l.T("error.invalid")
	}
	return l.T("error.internal")
}

// Rule is what a problem's rule says, with the characters it is about.
func Rule(l locale.Lang, p registry.Problem) string {
	if p.Chars != "" {
		return l.T("rule."+p.Rule, p.Chars)
	}
	return l.T("rule." + p.Rule)
}

// Problem is "website : L'adresse doit commencer par…", with the line
// first for import files.
func Problem(l locale.Lang, p registry.Problem) string {
	field := p.Field
	if locale.Has("field." + field) {
		field = l.T("field." + field)
	}
	msg := Labelled(l, field, Rule(l, p))
	if p.Line > 0 {
		msg = fmt.Sprintf("%s, %s", l.T("error.line", p.Line), msg)
	}
	r, size := utf8.DecodeRuneInString(msg) // a message is a sentence
	return string(unicode.ToUpper(r)) + msg[size:]
}

// Labelled says a field's message after its name, « nom : ce champ est
// obligatoire. »: a colon after a no-break space in French, and the
// message in lower case after it, as a sentence goes on.
func Labelled(l locale.Lang, field, msg string) string {
	sep := ": "
	if l == locale.FR {
		sep = "\u00a0: "
	}
	if r, size := utf8.DecodeRuneInString(msg); unicode.IsUpper(r) {
		msg = string(unicode.ToLower(r)) + msg[size:]
	}
	return field + sep + msg
}

// CSRFMatches reports whether a state-changing request carries a
// session's form token, want (a hidden field "csrf", or X-CSRF-Token from
// a page's scripts). Cross-site posts are refused before this (the
// server's sameSite middleware); the token also holds where a browser
// sends no Origin or Sec-Fetch-Site.
func CSRFMatches(r *http.Request, want string) bool {
	given := r.Header.Get("X-CSRF-Token")
	if given == "" {
		given = r.PostFormValue("csrf")
	}
	return given != "" && want != "" && subtle.ConstantTimeCompare([]byte(given), []byte(want)) == 1
}

// Router is where a part of the site (the console, the member area) puts
// its routes: the site's router, which names routes for its metrics.
type Router interface {
	GET(path string, h httprouter.Handle)
	POST(path string, h httprouter.Handle)
}
