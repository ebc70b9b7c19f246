package registry

import (
	"context"
	"fmt"
	"time"
)

// RetentionActor is the name the audit log gives the erasures of contacts
// kept past the retention period: no one in particular, the rule itself.
const RetentionActor = "conservation limitée"

// DefaultRetention is how long the contact of a rejected request is kept
// before it is erased: long enough for the company to ask why, or for staff
// to reconsider, and no longer. A pending request whose contact never
// confirmed its address keeps it as long (EraseUnconfirmedContacts).
const DefaultRetention = 90 * 24 * time.Hour

// retentionPage is how many rejected members one read of the store holds.
const retentionPage = 500

// EraseExpiredContacts erases the contact name and e-mail of every member
// rejected before cutoff whose contact is still there, with EraseMember
// (audited, by RetentionActor; the decision and its reason stay, less what
// quotes the contact). A member erased meanwhile is skipped. It returns how
// many contacts it erased.
//
// Erasing the contact leaves a member rejected, so paging by offset over
// the rejected members is stable while it runs.
func EraseExpiredContacts(ctx context.Context, s Store, cutoff time.Time) (erased int, err error) {
	for offset := 0; ; offset += retentionPage {
		ms, _, err := s.ListMembers(ctx, MemberFilter{Status: StatusRejected, NoTotal: true, Limit: retentionPage, Offset: offset})
		if err != nil {
			return erased, fmt.Errorf("erase expired contacts: %w", err)
		}
		for _, m := range ms {
			if !m.ErasedAt.IsZero() || m.RejectedAt.IsZero() || !m.RejectedAt.Before(cutoff) {
				continue
			}
			_, err := s.EraseMember(ctx, m.ID, false, RetentionActor)
			switch {
			case ErrorCode(err) == ECONFLICT: // erased, or decided again, since the listing
			case err != nil:
				return erased, fmt.Errorf("erase expired contacts: %w", err)
			default:
				erased++
			}
		}
		if len(ms) < retentionPage {
			return erased, nil
		}
	}
}

// EraseUnconfirmedContacts erases the contact name and e-mail of every
// pending request made before cutoff whose contact never confirmed its
// address, with EraseMember (audited, by RetentionActor). The request stays
// in the queue, without its contact: staff may still decide it, and an
// address no one confirmed in that time is one we should not keep. A
// member erased meanwhile is skipped. It returns how many
// contacts it erased. (A confirmation cannot race the erasure with the
// default periods: a confirmation link lasts ConfirmLinkTTL, far less than
// DefaultRetention.)
//
// Erasing the contact leaves a request pending, so paging by offset over
// the pending requests is stable while it runs (a decision taken meanwhile
// may make it miss one, which the next run finds).
func EraseUnconfirmedContacts(ctx context.Context, s Store, cutoff time.Time) (erased int, err error) {
	for offset := 0; ; offset += retentionPage {
		ms, _, err := s.ListMembers(ctx, MemberFilter{Status: StatusPending, NoTotal: true, Limit: retentionPage, Offset: offset})
		if err != nil {
			return erased, fmt.Errorf("erase unconfirmed contacts: %w", err)
		}
		for _, m := range ms {
			if !m.ErasedAt.IsZero() || !m.ContactConfirmedAt.IsZero() || !m.CreatedAt.Before(cutoff) {
				continue
			}
			_, err := s.EraseMember(ctx, m.ID, false, RetentionActor)
			switch {
			case ErrorCode(err) == ECONFLICT: // erased since the listing
			case err != nil:
				return erased, fmt.Errorf("erase unconfirmed contacts: %w", err)
			default:
				erased++
			}
		}
		if len(ms) < retentionPage {
			return erased, nil
		}
	}
}
