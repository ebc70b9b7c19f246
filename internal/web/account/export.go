package account

import (
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// export is everything kept about a member, as its export gives it
// (Québec's Law 25 lets a person have their information): the record with
// its contact, the audit log's entries about it, its badge sites, its
// mails (never the tokens of the links they carry), its requests and how
// many sessions it has open.
type export struct {
	ExportedAt time.Time       `json:"exported_at"`
	Member     exportMember    `json:"member"`
	Audit      []exportAudit   `json:"audit"`
	Embeds     []exportEmbed   `json:"embeds"`
	Mails      []exportMail    `json:"mails"`
	Requests   []exportRequest `json:"requests"`
	Sessions   int             `json:"sessions"`
}

type exportMember struct {
	ID                 int64      `json:"id"`
	Slug               string     `json:"slug"`
	Name               string     `json:"name"`
	Website            string     `json:"website"`
	ContactName        string     `json:"contact_name"`
	ContactEmail       string     `json:"contact_email"`
	Region             string     `json:"region"`
	ConsentPublic      bool       `json:"consent_public"`
	Status             string     `json:"status"`
	Event              string     `json:"event,omitempty"`
	Reason             string     `json:"reason,omitempty"`
	Lang               string     `json:"lang"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	ApprovedAt         *time.Time `json:"approved_at,omitempty"`
	RejectedAt         *time.Time `json:"rejected_at,omitempty"`
	RevokedAt          *time.Time `json:"revoked_at,omitempty"`
	ContactConfirmedAt *time.Time `json:"contact_confirmed_at,omitempty"`
	ErasedAt           *time.Time `json:"erased_at,omitempty"`
}

type exportAudit struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Reason string    `json:"reason,omitempty"`
}

type exportEmbed struct {
	Site      string    `json:"site"`
	Views     int64     `json:"views"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Foreign   bool      `json:"outside_own_domain"`
}

type exportMail struct {
	Kind      string     `json:"kind"`
	To        string     `json:"to"`
	Lang      string     `json:"lang"`
	Reason    string     `json:"reason,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

type exportRequest struct {
	Kind      string     `json:"kind"`
	Name      string     `json:"name,omitempty"`
	Website   string     `json:"website,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	Decision  string     `json:"decision,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
	Reason    string     `json:"reason,omitempty"`
}

// maxExportAudit bounds the audit entries of one export: a member's
// history is a few decisions and edits.
const maxExportAudit = 1000

func opt(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// handleExport sends the member's export as a JSON file to keep.
func (a *Account) handleExport(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *session) {
	x, err := a.gather(r, sess.Member)
	if err != nil {
		a.respond.UnavailablePage(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="technopolys-`+sess.Member.Slug+`.json"`)
	respond.JSON(w, http.StatusOK, x)
}

// gather reads everything kept about m.
func (a *Account) gather(r *http.Request, m *registry.Member) (export, error) {
	ctx := r.Context()
	x := export{ExportedAt: a.now().UTC(), Member: exportMember{ID: m.ID, Slug: m.Slug, Name: m.Name, Website: m.Website,
		ContactName: m.ContactName, ContactEmail: m.ContactEmail, Region: string(m.Region), ConsentPublic: m.ConsentPublic,
		Status: string(m.Status), Event: m.Event, Reason: m.Reason, Lang: m.Lang, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
		ApprovedAt: opt(m.ApprovedAt), RejectedAt: opt(m.RejectedAt), RevokedAt: opt(m.RevokedAt),
		ContactConfirmedAt: opt(m.ContactConfirmedAt), ErasedAt: opt(m.ErasedAt)},
		Audit: []exportAudit{}, Embeds: []exportEmbed{}, Mails: []exportMail{}, Requests: []exportRequest{}}
	audit, err := a.store.ListAudit(ctx, registry.AuditFilter{MemberID: m.ID, Limit: maxExportAudit})
	if err != nil {
		return x, err
	}
	for _, e := range audit {
		x.Audit = append(x.Audit, exportAudit{At: e.At, Actor: e.Actor, Action: string(e.Action), Reason: e.Reason})
	}
	a.site.FlushEmbeds(ctx)
	embeds, _, err := a.store.ListEmbeds(ctx, m.ID, registry.MaxEmbedSites, 0)
	if err != nil {
		return x, err
	}
	for _, e := range embeds {
		x.Embeds = append(x.Embeds, exportEmbed{Site: e.Site, Views: e.Views, FirstSeen: e.FirstSeen, LastSeen: e.LastSeen, Foreign: m.ForeignSite(e.Site)})
	}
	mails, err := a.store.MemberMail(ctx, m.ID)
	if err != nil {
		return x, err
	}
	for _, ml := range mails { // ml.Link, the token of an unsent link, stays out
		x.Mails = append(x.Mails, exportMail{Kind: string(ml.Kind), To: ml.To, Lang: ml.Lang, Reason: ml.Reason,
			CreatedAt: ml.CreatedAt, SentAt: opt(ml.SentAt)})
	}
	reqs, err := a.store.ListRequests(ctx, m.ID)
	if err != nil {
		return x, err
	}
	for _, q := range reqs {
		x.Requests = append(x.Requests, exportRequest{Kind: string(q.Kind), Name: q.Name, Website: q.Website, CreatedAt: q.CreatedAt,
			Decision: q.Decision, DecidedAt: opt(q.DecidedAt), Reason: q.Reason})
	}
	x.Sessions, err = a.store.CountMemberSessions(ctx, m.ID)
	return x, err
}
