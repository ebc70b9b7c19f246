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
// a live member without a host; the slug stays, so that no one else gets it.
func (s *Store) EraseMember(ctx context.Context, id int64, public bool, actor string) (_ *registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var m *registry.Member
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		m, err = scanMember(tx.QueryRowContext(ctx, s.q(`SELECT `+memberColumns+` FROM members WHERE id = ?`+s.d.ForUpdate), id))
		if err != nil {
			return err
		}
		now := s.clock()
		reason, err := m.Erase(public, now)
		if err != nil {
			return err
		}
		if err := s.writeErased(ctx, tx, m); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, registry.AuditEntry{At: now, Actor: actor, Action: registry.ActionErase, MemberID: m.ID, Reason: reason}); err != nil {
			return err
		}
		return s.notify(ctx, tx) // an approved member erased is revoked
	})
	if err != nil {
		return nil, fmt.Errorf("erase member %d: %w", id, err)
	}
	return m, nil
}

// writeErased saves what Erase changed, the keys derived from the name and
// website with it: an erased name must not be found by search, nor make
// another company's name taken or look alike.
func (s *Store) writeErased(ctx context.Context, tx *sql.Tx, m *registry.Member) error {
	_, err := tx.ExecContext(ctx, s.q(`UPDATE members SET contact_name = ?, contact_email = ?, erased_at = ?,
		name = ?, name_key = ?, name_skeleton = ?, name_search = ?, website = ?, website_host = ?, consent_public = ?,
		status = ?, reason = ?, rejected_at = ?, revoked_at = ?, version = ?, updated_at = ? WHERE id = ?`),
		m.ContactName, m.ContactEmail, m.ErasedAt,
		m.Name, registry.NameKey(m.Name), registry.NameSkeleton(m.Name), registry.SearchKey(m.Name), m.Website, m.WebsiteHost(), m.ConsentPublic,
		string(m.Status), m.Reason, nullTime(m.RejectedAt), nullTime(m.RevokedAt), m.Version, m.UpdatedAt, m.ID)
	if err != nil {
		return fmt.Errorf("update member: %w", err)
	}
	return nil
}
