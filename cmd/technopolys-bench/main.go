// Command technopolys-bench measures cached-badge throughput over loopback
// with wrk, side by side with bare net/http handlers that write the same
// bytes: the most this Go HTTP stack can do on this machine, so the ratio
// says what the service itself costs. One bare handler writes the same
// response (every header the service sends, then the body); the other
// writes only the body and its Content-Type, the strictest reference.
//
//	go run ./cmd/technopolys-bench [-rounds 5] [-duration 10s] [-connections 64]
//
// It needs wrk (Debian: apt-get install wrk). Both servers run in this
// process on 127.0.0.1; the rounds alternate between them so that a noisy
// neighbour weighs on both alike. It prints each round and the medians.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/sqlite"
	"github.com/technopolys/technopolys/internal/web"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "technopolys-bench:", err)
		os.Exit(1)
	}
}

func run() error {
	rounds := flag.Int("rounds", 5, "rounds per server")
	duration := flag.Duration("duration", 10*time.Second, "length of one wrk run")
	conns := flag.Int("connections", 64, "concurrent connections")
	threads := flag.Int("threads", 2, "wrk threads")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the technopolys rounds to this file")
	path := flag.String("path", "/badge/acme-quebec-inc.svg?lang=fr", "image to request (member acme-quebec-inc, event salon-2026)")
	flag.Parse()
	if _, err := exec.LookPath("wrk"); err != nil {
		return fmt.Errorf("wrk not found (apt-get install wrk)")
	}

	dir, err := os.MkdirTemp("", "technopolys-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "bench.db"), nil)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := approveMember(ctx, store); err != nil {
		return err
	}
	h, err := web.New(store, web.Config{PublicURL: "https://technopolys.example",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer h.Close()
	service, err := serve(h)
	if err != nil {
		return err
	}
	body, header, err := fetch(service + *path)
	if err != nil {
		return err
	}
	contentType := header.Get("Content-Type")
	header.Del("Date") // net/http adds its own
	same, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Write(body)
	}))
	if err != nil {
		return err
	}
	bare, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}))
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d bytes of %s; wrk -t%d -c%d -d%s, %d rounds each, alternating\n",
		*path, len(body), contentType, *threads, *conns, *duration, *rounds)

	var svc, ref, body1 []float64
	for i := range *rounds {
		for _, target := range []struct {
			name, url string
			into      *[]float64
		}{{"same response", same + *path, &ref}, {"body only", bare + *path, &body1}, {"technopolys", service + *path, &svc}} {
			stop := startProfile(*profile, target.name == "technopolys" && i == 0)
			rps, err := wrk(target.url, *threads, *conns, *duration)
			stop()
			if err != nil {
				return err
			}
			*target.into = append(*target.into, rps)
			fmt.Printf("round %d  %-13s %10.0f req/s\n", i+1, target.name, rps)
		}
	}
	m, r, b := median(svc), median(ref), median(body1)
	fmt.Printf("median: technopolys %.0f req/s; bare handler, same response %.0f req/s (ratio %.2f); bare handler, body only %.0f req/s (ratio %.2f)\n",
		m, r, m/r, b, m/b)
	return nil
}

// approveMember puts the member and the event the benchmark asks for in the
// store.
func approveMember(ctx context.Context, store registry.Store) error {
	yes := true
	m, err := registry.Application{Name: "Acme Québec inc.", Website: "https://acme.example", ContactName: "Marie",
		ContactEmail: "marie@acme.example", Region: "Montréal", ConsentPublic: &yes}.Validate()
	if err != nil {
		return err
	}
	if err := store.CreateMember(ctx, m); err != nil {
		return err
	}
	if _, err = store.Decide(ctx, registry.Decision{MemberID: m.ID, Action: registry.ActionApprove, Actor: "bench"}); err != nil {
		return err
	}
	// An event too, for -path /qr/salon-2026.png?size=256 and the posters.
	e, err := registry.NewEvent{Code: "salon-2026", NameFR: "Salon techno", NameEN: "Tech fair"}.Validate()
	if err != nil {
		return err
	}
	return store.CreateEvent(ctx, e)
}

func serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go http.Serve(ln, h)
	return "http://" + ln.Addr().String(), nil
}

func fetch(url string) ([]byte, http.Header, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	b, err := io.ReadAll(res.Body)
	return b, res.Header, err
}

var requestsPerSec = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)

func wrk(url string, threads, conns int, d time.Duration) (float64, error) {
	out, err := exec.Command("wrk", "-t"+strconv.Itoa(threads), "-c"+strconv.Itoa(conns),
		"-d"+strconv.Itoa(int(d.Seconds()))+"s", url).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %v: %s", err, out)
	}
	if strings.Contains(string(out), "Non-2xx") {
		return 0, fmt.Errorf("wrk saw errors: %s", out)
	}
	m := requestsPerSec.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("wrk output: %s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// startProfile profiles the first technopolys round when asked to.
func startProfile(file string, now bool) (stop func()) {
	if file == "" || !now {
		return func() {}
	}
	f, err := os.Create(file)
	if err != nil {
		return func() {}
	}
	pprof.StartCPUProfile(f)
	return func() { pprof.StopCPUProfile(); f.Close() }
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
