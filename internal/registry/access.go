package registry

import (
	"context"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"
)

// LinkPurpose is what a link mailed to a member's contact does.
type LinkPurpose string

// The links a contact is mailed. Each is kept only by the hash of its
// token.
const (
	// LinkConfirm confirms the contact's address; its receipt carries it.
	// Following it again, or after the address is confirmed, is no error.
	LinkConfirm LinkPurpose = "confirm"
	// LinkSignIn opens the member area, once.
	LinkSignIn LinkPurpose = "signin"
)

// How long each link and a member's session last.
const (
	// ConfirmLinkTTL is long: a receipt may sit in a mailbox for days,
	// and the address is worth confirming whenever it is read.
	ConfirmLinkTTL = 30 * 24 * time.Hour
	SignInLinkTTL  = 30 * time.Minute
	// MemberSessionIdle ends a member's session unused that long, and
	// MemberSessionMax any session that old: a shared computer forgets.
	MemberSessionIdle = 2 * time.Hour
	MemberSessionMax  = 12 * time.Hour
)

// MemberSession is a member signed in to its area.
type MemberSession struct {
	// TokenHash is the hex SHA-256 of the cookie's token; the token itself
	// is never stored.
	TokenHash string
	MemberID  int64
	// CSRF is the session's token for forms, stored as is: without the
	// cookie it is worth nothing.
	CSRF                string
	CreatedAt, LastSeen time.Time
}

// RequestKind is what a member asks of staff from its area.
type RequestKind string

// The requests a member makes. Staff decide each in the console.
const (
	// RequestChange asks for a new name or website: a name is what the
	// badge vouches for, so staff look at it first.
	RequestChange RequestKind = "change"
	// RequestDeletion asks for the member's data to be erased.
	RequestDeletion RequestKind = "deletion"
)

// The decisions on a member's request.
const (
	RequestApproved = "approved"
	RequestRefused  = "refused"
)

// MemberRequest is a member's request to staff. A change carries the new
// name and website (either may be the current one).
type MemberRequest struct {
	ID        int64
	MemberID  int64
	Kind      RequestKind
	Name      string
	Website   string
	CreatedAt time.Time
	// Decision is "" while the request is open, then RequestApproved or
	// RequestRefused, by Actor at DecidedAt, with Reason.
	Decision  string
	DecidedAt time.Time
	Actor     string
	Reason    string
}

// Open reports whether staff have yet to decide the request.
func (r *MemberRequest) Open() bool { return r.Decision == "" }

// MemberActor is how the audit log names a member acting from its area:
// its contact, and where it acted from.
func MemberActor(m *Member) string {
	who := m.ContactName
	if who == "" {
		who = m.Name
	}
	return who + " (espace membre)"
}

// DomainMatch reports whether an e-mail address is of the same registrable
// domain as a website (acme.ca for jo@mail.acme.ca and https://www.acme.ca):
// a company's own address is a sign the request is the company's. Free
// mail providers never match, having no website of the member's.
func DomainMatch(email, website string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	// HostKey puts both in the same form: lower case, Punycode, no www.
	a, errA := publicsuffix.EffectiveTLDPlusOne(HostKey("http://" + email[at+1:]))
	b, errB := publicsuffix.EffectiveTLDPlusOne(HostKey(website))
	return errA == nil && errB == nil && a == b
}

// MemberAccess is the part of the Store that lets members in: the links
// mailed to their contact, their sessions, and their requests to staff.
// EraseMember ends a member's sessions and deletes its links, with its
// contact.
type MemberAccess interface {
	// ConfirmContact confirms the contact of the member whose LinkConfirm
	// link has that token hash, and returns the member. Confirming again is
	// no error: the first time stays. ENOTFOUND when the link is unknown
	// or expired, or its member's contact is erased.
	ConfirmContact(ctx context.Context, tokenHash string) (*Member, error)
	// FindConfirmLink returns the member whose LinkConfirm link has that
	// token hash, changing nothing: ENOTFOUND exactly when ConfirmContact
	// would be.
	FindConfirmLink(ctx context.Context, tokenHash string) (*Member, error)
	// FindMembersByContact returns the approved members whose contact
	// e-mail is email, in any case.
	FindMembersByContact(ctx context.Context, email string) ([]*Member, error)
	// CreateSignInLink saves a LinkSignIn link for an approved member by
	// its token's hash, valid SignInLinkTTL, and puts the mail carrying it
	// (SignInMail) in the outbox, in one transaction. ENOTFOUND when the
	// member is not approved or has no contact; ErrMailCapped, writing
	// nothing, when its address was sent MailCap sign-in links lately.
	CreateSignInLink(ctx context.Context, memberID int64, token string) error
	// UseSignInLink spends a sign-in link and returns its member's ID. It is
	// single use: it is deleted. ENOTFOUND when it is unknown, used,
	// expired by the store's clock, or its member is no longer approved.
	UseSignInLink(ctx context.Context, tokenHash string) (int64, error)
	// CreateMemberSession saves a new session and sets its times; ENOTFOUND
	// when the member is not approved.
	CreateMemberSession(ctx context.Context, s *MemberSession) error
	// TouchMemberSession returns the live session with that token hash and
	// records that it is in use now. ENOTFOUND when there is none, when it
	// has been idle longer than MemberSessionIdle or lived longer than
	// MemberSessionMax (it is then deleted), or its member is no longer
	// approved.
	TouchMemberSession(ctx context.Context, tokenHash string) (*MemberSession, error)
	// DeleteMemberSession ends a session (signing out); twice is no error.
	DeleteMemberSession(ctx context.Context, tokenHash string) error
	// CreateRequest saves a member's request and sets its ID and time.
	// ECONFLICT "request_open" when the member has an open request of
	// that kind already; ENOTFOUND when the member is not approved.
	CreateRequest(ctx context.Context, r *MemberRequest) error
	// ListRequests returns a member's requests (memberID > 0), or every
	// open request (memberID 0), oldest first.
	ListRequests(ctx context.Context, memberID int64) ([]*MemberRequest, error)
	// FindRequest returns a request by its ID; ENOTFOUND when there is none.
	FindRequest(ctx context.Context, id int64) (*MemberRequest, error)
	// DecideRequest records staff's decision on an open request and, when
	// approved, does what it asks, in one transaction: a change is applied
	// as EditMember applies it (same rules, conflicts and audit entry), a
	// deletion erases the public record and contact as EraseMember does.
	// It returns the request and its member as they are then. ECONFLICT
	// "request_decided" when the request is decided already, and as
	// MemberRequest.Decide says; ENOTFOUND when there is no such request.
	DecideRequest(ctx context.Context, id int64, approve bool, actor, reason string) (*MemberRequest, *Member, error)
}
