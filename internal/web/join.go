package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/ratelimit"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// MaxJoinBody bounds a join request; anything larger is refused with 413.
const MaxJoinBody = 64 << 10

func (s *Server) registerJoinRoutes(r router) {
	r.POST("/api/v1/members", s.handleJoinAPI)
	r.GET("/join", s.handleJoinForm)
	r.POST("/join", s.handleJoinFormPost)
	r.GET("/join/ok", s.handleJoinOK)
}

// joinRequest is the JSON body of POST /api/v1/members.
type joinRequest struct {
	Name          string `json:"name"`
	Website       string `json:"website"`
	ContactName   string `json:"contact_name"`
	ContactEmail  string `json:"contact_email"`
	Region        string `json:"region"`
	ConsentPublic *bool  `json:"consent_public"`
	Event         string `json:"event"`
}

func (j joinRequest) application() registry.Application {
	return registry.Application{Name: j.Name, Website: j.Website, ContactName: j.ContactName,
		ContactEmail: j.ContactEmail, Region: j.Region, ConsentPublic: j.ConsentPublic, Event: j.Event}
}

func (s *Server) handleJoinAPI(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	if !isJSON(r) {
		s.respond.Error(w, r, respond.Err(respond.EMEDIATYPE, "media_type"))
		return
	}
	var req joinRequest
	if err := decodeJSON(w, r, &req, MaxJoinBody); err != nil {
		s.respond.Error(w, r, err)
		return
	}
	m, err := s.join(w, r, req.application())
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, map[string]any{"id": m.ID, "status": m.Status})
}

// allowJoin takes a token from the client's bucket, or sets Retry-After.
func (s *Server) allowJoin(w http.ResponseWriter, r *http.Request) bool {
	ok, after := s.joins.Allow(s.clientKey(r))
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.Seconds(after)))
	}
	return ok
}

// join validates an application and saves it. Only a valid application
// takes a token from the client's join budget: a typo corrected and sent
// again must not use up a venue's shared allowance.
func (s *Server) join(w http.ResponseWriter, r *http.Request, a registry.Application) (*registry.Member, error) {
	m, err := a.Validate()
	if err != nil {
		return nil, err
	}
	m.Lang = string(locale.Negotiate(r)) // its mail is written in the language it joined in
	// Only a real event is credited with a join: a made-up code in a
	// hand-typed link must not appear in the funnels.
	if m.Event != "" {
		known, err := s.eventKnown(r.Context(), m.Event)
		if err != nil {
			return nil, err
		}
		if !known {
			m.Event = ""
		}
	}
	if !s.allowJoin(w, r) {
		return nil, respond.Err(respond.ERATELIMITED, "rate_limited")
	}
	if err := s.store.CreateMember(r.Context(), m); err != nil {
		return nil, err
	}
	s.metrics.joins.Inc()
	s.log.Info("join", "member", m.ID, "event", m.Event)
	return m, nil
}

// isJSON reports whether the request says its body is JSON. The join API
// takes nothing else: a form or text/plain body is what another site can
// make a browser send without asking, application/json is not.
func isJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// decodeJSON reads exactly one JSON object of at most max bytes into v.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any, max int64) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, max))
	err := dec.Decode(v)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("trailing data")
	}
	var (
		tooLarge *http.MaxBytesError
		typeErr  *json.UnmarshalTypeError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooLarge):
		return respond.Err(respond.ETOOLARGE, "too_large")
	case errors.As(err, &typeErr) && typeErr.Field != "":
		if typeErr.Type.Kind() == reflect.Bool {
			return respond.BadField(typeErr.Field, registry.RuleBoolean)
		}
		return respond.BadField(typeErr.Field, "type")
	}
	return respond.Err(registry.EINVALID, "not_json")
}

// joinForm is the data of the join page: what was typed and what is wrong.
type joinForm struct {
	Values  map[string]string
	Errors  map[string]string
	Regions []registry.Region
	Event   string
	// Notice says why the request was not taken when no field is at fault
	// (too many requests, the service unavailable): what was typed stays.
	Notice string
	// EventName is the event's name in the page's language: people read
	// "Salon techno de Québec", not "salon-2026".
	EventName string
	// Summary lists the fields at fault, in the form's order, each linked
	// to its field from the summary the page focuses.
	Summary []respond.FieldMessage
}

