package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// The staff console's server-rendered pages: they work without JavaScript,
// every form carrying the session's form token.

func (s *Server) registerQueueRoutes(r router) {
	r.GET("/admin/queue", s.staffPage(s.handleQueue))
	r.POST("/admin/members/:id/:action", s.staffPage(s.handleQueueDecision))
}

// staffPage lets a console page through only with a staff session (else to
// the sign-in page), and a form post only with the session's form token.
func (s *Server) staffPage(next func(http.ResponseWriter, *http.Request, httprouter.Params, *registry.Session)) httprouter.Handle {
	return func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		w.Header().Set("Cache-Control", "no-store")
		r.Body = http.MaxBytesReader(w, r.Body, MaxJoinBody)
		l := locale.Negotiate(r)
		sess, err := s.session(r)
		switch {
		case err != nil:
			s.unavailablePage(w, r, err)
		case sess == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, "/admin/signin?lang="+string(l), http.StatusSeeOther)
		case sess == nil:
			s.errorPage(w, r, http.StatusUnauthorized, "error.unauthorized")
		case r.Method != http.MethodGet && !csrfMatches(r, sess):
			s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		default:
			next(w, r, ps, sess)
		}
	}
}

// queueView is the queue page's data.
type queueView struct {
	Members []queueCard
	Count   string
	Notice  string
	CSRF    string
	Reasons []string
}

// queueCard is one pending request as staff read it.
type queueCard struct {
	*registry.Member
	EventName string
	Warnings  []string
}

// rejectReasons are the reasons offered in a list, by key.
var rejectReasons = []string{"sector", "notfound", "duplicate", "outside"}

// handleQueue lists pending requests oldest first, as cards, with what
// staff need to decide: the contact, the site, the event by name, and the
// name warnings.
func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	ms, total, err := s.store.ListMembers(r.Context(), registry.MemberFilter{Status: registry.StatusPending, Limit: MaxLimit})
	if err != nil {
		s.unavailablePage(w, r, err)
		return
	}
	v := queueView{CSRF: sess.CSRF, Notice: s.queueNotice(r, l)}
	v.Count = l.T("queue.counts", l.Int(total))
	if total < 2 {
		v.Count = l.T("queue.count", l.Int(total))
	}
	for _, k := range rejectReasons {
		v.Reasons = append(v.Reasons, l.T("queue.reason."+k))
	}
	for _, m := range ms {
		card := queueCard{Member: m}
		if e, _ := s.knownEvent(r.Context(), m.Event); e != nil {
			card.EventName = e.Name(string(l))
		}
		var a adminMember
		if err := s.withWarnings(r, &a, m); err != nil {
			s.unavailablePage(w, r, err)
			return
		}
		for _, w := range a.Warnings {
			msg := w.Message
			if w.Name != "" {
				msg += " (" + w.Name + ")"
			}
			card.Warnings = append(card.Warnings, msg)
		}
		v.Members = append(v.Members, card)
	}
	s.render(w, r, l, http.StatusOK, "queue", l.T("queue.title"), v)
}

// queueNotice says what the last decision did, from the redirect's query.
func (s *Server) queueNotice(r *http.Request, l locale.Lang) string {
	q := r.URL.Query()
	name := q.Get("name")
	if len(name) > 200 {
		name = name[:200]
	}
	switch q.Get("done") {
	case "approve":
		return l.T("queue.approved", name)
	case "reject":
		return l.T("queue.rejected", name)
	case "already":
		return l.T("queue.already")
	case "reason":
		return l.T("rule." + registry.RuleRequired)
	}
	return ""
}

// handleQueueDecision approves or rejects from the queue's forms, then
// goes back to the queue, which says what happened. A request decided
// already (a second click, another staff member) is said so, not an error.
func (s *Server) handleQueueDecision(w http.ResponseWriter, r *http.Request, ps httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	id, err := memberID(ps)
	action := registry.Action(ps.ByName("action"))
	if err != nil || action != registry.ActionApprove && action != registry.ActionReject {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("other"))
	if reason == "" {
		reason = strings.TrimSpace(r.PostFormValue("reason"))
	}
	if action == registry.ActionApprove {
		reason = ""
	}
	back := "/admin/queue?lang=" + string(l) + "&done="
	m, err := s.store.Decide(r.Context(), registry.Decision{MemberID: id, Action: action, Actor: sess.Actor, Reason: reason})
	switch code := registry.ErrorCode(err); {
	case err == nil:
		s.forgetBadges(m.Slug)
		s.live.Changed()
		s.metrics.decisions.WithLabelValues(string(action)).Inc()
		s.log.Info("decision", "member", id, "action", action, "actor", sess.Actor)
		http.Redirect(w, r, back+string(action)+"&name="+url.QueryEscape(m.Name)+"#m"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case code == registry.ECONFLICT:
		http.Redirect(w, r, back+"already", http.StatusSeeOther)
	case code == registry.EINVALID:
		http.Redirect(w, r, back+"reason#m"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case code == registry.ENOTFOUND:
		s.errorPage(w, r, http.StatusNotFound, "error.member")
	default:
		s.unavailablePage(w, r, err)
	}
}
