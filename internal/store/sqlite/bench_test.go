package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/sqlite"
	"github.com/technopolys/technopolys/internal/store/storetest"
)

// BenchmarkImport times one import of 2,000 and of registry.MaxImportRows
// rows, into an empty store and into one already holding MaxImportRows
// members, since slug allocation and website checks slow down as the table
// grows:
//
//	go test ./internal/store/sqlite -run '^$' -bench Import -benchtime 1x -count 3
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
//	go test ./internal/store/sqlite -run '^$' -bench JoinDuringImport -benchtime 1x -count 3
func BenchmarkJoinDuringImport(b *testing.B) {
	storetest.BenchmarkJoinDuringImport(b, openBench, registry.MaxImportRows)
}

// openBench opens a new, empty store for a benchmark.
func openBench(b *testing.B) registry.Store {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "tp.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkDirectory reads the last page of a directory of 20,000 members:
//
//	go test ./internal/store/sqlite -run '^$' -bench Directory -benchtime 2s
func BenchmarkDirectory(b *testing.B) {
	storetest.BenchmarkDirectory(b, openBench, 20000)
}