// withEvent keeps the event of a join link when it exists, with its name.
// A malformed or unknown code is dropped, not an error: a hand-typed link
// still shows the form.
func (s *Server) withEvent(r *http.Request, l locale.Lang, f *joinForm, code string) {
	e, err := s.knownEvent(r.Context(), code)
	if err != nil || e == nil {
		return
	}
	f.Event, f.EventName = e.Code, e.Name(string(l))
}

// summarize fills the error summary from the field errors, each after
// its field's label: six links saying « Ce champ est obligatoire. » would
// not say which field to fix.
func (f *joinForm) summarize(l locale.Lang) {
	for _, k := range formFields {
		if msg, ok := f.Errors[k]; ok {
			label := "join." + k
			if !locale.Has(label) { // the consent's label is its question
				label = "field." + k
			}
			f.Summary = append(f.Summary, respond.FieldMessage{Field: k, Message: respond.Labelled(l, l.T(label), msg)})
		}
	}
}

var formFields = []string{"name", "website", "contact_name", "contact_email", "region", "consent_public"}

func (s *Server) handleJoinForm(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	f := joinForm{Values: map[string]string{}, Regions: registry.Regions()}
	l := locale.Negotiate(r)
	s.withEvent(r, l, &f, r.URL.Query().Get("event"))
	s.respond.Page(w, r, l, http.StatusOK, "join", l.T("join.title"), f)
}

func (s *Server) handleJoinFormPost(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	r.Body = http.MaxBytesReader(w, r.Body, MaxJoinBody)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.respond.ErrorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
			return
		}
		s.respond.ErrorPage(w, r, http.StatusBadRequest, "error.invalid")
		return
	}
	f := joinForm{Values: map[string]string{}, Errors: map[string]string{}, Regions: registry.Regions()}
	for _, k := range formFields {
		f.Values[k] = r.PostForm.Get(k)
	}
	s.withEvent(r, l, &f, r.PostForm.Get("event"))
	_, err := s.join(w, r, formApplication(f))
	if err == nil {
		http.Redirect(w, r, "/join/ok?lang="+string(l), http.StatusSeeOther)
		return
	}
	status, ok := formErrors(l, err, f.Errors)
	switch {
	case ok:
	case respond.Code(err) == respond.ERATELIMITED:
		status, f.Notice = http.StatusTooManyRequests, l.T("error.rate_limited")
	case respond.Status(respond.Code(err)) == http.StatusServiceUnavailable:
		status, f.Notice = http.StatusServiceUnavailable, l.T("error.unavailable")
		s.respond.LogUnavailable(r, err)
		w.Header().Set("Retry-After", respond.RetryAfter)
	default:
		s.respond.Error(w, r, err) // internal: logged, generic answer
		return
	}
	f.summarize(l)
	s.respond.Page(w, r, l, status, "join", l.T("join.title"), f)
}

func formApplication(f joinForm) registry.Application {
	a := registry.Application{Name: f.Values["name"], Website: f.Values["website"], ContactName: f.Values["contact_name"],
		ContactEmail: f.Values["contact_email"], Region: f.Values["region"], Event: f.Event}
	switch f.Values["consent_public"] {
	case "yes":
		yes := true
		a.ConsentPublic = &yes
	case "no":
		no := false
		a.ConsentPublic = &no
	}
	return a
}

// formErrors puts each problem next to its field; it reports false for
// errors that are not the visitor's to fix.
func formErrors(l locale.Lang, err error, into map[string]string) (int, bool) {
	var iv *registry.Invalid
	switch {
	case errors.As(err, &iv):
		for _, p := range iv.Problems {
			into[p.Field] = respond.Rule(l, p)
		}
		return http.StatusBadRequest, true
	case registry.ErrorCode(err) == registry.ECONFLICT:
		field, rule := "website", registry.RuleTaken
		var e *registry.Error
		if errors.As(err, &e) && e.Reason == registry.RuleNameTaken {
			field, rule = "name", registry.RuleNameTaken
		}
		into[field] = l.T("rule." + rule)
		return http.StatusConflict, true
	}
	return 0, false
}

func (s *Server) handleJoinOK(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	s.respond.Page(w, r, l, http.StatusOK, "join_ok", l.T("join.ok.title"), nil)
}
