package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/badge/badgetest"
	"github.com/technopolys/technopolys/internal/web"
)

const hostileName = `<script>alert(1)</script> "Acme" & Québec`

func decodeSize(t *testing.T, body string) (int, int) {
	t.Helper()
	img, err := png.Decode(strings.NewReader(body))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func parseSVG(t *testing.T, body string) *badgetest.SVG {
	t.Helper()
	s, err := badgetest.ParseSVG([]byte(body))
	if err != nil {
		t.Fatalf("SVG: %v\n%s", err, body)
	}
	return s
}

func TestBadgeOfAnApprovedMember(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, hostileName, 1))

	res := a.do(t, "GET", "/badge/"+slug+".svg?lang=en", "")
	wantStatus(t, res, http.StatusOK)
	for h, want := range map[string]string{
		"Content-Type":                 "image/svg+xml",
		"Cache-Control":                "public, max-age=300, s-maxage=300, stale-while-revalidate=86400",
		"Cross-Origin-Resource-Policy": "cross-origin",
		"X-Content-Type-Options":       "nosniff",
		"Set-Cookie":                   "",
		"Vary":                         "",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	s := parseSVG(t, res.Body)
	if want := hostileName + " — verified member of technopolys"; s.Title != want || s.Lang != "en" {
		t.Errorf("title %q lang %q", s.Title, s.Lang)
	}
	if len(s.Assertions) != 1 || s.Assertions[0] != "https://technopolys.example/ob/assertions/"+slug+".json" {
		t.Errorf("assertion %q", s.Assertions)
	}

	head := a.do(t, "HEAD", "/badge/"+slug+".svg?lang=en", "")
	wantStatus(t, head, http.StatusOK)
	if head.Body != "" || head.Header.Get("Content-Length") != strconv.Itoa(len(res.Body)) || head.Header.Get("ETag") != res.Header.Get("ETag") {
		t.Errorf("HEAD: body %q, headers %v", head.Body, head.Header)
	}

	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	again := a.do(t, "GET", "/badge/"+slug+".svg?lang=en", "", "If-None-Match", `"other", W/`+etag)
	wantStatus(t, again, http.StatusNotModified)
	if again.Body != "" || again.Header.Get("ETag") != etag {
		t.Errorf("304 with body %q, ETag %q", again.Body, again.Header.Get("ETag"))
	}
}

func TestBadgeLanguageFollowsAcceptLanguage(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme", 1))
	for header, want := range map[string]string{"en-CA,en;q=0.9": "en", "fr-CA": "fr", "de-DE": "fr", "": "fr"} {
		res := a.do(t, "GET", "/badge/"+slug+".svg", "", "Accept-Language", header)
		wantStatus(t, res, http.StatusOK)
		if s := parseSVG(t, res.Body); s.Lang != want {
			t.Errorf("Accept-Language %q: xml:lang %q, want %q", header, s.Lang, want)
		}
		if res.Header.Get("Vary") != "Accept-Language" {
			t.Errorf("Vary %q", res.Header.Get("Vary"))
		}
	}
}

func TestBadgePNGScales(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme", 1))
	w1, h1 := 0, 0
	for scale := 1; scale <= 4; scale++ {
		res := a.do(t, "GET", "/badge/"+slug+".png?lang=fr&style=for-the-badge&scale="+strconv.Itoa(scale), "")
		wantStatus(t, res, http.StatusOK)
		if res.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("Content-Type %q", res.Header.Get("Content-Type"))
		}
		w, h := decodeSize(t, res.Body)
		if scale == 1 {
			w1, h1 = w, h
		} else if w != scale*w1 || h != scale*h1 {
			t.Errorf("scale %d: %dx%d, want %dx%d", scale, w, h, scale*w1, scale*h1)
		}
		baked, err := badgetest.Baked([]byte(res.Body))
		if err != nil || len(baked) != 1 || !strings.Contains(baked[0], `"id":"https://technopolys.example/ob/assertions/`+slug+`.json"`) {
			t.Errorf("baked %q %v", baked, err)
		}
	}
}

