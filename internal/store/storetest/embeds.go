package storetest

import (
	"context"
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
	got, err := s.ListEmbeds(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Site != "copycat.example" || got[0].Views != 6 || got[1].Site != "company-1.example" || got[1].Views != 3 {
		t.Fatalf("embeds of A: %+v", got)
	}
	if !got[0].FirstSeen.Truncate(time.Second).Equal(first) || !got[0].LastSeen.After(got[0].FirstSeen) {
		t.Errorf("first/last seen not kept: %+v", got[0])
	}
	if none, err := s.ListEmbeds(ctx, 9999); err != nil || len(none) != 0 {
		t.Errorf("unknown member: %v, %v", none, err)
	}
}
