// Package registry is the domain of technopolys: members of the movement, the
// decisions staff take about them, and the Store that keeps them. It depends on
// the standard library and, for what makes two websites or names the same,
// on Unicode tables (golang.org/x/net/idna, golang.org/x/text,
// github.com/mtibben/confusables) and, for import files Excel saved, on the
// Windows-1252 code page (golang.org/x/text/encoding/charmap); stores, the web
// layer and renderers depend on it.
package registry

import (
	"context"
	"strings"
	"time"
)

// Status is where a member stands in the approval process.
type Status string

// The statuses a member moves through. A member starts pending; staff approve
// or reject it; an approved member can later be revoked.
const (
	StatusPending  Status = "pending"
	StatusApproved Status = "approved"
	StatusRejected Status = "rejected"
	StatusRevoked  Status = "revoked"
)

// ParseStatus returns the status named s, or false when s names none.
func ParseStatus(s string) (Status, bool) {
	switch st := Status(s); st {
	case StatusPending, StatusApproved, StatusRejected, StatusRevoked:
		return st, true
	}
	return "", false
}

// Member is a company that asked to join the movement. ContactName and
// ContactEmail are private: no public route may show them.
type Member struct {
	ID            int64
	Slug          string // assigned at approval; empty before, and once the public record is erased
	Name          string
	Website       string
	ContactName   string
	ContactEmail  string
	Region        Region
	ConsentPublic bool
	Status        Status
	Event         string // code of the event that brought the member, if any
	Reason        string // why it was last rejected or revoked
	// Lang is the language the member joined in ("fr" or "en"), which its
	// mail is written in; DefaultLang when it came another way.
	Lang string
	// Version grows by one at every change, so caches keyed by it go stale
	// the moment the member does.
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ApprovedAt time.Time // zero until approved
	RejectedAt time.Time // zero unless rejected
	RevokedAt  time.Time // zero unless revoked
	// ContactConfirmedAt is when the contact followed the confirmation link
	// of its receipt; zero until then, and for members that came another
	// way (an import).
	ContactConfirmedAt time.Time
	// ErasedAt is when the member's personal data was last erased
	// (EraseMember); zero if never. Its contact is empty from then on, and
	// its public record too when Tombstone says so.
	ErasedAt time.Time
}

// WebsiteHost is the key by which two applications are "the same website".
func (m *Member) WebsiteHost() string { return HostKey(m.Website) }

// Public reports whether the member may appear on public routes at all.
func (m *Member) Public() bool { return m.Status == StatusApproved }

// Action is a decision staff take about a member.
type Action string

// The staff actions recorded in the audit log.
const (
	ActionApprove Action = "approve"
	ActionReject  Action = "reject"
	ActionRevoke  Action = "revoke"
	ActionImport  Action = "import"
	// ActionReinstate gives a revoked member its membership back, with its
	// slug and its "member since" date: the badges on its pages work again.
	ActionReinstate Action = "reinstate"
	// ActionReconsider puts a rejected request back in the queue.
	ActionReconsider Action = "reconsider"
)

// transitions says, for each decision, which status it leads from and to.
var transitions = map[Action]struct{ from, to Status }{
	ActionApprove: {StatusPending, StatusApproved},
	ActionReject:  {StatusPending, StatusRejected},
	ActionRevoke:  {StatusApproved, StatusRevoked},
	// Reinstating and reconsidering undo a decision; the audit log keeps it.
	ActionReinstate:  {StatusRevoked, StatusApproved},
	ActionReconsider: {StatusRejected, StatusPending},
}

// Decisions are the actions staff take on one member, in the order a
// console offers them.
func Decisions() []Action {
	return []Action{ActionApprove, ActionReject, ActionRevoke, ActionReinstate, ActionReconsider}
}

// needsReason reports whether a decision must say why: those that take
// something away from a company.
func (a Action) needsReason() bool { return a == ActionReject || a == ActionRevoke }

// Decision is a staff action about one member: who took it and why.
type Decision struct {
	MemberID int64
	Action   Action
	Actor    string
	Reason   string
}

// Validate checks the decision is one staff can take, with the reason it needs.
func (d Decision) Validate() error {
	if _, ok := transitions[d.Action]; !ok {
		return &Error{Code: EINVALID, Reason: "unknown_action"}
	}
	if len([]rune(d.Reason)) > MaxReasonLen {
		return invalid("reason", RuleTooLong)
	}
	if strings.IndexFunc(d.Reason, func(r rune) bool { return r != '\n' && notPrintable(r) }) >= 0 {
		return invalid("reason", RuleControl) // lines are fine, NUL and invalid UTF-8 are not
	}
	if d.Action.needsReason() && d.Reason == "" {
		return invalid("reason", RuleRequired)
	}
	return nil
}

