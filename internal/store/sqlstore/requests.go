package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/technopolys/technopolys/internal/registry"
)

// FindRequest reads one request.
func (s *Store) FindRequest(ctx context.Context, id int64) (_ *registry.MemberRequest, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	r, err := scanRequest(s.r.QueryRowContext(ctx, s.q(`SELECT `+requestColumns+` FROM member_requests WHERE id = ?`), id))
	if err != nil {
		return nil, fmt.Errorf("find request %d: %w", id, err)
	}
	return r, nil
}

// DecideRequest decides a member's request and does what it asks in the
// same transaction, so a request is never approved without its change, nor
// a change made for a request still open. The member is locked before the
// request, in the order EraseMember takes them (it rewrites the member's
// requests), so the two never wait on each other; a second decision waits
// on the request's lock, then finds it decided.
func (s *Store) DecideRequest(ctx context.Context, id int64, approve bool, actor, reason string) (_ *registry.MemberRequest, _ *registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var (
		r *registry.MemberRequest
		m *registry.Member
	)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var memberID int64 // a request's member never changes: safe to read before locking
		err := tx.QueryRowContext(ctx, s.q(`SELECT member_id FROM member_requests WHERE id = ?`), id).Scan(&memberID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("request")
		}
		if err != nil {
			return err
		}
		if m, err = s.lockMember(ctx, tx, memberID); err != nil {
			return err
		}
		if r, err = scanRequest(tx.QueryRowContext(ctx, s.q(`SELECT `+requestColumns+` FROM member_requests WHERE id = ?`+s.d.ForUpdate), id)); err != nil {
			return err
		}
		now := s.clock()
		if err := r.Decide(m, approve, actor, reason, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE member_requests SET decision = ?, decided_at = ?, actor = ?, reason = ? WHERE id = ?`),
			r.Decision, r.DecidedAt, r.Actor, r.Reason, r.ID); err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		switch {
		case !approve:
		case r.Kind == registry.RequestChange:
			if err := s.editMember(ctx, tx, m, r.Edit(), actor); err != nil {
				return err
			}
		case m.Tombstone(): // erased already: the member's wish is met
			return nil
		default:
			if err := s.eraseMember(ctx, tx, m, true, actor); err != nil {
				return err
			}
			r.Name, r.Website, r.Reason = "", "", "" // as eraseMember left them in the store
			return nil
		}
		ml, ok := registry.RequestMail(r, m, now)
		return s.enqueue(ctx, tx, ml, ok)
	})
	if s.d.UniqueViolation(err) == "website_host" {
		return nil, nil, &registry.Error{Code: registry.ECONFLICT, Reason: registry.RuleTaken}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("decide request %d: %w", id, err)
	}
	return r, m, nil
}
