package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

func TestMailFlags(t *testing.T) {
	c, err := parseServe(nil, envOf(nil), &bytes.Buffer{})
	if err != nil || c.smtp != nil {
		t.Fatalf("no SMTP configured: %+v, %v", c.smtp, err)
	}
	env := envOf(map[string]string{"TECHNOPOLYS_SMTP_URL": "smtps://u:p@env.example", "TECHNOPOLYS_MAIL_FROM": "membres@technopolys.example"})
	if c, err = parseServe(nil, env, &bytes.Buffer{}); err != nil || c.smtp == nil || c.smtp.Host != "env.example" || c.smtp.TLS != "implicit" || c.mailFrom != "membres@technopolys.example" {
		t.Fatalf("from the environment: %+v, %q, %v", c.smtp, c.mailFrom, err)
	}
	if c, err = parseServe([]string{"--smtp-url", "smtp://flag.example:2525?tls=none", "--mail-from", "technopolys <m@technopolys.example>"}, env, &bytes.Buffer{}); err != nil ||
		c.smtp.Host != "flag.example" || c.smtp.Port != 2525 || c.smtp.TLS != "none" || c.mailFrom != "technopolys <m@technopolys.example>" {
		t.Fatalf("flags over the environment: %+v, %q, %v", c.smtp, c.mailFrom, err)
	}
	for _, bad := range [][]string{{"--smtp-url", "smtp://mail.example"}, {"--smtp-url", "http://mail.example", "--mail-from", "m@x.example"},
		{"--smtp-url", "smtp://mail.example", "--mail-from", "not an address"}} {
		if _, err := parseServe(bad, envOf(nil), &bytes.Buffer{}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	var help bytes.Buffer
	parseServe([]string{"-h"}, envOf(map[string]string{"TECHNOPOLYS_SMTP_URL": "smtp://u:hunter2@mail.example"}), &help)
	if strings.Contains(help.String(), "hunter2") || !strings.Contains(help.String(), "-smtp-url") {
		t.Errorf("-h shows the SMTP password, or no --smtp-url:\n%s", help.String())
	}
}

// inbox is an SMTP server that keeps the raw messages it is sent.
type inbox struct {
	mu   sync.Mutex
	msgs []string
}

func (b *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &inboxSession{b}, nil }
func (b *inbox) all() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.msgs...)
}

type inboxSession struct{ b *inbox }

func (*inboxSession) Reset()                               {}
func (*inboxSession) Logout() error                        { return nil }
func (*inboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (*inboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *inboxSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, string(raw))
	s.b.mu.Unlock()
	return err
}

// TestServeSendsTheOutbox: the served program, given an SMTP server, sends
// a join's receipt in the language it joined in, and stops on shutdown.
func TestServeSendsTheOutbox(t *testing.T) {
	box := &inbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	db := "sqlite:" + filepath.Join(t.TempDir(), "tp.db")
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	env := envOf(map[string]string{"TECHNOPOLYS_SMTP_URL": "smtp://" + ln.Addr().String() + "?tls=none", "TECHNOPOLYS_MAIL_FROM": "membres@technopolys.example"})
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, env, &bytes.Buffer{}, logs)
	}()
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		url = logged(logs.String(), "public_url=")
	}
	req, _ := http.NewRequest("POST", url+"/api/v1/members?lang=en", strings.NewReader(
		`{"name":"Acme","website":"https://acme.example","contact_name":"M","contact_email":"m@acme.example","region":"Laval","consent_public":true}`))
	req.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 201 {
		t.Fatalf("join: %v %v", res, err)
	}
	for deadline := time.Now().Add(15 * time.Second); len(box.all()) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, logs)
	}
	msgs := box.all()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "Subject: We received your membership request") || !strings.Contains(msgs[0], "Message-ID: <outbox-1@localhost>") {
		t.Fatalf("%d messages:\n%s\nlogs:\n%s", len(msgs), strings.Join(msgs, "\n----\n"), logs)
	}
	if !strings.Contains(logs.String(), `msg="mail sent"`) {
		t.Errorf("no mail sent in the log:\n%s", logs)
	}
}