// Apply moves m to the status the decision leads to, stamping the time, or
// fails with ECONFLICT when m is not in the status the decision starts from.
// Stores call it inside their transaction so the rule lives in one place.
func (d Decision) Apply(m *Member, now time.Time) error {
	if m.Tombstone() { // its name and website are gone: nothing to decide about
		return errErased
	}
	t := transitions[d.Action]
	if m.Status != t.from {
		return &Error{Code: ECONFLICT, Reason: "status_" + string(m.Status)}
	}
	m.Status = t.to
	m.UpdatedAt = now
	m.Version++
	switch {
	case d.Action == ActionReinstate: // the membership goes on: same slug, same date
		m.RevokedAt, m.Reason = time.Time{}, ""
	case d.Action == ActionReconsider:
		m.RejectedAt, m.Reason = time.Time{}, ""
	case t.to == StatusApproved:
		m.ApprovedAt = now
		m.Reason = ""
	case t.to == StatusRejected:
		m.RejectedAt = now
		m.Reason = d.Reason
	case t.to == StatusRevoked:
		m.RevokedAt = now
		m.Reason = d.Reason
	}
	return nil
}

// AuditEntry records one staff action: who, what, when, why.
type AuditEntry struct {
	ID       int64
	At       time.Time
	Actor    string
	Action   Action
	MemberID int64
	Reason   string
}

// ImportRow is one validated line of an import file.
type ImportRow struct {
	Line   int
	Member *Member
}

// MemberFilter selects members for a listing.
type MemberFilter struct {
	Status Status // empty: any
	Region Region // empty: any
	// Query, trimmed, keeps the members whose name, website (its host) or
	// slug contains it, whatever the case and accents (SearchKey): "quebec"
	// finds "Québec inc.", "ACME" finds acme.ca. Empty: no search.
	Query string
	// Event keeps the members who came with that event's code; empty: any.
	Event string
	// Listed keeps only approved members who consented to a public listing,
	// ordered by slug; otherwise members come oldest first.
	Listed bool
	// After and Before page a Listed listing by slug (keyset paging): After
	// gives the Limit members whose slugs follow it, Before the Limit members
	// just before it, still in ascending order. Unlike Offset, the database
	// seeks to the page instead of reading every member before it, so the
	// last page of the directory costs what the first does. At most one of
	// them is set.
	After, Before string
	// Newest orders a Listed listing by approval, the newest first (the
	// wall of members), paged by Offset.
	Newest bool
	// NoTotal skips counting every member the filter selects; the total is
	// then -1. A directory that keeps Stats' listed counts needs no count.
	NoTotal bool
	Limit   int
	Offset  int
}

// Validate reports a filter no store can answer: keyset paging needs the
// slug order of a Listed listing, and goes one way at a time.
func (f MemberFilter) Validate() error {
	switch {
	case f.After != "" && f.Before != "":
		return &Error{Code: EINVALID, Reason: "after_and_before"}
	case (f.After != "" || f.Before != "") && !f.Listed:
		return &Error{Code: EINVALID, Reason: "keyset_needs_listed"}
	case f.Newest && (!f.Listed || f.After != "" || f.Before != ""):
		return &Error{Code: EINVALID, Reason: "newest_needs_listed"}
	case (f.After != "" || f.Before != "") && strings.TrimSpace(f.Query) != "":
		// A search reads every member anyway, and its pages are few: keyset
		// paging is for the directory, whose pages must not get slower.
		return &Error{Code: EINVALID, Reason: "keyset_with_query"}
	}
	return nil
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	MemberID int64  // zero: any
	Actor    string // who took the action: names containing it, whatever the case; empty: anyone
	Action   Action // empty: any
	// Since and Before bound when the action was taken (Since included);
	// zero: no bound.
	Since, Before time.Time
	Limit         int
	Offset        int
}

// Stats are the public counts: approved members in total and per region,
// and those of them listed in the public directory (approved members who
// consented to it), so the directory can show its totals without counting.
// Every region has an entry in both maps, zero included.
type Stats struct {
	Members        int
	ByRegion       map[Region]int
	Listed         int
	ListedByRegion map[Region]int
}

// TimeCount is how many of something happened in the hour (or other span)
// that begins at At.
type TimeCount struct {
	At    time.Time
	Count int
}

