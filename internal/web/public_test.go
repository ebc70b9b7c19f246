package web_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

const hostile = `<script>alert(1)</script> "&"`

func TestHostileNameIsTextEverywhere(t *testing.T) {
	a := newApp(t)
	id := a.join(t, hostile, 1)
	slug := a.approve(t, id)
	pages := []string{"/", "/members", "/members?lang=en", "/members/" + slug, "/members/" + slug + "?lang=en", "/admin/signin"}
	for _, p := range pages {
		res := a.do(t, "GET", p, "")
		wantStatus(t, res, 200)
		if strings.Contains(res.Body, "<script>alert") || strings.Contains(res.Body, `"&"`) {
			t.Errorf("%s shows the name as markup", p)
		}
		if strings.HasPrefix(p, "/members") && !strings.Contains(res.Body, "&lt;script&gt;alert(1)&lt;/script&gt; &#34;&amp;&#34;") {
			t.Errorf("%s does not show the name as text", p)
		}
	}
	for _, p := range []string{"/api/v1/members", "/api/v1/admin/members/" + fmt.Sprint(id)} {
		res := a.adminDo(t, "GET", p, "")
		if strings.Contains(res.Body, "<script>") || !strings.Contains(res.Body, `\u003cscript\u003ealert(1)\u003c/script\u003e \"\u0026\"`) {
			t.Errorf("%s: JSON does not escape the name: %s", p, res.Body)
		}
	}
	if csp := a.do(t, "GET", "/members/"+slug, "").Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}

func TestPublicRoutesHidePrivateFields(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme", 1))
	for _, p := range []string{"/", "/members", "/members/" + slug, "/api/v1/members", "/api/v1/stats"} {
		res := a.do(t, "GET", p, "")
		if strings.Contains(res.Body, "marie@company-1.example") || strings.Contains(res.Body, "Marie Tremblay") {
			t.Errorf("%s shows the contact", p)
		}
	}
}

func TestVerificationPage(t *testing.T) {
	a := newApp(t)
	pending := a.join(t, "Pending Co", 2)
	rejected := a.join(t, "Rejected Co", 3)
	a.adminDo(t, "POST", fmt.Sprintf("/api/v1/admin/members/%d/reject", rejected), `{"reason":"no"}`)
	slug := a.approve(t, a.join(t, "Acme Québec inc.", 1))
	fr := a.do(t, "GET", "/members/"+slug, "")
	for _, want := range []string{"Membre vérifié", "Acme Québec inc.", "https://company-1.example", "Montréal",
		"Membre depuis", "25\u00a0novembre 2026", `datetime="2026-11-25"`, "Vérifié le"} {
		if !strings.Contains(fr.Body, want) {
			t.Errorf("French page lacks %q", want)
		}
	}
	en := a.do(t, "GET", "/members/"+slug, "", "Accept-Language", "en")
	if !strings.Contains(en.Body, "Verified member") || !strings.Contains(en.Body, "November 25, 2026") {
		t.Errorf("English page: %s", en.Body)
	}
	if cc := fr.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q", cc)
	}
	for _, p := range []string{"/members/pending-co", "/members/rejected-co", "/members/nobody", "/members/" + fmt.Sprint(pending)} {
		wantStatus(t, a.do(t, "GET", p, ""), 404)
	}
}

