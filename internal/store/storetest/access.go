package storetest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// lastLink is the link token of a member's newest mail of that kind, as the
// sender would put it in the message.
func lastLink(tb testing.TB, s registry.Store, memberID int64, kind registry.MailKind) (registry.Mail, string) {
	tb.Helper()
	mails := MustListMail(tb, s)
	for i := len(mails) - 1; i >= 0; i-- {
		if mails[i].MemberID == memberID && mails[i].Kind == kind {
			return mails[i], mails[i].Link
		}
	}
	tb.Fatalf("member %d has no %s mail", memberID, kind)
	return registry.Mail{}, ""
}

// testConfirmContact follows a receipt's confirmation link: twice is no
// error and keeps the first time; an unknown, expired or erased one is
// refused; the token is gone from the outbox once the mail is sent.
func testConfirmContact(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	m := MustCreate(t, s, Application("Acme", 1))
	if !m.ContactConfirmedAt.IsZero() {
		t.Fatalf("new member confirmed at %v", m.ContactConfirmedAt)
	}
	ml, token := lastLink(t, s, m.ID, registry.MailReceipt)
	if _, err := s.ConfirmContact(ctx, TokenHash(token+"x")); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("unknown link: %v", err)
	}
	clock.Advance(time.Hour)
	got, err := s.ConfirmContact(ctx, TokenHash(token))
	if err != nil || !got.ContactConfirmedAt.Equal(clock.Now().Truncate(time.Microsecond)) {
		t.Fatalf("confirm: %+v, %v", got, err)
	}
	first := got.ContactConfirmedAt
	clock.Advance(time.Hour)
	if again, err := s.ConfirmContact(ctx, TokenHash(token)); err != nil || !again.ContactConfirmedAt.Equal(first) {
		t.Fatalf("confirm again: %+v, %v; want the first time %v kept", again, err, first)
	}
	if found, _ := s.FindMember(ctx, m.ID); !found.ContactConfirmedAt.Equal(first) {
		t.Fatalf("stored confirmation %v, want %v", found.ContactConfirmedAt, first)
	}
	if err := s.MailSent(ctx, ml.ID); err != nil {
		t.Fatal(err)
	}
	if sent, _ := lastLink(t, s, m.ID, registry.MailReceipt); sent.Link != "" {
		t.Fatalf("sent mail still holds its link token %q", sent.Link)
	}

	t.Run("expired", func(t *testing.T) {
		late := MustCreate(t, s, Application("Late", 2))
		_, token := lastLink(t, s, late.ID, registry.MailReceipt)
		clock.Advance(registry.ConfirmLinkTTL)
		if _, err := s.ConfirmContact(ctx, TokenHash(token)); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("expired link: %v", err)
		}
	})
	t.Run("erased contact", func(t *testing.T) {
		e := MustCreate(t, s, Application("Erased", 3))
		_, token := lastLink(t, s, e.ID, registry.MailReceipt)
		if _, err := s.EraseMember(ctx, e.ID, false, "staff@test"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ConfirmContact(ctx, TokenHash(token)); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("erased contact's link: %v", err)
		}
	})
}

// approvedMember is an approved member and its contact.
func approvedMember(t *testing.T, s registry.Store, name string, n int) *registry.Member {
	t.Helper()
	m := MustCreate(t, s, Application(name, n))
	return MustDecide(t, s, m.ID, registry.ActionApprove, "")
}

