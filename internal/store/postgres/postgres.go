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
	Lock:             "SELECT pg_advisory_xact_lock(hashtext(?))",
	LockMigrations:   "SELECT pg_advisory_lock(" + strconv.Itoa(migrationLock) + ")",
	UnlockMigrations: "SELECT pg_advisory_unlock(" + strconv.Itoa(migrationLock) + ")",
	Notify:           "SELECT pg_notify('" + Channel + "', '')",
	Analyze:          "ANALYZE members",
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

// Open connects to the PostgreSQL database at dsn (a postgres:// URL) and
// migrates it.
func Open(ctx context.Context, dsn string, now func() time.Time) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", withDefaults(dsn))
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(PoolSize)
	db.SetMaxIdleConns(PoolSize)
	if err := db.PingContext(ctx); err != nil {
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

// defaults are the connection settings Open adds to a URL that does not set
// them itself.
//
// plan_cache_mode: pgx prepares every statement once per connection, and
// PostgreSQL then settles on a generic plan chosen with the statistics of
// that moment. Chosen while members was empty, the plan of the slug lookup is
// a sequential scan that every later approval and import row repeats (an
// import of 10,000 rows into a new database took 35 s instead of 6 s).
// Custom plans cost a little planning on each query, which ours can afford.
var defaults = map[string]string{
	"plan_cache_mode": "force_custom_plan",
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
