package web_test

import (
	"bytes"
	"image/png"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/technopolys/technopolys/internal/qr"
	"github.com/technopolys/technopolys/internal/web"
)

const eventJSON = `{"code":"salon-2026","name_fr":"Salon <b>techno</b> & « Québec »","name_en":"Tech <i>fair</i>","starts_on":"2026-12-03","place":"Centre des congrès"}`

type eventOut struct {
	Code, NameFR, ShortLink string
	Scans, Joins, Approved  int
	Print                   map[string]string
}

func (a *app) createEvent(t testing.TB) {
	t.Helper()
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/events", eventJSON), http.StatusCreated)
}

func TestCreateEvent(t *testing.T) {
	a := newApp(t)
	wantStatus(t, a.do(t, "POST", "/api/v1/admin/events", eventJSON), http.StatusUnauthorized)
	res := a.adminDo(t, "POST", "/api/v1/admin/events", eventJSON)
	wantStatus(t, res, http.StatusCreated)
	var e struct {
		Code   string `json:"code"`
		NameFR string `json:"name_fr"`
		Short  string `json:"short_link"`
	}
	res.json(t, &e)
	if e.Code != "salon-2026" || e.NameFR != "Salon <b>techno</b> & « Québec »" || e.Short != "https://technopolys.example/j/salon-2026" {
		t.Errorf("created %s", res.Body)
	}
	if strings.Contains(res.Body, "<b>") {
		t.Error("name not escaped in JSON")
	}
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/events", eventJSON), http.StatusConflict)
	for _, bad := range []string{
		`{"code":"Salon 2026","name_fr":"x","name_en":"x"}`, `{"code":"../x","name_fr":"x","name_en":"x"}`,
		`{"code":"ok","name_fr":"","name_en":"x"}`, `{"code":"ok","name_fr":"x","name_en":"x","starts_on":"3 décembre"}`,
		`{"code":"ok","name_fr":"x\u0000","name_en":"x"}`, `not json`,
	} {
		wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/events", bad), http.StatusBadRequest)
	}
	wantStatus(t, a.do(t, "GET", "/api/v1/admin/events", ""), http.StatusUnauthorized)
	wantStatus(t, a.adminDo(t, "GET", "/api/v1/admin/events/nope", ""), http.StatusNotFound)
}

// TestEventFunnel follows an event from scan to approved member.
// Three phones scan the poster, each twice: three scans.
func TestEventFunnel(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	a.createEvent(t)
	for i := range 6 {
		phone := "203.0.113." + strconv.Itoa(i%3+1)
		res := a.do(t, "GET", "/j/salon-2026", "", "X-Forwarded-For", phone)
		wantStatus(t, res, http.StatusFound)
		if loc := res.Header.Get("Location"); loc != "https://technopolys.example/join?event=salon-2026" {
			t.Fatalf("Location %q", loc)
		}
		if res.Header.Get("Set-Cookie") != "" || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("headers %v", res.Header)
		}
	}
	wantStatus(t, a.do(t, "HEAD", "/j/salon-2026", ""), http.StatusFound) // a link checker, not a scan
	// The join form keeps the event; two joins come with it, one is approved.
	page := a.do(t, "GET", "/join?event=salon-2026", "")
	if !strings.Contains(page.Body, `value="salon-2026"`) {
		t.Fatal("join form lost the event")
	}
	form := url.Values{"name": {"Venue Co"}, "website": {"https://venue.example"}, "contact_name": {"A"},
		"contact_email": {"a@venue.example"}, "region": {"Laval"}, "consent_public": {"yes"}, "event": {"salon-2026"}}
	wantStatus(t, a.do(t, "POST", "/join", form.Encode(), "Content-Type", "application/x-www-form-urlencoded"), http.StatusSeeOther)
	body := strings.Replace(joinJSON("Second", 2), `"consent_public"`, `"event":"salon-2026","consent_public"`, 1)
	wantStatus(t, a.do(t, "POST", "/api/v1/members", body), http.StatusCreated)
	a.approve(t, 2)
	a.join(t, "No event", 3)
	// A made-up event code is not credited with a join.
	body = strings.Replace(joinJSON("Fourth", 4), `"consent_public"`, `"event":"made-up","consent_public"`, 1)
	wantStatus(t, a.do(t, "POST", "/api/v1/members", body), http.StatusCreated)

	res := a.adminDo(t, "GET", "/api/v1/admin/events/salon-2026", "")
	wantStatus(t, res, http.StatusOK)
	var e eventOut
	res.json(t, &e)
	if e.Scans != 3 || e.Joins != 2 || e.Approved != 1 {
		t.Errorf("funnel scans %d joins %d approved %d, want 3 2 1", e.Scans, e.Joins, e.Approved)
	}
	res = a.adminDo(t, "GET", "/api/v1/admin/events", "")
	var list struct{ Events []eventOut }
	res.json(t, &list)
	if len(list.Events) != 1 || list.Events[0].Scans != 3 || list.Events[0].Print["poster_letter_fr"] == "" {
		t.Errorf("list %s", res.Body)
	}
}