// testSignInLinks checks a sign-in link opens once, within its time, for an
// approved member only, and that revoking spends it.
func testSignInLinks(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	m := approvedMember(t, s, "Acme", 1)
	if ms, err := s.FindMembersByContact(ctx, "MARIE@Company-1.example"); err != nil || len(ms) != 1 || ms[0].ID != m.ID {
		t.Fatalf("find by contact, any case: %v, %v", ms, err)
	}
	pending := MustCreate(t, s, Application("Pending", 2))
	if ms, _ := s.FindMembersByContact(ctx, pending.ContactEmail); len(ms) != 0 {
		t.Fatalf("a pending member is found by contact: %v", ms)
	}
	if err := s.CreateSignInLink(ctx, pending.ID, "tok-pending"); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("sign-in link for a pending member: %v", err)
	}

	if err := s.CreateSignInLink(ctx, m.ID, "tok-1"); err != nil {
		t.Fatal(err)
	}
	if ml, token := lastLink(t, s, m.ID, registry.MailSignIn); token != "tok-1" || ml.To != m.ContactEmail {
		t.Fatalf("sign-in mail %+v", ml)
	}
	if id, err := s.UseSignInLink(ctx, TokenHash("tok-1")); err != nil || id != m.ID {
		t.Fatalf("use: %d, %v", id, err)
	}
	if _, err := s.UseSignInLink(ctx, TokenHash("tok-1")); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("used twice: %v", err)
	}
	if err := s.CreateSignInLink(ctx, m.ID, "tok-2"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(registry.SignInLinkTTL)
	if _, err := s.UseSignInLink(ctx, TokenHash("tok-2")); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("expired: %v", err)
	}
	if _, err := s.UseSignInLink(ctx, TokenHash("tok-confirm")); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("unknown: %v", err)
	}
	_, receipt := lastLink(t, s, m.ID, registry.MailReceipt)
	if _, err := s.UseSignInLink(ctx, TokenHash(receipt)); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("a confirmation link signs in: %v", err)
	}
	if err := s.CreateSignInLink(ctx, m.ID, "tok-3"); err != nil {
		t.Fatal(err)
	}
	MustDecide(t, s, m.ID, registry.ActionRevoke, "fermée")
	if _, err := s.UseSignInLink(ctx, TokenHash("tok-3")); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("link of a revoked member: %v", err)
	}
	MustDecide(t, s, m.ID, registry.ActionReinstate, "")
	if _, err := s.UseSignInLink(ctx, TokenHash("tok-3")); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("a link spent by revocation works after reinstating: %v", err)
	}
}

// testMemberSessions checks a member's session lives while used, dies idle
// or old, and is cut by revocation and by erasure.
func testMemberSessions(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	m := approvedMember(t, s, "Acme", 1)
	open := func(token string) {
		t.Helper()
		if err := s.CreateMemberSession(ctx, &registry.MemberSession{TokenHash: TokenHash(token), MemberID: m.ID, CSRF: "c-" + token}); err != nil {
			t.Fatal(err)
		}
	}
	live := func(token string) bool {
		t.Helper()
		se, err := s.TouchMemberSession(ctx, TokenHash(token))
		if err != nil && registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatal(err)
		}
		if err == nil && (se.MemberID != m.ID || se.CSRF != "c-"+token) {
			t.Fatalf("session %+v", se)
		}
		return err == nil
	}
	open("a")
	for range 7 { // used every 100 minutes: never idle 2 hours, but 12 hours old in the end
		clock.Advance(100 * time.Minute)
		if !live("a") {
			t.Fatalf("session in use ended at %v", clock.Now())
		}
	}
	clock.Advance(100 * time.Minute)
	if live("a") {
		t.Fatal("a session older than MemberSessionMax lives")
	}
	open("b")
	clock.Advance(registry.MemberSessionIdle + time.Second)
	if live("b") {
		t.Fatal("an idle session lives")
	}
	open("c")
	if err := s.DeleteMemberSession(ctx, TokenHash("c")); err != nil || live("c") {
		t.Fatalf("signed out: %v", err)
	}
	if err := s.DeleteMemberSession(ctx, TokenHash("c")); err != nil {
		t.Fatalf("signed out twice: %v", err)
	}
	open("d")
	MustDecide(t, s, m.ID, registry.ActionRevoke, "fermée")
	if live("d") {
		t.Fatal("a revoked member's session lives")
	}
	if err := s.CreateMemberSession(ctx, &registry.MemberSession{TokenHash: TokenHash("e"), MemberID: m.ID}); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("session for a revoked member: %v", err)
	}
	MustDecide(t, s, m.ID, registry.ActionReinstate, "")
	if live("d") {
		t.Fatal("a session cut by revocation lives again after reinstating")
	}
	open("f")
	if _, err := s.EraseMember(ctx, m.ID, false, "staff@test"); err != nil {
		t.Fatal(err)
	}
	if live("f") {
		t.Fatal("a session lives after its contact is erased")
	}
}

