package sqlstore

import (
	"context"
	"fmt"

	"github.com/technopolys/technopolys/internal/registry"
)

// MemberMail reads a member's mails. The outbox has no index on member_id:
// an export is rare, and the outbox is read in one pass.
func (s *Store) MemberMail(ctx context.Context, memberID int64) (_ []registry.Mail, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT `+mailColumns+` FROM outbox WHERE member_id = ? ORDER BY id LIMIT ?`),
		memberID, registry.MaxMemberMail)
	if err != nil {
		return nil, fmt.Errorf("member mail: %w", err)
	}
	defer rows.Close()
	var mails []registry.Mail
	for rows.Next() {
		ml, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		mails = append(mails, ml)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("member mail: %w", err)
	}
	return mails, nil
}

// CountMemberSessions counts the sessions stored for a member.
func (s *Store) CountMemberSessions(ctx context.Context, memberID int64) (_ int, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var n int
	if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM member_sessions WHERE member_id = ?`), memberID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count member sessions: %w", err)
	}
	return n, nil
}
