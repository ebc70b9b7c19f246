package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// received is one message the test server accepted, decoded.
type received struct {
	From, To, MessageID, Subject, Date string
	Text, HTML                         string
	Header                             netmail.Header
}

// smtpServer is an in-process SMTP server that keeps what it is sent; it
// refuses the next refuse messages with a temporary error.
type smtpServer struct {
	Addr   string
	mu     sync.Mutex
	msgs   []received
	refuse int
	tb     testing.TB
}

func newSMTPServer(tb testing.TB) *smtpServer {
	tb.Helper()
	s := &smtpServer{tb: tb}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return s
}

// Refuse makes the server refuse the next n messages.
func (s *smtpServer) Refuse(n int) { s.mu.Lock(); s.refuse = n; s.mu.Unlock() }

// Messages returns what was accepted so far.
func (s *smtpServer) Messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// ByID counts the accepted messages per Message-ID.
func (s *smtpServer) ByID() map[string]int {
	n := map[string]int{}
	for _, m := range s.Messages() {
		n[m.MessageID]++
	}
	return n
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &session{srv: s}, nil
}

type session struct {
	srv      *smtpServer
	from, to string
}

func (*session) Reset()                                        {}
func (*session) Logout() error                                 { return nil }
func (c *session) Mail(from string, _ *smtp.MailOptions) error { c.from = from; return nil }
func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error   { c.to = to; return nil }

func (c *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	if c.srv.refuse > 0 {
		c.srv.refuse--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := decode(raw)
	if err != nil {
		c.srv.tb.Errorf("decode message: %v\n%s", err, raw)
		return err
	}
	m.From, m.To = c.from, c.to
	c.srv.msgs = append(c.srv.msgs, m)
	return nil
}

// decode reads a multipart/alternative message into its text and HTML.
func decode(raw []byte) (received, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return received{}, err
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return received{}, err
	}
	m := received{MessageID: msg.Header.Get("Message-ID"), Subject: subject, Date: msg.Header.Get("Date"), Header: msg.Header}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		return received{}, errors.New("not multipart/alternative: " + msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return received{}, err
		}
		var body io.Reader = p
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			return received{}, err
		}
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			m.Text = strings.ReplaceAll(string(b), "\r\n", "\n")
		case "text/html":
			m.HTML = strings.ReplaceAll(string(b), "\r\n", "\n")
		}
	}
	return m, nil
}

// ctx is the tests' context.
var ctx = context.Background()
