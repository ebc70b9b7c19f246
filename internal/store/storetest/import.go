package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
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
