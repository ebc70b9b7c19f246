package console

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/mail"
	"github.com/technopolys/technopolys/internal/registry"
)

// outboxPage is how many mails the outbox page shows at once.
const outboxPage = 50

// outboxView is the outbox page: the mails to members, each as it would be
// sent now, so that staff can pass its links on when no SMTP server is
// configured.
type outboxView struct {
	All        bool
	Count      string
	Mails      []outboxLine
	Prev, Next string
}

type outboxLine struct {
	registry.Mail
	Kind, Created, State, Subject, Text string
	// Links are the message's links, to open or pass on without copying
	// them out of the text by hand.
	Links []string
}

// mailLink is a link in a composed message's text: each stands on a line
// of its own.
var mailLink = regexp.MustCompile(`(?m)^https?://\S+$`)

// handleOutbox lists the mails to members, the unsent ones by default,
// newest first.
func (c *Console) handleOutbox(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	q := r.URL.Query()
	v := outboxView{All: q.Get("all") == "1"}
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(min(offset, 1<<30), 0)
	mails, total, err := c.store.ListMail(r.Context(), !v.All, outboxPage, offset)
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	v.Count = l.Plural(total, "outbox.count")
	for _, ml := range mails {
		line, err := c.outboxLine(r, l, ml)
		if err != nil {
			c.respond.UnavailablePage(w, r, err)
			return
		}
		v.Mails = append(v.Mails, line)
	}
	at := func(n int) string {
		p := url.Values{"lang": {string(l)}, "offset": {strconv.Itoa(n)}}
		if v.All {
			p.Set("all", "1")
		}
		return "/admin/outbox?" + p.Encode()
	}
	if offset > 0 {
		v.Prev = at(max(offset-outboxPage, 0))
	}
	if offset+len(mails) < total {
		v.Next = at(offset + outboxPage)
	}
	c.page(w, r, sess, http.StatusOK, "outbox", "staff_outbox", l.T("console.nav.outbox"), v)
}

// outboxLine says a mail's state and shows it as it would be sent now.
func (c *Console) outboxLine(r *http.Request, l locale.Lang, ml registry.Mail) (outboxLine, error) {
	line := outboxLine{Mail: ml, Kind: l.T("outbox.kind." + string(ml.Kind)), Created: l.Date(ml.CreatedAt)}
	switch {
	case !ml.SentAt.IsZero():
		line.State = l.T("outbox.sent", l.Date(ml.SentAt))
	case ml.Attempts > 0:
		line.State = l.T("outbox.failed", l.Plural(ml.Attempts, "outbox.attempts"), ml.LastError)
	default:
		line.State = l.T("outbox.waiting")
	}
	m, err := c.store.FindMember(r.Context(), ml.MemberID)
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		return line, nil
	}
	if err != nil {
		return line, err
	}
	if msg, err := mail.Compose(ml, m, c.publicURL); err == nil {
		line.Subject, line.Text, line.Links = msg.Subject, msg.Text, mailLink.FindAllString(msg.Text, -1)
	}
	return line, nil
}
