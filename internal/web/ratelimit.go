package web

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket per client: n requests per window, refilled
// evenly. Buckets that are full again are dropped, so memory follows the
// number of recent clients, not of all clients ever seen.
type limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	now     func() time.Time
	buckets map[string]*rate.Limiter
}

// sweepAt is how many buckets may exist before full ones are dropped.
const sweepAt = 10000

func newLimiter(n int, window time.Duration, now func() time.Time) *limiter {
	if n <= 0 {
		return nil // no limit
	}
	return &limiter{
		every:   rate.Limit(float64(n) / window.Seconds()),
		burst:   n,
		now:     now,
		buckets: map[string]*rate.Limiter{},
	}
}

// allow takes a token for client, or says how long until one is free.
func (l *limiter) allow(client string) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, found := l.buckets[client]
	if !found {
		if len(l.buckets) >= sweepAt {
			l.sweep(now)
		}
		b = rate.NewLimiter(l.every, l.burst)
		l.buckets[client] = b
	}
	res := b.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}

// retryAfterSeconds rounds a delay up to whole seconds for Retry-After.
func retryAfterSeconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }
