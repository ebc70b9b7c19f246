package web_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/store/postgres"
	"github.com/technopolys/technopolys/internal/store/postgres/pgtest"
	"github.com/technopolys/technopolys/internal/web"
)

// instance is one technopolys server on the shared PostgreSQL database,
// listening for the others' changes as cmd/technopolys wires it.
func instance(t *testing.T, dsn string) *app {
	t.Helper()
	store, err := postgres.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := web.New(store, web.Config{PublicURL: "https://technopolys.example", AdminToken: token, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go postgres.Listen(ctx, dsn, h.Changed, log)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { cancel(); srv.Close(); h.Close(); store.Close() })
	return &app{Server: srv, store: store, web: h}
}

// TestApprovalReachesAnotherInstance: two servers on one real PostgreSQL;
// an approval through the first reaches a stream subscriber of the second
// within a second, also after the second's listening connection was cut
// (as by a database restart).
func TestApprovalReachesAnotherInstance(t *testing.T) {
	dsn := pgtest.Schema(t)
	first, second := instance(t, dsn), instance(t, dsn)
	s := openStream(t, second.URL+"/api/v1/stats/stream")
	if e := s.next(t, 2*time.Second); e.Data.Members != 0 {
		t.Fatalf("%+v", e)
	}
	id := first.join(t, "Acme", 1)
	start := time.Now()
	first.approve(t, id)
	if e := s.next(t, time.Second); e.Data.Members != 1 {
		t.Fatalf("second instance saw %+v", e)
	}
	t.Logf("approval on the first instance reached the second's stream in %s", time.Since(start))

	// Cut every listening connection, approve while they are down, and
	// expect the fresh count after reconnection.
	db, err := sql.Open("pgx", pgtest.Server(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN ` + postgres.Channel + `%'`); err != nil {
		t.Fatal(err)
	}
	first.approve(t, first.join(t, "Beta", 2))
	deadline := time.Now().Add(3 * time.Second)
	for {
		e := s.next(t, time.Until(deadline))
		if e.Data.Members == 2 {
			break
		}
	}
	if res := second.do(t, "GET", "/widget/count.json", ""); !strings.Contains(res.Body, `"members":2`) {
		t.Errorf("count.json on the second instance: %s", res.Body)
	}

	// A badge served (and cached) by the second instance disappears there
	// when the first revokes the member.
	wantStatus(t, second.do(t, "GET", "/badge/acme.svg", ""), 200)
	wantStatus(t, first.adminDo(t, "POST", "/api/v1/admin/members/"+strconv.FormatInt(id, 10)+"/revoke", `{"reason":"x"}`), 200)
	s.next(t, time.Second) // the second instance has heard of it
	wantStatus(t, second.do(t, "GET", "/badge/acme.svg", ""), 404)
}