// testMemberRequests checks one open request of each kind at a time, for
// approved members only, and the listings.
func testMemberRequests(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	m := approvedMember(t, s, "Acme", 1)
	other := approvedMember(t, s, "Globex", 2)
	change := &registry.MemberRequest{MemberID: m.ID, Kind: registry.RequestChange, Name: "Acme Québec", Website: "https://acme.example"}
	if err := s.CreateRequest(ctx, change); err != nil || change.ID == 0 || !change.Open() {
		t.Fatalf("create: %+v, %v", change, err)
	}
	again := *change
	wantConflict(t, s.CreateRequest(ctx, &again), "request_open")
	del := &registry.MemberRequest{MemberID: m.ID, Kind: registry.RequestDeletion}
	if err := s.CreateRequest(ctx, del); err != nil {
		t.Fatalf("a deletion beside an open change: %v", err)
	}
	if err := s.CreateRequest(ctx, &registry.MemberRequest{MemberID: other.ID, Kind: registry.RequestDeletion}); err != nil {
		t.Fatal(err)
	}
	pending := MustCreate(t, s, Application("Pending", 3))
	err := s.CreateRequest(ctx, &registry.MemberRequest{MemberID: pending.ID, Kind: registry.RequestDeletion})
	wantCode(t, err, registry.ENOTFOUND)
	mine, err := s.ListRequests(ctx, m.ID)
	if err != nil || len(mine) != 2 || *mine[0] != *change || mine[1].Kind != registry.RequestDeletion {
		t.Fatalf("member's requests: %+v, %v", mine, err)
	}
	all, err := s.ListRequests(ctx, 0)
	if err != nil || len(all) != 3 || all[2].MemberID != other.ID {
		t.Fatalf("open requests: %+v, %v", all, err)
	}
	if _, err := s.EraseMember(ctx, m.ID, true, "staff@test"); err != nil {
		t.Fatal(err)
	}
	if mine, _ := s.ListRequests(ctx, m.ID); mine[0].Name != "" || mine[0].Website != "" {
		t.Fatalf("an erased member's request keeps its name: %+v", mine[0])
	}
}

// testMailCap checks that one address is sent at most MailCap receipts and
// sign-in links a day, whatever asks, while the requests themselves are
// taken, and that the count starts again after MailCapWindow.
func testMailCap(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	receipts := func() int {
		n := 0
		for _, ml := range MustListMail(t, s) {
			if ml.Kind == registry.MailReceipt && strings.EqualFold(ml.To, "victim@victim.example") {
				n++
			}
		}
		return n
	}
	join := func(n int, email string) *registry.Member {
		a := Application("Spam "+strconv.Itoa(n), n)
		a.ContactEmail = email
		return MustCreate(t, s, a)
	}
	for i := range registry.MailCap[registry.MailReceipt] + 2 {
		email := "victim@victim.example"
		if i%2 == 1 {
			email = "Victim@VICTIM.example" // the same mailbox
		}
		join(i+1, email)
	}
	if n := receipts(); n != registry.MailCap[registry.MailReceipt] {
		t.Fatalf("%d receipts to one address, want the cap %d", n, registry.MailCap[registry.MailReceipt])
	}
	if ms, total, _ := s.ListMembers(ctx, registry.MemberFilter{Status: registry.StatusPending, Limit: 100}); total != registry.MailCap[registry.MailReceipt]+2 {
		t.Fatalf("%d requests taken, want all of them: %v", total, ms)
	}
	other := join(100, "someone@else.example")
	if kinds := mailsOf(t, s, other.ID); len(kinds) != 1 {
		t.Fatalf("another address's receipt: %v", kinds)
	}
	clock.Advance(registry.MailCapWindow)
	join(101, "victim@victim.example")
	if n := receipts(); n != registry.MailCap[registry.MailReceipt]+1 {
		t.Fatalf("%d receipts after a day, want one more than the cap", n)
	}

	m := MustDecide(t, s, other.ID, registry.ActionApprove, "")
	for i := range registry.MailCap[registry.MailSignIn] {
		if err := s.CreateSignInLink(ctx, m.ID, "cap-"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	err := s.CreateSignInLink(ctx, m.ID, "cap-over")
	wantConflict(t, err, "mail_capped")
	if _, err := s.UseSignInLink(ctx, TokenHash("cap-over")); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Fatalf("a capped link was saved: %v", err)
	}
	if _, err := s.UseSignInLink(ctx, TokenHash("cap-0")); err != nil {
		t.Fatalf("a link within the cap: %v", err)
	}
	MustDecide(t, s, m.ID, registry.ActionRevoke, "test") // decisions are never capped
	wantKinds(t, s, m.ID, append(append([]registry.MailKind{registry.MailReceipt, registry.MailApproval},
		repeat(registry.MailSignIn, registry.MailCap[registry.MailSignIn])...), registry.MailRevocation)...)
}

func repeat[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}
