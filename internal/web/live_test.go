package web_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/badge/badgetest"
	"github.com/technopolys/technopolys/internal/web"
)

// stream reads Server-Sent Events from a response.
type stream struct {
	res *http.Response
	sc  *bufio.Scanner
}

type sseEvent struct {
	ID   string
	Data struct {
		Members  int            `json:"members"`
		ByRegion map[string]int `json:"by_region"`
	}
}

func openStream(t *testing.T, url string, header ...string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("stream answer %d %v", res.StatusCode, res.Header)
	}
	return &stream{res: res, sc: bufio.NewScanner(res.Body)}
}

// next returns the next event, failing after d.
func (s *stream) next(t *testing.T, d time.Duration) sseEvent {
	t.Helper()
	got := make(chan sseEvent, 1)
	go func() {
		var e sseEvent
		for s.sc.Scan() {
			line := s.sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				e.ID = line[4:]
			case strings.HasPrefix(line, "data: "):
				json.Unmarshal([]byte(line[6:]), &e.Data)
			case line == "" && e.ID != "":
				got <- e
				return
			}
		}
		close(got)
	}()
	select {
	case e, ok := <-got:
		if !ok {
			t.Fatal("stream ended")
		}
		return e
	case <-time.After(d):
		t.Fatalf("no event within %s", d)
	}
	return sseEvent{}
}

func TestStreamSendsCountsAndChanges(t *testing.T) {
	a := newApp(t)
	a.approve(t, a.join(t, "First", 1))
	s := openStream(t, a.URL+"/api/v1/stats/stream")
	first := s.next(t, 2*time.Second)
	if first.Data.Members != 1 || first.Data.ByRegion["montreal"] != 1 || first.ID == "" {
		t.Fatalf("first event %+v", first)
	}
	a.approve(t, a.join(t, "Second", 2))
	second := s.next(t, 2*time.Second)
	if second.Data.Members != 2 || second.ID == first.ID {
		t.Fatalf("after an approval %+v", second)
	}
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/1/revoke", `{"reason":"x"}`), http.StatusOK)
	if third := s.next(t, 2*time.Second); third.Data.Members != 1 {
		t.Fatalf("after a revocation %+v", third)
	}

	// A client that already has the latest counts gets no repeat of them.
	res := a.do(t, "GET", "/widget/count.json", "")
	var cur struct{ Members int }
	res.json(t, &cur)
	etag := strings.Trim(res.Header.Get("ETag"), `"`)
	again := openStream(t, a.URL+"/api/v1/stats/stream", "Last-Event-ID", etag)
	a.approve(t, a.join(t, "Third", 3))
	if e := again.next(t, 2*time.Second); e.Data.Members != 2 {
		t.Fatalf("resumed stream's first event %+v, want the new count", e)
	}
}

func TestImportIsCoalesced(t *testing.T) {
	a := newApp(t)
	s := openStream(t, a.URL+"/api/v1/stats/stream")
	if e := s.next(t, 2*time.Second); e.Data.Members != 0 {
		t.Fatalf("%+v", e)
	}
	var csv strings.Builder
	csv.WriteString("name,website,region,contact_email,consent_public\n")
	for i := range 1000 {
		csv.WriteString("Co " + strconv.Itoa(i) + ",https://co-" + strconv.Itoa(i) + ".example,Laval,,true\n")
	}
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/import", csv.String()), http.StatusCreated)
	e := s.next(t, 3*time.Second)
	if e.Data.Members != 1000 {
		t.Fatalf("one event with all thousand: %+v", e)
	}
}

func TestCountJSON(t *testing.T) {
	a := newApp(t)
	a.approve(t, a.join(t, "First", 1))
	res := a.do(t, "GET", "/widget/count.json", "")
	wantStatus(t, res, http.StatusOK)
	var c struct {
		Members   int            `json:"members"`
		ByRegion  map[string]int `json:"by_region"`
		UpdatedAt time.Time      `json:"updated_at"`
	}
	res.json(t, &c)
	if c.Members != 1 || len(c.ByRegion) != 17 || c.ByRegion["montreal"] != 1 || c.UpdatedAt.IsZero() || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("count.json %s %v", res.Body, res.Header)
	}
	wantStatus(t, a.do(t, "GET", "/widget/count.json", "", "If-None-Match", res.Header.Get("ETag")), http.StatusNotModified)
}

func TestEmbedKitIsSmallAndEmbeddable(t *testing.T) {
	a := newApp(t)
	res := a.do(t, "GET", "/embed/counter.js", "")
	wantStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") || res.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Errorf("headers %v", res.Header)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write([]byte(res.Body))
	zw.Close()
	if gz.Len() >= 4096 {
		t.Errorf("counter.js is %d bytes gzipped, over 4 KiB", gz.Len())
	}
	wantStatus(t, a.do(t, "GET", "/embed/nope.js", ""), http.StatusNotFound)
}

