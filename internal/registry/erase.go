package registry

import "time"

// ActionErase is staff erasing a member's personal data at its request
// (Member.Erase). It is no decision about the membership, so Decisions
// leaves it out.
const ActionErase Action = "erase"

// errErased is what changing a tombstone fails with: a member whose public
// record was erased cannot come back, under its old slug or otherwise.
var errErased = &Error{Code: ECONFLICT, Reason: "erased"}

// Tombstone reports whether m's public record was erased: only its slug,
// region, dates and status remain. A name is required of every member
// otherwise, so an erased member is one without a name.
func (m *Member) Tombstone() bool { return !m.ErasedAt.IsZero() && m.Name == "" }

// Erase erases m's contact and, with public, its public record: name and
// website emptied, consent withdrawn, and a live member taken out of the
// live statuses (an approved member revoked, a pending one rejected, with
// the reason "erase"). The slug is kept so that no other company can ever
// hold it, and badges already on sites answer "not a member". It returns
// the reason of the audit entry ("contact" or "public"), or ECONFLICT
// "already_erased" when there is nothing left to erase. Erasing public data
// after the contact alone is allowed.
func (m *Member) Erase(public bool, now time.Time) (reason string, err error) {
	if m.Tombstone() || !public && !m.ErasedAt.IsZero() {
		return "", &Error{Code: ECONFLICT, Reason: "already_erased"}
	}
	m.ContactName, m.ContactEmail = "", ""
	m.ErasedAt, m.UpdatedAt = now, now
	m.Version++
	if !public {
		return "contact", nil
	}
	m.Name, m.Website, m.ConsentPublic = "", "", false
	switch m.Status {
	case StatusApproved:
		m.Status, m.RevokedAt, m.Reason = StatusRevoked, now, "erase"
	case StatusPending:
		m.Status, m.RejectedAt, m.Reason = StatusRejected, now, "erase"
	}
	return "public", nil
}
