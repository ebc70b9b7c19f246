// Package storetest is the conformance suite every registry.Store passes:
// the SQLite and PostgreSQL stores run the same tests against real databases.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// Factory opens a new, empty store that reads the time from now.
type Factory func(t *testing.T, now func() time.Time) registry.Store

// Clock is a fixed clock that tests move by hand.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at 25 November 2026, 14:30 UTC.
func NewClock() *Clock { return &Clock{t: time.Date(2026, 11, 25, 14, 30, 0, 123456000, time.UTC)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Run runs the whole suite against stores made by newStore.
func Run(t *testing.T, newStore Factory) {
	tests := []struct {
		name string
		fn   func(*testing.T, Factory)
	}{
		{"CreateMember", testCreateMember},
		{"WebsiteConflict", testWebsiteConflict},
		{"Decide", testDecide},
		{"DecideErrors", testDecideErrors},
		{"RepeatedDecisions", testRepeatedDecisions},
		{"UndoDecisions", testUndoDecisions},
		{"EditMember", testEditMember},
		{"EraseMember", testEraseMember},
		{"EraseByStatus", testEraseByStatus},
		{"EraseAuditReasons", testEraseAuditReasons},
		{"EraseExpiredContacts", testEraseExpiredContacts},
		{"EraseUnconfirmedContacts", testEraseUnconfirmedContacts},
		{"AuditFilters", testAuditFilters},
		{"SlugClash", testSlugClash},
		{"SlugSuffixes", testSlugSuffixes},
		{"ListMembers", testListMembers},
		{"SearchMembers", testSearchMembers},
		{"ListedKeysetPaging", testListedKeyset},
		{"NewestListed", testNewestListed},
		{"Stats", testStats},
		{"ApprovalCounts", testApprovalCounts},
		{"Import", testImport},
		{"ImportConflictWritesNothing", testImportConflict},
		{"ImportLetsJoinsThrough", testImportLetsJoinsThrough},
		{"ImportLateConflictWritesNothing", testImportLateConflict},
		{"ConcurrentJoinsAndApprovals", testConcurrent},
		{"Embeds", testEmbeds},
		{"EmbedsBounded", testEmbedsBounded},
		{"Events", testEvents},
		{"RecordScans", testRecordScans},
		{"EditEvent", testEditEvent},
		{"ArchiveEvent", testArchiveEvent},
		{"IDNAWebsites", testIDNAWebsites},
		{"NameTaken", testNameTaken},
		{"SimilarMembers", testSimilarMembers},
		{"Staff", testStaff},
		{"StaffLinks", testStaffLinks},
		{"Sessions", testSessions},
		{"DisableStaff", testDisableStaff},
		{"OutboxDecisions", testOutboxDecisions},
		{"ClaimMail", testClaimMail},
		{"ConcurrentClaims", testConcurrentClaims},
		{"ConfirmContact", testConfirmContact},
		{"FindConfirmLink", testFindConfirmLink},
		{"SignInLinks", testSignInLinks},
		{"MemberRecords", testMemberRecords},
		{"MemberSessions", testMemberSessions},
		{"MailCap", testMailCap},
		{"MemberRequests", testMemberRequests},
		{"DecideRequests", testDecideRequests},
		{"Ready", testReady},
		{"ClosedStoreIsUnavailable", testUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore) })
	}
}

// Application returns a valid application whose website is unique to n.
func Application(name string, n int) registry.Application {
	yes := true
	return registry.Application{
		Name:          name,
		Website:       fmt.Sprintf("https://www.company-%d.example/", n),
		ContactName:   "Marie Tremblay",
		ContactEmail:  fmt.Sprintf("marie@company-%d.example", n),
		Region:        "Montréal",
		ConsentPublic: &yes,
	}
}

// MustCreate validates and saves an application, failing the test on error.
func MustCreate(tb testing.TB, s registry.Store, a registry.Application) *registry.Member {
	tb.Helper()
	m, err := a.Validate()
	if err != nil {
		tb.Fatalf("validate %+v: %v", a, err)
	}
	if err := s.CreateMember(context.Background(), m); err != nil {
		tb.Fatalf("create %q: %v", a.Name, err)
	}
	return m
}

// MustDecide applies a decision, failing the test on error.
func MustDecide(tb testing.TB, s registry.Store, id int64, a registry.Action, reason string) *registry.Member {
	tb.Helper()
	m, err := s.Decide(context.Background(), registry.Decision{MemberID: id, Action: a, Actor: "staff@test", Reason: reason})
	if err != nil {
		tb.Fatalf("%s %d: %v", a, id, err)
	}
	return m
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := registry.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

// wantConflict checks err is ECONFLICT for that reason.
func wantConflict(t *testing.T, err error, reason string) {
	t.Helper()
	wantCode(t, err, registry.ECONFLICT)
	wantReason(t, err, reason)
}
