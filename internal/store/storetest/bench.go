package storetest

import (
	"context"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

// BenchmarkImport times one import of n rows into a store open gives that
// already holds existing members (written by an import the timer skips).
func BenchmarkImport(b *testing.B, open func(b *testing.B) registry.Store, existing, n int) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := open(b)
		if existing > 0 {
			if _, err := s.ImportMembers(ctx, ImportRows(b, existing, 0), "bench"); err != nil {
				b.Fatal(err)
			}
		}
		rows := ImportRows(b, n, existing)
		b.StartTimer()
		if _, err := s.ImportMembers(ctx, rows, "bench"); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
	}
}
