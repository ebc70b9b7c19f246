// Package sqlite is the embedded store: SQLite through modernc.org/sqlite, a
// pure-Go driver, so the server builds and runs without cgo. The database is
// in WAL mode with synchronous=FULL (a commit is on disk before it is
// acknowledged) and one writer connection (SQLite allows one writer anyway;
// queueing in Go is cheaper than spinning on SQLITE_BUSY).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/technopolys/technopolys/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Readers is how many connections serve reads beside the single writer.
const Readers = 8

// dialect is SQLite's: ? placeholders, and no row locks because the write
// transactions begin IMMEDIATE and so run one at a time.
var dialect = sqlstore.Dialect{
	Rebind:          func(q string) string { return q },
	UniqueViolation: uniqueViolation,
	// Times are stored as text with their offset, which strftime reads and
	// turns into UTC.
	HourUTC: func(col string) string { return "strftime('%Y-%m-%d %H:00:00', " + col + ")" },
}

func uniqueViolation(err error) string {
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE && se.Code() != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
		return ""
	}
	switch msg := se.Error(); {
	case strings.Contains(msg, "members.slug"):
		return "slug"
	case strings.Contains(msg, "members.website_host"):
		return "website_host"
	}
	return "other"
}

// Path returns the file named by a store URL: "sqlite:technopolys.db",
// "sqlite://var/tp.db" or a bare path.
func Path(dbURL string) string {
	p := strings.TrimPrefix(dbURL, "sqlite:")
	return strings.TrimPrefix(p, "//")
}

func dsn(path string, extra ...string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_time_format", "sqlite")
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if need be) the SQLite store at path and migrates it.
func Open(ctx context.Context, path string, now func() time.Time) (*sqlstore.Store, error) {
	s, _, err := open(ctx, path, now)
	return s, err
}

// open opens the store and also returns its writer, a pool of exactly one
// connection, for tests that must reach that connection.
func open(ctx context.Context, path string, now func() time.Time) (*sqlstore.Store, *sql.DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, nil, fmt.Errorf("sqlite: bad path %q", path)
	}
	w, err := sql.Open("sqlite", dsn(path, "_txlock", "immediate"))
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	sub, _ := fs.Sub(migrations, "migrations")
	if err := sqlstore.Migrate(ctx, w, dialect, sub); err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, "_query_only", "1"))
	if err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("sqlite: %w", err)
	}
	r.SetMaxOpenConns(Readers)
	r.SetMaxIdleConns(Readers)
	return sqlstore.New(w, r, dialect, now), w, nil
}

// Backup writes a consistent copy of the database at path to dst with
// VACUUM INTO, which reads one snapshot and so may run while the server is
// writing. dst must not exist.
func Backup(ctx context.Context, path, dst string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("backup: %s exists already", dst)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
