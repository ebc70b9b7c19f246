package registry

import (
	"strings"
	"time"
)

// errRequestDecided is deciding a request staff have decided already: a
// second click, or another staff member first.
var errRequestDecided = &Error{Code: ECONFLICT, Reason: "request_decided"}

// Edit is the edit a change request asks for: its name and website, the
// rest of the record as it is.
func (r *MemberRequest) Edit() MemberEdit {
	name, website := r.Name, r.Website
	return MemberEdit{Name: &name, Website: &website}
}

// Decide records staff's decision on an open request: approve, or refuse
// with a reason (the member is owed one). ECONFLICT "request_decided" when
// it is decided already. Approving a change is allowed only while m is an
// approved member (ECONFLICT "erased" or "status_…" otherwise): a name is
// what the badge vouches for, and only a member has a badge. A deletion is
// approved whatever m's status, an erased member's as well (there is then
// nothing left to erase). Stores call it inside their transaction, with
// the request and its member locked.
func (r *MemberRequest) Decide(m *Member, approve bool, actor, reason string, now time.Time) error {
	if !r.Open() {
		return errRequestDecided
	}
	reason = strings.TrimSpace(reason)
	switch {
	case len([]rune(reason)) > MaxReasonLen: // a decision's reason's limits
		return invalid("reason", RuleTooLong)
	case strings.IndexFunc(reason, func(r rune) bool { return r != '\n' && notPrintable(r) }) >= 0:
		return invalid("reason", RuleControl)
	case !approve && reason == "":
		return invalid("reason", RuleRequired)
	case approve && r.Kind == RequestChange && m.Tombstone():
		return errErased
	case approve && r.Kind == RequestChange && m.Status != StatusApproved:
		return &Error{Code: ECONFLICT, Reason: "status_" + string(m.Status)}
	}
	r.Decision = RequestRefused
	if approve {
		r.Decision = RequestApproved
	}
	r.DecidedAt, r.Actor, r.Reason = now, actor, reason
	return nil
}
