package ratelimit

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkLimiterManyClients takes a token for ever new client addresses,
// as a flood of forged or distinct addresses would: the cost per call must
// not grow with the number of clients seen (a sweep on every new client
// made the join endpoint fall from 1,400 to 150 req/s past 10,000).
func BenchmarkLimiterManyClients(b *testing.B) {
	for _, clients := range []int{1_000, 10_000, 100_000} {
		b.Run(strconv.Itoa(clients), func(b *testing.B) {
			now := time.Unix(0, 0)
			l := New(400, 100, time.Hour, func() time.Time { return now })
			names := make([]string, clients)
			for i := range names {
				names[i] = "198.51." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
				l.Allow(names[i])
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				l.Allow(names[i%clients] + "x" + strconv.Itoa(i/clients))
			}
		})
	}
}

func TestLimiterStaysBounded(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(1, 1, time.Hour, func() time.Time { return now })
	for i := range maxBuckets + 1000 {
		l.Allow("c" + strconv.Itoa(i))
	}
	if len(l.buckets) > maxBuckets {
		t.Fatalf("%d buckets, at most %d", len(l.buckets), maxBuckets)
	}
	// Once their tokens are back, the buckets are swept.
	now = now.Add(2 * time.Hour)
	l.Allow("late")
	if len(l.buckets) > 1 {
		t.Errorf("%d buckets after the sweep", len(l.buckets))
	}
}
