package storetest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// Lease is how long the outbox tests' sender holds the mails it claims.
const Lease = 5 * time.Minute

// MustListMail returns every mail in the outbox, oldest first.
func MustListMail(tb testing.TB, s registry.Store) []registry.Mail {
	tb.Helper()
	mails, total, err := s.ListMail(context.Background(), false, 1000, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if total != len(mails) {
		tb.Fatalf("ListMail: total %d, %d mails", total, len(mails))
	}
	slices.Reverse(mails)
	return mails
}

// mailsOf returns the kinds of the member's mails, oldest first.
func mailsOf(tb testing.TB, s registry.Store, id int64) []registry.MailKind {
	tb.Helper()
	var kinds []registry.MailKind
	for _, ml := range MustListMail(tb, s) {
		if ml.MemberID == id {
			kinds = append(kinds, ml.Kind)
		}
	}
	return kinds
}

func wantKinds(t *testing.T, s registry.Store, id int64, want ...registry.MailKind) {
	t.Helper()
	if got := mailsOf(t, s, id); !slices.Equal(got, want) {
		t.Fatalf("member %d's mails: %v, want %v", id, got, want)
	}
}

// testOutboxDecisions checks which changes put a mail in the outbox: a join
// its receipt, approve, reject and revoke theirs with the reason; undoing a
// decision, editing, importing, a refused decision and a refused join none.
func testOutboxDecisions(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	t.Run("a join writes its receipt, in the language it joined in", func(t *testing.T) {
		fr := MustCreate(t, s, Application("Acme", 1))
		m, _ := Application("Globex", 2).Validate()
		m.Lang = "en"
		if err := s.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		mails := MustListMail(t, s)
		if len(mails) != 2 {
			t.Fatalf("%d mails, want 2: %+v", len(mails), mails)
		}
		want := registry.Mail{ID: mails[0].ID, MemberID: fr.ID, Kind: registry.MailReceipt, To: "marie@company-1.example",
			Lang: "fr", CreatedAt: clock.Now().Truncate(time.Microsecond), NextAt: clock.Now().Truncate(time.Microsecond)}
		if len(mails[0].Link) < 40 {
			t.Fatalf("receipt carries link token %q, want a long random one", mails[0].Link)
		}
		want.Link = mails[0].Link
		if mails[0] != want {
			t.Fatalf("receipt\n%+v, want\n%+v", mails[0], want)
		}
		if mails[1].MemberID != m.ID || mails[1].Lang != "en" {
			t.Fatalf("second receipt %+v, want member %d in English", mails[1], m.ID)
		}
		if got, err := s.FindMember(ctx, m.ID); err != nil || got.Lang != "en" || fr.Lang != "fr" {
			t.Fatalf("langs: %v, %v (%v)", got, fr.Lang, err)
		}
	})
	t.Run("a refused join writes nothing", func(t *testing.T) {
		before := len(MustListMail(t, s))
		m, _ := Application("Acme bis", 1).Validate() // company-1's website is taken
		wantCode(t, s.CreateMember(ctx, m), registry.ECONFLICT)
		m, _ = Application("Acme", 3).Validate() // and so is its name
		wantCode(t, s.CreateMember(ctx, m), registry.ECONFLICT)
		if after := len(MustListMail(t, s)); after != before {
			t.Fatalf("%d mails after refused joins, want %d", after, before)
		}
	})
	approved := MustCreate(t, s, Application("Approved", 10))
	rejected := MustCreate(t, s, Application("Rejected", 11))
	for _, step := range []struct {
		name   string
		id     int64
		action registry.Action
		reason string
		want   []registry.MailKind
	}{
		{"approve sends the approval", approved.ID, registry.ActionApprove, "", []registry.MailKind{registry.MailReceipt, registry.MailApproval}},
		{"revoke sends the revocation", approved.ID, registry.ActionRevoke, "cotisation impayée",
			[]registry.MailKind{registry.MailReceipt, registry.MailApproval, registry.MailRevocation}},
		{"reinstate sends nothing", approved.ID, registry.ActionReinstate, "",
			[]registry.MailKind{registry.MailReceipt, registry.MailApproval, registry.MailRevocation}},
		{"reject sends the rejection", rejected.ID, registry.ActionReject, "hors Québec", []registry.MailKind{registry.MailReceipt, registry.MailRejection}},
		{"reconsider sends nothing", rejected.ID, registry.ActionReconsider, "", []registry.MailKind{registry.MailReceipt, registry.MailRejection}},
	} {
		t.Run(step.name, func(t *testing.T) {
			before := len(MustListMail(t, s))
			MustDecide(t, s, step.id, step.action, step.reason)
			wantKinds(t, s, step.id, step.want...)
			mails := MustListMail(t, s)
			if last := mails[len(mails)-1]; len(mails) > before && last.Reason != step.reason {
				t.Fatalf("%s mail's reason %q, want %q", last.Kind, last.Reason, step.reason)
			}
		})
	}
	t.Run("the approval is written after the slug is given", func(t *testing.T) {
		m := MustCreate(t, s, Application("Slugged", 12))
		m = MustDecide(t, s, m.ID, registry.ActionApprove, "")
		mails := MustListMail(t, s)
		if last := mails[len(mails)-1]; last.Kind != registry.MailApproval || last.MemberID != m.ID || m.Slug == "" {
			t.Fatalf("last mail %+v for member %+v", last, m)
		}
	})
	t.Run("edit sends nothing", func(t *testing.T) {
		name := "Approved renamed"
		if _, err := s.EditMember(ctx, approved.ID, registry.MemberEdit{Name: &name}, "staff"); err != nil {
			t.Fatal(err)
		}
		wantKinds(t, s, approved.ID, registry.MailReceipt, registry.MailApproval, registry.MailRevocation)
	})
	t.Run("a refused decision, tried twice, writes nothing", func(t *testing.T) {
		before := len(MustListMail(t, s))
		for range 2 {
			_, err := s.Decide(ctx, registry.Decision{MemberID: approved.ID, Action: registry.ActionApprove, Actor: "staff"})
			wantCode(t, err, registry.ECONFLICT)
			_, err = s.Decide(ctx, registry.Decision{MemberID: rejected.ID, Action: registry.ActionRevoke, Actor: "staff", Reason: "x"})
			wantCode(t, err, registry.ECONFLICT)
		}
		if after := len(MustListMail(t, s)); after != before {
			t.Fatalf("%d mails after refused decisions, want %d", after, before)
		}
	})
	t.Run("a decision that loses a conflict writes nothing", func(t *testing.T) {
		// A rejected request reconsidered while another request holds its
		// website fails after the decision was applied: nothing remains.
		m := MustCreate(t, s, Application("Twice", 20))
		MustDecide(t, s, m.ID, registry.ActionReject, "doublon")
		MustCreate(t, s, Application("Twice again", 20))
		before := len(MustListMail(t, s))
		_, err := s.Decide(ctx, registry.Decision{MemberID: m.ID, Action: registry.ActionReconsider, Actor: "staff"})
		wantCode(t, err, registry.ECONFLICT)
		if after := len(MustListMail(t, s)); after != before {
			t.Fatalf("%d mails, want %d", after, before)
		}
	})
	t.Run("an import sends nothing", func(t *testing.T) {
		before := len(MustListMail(t, s))
		if _, err := s.ImportMembers(ctx, ImportRows(t, 3, 0), "staff"); err != nil {
			t.Fatal(err)
		}
		if after := len(MustListMail(t, s)); after != before {
			t.Fatalf("%d mails after an import, want %d", after, before)
		}
	})
	t.Run("erasing a contact takes its mail with it", func(t *testing.T) {
		m := MustCreate(t, s, Application("Erased", 30))
		if _, err := s.EraseMember(ctx, m.ID, false, "staff"); err != nil {
			t.Fatal(err)
		}
		wantKinds(t, s, m.ID)
		MustDecide(t, s, m.ID, registry.ActionApprove, "") // no address left to write to
		wantKinds(t, s, m.ID)
	})
}

// testClaimMail walks the life of outbox mails through a sender: claimed
// once due, held for the lease, claimed again when the lease ends without
// a word from the sender (it crashed between claim and send), sent once
// however often it says so, and put off by a failure.
func testClaimMail(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	claim := func(t *testing.T, limit int) []int64 {
		t.Helper()
		mails, err := s.ClaimMail(ctx, clock.Now(), Lease, limit)
		if err != nil {
			t.Fatal(err)
		}
		ids := []int64{}
		for _, ml := range mails {
			if !ml.SentAt.IsZero() {
				t.Fatalf("claimed a sent mail: %+v", ml)
			}
			ids = append(ids, ml.ID)
		}
		return ids
	}
	a := MustCreate(t, s, Application("A", 1))
	clock.Advance(time.Second)
	b := MustCreate(t, s, Application("B", 2))
	mails := MustListMail(t, s)
	ma, mb := mails[0].ID, mails[1].ID
	if mails[0].MemberID != a.ID || mails[1].MemberID != b.ID {
		t.Fatalf("mails %+v", mails)
	}
	t.Run("claims take due mails oldest first, up to the limit", func(t *testing.T) {
		if got := claim(t, 1); !slices.Equal(got, []int64{ma}) {
			t.Fatalf("claimed %v, want [%d]", got, ma)
		}
		if got := claim(t, 10); !slices.Equal(got, []int64{mb}) {
			t.Fatalf("claimed %v, want [%d]", got, mb)
		}
	})
	t.Run("a second claim within the lease gets nothing", func(t *testing.T) {
		clock.Advance(Lease - 2*time.Second)
		if got := claim(t, 10); len(got) != 0 {
			t.Fatalf("claimed %v within the lease", got)
		}
	})
	t.Run("after the lease, the same mails again (the sender crashed)", func(t *testing.T) {
		clock.Advance(2 * time.Second)
		if got := claim(t, 10); !slices.Equal(got, []int64{ma, mb}) {
			t.Fatalf("claimed %v, want [%d %d]", got, ma, mb)
		}
	})
	t.Run("a sent mail is never claimed again, and sent twice is fine", func(t *testing.T) {
		sentAt := clock.Now().Truncate(time.Microsecond)
		if err := s.MailSent(ctx, ma); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		if err := s.MailSent(ctx, ma); err != nil {
			t.Fatalf("second MailSent: %v", err)
		}
		got := MustListMail(t, s)[0]
		if !got.SentAt.Equal(sentAt) {
			t.Fatalf("sent at %v, want the first time %v", got.SentAt, sentAt)
		}
		clock.Advance(Lease)
		if got := claim(t, 10); !slices.Equal(got, []int64{mb}) {
			t.Fatalf("claimed %v, want [%d]", got, mb)
		}
		unsent, total, err := s.ListMail(ctx, true, 10, 0)
		if err != nil || total != 1 || len(unsent) != 1 || unsent[0].ID != mb {
			t.Fatalf("unsent %+v, total %d (%v), want only %d", unsent, total, err, mb)
		}
	})
	t.Run("a failure counts an attempt and puts the mail off", func(t *testing.T) {
		next := clock.Now().Add(time.Hour)
		long := strings.Repeat("é", registry.MaxMailErrorLen) // twice the bytes allowed
		for i := 1; i <= 2; i++ {
			if err := s.MailFailed(ctx, mb, next, long); err != nil {
				t.Fatal(err)
			}
			got := MustListMail(t, s)[1]
			if got.Attempts != i || !got.NextAt.Equal(next.Truncate(time.Microsecond)) || len(got.LastError) != registry.MaxMailErrorLen {
				t.Fatalf("after failure %d: %+v", i, got)
			}
		}
		clock.Advance(Lease) // the lease is over, but not the delay
		if got := claim(t, 10); len(got) != 0 {
			t.Fatalf("claimed %v before its next attempt", got)
		}
		clock.Advance(time.Hour)
		if got := claim(t, 10); !slices.Equal(got, []int64{mb}) {
			t.Fatalf("claimed %v, want [%d]", got, mb)
		}
	})
	t.Run("an unknown mail is not found", func(t *testing.T) {
		wantCode(t, s.MailSent(ctx, 1<<40), registry.ENOTFOUND)
		wantCode(t, s.MailFailed(ctx, 1<<40, clock.Now(), "x"), registry.ENOTFOUND)
	})
	t.Run("a failure reported for a sent mail changes nothing", func(t *testing.T) {
		if err := s.MailFailed(ctx, ma, clock.Now().Add(time.Hour), "late"); err != nil {
			t.Fatal(err)
		}
		if got := MustListMail(t, s)[0]; got.Attempts != 0 || got.LastError != "" {
			t.Fatalf("sent mail after a late failure: %+v", got)
		}
	})
	t.Run("ListMail pages newest first", func(t *testing.T) {
		page, total, err := s.ListMail(ctx, false, 1, 1)
		if err != nil || total != 2 || len(page) != 1 || page[0].ID != ma {
			t.Fatalf("page %+v, total %d (%v)", page, total, err)
		}
	})
}

// testConcurrentClaims has several senders claim at once, again and
// again: no mail is ever handed to two of them, and every mail to one.
func testConcurrentClaims(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	const mails, senders = 40, 4
	for i := range mails {
		MustCreate(t, s, Application("Company "+string(rune('A'+i%26))+string(rune('a'+i/26)), i))
	}
	var (
		mu    sync.Mutex
		taken = map[int64]int{}
		wg    sync.WaitGroup
		errs  = make(chan error, senders)
	)
	for range senders {
		wg.Go(func() {
			for range mails {
				claimed, err := s.ClaimMail(ctx, clock.Now(), Lease, 3)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				for _, ml := range claimed {
					taken[ml.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(taken) != mails {
		t.Fatalf("%d mails claimed, want %d", len(taken), mails)
	}
	for id, n := range taken {
		if n != 1 {
			t.Fatalf("mail %d claimed %d times", id, n)
		}
	}
}

// FailInserts makes every insert into table fail until the returned func
// is called, as a database failing halfway through a transaction would.
type FailInserts func(t *testing.T, table string) (restore func())

// OutboxAtomic checks that a mail commits or rolls back with the change
// that sends it, whichever of the two fails: a join or a decision whose
// mail cannot be written is not made, and a decision that fails after its
// mail was written leaves no mail. The stores run it with their own way of
// making inserts fail.
func OutboxAtomic(t *testing.T, s registry.Store, fail FailInserts) {
	ctx := context.Background()
	pending := MustCreate(t, s, Application("Pending", 1))
	count := func(t *testing.T) (members, mails, audit int) {
		t.Helper()
		_, members, err := s.ListMembers(ctx, registry.MemberFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		entries, err := s.ListAudit(ctx, registry.AuditFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return members, len(MustListMail(t, s)), len(entries)
	}
	unchanged := func(t *testing.T, call func() error) {
		t.Helper()
		members, mails, audit := count(t)
		if err := call(); err == nil {
			t.Fatal("the call succeeded despite the failure")
		}
		if m2, ml2, a2 := count(t); m2 != members || ml2 != mails || a2 != audit {
			t.Fatalf("members %d → %d, mails %d → %d, audit %d → %d", members, m2, mails, ml2, audit, a2)
		}
		if m, err := s.FindMember(ctx, pending.ID); err != nil || m.Status != registry.StatusPending {
			t.Fatalf("member after the failure: %+v (%v)", m, err)
		}
	}
	approve := func() error {
		_, err := s.Decide(ctx, registry.Decision{MemberID: pending.ID, Action: registry.ActionApprove, Actor: "staff"})
		return err
	}
	t.Run("no mail written, no join and no decision", func(t *testing.T) {
		restore := fail(t, "outbox")
		defer restore()
		unchanged(t, func() error {
			m, _ := Application("Joiner", 2).Validate()
			return s.CreateMember(ctx, m)
		})
		unchanged(t, approve)
	})
	t.Run("a decision that fails after its mail leaves no mail", func(t *testing.T) {
		restore := fail(t, "audit") // written after the mail
		defer restore()
		unchanged(t, approve)
	})
	t.Run("once the database recovers, both are written", func(t *testing.T) {
		MustDecide(t, s, pending.ID, registry.ActionApprove, "")
		wantKinds(t, s, pending.ID, registry.MailReceipt, registry.MailApproval)
	})
}
