package registry

import (
	"time"
	"unicode/utf8"
)

// MailKind is which message the outbox holds for a member.
type MailKind string

// The messages a member is sent. Each is caused by one change to the
// member, and written in the same transaction as that change.
const (
	MailReceipt    MailKind = "receipt"    // the request arrived (CreateMember)
	MailApproval   MailKind = "approval"   // ActionApprove
	MailRejection  MailKind = "rejection"  // ActionReject, with the reason
	MailRevocation MailKind = "revocation" // ActionRevoke, with the reason
	MailSignIn     MailKind = "signin"     // a member asked for a link to its area
	// Staff decided a member's request (DecideRequest). An approved
	// deletion sends nothing: the contact goes with it.
	MailChangeApproved  MailKind = "change_approved"
	MailChangeRefused   MailKind = "change_refused"   // with the reason
	MailDeletionRefused MailKind = "deletion_refused" // with the reason
)

// MailCap is how many mails of a kind anyone can cause (a receipt: any
// join; a sign-in link: any visitor's request) one address may be sent in
// MailCapWindow. Past it the store writes no more of them: the request is
// still taken (a join reaches the queue, unconfirmed), but a form anyone
// can fill cannot make the service fill someone's mailbox, whatever the
// number of clients sending it. Staff's decisions are never capped.
var MailCap = map[MailKind]int{MailReceipt: 3, MailSignIn: 10}

// MailCapWindow is the span MailCap counts over.
const MailCapWindow = 24 * time.Hour

// ErrMailCapped is a sign-in link refused because its address was sent
// MailCap of them lately.
var ErrMailCapped = &Error{Code: ECONFLICT, Reason: "mail_capped"}

// DefaultLang is the language of a member that joined before members kept
// theirs, and of one created without a language (an import).
const DefaultLang = "fr"

// MaxMailErrorLen bounds the last error kept on an outbox row, in bytes.
const MaxMailErrorLen = 500

// Mail is one message in the durable outbox. Only what the member's change
// decided is kept: the text is composed when the message is sent, from the
// member as it is then, so an approval carries the slug the same
// transaction gave it.
type Mail struct {
	ID       int64
	MemberID int64
	Kind     MailKind
	To       string // the member's contact e-mail when the mail was written
	Lang     string // the language the member joined in
	Reason   string // the decision's reason (rejection, revocation)
	// Link is the token of the link the mail carries (receipt: confirm the
	// address; signin: open the area), until the mail is sent: the store
	// keeps the link itself only by the token's hash, and empties Link once
	// the mail is out.
	Link string
	// CreatedAt is when the change that caused the mail was made. NextAt is
	// when a sender may take it next: a sender that claims it moves NextAt
	// past its lease, so another instance leaves it alone meanwhile.
	CreatedAt, NextAt time.Time
	SentAt            time.Time // zero until sent
	Attempts          int       // failed sends so far
	LastError         string
}

// mailFor says which message each decision sends: a decision that takes
// something away says so, and why; undoing a decision, editing, importing
// and erasing send nothing.
var mailFor = map[Action]MailKind{
	ActionApprove: MailApproval,
	ActionReject:  MailRejection,
	ActionRevoke:  MailRevocation,
}

// DecisionMail returns the mail a decision about m sends, once the decision
// is applied to m, and false when it sends none: for that action, or
// because m has no contact e-mail to write to.
func DecisionMail(d Decision, m *Member, now time.Time) (Mail, bool) {
	kind, ok := mailFor[d.Action]
	if !ok {
		return Mail{}, false
	}
	return newMail(m, kind, d.Reason, now)
}

// JoinMail returns the receipt a new member is sent, carrying the token of
// its confirmation link, and false when it has no contact e-mail.
func JoinMail(m *Member, token string, now time.Time) (Mail, bool) {
	ml, ok := newMail(m, MailReceipt, "", now)
	ml.Link = token
	return ml, ok
}

// RequestMail returns the mail telling a member what staff decided about
// its request, once the decision is applied to r and m, and false when it
// sends none (an approved deletion, or no contact left).
func RequestMail(r *MemberRequest, m *Member, now time.Time) (Mail, bool) {
	var kind MailKind
	switch {
	case r.Kind == RequestChange && r.Decision == RequestApproved:
		kind = MailChangeApproved
	case r.Kind == RequestChange && r.Decision == RequestRefused:
		kind = MailChangeRefused
	case r.Kind == RequestDeletion && r.Decision == RequestRefused:
		kind = MailDeletionRefused
	default:
		return Mail{}, false
	}
	return newMail(m, kind, r.Reason, now)
}

// SignInMail returns the mail carrying a sign-in link to a member's area,
// and false when it has no contact e-mail.
func SignInMail(m *Member, token string, now time.Time) (Mail, bool) {
	ml, ok := newMail(m, MailSignIn, "", now)
	ml.Link = token
	return ml, ok
}

func newMail(m *Member, kind MailKind, reason string, now time.Time) (Mail, bool) {
	if m.ContactEmail == "" {
		return Mail{}, false
	}
	lang := m.Lang
	if lang == "" {
		lang = DefaultLang
	}
	return Mail{MemberID: m.ID, Kind: kind, To: m.ContactEmail, Lang: lang, Reason: reason,
		CreatedAt: now, NextAt: now}, true
}

// MailError is the error kept on an outbox row: reason cut to
// MaxMailErrorLen bytes, on a character boundary.
func MailError(reason string) string {
	if len(reason) <= MaxMailErrorLen {
		return reason
	}
	cut := MaxMailErrorLen
	for cut > 0 && !utf8.RuneStart(reason[cut]) {
		cut--
	}
	return reason[:cut]
}
