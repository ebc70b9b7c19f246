package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"time"

	"github.com/technopolys/technopolys/internal/web"
)

// wrkConfig is how wrk is run: the same for every path, so the ratios
// compare pages, not settings.
type wrkConfig struct {
	threads, conns int
	duration       time.Duration
}

// wrkResult is what one wrk run reports.
type wrkResult struct {
	rps          float64
	non2xx       int // wrk's "Non-2xx or 3xx responses"
	socketErrors string
}

// runWrk measures, with wrk, the pages a crowd would ask for, each against
// /healthz in the same run: the ratio says what a page costs, whatever the
// machine's speed or its neighbours.
func runWrk(ctx context.Context, cfg *config, out io.Writer) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return fmt.Errorf("wrk not found (apt-get update && apt-get install -y wrk)")
	}
	c := newClient(1)
	defer c.CloseIdleConnections()
	listed, err := listedTotal(ctx, c, cfg)
	if err != nil {
		return err
	}
	last := max(1, (listed+web.DirectoryPage-1)/web.DirectoryPage)
	lastPage, err := lastDirectoryPage(ctx, c, cfg, listed)
	if err != nil {
		return err
	}
	paths := []string{"/healthz", "/members", lastPage, "/", "/api/v1/stats"}
	w := cfg.wrk
	fmt.Fprintf(out, "# wrk -t%d -c%d -d%s on %s, %d listed members (last directory page %d), %s\n",
		w.threads, w.conns, w.duration, cfg.base, listed, last, time.Now().Format(time.RFC3339))
	var healthz float64
	for i, p := range paths {
		if i > 0 {
			sleep(ctx, 2*time.Second)
		}
		mem := watchRSS(cfg.pid, cfg.maxRSS, func() {})
		res, err := wrk(ctx, w, cfg.base+p)
		m := mem.stop(time.Now())
		if err != nil {
			fmt.Fprintf(out, "%-20s ERROR %v\n", p, err)
			continue
		}
		if i == 0 {
			healthz = res.rps
		}
		fmt.Fprintf(out, "%-20s %9.0f req/s  ratio to /healthz %.4f  non-2xx/3xx=%d  socket errors: %s  %s\n",
			p, res.rps, res.rps/healthz, res.non2xx, res.socketErrors, m)
	}
	return nil
}

// lastDirectoryPage is the address of the directory's last page as its
// "next" links reach it: after the slug just before the last page's 50.
// (Before the directory was paged by key, this was /members?page=N; a server
// that ignores after= answers its first page.)
func lastDirectoryPage(ctx context.Context, c *http.Client, cfg *config, listed int) (string, error) {
	if listed <= web.DirectoryPage {
		return "/members", nil
	}
	var page struct {
		Members []struct {
			Slug string `json:"slug"`
		} `json:"members"`
	}
	url := fmt.Sprintf("%s/api/v1/members?limit=1&offset=%d", cfg.base, listed-web.DirectoryPage-1)
	if err := getJSON(ctx, c, url, "", &page); err != nil || len(page.Members) != 1 {
		return "", fmt.Errorf("last directory page: %v", err)
	}
	return "/members?after=" + page.Members[0].Slug, nil
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkSockets = regexp.MustCompile(`Socket errors:\s+(.*)`)
)

// wrk runs wrk once on url and reads its summary.
func wrk(ctx context.Context, w wrkConfig, url string) (wrkResult, error) {
	ctx, cancel := context.WithTimeout(ctx, w.duration+30*time.Second) // wrk must not hang the tool either
	defer cancel()
	out, err := exec.CommandContext(ctx, "wrk", "-t"+strconv.Itoa(w.threads), "-c"+strconv.Itoa(w.conns),
		"-d"+strconv.Itoa(int(w.duration.Seconds()))+"s", url).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	m := wrkRPS.FindSubmatch(out)
	if m == nil {
		return wrkResult{}, fmt.Errorf("wrk output: %s", out)
	}
	r := wrkResult{socketErrors: "none"}
	r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	if m := wrkNon2xx.FindSubmatch(out); m != nil {
		r.non2xx, _ = strconv.Atoi(string(m[1]))
	}
	if m := wrkSockets.FindSubmatch(out); m != nil {
		r.socketErrors = string(m[1])
	}
	return r, nil
}
