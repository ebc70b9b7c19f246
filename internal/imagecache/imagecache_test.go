package imagecache_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/imagecache"
)

func mustNew(t *testing.T, cfg imagecache.Config) *imagecache.Cache[[]byte] {
	t.Helper()
	c, err := imagecache.New(cfg, func(b []byte) int { return len(b) })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBudgetHoldsWhateverIsDrawn(t *testing.T) {
	const budget = 1 << 20
	c := mustNew(t, imagecache.Config{Budget: budget, Renders: 2, Wait: time.Second, Idle: time.Hour})
	for i := range 5000 { // 5000 × 4 KiB = 20 MiB asked for, 1 MiB allowed
		key := "goal=" + strconv.Itoa(i)
		if _, err := c.Render(context.Background(), key, func() ([]byte, error) { return make([]byte, 4096), nil }); err != nil {
			t.Fatal(err)
		}
		if i%500 == 0 && c.Bytes() > budget {
			t.Fatalf("after %d entries the cache holds %d bytes, budget %d", i, c.Bytes(), budget)
		}
	}
	if c.Bytes() > budget || c.Bytes() < budget/2 {
		t.Errorf("holds %d bytes with a budget of %d", c.Bytes(), budget)
	}
	if c.Stats.Evictions.Load() == 0 {
		t.Error("no eviction counted")
	}
}

func TestRenderDrawsOnceAndCaches(t *testing.T) {
	c := mustNew(t, imagecache.Config{Budget: 1 << 20, Renders: 2, Wait: time.Second, Idle: time.Hour})
	var draws atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Render(context.Background(), "k", func() ([]byte, error) {
				draws.Add(1)
				time.Sleep(20 * time.Millisecond)
				return []byte("png"), nil
			})
			if err != nil || string(v) != "png" {
				t.Errorf("got %q, %v", v, err)
			}
		}()
	}
	wg.Wait()
	if n := draws.Load(); n != 1 {
		t.Errorf("drawn %d times", n)
	}
	if v, ok := c.Get("k"); !ok || string(v) != "png" {
		t.Errorf("not cached: %q %v", v, ok)
	}
}

func TestFailedDrawIsNotCached(t *testing.T) {
	c := mustNew(t, imagecache.Config{Budget: 1 << 20, Renders: 1, Wait: time.Second, Idle: time.Hour})
	boom := errors.New("store down")
	if _, err := c.Render(context.Background(), "k", func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if _, ok := c.Get("k"); ok {
		t.Error("a failed draw was cached")
	}
}

func TestColdRendersAreRationed(t *testing.T) {
	c := mustNew(t, imagecache.Config{Budget: 1 << 20, Renders: 1, Wait: 50 * time.Millisecond, Idle: time.Hour})
	if _, err := c.Render(context.Background(), "hot", func() ([]byte, error) { return []byte("x"), nil }); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	started := make(chan struct{})
	go c.Render(context.Background(), "slow", func() ([]byte, error) {
		close(started)
		<-release
		return []byte("slow"), nil
	})
	<-started
	_, err := c.Render(context.Background(), "other", func() ([]byte, error) { return []byte("y"), nil })
	if !errors.Is(err, imagecache.ErrBusy) {
		t.Errorf("a second cold render while the only slot is taken: %v, want ErrBusy", err)
	}
	if c.Stats.Refused.Load() != 1 {
		t.Errorf("refused %d", c.Stats.Refused.Load())
	}
	// A cached answer is never queued behind cold work.
	if v, err := c.Render(context.Background(), "hot", func() ([]byte, error) { t.Error("redrawn"); return nil, nil }); err != nil || string(v) != "x" {
		t.Errorf("cached answer while busy: %q %v", v, err)
	}
	close(release)
}
