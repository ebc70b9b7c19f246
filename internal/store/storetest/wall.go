package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// testNewestListed lists the directory newest approval first, as the wall
// of members shows it: only approved, consenting members, by region too,
// paged by offset; ties in time come newest row first.
func testNewestListed(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	n := 0
	add := func(name, region string, consent bool, action registry.Action) *registry.Member {
		n++
		a := Application(name, n)
		a.Region, a.ConsentPublic = region, &consent
		m := MustCreate(t, s, a)
		if action != "" {
			clock.Advance(time.Minute)
			MustDecide(t, s, m.ID, registry.ActionApprove, "")
			if action != registry.ActionApprove {
				MustDecide(t, s, m.ID, action, "test")
			}
		}
		return m
	}
	add("Zulu", "Montréal", true, registry.ActionApprove)
	add("Alpha", "Laval", true, registry.ActionApprove)
	add("Hidden", "Laval", false, registry.ActionApprove)
	add("Pending", "Laval", true, "")
	add("Revoked", "Laval", true, registry.ActionRevoke)
	add("Mike", "Montréal", true, registry.ActionApprove)
	add("Beta", "Laval", true, registry.ActionApprove)

	cases := []struct {
		name string
		f    registry.MemberFilter
		want []string
	}{
		{"newest first, listed only", registry.MemberFilter{Listed: true, Newest: true, Limit: 100}, []string{"beta", "mike", "alpha", "zulu"}},
		{"a region", registry.MemberFilter{Listed: true, Newest: true, Region: "Laval", Limit: 100}, []string{"beta", "alpha"}},
		{"a page", registry.MemberFilter{Listed: true, Newest: true, Limit: 2, Offset: 2}, []string{"alpha", "zulu"}},
		{"past the end", registry.MemberFilter{Listed: true, Newest: true, Limit: 2, Offset: 4}, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := slugs(t, s, c.f); !slices.Equal(got, c.want) {
				t.Fatalf("listed %v, want %v", got, c.want)
			}
		})
	}
	t.Run("newest needs the listing", func(t *testing.T) {
		_, _, err := s.ListMembers(context.Background(), registry.MemberFilter{Newest: true, Limit: 1})
		if registry.ErrorCode(err) != registry.EINVALID {
			t.Fatalf("newest without listed: %v, want EINVALID", err)
		}
	})
}
