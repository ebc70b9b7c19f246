package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/badge/badgetest"
)

// joinAs posts an application in a region, consenting to the directory or
// not, and returns its id.
func (a *app) joinAs(t *testing.T, name string, n int, region string, consent bool) int64 {
	t.Helper()
	var body map[string]any
	json.Unmarshal([]byte(joinJSON(name, n)), &body)
	body["region"], body["consent_public"] = region, consent
	b, _ := json.Marshal(body)
	res := a.do(t, "POST", "/api/v1/members", string(b))
	wantStatus(t, res, http.StatusCreated)
	var out struct{ ID int64 }
	res.json(t, &out)
	return out.ID
}

// eventually retries get until ok, for what follows the live counts,
// which move within a coalescing period of a change.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
	}
}

type wallPage struct {
	Members []struct {
		Name, Slug, Region, URL string
		RegionKey               string `json:"region_key"`
		MemberSince             string `json:"member_since"`
	}
	Total, Page, Limit int
	Next               string
}

func (p wallPage) names() []string {
	var out []string
	for _, m := range p.Members {
		out = append(out, m.Name)
	}
	return out
}

// wallFixture: Zulu, Alpha (Laval), Hidden (no consent), Pending, Revoked
// and Mike approved a day apart, in that order.
func wallFixture(t *testing.T) *app {
	a := newApp(t)
	ids := map[string]int64{}
	for i, m := range []struct {
		name, region string
		consent      bool
	}{{"Zulu", "Montréal", true}, {"Alpha", "Laval", true}, {"Hidden", "Laval", false}, {"Pending", "Laval", true},
		{"Revoked", "Montréal", true}, {"Mike", "Montréal", true}} {
		ids[m.name] = a.joinAs(t, m.name, i+1, m.region, m.consent)
	}
	for _, name := range []string{"Zulu", "Alpha", "Hidden", "Revoked", "Mike"} {
		a.clock.Advance(24 * time.Hour)
		a.approve(t, ids[name])
	}
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+strconv.FormatInt(ids["Revoked"], 10)+"/revoke", `{"reason":"test"}`), http.StatusOK)
	eventually(t, "the wall lists three members", func() bool {
		var p wallPage
		a.do(t, "GET", "/widget/wall.json", "").json(t, &p)
		return p.Total == 3
	})
	return a
}

// TestWallJSON: the wall lists approved, consenting members only, newest
// first, a page at a time, from any origin, briefly cacheable.
func TestWallJSON(t *testing.T) {
	a := wallFixture(t)
	res := a.do(t, "GET", "/widget/wall.json", "", "Origin", "https://campaign.example")
	wantStatus(t, res, http.StatusOK)
	var p wallPage
	res.json(t, &p)
	if got := p.names(); !slices.Equal(got, []string{"Mike", "Alpha", "Zulu"}) || p.Total != 3 || p.Page != 1 || p.Limit != 24 || p.Next != "" {
		t.Fatalf("wall %s", res.Body)
	}
	if m := p.Members[1]; m.Slug != "alpha" || m.Region != "Laval" || m.RegionKey != "laval" || m.MemberSince != "2026-11-27" ||
		m.URL != "https://technopolys.example/members/alpha" {
		t.Errorf("Alpha is %+v", m)
	}
	for name, want := range map[string]string{"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=30",
		"Content-Type": "application/json; charset=utf-8"} {
		if got := res.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if strings.Contains(res.Body, "marie@") || strings.Contains(res.Body, "Tremblay") {
		t.Errorf("the wall shows a contact: %s", res.Body)
	}
	for range 2 {
		wantStatus(t, a.do(t, "GET", "/widget/wall.json", "", "If-None-Match", res.Header.Get("ETag")), http.StatusNotModified)
	}

	t.Run("pages", func(t *testing.T) {
		var first, second wallPage
		a.do(t, "GET", "/widget/wall.json?limit=2", "").json(t, &first)
		if !slices.Equal(first.names(), []string{"Mike", "Alpha"}) || first.Next != "https://technopolys.example/widget/wall.json?limit=2&page=2" {
			t.Fatalf("first page %+v", first)
		}
		a.do(t, "GET", strings.TrimPrefix(first.Next, "https://technopolys.example"), "").json(t, &second)
		if !slices.Equal(second.names(), []string{"Zulu"}) || second.Next != "" || second.Page != 2 {
			t.Fatalf("second page %+v", second)
		}
	})
	t.Run("a region", func(t *testing.T) {
		for _, region := range []string{"laval", "Laval"} {
			var p wallPage
			a.do(t, "GET", "/widget/wall.json?region="+region, "").json(t, &p)
			if !slices.Equal(p.names(), []string{"Alpha"}) || p.Total != 1 {
				t.Errorf("%s: %+v", region, p)
			}
		}
	})
	t.Run("a revocation takes the name off at once", func(t *testing.T) {
		a.do(t, "GET", "/widget/wall.json?limit=5", "") // cached before
		for range 2 {
			res := a.adminDo(t, "POST", "/api/v1/admin/members/6/revoke", `{"reason":"test"}`)
			if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusConflict {
				t.Fatalf("revoke: %d %s", res.StatusCode, res.Body)
			}
			var p wallPage
			a.do(t, "GET", "/widget/wall.json?limit=5", "").json(t, &p)
			if got := p.names(); !slices.Equal(got, []string{"Alpha", "Zulu"}) {
				t.Fatalf("after revoking Mike: %v", got)
			}
			if body := a.do(t, "GET", "/widget/wall.svg?lang=en", "").Body; strings.Contains(body, "Mike") {
				t.Fatalf("wall.svg still says Mike: %s", body)
			}
		}
	})
	t.Run("bad parameters are refused", func(t *testing.T) {
		for query, field := range map[string]string{"limit=0": "limit", "limit=101": "limit", "limit=x": "limit", "limit=05": "limit",
			"limit=1&limit=2": "limit", "page=0": "page", "page=51": "page", "page=-1": "page", "region=ontario": "region",
			"region=laval&region=estrie": "region"} {
			res := a.do(t, "GET", "/widget/wall.json?"+query, "")
			wantStatus(t, res, http.StatusBadRequest)
			if !strings.Contains(res.Body, `"`+field+`"`) || res.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("%s: %s %v", query, res.Body, res.Header)
			}
		}
	})
}