func TestBadgeOfANonMemberIsAnImageSayingSo(t *testing.T) {
	a := newApp(t)
	a.join(t, "Pending Co", 1)
	revoked := a.approve(t, a.join(t, "Revoked Co", 2))
	// Served once, so the revocation must also empty the cache.
	wantStatus(t, a.do(t, "GET", "/badge/"+revoked+".svg?lang=fr", ""), http.StatusOK)
	wantStatus(t, a.do(t, "GET", "/badge/"+revoked+".png?lang=fr", ""), http.StatusOK)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/2/revoke", `{"reason":"test"}`), http.StatusOK)

	for _, slug := range []string{"nobody", "pending-co", revoked, "%3Cscript%3E"} {
		res := a.do(t, "GET", "/badge/"+slug+".svg?lang=fr", "")
		wantStatus(t, res, http.StatusNotFound)
		s := parseSVG(t, res.Body)
		if len(s.Texts) != 2 || s.Texts[1] != "nonmembre" || len(s.Assertions) != 0 {
			t.Errorf("%s: texts %q, assertions %q", slug, s.Texts, s.Assertions)
		}
		res = a.do(t, "GET", "/badge/"+slug+".png?lang=en", "")
		wantStatus(t, res, http.StatusNotFound)
		decodeSize(t, res.Body)
		if res.Header.Get("Content-Type") != "image/png" || res.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
			t.Errorf("%s: headers %v", slug, res.Header)
		}
	}
}

func TestBadgeWithABadOptionNamesIt(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme", 1))
	for query, option := range map[string]string{
		"style=pastel": "style", "theme=blue": "theme", "scale=9": "scale", "lang=de": "lang",
		"style=flat&style=plastic": "style", "scale=<script>": "scale",
	} {
		res := a.do(t, "GET", "/badge/"+slug+".svg?lang=en&"+query, "")
		if query == "lang=de" {
			res = a.do(t, "GET", "/badge/"+slug+".svg?"+query, "")
		}
		wantStatus(t, res, http.StatusBadRequest)
		s := parseSVG(t, res.Body)
		if len(s.Texts) != 2 || !strings.HasSuffix(s.Texts[1], ":"+option) {
			t.Errorf("%s: texts %q", query, s.Texts)
		}
		res = a.do(t, "GET", "/badge/"+slug+".png?"+query, "")
		wantStatus(t, res, http.StatusBadRequest)
		decodeSize(t, res.Body)
	}
	// Other formats are not badges.
	wantStatus(t, a.do(t, "GET", "/badge/"+slug+".gif", ""), http.StatusNotFound)
}

func TestOpenBadges(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme", 1))
	base := "https://technopolys.example"

	var issuer, class map[string]any
	res := a.do(t, "GET", "/ob/issuer.json", "")
	wantStatus(t, res, http.StatusOK)
	res.json(t, &issuer)
	res = a.do(t, "GET", "/ob/badge.json", "")
	wantStatus(t, res, http.StatusOK)
	res.json(t, &class)
	if issuer["type"] != "Issuer" || issuer["id"] != base+"/ob/issuer.json" || issuer["email"] != "badges@technopolys.example" || class["type"] != "BadgeClass" ||
		class["issuer"] != issuer["id"] || class["id"] != base+"/ob/badge.json" || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("issuer %v\nclass %v", issuer, class)
	}
	wantStatus(t, a.do(t, "GET", "/ob/image.svg", ""), http.StatusOK)

	var as struct {
		Context      string `json:"@context"`
		Type, ID     string
		Badge        string
		Verification struct{ Type string }
		Recipient    struct {
			Type     string
			Hashed   bool
			Salt     string
			Identity string
		}
		IssuedOn string
	}
	res = a.do(t, "GET", "/ob/assertions/"+slug+".json", "")
	wantStatus(t, res, http.StatusOK)
	res.json(t, &as)
	sum := sha256.Sum256([]byte("https://company-1.example" + as.Recipient.Salt))
	if as.Context != "https://w3id.org/openbadges/v2" || as.Type != "Assertion" || as.ID != base+"/ob/assertions/"+slug+".json" ||
		as.Badge != class["id"] || as.Verification.Type != "HostedBadge" || as.Recipient.Type != "url" || !as.Recipient.Hashed ||
		as.Recipient.Identity != "sha256$"+hex.EncodeToString(sum[:]) || as.IssuedOn == "" {
		t.Errorf("assertion %s", res.Body)
	}

	wantStatus(t, a.do(t, "GET", "/ob/assertions/nobody.json", ""), http.StatusNotFound)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/1/revoke", `{"reason":"test"}`), http.StatusOK)
	res = a.do(t, "GET", "/ob/assertions/"+slug+".json", "")
	wantStatus(t, res, http.StatusGone)
	var gone struct{ Revoked bool }
	res.json(t, &gone)
	if !gone.Revoked {
		t.Errorf("410 body %s", res.Body)
	}
}

