package console

import (
	"strings"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// Requests reach the queue whether or not their contact confirmed its
// address: with no SMTP server configured (the default) no receipt goes
// out, no one could ever confirm, and a queue that waited for it would stay
// empty. Staff can reach a company another way (its website, its phone),
// so the console shows what it knows and lets staff weigh it: whether the
// address is confirmed, and whether it is of the company's own domain.

// mark is one thing staff weigh a request by, in words (never by colour
// alone), Good when it speaks for the request.
type mark struct {
	Text string
	Good bool
}

// contactMarks are the marks of a request's contact: its address confirmed
// or not, of the website's domain or not. A contact erased has none.
func contactMarks(l locale.Lang, m *registry.Member) []mark {
	if m.ContactEmail == "" {
		return nil
	}
	confirmed := mark{Text: l.T("queue.unconfirmed")}
	if !m.ContactConfirmedAt.IsZero() {
		confirmed = mark{Text: l.T("queue.confirmed"), Good: true}
	}
	domain := emailDomain(m.ContactEmail)
	if registry.DomainMatch(m.ContactEmail, m.Website) {
		return []mark{confirmed, {Text: l.T("queue.domain.match", domain), Good: true}}
	}
	return []mark{confirmed, {Text: l.T("queue.domain.other", domain)}}
}

// emailDomain is the part of an address after its last @, as staff read
// it.
func emailDomain(email string) string {
	return strings.ToLower(email[strings.LastIndexByte(email, '@')+1:])
}
