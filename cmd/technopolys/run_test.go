package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFlagsOverrideEnvironment(t *testing.T) {
	env := envOf(map[string]string{"TECHNOPOLYS_ADDR": ":9000", "TECHNOPOLYS_DB": "sqlite:env.db",
		"TECHNOPOLYS_JOIN_LIMIT": "5", "TECHNOPOLYS_TRUSTED_PROXY": "10.0.0.0/8, 192.168.1.7/32", "TECHNOPOLYS_ADMIN_TOKEN": "a-token-of-thirty-characters!!", "TECHNOPOLYS_CACHE_BYTES": "64MiB"})
	c, err := parseServe([]string{"--addr", "127.0.0.1:7000"}, env, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:7000" || c.db != "sqlite:env.db" || c.joinLimit != 5 || len(c.trusted) != 2 || c.adminToken != "a-token-of-thirty-characters!!" || c.cacheBytes != 64<<20 {
		t.Fatalf("config %+v", c)
	}
	c, _ = parseServe(nil, envOf(nil), &bytes.Buffer{})
	if c.addr != ":8080" || c.db != "sqlite:technopolys.db" || c.joinLimit != 400 || c.cacheBytes != 256<<20 ||
		c.streamsPerIP != 20 || c.hsts || c.metricsAddr != "" {
		t.Fatalf("defaults %+v", c)
	}
	if c, _ = parseServe([]string{"--public-url", "https://technopolys.quebec"}, envOf(nil), &bytes.Buffer{}); !c.hsts {
		t.Error("no HSTS by default on an https public URL")
	}
	if c, _ = parseServe([]string{"--public-url", "https://technopolys.quebec", "--hsts=false"}, envOf(nil), &bytes.Buffer{}); c.hsts {
		t.Error("--hsts=false ignored")
	}
	for in, want := range map[string]int64{"1024": 1024, "512KiB": 512 << 10, "256MiB": 256 << 20, "1GiB": 1 << 30, "2gb": 2 << 30} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v", in, got, err)
		}
	}
	if _, err := parseServe(nil, envOf(map[string]string{"TECHNOPOLYS_ADMIN_TOKEN": "short-token"}), &bytes.Buffer{}); err == nil ||
		!strings.Contains(err.Error(), "24") {
		t.Errorf("a short admin token was accepted: %v", err)
	}
	for _, tok := range []string{"a-token-of-thirty-characters!!\n", strings.Repeat(" ", 30), "a token of thirty characters!!"} {
		if _, err := parseServe(nil, envOf(map[string]string{"TECHNOPOLYS_ADMIN_TOKEN": tok}), &bytes.Buffer{}); err == nil {
			t.Errorf("admin token %q accepted: no header could carry it", tok)
		}
	}
	for _, bad := range [][]string{{"--join-limit", "-1"}, {"--trusted-proxy", "nope"}, {"--log-level", "loud"}, {"extra"},
		{"--cache-bytes", "lots"}, {"--cache-bytes", "0"}, {"--cache-bytes", "5TiB"}, {"--max-streams-per-ip", "x"}, {"--hsts", "maybe"}} {
		if _, err := parseServe(bad, envOf(nil), &bytes.Buffer{}); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestIssuerEmail(t *testing.T) {
	env := envOf(map[string]string{"TECHNOPOLYS_ISSUER_EMAIL": "env@technopolys.quebec"})
	if c, err := parseServe(nil, env, &bytes.Buffer{}); err != nil || c.issuerEmail != "env@technopolys.quebec" {
		t.Errorf("from the variable: %q, %v", c.issuerEmail, err)
	}
	if c, err := parseServe([]string{"--issuer-email", "badges@technopolys.quebec"}, env, &bytes.Buffer{}); err != nil || c.issuerEmail != "badges@technopolys.quebec" {
		t.Errorf("flag over variable: %q, %v", c.issuerEmail, err)
	}
	for _, bad := range []string{"nobody", "Badges <badges@technopolys.quebec>", "a@b, c@d", " badges@technopolys.quebec"} {
		if _, err := parseServe([]string{"--issuer-email", bad}, envOf(nil), &bytes.Buffer{}); err == nil {
			t.Errorf("issuer email %q accepted", bad)
		}
	}
}

func TestVersionAndUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"version"}, envOf(nil), &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "technopolys ") {
		t.Fatalf("version: %q %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, envOf(nil), &out, &errOut); err == nil || !strings.Contains(errOut.String(), "usage") {
		t.Fatalf("unknown command: %v", err)
	}
}

