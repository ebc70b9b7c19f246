package storetest

import (
	"context"
	"testing"
	"time"

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

// BenchmarkJoinDuringImport times an import of n rows while joins are made
// one after another until it ends, and reports the longest a join waited
// (max-join-ms) and how many got through per import (joins).
func BenchmarkJoinDuringImport(b *testing.B, open func(b *testing.B) registry.Store, n int) {
	var (
		longest time.Duration
		joins   int
	)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := open(b)
		rows := ImportRows(b, n, 0)
		b.StartTimer()
		done := make(chan error, 1)
		go func() {
			_, err := s.ImportMembers(context.Background(), rows, "bench")
			done <- err
		}()
		waits := joinUntil(b, s, done)
		b.StopTimer()
		s.Close()
		for _, w := range waits {
			longest = max(longest, w)
		}
		joins += len(waits)
	}
	b.ReportMetric(float64(longest.Microseconds())/1000, "max-join-ms")
	b.ReportMetric(float64(joins)/float64(b.N), "joins")
}

// joinUntil makes joins one after another until done delivers, and returns
// how long each took.
func joinUntil(b *testing.B, s registry.Store, done <-chan error) []time.Duration {
	var waits []time.Duration
	for j := 0; ; j++ {
		select {
		case err := <-done:
			if err != nil {
				b.Fatal(err)
			}
			return waits
		default:
		}
		start := time.Now()
		MustCreate(b, s, Application("Pendant l'import", 1_000_000+j))
		waits = append(waits, time.Since(start))
	}
}
