package storetest

import (
	"context"
	"testing"

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
