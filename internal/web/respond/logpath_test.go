package respond_test

import (
	"testing"

	"github.com/technopolys/technopolys/internal/web/respond"
)

// TestRedactPath: the token of a mailed link never reaches a log line; other
// paths are logged as they are.
func TestRedactPath(t *testing.T) {
	for path, want := range map[string]string{
		"/join/confirm/ABCDEFGHIJKLMNOP":    "/join/confirm/…",
		"/account/signin/ABCDEFGHIJKLMNOP":  "/account/signin/…",
		"/compte/connexion/ABCDEFGHIJKLMNO": "/compte/connexion/…",
		"/join/confirm/":                    "/join/confirm/",
		"/account/signin":                   "/account/signin",
		"/badge/acme.svg":                   "/badge/acme.svg",
	} {
		if got := respond.RedactPath(path); got != want {
			t.Errorf("%s logged as %s, want %s", path, got, want)
		}
	}
}
