// Command technopolys-load opens many Server-Sent Events subscribers against
// a running technopolys, approves members through the admin API, and
// reports how long each approval's new count took to reach every
// subscriber, and the server's memory per subscriber.
//
//	technopolys serve --addr 127.0.0.1:8080 &   # with TECHNOPOLYS_ADMIN_TOKEN=secret
//	go run ./cmd/technopolys-load -url http://127.0.0.1:8080 -token secret -subscribers 10000 -pid $!
//
// Go raises a process's soft open-file limit to its hard limit by itself
// (Go 1.19 and later), for this tool and for the server alike; the tool
// prints the limit it has. Run it against 127.0.0.1 only.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "technopolys-load:", err)
		os.Exit(1)
	}
}

type load struct {
	base, token string
	client      *http.Client
	target      atomic.Int64   // the count every subscriber waits for
	arrived     []atomic.Int64 // when each saw it (Unix ns), 0 before
	connected   atomic.Int64
}

func run() error {
	base := flag.String("url", "http://127.0.0.1:8080", "server to load (127.0.0.1 only)")
	token := flag.String("token", os.Getenv("TECHNOPOLYS_ADMIN_TOKEN"), "admin token")
	n := flag.Int("subscribers", 10000, "stream subscribers")
	approvals := flag.Int("approvals", 5, "approvals to time")
	pid := flag.Int("pid", 0, "server process, to read its memory")
	flag.Parse()
	if !strings.HasPrefix(*base, "http://127.0.0.1") && !strings.HasPrefix(*base, "http://localhost") {
		return fmt.Errorf("load tests run against 127.0.0.1 only")
	}
	var lim syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	fmt.Printf("open-file limit of this tool: %d (the server's: see /proc/PID/limits)\n", lim.Cur)

	l := &load{base: *base, token: *token, arrived: make([]atomic.Int64, *n), client: &http.Client{Transport: &http.Transport{
		DialContext:        (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		DisableCompression: true, MaxIdleConnsPerHost: 16, ResponseHeaderTimeout: 30 * time.Second}}}
	rssBefore := rss(*pid)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	if err := l.subscribe(ctx, *n); err != nil {
		return err
	}
	fmt.Printf("%d subscribers connected in %s\n", *n, time.Since(start).Round(time.Millisecond))
	time.Sleep(2 * time.Second) // let the server settle before reading its memory
	if *pid > 0 {
		after := rss(*pid)
		fmt.Printf("server memory: %.1f MiB before, %.1f MiB with the subscribers: %.1f KiB per subscriber\n",
			float64(rssBefore)/1024, float64(after)/1024, float64(after-rssBefore)/float64(*n))
	}

	var all []time.Duration
	for i := range *approvals {
		lat, missing, err := l.approveAndWait(i)
		if err != nil {
			return err
		}
		slices.Sort(lat)
		fmt.Printf("approval %d: p50 %s, p99 %s, max %s, %d of %d never received\n", i+1,
			pct(lat, 50), pct(lat, 99), lat[len(lat)-1].Round(time.Millisecond), missing, *n)
		all = append(all, lat...)
		time.Sleep(time.Second)
	}
	slices.Sort(all)
	fmt.Printf("all %d deliveries: p50 %s, p90 %s, p99 %s, max %s\n", len(all), pct(all, 50), pct(all, 90), pct(all, 99), all[len(all)-1].Round(time.Millisecond))
	return nil
}

// subscribe opens n streams, a few hundred connections at a time, and
// returns once each has received its first event.
func (l *load) subscribe(ctx context.Context, n int) error {
	l.target.Store(1 << 62) // no one has "arrived" yet
	slots := make(chan struct{}, 200)
	errs := make(chan error, n)
	for i := range n {
		slots <- struct{}{}
		go func() {
			err := l.stream(ctx, i, func() { <-slots })
			if err != nil && ctx.Err() == nil {
				errs <- err
			}
		}()
	}
	for l.connected.Load() < int64(n) {
		select {
		case err := <-errs:
			return fmt.Errorf("subscriber: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// stream reads one subscriber's events; each counts line records when the
// subscriber first sees the count the current round waits for.
func (l *load) stream(ctx context.Context, i int, opened func()) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", l.base+"/api/v1/stats/stream", nil)
	res, err := l.client.Do(req)
	opened()
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("stream: %s", res.Status)
	}
	sc := bufio.NewScanner(res.Body)
	first := true
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte("data: ")) {
			continue
		}
		if first {
			first = false
			l.connected.Add(1)
		}
		if members(line) >= l.target.Load() && l.arrived[i].Load() == 0 {
			l.arrived[i].Store(time.Now().UnixNano())
		}
	}
	return sc.Err()
}

// members reads "members":N from an event's data without a JSON decoder,
// so the tool's own cost stays out of the latencies.
func members(line []byte) int64 {
	i := bytes.Index(line, []byte(`"members":`))
	if i < 0 {
		return -1
	}
	rest := line[i+len(`"members":`):]
	j := bytes.IndexAny(rest, ",}")
	n, _ := strconv.ParseInt(string(rest[:j]), 10, 64)
	return n
}

// approveAndWait joins and approves one member, then waits (up to 10 s)
// for every subscriber to see the new count; latencies are measured from
// the moment the approval was sent.
func (l *load) approveAndWait(round int) ([]time.Duration, int, error) {
	current, err := l.count()
	if err != nil {
		return nil, 0, err
	}
	id, err := l.join(round)
	if err != nil {
		return nil, 0, err
	}
	for i := range l.arrived {
		l.arrived[i].Store(0)
	}
	l.target.Store(current + 1)
	sent := time.Now()
	if err := l.post("/api/v1/admin/members/"+id+"/approve", ""); err != nil {
		return nil, 0, err
	}
	deadline := time.Now().Add(10 * time.Second)
	var lat []time.Duration
	for {
		lat = lat[:0]
		for i := range l.arrived {
			if at := l.arrived[i].Load(); at != 0 {
				lat = append(lat, time.Duration(at-sent.UnixNano()))
			}
		}
		if len(lat) == len(l.arrived) || time.Now().After(deadline) {
			return lat, len(l.arrived) - len(lat), nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (l *load) count() (int64, error) {
	res, err := l.client.Get(l.base + "/widget/count.json")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	return members(buf.Bytes()), nil
}

func (l *load) join(round int) (string, error) {
	site := fmt.Sprintf("https://load-%d-%d.example", time.Now().UnixNano(), round)
	body := `{"name":"Load ` + strconv.Itoa(round) + `","website":"` + site + `","contact_name":"Load","contact_email":"load@load.example","region":"Laval","consent_public":true}`
	res, err := l.client.Post(l.base+"/api/v1/members", "application/json", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	if res.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("join: %s %s", res.Status, buf.String())
	}
	i := bytes.Index(buf.Bytes(), []byte(`"id": `))
	rest := buf.Bytes()[i+6:]
	return string(rest[:bytes.IndexAny(rest, ",\n")]), nil
}

func (l *load) post(path, body string) error {
	req, _ := http.NewRequest("POST", l.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+l.token)
	res, err := l.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %s", path, res.Status)
	}
	return nil
}

// rss is a process's resident memory in KiB, from /proc.
func rss(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)*p/100].Round(time.Millisecond)
}
