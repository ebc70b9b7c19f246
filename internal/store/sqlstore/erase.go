package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/technopolys/technopolys/internal/registry"
)

// EraseMember erases a member's contact, and with public its public record,
// in one transaction with the audit entry (registry.Member.Erase says what
// goes). The one UPDATE empties website_host and takes the member out of
// the live statuses together, so the unique index of live hosts never sees
// a live member without a host; with public the slug becomes NULL, free for
// another company, as a pending member's is. The member's earlier audit
// entries lose what Member.ErasedReason says they must, in the same
// transaction, before the erase entry is written.
func (s *Store) EraseMember(ctx context.Context, id int64, public bool, actor string) (_ *registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var m *registry.Member
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		m, err = s.lockMember(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.eraseMember(ctx, tx, m, public, actor)
	})
	if err != nil {
		return nil, fmt.Errorf("erase member %d: %w", id, err)
	}
	return m, nil
}

// eraseMember erases m, locked in tx, and writes it with its audit entry
// (EraseMember and an approved deletion request).
func (s *Store) eraseMember(ctx context.Context, tx *sql.Tx, m *registry.Member, public bool, actor string) error {
	now := s.clock()
	kept := m.ErasedReason(public) // before Erase empties the contact it looks for
	reason, err := m.Erase(public, now)
	if err != nil {
		return err
	}
	if err := s.writeErased(ctx, tx, m); err != nil {
		return err
	}
	if err := s.eraseAuditReasons(ctx, tx, m.ID, kept); err != nil {
		return err
	}
	if public { // a change asked for names the company, as its record did, and staff's reasons may quote it
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE member_requests SET name = '', website = '', reason = '' WHERE member_id = ?`), m.ID); err != nil {
			return fmt.Errorf("erase requests: %w", err)
		}
	}
	if err := s.audit(ctx, tx, registry.AuditEntry{At: now, Actor: actor, Action: registry.ActionErase, MemberID: m.ID, Reason: reason}); err != nil {
		return err
	}
	return s.notify(ctx, tx) // an approved member erased is revoked
}

// eraseAuditReasons rewrites the reasons of a member's audit entries to
// what kept leaves of them. The rule is the domain's, in Go: SQL cannot
// fold accents, nor case beyond ASCII in SQLite. A member has few entries,
// so all of them are read, then those that change updated one by one (a
// transaction's connection runs one statement at a time).
func (s *Store) eraseAuditReasons(ctx context.Context, tx *sql.Tx, memberID int64, kept func(registry.Action, string) string) error {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT id, action, reason FROM audit WHERE member_id = ? AND reason <> ''`), memberID)
	if err != nil {
		return fmt.Errorf("read audit: %w", err)
	}
	changed := map[int64]string{}
	for rows.Next() {
		var (
			id     int64
			action registry.Action
			reason string
		)
		if err := rows.Scan(&id, &action, &reason); err != nil {
			rows.Close()
			return fmt.Errorf("read audit: %w", err)
		}
		if k := kept(action, reason); k != reason {
			changed[id] = k
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read audit: %w", err)
	}
	for id, reason := range changed {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE audit SET reason = ? WHERE id = ?`), reason, id); err != nil {
			return fmt.Errorf("erase audit reason: %w", err)
		}
	}
	return nil
}

// writeErased saves what Erase changed, the keys derived from the name and
// website with it: an erased name must not be found by search, nor make
// another company's name taken or look alike, and its slug, made from it,
// is NULL.
func (s *Store) writeErased(ctx context.Context, tx *sql.Tx, m *registry.Member) error {
	_, err := tx.ExecContext(ctx, s.q(`UPDATE members SET contact_name = ?, contact_email = ?, contact_confirmed_at = NULL, erased_at = ?, slug = ?,
		name = ?, name_key = ?, name_skeleton = ?, name_search = ?, website = ?, website_host = ?, consent_public = ?,
		status = ?, reason = ?, rejected_at = ?, revoked_at = ?, version = ?, updated_at = ? WHERE id = ?`),
		m.ContactName, m.ContactEmail, m.ErasedAt, nullSlug(m.Slug),
		m.Name, registry.NameKey(m.Name), registry.NameSkeleton(m.Name), registry.SearchKey(m.Name), m.Website, m.WebsiteHost(), m.ConsentPublic,
		string(m.Status), m.Reason, nullTime(m.RejectedAt), nullTime(m.RevokedAt), m.Version, m.UpdatedAt, m.ID)
	if err != nil {
		return fmt.Errorf("update member: %w", err)
	}
	// The outbox holds the contact's address: it goes with the contact, and
	// what was not sent yet has no one to go to.
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM outbox WHERE member_id = ?`), m.ID); err != nil {
		return fmt.Errorf("erase mail: %w", err)
	}
	// Links went to the contact, and sessions came from them.
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM member_links WHERE member_id = ?`), m.ID); err != nil {
		return fmt.Errorf("erase links: %w", err)
	}
	return s.closeMemberArea(ctx, tx, m.ID)
}
