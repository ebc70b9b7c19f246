package registry

import "context"

// MaxMemberMail bounds the mails MemberMail returns: a member is sent a
// handful (a receipt, a decision, its sign-in links), and a runaway count
// must not make one export unbounded.
const MaxMemberMail = 1000

// MemberRecords is the part of the Store that gathers what is kept about
// one member for its export (the member area's « mes données »).
type MemberRecords interface {
	// MemberMail returns the outbox's mails to a member, oldest first, at
	// most MaxMemberMail.
	MemberMail(ctx context.Context, memberID int64) ([]Mail, error)
	// CountMemberSessions counts a member's sessions still stored (live
	// or not yet swept).
	CountMemberSessions(ctx context.Context, memberID int64) (int, error)
}
