package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

func testEmbeds(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	a := MustCreate(t, s, Application("Embeds A", 1))
	b := MustCreate(t, s, Application("Embeds B", 2))
	first := clock.Now().Truncate(time.Second)
	if err := s.RecordEmbeds(ctx, []registry.EmbedCount{
		{MemberID: a.ID, Site: "company-1.example", Views: 3},
		{MemberID: a.ID, Site: "copycat.example", Views: 1},
		{MemberID: b.ID, Site: "company-2.example", Views: 9},
	}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if err := s.RecordEmbeds(ctx, []registry.EmbedCount{{MemberID: a.ID, Site: "copycat.example", Views: 5}}); err != nil {
		t.Fatal(err)
	}
	t.Run("counts add up per site, most viewed first", func(t *testing.T) {
		got, total := listEmbeds(t, s, a.ID, 10, 0)
		if total != 2 || len(got) != 2 || got[0].Site != "copycat.example" || got[0].Views != 6 || got[1].Site != "company-1.example" || got[1].Views != 3 {
			t.Fatalf("embeds of A (%d): %+v", total, got)
		}
		if !got[0].FirstSeen.Truncate(time.Second).Equal(first) || !got[0].LastSeen.After(got[0].FirstSeen) {
			t.Errorf("first/last seen not kept: %+v", got[0])
		}
	})
	t.Run("a page holds limit sites from offset, with the total", func(t *testing.T) {
		got, total := listEmbeds(t, s, a.ID, 1, 1)
		if total != 2 || len(got) != 1 || got[0].Site != "company-1.example" {
			t.Fatalf("second page of A (%d): %+v", total, got)
		}
		if got, total := listEmbeds(t, s, a.ID, 10, 5); total != 2 || len(got) != 0 {
			t.Fatalf("page past the end (%d): %+v", total, got)
		}
	})
	t.Run("an unknown member has none", func(t *testing.T) {
		if got, total := listEmbeds(t, s, 9999, 10, 0); total != 0 || len(got) != 0 {
			t.Errorf("unknown member (%d): %+v", total, got)
		}
	})
}

// testEmbedsBounded floods one member with more sites than it may keep.
func testEmbedsBounded(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	a := MustCreate(t, s, Application("Flooded", 1))
	b := MustCreate(t, s, Application("Neighbour", 2))
	record := func(counts ...registry.EmbedCount) {
		t.Helper()
		if err := s.RecordEmbeds(ctx, counts); err != nil {
			t.Fatal(err)
		}
	}
	record(registry.EmbedCount{MemberID: a.ID, Site: "company-1.example", Views: 1})
	var flood []registry.EmbedCount
	for i := range registry.MaxEmbedSites + 100 {
		flood = append(flood, registry.EmbedCount{MemberID: a.ID, Site: fmt.Sprintf("forged-%d.example", i), Views: int64(1 + i%7)})
	}
	record(append(flood, registry.EmbedCount{MemberID: b.ID, Site: "company-2.example", Views: 1})...)
	t.Run("a member keeps at most MaxEmbedSites sites", func(t *testing.T) {
		if _, total := listEmbeds(t, s, a.ID, 1, 0); total != registry.MaxEmbedSites {
			t.Fatalf("%d sites kept, want %d", total, registry.MaxEmbedSites)
		}
	})
	t.Run("the most viewed of a flush are the ones kept", func(t *testing.T) {
		// 600 forged sites with 1 to 7 views for 499 free rows: the 86
		// with one view are the first dropped.
		got, _ := listEmbeds(t, s, a.ID, registry.MaxEmbedSites, 0)
		for _, e := range got {
			if e.Site != "company-1.example" && e.Views < 2 {
				t.Fatalf("kept %+v, a least viewed site", e)
			}
		}
	})
	record(registry.EmbedCount{MemberID: a.ID, Site: "late-partner.example", Views: 1000},
		registry.EmbedCount{MemberID: a.ID, Site: "company-1.example", Views: 10})
	t.Run("once full, new sites are dropped and kept sites go on counting", func(t *testing.T) {
		got, total := listEmbeds(t, s, a.ID, 1, 0)
		if total != registry.MaxEmbedSites || got[0].Site != "company-1.example" || got[0].Views != 11 {
			t.Fatalf("after the flood (%d): %+v", total, got)
		}
	})
	t.Run("other members are not affected", func(t *testing.T) {
		record(registry.EmbedCount{MemberID: b.ID, Site: "partner.example", Views: 1})
		if _, total := listEmbeds(t, s, b.ID, 10, 0); total != 2 {
			t.Fatalf("neighbour has %d sites, want 2", total)
		}
	})
}

func listEmbeds(t *testing.T, s registry.Store, id int64, limit, offset int) ([]registry.Embed, int) {
	t.Helper()
	got, total, err := s.ListEmbeds(context.Background(), id, limit, offset)
	if err != nil {
		t.Fatal(err)
	}
	return got, total
}