func TestEmbedsSeenPerSite(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme", 1)) // website https://company-1.example
	for ref, n := range map[string]int{
		"https://www.company-1.example/about": 3,
		"https://shop.company-1.example/":     1,
		"https://copycat.example/fake-page":   2,
		"":                                    5, // no Referer: not counted
		"https://technopolys.example/members/" + slug: 4, // our own previews: not counted
		"javascript:alert(1)":                         1,
	} {
		for range n {
			res := a.do(t, "GET", "/badge/"+slug+".svg", "", "Referer", ref)
			wantStatus(t, res, http.StatusOK)
		}
	}
	wantStatus(t, a.do(t, "GET", "/api/v1/admin/members/1/embeds", ""), http.StatusUnauthorized)
	res := a.adminDo(t, "GET", "/api/v1/admin/members/1/embeds", "")
	wantStatus(t, res, http.StatusOK)
	var got struct {
		Embeds []struct {
			Site  string
			Views int
			Own   bool
		}
		Total int
	}
	res.json(t, &got)
	want := map[string][2]int{"www.company-1.example": {3, 1}, "copycat.example": {2, 0}, "shop.company-1.example": {1, 1}}
	if len(got.Embeds) != len(want) || got.Total != len(want) {
		t.Fatalf("embeds %s", res.Body)
	}
	for _, e := range got.Embeds {
		w, ok := want[e.Site]
		if !ok || e.Views != w[0] || e.Own != (w[1] == 1) {
			t.Errorf("embed %+v, want %v", e, w)
		}
	}
	if bytes.Contains([]byte(res.Body), []byte("127.0.0.1")) {
		t.Error("embeds hold an address")
	}
	page := a.adminDo(t, "GET", "/api/v1/admin/members/1/embeds?limit=1&offset=1", "")
	wantStatus(t, page, http.StatusOK)
	page.json(t, &got)
	if len(got.Embeds) != 1 || got.Total != len(want) {
		t.Errorf("page of one: %s", page.Body)
	}
	wantStatus(t, a.adminDo(t, "GET", "/api/v1/admin/members/1/embeds?limit=0", ""), http.StatusBadRequest)
	wantStatus(t, a.adminDo(t, "GET", "/api/v1/admin/members/99/embeds", ""), http.StatusNotFound)
}

