package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/technopolys/technopolys/internal/registry"
)

func (s *Store) audit(ctx context.Context, tx *sql.Tx, e registry.AuditEntry) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO audit (at, actor, action, member_id, reason) VALUES (?, ?, ?, ?, ?)`),
		e.At, e.Actor, string(e.Action), e.MemberID, e.Reason)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// ListAudit returns audit entries, newest first.
func (s *Store) ListAudit(ctx context.Context, f registry.AuditFilter) (_ []registry.AuditEntry, err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	var (
		where []string
		args  []any
	)
	add := func(cond string, arg any) { where, args = append(where, cond), append(args, arg) }
	if f.MemberID != 0 {
		add("member_id = ?", f.MemberID)
	}
	if f.Actor != "" {
		// Both sides lowered by the database itself, so that they agree
		// whatever its idea of case (SQLite's is ASCII's).
		add(`lower(actor) LIKE lower(?) ESCAPE '\'`, containsPattern(f.Actor))
	}
	if f.Action != "" {
		add("action = ?", string(f.Action))
	}
	if !f.Since.IsZero() {
		add("at >= ?", f.Since.UTC())
	}
	if !f.Before.IsZero() {
		add("at < ?", f.Before.UTC())
	}
	query := `SELECT id, at, actor, action, member_id, reason FROM audit`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.r.QueryContext(ctx, s.q(query+` ORDER BY id DESC LIMIT ? OFFSET ?`), append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var out []registry.AuditEntry
	for rows.Next() {
		var e registry.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.MemberID, &e.Reason); err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
