package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/ratelimit"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/console"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// MaxImportBody bounds an import file.
const MaxImportBody = 10 << 20

func (s *Server) registerAdminRoutes(r router) {
	r.GET("/api/v1/admin/members", s.admin(s.handleAdminList))
	r.GET("/api/v1/admin/members/:id", s.admin(s.handleAdminMember))
	// httprouter cannot hold both /members/import and /members/:id/…, so
	// "import" arrives as the :id of a POST.
	r.POST("/api/v1/admin/members/:id", s.admin(s.handleAdminImport))
	r.POST("/api/v1/admin/members/:id/:action", s.admin(s.handleAdminDecide))
	r.GET("/api/v1/admin/members/:id/embeds", s.admin(s.handleAdminEmbeds))
	r.GET("/api/v1/admin/audit", s.admin(s.handleAdminAudit))
}

// admin lets a request through only with the admin token. It fails closed:
// an empty configured token matches nothing, and the comparison is of
// fixed-length digests in constant time, so timing says nothing about the
// token.
//
// Wrong tokens are logged and throttled per client: after adminFailures in
// a row, the client gets 429 until a token is back (one every 6 s), right
// token or not, so the token cannot be guessed by trying.
func (s *Server) admin(next httprouter.Handle) httprouter.Handle {
	return func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		w.Header().Set("Cache-Control", "no-store")
		if _, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); !bearer {
			// A staff session (the console's scripts) instead of the token.
			sess, err := s.console.Session(r)
			if err != nil {
				s.respond.Error(w, r, err)
				return
			}
			if sess != nil {
				if r.Method != http.MethodGet && !console.CSRFMatches(r, sess) {
					s.respond.Error(w, r, respond.Err(respond.EFORBIDDEN, "forbidden"))
					return
				}
				next(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)), ps)
				return
			}
		}
		client := s.clientKey(r)
		if blocked, after := s.adminFails.Blocked(client); blocked {
			s.refuseAdmin(w, r, after)
			return
		}
		if !s.adminToken(r) {
			s.log.Info("admin token refused", "path", r.URL.Path, "given", r.Header.Get("Authorization") != "")
			if ok, after := s.adminFails.Allow(client); !ok {
				s.refuseAdmin(w, r, after)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="technopolys admin"`)
			s.respond.Error(w, r, respond.Err(respond.EUNAUTHORIZED, "unauthorized"))
			return
		}
		next(w, r, ps)
	}
}

type sessionKey struct{}

// adminFailures is how many wrong admin tokens one client may send a minute.
const adminFailures = 10

// adminToken reports whether the request carries the admin token.
func (s *Server) adminToken(r *http.Request) bool {
	given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && s.tokenMatches(strings.TrimSpace(given))
}

// tokenMatches compares a token with the admin token: fixed-length digests
// in constant time, and an empty configured token matches nothing.
func (s *Server) tokenMatches(given string) bool {
	sum := sha256.Sum256([]byte(given))
	return s.cfg.AdminToken != "" && subtle.ConstantTimeCompare(sum[:], s.adminHash[:]) == 1
}

func (s *Server) refuseAdmin(w http.ResponseWriter, r *http.Request, after time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(ratelimit.Seconds(after), 1)))
	s.respond.Error(w, r, respond.Err(respond.ERATELIMITED, "rate_limited"))
}

// actor names who took an admin action for the audit log. With a session,
// the staff member; with the token, the optional X-Actor header, marked as
// said by a token holder (anyone with the token can send any name), and the
// client address, since the token itself is shared.
func (s *Server) actor(r *http.Request) string {
	if sess, ok := r.Context().Value(sessionKey{}).(*registry.Session); ok {
		return sess.Actor // a named staff member, or the admin token's break-glass
	}
	name := strings.TrimSpace(r.Header.Get("X-Actor"))
	if name == "" || len([]rune(name)) > 100 || strings.IndexFunc(name, func(c rune) bool { return !unicode.IsPrint(c) || c == utf8.RuneError }) >= 0 {
		name = "admin"
	}
	return name + " (" + registry.BreakGlassActor + ", " + s.clientIP(r) + ")"
}

// adminMember is a member as staff see it, private fields included.
type adminMember struct {
	ID            int64      `json:"id"`
	Slug          string     `json:"slug"`
	Name          string     `json:"name"`
	Website       string     `json:"website"`
	ContactName   string     `json:"contact_name"`
	ContactEmail  string     `json:"contact_email"`
	Region        string     `json:"region"`
	RegionKey     string     `json:"region_key"`
	ConsentPublic bool       `json:"consent_public"`
	Status        string     `json:"status"`
	Event         string     `json:"event,omitempty"`
	Reason        string     `json:"reason,omitempty"`
	Version       int        `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	ApprovedAt    *time.Time `json:"approved_at,omitempty"`
	RejectedAt    *time.Time `json:"rejected_at,omitempty"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	// Warnings are what staff should check before approving: a name that
	// mixes scripts, or that looks like another member's (impersonation).
	Warnings []adminWarning `json:"warnings,omitempty"`
}

// adminWarning is one warning; for a look-alike, the member it looks like.
type adminWarning struct {
	Kind     string `json:"kind"`
	Message  string `json:"message"`
	MemberID int64  `json:"member_id,omitempty"`
	Name     string `json:"name,omitempty"`
	Status   string `json:"status,omitempty"`
}

// withWarnings adds m's name warnings to its admin view.
func (s *Server) withWarnings(r *http.Request, a *adminMember, m *registry.Member) (err error) {
	a.Warnings, err = s.nameWarnings(r, m)
	return err
}

// nameWarnings are the name warnings of a pending or approved member (the
// others hold no name anyone could be misled by), in the visitor's language.
func (s *Server) nameWarnings(r *http.Request, m *registry.Member) ([]adminWarning, error) {
	if m.Status != registry.StatusPending && m.Status != registry.StatusApproved {
		return nil, nil
	}
	similar, err := s.store.SimilarMembers(r.Context(), m)
	if err != nil {
		return nil, err
	}
	l := locale.Negotiate(r)
	var out []adminWarning
	for _, w := range registry.Warnings(m, similar) {
		aw := adminWarning{Kind: w.Kind, Message: l.T("warning." + w.Kind)}
		if w.Member != nil {
			aw.MemberID, aw.Name, aw.Status = w.Member.ID, w.Member.Name, string(w.Member.Status)
		}
		out = append(out, aw)
	}
	return out, nil
}

// memberChanged is what follows any change to a member, whichever page or
// route made it: its cached badges and pages go, the live counts are
// re-read, and the change is counted and logged.
func (s *Server) memberChanged(m *registry.Member, action registry.Action, actor string) {
	s.forgetBadges(m.Slug)
	s.live.Changed()
	if action != registry.ActionEdit {
		s.metrics.decisions.WithLabelValues(string(action)).Inc()
	}
	s.log.Info("member changed", "member", m.ID, "action", action, "actor", actor)
}

// membersImported is what follows an import: the live counts are re-read,
// the new members' slugs are no longer known to be absent, and the import
// is counted and logged.
func (s *Server) membersImported(ms []*registry.Member, actor string) {
	s.live.Changed()
	s.badges.absent.InvalidateAll() // the new members' slugs may have been asked for
	s.metrics.decisions.WithLabelValues(string(registry.ActionImport)).Add(float64(len(ms)))
	s.log.Info("import", "members", len(ms), "actor", actor)
}

func toAdmin(m *registry.Member) adminMember {
	opt := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	return adminMember{ID: m.ID, Slug: m.Slug, Name: m.Name, Website: m.Website, ContactName: m.ContactName,
		ContactEmail: m.ContactEmail, Region: string(m.Region), RegionKey: m.Region.Key(), ConsentPublic: m.ConsentPublic,
		Status: string(m.Status), Event: m.Event, Reason: m.Reason, Version: m.Version, CreatedAt: m.CreatedAt,
		UpdatedAt: m.UpdatedAt, ApprovedAt: opt(m.ApprovedAt), RejectedAt: opt(m.RejectedAt), RevokedAt: opt(m.RevokedAt)}
}

func (s *Server) handleAdminList(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	q := r.URL.Query()
	var f registry.MemberFilter
	if v := q.Get("status"); v != "" {
		st, ok := registry.ParseStatus(v)
		if !ok {
			s.respond.Error(w, r, respond.BadField("status", "status"))
			return
		}
		f.Status = st
	}
	var err error
	if f.Limit, f.Offset, err = paging(q); err != nil {
		s.respond.Error(w, r, err)
		return
	}
	ms, total, err := s.store.ListMembers(r.Context(), f)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	out := make([]adminMember, len(ms))
	for i, m := range ms {
		out[i] = toAdmin(m)
		if m.Status == registry.StatusPending { // the queue: where warnings are acted on
			if err := s.withWarnings(r, &out[i], m); err != nil {
				s.respond.Error(w, r, err)
				return
			}
		}
	}
	respond.JSON(w, http.StatusOK, map[string]any{"members": out, "total": total})
}

// memberID reads the :id of a route; a malformed one is simply not found.
func memberID(ps httprouter.Params) (int64, error) {
	id, err := strconv.ParseInt(ps.ByName("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, registry.NotFound()
	}
	return id, nil
}

// memberOfPath finds the member a route's :id names.
func (s *Server) memberOfPath(r *http.Request, ps httprouter.Params) (*registry.Member, error) {
	id, err := memberID(ps)
	if err != nil {
		return nil, err
	}
	return s.store.FindMember(r.Context(), id)
}

func (s *Server) handleAdminMember(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	m, err := s.memberOfPath(r, ps)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	audit, err := s.store.ListAudit(r.Context(), registry.AuditFilter{MemberID: m.ID, Limit: MaxLimit})
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	view := toAdmin(m)
	if err := s.withWarnings(r, &view, m); err != nil {
		s.respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, struct {
		adminMember
		Audit []auditEntry `json:"audit"`
	}{view, toAudit(audit)})
}

func (s *Server) handleAdminDecide(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	id, err := memberID(ps)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	action := registry.Action(ps.ByName("action"))
	if action == registry.ActionEdit {
		s.handleAdminEdit(w, r, id)
		return
	}
	if !slices.Contains(registry.Decisions(), action) {
		s.respond.Error(w, r, respond.Err(registry.ENOTFOUND, "not_found"))
		return
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &body, MaxJoinBody); err != nil {
			s.respond.Error(w, r, err)
			return
		}
	}
	actor := s.actor(r)
	m, err := s.store.Decide(r.Context(), registry.Decision{MemberID: id, Action: action,
		Actor: actor, Reason: strings.TrimSpace(body.Reason)})
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	s.memberChanged(m, action, actor)
	respond.JSON(w, http.StatusOK, toAdmin(m))
}

func (s *Server) handleAdminImport(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	if ps.ByName("id") != "import" {
		s.respond.Error(w, r, respond.Err(respond.EMETHOD, "method"))
		return
	}
	// A 10,000-row file takes longer than an ordinary answer to upload
	// and write.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(5 * time.Minute))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxImportBody))
	if err != nil {
		s.respond.Error(w, r, respond.Err(respond.ETOOLARGE, "too_large"))
		return
	}
	rows, err := registry.ParseImport(bytes.NewReader(body))
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	actor := s.actor(r)
	ms, err := s.store.ImportMembers(r.Context(), rows, actor)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	s.membersImported(ms, actor)
	out := make([]adminMember, len(ms))
	for i, m := range ms {
		out[i] = toAdmin(m)
	}
	respond.JSON(w, http.StatusCreated, map[string]any{"imported": len(ms), "members": out})
}

type auditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	MemberID int64     `json:"member_id"`
	Reason   string    `json:"reason,omitempty"`
}

func toAudit(es []registry.AuditEntry) []auditEntry {
	out := make([]auditEntry, len(es))
	for i, e := range es {
		out[i] = auditEntry{ID: e.ID, At: e.At, Actor: e.Actor, Action: string(e.Action), MemberID: e.MemberID, Reason: e.Reason}
	}
	return out
}

func (s *Server) handleAdminAudit(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	q := r.URL.Query()
	var f registry.AuditFilter
	if v := q.Get("member"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			s.respond.Error(w, r, respond.BadField("member", "number"))
			return
		}
		f.MemberID = id
	}
	var err error
	if f.Limit, f.Offset, err = paging(q); err != nil {
		s.respond.Error(w, r, err)
		return
	}
	es, err := s.store.ListAudit(r.Context(), f)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, map[string]any{"entries": toAudit(es)})
}

// handleAdminEdit changes a member's name, website, region or consent
// ({"name", "website", "region", "consent_public"}, each optional). Its
// cached badges and pages are dropped at once, so the badge's title follows.
func (s *Server) handleAdminEdit(w http.ResponseWriter, r *http.Request, id int64) {
	var body struct {
		Name          *string `json:"name"`
		Website       *string `json:"website"`
		Region        *string `json:"region"`
		ConsentPublic *bool   `json:"consent_public"`
	}
	if err := decodeJSON(w, r, &body, MaxJoinBody); err != nil {
		s.respond.Error(w, r, err)
		return
	}
	actor := s.actor(r)
	m, err := s.store.EditMember(r.Context(), id, registry.MemberEdit{Name: body.Name, Website: body.Website,
		Region: body.Region, ConsentPublic: body.ConsentPublic}, actor)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	s.memberChanged(m, registry.ActionEdit, actor)
	respond.JSON(w, http.StatusOK, toAdmin(m))
}
