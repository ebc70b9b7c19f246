package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/technopolys/technopolys/internal/mail"
)

// The account the secure test servers accept.
const (
	smtpUser = "membres@technopolys.example"
	smtpPass = "s3cret p@ss/word"
)

// How a secure test server offers TLS.
const (
	offerStartTLS = "starttls" // plain listener, STARTTLS offered, AUTH only after it
	implicitTLS   = "implicit" // tls.Listen: TLS from the first byte
	noTLS         = "none"     // no STARTTLS, and AUTH PLAIN offered in the clear
)

// secureServer is an smtpServer that requires AUTH PLAIN as smtpUser and
// records every attempt, and whether the connection was encrypted then.
type secureServer struct {
	*smtpServer
	roots *x509.CertPool // trusts the server's self-signed certificate
	mu    sync.Mutex
	auths []authAttempt
}

type authAttempt struct {
	User, Pass string
	TLS        bool
}

func newSecureServer(t *testing.T, mode string) *secureServer {
	t.Helper()
	cert, roots := selfSigned(t)
	s := &secureServer{smtpServer: &smtpServer{tb: t}, roots: roots}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	conf := &tls.Config{Certificates: []tls.Certificate{cert}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case offerStartTLS:
		srv.TLSConfig = conf
	case implicitTLS:
		ln = tls.NewListener(ln, conf)
	case noTLS:
		srv.AllowInsecureAuth = true // a server that would take a password in the clear
	}
	s.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *secureServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &authSession{session: session{srv: s.smtpServer}, secure: s, conn: c}, nil
}

// Auths returns the AUTH attempts so far.
func (s *secureServer) Auths() []authAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]authAttempt(nil), s.auths...)
}

// authSession is a session that takes no mail before AUTH PLAIN succeeds.
type authSession struct {
	session
	secure *secureServer
	conn   *smtp.Conn
	authed bool
}

func (*authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (a *authSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		_, encrypted := a.conn.TLSConnectionState()
		a.secure.mu.Lock()
		a.secure.auths = append(a.secure.auths, authAttempt{user, pass, encrypted})
		a.secure.mu.Unlock()
		if user != smtpUser || pass != smtpPass {
			return smtp.ErrAuthFailed
		}
		a.authed = true
		return nil
	}), nil
}

func (a *authSession) Mail(from string, opts *smtp.MailOptions) error {
	if !a.authed {
		return smtp.ErrAuthRequired
	}
	return a.session.Mail(from, opts)
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "technopolys test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots
}

