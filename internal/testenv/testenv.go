// Package testenv finds the programs that tests drive on this machine
// (Chromium, librsvg, poppler): a test skips without one, except under CI=true, where .ci/run
// installs them all and a missing one is a failure.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium is Debian's Chromium (or $TECHNOPOLYS_TEST_CHROMIUM).
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TECHNOPOLYS_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is required under CI=true (.ci/run installs Debian's chromium)")
	}
	t.Skip("Chromium not installed (apt-get install chromium)")
	return ""
}

// Program is a Debian package's program (rsvg-convert from librsvg2-bin,
// pdftoppm from poppler-utils), found on the PATH.
func Program(t testing.TB, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (Debian's %s) is required under CI=true", name, debianPackage)
	}
	t.Skipf("%s not installed (apt-get install %s)", name, debianPackage)
	return ""
}
