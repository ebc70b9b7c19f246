package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// sampleEvery is how often the server's memory is read: often enough to
// catch a spike that a garbage collection takes back a second later.
const sampleEvery = 100 * time.Millisecond

// memory is what the sampler saw during one attack, in KiB.
type memory struct {
	start, peak int64
	// after is the peak once the attack hung up, while the server worked
	// off what it had been asked (see settle), for afterFor.
	after    int64
	afterFor time.Duration
	split    bool
	sampled  bool
	gone     bool   // the process ended (or was killed) during the attack
	note     string // why it ended, when it did
}

// String reads "peak_rss=412MB (start 80MB)", and adds the peak after the
// attack when the server took a while to calm down.
func (m memory) String() string {
	if !m.sampled {
		return "peak_rss=n/a (no -pid)"
	}
	s := fmt.Sprintf("peak_rss=%s (start %s", mb(m.peak), mb(m.start))
	if m.split && m.afterFor >= time.Second {
		s += fmt.Sprintf("; %s in the %s after, while the server worked off its backlog", mb(m.after), m.afterFor.Round(time.Second))
	}
	return s + ")"
}

func mb(kib int64) string { return strconv.FormatInt(kib/1024, 10) + "MB" }

// watcher samples a process's VmRSS until stopped.
type watcher struct {
	mu   sync.Mutex
	m    memory
	done chan struct{}
	wg   sync.WaitGroup
}

// watchRSS samples pid's memory every sampleEvery. Above limit KiB (0 for
// no limit) it kills the process with SIGKILL, so that a runaway server
// does not take the machine with it, and calls killed.
func watchRSS(pid int, limit int64, killed func()) *watcher {
	w := &watcher{done: make(chan struct{})}
	if pid <= 0 {
		return w
	}
	w.m.start, _ = rss(pid)
	w.m.peak, w.m.sampled = w.m.start, true
	w.wg.Go(func() { w.sample(pid, limit, killed) })
	return w
}

func (w *watcher) sample(pid int, limit int64, killed func()) {
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	began := time.Now()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
		}
		kib, ok := rss(pid)
		w.mu.Lock()
		if w.m.split {
			w.m.after = max(w.m.after, kib)
		} else {
			w.m.peak = max(w.m.peak, kib)
		}
		switch {
		case !ok:
			w.m.gone, w.m.note = true, fmt.Sprintf("SERVER DIED after %s", time.Since(began).Round(time.Second))
		case limit > 0 && kib > limit:
			syscall.Kill(pid, syscall.SIGKILL)
			w.m.gone, w.m.note = true, fmt.Sprintf("SERVER KILLED by this tool at RSS %s (over -max-rss) after %s", mb(kib), time.Since(began).Round(time.Second))
		}
		gone := w.m.gone
		w.mu.Unlock()
		if gone {
			killed()
			return
		}
	}
}

// attackOver starts the second peak, the one after the attack.
func (w *watcher) attackOver() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.m.split = true
	return time.Now()
}

// stop ends the sampling and returns what it saw.
func (w *watcher) stop(since time.Time) memory {
	close(w.done)
	w.wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m.split {
		w.m.afterFor = time.Since(since)
	}
	return w.m
}

// rss is a process's resident memory in KiB from /proc/PID/status; ok is
// false once the process is gone (a zombie has no VmRSS line either).
func rss(pid int) (kib int64, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, err := strconv.ParseInt(f[1], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