func TestDirectoryAndStats(t *testing.T) {
	a := newApp(t)
	regions := []string{"Laval", "Laval", "Estrie"}
	for i, r := range regions {
		body := strings.Replace(joinJSON(fmt.Sprintf("Co %c", 'A'+i), i), "Montréal", r, 1)
		res := a.do(t, "POST", "/api/v1/members", body)
		var out struct{ ID int64 }
		res.json(t, &out)
		a.approve(t, out.ID)
	}
	hidden := strings.Replace(joinJSON("Hidden", 9), `"consent_public":true`, `"consent_public":false`, 1)
	var out struct{ ID int64 }
	a.do(t, "POST", "/api/v1/members", hidden).json(t, &out)
	a.approve(t, out.ID)
	a.join(t, "Pending", 10)

	var stats struct {
		Members  int
		ByRegion map[string]int `json:"by_region"`
	}
	// The counts are the live counter's, re-read a moment after a change.
	var res response
	for deadline := time.Now().Add(3 * time.Second); stats.Members != 4 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res = a.do(t, "GET", "/api/v1/stats", "")
		res.json(t, &stats)
	}
	if stats.Members != 4 || stats.ByRegion["Laval"] != 2 || stats.ByRegion["Estrie"] != 1 || len(stats.ByRegion) != 17 {
		t.Fatalf("stats %s", res.Body)
	}
	if res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("stats not readable cross-origin")
	}
	var list struct {
		Members []struct{ Name, Slug, URL string }
		Total   int
	}
	a.do(t, "GET", "/api/v1/members?region=laval", "").json(t, &list)
	if list.Total != 2 || list.Members[0].URL != "https://technopolys.example/members/co-a" {
		t.Fatalf("laval list %+v", list)
	}
	wantStatus(t, a.do(t, "GET", "/api/v1/members?region=ontario", ""), 400)
	dir := a.do(t, "GET", "/members?region=estrie", "")
	if !strings.Contains(dir.Body, "Co C") || strings.Contains(dir.Body, "Co A") || strings.Contains(dir.Body, "Hidden") {
		t.Fatalf("directory: %s", dir.Body)
	}
	home := a.do(t, "GET", "/", "")
	if !strings.Contains(home.Body, `data-technopolys-counter data-lang="fr">4 entreprises membres<`) || !strings.Contains(home.Body, `<script src="/embed/counter.js"`) {
		t.Fatalf("home: %s", home.Body)
	}
}

func TestHealth(t *testing.T) {
	a := newApp(t)
	wantStatus(t, a.do(t, "GET", "/healthz", ""), 200)
	wantStatus(t, a.do(t, "GET", "/readyz", ""), 200)
	a.store.Close()
	a.clock.Advance(time.Second) // one readiness answer holds a second
	wantStatus(t, a.do(t, "GET", "/readyz", ""), http.StatusServiceUnavailable)
	wantStatus(t, a.do(t, "GET", "/healthz", ""), 200)
}

// TestNoServerErrors throws odd requests at every route: none may answer 5xx.
func TestNoServerErrors(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme", 1))
	paths := []string{
		"/", "/?lang=xx", "/members?page=0", "/members?page=-1", "/members?page=99999999999999999999",
		"/members?region=%00", "/members/%00", "/members/" + slug + "%2F..", "/members/..%2F..%2Fetc%2Fpasswd",
		"/api/v1/members?limit=-5", "/api/v1/members?offset=1e9", "/api/v1/members?limit=%FF",
		"/join?event=%ZZ", "/join?lang[]=x", "/static/../../go.mod", "/static/nope.css", "/nope", "/api/nope",
		"/api/v1/admin/members/-1", "/%2e%2e/%2e%2e", "/members/" + strings.Repeat("a", 5000),
		"/badge/" + slug + ".svg?scale=%00&style=%FF", "/badge/.svg", "/badge/" + slug + ".png?scale=99999999999999999999",
		"/badge/" + slug, "/badge/%00.png", "/badge/" + slug + ".svg.png?lang=%ZZ", "/ob/assertions/.json",
		"/ob/assertions/" + slug, "/ob/assertions/%00.json", "/api/v1/admin/members/1/embeds",
		"/j/%00", "/j/a%2F..%2F..", "/qr/%00.png?size=-1", "/qr/x.png?size=4097&ec=%00", "/qr/.svg",
		"/print/x.pdf?paper=%00", "/print/.pdf", "/api/v1/admin/events/%00",
	}
	for _, p := range paths {
		for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
			res := a.adminDo(t, m, p, "\x00\xff{")
			if res.StatusCode >= 500 {
				t.Errorf("%s %s: %d %s", m, p, res.StatusCode, res.Body)
			}
		}
	}
}

