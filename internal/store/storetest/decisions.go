package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// testRepeatedDecisions takes each decision on several members, then again
// on a member it was already taken on. A decision must never depend on one
// taken before on another member (the second rejection ever used to collide
// on an empty slug), and repeating one is a conflict, not an internal error.
func testRepeatedDecisions(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	create := func(name string, n int) int64 { return MustCreate(t, s, Application(name, n)).ID }
	decide := func(id int64, a registry.Action) error {
		_, err := s.Decide(ctx, registry.Decision{MemberID: id, Action: a, Actor: "staff", Reason: "because"})
		return err
	}
	t.Run("two joins can both be rejected", func(t *testing.T) {
		for i := range 3 {
			MustDecide(t, s, create("Rejected", 100+i), registry.ActionReject, "hors Québec")
		}
	})
	approved := []int64{create("Approved A", 200), create("Approved B", 201)}
	t.Run("two members can both be approved", func(t *testing.T) {
		for _, id := range approved {
			MustDecide(t, s, id, registry.ActionApprove, "")
		}
	})
	t.Run("two members can both be revoked", func(t *testing.T) {
		for _, id := range approved {
			MustDecide(t, s, id, registry.ActionRevoke, "cotisation impayée")
		}
	})
	t.Run("deciding twice on one member is a conflict", func(t *testing.T) {
		rejected := create("Rejected twice", 300)
		MustDecide(t, s, rejected, registry.ActionReject, "doublon")
		wantCode(t, decide(rejected, registry.ActionReject), registry.ECONFLICT)
		twice := create("Approved twice", 301)
		MustDecide(t, s, twice, registry.ActionApprove, "")
		wantCode(t, decide(twice, registry.ActionApprove), registry.ECONFLICT)
		MustDecide(t, s, twice, registry.ActionRevoke, "fermée")
		wantCode(t, decide(twice, registry.ActionRevoke), registry.ECONFLICT)
	})
	t.Run("a rejected member has no slug", func(t *testing.T) {
		m := MustDecide(t, s, create("No slug", 400), registry.ActionReject, "x")
		if m.Slug != "" {
			t.Fatalf("rejected member has slug %q", m.Slug)
		}
		wantCode(t, func() error { _, err := s.FindMemberBySlug(ctx, ""); return err }(), registry.ENOTFOUND)
	})
}

// testUndoDecisions reinstates revoked members and reconsiders rejected
// requests: a reinstated member keeps its slug and its "member since", each
// undo works once, and a company cannot come back onto a website or a name
// another live member holds now.
func testUndoDecisions(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	decide := func(id int64, a registry.Action, reason string) (*registry.Member, error) {
		return s.Decide(ctx, registry.Decision{MemberID: id, Action: a, Actor: "staff", Reason: reason})
	}
	t.Run("a reinstated member keeps its slug and its date", func(t *testing.T) {
		id := MustCreate(t, s, Application("Acme Québec", 1)).ID
		approved := MustDecide(t, s, id, registry.ActionApprove, "")
		clock.Advance(time.Hour)
		MustDecide(t, s, id, registry.ActionRevoke, "cotisation impayée")
		clock.Advance(time.Hour)
		back := MustDecide(t, s, id, registry.ActionReinstate, "")
		if back.Status != registry.StatusApproved || back.Slug != approved.Slug || !back.ApprovedAt.Equal(approved.ApprovedAt) ||
			!back.RevokedAt.IsZero() || back.Reason != "" || back.Version != approved.Version+2 {
			t.Fatalf("reinstated %+v, was %+v", back, approved)
		}
		if got, err := s.FindMemberBySlug(ctx, approved.Slug); err != nil || !got.Public() {
			t.Fatalf("slug after reinstating: %+v %v", got, err)
		}
		_, err := decide(id, registry.ActionReinstate, "")
		wantCode(t, err, registry.ECONFLICT)
	})
	t.Run("a reconsidered request is pending again", func(t *testing.T) {
		id := MustCreate(t, s, Application("Bêta", 2)).ID
		MustDecide(t, s, id, registry.ActionReject, "doublon")
		m := MustDecide(t, s, id, registry.ActionReconsider, "")
		if m.Status != registry.StatusPending || !m.RejectedAt.IsZero() || m.Reason != "" {
			t.Fatalf("reconsidered %+v", m)
		}
		_, err := decide(id, registry.ActionReconsider, "")
		wantCode(t, err, registry.ECONFLICT)
		MustDecide(t, s, id, registry.ActionApprove, "")
	})
	t.Run("the website or name was taken meanwhile", func(t *testing.T) {
		old := MustCreate(t, s, Application("Gamma", 3)).ID
		MustDecide(t, s, old, registry.ActionReject, "incomplet")
		MustCreate(t, s, Application("Gamma nouvelle", 3)) // same website, a new request
		_, err := decide(old, registry.ActionReconsider, "")
		wantCode(t, err, registry.ECONFLICT)
		named := MustCreate(t, s, Application("Delta", 4)).ID
		MustDecide(t, s, named, registry.ActionApprove, "")
		MustDecide(t, s, named, registry.ActionRevoke, "fermée")
		MustCreate(t, s, Application("Delta", 5)) // same name, another site
		_, err = decide(named, registry.ActionReinstate, "")
		wantCode(t, err, registry.ECONFLICT)
		if m, _ := s.FindMember(ctx, named); m.Status != registry.StatusRevoked {
			t.Errorf("a refused reinstatement changed the member: %s", m.Status)
		}
	})
}

