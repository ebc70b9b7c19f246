// Package sqlstore implements registry.Store on database/sql. The SQLite and
// PostgreSQL packages each give it a connection, their migrations and a
// Dialect; the queries, transactions and domain rules are written once here.
package sqlstore

import (
	"context"
	"crypto/rand"
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
	// SkipLocked is appended to the SELECT that picks outbox rows to claim,
	// so that rows another transaction is claiming are passed over rather
	// than waited for ("" where transactions already serialise writes).
	SkipLocked string
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
	// HourUTC returns the SQL for the UTC hour that a timestamp column's
	// value falls in, as text "YYYY-MM-DD HH:00:00", for counts by hour.
	HourUTC func(column string) string
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
	w, r    *sql.DB
	d       Dialect
	now     func() time.Time
	timeout time.Duration
}

var _ registry.Store = (*Store)(nil)

// New returns a Store; now is the clock, injected so tests are exact.
func New(w, r *sql.DB, d Dialect, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{w: w, r: r, d: d, now: now, timeout: QueryTimeout}
}

// clock returns the current time as the stores keep it: UTC, to the
// microsecond, so that both databases give back exactly what was written.
func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	return s.r.PingContext(ctx)
}

// readyProbe is how many bytes Ready writes, and clears again, to show the
// store can write: more than a SQLite page, so that the write must find
// free pages. Rewriting a small row in place would succeed on a database
// that has no room left for anything else.
const readyProbe = 8 << 10

// Ready reports whether the store can write now, by writing: it stamps the
// one row of the health table with the time and a probe it clears in the
// same transaction. A database that answers but cannot write (disk full,
// read-only) is not ready, though Ping succeeds.
func (s *Store) Ready(ctx context.Context) (err error) {
	ctx, done := s.guard(ctx, &err)
	defer done()
	probe := make([]byte, readyProbe)
	rand.Read(probe) // incompressible, so PostgreSQL stores all of it
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO health (id, checked_at, probe) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at, probe = excluded.probe`), s.clock(), probe); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE health SET probe = NULL WHERE id = 1`)
		return err
	})
	if err != nil {
		return fmt.Errorf("ready: %w", err)
	}
	return nil
}

// Close closes the database handles.
func (s *Store) Close() (err error) {
	defer markUnavailable(&err)
	err = s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// QueryTimeout is how long a store call may take by default (each batch of
// an import, each flush of counts): a database that hangs fails the call
// with EUNAVAILABLE instead of holding its request for ever.
const QueryTimeout = 10 * time.Second

// SetQueryTimeout changes the bound of every store call from QueryTimeout
// to d. Call it before the store is used.
func (s *Store) SetQueryTimeout(d time.Duration) { s.timeout = d }

// bound limits ctx to the store's query timeout.
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// guard is how every exported method begins:
//
//	ctx, done := s.guard(ctx, &err)
//	defer done()
//
// The call is bounded by the query timeout, and when it returns, an error
// that is not a domain error (so came from the database, or is the
// timeout) is wrapped as EUNAVAILABLE in *err: one place for both rules.
func (s *Store) guard(ctx context.Context, err *error) (context.Context, func()) {
	ctx, cancel := s.bound(ctx)
	return ctx, func() {
		cancel()
		markUnavailable(err)
	}
}

// markUnavailable wraps *err as EUNAVAILABLE unless it is nil or a domain
// error (an *registry.Error, which Unavailable's own errors are too, or an
// *registry.Invalid). errors.Unwrap still reaches the driver's error.
func markUnavailable(err *error) {
	if *err != nil && !registry.IsDomain(*err) {
		*err = registry.Unavailable(*err)
	}
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
