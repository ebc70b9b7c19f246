package storetest

import (
	"context"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

// testFindConfirmLink reads a confirmation link without following it: the
// member comes back unconfirmed and stays so, read twice; an unknown,
// expired or erased contact's link is ENOTFOUND, as ConfirmContact says.
func testFindConfirmLink(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	m := MustCreate(t, s, Application("Acme", 1))
	_, token := lastLink(t, s, m.ID, registry.MailReceipt)
	for range 2 {
		got, err := s.FindConfirmLink(ctx, TokenHash(token))
		if err != nil || got.ID != m.ID || got.Name != "Acme" || !got.ContactConfirmedAt.IsZero() {
			t.Fatalf("find: %+v, %v", got, err)
		}
	}
	if found, _ := s.FindMember(ctx, m.ID); !found.ContactConfirmedAt.IsZero() {
		t.Fatal("reading the link confirmed the contact")
	}
	if _, err := s.FindConfirmLink(ctx, TokenHash(token+"x")); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("unknown link: %v", err)
	}
	if _, err := s.ConfirmContact(ctx, TokenHash(token)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindConfirmLink(ctx, TokenHash(token)); err != nil || got.ContactConfirmedAt.IsZero() {
		t.Fatalf("confirmed link: %+v, %v", got, err)
	}

	erased := MustCreate(t, s, Application("Effacée", 2))
	_, erasedToken := lastLink(t, s, erased.ID, registry.MailReceipt)
	if _, err := s.EraseMember(ctx, erased.ID, false, "staff@test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindConfirmLink(ctx, TokenHash(erasedToken)); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("erased contact's link: %v", err)
	}
	clock.Advance(registry.ConfirmLinkTTL)
	if _, err := s.FindConfirmLink(ctx, TokenHash(token)); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("expired link: %v", err)
	}
}
