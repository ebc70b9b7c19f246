package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/technopolys/technopolys/internal/auth"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/slug"
)

const memberColumns = `id, COALESCE(slug, ''), name, website, contact_name, contact_email, region,
	consent_public, status, event, reason, version, created_at, updated_at,
	approved_at, rejected_at, revoked_at, erased_at, lang, contact_confirmed_at`

// live is the SQL list of statuses that hold a website: a second application
// for the same host is refused while the first is in one of them.
const live = `('pending', 'approved')`

type scanner interface{ Scan(dest ...any) error }

func scanMember(row scanner) (*registry.Member, error) {
	var (
		m                                              registry.Member
		approved, rejected, revoked, erased, confirmed sql.NullTime
	)
	err := row.Scan(&m.ID, &m.Slug, &m.Name, &m.Website, &m.ContactName, &m.ContactEmail,
		&m.Region, &m.ConsentPublic, &m.Status, &m.Event, &m.Reason, &m.Version,
		&m.CreatedAt, &m.UpdatedAt, &approved, &rejected, &revoked, &erased, &m.Lang, &confirmed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, registry.NotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("scan member: %w", err)
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	m.ApprovedAt, m.RejectedAt, m.RevokedAt = timeOrZero(approved), timeOrZero(rejected), timeOrZero(revoked)
	m.ErasedAt, m.ContactConfirmedAt = timeOrZero(erased), timeOrZero(confirmed)
	return &m, nil
}

// CreateMember saves a new pending member, unless a pending or approved
// member has its website or its name.
func (s *Store) CreateMember(ctx context.Context, m *registry.Member) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	now := s.clock()
	m.Status, m.Version, m.CreatedAt, m.UpdatedAt = registry.StatusPending, 1, now, now
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkName(ctx, tx, m); err != nil {
			return err
		}
		if err := s.insert(ctx, tx, m); err != nil {
			return err
		}
		if m.ContactEmail == "" {
			return nil
		}
		if capped, err := s.capped(ctx, tx, registry.MailReceipt, m.ContactEmail, now); capped || err != nil {
			return err // capped: the request is taken, unconfirmed, without a receipt
		}
		token, hash := auth.NewToken()
		if err := s.saveLink(ctx, tx, m.ID, registry.LinkConfirm, hash, now, registry.ConfirmLinkTTL); err != nil {
			return err
		}
		ml, ok := registry.JoinMail(m, token, now)
		return s.enqueue(ctx, tx, ml, ok)
	})
	if s.d.UniqueViolation(err) == "website_host" {
		return &registry.Error{Code: registry.ECONFLICT, Reason: registry.RuleTaken}
	}
	if err != nil {
		return fmt.Errorf("create member: %w", err)
	}
	return nil
}

func (s *Store) insert(ctx context.Context, tx *sql.Tx, m *registry.Member) error {
	if m.Lang == "" {
		m.Lang = registry.DefaultLang
	}
	return tx.QueryRowContext(ctx, s.q(`INSERT INTO members
		(slug, name, name_key, name_skeleton, name_search, website, website_host, contact_name, contact_email, region, consent_public,
		 status, event, reason, version, created_at, updated_at, approved_at, lang)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		nullSlug(m.Slug), m.Name, registry.NameKey(m.Name), registry.NameSkeleton(m.Name), registry.SearchKey(m.Name),
		m.Website, m.WebsiteHost(), m.ContactName, m.ContactEmail, string(m.Region),
		m.ConsentPublic, string(m.Status), m.Event, m.Reason, m.Version, m.CreatedAt, m.UpdatedAt,
		nullTime(m.ApprovedAt), m.Lang,
	).Scan(&m.ID)
}

// FindMember returns the member with that ID.
func (s *Store) FindMember(ctx context.Context, id int64) (_ *registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	return scanMember(s.r.QueryRowContext(ctx, s.q(`SELECT `+memberColumns+` FROM members WHERE id = ?`), id))
}

// FindMemberBySlug returns the member holding that slug.
func (s *Store) FindMemberBySlug(ctx context.Context, sl string) (_ *registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	return scanMember(s.r.QueryRowContext(ctx, s.q(`SELECT `+memberColumns+` FROM members WHERE slug = ?`), sl))
}

// ListMembers returns one page of the members the filter selects. A Listed
// listing is read in slug order from an index that holds only listed
// members (with or without a region), and After or Before seek in it.
func (s *Store) ListMembers(ctx context.Context, f registry.MemberFilter) (_ []*registry.Member, _ int, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where, args := memberConditions(f)
	total := -1
	if !f.NoTotal {
		if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM members`+whereClause(where)), args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count members: %w", err)
		}
	}
	order := " ORDER BY id"
	switch {
	case f.Before != "":
		where, args, order = append(where, "slug < ?"), append(args, f.Before), " ORDER BY slug DESC"
	case f.After != "":
		where, args, order = append(where, "slug > ?"), append(args, f.After), " ORDER BY slug"
	case f.Newest:
		order = " ORDER BY approved_at DESC, id DESC"
	case f.Listed:
		order = " ORDER BY slug"
	}
	ms, err := s.queryMembers(ctx, `SELECT `+memberColumns+` FROM members`+whereClause(where)+order+` LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list members: %w", err)
	}
	if f.Before != "" {
		slices.Reverse(ms) // read backwards from Before, shown forwards
	}
	return ms, total, nil
}

// memberConditions are the SQL conditions of a filter, keyset aside.
func memberConditions(f registry.MemberFilter) (where []string, args []any) {
	if f.Listed {
		where = append(where, "status = 'approved' AND consent_public")
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.Region != "" {
		where, args = append(where, "region = ?"), append(args, string(f.Region))
	}
	if f.Event != "" {
		where, args = append(where, "event = ?"), append(args, f.Event)
	}
	if q := registry.SearchKey(f.Query); q != "" {
		// Hosts and slugs are lower case ASCII already; names are searched
		// in their SearchKey, so both sides lose case and accents alike.
		p := containsPattern(q)
		where = append(where, `(name_search LIKE ? ESCAPE '\' OR website_host LIKE ? ESCAPE '\' OR slug LIKE ? ESCAPE '\')`)
		args = append(args, p, p, p)
	}
	return where, args
}

