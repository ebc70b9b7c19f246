package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

// testListedKeyset pages the directory by slug with After and Before. The
// expected order is the store's own slug order of the whole listing, so the
// test holds whatever collation PostgreSQL sorts with.
func testListedKeyset(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	n := 0
	add := func(name, region string, consent, approve bool) {
		n++
		a := Application(name, n)
		a.Region, a.ConsentPublic = region, &consent
		m := MustCreate(t, s, a)
		if approve {
			MustDecide(t, s, m.ID, registry.ActionApprove, "")
		}
	}
	for _, name := range []string{"Acme", "Acme.", "Acme..", "Acme 10", "Acme Québec", "Beta", "Zulu"} {
		add(name, "Montréal", true, true)
	}
	add("Delta", "Laval", true, true)
	add("Gamma", "Laval", true, true)
	add("Hidden", "Laval", false, true)
	add("Pending", "Laval", true, false)

	all := slugs(t, s, registry.MemberFilter{Listed: true, Limit: 100})
	t.Run("the listing holds listed members only, acme before acme-2", func(t *testing.T) {
		want := []string{"acme", "acme-10", "acme-2", "acme-3", "acme-quebec", "beta", "delta", "gamma", "zulu"}
		if got := slices.Sorted(slices.Values(all)); !slices.Equal(got, want) {
			t.Fatalf("listed %v, want %v in some order", all, want)
		}
		if slices.Index(all, "acme") > slices.Index(all, "acme-2") {
			t.Fatalf("acme after acme-2: %v", all)
		}
	})
	t.Run("forward pages after each last slug make the whole listing", func(t *testing.T) {
		got := walk(t, s, registry.MemberFilter{Listed: true, Limit: 2}, true)
		if !slices.Equal(got, all) {
			t.Fatalf("pages %v, want %v", got, all)
		}
	})
	t.Run("after a slug comes what follows it, not the slug itself", func(t *testing.T) {
		got := slugs(t, s, registry.MemberFilter{Listed: true, After: "acme", Limit: 100})
		if !slices.Equal(got, all[1:]) {
			t.Fatalf("after acme: %v, want %v", got, all[1:])
		}
	})
	t.Run("backward pages before each first slug make the listing, ascending", func(t *testing.T) {
		last := all[len(all)-1]
		got := walk(t, s, registry.MemberFilter{Listed: true, Before: last, Limit: 2}, false)
		if !slices.Equal(got, all[:len(all)-1]) {
			t.Fatalf("pages %v, want %v", got, all[:len(all)-1])
		}
		page := slugs(t, s, registry.MemberFilter{Listed: true, Before: last, Limit: 3})
		if !slices.Equal(page, all[len(all)-4:len(all)-1]) {
			t.Fatalf("page before %s: %v", last, page)
		}
	})
	t.Run("pages beyond either end are empty", func(t *testing.T) {
		for _, f := range []registry.MemberFilter{
			{Listed: true, After: all[len(all)-1], Limit: 5},
			{Listed: true, Before: all[0], Limit: 5},
			{Listed: true, After: "zzz", Limit: 5},
			{Listed: true, Before: "a", Limit: 5},
		} {
			if got := slugs(t, s, f); len(got) != 0 {
				t.Errorf("%+v: %v, want none", f, got)
			}
		}
	})
	t.Run("a region is paged within that region", func(t *testing.T) {
		laval := registry.MemberFilter{Listed: true, Region: "Laval", Limit: 1}
		if got := walk(t, s, laval, true); !slices.Equal(got, []string{"delta", "gamma"}) {
			t.Fatalf("Laval forward: %v", got)
		}
		laval.Before = "zulu"
		if got := walk(t, s, laval, false); !slices.Equal(got, []string{"delta", "gamma"}) {
			t.Fatalf("Laval backward: %v", got)
		}
	})
	t.Run("the total counts the whole listing, or is skipped", func(t *testing.T) {
		ctx := context.Background()
		if _, total, err := s.ListMembers(ctx, registry.MemberFilter{Listed: true, After: "beta", Limit: 1}); err != nil || total != len(all) {
			t.Fatalf("total %d, %v; want %d", total, err, len(all))
		}
		ms, total, err := s.ListMembers(ctx, registry.MemberFilter{Listed: true, After: "beta", Limit: 1, NoTotal: true})
		if err != nil || total != -1 || len(ms) != 1 {
			t.Fatalf("NoTotal: %d members, total %d, %v", len(ms), total, err)
		}
	})
	t.Run("keyset paging needs a listed listing and one direction", func(t *testing.T) {
		for _, f := range []registry.MemberFilter{
			{After: "acme", Limit: 5},
			{Status: registry.StatusApproved, Before: "acme", Limit: 5},
			{Listed: true, After: "acme", Before: "zulu", Limit: 5},
		} {
			_, _, err := s.ListMembers(context.Background(), f)
			wantCode(t, err, registry.EINVALID)
		}
	})
}

// slugs lists the slugs of one page.
func slugs(t *testing.T, s registry.Store, f registry.MemberFilter) []string {
	t.Helper()
	ms, _, err := s.ListMembers(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Slug)
	}
	return out
}

// walk follows pages from f forward (After the last slug of each) or
// backward (Before the first), until an empty page, and returns every slug
// seen, in listing order when each page is in ascending order.
func walk(t *testing.T, s registry.Store, f registry.MemberFilter, forward bool) []string {
	t.Helper()
	var seen [][]string
	for range 100 {
		page := slugs(t, s, f)
		if len(page) == 0 {
			break
		}
		seen = append(seen, page)
		if forward {
			f.After = page[len(page)-1]
		} else {
			f.Before = page[0]
		}
	}
	if !forward {
		slices.Reverse(seen)
	}
	return slices.Concat(seen...)
}