// TestShortLinkIsNoOpenRedirect tries paths that would lead a naive
// redirect elsewhere: every answer, followed hop by hop, stays on our URL.
func TestShortLinkIsNoOpenRedirect(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	for _, path := range []string{
		"/j//evil.example", "/j///evil.example/", "/j/%2F%2Fevil.example", "/j/%2fevil.example",
		"/j/..%2F..%2Fevil.example", "/j/../../evil.example", "/j/salon-2026/../../evil.example",
		"/j/https:%2F%2Fevil.example", "/j/%5C%5Cevil.example", "/j/\\evil.example", "/j/salon-2026%0d%0aLocation:%20https://evil.example",
		"/j/@evil.example", "/j/salon-2026@evil.example", "/j/", "/j", "/j/SALON-2026", "/j/" + strings.Repeat("a", 5000),
	} {
		next := a.URL + path
		for hop := 0; ; hop++ {
			req, err := http.NewRequest("GET", next, nil)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			res.Body.Close()
			loc := res.Header.Get("Location")
			if res.StatusCode < 300 || res.StatusCode > 399 || loc == "" {
				break
			}
			target, err := req.URL.Parse(loc)
			if err != nil {
				t.Fatalf("%s: bad Location %q", path, loc)
			}
			if target.Host != "technopolys.example" && target.Host != req.URL.Host {
				t.Fatalf("%s: redirected off our site to %q", path, loc)
			}
			if target.Host == "technopolys.example" {
				if target.Path != "/join" {
					t.Errorf("%s: redirected to %q, want our join form", path, loc)
				}
				break
			}
			if hop > 3 {
				t.Fatalf("%s: redirect loop", path)
			}
			next = target.String()
		}
	}
}

func decodeQR(t *testing.T, body string) string {
	t.Helper()
	img, err := png.Decode(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("QR does not decode: %v", err)
	}
	return res.GetText()
}

func TestQRImages(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	res := a.do(t, "GET", "/qr/salon-2026.png?size=256&ec=q&logo=1", "")
	wantStatus(t, res, http.StatusOK)
	if got := decodeQR(t, res.Body); got != "https://technopolys.example/j/salon-2026" {
		t.Errorf("QR says %q", got)
	}
	w, h := decodeSize(t, res.Body)
	if w != 256 || h != 256 || res.Header.Get("Cache-Control") != "public, max-age=86400" || res.Header.Get("ETag") == "" {
		t.Errorf("%dx%d, headers %v", w, h, res.Header)
	}
	wantStatus(t, a.do(t, "GET", "/qr/salon-2026.png?size=256&ec=q&logo=1", "", "If-None-Match", res.Header.Get("ETag")), http.StatusNotModified)

	svg := a.do(t, "GET", "/qr/salon-2026.svg", "")
	wantStatus(t, svg, http.StatusOK)
	if !strings.HasPrefix(svg.Body, "<svg") || strings.Count(svg.Body, "<path") != 1 || !strings.Contains(svg.Body, `shape-rendering="crispEdges"`) {
		t.Errorf("SVG %s", svg.Body[:200])
	}

	for query, option := range map[string]string{"size=abc": "size", "ec=Z": "ec", "logo=maybe": "logo",
		"size=99999": "size", "size=300": "128 | 256 | 512 | 1024 | 2048 | 4096", "size=255": "size", "size=256&size=512": "size"} {
		res := a.do(t, "GET", "/qr/salon-2026.svg?"+query, "")
		wantStatus(t, res, http.StatusBadRequest)
		if !strings.Contains(res.Body, option) {
			t.Errorf("%s: error image does not name %q", query, option)
		}
	}
	// Every allowed size, at every level with and without the logo, is
	// exactly that many pixels and decodes to the short link.
	for _, size := range []int{128, 256, 512, 1024, 2048, 4096} {
		for _, level := range qr.Levels() {
			for _, logo := range []string{"0", "1"} {
				if size > 1024 && (level == qr.L || level == qr.Q) {
					continue // the large sizes are the same drawing scaled; two levels suffice
				}
				q := "?size=" + strconv.Itoa(size) + "&ec=" + string(level) + "&logo=" + logo
				res := a.do(t, "GET", "/qr/salon-2026.png"+q, "")
				wantStatus(t, res, http.StatusOK)
				if w, h := decodeSize(t, res.Body); w != size || h != size {
					t.Errorf("%s: %d×%d", q, w, h)
				}
				if size <= 1024 { // larger ones take gozxing seconds and say nothing more
					if got := decodeQR(t, res.Body); got != "https://technopolys.example/j/salon-2026" {
						t.Errorf("%s: %q", q, got)
					}
				}
			}
		}
	}
	// Below 2 px per module the answer names the minimum: a public URL long
	// enough makes 128 px too small at level H.
	long := newApp(t, func(c *web.Config) { c.PublicURL = "https://technopolys.example/" + strings.Repeat("campagne/", 12) })
	long.createEvent(t)
	wantStatus(t, long.do(t, "GET", "/qr/salon-2026.png?size=128&ec=H", ""), http.StatusBadRequest)
	wantStatus(t, long.do(t, "GET", "/qr/salon-2026.png?size=256&ec=H", ""), http.StatusOK)
	nope := a.do(t, "GET", "/qr/nope.svg?lang=en", "")
	wantStatus(t, nope, http.StatusNotFound)
	if s := parseSVG(t, nope.Body); len(s.Texts) != 2 || s.Texts[1] != "unknownevent" {
		t.Errorf("404 image: %s", nope.Body)
	}
}

func TestPoster(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	res := a.do(t, "GET", "/print/salon-2026.pdf?lang=en&paper=a4", "")
	wantStatus(t, res, http.StatusOK)
	if !bytes.HasPrefix([]byte(res.Body), []byte("%PDF-")) || res.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "technopolys-salon-2026-a4-en.pdf") {
		t.Errorf("poster headers %v", res.Header)
	}
	wantStatus(t, a.do(t, "GET", "/print/salon-2026.pdf?paper=tabloid", ""), http.StatusBadRequest)
	wantStatus(t, a.do(t, "GET", "/print/salon-2026.pdf?lang=de", ""), http.StatusBadRequest)
	wantStatus(t, a.do(t, "GET", "/print/nope.pdf", ""), http.StatusNotFound)
}
