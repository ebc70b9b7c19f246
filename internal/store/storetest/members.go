package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

const hostile = `<script>alert(1)</script> "&" 'Québec' ; DROP TABLE members; --`

func testCreateMember(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	a := Application(hostile, 1)
	a.Event = "salon-2026"
	m := MustCreate(t, s, a)
	if m.ID == 0 || m.Status != registry.StatusPending || m.Version != 1 || m.Slug != "" {
		t.Fatalf("created %+v", m)
	}
	got, err := s.FindMember(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := *m
	want.CreatedAt = clock.Now().Truncate(time.Microsecond)
	want.UpdatedAt = want.CreatedAt
	if *got != want {
		t.Fatalf("read back\n got %+v\nwant %+v", *got, want)
	}
	if got.Name != hostile || got.Event != "salon-2026" || got.ContactEmail != "marie@company-1.example" {
		t.Fatalf("fields changed: %+v", got)
	}
	_, err = s.FindMember(ctx, m.ID+1000)
	wantCode(t, err, registry.ENOTFOUND)
	_, err = s.FindMemberBySlug(ctx, "nobody")
	wantCode(t, err, registry.ENOTFOUND)
}

func testWebsiteConflict(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	first := MustCreate(t, s, Application("Acme", 1))
	for _, site := range []string{"https://company-1.example", "http://WWW.Company-1.Example:8080/about"} {
		a := Application("Acme again", 1)
		a.Website = site
		m, _ := a.Validate()
		wantCode(t, s.CreateMember(ctx, m), registry.ECONFLICT)
	}
	// Approved still holds the website; rejected frees it.
	MustDecide(t, s, first.ID, registry.ActionApprove, "")
	m, _ := Application("Acme again", 1).Validate()
	wantCode(t, s.CreateMember(ctx, m), registry.ECONFLICT)
	MustDecide(t, s, first.ID, registry.ActionRevoke, "plus membre")
	MustCreate(t, s, Application("Acme again", 1))
}

func testDecide(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	m := MustCreate(t, s, Application("Acme Québec inc.", 1))
	clock.Advance(time.Hour)
	approved := MustDecide(t, s, m.ID, registry.ActionApprove, "")
	if approved.Slug != "acme-quebec-inc" || approved.Status != registry.StatusApproved || approved.Version != 2 ||
		!approved.ApprovedAt.Equal(clock.Now().Truncate(time.Microsecond)) {
		t.Fatalf("approved %+v", approved)
	}
	bySlug, err := s.FindMemberBySlug(ctx, "acme-quebec-inc")
	if err != nil || bySlug.ID != m.ID {
		t.Fatalf("by slug: %+v, %v", bySlug, err)
	}
	clock.Advance(time.Hour)
	revoked := MustDecide(t, s, m.ID, registry.ActionRevoke, "cotisation impayée")
	if revoked.Status != registry.StatusRevoked || revoked.Reason != "cotisation impayée" || revoked.Slug != "acme-quebec-inc" ||
		revoked.RevokedAt.IsZero() || revoked.Version != 3 {
		t.Fatalf("revoked %+v", revoked)
	}
	other := MustCreate(t, s, Application("Other", 2))
	MustDecide(t, s, other.ID, registry.ActionReject, "hors Québec")

	entries, err := s.ListAudit(ctx, registry.AuditFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%d %s %s %q", e.MemberID, e.Action, e.Actor, e.Reason))
	}
	want := []string{
		fmt.Sprintf("%d reject staff@test %q", other.ID, "hors Québec"),
		fmt.Sprintf("%d revoke staff@test %q", m.ID, "cotisation impayée"),
		fmt.Sprintf("%d approve staff@test %q", m.ID, ""),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	mine, _ := s.ListAudit(ctx, registry.AuditFilter{MemberID: m.ID, Limit: 10})
	if len(mine) != 2 || !entries[1].At.Equal(clock.Now().Truncate(time.Microsecond)) {
		t.Fatalf("audit of member: %+v", mine)
	}
}

func testDecideErrors(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	m := MustCreate(t, s, Application("Acme", 1))
	decide := func(a registry.Action, reason string) error {
		_, err := s.Decide(ctx, registry.Decision{MemberID: m.ID, Action: a, Actor: "staff", Reason: reason})
		return err
	}
	wantCode(t, decide(registry.ActionRevoke, "x"), registry.ECONFLICT) // not approved yet
	wantCode(t, decide(registry.ActionReject, ""), registry.EINVALID)   // reason required
	wantCode(t, decide("delete", ""), registry.EINVALID)
	_, err := s.Decide(ctx, registry.Decision{MemberID: m.ID + 99, Action: registry.ActionApprove})
	wantCode(t, err, registry.ENOTFOUND)
	MustDecide(t, s, m.ID, registry.ActionApprove, "")
	wantCode(t, decide(registry.ActionApprove, ""), registry.ECONFLICT)
	wantCode(t, decide(registry.ActionReject, "late"), registry.ECONFLICT)
	got, _ := s.FindMember(ctx, m.ID)
	if got.Status != registry.StatusApproved || got.Version != 2 {
		t.Fatalf("failed decisions changed the member: %+v", got)
	}
}

func testSlugClash(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	var slugs []string
	for i, name := range []string{"Acme Québec inc.", "ACME  quebec, Inc", "Acme-Québec-Inc"} {
		m := MustCreate(t, s, Application(name, i))
		slugs = append(slugs, MustDecide(t, s, m.ID, registry.ActionApprove, "").Slug)
	}
	if got := strings.Join(slugs, " "); got != "acme-quebec-inc acme-quebec-inc-2 acme-quebec-inc-3" {
		t.Fatalf("slugs: %s", got)
	}
}

func testListMembers(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	names := []string{"Zeta", "Alpha", "Mu", "Beta", "Hidden"}
	for i, name := range names {
		a := Application(name, i)
		if name == "Hidden" {
			no := false
			a.ConsentPublic = &no
		}
		if name == "Beta" {
			a.Region = "Laval"
		}
		m := MustCreate(t, s, a)
		if name != "Mu" {
			MustDecide(t, s, m.ID, registry.ActionApprove, "")
		}
	}
	list := func(f registry.MemberFilter) string {
		t.Helper()
		ms, total, err := s.ListMembers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return fmt.Sprintf("%d:%s", total, strings.Join(out, ","))
	}
	for _, c := range []struct {
		f    registry.MemberFilter
		want string
	}{
		{registry.MemberFilter{Limit: 100}, "5:Zeta,Alpha,Mu,Beta,Hidden"},
		{registry.MemberFilter{Status: registry.StatusPending, Limit: 100}, "1:Mu"},
		{registry.MemberFilter{Status: registry.StatusApproved, Limit: 2, Offset: 1}, "4:Alpha,Beta"},
		{registry.MemberFilter{Listed: true, Limit: 100}, "3:Alpha,Beta,Zeta"},
		{registry.MemberFilter{Listed: true, Region: "Laval", Limit: 100}, "1:Beta"},
		{registry.MemberFilter{Listed: true, Region: "Estrie", Limit: 100}, "0:"},
	} {
		if got := list(c.f); got != c.want {
			t.Errorf("%+v: %s, want %s", c.f, got, c.want)
		}
	}
}

func testStats(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	for i, c := range []struct {
		region           string
		consent, approve bool
	}{
		{"Laval", true, true}, {"Laval", true, true}, {"Laval", false, true},
		{"Estrie", true, true}, {"Estrie", false, true}, {"Montréal", true, false},
	} {
		a := Application(fmt.Sprint("Co ", i), i)
		a.Region, a.ConsentPublic = c.region, &c.consent
		m := MustCreate(t, s, a)
		if c.approve {
			MustDecide(t, s, m.ID, registry.ActionApprove, "")
		}
	}
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("approved members are counted in total and by region", func(t *testing.T) {
		if st.Members != 5 || st.ByRegion["Laval"] != 3 || st.ByRegion["Estrie"] != 2 || st.ByRegion["Montréal"] != 0 || len(st.ByRegion) != 17 {
			t.Fatalf("stats %+v", st)
		}
	})
	t.Run("listed members are those of them who consented", func(t *testing.T) {
		if st.Listed != 3 || st.ListedByRegion["Laval"] != 2 || st.ListedByRegion["Estrie"] != 1 || st.ListedByRegion["Montréal"] != 0 || len(st.ListedByRegion) != 17 {
			t.Fatalf("stats %+v", st)
		}
		_, total, _ := s.ListMembers(context.Background(), registry.MemberFilter{Listed: true, Region: "Laval", Limit: 1})
		if total != st.ListedByRegion["Laval"] {
			t.Fatalf("the directory of Laval holds %d, stats say %d", total, st.ListedByRegion["Laval"])
		}
	})
}

func testConcurrent(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			// One slug base, names of their own: "Même Nom", "Même Nom!"…
			m, _ := Application("Même Nom"+strings.Repeat("!", i), i).Validate()
			if err := s.CreateMember(context.Background(), m); err != nil {
				errs <- err
				return
			}
			_, err := s.Decide(context.Background(), registry.Decision{MemberID: m.ID, Action: registry.ActionApprove, Actor: "staff"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ms, total, err := s.ListMembers(context.Background(), registry.MemberFilter{Status: registry.StatusApproved, Limit: 1000})
	if err != nil || total != n {
		t.Fatalf("approved %d, %v", total, err)
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.Slug] {
			t.Fatalf("slug %s given twice", m.Slug)
		}
		seen[m.Slug] = true
	}
}

// testSlugSuffixes checks slugs are allocated as slug.Next does: the first
// free one of base, base-2, base-3…, filling gaps, past the first few
// candidates, and unaffected by longer slugs that share the base.
func testSlugSuffixes(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	n := 0
	// approve approves a new member named "Acme" followed by suffix: a name
	// of its own (names must differ) with the slug base acme.
	approve := func(t *testing.T, name string) string {
		t.Helper()
		n++
		return MustDecide(t, s, MustCreate(t, s, Application(name, n)).ID, registry.ActionApprove, "").Slug
	}
	for _, name := range []string{"Acme", "Acme 2", "Acme 4", "Acme Québec"} {
		approve(t, name)
	}
	t.Run("a gap is filled first", func(t *testing.T) {
		if got := approve(t, "ACME!"); got != "acme-3" {
			t.Fatalf("got %s, want acme-3", got)
		}
	})
	t.Run("then the next after the last taken", func(t *testing.T) {
		if got := approve(t, "acme?"); got != "acme-5" {
			t.Fatalf("got %s, want acme-5", got)
		}
	})
	t.Run("beyond the first candidates looked up at once", func(t *testing.T) {
		var got string
		for i := range 30 {
			got = approve(t, "Acme"+strings.Repeat(".", i+1))
		}
		if got != "acme-35" {
			t.Fatalf("got %s, want acme-35", got)
		}
	})
}
