package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// CreateSession saves a new session. A staff member's account is locked
// and checked first, so a session cannot outlive a DisableStaff running at
// the same time; a break-glass session (StaffID 0) has a NULL staff_id.
func (s *Store) CreateSession(ctx context.Context, se *registry.Session) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	now := s.clock()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if se.StaffID != 0 {
			if err := s.activeStaff(ctx, tx, se.StaffID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, staff_id, actor, csrf, created_at, last_seen)
			VALUES (?, ?, ?, ?, ?, ?)`), se.TokenHash, nullID(se.StaffID), se.Actor, se.CSRF, now, now)
		return err
	})
	if s.d.UniqueViolation(err) != "" {
		return &registry.Error{Code: registry.ECONFLICT, Reason: "token_taken"}
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	se.CreatedAt, se.LastSeen = now, now
	return nil
}

// sessionState is what TouchSession reads of a session: the session, and
// whether its staff member is disabled.
type sessionState struct {
	se       registry.Session
	disabled bool
}

// TouchSession returns a live session and stamps it seen now. The idle
// rule is decided here in Go, on the store's clock, rather than by
// comparing times in SQL: the dialects store times differently, and tests
// move the clock by the microsecond.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, idle time.Duration) (_ *registry.Session, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	now := s.clock()
	var st *sessionState
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if st, err = s.readSession(ctx, tx, tokenHash); err != nil {
			return err
		}
		switch {
		case st.se.LastSeen.Before(now.Add(-idle)):
			_, err = tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash)
		case !st.disabled:
			_, err = tx.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen = ? WHERE token_hash = ?`), now, tokenHash)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("touch session: %w", err)
	}
	if st.disabled || st.se.LastSeen.Before(now.Add(-idle)) {
		return nil, notFound("session")
	}
	st.se.LastSeen = now
	return &st.se, nil
}

// readSession reads a session, locked, with its staff member's state. The
// state comes from a subquery: PostgreSQL refuses FOR UPDATE on the
// nullable side of a LEFT JOIN.
func (s *Store) readSession(ctx context.Context, tx *sql.Tx, tokenHash string) (*sessionState, error) {
	var (
		st      sessionState
		staffID sql.NullInt64
	)
	err := tx.QueryRowContext(ctx, s.q(`SELECT se.token_hash, se.staff_id, se.actor, se.csrf, se.created_at, se.last_seen,
		COALESCE((SELECT st.disabled FROM staff st WHERE st.id = se.staff_id), FALSE)
		FROM sessions se WHERE se.token_hash = ?`+s.d.ForUpdate), tokenHash).Scan(
		&st.se.TokenHash, &staffID, &st.se.Actor, &st.se.CSRF, &st.se.CreatedAt, &st.se.LastSeen, &st.disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("session")
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	st.se.StaffID = staffID.Int64
	st.se.CreatedAt, st.se.LastSeen = st.se.CreatedAt.UTC(), st.se.LastSeen.UTC()
	return &st, nil
}

// DeleteSession ends a session, if it is there.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// nullID stores the ID 0, "nobody", as NULL, which a foreign key accepts.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
