package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/technopolys/technopolys/internal/registry"
	tpsqlite "github.com/technopolys/technopolys/internal/store/sqlite"
	"github.com/technopolys/technopolys/internal/store/storetest"
)

// TestFullDatabase fills the database up to a page limit set on the writer
// connection (PRAGMA max_page_count, as good as a full disk to SQLite):
// writes and readiness fail with EUNAVAILABLE and SQLite's own SQLITE_FULL
// while reads go on, and all recover once the limit is lifted.
func TestFullDatabase(t *testing.T) {
	ctx := context.Background()
	s, w, err := tpsqlite.OpenWithWriter(ctx, filepath.Join(t.TempDir(), "tp.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	first := storetest.MustCreate(t, s, storetest.Application("Avant", 0))
	if err := s.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	limitPages(t, w, 0)
	full := fill(t, s)
	t.Run("a write fails with EUNAVAILABLE wrapping SQLITE_FULL", func(t *testing.T) {
		wantFull(t, full)
		m, _ := storetest.Application("Encore", 999_999).Validate()
		wantFull(t, s.CreateMember(ctx, m))
	})
	t.Run("the store is not ready", func(t *testing.T) {
		wantFull(t, s.Ready(ctx))
	})
	t.Run("reads go on", func(t *testing.T) {
		if _, err := s.FindMember(ctx, first.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ListMembers(ctx, registry.MemberFilter{Limit: 5}); err != nil {
			t.Fatal(err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
	limitPages(t, w, 1<<30)
	t.Run("once there is room again, writes and readiness recover", func(t *testing.T) {
		if err := s.Ready(ctx); err != nil {
			t.Fatal(err)
		}
		storetest.MustCreate(t, s, storetest.Application("Après", 1_000_000))
	})
}

// limitPages sets max_page_count on the writer's one connection; 0 means
// the pages the database has now.
func limitPages(t *testing.T, w *sql.DB, n int) {
	t.Helper()
	if n == 0 {
		if err := w.QueryRow(`PRAGMA page_count`).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	var got int
	if err := w.QueryRow(`PRAGMA max_page_count = ` + strconv.Itoa(n)).Scan(&got); err != nil || got != n {
		t.Fatalf("max_page_count = %d: %d, %v", n, got, err)
	}
}

// fill joins until a join fails (the free room left in the database's
// pages is used up) and returns that failure.
func fill(t *testing.T, s registry.Store) error {
	t.Helper()
	for i := 1; i < 100_000; i++ {
		m, _ := storetest.Application("Remplissage "+strconv.Itoa(i), i).Validate()
		if err := s.CreateMember(context.Background(), m); err != nil {
			return err
		}
	}
	t.Fatal("the database never filled up")
	return nil
}

func wantFull(t *testing.T, err error) {
	t.Helper()
	var se *sqlite.Error
	if registry.ErrorCode(err) != registry.EUNAVAILABLE || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_FULL {
		t.Fatalf("got %v (code %q), want EUNAVAILABLE wrapping SQLITE_FULL", err, registry.ErrorCode(err))
	}
}

// TestQueryTimeout holds SQLite's write lock from another connection for
// longer than the store's bound: a join fails with EUNAVAILABLE and the
// deadline instead of waiting for the lock.
func TestQueryTimeout(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tp.db")
	s, _, err := tpsqlite.OpenWithWriter(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.SetQueryTimeout(200 * time.Millisecond)
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	m, _ := storetest.Application("Bloquée", 1).Validate()
	err = s.CreateMember(ctx, m)
	if registry.ErrorCode(err) != registry.EUNAVAILABLE || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("join behind a held lock: %v (code %q)", err, registry.ErrorCode(err))
	}
}

// TestOutboxAtomic fails inserts with a trigger that aborts them.
func TestOutboxAtomic(t *testing.T) {
	s, w, err := tpsqlite.OpenWithWriter(context.Background(), filepath.Join(t.TempDir(), "tp.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	storetest.OutboxAtomic(t, s, func(t *testing.T, table string) func() {
		exec(t, w, `CREATE TRIGGER fail_`+table+` BEFORE INSERT ON `+table+` BEGIN SELECT RAISE(ABORT, 'injected'); END`)
		return func() { exec(t, w, `DROP TRIGGER fail_`+table) }
	})
}

func exec(t *testing.T, db *sql.DB, query string) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), query); err != nil {
		t.Fatal(err)
	}
}
