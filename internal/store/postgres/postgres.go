// Package postgres is the shared store for deployments of several instances:
// PostgreSQL through pgx (github.com/jackc/pgx/v5), used via its database/sql
// adapter so that the queries are the same as SQLite's.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/technopolys/technopolys/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// PoolSize bounds the connections one instance opens.
const PoolSize = 16

// migrationLock is the advisory lock key that serialises migrations when
// several instances start at once (the bytes "tpol").
const migrationLock = 0x74706f6c

var dialect = sqlstore.Dialect{
	Rebind:           rebind,
	UniqueViolation:  uniqueViolation,
	ForUpdate:        " FOR UPDATE",
	SkipLocked:       " FOR UPDATE SKIP LOCKED",
	Lock:             "SELECT pg_advisory_xact_lock(hashtext(?))",
	LockMigrations:   "SELECT pg_advisory_lock(" + strconv.Itoa(migrationLock) + ")",
	UnlockMigrations: "SELECT pg_advisory_unlock(" + strconv.Itoa(migrationLock) + ")",
	Notify:           "SELECT pg_notify('" + Channel + "', '')",
	Analyze:          "ANALYZE members",
	// AT TIME ZONE makes the hour UTC's whatever the session's time zone.
	HourUTC: func(col string) string {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:00:00')"
	},
}

// Channel is the NOTIFY channel on which a change of approved members is
// announced to every instance.
const Channel = "technopolys_members"

// rebind turns ? placeholders into $1, $2… Our queries hold no literal "?".
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func uniqueViolation(err error) string {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" {
		return ""
	}
	switch {
	case strings.Contains(pe.ConstraintName, "slug"):
		return "slug"
	case strings.Contains(pe.ConstraintName, "host"):
		return "website_host"
	}
	return "other"
}

// Option changes how Open connects.
type Option func(*options)

type options struct{ log *slog.Logger }

// WithLog makes Open log each failed attempt to reach the database.
func WithLog(log *slog.Logger) Option { return func(o *options) { o.log = log } }

// Open connects to the PostgreSQL database at dsn (a postgres:// URL) and
// migrates it. While the database cannot be reached (not started yet,
// restarting, its port black-holed), Open tries again with backoff up to
// 5 s, each attempt bounded by connect_timeout, until ctx ends.
func Open(ctx context.Context, dsn string, now func() time.Time, opts ...Option) (*sqlstore.Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	db, err := sql.Open("pgx", withDefaults(dsn))
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(PoolSize)
	db.SetMaxIdleConns(PoolSize)
	if err := reach(ctx, db, o.log); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	if err := sqlstore.Migrate(ctx, db, dialect, sub); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return sqlstore.New(db, db, dialect, now), nil
}

// reach pings db until it answers, waiting 100 ms, then twice as long after
// each failure up to 5 s, and gives up when ctx ends.
func reach(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := db.PingContext(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("unreachable after %d attempts: %w", attempt, err)
		}
		if refused(err) {
			return err
		}
		if log != nil {
			log.Warn("database unreachable; trying again", "attempt", attempt, "in", backoff, "err", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("unreachable after %d attempts: %w", attempt, err)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// refused reports an error the server itself answered with, such as a wrong
// password or an unknown database, which trying again will not mend; except
// "the database system is starting up", which it will.
func refused(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code != "57P03"
}

// defaults are the connection settings Open adds to a URL that does not set
// them itself.
//
// plan_cache_mode: pgx prepares every statement once per connection, and
// PostgreSQL then settles on a generic plan chosen with the statistics of
// that moment. Chosen while members was empty, the plan of the slug lookup is
// a sequential scan that every later approval and import row repeats (an
// import of 10,000 rows into a new database took 35 s instead of 6 s).
// Custom plans cost a little planning on each query, which ours can afford.
//
// connect_timeout: without it a connection to a port that accepts and never
// answers waits for ever, so the server hung at start.
var defaults = map[string]string{
	"plan_cache_mode": "force_custom_plan",
	"connect_timeout": "5",
}

// withDefaults adds defaults to dsn where it sets none; a dsn that is not a
// URL is left as it is.
func withDefaults(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return dsn
	}
	q := u.Query()
	for k, v := range defaults {
		if !q.Has(k) {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
