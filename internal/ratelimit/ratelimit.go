// Package ratelimit throttles by client: a token bucket per key, with
// memory bounded whatever the number of keys.
package ratelimit

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a token bucket per client: n requests per window, refilled
// evenly, with a burst of its own. Buckets that are full again are dropped
// now and then, so memory follows the number of recent clients; past
// maxBuckets recent clients, newcomers share one bucket, so no number of
// addresses grows it further.
type Limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	now     func() time.Time
	buckets map[string]*rate.Limiter
	swept   time.Time
	// overflow is the bucket every client shares once the map is full.
	overflow *rate.Limiter
}

const (
	// sweepEvery is the least time between two sweeps of full buckets: a
	// sweep walks every bucket, so it must not run on every new client.
	sweepEvery = time.Minute
	// maxBuckets bounds the clients tracked one by one (about 150 bytes each).
	maxBuckets = 200_000
)

// New allows n per window to each client, burst at once; burst 0
// means n.
func New(n, burst int, window time.Duration, now func() time.Time) *Limiter {
	if n <= 0 {
		return nil // no limit
	}
	if burst <= 0 {
		burst = n
	}
	every := rate.Limit(float64(n) / window.Seconds())
	return &Limiter{every: every, burst: burst, now: now, buckets: map[string]*rate.Limiter{},
		overflow: rate.NewLimiter(every*100, burst*100)}
}

// Allow takes a token for client, or says how long until one is free.
func (l *Limiter) Allow(client string) (ok bool, retryAfter time.Duration) {
	if l == nil { // New(0, …): no limit
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.bucket(client, now)
	res := b.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

func (l *Limiter) bucket(client string, now time.Time) *rate.Limiter {
	if b, ok := l.buckets[client]; ok {
		return b
	}
	if len(l.buckets) >= maxBuckets/2 && now.Sub(l.swept) >= sweepEvery {
		l.swept = now
		l.sweep(now)
	}
	if len(l.buckets) >= maxBuckets {
		return l.overflow
	}
	b := rate.NewLimiter(l.every, l.burst)
	l.buckets[client] = b
	return b
}

func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}

// Seconds rounds a delay up to whole seconds for Retry-After.
func Seconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }

// Blocked reports whether client has no token left, without taking one.
func (l *Limiter) Blocked(client string) (bool, time.Duration) {
	if l == nil { // New(0, …): no limit
		return false, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[client]
	if !ok {
		return false, 0
	}
	now := l.now()
	if b.TokensAt(now) >= 1 {
		return false, 0
	}
	res := b.ReserveN(now, 1)
	d := res.DelayFrom(now)
	res.CancelAt(now)
	return true, d
}
