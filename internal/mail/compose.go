package mail

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// Message is one composed mail: what Compose makes of an outbox row and
// the member it is about.
type Message struct {
	To        string
	Subject   string
	Text      string // text/plain
	HTML      string // text/html, escaped; no images, no tracking
	MessageID string // without angle brackets: outbox-{ID}@{host}
}

// block is one paragraph of a message, possibly followed by a link or a
// quoted reason; the text and HTML versions are made from the same blocks.
type block struct {
	Text, Link, Quote string
}

// MessageID is the fixed Message-ID of an outbox row, so a mail sent again
// after a crash is recognisably the same message.
func MessageID(id int64, publicURL string) string {
	return fmt.Sprintf("outbox-%d@%s", id, publicHost(publicURL))
}

func publicHost(publicURL string) string {
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// Compose writes the message an outbox row stands for, in the member's
// language, from the member as it is now (an approval carries its slug).
func Compose(ml registry.Mail, m *registry.Member, publicURL string) (Message, error) {
	l, ok := locale.Parse(m.Lang)
	if !ok {
		l, _ = locale.Parse(ml.Lang)
	}
	base := strings.TrimRight(publicURL, "/")
	greeting := l.T("mail.greeting.anon")
	if m.ContactName != "" {
		greeting = l.T("mail.greeting", m.ContactName)
	}
	var subject string
	blocks := []block{{Text: greeting}}
	switch ml.Kind {
	case registry.MailReceipt:
		subject = l.T("mail.receipt.subject")
		blocks = append(blocks, block{Text: l.T("mail.receipt.lead", m.Name)})
		if ml.Link != "" {
			blocks = append(blocks, block{Text: l.T("mail.receipt.confirm"), Link: siteURL(base, "/join/confirm/"+ml.Link, l)})
		}
		blocks = append(blocks, block{Text: l.T("mail.receipt.next")})
	case registry.MailApproval:
		subject = l.T("mail.approval.subject")
		page := memberURL(base, m.Slug, l)
		blocks = append(blocks, block{Text: l.T("mail.approval.lead", m.Name), Link: page},
			block{Text: l.T("mail.approval.kit")},
			block{Text: l.T("mail.approval.area"), Link: siteURL(base, "/account/signin", l)})
	case registry.MailSignIn:
		subject = l.T("mail.signin.subject")
		lead := block{Text: l.T("mail.signin.lead", m.Name)}
		if ml.Link != "" { // a sent mail's token is gone: the link lives on by its hash alone
			lead.Link = siteURL(base, "/account/signin/"+ml.Link, l)
		}
		blocks = append(blocks, lead, block{Text: l.T("mail.signin.ignore")})
	case registry.MailChangeApproved:
		subject = l.T("mail.change_approved.subject")
		blocks = append(blocks, block{Text: l.T("mail.change_approved.lead", m.Name), Link: memberURL(base, m.Slug, l)})
	case registry.MailRejection, registry.MailRevocation, registry.MailChangeRefused, registry.MailDeletionRefused:
		subject = l.T("mail." + string(ml.Kind) + ".subject")
		reason := ml.Reason
		if reason == "" {
			reason = l.T("mail.reason.none")
		}
		blocks = append(blocks, block{Text: l.T("mail."+string(ml.Kind)+".lead", m.Name), Quote: reason},
			block{Text: l.T("mail.reply")})
	default:
		return Message{}, fmt.Errorf("compose mail %d: unknown kind %q", ml.ID, ml.Kind)
	}
	blocks = append(blocks, block{Text: l.T("mail.signoff")})
	var html bytes.Buffer
	if err := htmlMessage.Execute(&html, map[string]any{"Lang": l, "Subject": subject, "Blocks": blocks}); err != nil {
		return Message{}, fmt.Errorf("compose mail %d: %w", ml.ID, err)
	}
	return Message{To: m.ContactEmail, Subject: subject, Text: textMessage(blocks), HTML: html.String(),
		MessageID: MessageID(ml.ID, publicURL)}, nil
}

// memberURL is the verification page of the member with that slug, in the
// member's language.
func memberURL(base, slug string, l locale.Lang) string {
	return siteURL(base, "/members/"+url.PathEscape(slug), l)
}

// siteURL is a page of the site in the member's language, named even when
// it is French, the default: a browser asking for English would otherwise
// get the page in a language other than the mail's.
func siteURL(base, path string, l locale.Lang) string {
	return base + path + "?lang=" + string(l)
}

func textMessage(blocks []block) string {
	var b strings.Builder
	for i, bl := range blocks {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(bl.Text + "\n")
		if bl.Link != "" {
			b.WriteString(bl.Link + "\n")
		}
		if bl.Quote != "" {
			for line := range strings.SplitSeq(bl.Quote, "\n") {
				b.WriteString("> " + line + "\n")
			}
		}
	}
	return b.String()
}

// htmlMessage is the HTML version: inline style only, no image, nothing
// fetched from anywhere.
var htmlMessage = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36em;color:#1a1a1a">
{{range .Blocks}}<p>{{.Text}}{{with .Link}}<br><a href="{{.}}">{{.}}</a>{{end}}</p>
{{with .Quote}}<blockquote style="border-left:3px solid #888;margin:0 0 1em;padding-left:1em;white-space:pre-wrap">{{.}}</blockquote>
{{end}}{{end}}</body>
</html>
`))
