package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

const (
	// joinEvery is how often a company asks to join during the import.
	joinEvery = 100 * time.Millisecond
	// joinPatience is long on purpose: the point is to measure how long
	// a join waits behind the import, not to give up at 2 s.
	joinPatience = 60 * time.Second
)

// joinDuringImport starts an import of maxImportRows new members and, while
// it runs, sends a join every joinEvery: staff importing a spreadsheet must
// not stall the companies signing up at the booth. It lasts as long as the
// import, not the window.
func joinDuringImport(r *round) (string, error) {
	if r.token == "" {
		return "", fmt.Errorf("import needs the admin token")
	}
	batch := "Import " + strconv.FormatInt(time.Now().UnixNano(), 36)
	file := memberCSV(batch, 0, maxImportRows)
	c := newClient(8)
	defer c.CloseIdleConnections()
	j := &joins{}
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := importMembers(r.abort, c, r.config, file)
		done <- err
	}()
	importErr := j.sendUntil(r.abort, c, r.base, batch, done)
	took := time.Since(start)
	j.wg.Wait()
	result := "201, " + strconv.Itoa(maxImportRows) + " rows"
	if importErr != nil {
		result = "FAILED: " + importErr.Error()
	}
	return fmt.Sprintf("attack: import %s in %s (%d KB); joins sent during it, one every %s: %s",
		result, took.Round(100*time.Millisecond), len(file)/1024, joinEvery, j), nil
}

// joins are the joins sent during an import, with their latencies.
type joins struct {
	wg      sync.WaitGroup
	t       tally
	mu      sync.Mutex
	latency []time.Duration // of the answered ones
}

// sendUntil sends a join every joinEvery, each in its own goroutine so that
// a slow one does not hold the next back, until done delivers the import's
// result.
func (j *joins) sendUntil(ctx context.Context, c *http.Client, base, batch string, done <-chan error) error {
	tick := time.NewTicker(joinEvery)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case err := <-done:
			return err
		case <-tick.C:
			j.wg.Go(func() { j.send(ctx, c, base, fmt.Sprintf("%s join %d", batch, i)) })
		}
	}
}

func (j *joins) send(ctx context.Context, c *http.Client, base, name string) {
	site := "https://" + slugLike(name) + ".example"
	body, _ := json.Marshal(map[string]any{"name": name, "website": site, "contact_name": "Abuse",
		"contact_email": "join@" + slugLike(name) + ".example", "region": "Laval", "consent_public": true})
	start := time.Now()
	status, _, err := call(ctx, c, "POST", base+"/api/v1/members", "application/json", body, "", joinPatience)
	j.t.record(ctx, status, err)
	if err == nil {
		j.mu.Lock()
		j.latency = append(j.latency, time.Since(start))
		j.mu.Unlock()
	}
}

// String reads "41 sent: 41 req, 0 errors, 201=41; latency median 12ms, max 3.2s".
func (j *joins) String() string {
	j.mu.Lock()
	lat := slices.Sorted(slices.Values(j.latency))
	j.mu.Unlock()
	s := j.t.String()
	if len(lat) > 0 {
		s += fmt.Sprintf("; latency median %s, max %s", lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	}
	return s
}

// slugLike turns "Import x join 3" into "import-x-join-3", for hosts.
func slugLike(name string) string {
	b := []byte(name)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c == ' ':
			b[i] = '-'
		}
	}
	return string(b)
}
