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

// TestMigrationBackfillsIdentity puts members back as older binaries left
// them (no name keys, Unicode website hosts) and reopens: names and hosts
// are computed, except where two live members would then share a host.
func TestMigrationBackfillsIdentity(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tp.db")
	s := MustOpen(t, path, nil)
	website := func(name, site string, n int) *registry.Member {
		a := storetest.Application(name, n)
		a.Website = site
		return storetest.MustCreate(t, s, a)
	}
	montreal := website("Montréal Co", "https://montréal.example", 1)
	quebec := website("Québec Co", "https://québec.example", 2)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE members SET website_host = ? WHERE id = ?`, "montréal.example", montreal.ID)
	exec(`UPDATE members SET website_host = ? WHERE id = ?`, "québec.example", quebec.ID)
	twin := website("Quebec Twin", "https://xn--qubec-csa.example", 3) // accepted then, as another host
	s.Close()
	exec(`UPDATE members SET name_key = '', name_skeleton = ''`)
	exec(`DELETE FROM schema_migrations WHERE name = '0008_identity_backfill.go'`)

	s = MustOpen(t, path, nil)
	host := func(id int64) string {
		var h string
		if err := db.QueryRow(`SELECT website_host FROM members WHERE id = ?`, id).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	t.Run("hosts are in IDNA form", func(t *testing.T) {
		if got := host(montreal.ID); got != "xn--montral-fya.example" {
			t.Fatalf("host %q", got)
		}
		a := storetest.Application("Autre", 4)
		a.Website = "https://MONTRÉAL.example"
		m, _ := a.Validate()
		if err := s.CreateMember(context.Background(), m); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("same website joined again: %v", err)
		}
	})
	t.Run("two live members that would share a host keep theirs", func(t *testing.T) {
		if host(quebec.ID) != "québec.example" || host(twin.ID) != "xn--qubec-csa.example" {
			t.Fatalf("hosts %q and %q", host(quebec.ID), host(twin.ID))
		}
	})
	t.Run("names have their keys", func(t *testing.T) {
		var empty int
		if err := db.QueryRow(`SELECT COUNT(*) FROM members WHERE name_key = '' OR name_skeleton = ''`).Scan(&empty); err != nil || empty != 0 {
			t.Fatalf("%d members without name keys, %v", empty, err)
		}
		m, _ := storetest.Application("MONTRÉAL CO", 5).Validate()
		if err := s.CreateMember(context.Background(), m); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("same name joined again: %v", err)
		}
	})
}

// TestMigrationBackfillsNameSearch reopens a database whose members have no
// search key, as older binaries left them: the staff search finds them.
func TestMigrationBackfillsNameSearch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tp.db")
	s := MustOpen(t, path, nil)
	storetest.MustCreate(t, s, storetest.Application("Québec Café", 1))
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`UPDATE members SET name_search = ''`,
		`DELETE FROM schema_migrations WHERE name = '0012_name_search_backfill.go'`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s = MustOpen(t, path, nil)
	ms, total, err := s.ListMembers(context.Background(), registry.MemberFilter{Query: "quebec cafe", Limit: 10})
	if err != nil || total != 1 || len(ms) != 1 {
		t.Fatalf("found %d, %v", total, err)
	}
}
