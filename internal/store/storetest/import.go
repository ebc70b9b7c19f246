package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/slug"
)

func parse(t testing.TB, csv string) []registry.ImportRow {
	t.Helper()
	rows, err := registry.ParseImport(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func testImport(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	rows := parse(t, "name,website,region,contact_email,consent_public\n"+
		"Acme Québec inc.,https://acme.example,Montréal,info@acme.example,oui\n"+
		"\"Café & Co, \"\"le vrai\"\"\",http://cafe.example,Saguenay-Lac-Saint-Jean,,false\n")
	ms, err := s.ImportMembers(ctx, rows, "staff@test")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Slug != "acme-quebec-inc" || ms[1].Slug != "cafe-et-co-le-vrai" {
		t.Fatalf("imported %+v", ms)
	}
	got, err := s.FindMemberBySlug(ctx, "cafe-et-co-le-vrai")
	if err != nil || got.Status != registry.StatusApproved || got.Name != `Café & Co, "le vrai"` ||
		got.Region != "Saguenay–Lac-Saint-Jean" || got.ConsentPublic || got.ApprovedAt.IsZero() {
		t.Fatalf("imported member %+v, %v", got, err)
	}
	audit, _ := s.ListAudit(ctx, registry.AuditFilter{MemberID: got.ID, Limit: 5})
	if len(audit) != 1 || audit[0].Action != registry.ActionImport || audit[0].Actor != "staff@test" {
		t.Fatalf("import audit %+v", audit)
	}
}

func testImportConflict(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	MustCreate(t, s, Application("Pending Co", 7)) // holds company-7.example
	rows := parse(t, "name,website,region,contact_email,consent_public\n"+
		"New One,https://new.example,Laval,a@new.example,yes\n"+
		"Taken,https://company-7.example/x,Laval,a@c7.example,yes\n")
	_, err := s.ImportMembers(ctx, rows, "staff")
	wantCode(t, err, registry.EINVALID)
	if !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("error does not name line 3: %v", err)
	}
	_, total, _ := s.ListMembers(ctx, registry.MemberFilter{Limit: 10})
	if total != 1 {
		t.Fatalf("a failed import wrote %d members", total-1)
	}
}

// ImportFile returns an import file of n valid rows whose websites are
// import-<first>.example, import-<first+1>.example… Names are distinct except
// every hundredth, "Acme", so slugs with suffixes are allocated too.
func ImportFile(n, first int) string {
	var b strings.Builder
	b.WriteString("name,website,region,contact_email,consent_public\n")
	regions := registry.Regions()
	for i := first; i < first+n; i++ {
		name := fmt.Sprintf("Entreprise %d inc.", i)
		if i%100 == 0 {
			name = "Acme"
		}
		fmt.Fprintf(&b, "%s,https://import-%d.example,%s,info@import-%d.example,%t\n",
			name, i, regions[i%len(regions)], i, i%3 != 0)
	}
	return b.String()
}

// ImportRows parses ImportFile(n, first).
func ImportRows(tb testing.TB, n, first int) []registry.ImportRow {
	tb.Helper()
	rows, err := registry.ParseImport(strings.NewReader(ImportFile(n, first)))
	if err != nil {
		tb.Fatal(err)
	}
	return rows
}

// startImport runs an import of rows in the background on an empty store
// and returns once part of it, and not all, can be read: it is not written
// in one transaction that would hold every other write up (SQLite has one
// writer). The import's result arrives on the channel.
func startImport(t *testing.T, s registry.Store, rows []registry.ImportRow) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := s.ImportMembers(context.Background(), rows, "staff")
		done <- err
	}()
	for {
		_, total, err := s.ListMembers(context.Background(), registry.MemberFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if total > 0 && total < len(rows) {
			return done
		}
		select {
		case err := <-done:
			t.Fatalf("no part of the import could be read before it ended (%v): it was written at once", err)
		case <-time.After(time.Millisecond):
		}
	}
}

// joinDuring saves a pending member for website while an import runs, and fails
// the test when the import ends first.
func joinDuring(t *testing.T, s registry.Store, website string, imported <-chan error) {
	t.Helper()
	a := Application("Pendant l'import", 1)
	a.Website = website
	m, err := a.Validate()
	if err != nil {
		t.Fatal(err)
	}
	joined := make(chan error, 1)
	go func() { joined <- s.CreateMember(context.Background(), m) }()
	select {
	case err := <-joined:
		if err != nil {
			t.Fatalf("join during an import: %v", err)
		}
	case err := <-imported:
		t.Fatalf("the import ended (%v) before a join started during it", err)
	}
	select {
	case err := <-imported:
		t.Fatalf("the import ended (%v) before a join started during it", err)
	default:
	}
}

func testImportLetsJoinsThrough(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	rows := ImportRows(t, registry.MaxImportRows, 0)
	t.Run("a join started during a large import completes before it", func(t *testing.T) {
		imported := startImport(t, s, rows)
		joinDuring(t, s, "https://pendant.example", imported)
		if err := <-imported; err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the import and the join are both saved", func(t *testing.T) {
		_, total, err := s.ListMembers(context.Background(), registry.MemberFilter{Limit: 1})
		if err != nil || total != len(rows)+1 {
			t.Fatalf("%d members, want %d: %v", total, len(rows)+1, err)
		}
	})
}

func testImportLateConflict(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	rows := ImportRows(t, registry.MaxImportRows, 0)
	last := rows[len(rows)-1]
	imported := startImport(t, s, rows)
	joinDuring(t, s, last.Member.Website, imported)
	t.Run("the import fails naming the line a join took", func(t *testing.T) {
		err := <-imported
		wantCode(t, err, registry.EINVALID)
		if !strings.Contains(err.Error(), fmt.Sprintf("line %d: website: %s", last.Line, registry.RuleTaken)) {
			t.Fatalf("error does not name line %d: %v", last.Line, err)
		}
	})
	t.Run("nothing of the import is left", func(t *testing.T) {
		ms, total, err := s.ListMembers(ctx, registry.MemberFilter{Limit: 10})
		if err != nil || total != 1 || ms[0].Status != registry.StatusPending {
			t.Fatalf("%d members left (%v), want only the join", total, err)
		}
		if audit, err := s.ListAudit(ctx, registry.AuditFilter{Limit: 10}); err != nil || len(audit) != 0 {
			t.Fatalf("audit entries left: %+v, %v", audit, err)
		}
		if _, err := s.FindMemberBySlug(ctx, slug.Make(rows[0].Member.Name)); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("the first row's slug is still held: %v", err)
		}
	})
	t.Run("the same file imports once the conflict is gone", func(t *testing.T) {
		if _, err := s.ImportMembers(ctx, rows[:len(rows)-1], "staff"); err != nil {
			t.Fatal(err)
		}
	})
}
