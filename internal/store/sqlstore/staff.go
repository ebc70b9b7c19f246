package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

const staffColumns = `id, email, name, password_hash, disabled, created_at, updated_at`

// notFound is the ENOTFOUND of a staff account, link or session: the
// reason names which, for logs.
func notFound(what string) error { return &registry.Error{Code: registry.ENOTFOUND, Reason: what} }

func scanStaff(row scanner) (*registry.Staff, error) {
	var st registry.Staff
	err := row.Scan(&st.ID, &st.Email, &st.Name, &st.PasswordHash, &st.Disabled, &st.CreatedAt, &st.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("staff")
	}
	if err != nil {
		return nil, fmt.Errorf("scan staff: %w", err)
	}
	st.CreatedAt, st.UpdatedAt = st.CreatedAt.UTC(), st.UpdatedAt.UTC()
	return &st, nil
}

// CreateStaff saves a new staff account. It validates it again, which also
// lower-cases its e-mail: the unique index compares lower(email), and
// SQLite's lower() folds ASCII only, so the e-mail must arrive folded.
func (s *Store) CreateStaff(ctx context.Context, st *registry.Staff) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	if err := st.Validate(); err != nil {
		return err
	}
	now := s.clock()
	err = s.w.QueryRowContext(ctx, s.q(`INSERT INTO staff (email, name, password_hash, disabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		st.Email, st.Name, st.PasswordHash, st.Disabled, now, now).Scan(&st.ID)
	if s.d.UniqueViolation(err) != "" {
		return &registry.Error{Code: registry.ECONFLICT, Reason: registry.RuleEmailTaken}
	}
	if err != nil {
		return fmt.Errorf("create staff: %w", err)
	}
	st.CreatedAt, st.UpdatedAt = now, now
	return nil
}

// FindStaff returns the staff account with that ID.
func (s *Store) FindStaff(ctx context.Context, id int64) (_ *registry.Staff, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	return scanStaff(s.r.QueryRowContext(ctx, s.q(`SELECT `+staffColumns+` FROM staff WHERE id = ?`), id))
}

// FindStaffByEmail returns the staff account with that e-mail, by the
// unique index of lower(email).
func (s *Store) FindStaffByEmail(ctx context.Context, email string) (_ *registry.Staff, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	return scanStaff(s.r.QueryRowContext(ctx, s.q(`SELECT `+staffColumns+` FROM staff WHERE lower(email) = ?`),
		strings.ToLower(strings.TrimSpace(email))))
}

// ListStaff returns every staff account by e-mail.
func (s *Store) ListStaff(ctx context.Context) (_ []*registry.Staff, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	rows, err := s.r.QueryContext(ctx, `SELECT `+staffColumns+` FROM staff ORDER BY email, id`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	defer rows.Close()
	out := []*registry.Staff{}
	for rows.Next() {
		st, err := scanStaff(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// SetStaffPassword replaces an account's password hash and deletes its
// sessions in one transaction: a password reset, after a leak say, must
// sign out whoever holds the old one.
func (s *Store) SetStaffPassword(ctx context.Context, id int64, hash string) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE staff SET password_hash = ?, updated_at = ? WHERE id = ?`), hash, s.clock(), id)
		if err != nil {
			return err
		}
		if err := affected(res, notFound("staff")); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE staff_id = ?`), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("set staff password %d: %w", id, err)
	}
	return nil
}

// affected returns missing when res changed no row: the row it was about
// is not there.
func affected(res sql.Result, missing error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return missing
	}
	return nil
}

// DisableStaff disables an account and deletes its sessions in one
// transaction. UpdatedAt keeps the time it was first disabled.
func (s *Store) DisableStaff(ctx context.Context, id int64) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		st, err := scanStaff(tx.QueryRowContext(ctx, s.q(`SELECT `+staffColumns+` FROM staff WHERE id = ?`+s.d.ForUpdate), id))
		if err != nil {
			return err
		}
		if !st.Disabled {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE staff SET disabled = ?, updated_at = ? WHERE id = ?`), true, s.clock(), id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE staff_id = ?`), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("disable staff %d: %w", id, err)
	}
	return nil
}

// activeStaff locks the account of a link or session being made, so that
// a DisableStaff at the same time waits for it (and then deletes the
// session) rather than missing it; ENOTFOUND when it is gone or disabled.
func (s *Store) activeStaff(ctx context.Context, tx *sql.Tx, id int64) error {
	st, err := scanStaff(tx.QueryRowContext(ctx, s.q(`SELECT `+staffColumns+` FROM staff WHERE id = ?`+s.d.ForUpdate), id))
	if err != nil {
		return err
	}
	if st.Disabled {
		return notFound("staff")
	}
	return nil
}

// CreateStaffLink saves a one-time link for an active account.
func (s *Store) CreateStaffLink(ctx context.Context, staffID int64, tokenHash string, expires time.Time) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.activeStaff(ctx, tx, staffID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO staff_links (token_hash, staff_id, expires_at) VALUES (?, ?, ?)`),
			tokenHash, staffID, expires.UTC().Truncate(time.Microsecond))
		return err
	})
	if s.d.UniqueViolation(err) != "" {
		return &registry.Error{Code: registry.ECONFLICT, Reason: "token_taken"}
	}
	if err != nil {
		return fmt.Errorf("create staff link: %w", err)
	}
	return nil
}

// UseStaffLink deletes a link and returns its account, if the link was
// still valid. The link is deleted whatever it finds: an expired link or
// one of a disabled account is as spent as a used one.
func (s *Store) UseStaffLink(ctx context.Context, tokenHash string) (_ int64, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var (
		staffID  int64
		expires  time.Time
		disabled bool
	)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`SELECT l.staff_id, l.expires_at, s.disabled FROM staff_links l
			JOIN staff s ON s.id = l.staff_id WHERE l.token_hash = ?`+s.d.ForUpdate), tokenHash).Scan(&staffID, &expires, &disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("staff_link")
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM staff_links WHERE token_hash = ?`), tokenHash)
		if err != nil {
			return err
		}
		return affected(res, notFound("staff_link")) // none: spent by a use at the same time
	})
	if err != nil {
		return 0, fmt.Errorf("use staff link: %w", err)
	}
	if disabled || !s.clock().Before(expires) {
		return 0, notFound("staff_link")
	}
	return staffID, nil
}
