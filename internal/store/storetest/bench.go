package storetest

import (
	"context"
	"fmt"
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
		MustCreate(b, s, Application(fmt.Sprint("Pendant l'import ", j), 1_000_000+j))
		waits = append(waits, time.Since(start))
	}
}

// BenchmarkDirectory times reading the last page of the directory (20
// members) of a store holding members members, two thirds of them listed:
// by offset with a count (what the web layer does today), by keyset with
// and without the count, for the whole directory and for one region; and
// Stats.
func BenchmarkDirectory(b *testing.B, open func(b *testing.B) registry.Store, members int) {
	ctx := context.Background()
	s := open(b)
	defer s.Close()
	for first := 0; first < members; first += registry.MaxImportRows {
		if _, err := s.ImportMembers(ctx, ImportRows(b, min(registry.MaxImportRows, members-first), first), "bench"); err != nil {
			b.Fatal(err)
		}
	}
	const page = 20
	for _, region := range []registry.Region{"", "Laval"} {
		listing := registry.MemberFilter{Listed: true, Region: region, Limit: members, NoTotal: true}
		ms, _, err := s.ListMembers(ctx, listing)
		if err != nil || len(ms) <= page {
			b.Fatalf("%d listed, %v", len(ms), err)
		}
		after := ms[len(ms)-page-1].Slug
		for name, f := range map[string]registry.MemberFilter{
			"offset+count":  {Listed: true, Region: region, Limit: page, Offset: len(ms) - page},
			"keyset+count":  {Listed: true, Region: region, Limit: page, After: after},
			"keyset":        {Listed: true, Region: region, Limit: page, After: after, NoTotal: true},
			"keyset-before": {Listed: true, Region: region, Limit: page, Before: ms[len(ms)-1].Slug, NoTotal: true},
		} {
			b.Run(fmt.Sprintf("region=%s/%s", region.Key(), name), func(b *testing.B) {
				for b.Loop() {
					if got, _, err := s.ListMembers(ctx, f); err != nil || len(got) != page {
						b.Fatalf("%d members, %v", len(got), err)
					}
				}
			})
		}
	}
	b.Run("stats", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Stats(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
