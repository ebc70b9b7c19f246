package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

func mustEvent(t *testing.T, s registry.Store, code string) *registry.Event {
	t.Helper()
	e, err := registry.NewEvent{Code: code, NameFR: "Salon « " + code + " »", NameEN: "Fair " + code, StartsOn: "2026-12-03", Place: "Québec"}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func testEvents(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	mustEvent(t, s, "salon-2026")
	clock.Advance(time.Minute)
	mustEvent(t, s, "meetup")
	dup, _ := registry.NewEvent{Code: "meetup", NameFR: "x", NameEN: "x"}.Validate()
	if err := s.CreateEvent(ctx, dup); registry.ErrorCode(err) != registry.ECONFLICT {
		t.Fatalf("duplicate code: %v", err)
	}

	for range 3 {
		if ok, err := s.RecordScan(ctx, "salon-2026"); !ok || err != nil {
			t.Fatalf("scan: %v %v", ok, err)
		}
	}
	if ok, err := s.RecordScan(ctx, "nope"); ok || err != nil {
		t.Fatalf("scan of an unknown event: %v %v", ok, err)
	}
	for i := range 3 {
		a := Application(fmt.Sprint("Venu du salon ", i), i)
		a.Event = "salon-2026"
		m := MustCreate(t, s, a)
		if i == 0 {
			MustDecide(t, s, m.ID, registry.ActionApprove, "")
		}
	}
	MustCreate(t, s, Application("Sans événement", 10))

	e, err := s.FindEvent(ctx, "salon-2026")
	if err != nil {
		t.Fatal(err)
	}
	if e.Scans != 3 || e.Joins != 3 || e.Approved != 1 || e.NameFR != "Salon « salon-2026 »" || e.StartsOn != "2026-12-03" || e.Place != "Québec" {
		t.Errorf("event %+v", e)
	}
	if _, err := s.FindEvent(ctx, "nope"); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Errorf("unknown event: %v", err)
	}
	all, err := s.ListEvents(ctx)
	if err != nil || len(all) != 2 || all[0].Code != "meetup" || all[1].Joins != 3 {
		t.Errorf("list %+v %v", all, err)
	}
}

func testRecordScans(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	mustEvent(t, s, "salon-2026")
	mustEvent(t, s, "meetup")
	mustEvent(t, s, "quiet")
	scans := func() map[string]int {
		t.Helper()
		out := map[string]int{}
		for _, code := range []string{"salon-2026", "meetup", "quiet"} {
			e, err := s.FindEvent(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			out[code] = e.Scans
		}
		return out
	}
	record := func(counts map[string]int) {
		t.Helper()
		if err := s.RecordScans(ctx, counts); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("counts of several events are added at once", func(t *testing.T) {
		record(map[string]int{"salon-2026": 120, "meetup": 3})
		if got := scans(); got["salon-2026"] != 120 || got["meetup"] != 3 || got["quiet"] != 0 {
			t.Fatalf("scans %v", got)
		}
	})
	t.Run("they add to earlier counts and single scans", func(t *testing.T) {
		if _, err := s.RecordScan(ctx, "meetup"); err != nil {
			t.Fatal(err)
		}
		record(map[string]int{"meetup": 2})
		if got := scans(); got["meetup"] != 6 || got["salon-2026"] != 120 {
			t.Fatalf("scans %v", got)
		}
	})
	t.Run("unknown codes, empty and zero counts change nothing", func(t *testing.T) {
		record(map[string]int{"nope": 5, "quiet": 0})
		record(map[string]int{})
		record(nil)
		if got := scans(); got["quiet"] != 0 || got["meetup"] != 6 || got["salon-2026"] != 120 {
			t.Fatalf("scans %v", got)
		}
	})
}