// TestServeThenBackup runs the server in process, joins once, takes a backup
// while it serves, and stops it by cancelling the context.
func TestServeThenBackup(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "tp.db")
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--metrics-addr", "127.0.0.1:0"}, envOf(nil), &bytes.Buffer{}, logs)
	}()
	var url, metrics string
	for deadline := time.Now().Add(10 * time.Second); (url == "" || metrics == "") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		url, metrics = logged(logs.String(), "public_url="), logged(logs.String(), `msg="metrics listening" addr=`)
	}
	if !strings.Contains(logs.String(), "token=") || !strings.Contains(logs.String(), "/admin") {
		t.Fatalf("no generated token or console address in the log:\n%s", logs)
	}
	res, err := http.Post(url+"/api/v1/members", "application/json", strings.NewReader(
		`{"name":"Acme","website":"https://acme.example","contact_name":"M","contact_email":"m@acme.example","region":"Laval","consent_public":true}`))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("join: %v %v", res, err)
	}
	// The metrics listener answers without a token; the public one wants it.
	mres, err := http.Get("http://" + metrics + "/metrics")
	if err != nil || mres.StatusCode != 200 {
		t.Fatalf("metrics listener: %v %v", mres, err)
	}
	body, _ := io.ReadAll(mres.Body)
	mres.Body.Close()
	if !strings.Contains(string(body), `technopolys_http_requests_total{route="/api/v1/members",status="201"} 1`) ||
		!strings.Contains(string(body), "technopolys_joins_total 1") {
		t.Errorf("metrics:\n%s", body)
	}
	if res, err := http.Get(url + "/metrics"); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("public /metrics without the token: %v %v", res, err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := run(context.Background(), []string{"backup", "--db", db, copyPath}, envOf(nil), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(copyPath); err != nil || fi.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// logged is the value after key in the first log line that has it.
func logged(logs, key string) string {
	i := strings.Index(logs, key)
	if i < 0 {
		return ""
	}
	return strings.Fields(logs[i+len(key):])[0]
}

// syncBuffer is a bytes.Buffer safe for the server's logger and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// TestStaffCommands adds, lists and disables an account from the command
// line, as an operator would.
func TestStaffCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "tp.db")
	staffRun := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"staff"}, append(args, "--db", db, "--public-url", "https://technopolys.example")...), envOf(nil), &out, &errOut)
		return out.String(), err
	}
	out, err := staffRun("add", "--email", "Julie@Technopolys.example", "--name", "Julie Gagnon")
	if err != nil || !strings.Contains(out, "https://technopolys.example/admin/password?token=") {
		t.Fatalf("staff add: %v\n%s", err, out)
	}
	if _, err := staffRun("add", "--email", "julie@technopolys.example", "--name", "Another"); err == nil {
		t.Error("a second account with the same e-mail was added")
	}
	if _, err := staffRun("add", "--email", "not an address", "--name", "X"); err == nil {
		t.Error("an account without a valid e-mail was added")
	}
	out, err = staffRun("list")
	if err != nil || !strings.Contains(out, "julie@technopolys.example") || !strings.Contains(out, "no password yet") {
		t.Fatalf("staff list: %v\n%s", err, out)
	}
	if out, err = staffRun("disable", "--email", "JULIE@technopolys.example"); err != nil {
		t.Fatalf("staff disable: %v %s", err, out)
	}
	if out, _ = staffRun("list"); !strings.Contains(out, "disabled") {
		t.Errorf("after disable: %s", out)
	}
	if _, err := staffRun("frobnicate"); err == nil {
		t.Error("an unknown subcommand succeeded")
	}
}

func TestParseRetention(t *testing.T) {
	day := 24 * time.Hour
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want time.Duration
	}{
		{nil, nil, 90 * day},
		{[]string{"--retention", "30"}, nil, 30 * day},
		{[]string{"--retention", "36h"}, nil, 36 * time.Hour},
		{nil, map[string]string{"TECHNOPOLYS_RETENTION": "2160h"}, 90 * day},
		{[]string{"--retention", "7"}, map[string]string{"TECHNOPOLYS_RETENTION": "60"}, 7 * day},
	} {
		c, err := parseServe(tt.args, envOf(tt.env), &bytes.Buffer{})
		if err != nil || c.retention != tt.want {
			t.Errorf("%v %v: %v, %v; want %v", tt.args, tt.env, c.retention, err, tt.want)
		}
	}
	for _, bad := range []string{"0", "-3", "soon", "30m", "1d", "99999999"} {
		if _, err := parseServe([]string{"--retention", bad}, envOf(nil), &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--retention") {
			t.Errorf("--retention %s: %v", bad, err)
		}
	}
}
