package main_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	netmail "net/mail"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/technopolys/technopolys/internal/mail"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/postgres"
	"github.com/technopolys/technopolys/internal/store/sqlite"
)

// TestOutboxSurvivesKill9 commits mails while the SMTP server is not
// answering, kills the server with SIGKILL while its sender holds them
// claimed, and checks that the restarted server sends every one exactly
// once, to the right address, once the claim's lease is over.
func TestOutboxSurvivesKill9(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			dbURL := db(t)
			silent, dialed := silentSMTP(t)
			s := start(t, dbURL, mailFlags(silent)...)
			want := joinAndApprove(t, s.url, 4, 2)
			// The sender's next pass claims the mails and hangs waiting for
			// a greeting that never comes: committed, claimed, not sent.
			select {
			case <-dialed:
			case <-time.After(30 * time.Second):
				t.Fatalf("the sender never dialled the SMTP server:\n%s", s.log())
			}
			kill9(t, s)

			rows := outbox(t, dbURL)
			checkOutbox(t, rows, want)
			if expireClaims(t, dbURL, rows) == 0 {
				t.Errorf("no mail claimed at the kill, though the sender was dialling")
			}

			box := newMailbox(t, false)
			again := start(t, dbURL, mailFlags(box.Addr)...)
			box.waitFor(t, len(rows), again)
			stop(t, again)
			got := box.byID()
			for _, ml := range outbox(t, dbURL) {
				if ml.SentAt.IsZero() {
					t.Errorf("mail %d (%s) not stamped sent after the restart", ml.ID, ml.Kind)
				}
				checkDelivered(t, got[messageID(ml.ID)], ml, 1)
			}
			if len(got) != len(rows) {
				t.Errorf("%d distinct messages arrived, want %d: %v", len(got), len(rows), got)
			}
		})
	}
}

// TestOutboxSentNotStampedIsSentAgain kills the server after the SMTP
// server has the whole message but before the sender hears it accepted,
// so before MailSent: the outbox cannot know the mail went. After the
// restart and the lease, it is sent again, with the same Message-ID. That
// is the promise: at least once, never lost, and a duplicate the receiver
// can recognise (and most de-duplicate) by its Message-ID.
func TestOutboxSentNotStampedIsSentAgain(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			dbURL := db(t)
			holding := newMailbox(t, true)
			s := start(t, dbURL, mailFlags(holding.Addr)...)
			want := joinAndApprove(t, s.url, 1, 0)
			holding.waitFor(t, 1, s) // the message is there; its 250 never leaves
			kill9(t, s)

			rows := outbox(t, dbURL)
			checkOutbox(t, rows, want)
			// Still claimed: a server restarted within the lease leaves the
			// mail alone, since it cannot tell a dead sender from a slow one.
			if lease := time.Now().Add(mail.Lease - time.Minute); rows[0].NextAt.Before(lease) {
				t.Errorf("mail due again at %s, before the lease (%s) is over", rows[0].NextAt, mail.Lease)
			}
			expireClaims(t, dbURL, rows)

			box := newMailbox(t, false)
			again := start(t, dbURL, mailFlags(box.Addr)...)
			box.waitFor(t, 1, again)
			stop(t, again)
			ml := outbox(t, dbURL)[0]
			if ml.SentAt.IsZero() {
				t.Errorf("mail %d not stamped sent after the restart", ml.ID)
			}
			checkDelivered(t, holding.byID()[messageID(ml.ID)], ml, 1)
			checkDelivered(t, box.byID()[messageID(ml.ID)], ml, 1)
		})
	}
}

// mailFlags points the server's sender at a plain SMTP server on addr.
func mailFlags(addr string) []string {
	return []string{"--smtp-url", "smtp://" + addr + "?tls=none", "--mail-from", "technopolys <membres@technopolys.example>"}
}

// messageID is the Message-ID header of outbox row id from a server whose
// public URL is the default http://localhost:PORT.
func messageID(id int64) string { return fmt.Sprintf("<outbox-%d@localhost>", id) }

// sent is a mail the test expects in the outbox.
type sent struct {
	member int64
	kind   registry.MailKind
	to     string
}

// joinAndApprove posts n joins in English and approves the first approve of
// them, returning the mails those acknowledged writes committed.
func joinAndApprove(t *testing.T, url string, n, approve int) []sent {
	t.Helper()
	var want []sent
	for i := range n {
		to := fmt.Sprintf("m@kill-%d.example", i)
		body := fmt.Sprintf(`{"name":"Kill Co %d","website":"https://kill-%d.example","contact_name":"M","contact_email":%q,"region":"Laval","consent_public":true}`, i, i, to)
		b := post(t, url+"/api/v1/members?lang=en", body, http.StatusCreated)
		var id int64
		fmt.Sscan(string(joinedID.FindSubmatch(b)[1]), &id)
		want = append(want, sent{id, registry.MailReceipt, to})
		if i < approve {
			post(t, fmt.Sprintf("%s/api/v1/admin/members/%d/approve", url, id), "", http.StatusOK)
			want = append(want, sent{id, registry.MailApproval, to})
		}
	}
	return want
}

// post sends body (JSON) with the admin token and checks the status.
func post(t *testing.T, url, body string, status int) []byte {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		t.Fatalf("POST %s: %d %s", url, res.StatusCode, b)
	}
	return b
}

func kill9(t *testing.T, s *server) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-s.done
}

// stop ends s gracefully: once it has exited, its sender has finished its
// last send and recorded it, so what the SMTP server has is final.
func stop(t *testing.T, s *server) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, s.log())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no exit 30s after SIGTERM:\n%s", s.log())
	}
}

