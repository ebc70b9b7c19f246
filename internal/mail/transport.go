package mail

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Transport is how the sender reaches its SMTP server, read from a URL by
// ParseURL.
type Transport struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is "starttls" (smtp://, the default), "implicit" (smtps://) or
	// "none" (smtp://…?tls=none: a plain connection, for a relay on the same
	// machine or a test server; never across a network).
	TLS string
	// roots, when set, are the only certificate authorities the server's
	// certificate may chain to, instead of the system's: tests give their
	// self-signed server's certificate (export_test.go). Verification itself
	// is never turned off; there is no flag for it.
	roots *x509.CertPool
}

// ParseURL reads --smtp-url:
//
//	smtp://user:pass@host:587          STARTTLS, required (port 587 by default)
//	smtps://user:pass@host:465         implicit TLS (port 465 by default)
//	smtp://host:2525?tls=none          no TLS at all (local relay, tests)
//
// The user and password are optional and percent-encoded as in any URL.
func ParseURL(raw string) (Transport, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Transport{}, fmt.Errorf("smtp url: %w", redact(err))
	}
	var t Transport
	switch u.Scheme {
	case "smtp":
		t.TLS, t.Port = "starttls", 587
	case "smtps":
		t.TLS, t.Port = "implicit", 465
	default:
		return Transport{}, fmt.Errorf("smtp url: scheme %q is neither smtp nor smtps", u.Scheme)
	}
	switch v := u.Query().Get("tls"); v {
	case "":
	case "none":
		if u.Scheme == "smtps" {
			return Transport{}, fmt.Errorf("smtp url: smtps:// is TLS; use smtp://…?tls=none for a plain connection")
		}
		t.TLS = "none"
	default:
		return Transport{}, fmt.Errorf("smtp url: tls=%q: the only choice is tls=none", v)
	}
	if t.Host = u.Hostname(); t.Host == "" {
		return Transport{}, fmt.Errorf("smtp url: no host")
	}
	if p := u.Port(); p != "" {
		if t.Port, err = strconv.Atoi(p); err != nil || t.Port <= 0 || t.Port > 65535 {
			return Transport{}, fmt.Errorf("smtp url: port %q", p)
		}
	}
	if u.User != nil {
		t.Username = u.User.Username()
		t.Password, _ = u.User.Password()
	}
	return t, nil
}

// redact drops the URL from a url.Error, which would carry the password.
func redact(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// sendTimeout bounds each connection, command and message.
const sendTimeout = 30 * time.Second

// client returns a go-mail client for the transport, saying helo as host.
func (t Transport) client(helo string) (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(t.Port), gomail.WithTimeout(sendTimeout)}
	if helo != "" {
		opts = append(opts, gomail.WithHELO(helo))
	}
	switch t.TLS {
	case "implicit":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if t.roots != nil {
		// go-mail's own default, with the roots: a tls.Config of ours
		// replaces its whole config, ServerName included.
		opts = append(opts, gomail.WithTLSConfig(&tls.Config{ServerName: t.Host, MinVersion: gomail.DefaultTLSMinVersion, RootCAs: t.roots}))
	}
	if t.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(t.Username), gomail.WithPassword(t.Password))
	}
	return gomail.NewClient(t.Host, opts...)
}