// containsPattern is the LIKE pattern (with \ as its escape) that matches
// strings containing s: a "%" or "_" that staff typed is looked for as
// itself, not as a wildcard.
func containsPattern(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

func whereClause(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

func (s *Store) queryMembers(ctx context.Context, query string, args ...any) ([]*registry.Member, error) {
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []*registry.Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// Decide applies a staff decision and records it, in one transaction.
func (s *Store) Decide(ctx context.Context, d registry.Decision) (_ *registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	var m *registry.Member
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		m, err = s.lockMember(ctx, tx, d.MemberID)
		if err != nil {
			return err
		}
		now := s.clock()
		if err := d.Apply(m, now); err != nil {
			return err
		}
		if d.Action == registry.ActionReinstate || d.Action == registry.ActionReconsider {
			// Back among the live members: its name must still be its own.
			if err := s.checkName(ctx, tx, m); err != nil {
				return err
			}
		}
		if m.Status == registry.StatusApproved && m.Slug == "" {
			if m.Slug, err = s.freeSlug(ctx, tx, m.Name); err != nil {
				return err
			}
		}
		if err := s.update(ctx, tx, m); err != nil {
			return err
		}
		if m.Status != registry.StatusApproved {
			if err := s.closeMemberArea(ctx, tx, m.ID); err != nil {
				return err
			}
		}
		ml, ok := registry.DecisionMail(d, m, now)
		if err := s.enqueue(ctx, tx, ml, ok); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, registry.AuditEntry{At: now, Actor: d.Actor, Action: d.Action, MemberID: m.ID, Reason: d.Reason}); err != nil {
			return err
		}
		return s.notify(ctx, tx)
	})
	if s.d.UniqueViolation(err) == "website_host" {
		// Reinstated or reconsidered while another request holds its site.
		return nil, &registry.Error{Code: registry.ECONFLICT, Reason: registry.RuleTaken}
	}
	if err != nil {
		return nil, fmt.Errorf("%s member %d: %w", d.Action, d.MemberID, err)
	}
	return m, nil
}

// notify tells other instances, when the dialect can, that the member
// counts may have changed. Inside the transaction, so it is delivered on
// commit and never for a change that rolled back.
func (s *Store) notify(ctx context.Context, tx *sql.Tx) error {
	if s.d.Notify == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.d.Notify); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// slugProbes is how many candidate slugs (base, base-2…) freeSlug asks
// about in one query: one query nearly always settles it.
const slugProbes = 16

// freeSlug returns the slug for name that no member holds yet: the first of
// slug.Nth(base, 1), slug.Nth(base, 2)… that is free, as slug.Next would.
// It looks candidates up by equality, a few at a time, so the slug index
// answers with point lookups whatever the number of members.
func (s *Store) freeSlug(ctx context.Context, tx *sql.Tx, name string) (string, error) {
	base := slug.Make(name)
	if err := s.lock(ctx, tx, "slug:"+base); err != nil {
		return "", err
	}
	for first := 1; ; first += slugProbes {
		candidates := make([]any, slugProbes)
		for i := range candidates {
			candidates[i] = slug.Nth(base, first+i)
		}
		taken, err := s.takenSlugs(ctx, tx, candidates)
		if err != nil {
			return "", err
		}
		for _, c := range candidates {
			if !taken[c.(string)] {
				return c.(string), nil
			}
		}
	}
}