// testEditMember changes a member's record: the version moves, the slug
// stays, the audit log says what changed, a taken website or name is a
// conflict that changes nothing, and the same edit twice changes nothing
// the second time.
func testEditMember(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	str := func(v string) *string { return &v }
	id := MustCreate(t, s, Application("Acme", 1)).ID
	before := MustDecide(t, s, id, registry.ActionApprove, "")
	MustCreate(t, s, Application("Bêta", 2))
	m, err := s.EditMember(ctx, id, registry.MemberEdit{Name: str("Acme Québec inc."), Region: str("laval")}, "Julie")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Acme Québec inc." || m.Region != "Laval" || m.Slug != before.Slug || m.Version != before.Version+1 {
		t.Fatalf("edited %+v", m)
	}
	got, err := s.FindMemberBySlug(ctx, before.Slug)
	if err != nil || got.Name != "Acme Québec inc." || got.Version != m.Version {
		t.Fatalf("read back %+v %v", got, err)
	}
	again, err := s.EditMember(ctx, id, registry.MemberEdit{Name: str("Acme Québec inc.")}, "Julie")
	if err != nil || again.Version != m.Version {
		t.Errorf("the same edit again: version %d, was %d, %v", again.Version, m.Version, err)
	}
	_, err = s.EditMember(ctx, id, registry.MemberEdit{Website: str("https://company-2.example/")}, "Julie")
	wantCode(t, err, registry.ECONFLICT)
	_, err = s.EditMember(ctx, id, registry.MemberEdit{Name: str("BÊTA")}, "Julie")
	wantCode(t, err, registry.ECONFLICT)
	_, err = s.EditMember(ctx, id, registry.MemberEdit{Website: str("javascript:alert(1)")}, "Julie")
	wantCode(t, err, registry.EINVALID)
	_, err = s.EditMember(ctx, 9999, registry.MemberEdit{Name: str("X")}, "Julie")
	wantCode(t, err, registry.ENOTFOUND)
	if got, _ := s.FindMember(ctx, id); got.Version != m.Version || got.Website != before.Website {
		t.Errorf("a refused edit changed the member: %+v", got)
	}
	entries, err := s.ListAudit(ctx, registry.AuditFilter{MemberID: id, Limit: 10})
	if err != nil || len(entries) != 2 || entries[0].Action != registry.ActionEdit || entries[0].Actor != "Julie" ||
		entries[0].Reason != "name: Acme → Acme Québec inc.; region: Montréal → Laval" {
		t.Errorf("audit %+v %v", entries, err)
	}
}

// testAuditFilters reads the audit log by staff member, action and date.
func testAuditFilters(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	start := clock.Now()
	for i, actor := range []string{"Julie", "Luc", "Julie"} {
		id := MustCreate(t, s, Application("Audit "+actor+string(rune('A'+i)), 700+i)).ID
		if _, err := s.Decide(ctx, registry.Decision{MemberID: id, Action: registry.ActionApprove, Actor: actor}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(24 * time.Hour)
		if _, err := s.Decide(ctx, registry.Decision{MemberID: id, Action: registry.ActionRevoke, Actor: actor, Reason: "fin"}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(f registry.AuditFilter) int {
		t.Helper()
		f.Limit = 100
		es, err := s.ListAudit(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	for name, c := range map[string]struct {
		f    registry.AuditFilter
		want int
	}{
		"everything":       {registry.AuditFilter{}, 6},
		"one staff member": {registry.AuditFilter{Actor: "Julie"}, 4},
		"one action":       {registry.AuditFilter{Action: registry.ActionRevoke}, 3},
		"both":             {registry.AuditFilter{Actor: "Luc", Action: registry.ActionApprove}, 1},
		"since a day":      {registry.AuditFilter{Since: start.Add(24 * time.Hour)}, 5},
		"before a day":     {registry.AuditFilter{Before: start.Add(24 * time.Hour)}, 1},
		"nobody":           {registry.AuditFilter{Actor: "Personne"}, 0},
		"part of a name":   {registry.AuditFilter{Actor: "uli"}, 4},
		"another case":     {registry.AuditFilter{Actor: "JULIE"}, 4},
		"a literal %":      {registry.AuditFilter{Actor: "%"}, 0},
	} {
		if got := count(c.f); got != c.want {
			t.Errorf("%s: %d entries, want %d", name, got, c.want)
		}
	}
}
