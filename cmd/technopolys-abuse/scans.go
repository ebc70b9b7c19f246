package main

import (
	"fmt"
	"net/http"
)

// scanWorkers are the concurrent requests of the one scanning client.
const scanWorkers = 8

// scanFlood follows the event's printed short link as fast as one client
// can, and compares the scan count staff see before and after: one phone
// hammering the link should not look like a crowd at the booth.
func scanFlood(r *round) (string, error) {
	if r.token == "" {
		return "", fmt.Errorf("scans needs the admin token to read the count")
	}
	before, err := eventScans(r.abort, r.config)
	if err != nil {
		return "", fmt.Errorf("scans before: %w", err)
	}
	c := newClient(scanWorkers)
	defer c.CloseIdleConnections()
	var t tally
	flood(r.ctx, scanWorkers, func(int64) {
		status, err := fetch(r.ctx, c, r.base+"/j/"+r.event, r.timeout)
		t.record(r.ctx, status, err)
	})
	after, err := eventScans(r.abort, r.config)
	if err != nil {
		return "", fmt.Errorf("scans after: %w", err)
	}
	redirects := t.count(func(s int) bool { return s == http.StatusFound })
	return fmt.Sprintf("attack: %s; admin scans before=%d after=%d (+%d from one client, %d answered 302), %d workers",
		&t, before, after, after-before, redirects, scanWorkers), nil
}