// TestLinksStayOnOurSite asks for paths a naive page would echo into its
// links: every href and src on the answer, resolved the way a browser
// resolves it, stays on our host.
func TestLinksStayOnOurSite(t *testing.T) {
	a := newApp(t)
	base, _ := url.Parse(a.URL)
	attr := regexp.MustCompile(`(?:href|src|action)="([^"]*)"`)
	for _, path := range []string{"//evil.example/login", "///evil.example", "////evil.example/login", "/%2Fevil.example/login",
		"/%2F%2Fevil.example/x", "/%5C%5Cevil.example", "/members/..%2F%2Fevil.example", "////evil.example/join?lang=en"} {
		req, err := http.NewRequest("GET", a.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = path // sent as typed, not cleaned by the client
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if loc := res.Header.Get("Location"); loc != "" {
			if u, err := base.Parse(loc); err != nil || u.Host != base.Host {
				t.Errorf("%s: redirect to %q", path, loc)
			}
		}
		page := *base // the page's own address, as the browser holds it
		page.Path = path
		for _, m := range attr.FindAllStringSubmatch(string(body), -1) {
			link := html.UnescapeString(m[1])
			u, err := page.Parse(link)
			// Browsers read "///host", "/\\host" and "\\/host" as another
			// host, where Go's parser sees a path: refuse those forms too.
			offSite := len(link) >= 2 && strings.ContainsRune(`/\`, rune(link[0])) && strings.ContainsRune(`/\`, rune(link[1]))
			if err != nil || offSite || u.Host != "" && u.Host != base.Host {
				t.Errorf("%s (%d): link %q leads to %v", path, res.StatusCode, link, u)
			}
		}
	}
}

// TestDirectoryPages walks 120 listed members (and some that are not) a
// page at a time, forward and back: every member once, in slug order,
// with the total from the live counts and links only where a page is.
func TestDirectoryPages(t *testing.T) {
	a := newApp(t)
	var csv strings.Builder
	csv.WriteString("name,website,region,contact_email,consent_public\n")
	for i := range 130 {
		region, consent := "Laval", "oui"
		if i%3 == 0 {
			region = "Estrie"
		}
		if i >= 120 {
			consent = "non" // approved, but not listed
		}
		fmt.Fprintf(&csv, "Membre %03d,https://m%d.example,%s,a@m%d.example,%s\n", i, i, region, i, consent)
	}
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/import", csv.String()), http.StatusCreated)
	links := regexp.MustCompile(`<a rel="(prev|next)" href="([^"]+)"`)
	names := regexp.MustCompile(`>(Membre \d{3})</a>`)
	walk := func(start string) (seen []string, pages int, lastBody string) {
		next := start
		for next != "" && pages < 10 {
			var res response
			for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				res = a.do(t, "GET", next, "")
				if strings.Contains(res.Body, "120 entreprises affichées") || strings.Contains(res.Body, "40 entreprises affichées") || time.Now().After(deadline) {
					break // the live counts have caught up with the import
				}
			}
			wantStatus(t, res, http.StatusOK)
			pages++
			// The list itself: the newest members' section names some too.
			for _, m := range names.FindAllStringSubmatch(res.Body[strings.Index(res.Body, `id="list-title"`):], -1) {
				seen = append(seen, m[1])
			}
			next = ""
			for _, l := range links.FindAllStringSubmatch(res.Body, -1) {
				if l[1] == "next" {
					next = html.UnescapeString(l[2])
				}
			}
			lastBody = res.Body
		}
		return seen, pages, lastBody
	}
	seen, pages, last := walk("/members")
	if pages != 3 || len(seen) != 120 || !slices.IsSorted(seen) || seen[0] != "Membre 000" || seen[119] != "Membre 119" {
		t.Fatalf("%d pages, %d members: %v", pages, len(seen), seen)
	}
	if !strings.Contains(last, `rel="prev"`) || strings.Contains(last, `rel="next"`) {
		t.Error("last page: want a previous link and no next")
	}
	// Back from the last page: the page before holds the 50 before it.
	prev := html.UnescapeString(links.FindStringSubmatch(last[strings.Index(last, `rel="prev"`)-3:])[2])
	back := a.do(t, "GET", prev, "")
	got := names.FindAllStringSubmatch(back.Body, -1)
	if len(got) != 50 || got[0][1] != "Membre 050" || got[49][1] != "Membre 099" ||
		!strings.Contains(back.Body, `rel="prev"`) || !strings.Contains(back.Body, `rel="next"`) {
		t.Errorf("page before the last: %d members from %v", len(got), got[0])
	}
	// A region: 40 of the listed members, one page.
	regional, pages, _ := walk("/members?region=estrie")
	if pages != 1 || len(regional) != 40 {
		t.Errorf("Estrie: %d pages, %d members", pages, len(regional))
	}
	for _, bad := range []string{"/members?after=Membre", "/members?before=%3Cscript%3E", "/members?after=a&before=b", "/members?region=mars"} {
		wantStatus(t, a.do(t, "GET", bad, ""), http.StatusBadRequest)
	}
}

// TestStoreOutageIs503 closes the store under a running server: every
// route that needs it answers 503 with Retry-After, as JSON, page or image
// as the route calls for, never 500; what needs no store goes on.
func TestStoreOutageIs503(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	id := a.join(t, "Acme", 1)
	sl := a.approve(t, id)
	wantStatus(t, a.do(t, "GET", "/badge/"+sl+".svg", ""), http.StatusOK) // cached from now on
	wantStatus(t, a.do(t, "GET", "/readyz", ""), http.StatusOK)
	a.store.Close()
	a.clock.Advance(time.Second) // one readiness answer holds a second
	for _, c := range []struct{ method, path, body, contentType string }{
		{"GET", "/readyz", "", "application/json"},
		{"GET", "/members/someone-else", "", "text/html"},
		{"GET", "/members", "", "text/html"},
		{"GET", "/badge/someone-else.svg", "", "image/svg+xml"},
		{"GET", "/badge/someone-else.png", "", "image/png"},
		{"GET", "/qr/other-event.png", "", "image/png"},
		{"POST", "/api/v1/members", joinJSON("Beta", 2), "application/json"},
		{"GET", "/api/v1/members", "", "application/json"},
		{"GET", "/api/v1/admin/members", "", "application/json"},
	} {
		var res response
		if strings.Contains(c.path, "admin") {
			res = a.adminDo(t, c.method, c.path, c.body)
		} else {
			res = a.do(t, c.method, c.path, c.body)
		}
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), c.contentType) {
			t.Errorf("%s %s: %d %q Retry-After %q", c.method, c.path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Retry-After"))
		}
	}
	// The join form keeps what was typed and says why.
	form := url.Values{"name": {"Bêta inc."}, "website": {"https://beta.example"}, "contact_name": {"Luc"},
		"contact_email": {"luc@beta.example"}, "region": {"Laval"}, "consent_public": {"yes"}}.Encode()
	res := a.do(t, "POST", "/join", form, "Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, http.StatusServiceUnavailable)
	if !strings.Contains(res.Body, `value="Bêta inc."`) || !strings.Contains(res.Body, "indisponible") {
		t.Errorf("form on outage: %s", res.Body)
	}
	// What is in memory is still served.
	wantStatus(t, a.do(t, "GET", "/badge/"+sl+".svg", ""), http.StatusOK)
	wantStatus(t, a.do(t, "GET", "/healthz", ""), http.StatusOK)
	wantStatus(t, a.do(t, "GET", "/j/salon-2026", ""), http.StatusFound)
}
