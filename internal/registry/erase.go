package registry

import (
	"strings"
	"time"
)

// ActionErase is staff erasing a member's personal data at its request
// (Member.Erase). It is no decision about the membership, so Decisions
// leaves it out.
const ActionErase Action = "erase"

// errErased is what changing a tombstone fails with: a member whose public
// record was erased cannot come back, under its old slug or otherwise.
var errErased = &Error{Code: ECONFLICT, Reason: "erased"}

// Tombstone reports whether m's public record was erased: only its region,
// dates and status remain. A name is required of every member otherwise,
// so an erased member is one without a name.
func (m *Member) Tombstone() bool { return !m.ErasedAt.IsZero() && m.Name == "" }

// Erase erases m's contact and, with public, its public record: name,
// website and slug emptied, consent withdrawn, and a live member taken out
// of the live statuses (an approved member revoked, a pending one
// rejected, with the reason "erase"; the free-text reason of a rejected or
// revoked one emptied). The slug goes because it is made from the name and
// would still say who the member was: badges already on sites answer "not
// a member" as for any unknown slug, and the slug may in time be another
// company's. Erasing the contact alone empties m's reason if it names the
// contact (ErasedReason). Erase returns the reason of the audit entry
// ("contact" or "public"), or ECONFLICT "already_erased" when there is
// nothing left to erase. Erasing public data after the contact alone is
// allowed.
func (m *Member) Erase(public bool, now time.Time) (reason string, err error) {
	if m.Tombstone() || !public && !m.ErasedAt.IsZero() {
		return "", &Error{Code: ECONFLICT, Reason: "already_erased"}
	}
	m.Reason = m.ErasedReason(public)(ActionReject, m.Reason) // a reject's or a revoke's reason, free text alike
	m.ContactName, m.ContactEmail, m.ContactConfirmedAt = "", "", time.Time{}
	m.ErasedAt, m.UpdatedAt = now, now
	m.Version++
	if !public {
		return "contact", nil
	}
	m.Slug, m.Name, m.Website, m.ConsentPublic = "", "", "", false
	switch m.Status {
	case StatusApproved:
		m.Status, m.RevokedAt, m.Reason = StatusRevoked, now, "erase"
	case StatusPending:
		m.Status, m.RejectedAt, m.Reason = StatusRejected, now, "erase"
	}
	return "public", nil
}

// ErasedReason returns what erasing m, with public or not, leaves of the
// reason of an earlier audit entry of m (or of m's own reason). With
// public, nothing: an edit's reason quotes the old name, and staff's
// reasons are free text. With the contact alone, a reason is emptied only
// if it names the contact, by e-mail or name in any case and with or
// without accents. The reason of an earlier erase entry ("contact") is
// kept either way: it says what went, not whose it was. Call it before
// Erase, which empties the contact it looks for.
func (m *Member) ErasedReason(public bool) func(action Action, reason string) string {
	var contact []string
	for _, s := range []string{m.ContactEmail, m.ContactName} {
		if k := SearchKey(s); k != "" {
			contact = append(contact, k)
		}
	}
	return func(action Action, reason string) string {
		if action == ActionErase {
			return reason
		}
		if public {
			return ""
		}
		r := SearchKey(reason)
		for _, k := range contact {
			if strings.Contains(r, k) {
				return ""
			}
		}
		return reason
	}
}
