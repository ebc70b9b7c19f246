package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/postgres"
	"github.com/technopolys/technopolys/internal/store/postgres/pgtest"
	"github.com/technopolys/technopolys/internal/store/storetest"
)

// BenchmarkImport is the SQLite store's BenchmarkImport on PostgreSQL:
//
//	go test ./internal/store/postgres -run '^$' -bench Import -benchtime 1x -count 3
func BenchmarkImport(b *testing.B) {
	for _, existing := range []int{0, registry.MaxImportRows} {
		for _, n := range []int{2000, registry.MaxImportRows} {
			b.Run(fmt.Sprintf("existing=%d/rows=%d", existing, n), func(b *testing.B) {
				storetest.BenchmarkImport(b, openBench, existing, n)
			})
		}
	}
}

// BenchmarkJoinDuringImport reports the longest a join waits while an import
// of registry.MaxImportRows rows runs (max-join-ms):
//
//	go test ./internal/store/postgres -run '^$' -bench JoinDuringImport -benchtime 1x -count 3
func BenchmarkJoinDuringImport(b *testing.B) {
	storetest.BenchmarkJoinDuringImport(b, openBench, registry.MaxImportRows)
}

// openBench opens a new, empty store for a benchmark.
func openBench(b *testing.B) registry.Store {
	s, err := postgres.Open(context.Background(), pgtest.Schema(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkDirectory reads the last page of a directory of 20,000 members:
//
//	go test ./internal/store/postgres -run '^$' -bench Directory -benchtime 2s
func BenchmarkDirectory(b *testing.B) {
	storetest.BenchmarkDirectory(b, openBench, 20000)
}