// secureSender returns a sender on f's store to srv as scheme://user:pass@,
// trusting srv's certificate unless untrusted.
func (f *fixture) secureSender(t *testing.T, srv *secureServer, scheme, pass string, untrusted bool) *mail.Sender {
	t.Helper()
	u := url.URL{Scheme: scheme, User: url.UserPassword(smtpUser, pass), Host: srv.Addr}
	tr, err := mail.ParseURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	if !untrusted {
		tr = mail.TrustOnly(tr, srv.roots)
	}
	s, err := mail.New(f.store, mail.Config{Transport: tr, From: "membres@technopolys.example", PublicURL: publicURL, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wantKept checks that the one mail in the outbox is unsent, failed once
// with an error mentioning why and not the password, and due after the
// first backoff.
func (f *fixture) wantKept(t *testing.T, why string) {
	t.Helper()
	list, _, err := f.store.ListMail(ctx, true, 10, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("outbox %+v, %v", list, err)
	}
	ml := list[0]
	if ml.Attempts != 1 || !ml.NextAt.Equal(f.clock.Now().Add(mail.Backoff(1))) || !strings.Contains(strings.ToLower(ml.LastError), why) {
		t.Errorf("kept mail: attempts %d, next %v (now %v), error %q, want one mentioning %q", ml.Attempts, ml.NextAt, f.clock.Now(), ml.LastError, why)
	}
	if strings.Contains(ml.LastError, smtpPass) {
		t.Errorf("the recorded error shows the password: %q", ml.LastError)
	}
}

// wantAuthed checks that srv took exactly one AUTH, as smtpUser with the
// right password, over TLS.
func wantAuthed(t *testing.T, srv *secureServer) {
	t.Helper()
	if got := srv.Auths(); len(got) != 1 || got[0] != (authAttempt{smtpUser, smtpPass, true}) {
		t.Errorf("AUTH attempts %+v, want one as %q over TLS", got, smtpUser)
	}
}

// TestSTARTTLSWithAuth: smtp:// upgrades with STARTTLS, then authenticates
// with the URL's user and password, and the mail goes.
func TestSTARTTLSWithAuth(t *testing.T) {
	f := newFixture(t, publicURL)
	m := f.join(t, "Acme", 1, "en")
	srv := newSecureServer(t, offerStartTLS)
	if n, err := f.secureSender(t, srv, "smtp", smtpPass, false).SendDue(ctx); err != nil || n != 1 {
		t.Fatalf("sent %d, %v", n, err)
	}
	wantAuthed(t, srv)
	if got := srv.Messages(); len(got) != 1 || got[0].To != m.ContactEmail || got[0].MessageID != "<outbox-1@technopolys.example>" {
		t.Fatalf("messages %+v", got)
	}
}

// TestWrongPasswordKeepsTheMail: a refused AUTH sends nothing; the mail
// stays with the error and goes once the password is right and its
// backoff over.
func TestWrongPasswordKeepsTheMail(t *testing.T) {
	f := newFixture(t, publicURL)
	f.join(t, "Acme", 1, "en")
	srv := newSecureServer(t, offerStartTLS)
	if n, err := f.secureSender(t, srv, "smtp", "wrong", false).SendDue(ctx); err == nil || n != 0 {
		t.Fatalf("sent %d with a wrong password, err %v", n, err)
	}
	f.wantKept(t, "535")
	if len(srv.Messages()) != 0 {
		t.Fatalf("a message went with a wrong password: %+v", srv.Messages())
	}
	fixed := f.secureSender(t, srv, "smtp", smtpPass, false) // the operator corrects the URL
	if n, err := fixed.SendDue(ctx); err != nil || n != 0 {
		t.Fatalf("sent %d before the backoff, %v", n, err)
	}
	f.clock.Advance(mail.Backoff(1))
	if n, err := fixed.SendDue(ctx); err != nil || n != 1 {
		t.Fatalf("sent %d after the backoff, %v", n, err)
	}
	wantOncePerID(t, srv.smtpServer, 1)
}

// TestImplicitTLSWithAuth: smtps:// speaks TLS from the first byte.
func TestImplicitTLSWithAuth(t *testing.T) {
	f := newFixture(t, publicURL)
	m := f.join(t, "Acme", 1, "fr")
	srv := newSecureServer(t, implicitTLS)
	if n, err := f.secureSender(t, srv, "smtps", smtpPass, false).SendDue(ctx); err != nil || n != 1 {
		t.Fatalf("sent %d, %v", n, err)
	}
	wantAuthed(t, srv)
	if got := srv.Messages(); len(got) != 1 || got[0].To != m.ContactEmail {
		t.Fatalf("messages %+v", got)
	}
}

// TestSTARTTLSIsRequired: a server that offers no STARTTLS (but would take
// AUTH PLAIN in the clear) gets neither the password nor the mail.
func TestSTARTTLSIsRequired(t *testing.T) {
	f := newFixture(t, publicURL)
	f.join(t, "Acme", 1, "en")
	srv := newSecureServer(t, noTLS)
	if n, err := f.secureSender(t, srv, "smtp", smtpPass, false).SendDue(ctx); err == nil || n != 0 {
		t.Fatalf("sent %d without TLS, err %v", n, err)
	}
	if got := srv.Auths(); len(got) != 0 {
		t.Fatalf("the password went in the clear: %+v", got)
	}
	f.wantKept(t, "starttls")
	if len(srv.Messages()) != 0 {
		t.Fatalf("a message went without TLS: %+v", srv.Messages())
	}
}

// TestUntrustedCertificateIsRefused: without the test's roots, the
// self-signed certificate fails verification, for both kinds of TLS.
func TestUntrustedCertificateIsRefused(t *testing.T) {
	for mode, scheme := range map[string]string{offerStartTLS: "smtp", implicitTLS: "smtps"} {
		t.Run(mode, func(t *testing.T) {
			f := newFixture(t, publicURL)
			f.join(t, "Acme", 1, "en")
			srv := newSecureServer(t, mode)
			_, err := f.secureSender(t, srv, scheme, smtpPass, true).SendDue(ctx)
			if err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Fatalf("err %v, want a certificate verification error", err)
			}
			if len(srv.Auths()) != 0 || len(srv.Messages()) != 0 {
				t.Fatalf("sent to an unverified server: auths %+v, messages %+v", srv.Auths(), srv.Messages())
			}
			f.wantKept(t, "certificate")
		})
	}
}
