package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"
)

// goMigrations are the steps SQL cannot express, shared by every dialect
// and ordered by name among the .sql files.
var goMigrations = map[string]func(ctx context.Context, tx *sql.Tx, d Dialect) error{
	"0008_identity_backfill.go":    backfillIdentity,
	"0009_skeleton_folds.go":       recomputeSkeletons,
	"0012_name_search_backfill.go": backfillNameSearch,
}

// Migrate applies the .sql files of fsys and the Go steps that the database
// has not seen, in name order, each in its own transaction, and records
// each by name in schema_migrations. It refuses a database that has a
// migration this binary does not know: that schema is newer than the code.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names = append(names, slices.Collect(maps.Keys(goMigrations))...)
	slices.Sort(names)
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if d.LockMigrations != "" {
		if _, err := conn.ExecContext(ctx, d.LockMigrations); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), d.UnlockMigrations)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied, err := appliedMigrations(ctx, conn)
	if err != nil {
		return err
	}
	for name := range applied {
		if !slices.Contains(names, name) {
			return fmt.Errorf("migrate: the database has migration %q that this binary does not know: its schema is newer, run a newer technopolys", name)
		}
	}
	for _, name := range names {
		if applied[name] {
			continue
		}
		if err := applyMigration(ctx, conn, d, fsys, name); err != nil {
			return err
		}
	}
	return nil
}

func appliedMigrations(ctx context.Context, conn *sql.Conn) (map[string]bool, error) {
	rows, err := conn.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		applied[name] = true
	}
	return applied, rows.Err()
}

func applyMigration(ctx context.Context, conn *sql.Conn, d Dialect, fsys fs.FS, name string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	defer tx.Rollback()
	step := goMigrations[name]
	if step == nil {
		step = func(ctx context.Context, tx *sql.Tx, _ Dialect) error { return runSQL(ctx, tx, fsys, name) }
	}
	if err := step(ctx, tx, d); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, d.Rebind(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`),
		name, time.Now().UTC()); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	return tx.Commit()
}

// runSQL runs the statements of one .sql file, separated by ";" at the end
// of a line.
func runSQL(ctx context.Context, tx *sql.Tx, fsys fs.FS, name string) error {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	for _, stmt := range strings.Split(string(body), ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}