// TestMemberAreaOffersTheBadge: the badge kit (previews and snippets) is in
// the member area, and the public verification page, which anyone checks,
// only points there.
func TestMemberAreaOffersTheBadge(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, hostileName, 1))
	public := a.do(t, "GET", "/members/"+slug+"?lang=fr", "")
	wantStatus(t, public, http.StatusOK)
	if strings.Contains(public.Body, `<img src="/badge/`) || strings.Contains(public.Body, "<textarea") || strings.Contains(public.Body, "badge-kit") {
		t.Error("the public verification page still carries the badge kit")
	}
	if !strings.Contains(public.Body, `href="/account/signin?lang=fr">Votre badge est dans votre espace membre</a>`) {
		t.Error("the public verification page does not point to the member area")
	}
	cookie, _ := memberSignedIn(t, a, "marie@company-1.example")
	res := a.do(t, "GET", "/account/badge?lang=fr", "", "Cookie", cookie)
	wantStatus(t, res, http.StatusOK)
	body := res.Body
	if strings.Contains(body, "<script>alert") || strings.Contains(public.Body, "<script>alert") {
		t.Fatal("member name unescaped on the page")
	}
	if n := strings.Count(body, `<img src="/badge/`+slug+`.svg?`); n != 13 {
		t.Errorf("%d previews, want 13 (4 styles × 3 themes, and the chosen one)", n)
	}
	for _, want := range []string{
		"Mon badge",
		// The HTML snippet, escaped once for HTML inside the snippet and once
		// for the textarea.
		`&lt;a href=&#34;https://technopolys.example/members/` + slug + `&#34;&gt;&lt;img src=&#34;https://technopolys.example/badge/` + slug + `.svg?lang=fr&#34; alt=&#34;&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;`,
		`width=&#34;`, `&lt;picture&gt;&lt;source media=&#34;(prefers-color-scheme: dark)&#34;`, `scale=2 2x`,
		`[![&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &#34;Acme&#34; &amp; Québec — membre vérifié de technopolys](https://technopolys.example/badge/` + slug + `.svg?lang=fr)](https://technopolys.example/members/` + slug + `)`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// TestImageCacheKeepsItsBudget floods the count widget with a new goal on
// every request, the way one client grew the server by 8 MB/s: every
// answer is right, and the cache never holds more than its budget.
func TestImageCacheKeepsItsBudget(t *testing.T) {
	const budget = 512 << 10
	a := newApp(t, func(c *web.Config) { c.CacheBytes = budget })
	for i := 1; i <= 1500; i++ {
		format := []string{"svg", "png"}[i%2]
		res := a.do(t, "GET", "/widget/count."+format+"?goal="+strconv.Itoa(i), "")
		wantStatus(t, res, http.StatusOK)
		if held, max, _ := a.web.ImageCache(); held > max || max != budget {
			t.Fatalf("after %d widgets the cache holds %d bytes of %d", i, held, max)
		}
	}
	held, _, entries := a.web.ImageCache()
	t.Logf("cache: %d bytes in %d entries", held, entries)
	if held < budget/4 {
		t.Errorf("cache holds only %d bytes: is anything cached?", held)
	}
}

// TestColdRendersAreRationed sends many cold 4096-pixel QR codes with the
// logo at once to a server allowed one render at a time: those that cannot
// get a turn soon are refused with 503, Retry-After and an image saying so,
// and an image already cached is served all along.
func TestColdRendersAreRationed(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.Renders, c.RenderWait = 1, time.Millisecond })
	a.createEvent(t)
	wantStatus(t, a.do(t, "GET", "/qr/salon-2026.png?size=256", ""), http.StatusOK) // now cached
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
	)
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := "/qr/salon-2026.png?size=4096&logo=1&ec=" + string("LMQH"[i%4])
			if i >= 4 {
				q = "/qr/salon-2026.png?size=2048&ec=" + string("LMQH"[i%4]) + "&logo=" + strconv.Itoa(i/8)
			}
			res := a.do(t, "GET", q, "")
			mu.Lock()
			statuses[res.StatusCode]++
			mu.Unlock()
			if res.StatusCode == http.StatusServiceUnavailable {
				if res.Header.Get("Retry-After") == "" || res.Header.Get("Content-Type") != "image/png" ||
					res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("503 headers %v", res.Header)
				}
			}
		}()
	}
	for range 20 {
		wantStatus(t, a.do(t, "GET", "/qr/salon-2026.png?size=256", ""), http.StatusOK)
	}
	wg.Wait()
	if statuses[http.StatusServiceUnavailable] == 0 || statuses[http.StatusOK]+statuses[http.StatusServiceUnavailable] != 12 {
		t.Errorf("statuses %v: want some 503 and the rest 200", statuses)
	}
}
