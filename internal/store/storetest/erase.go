package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// testEraseMember checks a member's contact is erased, then its public
// record, each once, and that what remains is a tombstone: counted nowhere,
// listed nowhere, without its slug, and beyond any decision or edit.
func testEraseMember(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	a := Application("Acme Québec", 1)
	a.Region = "Laval"
	m := MustDecide(t, s, MustCreate(t, s, a).ID, registry.ActionApprove, "")
	erase := func(public bool) (*registry.Member, error) {
		clock.Advance(time.Minute)
		return s.EraseMember(ctx, m.ID, public, "dpo@test")
	}
	t.Run("the contact, once", func(t *testing.T) {
		got, err := erase(false)
		if err != nil {
			t.Fatal(err)
		}
		found, _ := s.FindMember(ctx, m.ID)
		for _, g := range []*registry.Member{got, found} {
			if g.ContactName != "" || g.ContactEmail != "" || !g.ErasedAt.Equal(clock.Now().Truncate(time.Microsecond)) ||
				!g.UpdatedAt.Equal(g.ErasedAt) || g.Version != m.Version+1 || g.Name != "Acme Québec" || g.Status != registry.StatusApproved || g.Tombstone() {
				t.Fatalf("after erasing the contact: %+v", g)
			}
		}
		_, err = erase(false)
		wantConflict(t, err, "already_erased")
		if st, _ := s.Stats(ctx); st.Members != 1 || st.Listed != 1 {
			t.Fatalf("a member without contact is still one: %+v", st)
		}
	})
	t.Run("then the public record, once", func(t *testing.T) {
		got, err := erase(true)
		if err != nil {
			t.Fatal(err)
		}
		found, _ := s.FindMember(ctx, m.ID)
		now := clock.Now().Truncate(time.Microsecond)
		for _, g := range []*registry.Member{got, found} {
			if g == nil || g.ID != m.ID || g.Slug != "" || g.Name != "" || g.Website != "" || g.ConsentPublic ||
				g.Status != registry.StatusRevoked || !g.RevokedAt.Equal(now) || g.Reason != "erase" || !g.ErasedAt.Equal(now) ||
				g.Version != m.Version+2 || !g.Tombstone() || g.Public() || g.Region != "Laval" || !g.ApprovedAt.Equal(m.ApprovedAt) {
				t.Fatalf("after erasing the public record: %+v", g)
			}
		}
		for _, public := range []bool{true, false} {
			_, err = erase(public)
			wantConflict(t, err, "already_erased")
		}
		for range 2 { // old badges answer "not a member", as for any unknown slug
			_, err = s.FindMemberBySlug(ctx, m.Slug)
			wantCode(t, err, registry.ENOTFOUND)
		}
	})
	t.Run("the audit log says so", func(t *testing.T) {
		es, err := s.ListAudit(ctx, registry.AuditFilter{MemberID: m.ID, Action: registry.ActionErase, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range es {
			got = append(got, fmt.Sprintf("%s %s %s", e.Action, e.Actor, e.Reason))
		}
		if strings.Join(got, "; ") != "erase dpo@test public; erase dpo@test contact" {
			t.Fatalf("audit %q", got)
		}
	})
	t.Run("a tombstone is counted and listed nowhere", func(t *testing.T) {
		st, err := s.Stats(ctx)
		if err != nil || st.Members != 0 || st.Listed != 0 || st.ByRegion["Laval"] != 0 {
			t.Fatalf("stats %+v, %v", st, err)
		}
		ms, total, err := s.ListMembers(ctx, registry.MemberFilter{Listed: true, Limit: 10})
		if err != nil || total != 0 || len(ms) != 0 {
			t.Fatalf("listed %d %v", total, err)
		}
		if cs, _ := s.ApprovalCounts(ctx); len(cs) != 0 {
			t.Fatalf("approvals %+v", cs)
		}
	})
	t.Run("a tombstone cannot come back", func(t *testing.T) {
		name := "Acme"
		for range 2 {
			for _, act := range []registry.Action{registry.ActionApprove, registry.ActionReinstate, registry.ActionReconsider, registry.ActionRevoke} {
				_, err := s.Decide(ctx, registry.Decision{MemberID: m.ID, Action: act, Actor: "staff@test", Reason: "x"})
				wantConflict(t, err, "erased")
			}
			_, err := s.EditMember(ctx, m.ID, registry.MemberEdit{Name: &name}, "staff@test")
			wantConflict(t, err, "erased")
		}
		if got, _ := s.FindMember(ctx, m.ID); got.Version != m.Version+2 || got.Name != "" {
			t.Fatalf("a refused change changed it: %+v", got)
		}
	})
	t.Run("its name, website and slug are free", func(t *testing.T) {
		// Privacy before permanence: the slug said who the member was.
		again := MustDecide(t, s, MustCreate(t, s, Application("Acme Québec", 1)).ID, registry.ActionApprove, "")
		if again.Slug != m.Slug {
			t.Fatalf("a new Acme Québec got %s, not the erased member's %s", again.Slug, m.Slug)
		}
		if got, err := s.FindMemberBySlug(ctx, m.Slug); err != nil || got.ID != again.ID {
			t.Fatalf("the slug now finds %+v, %v", got, err)
		}
	})
	_, err := s.EraseMember(ctx, m.ID+100, false, "dpo@test")
	wantCode(t, err, registry.ENOTFOUND)
}

// testEraseByStatus checks what erasing the public record does to a member
// in each status: a pending one is rejected, rejected and revoked ones stay
// so, without their free-text reasons.
func testEraseByStatus(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	pending := MustCreate(t, s, Application("Pending", 1))
	rejected := MustDecide(t, s, MustCreate(t, s, Application("Rejected", 2)).ID, registry.ActionReject, "hors Québec")
	revoked := MustCreate(t, s, Application("Revoked", 3))
	MustDecide(t, s, revoked.ID, registry.ActionApprove, "")
	revoked = MustDecide(t, s, revoked.ID, registry.ActionRevoke, "parti")
	clock.Advance(time.Hour)
	now := clock.Now().Truncate(time.Microsecond)
	for _, c := range []struct {
		m              *registry.Member
		status         registry.Status
		reason         string
		rejected, revd time.Time
	}{
		{pending, registry.StatusRejected, "erase", now, time.Time{}},
		{rejected, registry.StatusRejected, "", rejected.RejectedAt, time.Time{}},
		{revoked, registry.StatusRevoked, "", time.Time{}, revoked.RevokedAt},
	} {
		got, err := s.EraseMember(ctx, c.m.ID, true, "dpo@test")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != c.status || got.Reason != c.reason || !got.RejectedAt.Equal(c.rejected) || !got.RevokedAt.Equal(c.revd) ||
			got.Name != "" || got.Website != "" || got.ContactEmail != "" || got.Slug != "" || !got.Tombstone() {
			t.Errorf("%s erased: %+v", c.m.Status, got)
		}
		if found, err := s.FindMember(ctx, c.m.ID); err != nil || found.Reason != c.reason || found.Slug != "" || found.Status != c.status {
			t.Errorf("%s erased, found: %+v, %v", c.m.Status, found, err)
		}
		_, err = s.EraseMember(ctx, c.m.ID, true, "dpo@test")
		wantConflict(t, err, "already_erased")
	}
	// Three tombstones hold no website and no name: none is in the way of
	// another, nor of a new member.
	_, err := s.Decide(ctx, registry.Decision{MemberID: pending.ID, Action: registry.ActionReconsider, Actor: "staff@test"})
	wantConflict(t, err, "erased")
	MustCreate(t, s, Application("Pending", 1))
}

// testEraseAuditReasons checks that erasure leaves nothing in the audit log
// to tell who the member was: erasing the contact empties the reasons that
// name it, erasing the public record every earlier reason but those of
// erase entries, and other members' entries are left alone.
func testEraseAuditReasons(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	a := Application("École Numérique Québec", 1)
	a.ContactName, a.ContactEmail = "Hélène Côté", "helene@ecole-numerique.example"
	m := MustDecide(t, s, MustCreate(t, s, a).ID, registry.ActionApprove, "")
	if m.Slug != "ecole-numerique-quebec" {
		t.Fatalf("slug %q", m.Slug)
	}
	other := MustDecide(t, s, MustCreate(t, s, Application("Ailleurs", 2)).ID, registry.ActionReject, "hors Québec, dit Hélène Côté")
	MustDecide(t, s, m.ID, registry.ActionRevoke, "à la demande d’HÉLÈNE CÔTÉ")
	MustDecide(t, s, m.ID, registry.ActionReinstate, "")
	MustDecide(t, s, m.ID, registry.ActionRevoke, "doublon, voir Helene@Ecole-Numerique.example")
	MustDecide(t, s, m.ID, registry.ActionReinstate, "")
	renamed := "École numérique du Québec"
	if _, err := s.EditMember(ctx, m.ID, registry.MemberEdit{Name: &renamed}, "staff@test"); err != nil {
		t.Fatal(err)
	}
	audit := func(memberID int64) string {
		t.Helper()
		es, err := s.ListAudit(ctx, registry.AuditFilter{MemberID: memberID, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range es {
			if e.Actor == "" || e.At.IsZero() || e.MemberID != memberID {
				t.Fatalf("entry %+v", e)
			}
			got = append(got, fmt.Sprintf("%s[%s]", e.Action, e.Reason))
		}
		return strings.Join(got, " ")
	}
	otherAudit := audit(other.ID)
	erase := func(public bool) error {
		clock.Advance(time.Minute)
		_, err := s.EraseMember(ctx, m.ID, public, "dpo@test")
		return err
	}

	t.Run("the contact: the reasons naming it go", func(t *testing.T) {
		if err := erase(false); err != nil {
			t.Fatal(err)
		}
		want := "erase[contact] edit[name: École Numérique Québec → École numérique du Québec] reinstate[] revoke[] reinstate[] revoke[] approve[]"
		for range 2 {
			if got := audit(m.ID); got != want {
				t.Fatalf("audit\n%s\nwant\n%s", got, want)
			}
			wantConflict(t, erase(false), "already_erased")
		}
	})
	t.Run("the public record: every earlier reason goes, the entries stay", func(t *testing.T) {
		if err := erase(true); err != nil {
			t.Fatal(err)
		}
		want := "erase[public] erase[contact] edit[] reinstate[] revoke[] reinstate[] revoke[] approve[]"
		for range 2 {
			if got := audit(m.ID); got != want {
				t.Fatalf("audit\n%s\nwant\n%s", got, want)
			}
			wantConflict(t, erase(true), "already_erased")
		}
	})
	t.Run("its slug finds nothing, by slug or by search", func(t *testing.T) {
		for range 2 {
			_, err := s.FindMemberBySlug(ctx, "ecole-numerique-quebec")
			wantCode(t, err, registry.ENOTFOUND)
			for _, q := range []string{"ecole-numerique-quebec", "numérique", "ecole-numerique.example", "Hélène"} {
				ms, total, err := s.ListMembers(ctx, registry.MemberFilter{Query: q, Limit: 10})
				if err != nil || total != 0 || len(ms) != 0 {
					t.Fatalf("query %q: %d %v", q, total, err)
				}
			}
		}
	})
	t.Run("other members' entries are left alone", func(t *testing.T) {
		if got := audit(other.ID); got != otherAudit || !strings.Contains(got, "Hélène Côté") {
			t.Fatalf("other member's audit %s, was %s", got, otherAudit)
		}
	})
}
