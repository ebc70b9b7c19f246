package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/sqlite"
	"github.com/technopolys/technopolys/internal/store/storetest"
)

// MustOpen opens a new SQLite store in a temporary directory.
func MustOpen(tb testing.TB, path string, now func() time.Time) registry.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), path, now)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) registry.Store {
		return MustOpen(t, filepath.Join(t.TempDir(), "tp.db"), now)
	})
}

func TestReopenKeepsMembers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tp.db")
	s, err := sqlite.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := storetest.MustCreate(t, s, storetest.Application("Acme", 1))
	s.Close()
	got, err := MustOpen(t, path, nil).FindMember(context.Background(), m.ID)
	if err != nil || got.Name != "Acme" {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tp.db")
	s, err := sqlite.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', '2030-01-01')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = sqlite.Open(context.Background(), path, nil)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("opened a newer schema: %v", err)
	}
}

// TestBackupWhileWriting takes a backup while another goroutine keeps
// joining, and checks the copy opens as a store holding a consistent prefix.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tp.db")
	s := MustOpen(t, path, nil)
	for i := range 50 {
		storetest.MustCreate(t, s, storetest.Application(fmt.Sprint("Before ", i), i))
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1000; ; i++ {
			select {
			case <-stop:
				return
			default:
				storetest.MustCreate(t, s, storetest.Application(fmt.Sprint("During ", i), i))
			}
		}
	}()
	dst := filepath.Join(dir, "copy.db")
	err := sqlite.Backup(context.Background(), path, dst)
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlite.Backup(context.Background(), path, dst); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	ms, total, err := MustOpen(t, dst, nil).ListMembers(context.Background(), registry.MemberFilter{Limit: 100000})
	if err != nil || total < 50 {
		t.Fatalf("backup holds %d members, %v", total, err)
	}
	for i, m := range ms { // a snapshot: IDs 1..total with no gap
		if m.ID != int64(i+1) {
			t.Fatalf("backup is not a consistent prefix at %d: id %d", i, m.ID)
		}
	}
}

// TestMigrationRepairsEmptySlugs puts a database back in the state older
// binaries left it in (a rejected member holding the empty string as its
// slug, which made the next rejection collide) and checks that reopening
// repairs it.
func TestMigrationRepairsEmptySlugs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tp.db")
	s := MustOpen(t, path, nil)
	storetest.MustCreate(t, s, storetest.Application("Old reject", 1))
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`UPDATE members SET slug = '', status = 'rejected'`,
		`DELETE FROM schema_migrations WHERE name = '0004_null_empty_slugs.sql'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s = MustOpen(t, path, nil)
	var empty int
	if err := db.QueryRow(`SELECT COUNT(*) FROM members WHERE slug = ''`).Scan(&empty); err != nil || empty != 0 {
		t.Fatalf("%d empty slugs left, %v", empty, err)
	}
	m := storetest.MustCreate(t, s, storetest.Application("New reject", 2))
	storetest.MustDecide(t, s, m.ID, registry.ActionReject, "hors Québec")
}
