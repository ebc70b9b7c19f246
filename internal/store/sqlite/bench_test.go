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
				benchImport(b, existing, n)
			})
		}
	}
}

func benchImport(b *testing.B, existing, n int) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("tp-%d.db", i)), nil)
		if err != nil {
			b.Fatal(err)
		}
		if existing > 0 {
			if _, err := s.ImportMembers(ctx, storetest.ImportRows(b, existing, 0), "bench"); err != nil {
				b.Fatal(err)
			}
		}
		rows := storetest.ImportRows(b, n, existing)
		b.StartTimer()
		if _, err := s.ImportMembers(ctx, rows, "bench"); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
	}
}
