package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// mustRequest saves a member's request, failing the test on error.
func mustRequest(t *testing.T, s registry.Store, memberID int64, kind registry.RequestKind, name, website string) *registry.MemberRequest {
	t.Helper()
	r := &registry.MemberRequest{MemberID: memberID, Kind: kind, Name: name, Website: website}
	if err := s.CreateRequest(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r
}

// requestNow is a request as the store holds it now.
func requestNow(t *testing.T, s registry.Store, r *registry.MemberRequest) *registry.MemberRequest {
	t.Helper()
	rs, err := s.ListRequests(context.Background(), r.MemberID)
	if err != nil {
		t.Fatal(err)
	}
	found, err := s.FindRequest(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range rs {
		if got.ID == r.ID {
			if *got != *found {
				t.Fatalf("request %d listed %+v, found %+v", r.ID, got, found)
			}
			return got
		}
	}
	t.Fatalf("request %d is not among its member's", r.ID)
	return nil
}

// auditCount is how many entries of that action a member has.
func auditCount(t *testing.T, s registry.Store, memberID int64, a registry.Action) int {
	t.Helper()
	es, err := s.ListAudit(context.Background(), registry.AuditFilter{MemberID: memberID, Action: a, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// testDecideRequests decides members' requests: an approved change edits
// the record as EditMember does, an approved deletion erases it as
// EraseMember does, a refusal changes nothing but the request; each
// decision taken twice is ECONFLICT "request_decided" the second time,
// and leaves the member as the first left it.
func testDecideRequests(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	decided := func(t *testing.T, r *registry.MemberRequest, decision, reason string) {
		t.Helper()
		got := requestNow(t, s, r)
		if got.Decision != decision || got.Actor != "julie@test" || got.Reason != reason || !got.DecidedAt.Equal(clock.Now().Truncate(time.Microsecond)) || got.Open() {
			t.Fatalf("request after the decision: %+v", got)
		}
		if open, _ := s.ListRequests(ctx, 0); len(open) != 0 && open[0].ID == r.ID {
			t.Fatalf("a decided request is listed as open: %+v", open)
		}
	}

	t.Run("approve a change", func(t *testing.T) {
		m := approvedMember(t, s, "Acme", 1)
		r := mustRequest(t, s, m.ID, registry.RequestChange, " Acme Québec ", "https://acme-quebec.example")
		clock.Advance(time.Minute)
		for i := range 2 {
			gotR, gotM, err := s.DecideRequest(ctx, r.ID, true, "julie@test", "")
			if i == 1 {
				wantConflict(t, err, "request_decided")
				break
			}
			if err != nil || gotR.Decision != registry.RequestApproved || gotM.Name != "Acme Québec" || gotM.Website != "https://acme-quebec.example" ||
				gotM.Slug != m.Slug || gotM.Version != m.Version+1 {
				t.Fatalf("approve: %+v %+v %v", gotR, gotM, err)
			}
		}
		found, _ := s.FindMember(ctx, m.ID)
		if found.Name != "Acme Québec" || found.Website != "https://acme-quebec.example" || found.Slug != m.Slug || found.Version != m.Version+1 {
			t.Fatalf("member after the change: %+v", found)
		}
		decided(t, r, registry.RequestApproved, "")
		// The member hears of it once, in the decision's transaction.
		wantKinds(t, s, m.ID, registry.MailReceipt, registry.MailApproval, registry.MailChangeApproved)
		es, _ := s.ListAudit(ctx, registry.AuditFilter{MemberID: m.ID, Action: registry.ActionEdit, Limit: 10})
		if len(es) != 1 || es[0].Actor != "julie@test" || es[0].Reason != "name: Acme → Acme Québec; website: https://www.company-1.example/ → https://acme-quebec.example" {
			t.Fatalf("audit of the change: %+v", es)
		}
		if ms, _, _ := s.ListMembers(ctx, registry.MemberFilter{Query: "acme quebec", Limit: 10}); len(ms) != 1 {
			t.Fatalf("the new name is not searched: %+v", ms)
		}
		// The member may ask again once the change is decided.
		mustRequest(t, s, m.ID, registry.RequestChange, "Acme Québec inc.", "https://acme-quebec.example")
	})

	t.Run("refuse", func(t *testing.T) {
		m := approvedMember(t, s, "Globex", 2)
		r := mustRequest(t, s, m.ID, registry.RequestChange, "Globex Canada", "https://globex.example")
		clock.Advance(time.Minute)
		_, _, err := s.DecideRequest(ctx, r.ID, false, "julie@test", "  ")
		wantCode(t, err, registry.EINVALID)
		if got := requestNow(t, s, r); !got.Open() {
			t.Fatalf("a refusal without a reason decided: %+v", got)
		}
		for i := range 2 {
			gotR, gotM, err := s.DecideRequest(ctx, r.ID, false, "julie@test", " Nom d’une autre entreprise ")
			if i == 1 {
				wantConflict(t, err, "request_decided")
				break
			}
			if err != nil || gotR.Decision != registry.RequestRefused || gotR.Reason != "Nom d’une autre entreprise" || gotM.Name != "Globex" {
				t.Fatalf("refuse: %+v %+v %v", gotR, gotM, err)
			}
		}
		if _, _, err := s.DecideRequest(ctx, r.ID, true, "julie@test", ""); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("approving a refused request: %v", err)
		}
		decided(t, r, registry.RequestRefused, "Nom d’une autre entreprise")
		wantKinds(t, s, m.ID, registry.MailReceipt, registry.MailApproval, registry.MailChangeRefused)
		if ml, _ := lastLink(t, s, m.ID, registry.MailChangeRefused); ml.Reason != "Nom d’une autre entreprise" {
			t.Fatalf("the refusal's mail gives the reason %q", ml.Reason)
		}
		if found, _ := s.FindMember(ctx, m.ID); found.Name != "Globex" || found.Website != m.Website || found.Version != m.Version {
			t.Fatalf("a refusal changed the member: %+v", found)
		}
		if n := auditCount(t, s, m.ID, registry.ActionEdit); n != 0 {
			t.Fatalf("a refusal wrote %d edits", n)
		}
	})

	t.Run("approve a deletion", func(t *testing.T) {
		m := approvedMember(t, s, "Initech", 3)
		change := mustRequest(t, s, m.ID, registry.RequestChange, "Initech Québec", "https://initech.example")
		r := mustRequest(t, s, m.ID, registry.RequestDeletion, "", "")
		clock.Advance(time.Minute)
		for i := range 2 {
			gotR, gotM, err := s.DecideRequest(ctx, r.ID, true, "julie@test", "")
			if i == 1 {
				wantConflict(t, err, "request_decided")
				break
			}
			if err != nil || gotR.Decision != registry.RequestApproved || !gotM.Tombstone() || gotM.ContactEmail != "" || gotM.Status != registry.StatusRevoked {
				t.Fatalf("approve: %+v %+v %v", gotR, gotM, err)
			}
		}
		decided(t, r, registry.RequestApproved, "")
		wantKinds(t, s, m.ID) // the contact went with the rest: no address to write to
		found, _ := s.FindMember(ctx, m.ID)
		if !found.Tombstone() || found.ContactEmail != "" || found.Slug != "" || found.Reason != "erase" {
			t.Fatalf("member after the deletion: %+v", found)
		}
		_, err := s.FindMemberBySlug(ctx, m.Slug)
		wantCode(t, err, registry.ENOTFOUND)
		es, _ := s.ListAudit(ctx, registry.AuditFilter{MemberID: m.ID, Action: registry.ActionErase, Limit: 10})
		if len(es) != 1 || es[0].Actor != "julie@test" || es[0].Reason != "public" {
			t.Fatalf("audit of the deletion: %+v", es)
		}
		if got := requestNow(t, s, change); got.Name != "" || got.Website != "" || !got.Open() {
			t.Fatalf("the change asked before the deletion: %+v", got)
		}
		for range 2 { // nothing left to change: the change is refused, not approved
			_, _, err = s.DecideRequest(ctx, change.ID, true, "julie@test", "")
			wantConflict(t, err, "erased")
		}
		if _, _, err := s.DecideRequest(ctx, change.ID, false, "julie@test", "Membre effacé"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("conflicts leave the request open", func(t *testing.T) {
		m := approvedMember(t, s, "Umbrella", 4)
		taken := approvedMember(t, s, "Hooli", 5)
		byName := mustRequest(t, s, m.ID, registry.RequestChange, "HOOLI", m.Website)
		for range 2 {
			_, _, err := s.DecideRequest(ctx, byName.ID, true, "julie@test", "")
			wantConflict(t, err, registry.RuleNameTaken)
		}
		if _, _, err := s.DecideRequest(ctx, byName.ID, false, "julie@test", "Nom pris"); err != nil {
			t.Fatal(err)
		}
		bySite := mustRequest(t, s, m.ID, registry.RequestChange, "Umbrella", taken.Website)
		for range 2 {
			_, _, err := s.DecideRequest(ctx, bySite.ID, true, "julie@test", "")
			wantConflict(t, err, registry.RuleTaken)
		}
		if got := requestNow(t, s, bySite); !got.Open() {
			t.Fatalf("a conflict decided the request: %+v", got)
		}
		invalid := mustRequest(t, s, taken.ID, registry.RequestChange, "Hooli", "pas un site")
		_, _, err := s.DecideRequest(ctx, invalid.ID, true, "julie@test", "")
		wantCode(t, err, registry.EINVALID)
		if found, _ := s.FindMember(ctx, m.ID); found.Name != "Umbrella" || found.Website != m.Website || found.Version != m.Version {
			t.Fatalf("a conflict changed the member: %+v", found)
		}
		if n := auditCount(t, s, m.ID, registry.ActionEdit); n != 0 {
			t.Fatalf("a conflict wrote %d edits", n)
		}
		_, _, err = s.DecideRequest(ctx, 999999, true, "julie@test", "")
		wantCode(t, err, registry.ENOTFOUND)
		_, err = s.FindRequest(ctx, 999999)
		wantCode(t, err, registry.ENOTFOUND)
	})

	t.Run("revoked meanwhile", func(t *testing.T) {
		m := approvedMember(t, s, "Stark", 6)
		change := mustRequest(t, s, m.ID, registry.RequestChange, "Stark Québec", m.Website)
		del := mustRequest(t, s, m.ID, registry.RequestDeletion, "", "")
		MustDecide(t, s, m.ID, registry.ActionRevoke, "fermée")
		for range 2 {
			_, _, err := s.DecideRequest(ctx, change.ID, true, "julie@test", "")
			wantConflict(t, err, "status_revoked")
		}
		if found, _ := s.FindMember(ctx, m.ID); found.Name != "Stark" {
			t.Fatalf("a revoked member's name changed: %+v", found)
		}
		clock.Advance(time.Minute)
		for i := range 2 {
			_, gotM, err := s.DecideRequest(ctx, del.ID, true, "julie@test", "")
			if i == 1 {
				wantConflict(t, err, "request_decided")
				break
			}
			if err != nil || !gotM.Tombstone() {
				t.Fatalf("deletion of a revoked member: %+v %v", gotM, err)
			}
		}
		decided(t, del, registry.RequestApproved, "")
		if n := auditCount(t, s, m.ID, registry.ActionErase); n != 1 {
			t.Fatalf("%d erase entries", n)
		}
	})

	t.Run("erased meanwhile", func(t *testing.T) {
		m := approvedMember(t, s, "Wayne", 7)
		del := mustRequest(t, s, m.ID, registry.RequestDeletion, "", "")
		if _, err := s.EraseMember(ctx, m.ID, true, "dpo@test"); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		for i := range 2 { // the wish is met already: approved, nothing more erased
			_, gotM, err := s.DecideRequest(ctx, del.ID, true, "julie@test", "")
			if i == 1 {
				wantConflict(t, err, "request_decided")
				break
			}
			if err != nil || !gotM.Tombstone() {
				t.Fatalf("deletion of an erased member: %+v %v", gotM, err)
			}
		}
		decided(t, del, registry.RequestApproved, "")
		if n := auditCount(t, s, m.ID, registry.ActionErase); n != 1 {
			t.Fatalf("%d erase entries, want the staff's one only", n)
		}
	})
}
