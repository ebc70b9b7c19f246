package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

// testSearchMembers checks the staff console's search: by name, website or
// slug, whatever the case and accents, with wildcards typed taken as
// themselves, and with the other filters, paging and totals.
func testSearchMembers(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	for i, c := range []struct {
		name, website, region, event string
		approve                      bool
	}{
		{"Québec inc.", "https://quebec-inc.example/", "Capitale-Nationale", "salon", true}, // 0
		{"QUEBEC Solutions", "https://qs.example/", "Laval", "", false},                     // 1
		{"Acme", "https://www.acme.ca/", "Montréal", "salon", true},                         // 2
		{"100% Local", "https://local.example/", "Montréal", "salon", false},                // 3
		{"Cent pour cent", "https://cent.example/", "Montréal", "", true},                   // 4
		{"Under_score", "https://under.example/", "Estrie", "", false},                      // 5
		{"Straße Software", "https://strasse.example/", "Estrie", "meetup", false},          // 6
		{"Zeta", "https://zeta.example/", "Laval", "salon", true},                           // 7
	} {
		a := Application(c.name, i)
		a.Website, a.Region, a.Event = c.website, c.region, c.event
		m := MustCreate(t, s, a)
		if c.approve {
			MustDecide(t, s, m.ID, registry.ActionApprove, "")
		}
	}
	list := func(f registry.MemberFilter) string {
		t.Helper()
		if f.Limit == 0 {
			f.Limit = 100
		}
		ms, total, err := s.ListMembers(ctx, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		names := make([]string, len(ms))
		for i, m := range ms {
			names[i] = m.Name
		}
		return fmt.Sprintf("%d:%s", total, strings.Join(names, ","))
	}
	for _, c := range []struct {
		why  string
		f    registry.MemberFilter
		want string
	}{
		{"accents and case do not count", registry.MemberFilter{Query: "quebec"}, "2:Québec inc.,QUEBEC Solutions"},
		{"in the query either", registry.MemberFilter{Query: "  QUÉBEC  "}, "2:Québec inc.,QUEBEC Solutions"},
		{"the website is searched", registry.MemberFilter{Query: "ACME.CA"}, "1:Acme"},
		{"the slug is searched", registry.MemberFilter{Query: "quebec-inc"}, "1:Québec inc."},
		{"case folds fully", registry.MemberFilter{Query: "STRASSE"}, "1:Straße Software"},
		{"% is no wildcard", registry.MemberFilter{Query: "%"}, "1:100% Local"},
		{"_ is no wildcard", registry.MemberFilter{Query: "r_s"}, "1:Under_score"},
		{"_ is itself", registry.MemberFilter{Query: "_"}, "1:Under_score"},
		{"nothing matches", registry.MemberFilter{Query: "nobody"}, "0:"},
		{"an empty query is no search", registry.MemberFilter{Query: "   "}, "8:Québec inc.,QUEBEC Solutions,Acme,100% Local,Cent pour cent,Under_score,Straße Software,Zeta"},
		{"with a status", registry.MemberFilter{Query: "quebec", Status: registry.StatusPending}, "1:QUEBEC Solutions"},
		{"with a region", registry.MemberFilter{Query: "o", Region: "Montréal"}, "2:100% Local,Cent pour cent"},
		{"by event", registry.MemberFilter{Event: "salon"}, "4:Québec inc.,Acme,100% Local,Zeta"},
		{"by event and status", registry.MemberFilter{Event: "salon", Status: registry.StatusApproved}, "3:Québec inc.,Acme,Zeta"},
		{"by event, region and query", registry.MemberFilter{Event: "salon", Region: "Montréal", Query: "local"}, "1:100% Local"},
		{"a page keeps the total", registry.MemberFilter{Event: "salon", Limit: 2, Offset: 1}, "4:Acme,100% Local"},
		{"the last page", registry.MemberFilter{Query: "e", Limit: 3, Offset: 6}, "8:Straße Software,Zeta"},
		{"listed, in slug order", registry.MemberFilter{Listed: true, Query: "c"}, "3:Acme,Cent pour cent,Québec inc."},
		{"an unknown event", registry.MemberFilter{Event: "nope"}, "0:"},
	} {
		if got := list(c.f); got != c.want {
			t.Errorf("%s: %+v: %s, want %s", c.why, c.f, got, c.want)
		}
	}
	t.Run("keyset paging does not search", func(t *testing.T) {
		_, _, err := s.ListMembers(ctx, registry.MemberFilter{Listed: true, Query: "acme", After: "a", Limit: 10})
		wantCode(t, err, registry.EINVALID)
	})
	t.Run("an erased name is not found", func(t *testing.T) {
		ms, _, _ := s.ListMembers(ctx, registry.MemberFilter{Query: "zeta", Limit: 10})
		if len(ms) != 1 {
			t.Fatalf("zeta: %d", len(ms))
		}
		if _, err := s.EraseMember(ctx, ms[0].ID, true, "staff@test"); err != nil {
			t.Fatal(err)
		}
		if got := list(registry.MemberFilter{Query: "zeta.example"}); got != "0:" {
			t.Fatalf("after erasure: %s", got)
		}
		// Nor is the slug, made from it: it is gone too.
		for range 2 {
			if got := list(registry.MemberFilter{Query: "zeta"}); got != "0:" {
				t.Fatalf("by slug after erasure: %s", got)
			}
		}
	})
}