func TestCountWidget(t *testing.T) {
	a := newApp(t)
	var csv strings.Builder
	csv.WriteString("name,website,region,contact_email,consent_public\n")
	for i := range 1234 {
		region := "Laval"
		if i%2 == 1 {
			region = "Estrie"
		}
		csv.WriteString("Co " + strconv.Itoa(i) + ",https://co-" + strconv.Itoa(i) + ".example," + region + ",,true\n")
	}
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/import", csv.String()), http.StatusCreated)
	// Counts follow a change within a coalescing period.
	for deadline := time.Now().Add(3 * time.Second); !strings.Contains(a.do(t, "GET", "/widget/count.json", "").Body, `"members":1234`); {
		if time.Now().After(deadline) {
			t.Fatal("count.json never reached 1234")
		}
		time.Sleep(20 * time.Millisecond)
	}

	for query, want := range map[string][2]string{
		"lang=fr":                        {"1\u00a0234", "entreprises membres"},
		"lang=en":                        {"1,234", "member companies"},
		"lang=fr&region=laval":           {"617", "entreprises membres · Laval"},
		"lang=en&goal=2000":              {"1,234", "member companies · goal 2,000"},
		"lang=fr&region=laval&goal=2000": {"617", "entreprises membres · Laval · objectif 2\u00a0000"},
		"lang=fr&region=nord-du-quebec":  {"0", "entreprise membre · Nord-du-Québec"},
		"lang=fr&style=for-the-badge":    {"1\u00a0234", "ENTREPRISES MEMBRES"},
		"lang=en&region=Nord-du-Québec":  {"0", "member companies · Nord-du-Québec"},
	} {
		res := a.do(t, "GET", "/widget/count.svg?"+query, "")
		wantStatus(t, res, http.StatusOK)
		s := parseSVG(t, res.Body)
		if len(s.Texts) != 2 || s.Texts[0] != badgetest.Inked(want[0]) || s.Texts[1] != badgetest.Inked(want[1]) {
			t.Errorf("%s: texts %q, want %q", query, s.Texts, want)
		}
		if res.Header.Get("Cache-Control") != "public, max-age=30" || res.Header.Get("ETag") == "" {
			t.Errorf("%s: headers %v", query, res.Header)
		}
	}
	// The goal bar: 1234/2000 of the width.
	res := a.do(t, "GET", "/widget/count.svg?lang=en&goal=2000", "")
	s := parseSVG(t, res.Body)
	width, _ := strconv.ParseFloat(s.Width, 64)
	if want := strconv.FormatFloat(math.Round(width*1234/2000*100)/100, 'f', -1, 64); !strings.Contains(res.Body, `width="`+want+`"`) {
		t.Errorf("no progress bar %s wide in %s", want, res.Body)
	}
	w1, _ := decodeSize(t, a.do(t, "GET", "/widget/count.png?lang=fr", "").Body)
	w2, _ := decodeSize(t, a.do(t, "GET", "/widget/count.png?lang=fr&scale=2", "").Body)
	if w2 != 2*w1 {
		t.Errorf("scale 2 is %d wide, scale 1 %d", w2, w1)
	}
	for query, option := range map[string]string{"region=ontario": "region", "goal=0": "goal", "goal=-3": "goal", "goal=x": "goal", "theme=pink": "theme"} {
		res := a.do(t, "GET", "/widget/count.svg?lang=en&"+query, "")
		wantStatus(t, res, http.StatusBadRequest)
		if s := parseSVG(t, res.Body); s.Texts[1] != "invalidoption:"+option {
			t.Errorf("%s: %q", query, s.Texts)
		}
	}
}

// TestStreamCaps: one client holds at most its share of streams (429), the
// server at most its total (503), both with Retry-After; ordinary requests
// are served all along, and a closed stream frees its place.
func TestStreamCaps(t *testing.T) {
	a := newApp(t, func(c *web.Config) {
		c.StreamsPerClient, c.MaxStreams = 2, 3
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	url := a.URL + "/api/v1/stats/stream"
	first := openStream(t, url, "X-Forwarded-For", "203.0.113.1")
	openStream(t, url, "X-Forwarded-For", "203.0.113.1")
	refused := func(client string, status int) {
		t.Helper()
		res := a.do(t, "GET", "/api/v1/stats/stream", "", "X-Forwarded-For", client)
		wantStatus(t, res, status) // a refusal ends, so do can read it whole
		if res.Header.Get("Retry-After") == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("refusal headers %v", res.Header)
		}
	}
	refused("203.0.113.1", http.StatusTooManyRequests)
	openStream(t, url, "X-Forwarded-For", "203.0.113.2")
	refused("203.0.113.3", http.StatusServiceUnavailable)
	wantStatus(t, a.do(t, "GET", "/healthz", ""), http.StatusOK)
	wantStatus(t, a.do(t, "GET", "/widget/count.json", ""), http.StatusOK)
	first.res.Body.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		status := streamStatus(t, url, "203.0.113.3")
		if status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed stream did not free its place: %d", status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// streamStatus opens a stream, reads its status and hangs up.
func streamStatus(t *testing.T, url, client string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("X-Forwarded-For", client)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	return res.StatusCode
}
