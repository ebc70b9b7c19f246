package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// testApprovalCounts checks approvals are counted by the UTC hour they were
// made in, for the members approved now only.
func testApprovalCounts(t *testing.T, newStore Factory) {
	clock := NewClock() // 14:30 UTC
	s := newStore(t, clock.Now)
	ctx := context.Background()
	counts := func() string {
		t.Helper()
		cs, err := s.ApprovalCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, c := range cs {
			if c.At.Location() != time.UTC {
				t.Errorf("%v is not UTC", c.At)
			}
			out += fmt.Sprintf("%s=%d ", c.At.Format("01-02T15:04:05"), c.Count)
		}
		return out
	}
	if got := counts(); got != "" {
		t.Fatalf("empty store: %q", got)
	}
	n := 0
	approve := func() *registry.Member {
		n++
		return MustDecide(t, s, MustCreate(t, s, Application(fmt.Sprint("Co ", n), n)).ID, registry.ActionApprove, "")
	}
	approve()                              // 14:30
	reinstated := approve()                // 14:30, revoked and reinstated later
	clock.Advance(29 * time.Minute)        // 14:59
	approve()                              //
	clock.Advance(time.Hour + time.Minute) // 16:00
	approve()
	revoked := approve()
	erased := approve()
	MustCreate(t, s, Application("Pending", 100))
	clock.Advance(8 * time.Hour) // 00:00 the next day
	MustDecide(t, s, revoked.ID, registry.ActionRevoke, "parti")
	MustDecide(t, s, reinstated.ID, registry.ActionRevoke, "erreur")
	MustDecide(t, s, reinstated.ID, registry.ActionReinstate, "") // its approval keeps its date
	if _, err := s.EraseMember(ctx, erased.ID, true, "staff@test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportMembers(ctx, []registry.ImportRow{{Line: 2, Member: mustMember(t, Application("Imported", 200))}}, "staff@test"); err != nil {
		t.Fatal(err)
	}
	if got, want := counts(), "11-25T14:00:00=3 11-25T16:00:00=1 11-26T00:00:00=1 "; got != want {
		t.Fatalf("counts %q, want %q", got, want)
	}
}

func mustMember(t *testing.T, a registry.Application) *registry.Member {
	t.Helper()
	m, err := a.Validate()
	if err != nil {
		t.Fatal(err)
	}
	return m
}
