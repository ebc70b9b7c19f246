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

// testEditEvent checks an event's names, date and place change, its code and
// funnel do not, and bad values are refused as when creating one.
func testEditEvent(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	created := mustEvent(t, s, "salon-2026")
	if _, err := s.RecordScan(ctx, "salon-2026"); err != nil {
		t.Fatal(err)
	}
	edit := registry.NewEvent{Code: "ignored", NameFR: "  Salon de l'emploi  ", NameEN: "Job fair", StartsOn: "2026-12-10", Place: ""}
	for i := range 2 { // the same edit twice changes nothing more
		e, err := s.EditEvent(ctx, "salon-2026", edit)
		if err != nil {
			t.Fatalf("edit %d: %v", i, err)
		}
		got, _ := s.FindEvent(ctx, "salon-2026")
		for _, e := range []*registry.Event{e, got} {
			if e.Code != "salon-2026" || e.NameFR != "Salon de l'emploi" || e.NameEN != "Job fair" || e.StartsOn != "2026-12-10" ||
				e.Place != "" || e.Scans != 1 || !e.CreatedAt.Equal(created.CreatedAt) || !e.ArchivedAt.IsZero() {
				t.Fatalf("edit %d: %+v", i, e)
			}
		}
	}
	t.Run("an unknown code", func(t *testing.T) {
		for _, code := range []string{"nope", "Not a code!", ""} {
			_, err := s.EditEvent(ctx, code, edit)
			wantCode(t, err, registry.ENOTFOUND)
		}
	})
	t.Run("bad values", func(t *testing.T) {
		for _, bad := range []registry.NewEvent{
			{NameFR: "", NameEN: "Fair"},
			{NameFR: "Salon", NameEN: "Fair", StartsOn: "10/12/2026"},
			{NameFR: "Salon", NameEN: "Fair\x00"},
		} {
			for range 2 {
				_, err := s.EditEvent(ctx, "salon-2026", bad)
				wantCode(t, err, registry.EINVALID)
			}
		}
		if got, _ := s.FindEvent(ctx, "salon-2026"); got.NameFR != "Salon de l'emploi" {
			t.Fatalf("a refused edit changed the event: %+v", got)
		}
	})
}

// testArchiveEvent checks events are archived and made active again, each
// once, and that an archived event still counts scans and joins.
func testArchiveEvent(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	mustEvent(t, s, "salon-2026")
	mustEvent(t, s, "meetup")
	clock.Advance(time.Hour)
	e, err := s.ArchiveEvent(ctx, "salon-2026", true)
	if err != nil || !e.ArchivedAt.Equal(clock.Now().Truncate(time.Microsecond)) {
		t.Fatalf("archived %+v, %v", e, err)
	}
	_, err = s.ArchiveEvent(ctx, "salon-2026", true)
	wantConflict(t, err, "already_archived")
	t.Run("archived events are read with their date", func(t *testing.T) {
		got, err := s.FindEvent(ctx, "salon-2026")
		if err != nil || !got.ArchivedAt.Equal(e.ArchivedAt) {
			t.Fatalf("find %+v, %v", got, err)
		}
		all, err := s.ListEvents(ctx)
		if err != nil || len(all) != 2 || all[0].Code != "meetup" || !all[0].ArchivedAt.IsZero() || !all[1].ArchivedAt.Equal(e.ArchivedAt) {
			t.Fatalf("list %+v, %v", all, err)
		}
	})
	t.Run("an archived event still counts", func(t *testing.T) {
		if ok, err := s.RecordScan(ctx, "salon-2026"); !ok || err != nil {
			t.Fatalf("scan: %v %v", ok, err)
		}
		if err := s.RecordScans(ctx, map[string]int{"salon-2026": 2}); err != nil {
			t.Fatal(err)
		}
		a := Application("Venu du salon", 1)
		a.Event = "salon-2026"
		MustCreate(t, s, a)
		if got, _ := s.FindEvent(ctx, "salon-2026"); got.Scans != 3 || got.Joins != 1 {
			t.Fatalf("funnel %+v", got)
		}
	})
	t.Run("it is made active again, once", func(t *testing.T) {
		e, err := s.ArchiveEvent(ctx, "salon-2026", false)
		if err != nil || !e.ArchivedAt.IsZero() || e.Scans != 3 {
			t.Fatalf("unarchived %+v, %v", e, err)
		}
		_, err = s.ArchiveEvent(ctx, "salon-2026", false)
		wantConflict(t, err, "not_archived")
		_, err = s.ArchiveEvent(ctx, "meetup", false)
		wantConflict(t, err, "not_archived")
		if got, _ := s.FindEvent(ctx, "salon-2026"); !got.ArchivedAt.IsZero() {
			t.Fatalf("still archived: %+v", got)
		}
	})
	t.Run("an unknown code", func(t *testing.T) {
		for _, archived := range []bool{true, false} {
			_, err := s.ArchiveEvent(ctx, "nope", archived)
			wantCode(t, err, registry.ENOTFOUND)
		}
	})
}
