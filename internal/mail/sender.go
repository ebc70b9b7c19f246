// Package mail sends the store's outbox: it claims due mails, composes each
// from the member as it is at send time, and sends it over SMTP, recording
// success or a failure to retry later.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/technopolys/technopolys/internal/registry"
)

// The sender's pace. A claimed mail is left alone by every sender for
// Lease: one that crashed mid-send has its mails sent again after it.
const (
	DefaultInterval = 5 * time.Second
	Lease           = 5 * time.Minute
	BatchSize       = 10
	firstBackoff    = time.Minute
	maxBackoff      = 6 * time.Hour
	// never is how far off a mail that can never be sent is put: its
	// member is gone or has no contact left. It stays in the outbox, with
	// why, for the console to show.
	never = 100 * 365 * 24 * time.Hour
)

// Config is what a Sender needs.
type Config struct {
	Transport Transport
	From      string // the From header, e.g. "technopolys <membres@technopolys.quebec>"
	PublicURL string // links and the Message-ID's host
	Logger    *slog.Logger
	Now       func() time.Time // the clock; time.Now if nil
	Interval  time.Duration    // between passes; DefaultInterval if zero
}

// Sender sends the outbox of one store.
type Sender struct {
	store registry.Store
	c     Config
}

// New returns a sender for store; it sends nothing until Run or SendDue.
func New(store registry.Store, c Config) (*Sender, error) {
	if c.From == "" {
		return nil, errors.New("mail: no From address")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Interval <= 0 {
		c.Interval = DefaultInterval
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return &Sender{store: store, c: c}, nil
}

// Backoff is how long a mail waits after its attempts-th failed send: a
// minute after the first, doubling, at most six hours.
func Backoff(attempts int) time.Duration {
	d := firstBackoff
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// Run sends due mail every Interval until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	t := time.NewTicker(s.c.Interval)
	defer t.Stop()
	for {
		if _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
			s.c.Logger.Warn("send mail", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendDue makes one pass: it claims up to BatchSize due mails and sends
// them over one connection. It returns how many were sent; an error is
// about the pass (the store, the connection), the mails' own failures being
// recorded on them.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	now := s.c.Now()
	mails, err := s.store.ClaimMail(ctx, now, Lease, BatchSize)
	if err != nil || len(mails) == 0 {
		return 0, err
	}
	msgs := make([]*gomail.Msg, len(mails))
	for i, ml := range mails {
		if msgs[i], err = s.message(ctx, ml); err != nil {
			s.failed(ctx, ml, now, err)
		}
	}
	client, err := s.c.Transport.client(publicHost(s.c.PublicURL))
	if err == nil {
		err = client.DialWithContext(ctx)
	}
	if err != nil {
		err = fmt.Errorf("connect to smtp server: %w", err)
		for i, ml := range mails {
			if msgs[i] != nil {
				s.failed(ctx, ml, now, err)
			}
		}
		return 0, err
	}
	defer client.Close()
	sent := 0
	for i, ml := range mails {
		if ctx.Err() != nil {
			break // shutting down: the rest go after the lease
		}
		if msgs[i] == nil {
			continue
		}
		if err := client.Send(msgs[i]); err != nil {
			s.failed(ctx, ml, now, err)
			continue
		}
		// Recorded even when shutdown began meanwhile: it did go.
		if err := s.store.MailSent(context.WithoutCancel(ctx), ml.ID); err != nil {
			// Sent but not recorded: it goes again after the lease, with the
			// same Message-ID.
			s.c.Logger.Error("record mail sent", "mail", ml.ID, "err", err)
			continue
		}
		sent++
		s.c.Logger.Info("mail sent", "mail", ml.ID, "kind", ml.Kind, "member", ml.MemberID)
	}
	return sent, nil
}

// undeliverable is a mail that no retry will send.
type undeliverable struct{ reason string }

func (u undeliverable) Error() string { return u.reason }

// message composes ml into a go-mail message.
func (s *Sender) message(ctx context.Context, ml registry.Mail) (*gomail.Msg, error) {
	m, err := s.store.FindMember(ctx, ml.MemberID)
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		return nil, undeliverable{"not sent: the member no longer exists"}
	}
	if err != nil {
		return nil, fmt.Errorf("find member: %w", err)
	}
	if m.ContactEmail == "" {
		return nil, undeliverable{"not sent: the member's contact was erased"}
	}
	c, err := Compose(ml, m, s.c.PublicURL)
	if err != nil {
		return nil, undeliverable{err.Error()}
	}
	msg := gomail.NewMsg()
	if err := msg.From(s.c.From); err != nil {
		return nil, fmt.Errorf("from %q: %w", s.c.From, err)
	}
	if err := msg.To(c.To); err != nil {
		return nil, undeliverable{fmt.Sprintf("not sent: to %q: %v", c.To, err)}
	}
	msg.Subject(c.Subject)
	msg.SetMessageIDWithValue(c.MessageID)
	msg.SetDateWithValue(s.c.Now())
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, c.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, c.HTML)
	return msg, nil
}

// failed records a failed send and when to try again.
func (s *Sender) failed(ctx context.Context, ml registry.Mail, now time.Time, err error) {
	if ctx.Err() != nil {
		return // the failure is the shutdown's, not the mail's: it goes after the lease
	}
	next := now.Add(Backoff(ml.Attempts + 1))
	var u undeliverable
	if errors.As(err, &u) {
		next = now.Add(never)
	}
	if ferr := s.store.MailFailed(ctx, ml.ID, next, registry.MailError(err.Error())); ferr != nil {
		s.c.Logger.Error("record mail failed", "mail", ml.ID, "err", ferr)
		return
	}
	s.c.Logger.Warn("mail not sent", "mail", ml.ID, "kind", ml.Kind, "attempts", ml.Attempts+1, "next", next, "err", err)
}
