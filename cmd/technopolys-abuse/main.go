// Command technopolys-abuse replays the attacks of issue 10 ("What it must
// show") against a running technopolys on loopback. For each attack it
// prints one line: the server's peak resident memory while the attack ran,
// the success rate of ordinary visitors' traffic sent at the same time, and
// what the attack itself got back, errors included.
//
//	TECHNOPOLYS_ADMIN_TOKEN=… technopolys serve --addr 127.0.0.1:18080 --db sqlite:/tmp/abuse/tp.db --join-limit 0 &
//	go run ./cmd/technopolys-abuse -url http://127.0.0.1:18080 -seed          # members and an event
//	go run ./cmd/technopolys-abuse -url http://127.0.0.1:18080 -pid $! -duration 20s
//	go run ./cmd/technopolys-abuse -url http://127.0.0.1:18080 -pid $! -wrk
//
// The admin token comes from -token or TECHNOPOLYS_ADMIN_TOKEN. It runs
// against 127.0.0.1 only: it is built to hurt the server it targets.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "technopolys-abuse:", err)
		os.Exit(1)
	}
}

// config is what every attack needs to know about its target.
type config struct {
	base     string // http://127.0.0.1:PORT, no trailing slash
	addr     string // 127.0.0.1:PORT, for the attacks that speak HTTP by hand
	token    string
	event    string
	pid      int
	maxRSS   int64 // KiB; the server is killed above it, 0 for never
	duration time.Duration
	pause    time.Duration
	timeout  time.Duration // one attack request's limit
	streams  int
	slow     int
	slowWarm bool
	slowPath string
	crawl    int
	wrk      wrkConfig
}

// mode is what the command line asks for besides the target: seeding,
// wrk, or attacks (all, or those -only names).
type mode struct {
	seed    bool
	members int
	wrk     bool
	only    string
}

// run seeds, runs wrk, or runs the attacks, as the flags say.
func run(ctx context.Context, args []string, out io.Writer) error {
	cfg, m, err := parseFlags(args)
	if err != nil {
		return err
	}
	if m.seed {
		return seed(ctx, cfg, m.members, out)
	}
	if _, ok := rss(cfg.pid); cfg.pid > 0 && !ok {
		return fmt.Errorf("-pid %d: no such process to watch", cfg.pid)
	}
	if m.wrk {
		return runWrk(ctx, cfg, out)
	}
	chosen, err := choose(m.only)
	if err != nil {
		return err
	}
	return runAttacks(ctx, cfg, chosen, out)
}

func parseFlags(args []string) (*config, mode, error) {
	fs := flag.NewFlagSet("technopolys-abuse", flag.ContinueOnError)
	var m mode
	base := fs.String("url", "http://127.0.0.1:8080", "server to attack (127.0.0.1 only)")
	token := fs.String("token", os.Getenv("TECHNOPOLYS_ADMIN_TOKEN"), "admin token for setup and the admin API (default $TECHNOPOLYS_ADMIN_TOKEN)")
	pid := fs.Int("pid", 0, "the server's process id, to sample its memory from /proc")
	fs.StringVar(&m.only, "only", "", "comma-separated attacks to run (default all): "+strings.Join(attackNames(), ","))
	duration := fs.Duration("duration", 30*time.Second, "how long each attack runs (the import attack lasts as long as its import)")
	fs.BoolVar(&m.seed, "seed", false, "set up the data (listed members through the import API, the event) and exit")
	fs.IntVar(&m.members, "members", 20000, "with -seed: how many listed members there must be")
	event := fs.String("event", "abuse-2026", "event code the QR, poster and scan attacks use (-seed creates it)")
	fs.BoolVar(&m.wrk, "wrk", false, "instead of the attacks, compare wrk's req/s on a few pages with /healthz")
	maxRSS := fs.Int64("max-rss", 0, "SIGKILL the -pid server when its RSS passes this many MB, and say so; 0 for never")
	pause := fs.Duration("pause", 5*time.Second, "rest between attacks, so one attack's backlog does not weigh on the next")
	timeout := fs.Duration("timeout", 10*time.Second, "limit of one attack request")
	streams := fs.Int("streams", 20000, "streams the streams attack tries to hold")
	slow := fs.Int("slow", 300, "connections of the slow-reader attack")
	slowWarm := fs.Bool("slow-warm", true, "ask for -slow-path once before the slow readers, so they meet a cached response")
	slowPath := fs.String("slow-path", "/qr/{event}.png?size=4096&logo=1", "what slow readers ask for ({event} is replaced)")
	crawl := fs.Int("crawl-members", 2000, "members the badge crawl walks")
	wrkThreads := fs.Int("wrk-threads", 2, "wrk -t")
	wrkConns := fs.Int("wrk-connections", 32, "wrk -c")
	wrkDuration := fs.Duration("wrk-duration", 10*time.Second, "wrk -d")
	if err := fs.Parse(args); err != nil {
		return nil, m, err
	}
	addr, err := loopbackAddr(*base)
	if err != nil {
		return nil, m, err
	}
	return &config{base: strings.TrimRight(*base, "/"), addr: addr, token: *token, event: *event, pid: *pid,
		maxRSS: *maxRSS * 1024, duration: *duration, pause: *pause, timeout: *timeout, streams: *streams,
		slow: *slow, slowWarm: *slowWarm, slowPath: strings.ReplaceAll(*slowPath, "{event}", *event), crawl: *crawl,
		wrk: wrkConfig{threads: *wrkThreads, conns: *wrkConns, duration: *wrkDuration}}, m, nil
}

// loopbackAddr refuses any target but 127.0.0.1: these attacks are meant
// for a server on this machine, never someone else's.
func loopbackAddr(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || (u.Path != "" && u.Path != "/") {
		return "", fmt.Errorf("-url must be http://127.0.0.1:PORT (got %q): attacks run on loopback only", raw)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	return net.JoinHostPort("127.0.0.1", port), nil
}

// choose picks the attacks -only names, in the order of the issue.
func choose(only string) ([]attack, error) {
	if only == "" {
		return attacks, nil
	}
	names := strings.Split(only, ",")
	for _, n := range names {
		if !slices.Contains(attackNames(), strings.TrimSpace(n)) {
			return nil, fmt.Errorf("unknown attack %q (known: %s)", n, strings.Join(attackNames(), ","))
		}
	}
	var out []attack
	for _, a := range attacks {
		if slices.ContainsFunc(names, func(n string) bool { return strings.TrimSpace(n) == a.name }) {
			out = append(out, a)
		}
	}
	return out, nil
}

// errServerGone ends a run: once the server is dead, every later line
// would only measure connection refusals.
var errServerGone = errors.New("the server is gone; remaining attacks skipped")
