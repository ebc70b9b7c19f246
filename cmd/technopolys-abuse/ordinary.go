package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	// ordinaryClients are the visitors browsing while an attack runs.
	ordinaryClients = 4
	// ordinaryPause is each visitor's rest between two requests: a steady
	// stream (about 150 req/s in all), not a second attack.
	ordinaryPause = 25 * time.Millisecond
	// ordinaryPatience is how long a visitor waits: an answer later than
	// this is a failure, however it ends.
	ordinaryPatience = 2 * time.Second
)

// ordinary is the traffic of visitors who are not attacking: the pages and
// images the site exists for, each expected to answer 2xx or 3xx within
// ordinaryPatience.
type ordinary struct {
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	mu       sync.Mutex
	ok, sent int
	failures map[string]int // "path kind" → count
}

// ordinaryPaths are what a visitor asks for, in turn: liveness, a member's
// badge on its site, the live counter, the directory and the join form.
func ordinaryPaths(slug string) []string {
	return []string{"/healthz", "/badge/" + slug + ".svg", "/widget/count.json", "/members", "/join"}
}

// startOrdinary sends ordinary traffic until stopped. Every request is a
// new connection, as from a new visitor: a server that can no longer
// accept connections must show it here, which kept-alive connections
// opened before the attack would hide.
func startOrdinary(ctx context.Context, cfg *config, slug string) *ordinary {
	ctx, cancel := context.WithCancel(ctx)
	o := &ordinary{cancel: cancel, failures: map[string]int{}}
	c := &http.Client{
		Transport: &http.Transport{
			DialContext:       (&net.Dialer{Timeout: ordinaryPatience}).DialContext,
			DisableKeepAlives: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	paths := ordinaryPaths(slug)
	for v := range ordinaryClients {
		o.wg.Go(func() { o.visit(ctx, c, cfg.base, paths, v) })
	}
	return o
}

// visit is one visitor's loop; the visitors start at different paths so
// that every path is always being asked for.
func (o *ordinary) visit(ctx context.Context, c *http.Client, base string, paths []string, first int) {
	for i := first; ctx.Err() == nil; i++ {
		path := paths[i%len(paths)]
		status, err := fetch(ctx, c, base+path, ordinaryPatience)
		if err != nil && ctx.Err() != nil {
			return // cut by the end of the attack, not the server's doing
		}
		o.count(path, status, err)
		sleep(ctx, ordinaryPause)
	}
}

func (o *ordinary) count(path string, status int, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent++
	switch {
	case err != nil:
		o.failures[path+" "+errorKind(err)]++
	case status >= 200 && status < 400:
		o.ok++
	default:
		o.failures[fmt.Sprintf("%s %d", path, status)]++
	}
}

// stop ends the traffic and returns "ordinary=99.8% (4012/4020)" and the
// failures by path, if any.
func (o *ordinary) stop() (rate, failures string) {
	o.cancel()
	o.wg.Wait()
	o.mu.Lock()
	defer o.mu.Unlock()
	pct := 0.0
	if o.sent > 0 {
		pct = 100 * float64(o.ok) / float64(o.sent)
	}
	var fs []string
	for k, n := range o.failures {
		fs = append(fs, fmt.Sprintf("%s=%d", k, n))
	}
	slices.Sort(fs)
	return fmt.Sprintf("ordinary=%.1f%% (%d/%d)", pct, o.ok, o.sent), strings.Join(fs, " ")
}
