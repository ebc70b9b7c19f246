package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/technopolys/technopolys/internal/auth"
	"github.com/technopolys/technopolys/internal/registry"
)

// saveLink saves a link mailed to a member's contact, by its token's hash.
func (s *Store) saveLink(ctx context.Context, tx *sql.Tx, memberID int64, p registry.LinkPurpose, hash string, now time.Time, ttl time.Duration) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO member_links (token_hash, member_id, purpose, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`), hash, memberID, string(p), now, now.Add(ttl))
	if err != nil {
		return fmt.Errorf("save %s link: %w", p, err)
	}
	return nil
}

// closeMemberArea ends a member's sessions and spends its sign-in links:
// a member that is no longer approved has no area to enter.
func (s *Store) closeMemberArea(ctx context.Context, tx *sql.Tx, memberID int64) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM member_sessions WHERE member_id = ?`), memberID); err != nil {
		return fmt.Errorf("end member sessions: %w", err)
	}
	_, err := tx.ExecContext(ctx, s.q(`DELETE FROM member_links WHERE member_id = ? AND purpose = ?`), memberID, string(registry.LinkSignIn))
	if err != nil {
		return fmt.Errorf("spend sign-in links: %w", err)
	}
	return nil
}

// ConfirmContact stamps the contact confirmed the first time its link is
// followed. The link stays until it expires, so following it again says
// the address is confirmed rather than that the link is unknown.
func (s *Store) ConfirmContact(ctx context.Context, tokenHash string) (_ *registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var m *registry.Member
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		memberID, err := s.confirmLink(ctx, tx, tokenHash)
		if err != nil {
			return err
		}
		if m, err = s.lockMember(ctx, tx, memberID); err != nil {
			return err
		}
		if m.ContactEmail == "" {
			return notFound("link")
		}
		if !m.ContactConfirmedAt.IsZero() {
			return nil
		}
		m.ContactConfirmedAt = s.clock()
		_, err = tx.ExecContext(ctx, s.q(`UPDATE members SET contact_confirmed_at = ? WHERE id = ?`), m.ContactConfirmedAt, m.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("confirm contact: %w", err)
	}
	return m, nil
}

// FindMembersByContact finds the approved members a contact looks after.
// lower() folds ASCII only in SQLite; addresses are compared as they
// folded when saved, and nearly all are ASCII.
func (s *Store) FindMembersByContact(ctx context.Context, email string) (_ []*registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	ms, err := s.queryMembers(ctx, `SELECT `+memberColumns+` FROM members
		WHERE contact_email <> '' AND lower(contact_email) = lower(?) AND status = 'approved' ORDER BY id LIMIT 20`, email)
	if err != nil {
		return nil, fmt.Errorf("find members by contact: %w", err)
	}
	return ms, nil
}

// CreateSignInLink saves a sign-in link and the mail carrying it together:
// a link nobody is sent is no use, and a mail without its link opens
// nothing.
func (s *Store) CreateSignInLink(ctx context.Context, memberID int64, token string) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := s.lockMember(ctx, tx, memberID)
		if err != nil {
			return err
		}
		if m.Status != registry.StatusApproved || m.ContactEmail == "" {
			return notFound("member")
		}
		now := s.clock()
		if capped, err := s.capped(ctx, tx, registry.MailSignIn, m.ContactEmail, now); err != nil {
			return err
		} else if capped {
			return registry.ErrMailCapped
		}
		if err := s.saveLink(ctx, tx, m.ID, registry.LinkSignIn, auth.TokenHash(token), now, registry.SignInLinkTTL); err != nil {
			return err
		}
		ml, ok := registry.SignInMail(m, token, now)
		return s.enqueue(ctx, tx, ml, ok)
	})
	if err != nil {
		return fmt.Errorf("create sign-in link: %w", err)
	}
	return nil
}

// UseSignInLink deletes a sign-in link and returns its member, if the link
// was still good. It is deleted whatever it finds: an expired link is as
// spent as a used one.
func (s *Store) UseSignInLink(ctx context.Context, tokenHash string) (_ int64, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var (
		memberID int64
		expires  time.Time
		status   registry.Status
	)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`SELECT l.member_id, l.expires_at, m.status FROM member_links l
			JOIN members m ON m.id = l.member_id WHERE l.token_hash = ? AND l.purpose = ?`+s.d.ForUpdate),
			tokenHash, string(registry.LinkSignIn)).Scan(&memberID, &expires, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("link")
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM member_links WHERE token_hash = ?`), tokenHash)
		if err != nil {
			return err
		}
		return affected(res, notFound("link")) // none: spent by a use at the same time
	})
	if err != nil {
		return 0, fmt.Errorf("use sign-in link: %w", err)
	}
	if status != registry.StatusApproved || !s.clock().Before(expires) {
		return 0, notFound("link")
	}
	return memberID, nil
}

// CreateMemberSession saves a session for an approved member, checked
// under the member's lock, so a revocation at the same time wins.
func (s *Store) CreateMemberSession(ctx context.Context, se *registry.MemberSession) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	now := s.clock()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := s.lockMember(ctx, tx, se.MemberID)
		if err != nil {
			return err
		}
		if m.Status != registry.StatusApproved {
			return notFound("member")
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO member_sessions (token_hash, member_id, csrf, created_at, last_seen)
			VALUES (?, ?, ?, ?, ?)`), se.TokenHash, se.MemberID, se.CSRF, now, now)
		return err
	})
	if s.d.UniqueViolation(err) != "" {
		return &registry.Error{Code: registry.ECONFLICT, Reason: "token_taken"}
	}
	if err != nil {
		return fmt.Errorf("create member session: %w", err)
	}
	se.CreatedAt, se.LastSeen = now, now
	return nil
}

