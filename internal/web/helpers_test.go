package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/sqlite"
	"github.com/technopolys/technopolys/internal/store/storetest"
	"github.com/technopolys/technopolys/internal/web"
)

const token = "test-admin-token"

// app is a real server on a real SQLite store, reached over loopback.
type app struct {
	*httptest.Server
	store registry.Store
	clock *storetest.Clock
	web   *web.Server
}

// newApp starts a server; change adjusts its config before it starts.
func newApp(t testing.TB, change ...func(*web.Config)) *app {
	t.Helper()
	clock := storetest.NewClock()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "tp.db"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	return newAppOn(t, store, clock, change...)
}

// newAppOn starts a server on a store opened with clock.
func newAppOn(t testing.TB, store registry.Store, clock *storetest.Clock, change ...func(*web.Config)) *app {
	t.Helper()
	cfg := web.Config{PublicURL: "https://technopolys.example", AdminToken: token, JoinLimit: 0,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock.Now}
	for _, c := range change {
		c(&cfg)
	}
	h, err := web.New(store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); h.Close(); store.Close() })
	return &app{Server: srv, store: store, clock: clock, web: h}
}

// response is what a test reads of an answer.
type response struct {
	*http.Response
	Body string
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("body is not JSON (%v): %s", err, r.Body)
	}
}

// do sends a request; headers come in name, value pairs.
func (a *app) do(t testing.TB, method, path, body string, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, a.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if method == "POST" && strings.HasPrefix(path, "/api/") {
		req.Header.Set("Content-Type", "application/json") // as curl --json and fetch send it
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{Response: res, Body: string(b)}
}

func (a *app) adminDo(t testing.TB, method, path, body string) response {
	t.Helper()
	return a.do(t, method, path, body, "Authorization", "Bearer "+token, "X-Actor", "Julie")
}

// joinJSON is a valid join body for website n.
func joinJSON(name string, n int) string {
	b, _ := json.Marshal(map[string]any{
		"name": name, "website": "https://company-" + strconv.Itoa(n) + ".example", "contact_name": "Marie Tremblay",
		"contact_email": "marie@company-" + strconv.Itoa(n) + ".example", "region": "Montréal", "consent_public": true,
	})
	return string(b)
}

// join posts a valid application and returns its id.
func (a *app) join(t testing.TB, name string, n int) int64 {
	t.Helper()
	res := a.do(t, "POST", "/api/v1/members", joinJSON(name, n))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("join %q: %d %s", name, res.StatusCode, res.Body)
	}
	var out struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	res.json(t, &out)
	if out.ID == 0 || out.Status != "pending" {
		t.Fatalf("join answer %s", res.Body)
	}
	return out.ID
}

// approve approves a member and returns its slug.
func (a *app) approve(t testing.TB, id int64) string {
	t.Helper()
	res := a.adminDo(t, "POST", "/api/v1/admin/members/"+strconv.FormatInt(id, 10)+"/approve", "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("approve %d: %d %s", id, res.StatusCode, res.Body)
	}
	var m struct{ Slug string }
	res.json(t, &m)
	return m.Slug
}

func wantStatus(t testing.TB, r response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d: %s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.Body)
	}
}