// checkOutbox checks that the outbox holds exactly the mails of want, none
// of them sent.
func checkOutbox(t *testing.T, rows []registry.Mail, want []sent) {
	t.Helper()
	have := map[sent]int{}
	for _, ml := range rows {
		have[sent{ml.MemberID, ml.Kind, ml.To}]++
		if !ml.SentAt.IsZero() {
			t.Errorf("mail %d stamped sent at %s though no SMTP server accepted it", ml.ID, ml.SentAt)
		}
	}
	for _, w := range want {
		if have[w] != 1 {
			t.Errorf("outbox after kill -9 holds %d of %+v, want 1", have[w], w)
		}
	}
	if len(rows) != len(want) {
		t.Fatalf("outbox after kill -9 holds %d mails, want %d: %+v", len(rows), len(want), rows)
	}
}

// subjects are the English subjects of the kinds the tests send.
var subjects = map[registry.MailKind]string{
	registry.MailReceipt:  "We received your membership request",
	registry.MailApproval: "Your technopolys membership is approved",
}

// checkDelivered checks that got holds n copies of ml, to its address
// and with its kind's subject.
func checkDelivered(t *testing.T, got []delivered, ml registry.Mail, n int) {
	t.Helper()
	if len(got) != n {
		t.Errorf("mail %d (%s) arrived %d times, want %d", ml.ID, ml.Kind, len(got), n)
	}
	for _, d := range got {
		if d.To != ml.To || d.Subject != subjects[ml.Kind] {
			t.Errorf("mail %d (%s to %s) arrived to %s as %q", ml.ID, ml.Kind, ml.To, d.To, d.Subject)
		}
	}
}

// outbox reads the whole outbox of a stopped server's store.
func outbox(t *testing.T, dbURL string) []registry.Mail {
	t.Helper()
	ctx := context.Background()
	var (
		store registry.Store
		err   error
	)
	if strings.HasPrefix(dbURL, "postgres") {
		store, err = postgres.Open(ctx, dbURL, nil)
	} else {
		store, err = sqlite.Open(ctx, sqlite.Path(dbURL), nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rows, _, err := store.ListMail(ctx, false, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// expireClaims stands for the lease running out: it makes the unsent mails
// of a stopped server's store due now, rather than have the test wait out
// mail.Lease (and a failed dial's backoff). The sender's own handling of
// the lease is tested with a fake clock in internal/mail and storetest. It
// returns how many of rows were claimed.
func expireClaims(t *testing.T, dbURL string, rows []registry.Mail) int {
	t.Helper()
	driver, dsn := "sqlite", sqlite.Path(dbURL)
	if strings.HasPrefix(dbURL, "postgres") {
		driver, dsn = "pgx", dbURL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE outbox SET next_at = created_at WHERE sent_at IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	claimed := 0
	for _, ml := range rows {
		if ml.NextAt.After(time.Now()) {
			claimed++
		}
	}
	n, _ := res.RowsAffected()
	t.Logf("%d mails unsent after kill -9, %d of them claimed (due again in up to %s)", n, claimed, mail.Lease)
	return claimed
}

// silentSMTP listens but never greets, like a server not accepting mail
// yet: a sender that connects waits in its dial, its mails claimed. dialed
// is closed at the first connection.
func silentSMTP(t *testing.T) (addr string, dialed <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan struct{})
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if conns = append(conns, c); len(conns) == 1 {
				close(ch)
			}
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String(), ch
}

// delivered is one message a mailbox took.
type delivered struct{ To, MessageID, Subject string }

// mailbox is an in-process SMTP server that records what it is sent. One
// that holds records each message and then leaves the DATA unanswered
// until the test ends: the message is there but its sender never learns.
type mailbox struct {
	Addr string
	hold chan struct{} // nil: answer at once
	mu   sync.Mutex
	got  []delivered
}

func newMailbox(t *testing.T, hold bool) *mailbox {
	t.Helper()
	b := &mailbox{}
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	if hold {
		b.hold = make(chan struct{})
		t.Cleanup(func() { close(b.hold) }) // before srv.Close: cleanups run last first
	}
	return b
}

// waitFor polls until the mailbox has n messages, failing after a deadline.
func (b *mailbox) waitFor(t *testing.T, n int, s *server) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b.count() >= n {
			return
		}
	}
	t.Fatalf("%d of %d messages arrived:\n%s", b.count(), n, s.log())
}

func (b *mailbox) count() int { b.mu.Lock(); defer b.mu.Unlock(); return len(b.got) }

// byID groups the messages by Message-ID.
func (b *mailbox) byID() map[string][]delivered {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := map[string][]delivered{}
	for _, d := range b.got {
		m[d.MessageID] = append(m[d.MessageID], d)
	}
	return m
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailboxSession{b: b}, nil }

type mailboxSession struct {
	b  *mailbox
	to string
}

func (*mailboxSession) Reset()                                      {}
func (*mailboxSession) Logout() error                               { return nil }
func (*mailboxSession) Mail(string, *smtp.MailOptions) error        { return nil }
func (s *mailboxSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }

func (s *mailboxSession) Data(r io.Reader) error {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, msg.Body)
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	s.b.got = append(s.b.got, delivered{To: s.to, MessageID: msg.Header.Get("Message-ID"), Subject: subject})
	s.b.mu.Unlock()
	if s.b.hold != nil {
		<-s.b.hold
	}
	return nil
}