// TouchMemberSession returns a live session and stamps it seen now; one
// past its time is deleted. Times are compared in Go, on the store's
// clock, as TouchSession does.
func (s *Store) TouchMemberSession(ctx context.Context, tokenHash string) (_ *registry.MemberSession, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	now := s.clock()
	var (
		se   registry.MemberSession
		live bool
	)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var status registry.Status
		err := tx.QueryRowContext(ctx, s.q(`SELECT se.token_hash, se.member_id, se.csrf, se.created_at, se.last_seen,
			(SELECT m.status FROM members m WHERE m.id = se.member_id)
			FROM member_sessions se WHERE se.token_hash = ?`+s.d.ForUpdate), tokenHash).Scan(
			&se.TokenHash, &se.MemberID, &se.CSRF, &se.CreatedAt, &se.LastSeen, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("session")
		}
		if err != nil {
			return err
		}
		live = status == registry.StatusApproved && !se.LastSeen.Before(now.Add(-registry.MemberSessionIdle)) &&
			!se.CreatedAt.Before(now.Add(-registry.MemberSessionMax))
		if !live {
			_, err = tx.ExecContext(ctx, s.q(`DELETE FROM member_sessions WHERE token_hash = ?`), tokenHash)
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE member_sessions SET last_seen = ? WHERE token_hash = ?`), now, tokenHash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("touch member session: %w", err)
	}
	if !live {
		return nil, notFound("session")
	}
	se.CreatedAt, se.LastSeen = se.CreatedAt.UTC(), now
	return &se, nil
}

// DeleteMemberSession ends a session, if it is there.
func (s *Store) DeleteMemberSession(ctx context.Context, tokenHash string) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM member_sessions WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("delete member session: %w", err)
	}
	return nil
}

const requestColumns = `id, member_id, kind, name, website, created_at, decision, decided_at, actor, reason`

func scanRequest(row scanner) (*registry.MemberRequest, error) {
	var (
		r       registry.MemberRequest
		decided sql.NullTime
	)
	err := row.Scan(&r.ID, &r.MemberID, &r.Kind, &r.Name, &r.Website, &r.CreatedAt, &r.Decision, &decided, &r.Actor, &r.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("request")
	}
	if err != nil {
		return nil, fmt.Errorf("scan request: %w", err)
	}
	r.CreatedAt, r.DecidedAt = r.CreatedAt.UTC(), timeOrZero(decided)
	return &r, nil
}

// CreateRequest saves a member's request, one open request of each kind
// at a time: the member's lock orders two requests sent at once.
func (s *Store) CreateRequest(ctx context.Context, r *registry.MemberRequest) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	now := s.clock()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := s.lockMember(ctx, tx, r.MemberID)
		if err != nil {
			return err
		}
		if m.Status != registry.StatusApproved {
			return notFound("member")
		}
		var open int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM member_requests WHERE member_id = ? AND kind = ? AND decision = ''`),
			r.MemberID, string(r.Kind)).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return &registry.Error{Code: registry.ECONFLICT, Reason: "request_open"}
		}
		return tx.QueryRowContext(ctx, s.q(`INSERT INTO member_requests (member_id, kind, name, website, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), r.MemberID, string(r.Kind), r.Name, r.Website, now).Scan(&r.ID)
	})
	if err != nil {
		return fmt.Errorf("create %s request: %w", r.Kind, err)
	}
	r.CreatedAt, r.Decision = now, ""
	return nil
}

// ListRequests returns a member's requests, or all the open ones.
func (s *Store) ListRequests(ctx context.Context, memberID int64) (_ []*registry.MemberRequest, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	query, args := `SELECT `+requestColumns+` FROM member_requests WHERE decision = '' ORDER BY id LIMIT 1000`, []any{}
	if memberID > 0 {
		query, args = `SELECT `+requestColumns+` FROM member_requests WHERE member_id = ? ORDER BY id LIMIT 1000`, []any{memberID}
	}
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	defer rows.Close()
	var rs []*registry.MemberRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, rows.Err()
}
