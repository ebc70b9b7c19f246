// Package imagecache keeps rendered images (badges, widgets, QR codes,
// posters) in memory under one byte budget, and rations the work of drawing
// the ones it does not hold.
//
// It is built on otter (github.com/maypok86/otter/v2), a cost-aware cache:
// each entry weighs its length in bytes, and the cache never holds more than
// its budget. Its eviction policy is W-TinyLFU rather than plain LRU: an
// entry nobody has asked for again is the first to go, and a crawler walking
// thousands of one-off variants cannot push out the badges real pages show
// every second. Entries nobody reads leave after an idle time.
package imagecache

import (
	"context"
	"errors"
	"time"

	"github.com/maypok86/otter/v2"
)

// ErrBusy is returned when every render slot stayed taken for the whole
// wait: the caller answers 503 with Retry-After.
var ErrBusy = errors.New("imagecache: too many renders in progress")

// Config sets a cache's limits.
type Config struct {
	// Budget is the most bytes of entries (keys included) held at once.
	Budget int64
	// Renders is how many draws may run at once.
	Renders int
	// Wait is how long a draw may wait for a slot before ErrBusy.
	Wait time.Duration
	// Idle is how long an entry nobody reads stays.
	Idle time.Duration
}

// entryOverhead is what an entry costs beyond its bytes and key: the
// cache's node and the value's own struct and headers. Measured: 20,000
// count widgets weighed 45.2 MB at 256 bytes each and grew the heap by
// 55.8 MB, so an entry holds about 800 bytes besides its body.
const entryOverhead = 800

// Cache holds values of type V under string keys, each weighing size(V)
// bytes.
type Cache[V any] struct {
	c     *otter.Cache[string, V]
	slots chan struct{}
	wait  time.Duration
	// Stats counts what happened, for /metrics.
	Stats Stats
}

// New returns an empty cache; size says how many bytes a value holds.
func New[V any](cfg Config, size func(V) int) (*Cache[V], error) {
	if cfg.Budget <= 0 || cfg.Renders <= 0 {
		return nil, errors.New("imagecache: budget and renders must be positive")
	}
	c := &Cache[V]{slots: make(chan struct{}, cfg.Renders), wait: cfg.Wait}
	var err error
	c.c, err = otter.New(&otter.Options[string, V]{
		MaximumWeight: uint64(cfg.Budget),
		Weigher: func(k string, v V) uint32 {
			return uint32(min(len(k)+size(v)+entryOverhead, 1<<31))
		},
		ExpiryCalculator: otter.ExpiryAccessing[string, V](cfg.Idle),
		OnDeletion: func(e otter.DeletionEvent[string, V]) {
			if e.WasEvicted() {
				c.Stats.Evictions.Add(1)
			}
		},
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Get returns the value under key, if the cache holds it. It never waits:
// cached answers are not rationed.
func (c *Cache[V]) Get(key string) (V, bool) {
	v, ok := c.c.GetIfPresent(key)
	if ok {
		c.Stats.Hits.Add(1)
	}
	return v, ok
}

// Render returns the value under key, drawing it when the cache does not
// hold it. Concurrent calls for one key draw it once. A draw waits for one
// of the render slots, at most the configured wait, then fails with
// ErrBusy. A failed draw is not cached.
func (c *Cache[V]) Render(ctx context.Context, key string, draw func() (V, error)) (V, error) {
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	return c.c.Get(ctx, key, otter.LoaderFunc[string, V](func(ctx context.Context, _ string) (V, error) {
		var zero V
		if err := c.acquire(ctx); err != nil {
			return zero, err
		}
		defer c.release()
		c.Stats.Misses.Add(1)
		return draw()
	}))
}

// Do runs work in a render slot without caching anything: for cold work
// whose answer is not kept (a store lookup that found nothing).
func (c *Cache[V]) Do(ctx context.Context, work func() error) error {
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.release()
	return work()
}

func (c *Cache[V]) acquire(ctx context.Context) error {
	select {
	case c.slots <- struct{}{}:
		c.Stats.InFlight.Add(1)
		return nil
	default:
	}
	t := time.NewTimer(c.wait)
	defer t.Stop()
	select {
	case c.slots <- struct{}{}:
		c.Stats.InFlight.Add(1)
		return nil
	case <-t.C:
		c.Stats.Refused.Add(1)
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Cache[V]) release() {
	c.Stats.InFlight.Add(-1)
	<-c.slots
}

// Set puts a value drawn outside Render (one that must not wait for a
// slot) under key.
func (c *Cache[V]) Set(key string, v V) { c.c.Set(key, v) }

// Delete drops the value under key.
func (c *Cache[V]) Delete(key string) { c.c.Invalidate(key) }

// Bytes is the weight the cache holds now.
func (c *Cache[V]) Bytes() uint64 { return c.c.WeightedSize() }

// Len is how many entries the cache holds now (an estimate).
func (c *Cache[V]) Len() int { return c.c.EstimatedSize() }

// Budget is the most bytes the cache may hold.
func (c *Cache[V]) Budget() uint64 { return c.c.GetMaximum() }
