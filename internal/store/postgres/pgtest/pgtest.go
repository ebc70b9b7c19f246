// Package pgtest gives tests a fresh, empty PostgreSQL schema on the server
// named by TECHNOPOLYS_TEST_POSTGRES (.ci/run starts one). Without it the
// tests skip, except under CI=true, where they fail: CI must test PostgreSQL.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// EnvVar names the server tests run against.
const EnvVar = "TECHNOPOLYS_TEST_POSTGRES"

// Server returns the URL of the test server, skipping the test (failing it
// under CI=true) when there is none.
func Server(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(EnvVar)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a server)", EnvVar)
		}
		tb.Skipf("%s is not set; .ci/run starts a PostgreSQL server for these tests", EnvVar)
	}
	return dsn
}

// Schema creates a new schema on the test server, drops it when the test
// ends, and returns a URL whose connections use only that schema.
func Schema(tb testing.TB) string {
	tb.Helper()
	server := Server(tb)
	db, err := sql.Open("pgx", server)
	if err != nil {
		tb.Fatal(err)
	}
	name := "t_" + rand.Text()[:12]
	if _, err := db.ExecContext(context.Background(), "CREATE SCHEMA "+name); err != nil {
		db.Close()
		tb.Fatalf("postgres at %s: %v", server, err)
	}
	tb.Cleanup(func() {
		db.ExecContext(context.Background(), "DROP SCHEMA "+name+" CASCADE")
		db.Close()
	})
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return fmt.Sprint(u)
}
