package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

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

// retryAfter is the Retry-After of a 503: overload and store outages are
// expected to pass within seconds.
const retryAfter = "2"

// noStore keeps an answer out of every cache (a 503 must not be kept).
var noStore = []string{"no-store"}

// errorCode is registry.ErrorCode, knowing the web layer's own failures:
// a refused render is EBUSY, a request that ran out of time waiting on the
// store is unavailable rather than internal.
func errorCode(err error) string {
	switch {
	case errors.Is(err, imagecache.ErrBusy):
		return EBUSY
	case errors.Is(err, context.DeadlineExceeded):
		return EBUSY
	}
	return registry.ErrorCode(err)
}

// logUnavailable records a 503 at warning level: an outage or overload is
// worth seeing, but it is not a bug.
func (s *Server) logUnavailable(r *http.Request, err error) {
	s.log.Warn("unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	if errorCode(err) != EBUSY {
		s.metrics.storeErrors.Inc()
	}
}

func webError(code, reason string) error { return &registry.Error{Code: code, Reason: reason} }

// badField is the error of one bad request parameter or body field.
func badField(field, rule string) error {
	return &registry.Invalid{Problems: []registry.Problem{{Field: field, Rule: rule}}}
}

// jsonType is shared by answers that set it by assignment.
var jsonType = []string{"application/json; charset=utf-8"}

func writeJSON(w http.ResponseWriter, status int, v any) {
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

// apiError is the body of every JSON error: a sentence in the visitor's
// language, the code, and for validation failures each problem.
type apiError struct {
	Error    string       `json:"error"`
	Code     string       `json:"code"`
	Problems []apiProblem `json:"problems,omitempty"`
}

type apiProblem struct {
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Error writes err as a JSON error with the status its code maps to.
// Internal errors are logged and their text is never shown.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := errorCode(err)
	status := statusOf[code]
	switch {
	case status == 0 || code == registry.EINTERNAL:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		status, code = http.StatusInternalServerError, registry.EINTERNAL
	case status == http.StatusServiceUnavailable:
		s.logUnavailable(r, err)
		if code == EBUSY {
			err = webError(EBUSY, "busy")
		}
		if w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header()["Cache-Control"] = noStore
	}
	writeJSON(w, status, errorBody(locale.Negotiate(r), code, err))
}

func errorBody(l locale.Lang, code string, err error) apiError {
	body := apiError{Code: code, Error: errorMessage(l, err)}
	var (
		iv *registry.Invalid
		e  *registry.Error
	)
	switch {
	case errors.As(err, &iv):
		for _, p := range iv.Problems {
			body.Problems = append(body.Problems, apiProblem{Line: p.Line, Field: p.Field, Rule: p.Rule, Message: problemMessage(l, p)})
		}
	case errors.As(err, &e) && conflictField[e.Reason] != "":
		// A conflict names its field too, so a client can tell a taken
		// name from a taken website without reading the sentence.
		p := registry.Problem{Field: conflictField[e.Reason], Rule: e.Reason}
		body.Problems = []apiProblem{{Field: p.Field, Rule: p.Rule, Message: problemMessage(l, p)}}
	}
	return body
}

// conflictField is the field each kind of conflict is about.
var conflictField = map[string]string{registry.RuleTaken: "website", registry.RuleNameTaken: "name"}

// errorMessage says what is wrong in one sentence of the visitor's language.
func errorMessage(l locale.Lang, err error) string {
	var (
		iv *registry.Invalid
		e  *registry.Error
	)
	switch {
	case errors.As(err, &iv) && len(iv.Problems) > 0:
		msgs := make([]string, len(iv.Problems))
		for i, p := range iv.Problems {
			msgs[i] = problemMessage(l, p)
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

// problemMessage is "website : L'adresse doit commencer par…", with the line
// first for import files.
func problemMessage(l locale.Lang, p registry.Problem) string {
	field := p.Field
	if locale.Has("field." + field) {
		field = l.T("field." + field)
	}
	sep := ": "
	if l == locale.FR {
		sep = "\u00a0: " // French puts a no-break space before the colon
	}
	msg := field + sep + l.T("rule."+p.Rule)
	if p.Line > 0 {
		msg = fmt.Sprintf("%s, %s", l.T("error.line", p.Line), msg)
	}
	return msg
}
