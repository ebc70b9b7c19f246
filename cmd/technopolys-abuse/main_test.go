package main

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestLoopbackOnly(t *testing.T) {
	for raw, want := range map[string]string{
		"http://127.0.0.1:18080":  "127.0.0.1:18080",
		"http://127.0.0.1:8080/":  "127.0.0.1:8080",
		"http://127.0.0.1":        "127.0.0.1:80",
		"http://localhost:8080":   "",
		"http://10.0.0.1:8080":    "",
		"https://127.0.0.1:8443":  "",
		"http://127.0.0.1:8080/x": "",
		"http://127.0.0.2:8080":   "",
	} {
		got, err := loopbackAddr(raw)
		if want == "" && err == nil {
			t.Errorf("%s: accepted as %s", raw, got)
		}
		if want != "" && (err != nil || got != want) {
			t.Errorf("%s: %q, %v; want %q", raw, got, err, want)
		}
	}
}

func TestBadgeVariantsAreDistinct(t *testing.T) {
	slugs := []string{"a", "b"}
	seen := map[string]bool{}
	for i := range int64(2 * variantsPerMember) {
		u := badgeVariant("http://127.0.0.1:1", slugs, i)
		if seen[u] {
			t.Fatalf("variant %d repeats %s", i, u)
		}
		seen[u] = true
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		q := parsed.Query()
		if len(q["style"]) != 1 || len(q["theme"]) != 1 || len(q["lang"]) != 1 {
			t.Errorf("%s: each option once", u)
		}
		if strings.HasSuffix(parsed.Path, ".svg") == q.Has("scale") {
			t.Errorf("%s: scale is for PNG only", u)
		}
	}
	if badgeVariant("x", slugs, 2*variantsPerMember) != badgeVariant("x", slugs, 0) {
		t.Error("past the last variant the crawl should start over")
	}
}

func TestComplete(t *testing.T) {
	for raw, want := range map[string]bool{
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc":                            true,
		"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabc":                            false,
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n": true,
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n":          false,
		"HTTP/1.1 200 OK\r\nContent-Le":                                              false,
	} {
		if got := complete([]byte(raw)); got != want {
			t.Errorf("complete(%q) = %v", raw, got)
		}
	}
}

func TestTallyCountsErrorsAndCuts(t *testing.T) {
	var tl tally
	open := context.Background()
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	tl.record(open, 200, nil)
	tl.record(open, 503, nil)
	tl.record(open, 0, syscall.ECONNREFUSED)
	tl.record(open, 0, os.ErrDeadlineExceeded)
	tl.record(ended, 0, context.Canceled)
	want := "4 req, 2 errors (refused=1 timeout=1), 200=1 503=1, 1 in flight at the end"
	if got := tl.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestErrorKind(t *testing.T) {
	for err, want := range map[error]string{
		syscall.ECONNRESET:          "reset",
		context.DeadlineExceeded:    "timeout",
		syscall.EMFILE:              "our-fd-limit",
		errors.New("something odd"): "other",
	} {
		if got := errorKind(err); got != want {
			t.Errorf("errorKind(%v) = %s, want %s", err, got, want)
		}
	}
}

func TestProcNetTCPPort(t *testing.T) {
	if got := port("0100007F:4694"); got != 18068 {
		t.Errorf("port = %d", got)
	}
}

func TestChooseKeepsTheIssueOrder(t *testing.T) {
	got, err := choose("scans, goal")
	if err != nil || len(got) != 2 || got[0].name != "goal" || got[1].name != "scans" {
		t.Errorf("choose: %v, %v", got, err)
	}
	if _, err := choose("goal,nope"); err == nil {
		t.Error("an unknown attack should be refused")
	}
}

func TestMemberCSVIsOneImport(t *testing.T) {
	file := string(memberCSV("Seed x", 0, maxImportRows))
	lines := strings.Split(strings.TrimSpace(file), "\n")
	if lines[0] != "name,website,region,contact_email,consent_public" || len(lines) != maxImportRows+1 {
		t.Errorf("header %q, %d lines", lines[0], len(lines))
	}
	if !strings.HasPrefix(lines[1], "Seed x 0,https://seed-x-0.example,") {
		t.Errorf("first row %q", lines[1])
	}
}