// TestWallSVG: the wall draws the newest names as outlines, escaped, says
// them in its title, follows an approval, and its cache keys are few:
// cache busters and a region's spellings share one entry.
func TestWallSVG(t *testing.T) {
	a := wallFixture(t)
	res := a.do(t, "GET", "/widget/wall.svg?lang=en&columns=2", "")
	wantStatus(t, res, http.StatusOK)
	s := parseSVG(t, res.Body)
	if strings.Contains(res.Body, "<text") || !slices.Contains(s.Texts, "Mike") || !slices.Contains(s.Texts, "Zulu") || slices.Contains(s.Texts, "Hidden") {
		t.Errorf("texts %q", s.Texts)
	}
	if s.Role != "img" || s.Title != "technopolys wall of members, 3 member companies: Mike, Alpha, Zulu" || s.Label != s.Title {
		t.Errorf("title %q, label %q", s.Title, s.Label)
	}
	for name, want := range map[string]string{"Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=30",
		"Cross-Origin-Resource-Policy": "cross-origin"} {
		if got := res.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	wantStatus(t, a.do(t, "GET", "/widget/wall.svg?lang=en&columns=2", "", "If-None-Match", res.Header.Get("ETag")), http.StatusNotModified)

	t.Run("a name is escaped", func(t *testing.T) {
		id := a.joinAs(t, `Nous & <Cie> "Québec"`, 20, "Estrie", true)
		a.approve(t, id)
		eventually(t, "the new member on the wall", func() bool {
			body := a.do(t, "GET", "/widget/wall.svg?lang=fr", "").Body
			return strings.Contains(body, "Nous &amp; &lt;Cie&gt; &#34;Québec&#34;") && strings.Contains(body, "4 entreprises membres")
		})
		s := parseSVG(t, a.do(t, "GET", "/widget/wall.svg?lang=fr", "").Body)
		if !strings.HasPrefix(s.Title, "Mur des membres de technopolys, 4 entreprises membres\u00a0: Nous & <Cie> \"Québec\", Mike") {
			t.Errorf("title %q", s.Title)
		}
		if !slices.Contains(s.Texts, badgetest.Inked(`Nous & <Cie> "Québec"`)) {
			t.Errorf("texts %q", s.Texts)
		}
	})
	t.Run("cache keys are few", func(t *testing.T) {
		a.do(t, "GET", "/widget/wall.svg?lang=fr&region=laval", "")
		_, _, before := a.web.ImageCache()
		for _, q := range []string{"lang=fr&region=laval", "lang=fr&region=Laval", "region=laval&lang=fr&v=2", "lang=fr&region=laval&style=plastic&scale=3"} {
			wantStatus(t, a.do(t, "GET", "/widget/wall.svg?"+q, ""), http.StatusOK)
		}
		if _, _, after := a.web.ImageCache(); after != before {
			t.Errorf("%d cache entries, then %d", before, after)
		}
	})
	t.Run("bad parameters draw an error", func(t *testing.T) {
		for query, option := range map[string]string{"limit=0": "limit", "limit=49": "limit", "columns=7": "columns", "columns=0": "columns",
			"theme=pink": "theme", "lang=de": "lang", "region=ontario": "region", "limit=2&limit=3": "limit"} {
			res := a.do(t, "GET", "/widget/wall.svg?lang=en&"+query, "")
			wantStatus(t, res, http.StatusBadRequest)
			if s := parseSVG(t, res.Body); len(s.Texts) < 2 || s.Texts[1] != "invalidoption:"+option {
				t.Errorf("%s: %q", query, s.Texts)
			}
		}
	})
}

// TestWallKit: /embed/wall.js is served to any site and stays under 6 KiB
// gzipped.
func TestWallKit(t *testing.T) {
	a := newApp(t)
	res := a.do(t, "GET", "/embed/wall.js", "")
	wantStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("headers %v", res.Header)
	}
	if n := gzipped(res.Body); n >= 6<<10 {
		t.Errorf("wall.js is %d bytes gzipped, over 6 KiB", n)
	}
}

// gzipped is how many bytes s takes gzipped at the best compression.
func gzipped(s string) int {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write([]byte(s))
	zw.Close()
	return gz.Len()
}
