package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// scanWindow is how long one client's scans of one code count as one: a
// poster scanned again and again by the same phone, or a script replaying
// the short link, is one scan.
const scanWindow = 5 * time.Minute

// maxScanClients bounds the clients remembered (about 50 bytes each).
// Past it, expired ones are dropped; if none has expired the flood is not
// counted at all, since genuine scans never come that fast.
const maxScanClients = 200_000

// onceEvery tells whether a (client, code) pair was seen within the
// window. It keeps no address: only a keyed hash of it, under a key that
// lives in memory and dies with the process.
type onceEvery struct {
	window time.Duration
	now    func() time.Time
	salt   [32]byte
	mu     sync.Mutex
	seen   map[[16]byte]time.Time // hash → when it may count again
	swept  time.Time              // sweeps of a full map run at most once a second
}

func newOnceEvery(window time.Duration, now func() time.Time) *onceEvery {
	o := &onceEvery{window: window, now: now, seen: map[[16]byte]time.Time{}}
	rand.Read(o.salt[:])
	return o
}

// first reports whether client's scan of code counts: the first in the
// window.
func (o *onceEvery) first(client, code string) bool {
	h := sha256.New()
	h.Write(o.salt[:])
	h.Write([]byte(client))
	h.Write([]byte{0})
	h.Write([]byte(code))
	var k [16]byte
	copy(k[:], h.Sum(nil))
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if until, ok := o.seen[k]; ok && now.Before(until) {
		return false
	}
	if len(o.seen) >= maxScanClients {
		if now.Sub(o.swept) >= time.Second {
			o.swept = now
			o.sweep(now)
		}
		if len(o.seen) >= maxScanClients {
			return false
		}
	}
	o.seen[k] = now.Add(o.window)
	return true
}

func (o *onceEvery) sweep(now time.Time) {
	for k, until := range o.seen {
		if !now.Before(until) {
			delete(o.seen, k)
		}
	}
}

// scanFlush is how often counted scans are written: a burst of scans at a
// venue is one write, not one per phone, and never queues before a join
// for SQLite's single writer.
const scanFlush = 2 * time.Second

// scanCounts holds scans counted since the last write, by event code. Only
// codes of known events get here, so it is as small as the event list.
type scanCounts struct {
	mu     sync.Mutex
	counts map[string]int
}

func (c *scanCounts) add(code string) { c.addN(code, 1) }

func (c *scanCounts) addN(code string, n int) {
	c.mu.Lock()
	if c.counts == nil {
		c.counts = map[string]int{}
	}
	c.counts[code] += n
	c.mu.Unlock()
}

func (c *scanCounts) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.counts
	c.counts = nil
	return out
}

// flushScans writes the scans counted so far. Scans that fail to be
// written are put back for the next try: a scan is a statistic, but the
// organizer's funnel should not lose a venue's worth to a store hiccup.
func (s *Server) flushScans(ctx context.Context) {
	counts := s.pendingScans.take()
	if len(counts) == 0 {
		return
	}
	if err := s.store.RecordScans(ctx, counts); err != nil {
		s.log.Warn("scans not written yet", "events", len(counts), "err", err)
		for code, n := range counts {
			s.pendingScans.addN(code, n)
		}
	}
}