// Store keeps members, the audit log, and the staff who sign in. Every
// method that returns nil error has made its change durable. Errors are domain errors (*Error, *Invalid)
// or, for any failure of the database beneath (unreachable, failing, full,
// slower than the store's time bound), an *Error with code EUNAVAILABLE
// whose cause is the database's error.
type Store interface {
	// CreateMember saves a validated, pending member and sets its ID and
	// times, and puts its receipt (JoinMail, with a LinkConfirm link valid
	// ConfirmLinkTTL) in the outbox in the same transaction, unless its
	// address was sent MailCap receipts lately. It fails with ECONFLICT
	// when the same website (RuleTaken) or the same name (RuleNameTaken, by
	// NameKey) is pending or approved already.
	CreateMember(ctx context.Context, m *Member) error
	// SimilarMembers returns the other pending or approved members whose
	// names look like m's (same NameSkeleton), for Warnings.
	SimilarMembers(ctx context.Context, m *Member) ([]*Member, error)
	// FindMember returns the member with that ID, or ENOTFOUND.
	FindMember(ctx context.Context, id int64) (*Member, error)
	// FindMemberBySlug returns the member holding that slug, or ENOTFOUND.
	FindMemberBySlug(ctx context.Context, slug string) (*Member, error)
	// ListMembers returns one page of members and how many match in all
	// (whatever the page; -1 with NoTotal). EINVALID when the filter is not
	// valid.
	ListMembers(ctx context.Context, f MemberFilter) ([]*Member, int, error)
	// EditMember changes a member's name, website, region or consent
	// (MemberEdit) and records what changed in the audit log, in one
	// transaction; EINVALID for a bad value, ECONFLICT when the website or
	// name is another live member's.
	EditMember(ctx context.Context, id int64, e MemberEdit, actor string) (*Member, error)
	// Decide applies a staff decision and records it in the audit log, in one
	// transaction; approval gives the member its slug. The mail the
	// decision sends (DecisionMail) is put in the outbox in the same
	// transaction. A decision that leaves the member not approved ends its
	// sessions and spends its sign-in links, in the same transaction.
	Decide(ctx context.Context, d Decision) (*Member, error)
	// ImportMembers saves every row as an approved member, or none of them: a
	// conflict is reported with the row's line.
	ImportMembers(ctx context.Context, rows []ImportRow, actor string) ([]*Member, error)
	// EraseMember erases a member's personal data, in one transaction with
	// its audit entry (ActionErase, reason "contact" or "public"): its
	// contact, and with public its public record too (Member.Erase). With
	// public the slug goes: FindMemberBySlug no longer finds it, and
	// another company may be given it later. The reasons of the member's
	// earlier audit entries are emptied as Member.ErasedReason says, in the
	// same transaction. ECONFLICT "already_erased" when there is nothing
	// left to erase; ENOTFOUND for an unknown member.
	EraseMember(ctx context.Context, id int64, public bool, actor string) (*Member, error)
	// Stats counts approved members, and the listed ones among them.
	Stats(ctx context.Context) (Stats, error)
	// ApprovalCounts counts the members approved now by the hour, UTC, of
	// their approval, oldest hour first; hours without one are left out.
	// Whole hours, so a caller can gather them into days or weeks of any
	// time zone whose offset is whole hours (Québec's).
	ApprovalCounts(ctx context.Context) ([]TimeCount, error)
	// ListAudit returns audit entries, newest first.
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	// CreateEvent saves a validated event; ECONFLICT when its code is taken.
	CreateEvent(ctx context.Context, e *Event) error
	// FindEvent returns an event with its funnel, or ENOTFOUND.
	FindEvent(ctx context.Context, code string) (*Event, error)
	// ListEvents returns every event with its funnel, newest first,
	// archived ones included.
	ListEvents(ctx context.Context) ([]*Event, error)
	// EditEvent changes an event's names, date and place (NewEvent, checked
	// as when creating one; its Code is ignored: an event's code never
	// changes, it is printed on posters). EINVALID for a bad value,
	// ENOTFOUND for an unknown code.
	EditEvent(ctx context.Context, code string, e NewEvent) (*Event, error)
	// ArchiveEvent archives an event, or with archived false makes it active
	// again (Event.Archive); ECONFLICT when it is so already, ENOTFOUND for
	// an unknown code. Archived events still count scans and joins.
	ArchiveEvent(ctx context.Context, code string, archived bool) (*Event, error)
	// RecordScan counts one scan of an event's QR code durably, and reports
	// whether the event exists.
	RecordScan(ctx context.Context, code string) (bool, error)
	// RecordScans adds scan counts of several events, by code, in one
	// transaction, for a caller that counts scans in memory and writes them
	// every few seconds. Codes of events that do not exist are ignored.
	RecordScans(ctx context.Context, counts map[string]int) error
	// RecordEmbeds adds counts of badge requests per member and site. It
	// keeps at most MaxEmbedSites sites per member: counts of a site beyond
	// them are dropped, those with the most views in counts first kept.
	RecordEmbeds(ctx context.Context, counts []EmbedCount) error
	// ListEmbeds returns one page of the sites seen showing a member's
	// badge, most viewed first, and how many there are in all.
	ListEmbeds(ctx context.Context, memberID int64, limit, offset int) ([]Embed, int, error)
	// CreateStaff saves a validated staff account and sets its ID and
	// times; ECONFLICT (RuleEmailTaken) when an account has its e-mail, in
	// any case.
	CreateStaff(ctx context.Context, s *Staff) error
	// FindStaff returns the staff account with that ID, or ENOTFOUND.
	FindStaff(ctx context.Context, id int64) (*Staff, error)
	// FindStaffByEmail returns the staff account with that e-mail, in any
	// case, or ENOTFOUND.
	FindStaffByEmail(ctx context.Context, email string) (*Staff, error)
	// ListStaff returns every staff account, disabled ones included, by
	// e-mail.
	ListStaff(ctx context.Context) ([]*Staff, error)
	// SetStaffPassword replaces an account's password hash, bumps its
	// UpdatedAt and deletes all of its sessions, in one transaction, so
	// that whoever held the old password is signed out; ENOTFOUND when
	// there is no such account.
	SetStaffPassword(ctx context.Context, id int64, hash string) error
	// DisableStaff disables an account and deletes all of its sessions, in
	// one transaction, so whoever holds them is signed out at once.
	// Disabling a disabled account is no error; an unknown one is
	// ENOTFOUND.
	DisableStaff(ctx context.Context, id int64) error
	// CreateStaffLink saves a one-time "set your password" link for an
	// account, by the hash of its token, valid until expires; ENOTFOUND
	// when the account does not exist or is disabled.
	CreateStaffLink(ctx context.Context, staffID int64, tokenHash string, expires time.Time) error
	// UseStaffLink spends a link and returns whose it was. It is single
	// use: it is deleted. ENOTFOUND when it is unknown, used, expired by
	// the store's clock, or its account is disabled.
	UseStaffLink(ctx context.Context, tokenHash string) (staffID int64, err error)
	// CreateSession saves a new session and sets its times; ENOTFOUND when
	// its staff member (unless 0, break-glass) does not exist or is
	// disabled.
	CreateSession(ctx context.Context, s *Session) error
	// TouchSession returns the session with that token hash and records
	// that it is in use now. ENOTFOUND when there is none, when it has been
	// idle longer than idle (it is then deleted), or when its staff member
	// is disabled.
	TouchSession(ctx context.Context, tokenHash string, idle time.Duration) (*Session, error)
	// DeleteSession ends a session (signing out); ending it twice is no
	// error.
	DeleteSession(ctx context.Context, tokenHash string) error
	// ClaimMail takes up to limit unsent mails whose NextAt has come by
	// now, oldest first, and moves their NextAt to now+lease in the same
	// transaction: another sender (or this one, restarted) takes none of
	// them until the lease ends, and takes them again then if they were
	// neither sent nor failed meanwhile.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Mail, error)
	// MailSent records that a mail was sent; again is no error. ENOTFOUND
	// for an unknown mail.
	MailSent(ctx context.Context, id int64) error
	// MailFailed records a failed send: one more attempt, the reason
	// (MailError), and when to try again. ENOTFOUND for an unknown mail.
	MailFailed(ctx context.Context, id int64, next time.Time, reason string) error
	// ListMail returns one page of the outbox, newest first, unsent mails
	// only if unsentOnly, and how many there are in all.
	ListMail(ctx context.Context, unsentOnly bool, limit, offset int) ([]Mail, int, error)
	MemberAccess
	MemberRecords
	// Ping reports whether the store can be reached.
	Ping(ctx context.Context) error
	// Ready reports whether the store can write now, by making a small
	// real write: it fails where Ping succeeds on a database that answers
	// but cannot write (disk full, read-only).
	Ready(ctx context.Context) error
	// Close releases the store; pending writes are already durable.
	Close() error
}
