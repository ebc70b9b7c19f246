package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/postgres"
	"github.com/technopolys/technopolys/internal/store/postgres/pgtest"
	"github.com/technopolys/technopolys/internal/web"
)

// BenchmarkJoin measures acknowledged (durable) joins per second through the
// whole stack: HTTP on loopback, validation, the store's commit. 32
// concurrent clients per core. /healthz, which touches no store, is the
// reference for what the HTTP stack alone does in the same run.
//
//	go test ./internal/web -run '^$' -bench 'Join|Healthz' -count 5
func BenchmarkJoin(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchJoin(b, newApp(b).URL) })
	b.Run("postgres", func(b *testing.B) {
		store, err := postgres.Open(context.Background(), pgtest.Schema(b), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { store.Close() })
		benchJoin(b, serve(b, store).URL)
	})
}

func serve(b *testing.B, store registry.Store) *httptest.Server {
	h, err := web.New(store, web.Config{PublicURL: "https://technopolys.example", AdminToken: token,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(func() { srv.Close(); h.Close() })
	return srv
}

var site atomic.Int64

func benchJoin(b *testing.B, url string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := site.Add(1)
			body := fmt.Sprintf(`{"name":"Bench %d","website":"https://bench-%d.example","contact_name":"M","contact_email":"m@bench.example","region":"Laval","consent_public":true}`, n, n)
			res, err := client.Post(url+"/api/v1/members", "application/json", strings.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				b.Fatalf("join: %d", res.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "joins/s")
}

func BenchmarkHealthz(b *testing.B) {
	url := newApp(b).URL
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := client.Get(url + "/healthz")
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
