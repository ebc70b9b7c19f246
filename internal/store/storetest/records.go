package storetest

import (
	"context"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

// testMemberRecords checks what a member's export gathers: its own mails
// only, oldest first, and the count of its sessions, which signing out
// lowers and a revocation empties.
func testMemberRecords(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	m := approvedMember(t, s, "Acme", 1)
	other := approvedMember(t, s, "Other", 2)
	if err := s.CreateSignInLink(ctx, m.ID, "token-one"); err != nil {
		t.Fatal(err)
	}
	mails, err := s.MemberMail(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []registry.MailKind
	for _, ml := range mails {
		if ml.MemberID != m.ID {
			t.Errorf("member %d's mail %+v is another's", m.ID, ml)
		}
		kinds = append(kinds, ml.Kind)
	}
	want := []registry.MailKind{registry.MailReceipt, registry.MailApproval, registry.MailSignIn}
	if len(kinds) != len(want) || kinds[0] != want[0] || kinds[1] != want[1] || kinds[2] != want[2] {
		t.Fatalf("mails %v, want %v", kinds, want)
	}
	if none, err := s.MemberMail(ctx, 9999); err != nil || len(none) != 0 {
		t.Fatalf("an unknown member's mail: %v, %v", none, err)
	}

	count := func(id int64) int {
		t.Helper()
		n, err := s.CountMemberSessions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(m.ID); n != 0 {
		t.Fatalf("sessions before any: %d", n)
	}
	for _, hash := range []string{TokenHash("a"), TokenHash("b")} {
		if err := s.CreateMemberSession(ctx, &registry.MemberSession{TokenHash: hash, MemberID: m.ID, CSRF: "c"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateMemberSession(ctx, &registry.MemberSession{TokenHash: TokenHash("c"), MemberID: other.ID, CSRF: "c"}); err != nil {
		t.Fatal(err)
	}
	if n := count(m.ID); n != 2 {
		t.Fatalf("sessions: %d, want 2", n)
	}
	for range 2 { // signing out twice counts once
		if err := s.DeleteMemberSession(ctx, TokenHash("a")); err != nil {
			t.Fatal(err)
		}
		if n := count(m.ID); n != 1 {
			t.Fatalf("sessions after signing out: %d, want 1", n)
		}
	}
	MustDecide(t, s, m.ID, registry.ActionRevoke, "test")
	if n := count(m.ID); n != 0 {
		t.Fatalf("sessions after revocation: %d, want 0", n)
	}
	if n := count(other.ID); n != 1 {
		t.Fatalf("another member's sessions: %d, want 1", n)
	}
}
