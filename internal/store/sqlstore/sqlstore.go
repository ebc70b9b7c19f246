// Package sqlstore implements registry.Store on database/sql. The SQLite and
// PostgreSQL packages each give it a connection, their migrations and a
// Dialect; the queries, transactions and domain rules are written once here.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// Dialect is what differs between the SQL databases we run on.
type Dialect struct {
	// Rebind rewrites a query's ? placeholders into the database's own.
	Rebind func(query string) string
	// UniqueViolation returns the column a unique-constraint error is about
	// ("slug" or "website_host"), or "" when err is something else.
	UniqueViolation func(err error) string
	// ForUpdate is appended to a SELECT that must lock the rows it reads
	// inside a transaction ("" where transactions already serialise writes).
	ForUpdate string
	// Lock, when set, is run inside a transaction with a text key, and holds
	// a lock on that key until the transaction ends. It makes transactions
	// that would race wait for each other instead: approvals of one name
	// for the same slug ("slug:" and the base), flushes of one member's
	// badge views for its last free rows ("embeds:" and the ID).
	Lock string
	// LockMigrations and UnlockMigrations, when set, keep two instances
	// starting at once from migrating the same database together.
	LockMigrations, UnlockMigrations string
	// Notify, when set, is run in every transaction that changes who is an
	// approved member, so other instances refresh their live counts.
	Notify string
	// Analyze, when set, is run after an import has written its rows, so
	// the query planner knows the members table's new size and spread at
	// once instead of when autovacuum gets to it (PostgreSQL planned the
	// directory's pages with a sort of every listed member until then).
	Analyze string
}

// Store is a registry.Store on one or two database handles: writes go to
// w, reads to r (SQLite keeps a single writer connection apart from a pool of
// readers; PostgreSQL uses one pool for both).
type Store struct {
	w, r *sql.DB
	d    Dialect
	now  func() time.Time
}

var _ registry.Store = (*Store)(nil)

// New returns a Store; now is the clock, injected so tests are exact.
func New(w, r *sql.DB, d Dialect, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{w: w, r: r, d: d, now: now}
}

// clock returns the current time as the stores keep it: UTC, to the
// microsecond, so that both databases give back exactly what was written.
func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

// Close closes the database handles.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// maxAttempts bounds how often a transaction that lost a race for a slug is
// run again (PostgreSQL only: SQLite's single writer never races).
const maxAttempts = 5

// inTx runs fn in a write transaction, again when it lost a race for a slug.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	var err error
	for range maxAttempts {
		err = s.tryTx(ctx, fn)
		if s.d.UniqueViolation(err) != "slug" {
			return err
		}
	}
	return err
}

func (s *Store) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// lock takes the dialect's transaction lock on key, where it has one.
func (s *Store) lock(ctx context.Context, tx *sql.Tx, key string) error {
	if s.d.Lock == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.q(s.d.Lock), key); err != nil {
		return fmt.Errorf("lock %s: %w", key, err)
	}
	return nil
}

// q rebinds a query for the dialect.
func (s *Store) q(query string) string { return s.d.Rebind(query) }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
