package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// rowQuerier is a database or a transaction, for a read either may run.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// confirmLink is the member a live confirmation link is for; ENOTFOUND
// when the link is unknown or expired by the store's clock.
func (s *Store) confirmLink(ctx context.Context, q rowQuerier, tokenHash string) (int64, error) {
	var (
		memberID int64
		expires  time.Time
	)
	err := q.QueryRowContext(ctx, s.q(`SELECT member_id, expires_at FROM member_links WHERE token_hash = ? AND purpose = ?`),
		tokenHash, string(registry.LinkConfirm)).Scan(&memberID, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.clock().Before(expires)) {
		return 0, notFound("link")
	}
	return memberID, err
}

// FindConfirmLink reads the member a confirmation link is for, changing
// nothing: the page a mail scanner may fetch ahead of the reader.
func (s *Store) FindConfirmLink(ctx context.Context, tokenHash string) (_ *registry.Member, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	memberID, err := s.confirmLink(ctx, s.r, tokenHash)
	if err != nil {
		return nil, fmt.Errorf("find confirm link: %w", err)
	}
	m, err := scanMember(s.r.QueryRowContext(ctx, s.q(`SELECT `+memberColumns+` FROM members WHERE id = ?`), memberID))
	if registry.ErrorCode(err) == registry.ENOTFOUND || err == nil && m.ContactEmail == "" {
		return nil, notFound("link")
	}
	if err != nil {
		return nil, fmt.Errorf("find confirm link: %w", err)
	}
	return m, nil
}