// takenSlugs returns which of the candidate slugs members hold.
func (s *Store) takenSlugs(ctx context.Context, tx *sql.Tx, candidates []any) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT slug FROM members WHERE slug IN (`+marks(len(candidates))+`)`), candidates...)
	if err != nil {
		return nil, fmt.Errorf("find slugs: %w", err)
	}
	defer rows.Close()
	taken := map[string]bool{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("find slugs: %w", err)
		}
		taken[t] = true
	}
	return taken, rows.Err()
}

func (s *Store) update(ctx context.Context, tx *sql.Tx, m *registry.Member) error {
	_, err := tx.ExecContext(ctx, s.q(`UPDATE members SET slug = ?, status = ?, reason = ?, version = ?,
		updated_at = ?, approved_at = ?, rejected_at = ?, revoked_at = ? WHERE id = ?`),
		nullSlug(m.Slug), string(m.Status), m.Reason, m.Version, m.UpdatedAt,
		nullTime(m.ApprovedAt), nullTime(m.RejectedAt), nullTime(m.RevokedAt), m.ID)
	if err != nil {
		return fmt.Errorf("update member: %w", err)
	}
	return nil
}

// Stats counts approved members in total and per region, and the listed
// ones among them, in one query that the counts index answers alone.
func (s *Store) Stats(ctx context.Context) (_ registry.Stats, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	st := registry.Stats{ByRegion: map[registry.Region]int{}, ListedByRegion: map[registry.Region]int{}}
	for _, r := range registry.Regions() {
		st.ByRegion[r], st.ListedByRegion[r] = 0, 0
	}
	rows, err := s.r.QueryContext(ctx, `SELECT region, consent_public, COUNT(*) FROM members
		WHERE status = 'approved' GROUP BY region, consent_public`)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r      registry.Region
			listed bool
			n      int
		)
		if err := rows.Scan(&r, &listed, &n); err != nil {
			return st, fmt.Errorf("stats: %w", err)
		}
		st.ByRegion[r] += n
		st.Members += n
		if listed {
			st.ListedByRegion[r] += n
			st.Listed += n
		}
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}

// nullSlug stores a member without a slug as NULL: slug is UNIQUE, and
// NULLs never collide where two empty strings would.
func nullSlug(sl string) any {
	if sl == "" {
		return nil
	}
	return sl
}

func timeOrZero(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// lockMember reads a member inside a transaction that will change it,
// locking its row (PostgreSQL) so that two changes to one member queue.
func (s *Store) lockMember(ctx context.Context, tx *sql.Tx, id int64) (*registry.Member, error) {
	return scanMember(tx.QueryRowContext(ctx, s.q(`SELECT `+memberColumns+` FROM members WHERE id = ?`+s.d.ForUpdate), id))
}

// EditMember changes a member's public record in one transaction with its
// audit entry: a website or name another live member holds is ECONFLICT.
func (s *Store) EditMember(ctx context.Context, id int64, e registry.MemberEdit, actor string) (_ *registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var m *registry.Member
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = s.lockMember(ctx, tx, id); err != nil {
			return err
		}
		return s.editMember(ctx, tx, m, e, actor)
	})
	if s.d.UniqueViolation(err) == "website_host" {
		return nil, &registry.Error{Code: registry.ECONFLICT, Reason: registry.RuleTaken}
	}
	if err != nil {
		return nil, fmt.Errorf("edit member %d: %w", id, err)
	}
	return m, nil
}

// editMember applies an edit to m, locked in tx, and writes it with its
// audit entry (EditMember and an approved change request). A website
// another live member holds fails with the unique index of live hosts:
// the caller says so after the transaction (the error aborts it).
func (s *Store) editMember(ctx context.Context, tx *sql.Tx, m *registry.Member, e registry.MemberEdit, actor string) error {
	oldKey := registry.NameKey(m.Name)
	changes, err := e.Apply(m)
	if err != nil || changes == "" {
		return err
	}
	live := m.Status == registry.StatusPending || m.Status == registry.StatusApproved
	if live && registry.NameKey(m.Name) != oldKey {
		if err := s.checkName(ctx, tx, m); err != nil {
			return err
		}
	}
	m.UpdatedAt = s.clock()
	_, err = tx.ExecContext(ctx, s.q(`UPDATE members SET name = ?, website = ?, website_host = ?, region = ?, consent_public = ?,
		name_key = ?, name_skeleton = ?, name_search = ?, version = ?, updated_at = ? WHERE id = ?`),
		m.Name, m.Website, m.WebsiteHost(), string(m.Region), m.ConsentPublic,
		registry.NameKey(m.Name), registry.NameSkeleton(m.Name), registry.SearchKey(m.Name), m.Version, m.UpdatedAt, m.ID)
	if err != nil {
		return err
	}
	if err := s.audit(ctx, tx, registry.AuditEntry{At: m.UpdatedAt, Actor: actor, Action: registry.ActionEdit, MemberID: m.ID, Reason: changes}); err != nil {
		return err
	}
	return s.notify(ctx, tx)
}
