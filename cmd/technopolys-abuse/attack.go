package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// attack is one abuse scenario of the issue. run sends its traffic until
// the round's window ends and returns what the attack itself saw, for the
// end of its line.
type attack struct {
	name string
	run  func(r *round) (string, error)
}

// attacks are every scenario, in the order.
var attacks = []attack{
	{"goal", goalFlood},
	{"qrsize", qrSizeFlood},
	{"crawl", badgeCrawl},
	{"slugs", slugFlood},
	{"streams", streamFlood},
	{"slowread", slowReaders},
	{"scans", scanFlood},
	{"import", joinDuringImport},
}

func attackNames() []string {
	names := make([]string, len(attacks))
	for i, a := range attacks {
		names[i] = a.name
	}
	return names
}

// round is one attack's run: the target, the attack's window, and a
// context that ends only when the server has been killed or the tool
// interrupted (the import attack outlives the window, not that).
type round struct {
	*config
	slugs []string // approved, listed members, the first one the "known member"
	ctx   context.Context
	abort context.Context
}

// runAttacks runs each attack in turn, with ordinary traffic and the memory
// sampler alongside, and prints its line as soon as it is done.
func runAttacks(ctx context.Context, cfg *config, chosen []attack, out io.Writer) error {
	slugs, err := listedSlugs(ctx, cfg, max(cfg.crawl, 1))
	if err != nil {
		return err
	}
	if len(slugs) == 0 {
		return fmt.Errorf("no listed member on %s: run with -seed first", cfg.base)
	}
	fmt.Fprintf(out, "# %s, pid %d, %s per attack, %d members known, event %s, %s\n",
		cfg.base, cfg.pid, cfg.duration, len(slugs), cfg.event, time.Now().Format(time.RFC3339))
	for i, a := range chosen {
		if i > 0 {
			sleep(ctx, cfg.pause)
		}
		settled := settle(ctx, cfg.pid) // after the seeding, or a neighbour's work
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if gone := runOne(ctx, cfg, slugs, a, settled, out); gone {
			return errServerGone
		}
	}
	return nil
}

// runOne runs an attack and prints its line; it reports whether the
// server died (or was killed) meanwhile.
func runOne(ctx context.Context, cfg *config, slugs []string, a attack, settled string, out io.Writer) (gone bool) {
	abort, kill := context.WithCancel(ctx)
	defer kill()
	mem := watchRSS(cfg.pid, cfg.maxRSS, kill)
	ord := startOrdinary(abort, cfg, slugs[0])
	window, end := context.WithTimeout(abort, cfg.duration)
	start := time.Now()
	summary, err := a.run(&round{config: cfg, slugs: slugs, ctx: window, abort: abort})
	took := time.Since(start)
	end()
	traffic, failures := ord.stop()
	m := mem.stop(afterAttack(abort, cfg.pid, mem))
	notes := []string{summary}
	if err != nil {
		notes = append(notes, "ERROR: "+err.Error())
	}
	if failures != "" {
		notes = append(notes, "ordinary failures: "+failures)
	}
	if m.note != "" {
		notes = append(notes, m.note)
	}
	if settled != "" {
		notes = append(notes, settled)
	}
	fmt.Fprintf(out, "%-9s %s  %s  (%s)  %s\n", a.name, m, traffic, took.Round(100*time.Millisecond), strings.Join(notes, "; "))
	return m.gone
}

// afterAttack keeps the memory sampler running until the server has
// finished what the attack left it (it goes on drawing for clients who
// hung up): that memory is the attack's doing too.
func afterAttack(ctx context.Context, pid int, mem *watcher) time.Time {
	since := mem.attackOver()
	settle(ctx, pid)
	return since
}

// flood runs workers copies of one until ctx ends and returns how many
// requests it started. i numbers them from 0 across all workers, so each
// can ask for something new.
func flood(ctx context.Context, workers int, one func(i int64)) int64 {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				one(next.Add(1) - 1)
			}
		})
	}
	wg.Wait()
	return next.Load()
}

// sleep waits d, or less if ctx ends first.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
