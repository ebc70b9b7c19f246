package postgres_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/postgres"
	"github.com/technopolys/technopolys/internal/store/postgres/pgtest"
	"github.com/technopolys/technopolys/internal/store/storetest"
)

// logBuffer collects log lines from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// retries counts the failed attempts Open logged.
func (b *logBuffer) retries() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), "database unreachable")
}

// blackHole listens on a free port, accepts connections and never answers
// them, like a firewall that drops packets after the handshake.
func blackHole(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		held []net.Conn
	)
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	return l.Addr().String()
}

func TestOpenBlackHole(t *testing.T) {
	addr := blackHole(t)
	t.Run("Open gives up when its context ends", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		s, err := postgres.Open(ctx, "postgres://tp@"+addr+"/tp?sslmode=disable", nil)
		if err == nil {
			s.Close()
			t.Fatal("opened a database that never answers")
		}
	})
	t.Run("each attempt ends at connect_timeout and is logged", func(t *testing.T) {
		var log logBuffer
		ctx, cancel := context.WithTimeout(context.Background(), 3500*time.Millisecond)
		defer cancel()
		_, err := postgres.Open(ctx, "postgres://tp@"+addr+"/tp?sslmode=disable&connect_timeout=1", nil,
			postgres.WithLog(slog.New(slog.NewTextHandler(&log, nil))))
		if err == nil || log.retries() < 2 {
			t.Fatalf("%d attempts logged before %v, want 2 or more", log.retries(), err)
		}
	})
}

// TestOpenWaitsForTheDatabase starts Open against a port whose database
// "starts" a second later: until then connections are closed at once, then
// they are forwarded to the test server.
func TestOpenWaitsForTheDatabase(t *testing.T) {
	dsn := pgtest.Schema(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startingProxy(t, u.Host, time.Second)
	u.Host = proxy
	var log logBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, u.String(), nil, postgres.WithLog(slog.New(slog.NewTextHandler(&log, nil))))
	if err != nil {
		t.Fatalf("Open: %v (log: %d attempts failed)", err, log.retries())
	}
	defer s.Close()
	t.Run("it opened once the database was up, after failed attempts", func(t *testing.T) {
		if log.retries() < 1 {
			t.Fatal("no failed attempt logged")
		}
		if err := s.Ready(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// startingProxy listens on a free port; connections made within after of
// its start are closed at once, later ones forwarded to target.
func startingProxy(t *testing.T, target string, after time.Duration) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	up := time.Now().Add(after)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if time.Now().Before(up) {
				c.Close()
				continue
			}
			go forward(c, target)
		}
	}()
	return l.Addr().String()
}

func forward(c net.Conn, target string) {
	defer c.Close()
	s, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer s.Close()
	go io.Copy(s, c)
	io.Copy(c, s)
}

// TestQueryTimeout locks a member's row from another connection: deciding
// about that member fails with EUNAVAILABLE at the store's time bound
// instead of waiting for the lock.
func TestQueryTimeout(t *testing.T) {
	dsn := pgtest.Schema(t)
	ctx := context.Background()
	s, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetQueryTimeout(300 * time.Millisecond)
	m := storetest.MustCreate(t, s, storetest.Application("Verrouillée", 1))
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT id FROM members WHERE id = $1 FOR UPDATE`, m.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Decide(ctx, registry.Decision{MemberID: m.ID, Action: registry.ActionApprove, Actor: "staff"})
	if registry.ErrorCode(err) != registry.EUNAVAILABLE || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("decision on a locked row: %v (code %q)", err, registry.ErrorCode(err))
	}
}

// TestOutboxAtomic fails inserts with a trigger that raises an exception.
func TestOutboxAtomic(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Schema(t)
	s, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	exec := func(t *testing.T, query string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, query); err != nil {
			t.Fatal(err)
		}
	}
	exec(t, `CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'injected'; END$$`)
	storetest.OutboxAtomic(t, s, func(t *testing.T, table string) func() {
		exec(t, `CREATE TRIGGER fail_insert BEFORE INSERT ON `+table+` FOR EACH ROW EXECUTE FUNCTION fail_insert()`)
		return func() { exec(t, `DROP TRIGGER fail_insert ON `+table) }
	})
}
