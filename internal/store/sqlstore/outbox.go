package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

const mailColumns = `id, member_id, kind, to_addr, lang, reason, created_at, next_at, sent_at, attempts, last_error, link_token`

func scanMail(row scanner) (registry.Mail, error) {
	var (
		ml   registry.Mail
		sent sql.NullTime
	)
	err := row.Scan(&ml.ID, &ml.MemberID, &ml.Kind, &ml.To, &ml.Lang, &ml.Reason,
		&ml.CreatedAt, &ml.NextAt, &sent, &ml.Attempts, &ml.LastError, &ml.Link)
	if err != nil {
		return ml, fmt.Errorf("scan mail: %w", err)
	}
	ml.CreatedAt, ml.NextAt, ml.SentAt = ml.CreatedAt.UTC(), ml.NextAt.UTC(), timeOrZero(sent)
	return ml, nil
}

// enqueue writes a mail into the outbox inside the transaction of the
// change that sends it, so the two commit or roll back together.
func (s *Store) enqueue(ctx context.Context, tx *sql.Tx, ml registry.Mail, ok bool) error {
	if !ok {
		return nil
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO outbox (member_id, kind, to_addr, lang, reason, created_at, next_at, link_token)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), ml.MemberID, string(ml.Kind), ml.To, ml.Lang, ml.Reason, ml.CreatedAt, ml.NextAt, ml.Link)
	if err != nil {
		return fmt.Errorf("enqueue %s mail: %w", ml.Kind, err)
	}
	return nil
}

// capped reports whether the address was sent MailCap mails of that kind
// in the last MailCapWindow (uncapped kinds never are). It reads inside the
// caller's transaction; two joins at the same instant may each see one
// less than the other wrote, which bounds the count to the cap plus the
// writers running at once.
func (s *Store) capped(ctx context.Context, tx *sql.Tx, kind registry.MailKind, to string, now time.Time) (bool, error) {
	limit, ok := registry.MailCap[kind]
	if !ok || to == "" {
		return false, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM outbox WHERE lower(to_addr) = lower(?) AND created_at > ? AND kind = ?`),
		to, now.Add(-registry.MailCapWindow), string(kind)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count mails to an address: %w", err)
	}
	return n >= limit, nil
}

// ClaimMail takes the due unsent mails and moves them past the lease, in
// one statement. On PostgreSQL the rows it picks are locked with SKIP
// LOCKED, so two instances claiming at once split the due mails instead of
// waiting for each other or taking the same; SQLite's single writer runs
// the statements one after the other, and the second sees the first's new
// next_at.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) (_ []registry.Mail, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	now = now.UTC().Truncate(time.Microsecond)
	rows, err := s.w.QueryContext(ctx, s.q(`UPDATE outbox SET next_at = ? WHERE id IN (SELECT id FROM outbox
		WHERE sent_at IS NULL AND next_at <= ? ORDER BY next_at, id LIMIT ?`+s.d.SkipLocked+`) RETURNING `+mailColumns),
		now.Add(lease), now, limit)
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	defer rows.Close()
	var claimed []registry.Mail
	for rows.Next() {
		ml, err := scanMail(rows)
		if err != nil {
			return nil, fmt.Errorf("claim mail: %w", err)
		}
		claimed = append(claimed, ml)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	// RETURNING promises no order: oldest first, as they were picked.
	slices.SortFunc(claimed, func(a, b registry.Mail) int { return cmp.Compare(a.ID, b.ID) })
	return claimed, nil
}

// MailSent stamps a mail sent, unless it is already: the first time stays.
// The token of the link it carried goes: the link lives on by its hash
// alone.
func (s *Store) MailSent(ctx context.Context, id int64) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE outbox SET sent_at = COALESCE(sent_at, ?), link_token = '' WHERE id = ?`), s.clock(), id)
	if err != nil {
		return fmt.Errorf("mail sent %d: %w", id, err)
	}
	return found(res)
}

// MailFailed counts a failed attempt and says when to try again.
func (s *Store) MailFailed(ctx context.Context, id int64, next time.Time, reason string) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ?
		WHERE id = ? AND sent_at IS NULL`), next.UTC().Truncate(time.Microsecond), registry.MailError(reason), id)
	if err != nil {
		return fmt.Errorf("mail failed %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		// Sent meanwhile (by a sender whose lease ran out), or unknown.
		var one int
		err := s.w.QueryRowContext(ctx, s.q(`SELECT 1 FROM outbox WHERE id = ?`), id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return registry.NotFound()
		}
		return err
	}
	return nil
}

// ListMail returns one page of the outbox, newest first.
func (s *Store) ListMail(ctx context.Context, unsentOnly bool, limit, offset int) (_ []registry.Mail, _ int, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	where := ""
	if unsentOnly {
		where = " WHERE sent_at IS NULL"
	}
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`+where).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count mail: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT `+mailColumns+` FROM outbox`+where+` ORDER BY id DESC LIMIT ? OFFSET ?`), limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list mail: %w", err)
	}
	defer rows.Close()
	var mails []registry.Mail
	for rows.Next() {
		ml, err := scanMail(rows)
		if err != nil {
			return nil, 0, err
		}
		mails = append(mails, ml)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list mail: %w", err)
	}
	return mails, total, nil
}

// found is ENOTFOUND when an update by ID changed no row.
func found(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return registry.NotFound()
	}
	return nil
}
