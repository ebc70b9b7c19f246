package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// testEraseExpiredContacts checks the retention rule: a request rejected
// longer ago than the retention period loses its contact, audited by
// RetentionActor, with the decision kept and the reason that quotes the
// contact emptied; one rejected more recently, an approved member and a
// contact already erased are left alone, and a second run erases nothing.
func testEraseExpiredContacts(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	day := 24 * time.Hour
	old := MustDecide(t, s, MustCreate(t, s, Application("Ancienne", 1)).ID, registry.ActionReject, "marie@company-1.example ne répond pas")
	plain := MustDecide(t, s, MustCreate(t, s, Application("Sans citation", 2)).ID, registry.ActionReject, "hors Québec")
	erasedBefore := MustDecide(t, s, MustCreate(t, s, Application("Déjà effacée", 3)).ID, registry.ActionReject, "hors Québec")
	if _, err := s.EraseMember(ctx, erasedBefore.ID, false, "dpo@test"); err != nil {
		t.Fatal(err)
	}
	approved := MustDecide(t, s, MustCreate(t, s, Application("Approuvée", 4)).ID, registry.ActionApprove, "")
	clock.Advance(2 * day)
	recent := MustDecide(t, s, MustCreate(t, s, Application("Récente", 5)).ID, registry.ActionReject, "hors Québec")
	pending := MustCreate(t, s, Application("En attente", 6))
	clock.Advance(89 * day) // old ones rejected 91 days ago, the recent one 89

	cutoff := clock.Now().Add(-registry.DefaultRetention)
	n, err := registry.EraseExpiredContacts(ctx, s, cutoff)
	if err != nil || n != 2 {
		t.Fatalf("first run: %d erased, %v; want 2", n, err)
	}
	for _, tt := range []struct {
		m      *registry.Member
		erased bool
		reason string
	}{
		{old, true, ""}, {plain, true, "hors Québec"}, {recent, false, "hors Québec"},
		{approved, false, ""}, {pending, false, ""},
	} {
		got, err := s.FindMember(ctx, tt.m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if erased := got.ContactEmail == "" && got.ContactName == "" && !got.ErasedAt.IsZero(); erased != tt.erased ||
			got.Status != tt.m.Status || got.Reason != tt.reason || got.Name != tt.m.Name {
			t.Errorf("%s: erased %v, want %v: %+v", tt.m.Name, erased, tt.erased, got)
		}
		es, err := s.ListAudit(ctx, registry.AuditFilter{MemberID: tt.m.ID, Action: registry.ActionErase, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if tt.erased != (len(es) == 1) || tt.erased && (es[0].Actor != registry.RetentionActor || es[0].Reason != "contact") {
			t.Errorf("%s: erase entries %+v", tt.m.Name, es)
		}
		if ds, _ := s.ListAudit(ctx, registry.AuditFilter{MemberID: tt.m.ID, Action: registry.ActionReject, Limit: 10}); tt.m.Status == registry.StatusRejected && len(ds) != 1 {
			t.Errorf("%s: the decision went from the audit: %+v", tt.m.Name, ds)
		}
	}
	if es, _ := s.ListAudit(ctx, registry.AuditFilter{MemberID: erasedBefore.ID, Action: registry.ActionErase, Limit: 10}); len(es) != 1 || es[0].Actor != "dpo@test" {
		t.Errorf("a contact erased already was erased again: %+v", es)
	}
	if n, err := registry.EraseExpiredContacts(ctx, s, cutoff); err != nil || n != 0 {
		t.Fatalf("second run: %d erased, %v; want none", n, err)
	}
	clock.Advance(2 * day)
	if n, err := registry.EraseExpiredContacts(ctx, s, clock.Now().Add(-registry.DefaultRetention)); err != nil || n != 1 {
		t.Fatalf("two days later: %d erased, %v; want the recent one", n, err)
	}
}

// testEraseUnconfirmedContacts checks the rule for requests nobody
// confirmed: a pending request made longer ago than the retention period
// whose contact never confirmed its address loses its contact, audited by
// RetentionActor, and stays pending in the queue; a confirmed one, a recent
// one, an approved member and a rejected request are left to their own
// rules, and a second run erases nothing.
func testEraseUnconfirmedContacts(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	day := 24 * time.Hour
	old := MustCreate(t, s, Application("Jamais confirmée", 1))
	confirmed := MustCreate(t, s, Application("Confirmée", 2))
	_, token := lastLink(t, s, confirmed.ID, registry.MailReceipt)
	if _, err := s.ConfirmContact(ctx, TokenHash(token)); err != nil {
		t.Fatal(err)
	}
	approved := MustDecide(t, s, MustCreate(t, s, Application("Approuvée", 3)).ID, registry.ActionApprove, "")
	clock.Advance(2 * day)
	recent := MustCreate(t, s, Application("Récente", 4))
	clock.Advance(89 * day) // the old ones made 91 days ago, the recent one 89
	rejected := MustDecide(t, s, MustCreate(t, s, Application("Refusée", 5)).ID, registry.ActionReject, "hors Québec")

	cutoff := clock.Now().Add(-registry.DefaultRetention)
	n, err := registry.EraseUnconfirmedContacts(ctx, s, cutoff)
	if err != nil || n != 1 {
		t.Fatalf("first run: %d erased, %v; want 1", n, err)
	}
	for _, tt := range []struct {
		m      *registry.Member
		erased bool
	}{{old, true}, {confirmed, false}, {approved, false}, {recent, false}, {rejected, false}} {
		got, err := s.FindMember(ctx, tt.m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if erased := got.ContactEmail == "" && got.ContactName == "" && !got.ErasedAt.IsZero(); erased != tt.erased ||
			got.Status != tt.m.Status || got.Name != tt.m.Name || got.Website != tt.m.Website {
			t.Errorf("%s: erased %v, want %v: %+v", tt.m.Name, erased, tt.erased, got)
		}
		es, err := s.ListAudit(ctx, registry.AuditFilter{MemberID: tt.m.ID, Action: registry.ActionErase, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if tt.erased != (len(es) == 1) || tt.erased && (es[0].Actor != registry.RetentionActor || es[0].Reason != "contact") {
			t.Errorf("%s: erase entries %+v", tt.m.Name, es)
		}
	}
	queue, _, err := s.ListMembers(ctx, registry.MemberFilter{Status: registry.StatusPending, Limit: 10})
	if err != nil || len(queue) != 3 || queue[0].ID != old.ID || queue[0].ContactEmail != "" {
		t.Fatalf("queue after the erasure: %+v, %v; want the erased request still first", queue, err)
	}
	if n, err := registry.EraseUnconfirmedContacts(ctx, s, cutoff); err != nil || n != 0 {
		t.Fatalf("second run: %d erased, %v; want none", n, err)
	}
	clock.Advance(2 * day)
	if n, err := registry.EraseUnconfirmedContacts(ctx, s, clock.Now().Add(-registry.DefaultRetention)); err != nil || n != 1 {
		t.Fatalf("two days later: %d erased, %v; want the recent one", n, err)
	}
}
