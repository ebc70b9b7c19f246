package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web"
)

func TestJoinAPI(t *testing.T) {
	a := newApp(t)
	a.join(t, "Acme Québec inc.", 1)
	valid := func(change func(m map[string]any)) string {
		m := map[string]any{"name": "Beta", "website": "https://beta.example", "contact_name": "Luc",
			"contact_email": "luc@beta.example", "region": "Laval", "consent_public": false}
		change(m)
		return toJSON(m)
	}
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"not JSON", "name=Acme", 400, ""},
		{"empty body", "", 400, ""},
		{"array", "[1,2]", 400, ""},
		{"trailing data", valid(func(map[string]any) {}) + "{}", 400, ""},
		{"no consent", valid(func(m map[string]any) { delete(m, "consent_public") }), 400, "consent_public"},
		{"consent as text", valid(func(m map[string]any) { m["consent_public"] = "yes" }), 400, "consent_public"},
		{"name as number", valid(func(m map[string]any) { m["name"] = 42 }), 400, "name"},
		{"missing name", valid(func(m map[string]any) { m["name"] = "  " }), 400, "name"},
		{"name too long", valid(func(m map[string]any) { m["name"] = strings.Repeat("é", 201) }), 400, "name"},
		{"control characters", valid(func(m map[string]any) { m["name"] = "Acme\x00\x1b[31m" }), 400, "name"},
		{"javascript website", valid(func(m map[string]any) { m["website"] = "javascript:alert(1)" }), 400, "website"},
		{"data website", valid(func(m map[string]any) { m["website"] = "data:text/html,<b>x</b>" }), 400, "website"},
		{"website with user", valid(func(m map[string]any) { m["website"] = "https://acme.example@evil.example" }), 400, "website"},
		{"bad e-mail", valid(func(m map[string]any) { m["contact_email"] = "luc at beta" }), 400, "contact_email"},
		{"unknown region", valid(func(m map[string]any) { m["region"] = "Ontario" }), 400, "region"},
		{"bad event", valid(func(m map[string]any) { m["event"] = "../../etc" }), 400, "event"},
		{"same website again", valid(func(m map[string]any) { m["website"] = "http://WWW.company-1.example/autre" }), 409, ""},
		{"too large", valid(func(m map[string]any) { m["name"] = strings.Repeat("a", web.MaxJoinBody) }), 413, ""},
		{"markup in name is fine", valid(func(m map[string]any) { m["name"] = `<b>"Bêta" & fils</b>` }), 201, ""},
		{"region without en dash", valid(func(m map[string]any) {
			m["website"], m["region"] = "https://gaspe.example", "gaspesie-iles-de-la-madeleine"
		}), 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.do(t, "POST", "/api/v1/members", tt.body)
			wantStatus(t, res, tt.status)
			if tt.status < 300 {
				return
			}
			var e struct {
				Error    string
				Problems []struct{ Field string }
			}
			res.json(t, &e)
			if e.Error == "" || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("error body %s", res.Body)
			}
			if tt.field != "" && (len(e.Problems) == 0 || e.Problems[0].Field != tt.field) {
				t.Fatalf("problems %s, want field %s", res.Body, tt.field)
			}
		})
	}
}

func TestJoinErrorLanguage(t *testing.T) {
	a := newApp(t)
	body := `{"name":"x","website":"ftp://x.example","contact_name":"a","contact_email":"a@b.example","region":"Laval","consent_public":true}`
	fr := a.do(t, "POST", "/api/v1/members", body)
	en := a.do(t, "POST", "/api/v1/members", body, "Accept-Language", "en-CA,en;q=0.9")
	if !strings.Contains(fr.Body, "l’adresse doit commencer par http") || !strings.Contains(en.Body, "the address must start with http") {
		t.Fatalf("fr: %s\nen: %s", fr.Body, en.Body)
	}
}

func TestJoinRateLimit(t *testing.T) {
	a := newApp(t, func(c *web.Config) {
		c.JoinLimit, c.JoinBurst = 3, 3
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	from := func(ip string, n int) int {
		return a.do(t, "POST", "/api/v1/members", joinJSON("Co "+strings.Repeat("I", n+1), n), "X-Forwarded-For", "198.51.100.9, "+ip).StatusCode
	}
	for i := range 3 {
		if got := from("203.0.113.1", i); got != 201 {
			t.Fatalf("join %d: %d", i, got)
		}
	}
	res := a.do(t, "POST", "/api/v1/members", joinJSON("Co", 99), "X-Forwarded-For", "203.0.113.1")
	wantStatus(t, res, http.StatusTooManyRequests)
	if ra := res.Header.Get("Retry-After"); ra != "1200" { // 3 per hour: one token every 20 minutes
		t.Fatalf("Retry-After %q", ra)
	}
	// Another client behind the same trusted proxy has its own bucket; the
	// form counts against the same bucket as the API.
	if got := from("203.0.113.2", 10); got != 201 {
		t.Fatalf("other client: %d", got)
	}
	// The form says why and keeps what was typed.
	form := url.Values{"name": {"Entreprise « Bêta »"}, "website": {"https://beta.example"}, "contact_name": {"Luc"},
		"contact_email": {"luc@beta.example"}, "region": {"Laval"}, "consent_public": {"yes"}}.Encode()
	res = a.do(t, "POST", "/join", form, "Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", "203.0.113.1")
	wantStatus(t, res, 429)
	if !strings.Contains(res.Body, "Trop de demandes") || !strings.Contains(res.Body, `value="Entreprise « Bêta »"`) ||
		!strings.Contains(res.Body, `value="https://beta.example"`) || res.Header.Get("Retry-After") == "" {
		t.Errorf("429 form lost what was typed or says nothing: %s", res.Body)
	}
	// Invalid requests do not spend the budget: they get their 400.
	wantStatus(t, a.do(t, "POST", "/api/v1/members", `{"name":""}`, "X-Forwarded-For", "203.0.113.1"), http.StatusBadRequest)
	// The refused joins wrote nothing.
	a.clock.Advance(20 * time.Minute)
	if got := from("203.0.113.1", 4); got != 201 {
		t.Fatalf("after 20 minutes: %d", got)
	}
}

// TestVenueOnOneAddress: 300 people at an event share the venue's Wi-Fi
// address; with the default limits all of them can join during the same
// talk, and typos on the way cost them nothing.
func TestVenueOnOneAddress(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.JoinLimit = web.DefaultJoinLimit })
	for i := range 300 {
		a.clock.Advance(time.Second) // five minutes for all of them
		wantStatus(t, a.do(t, "POST", "/api/v1/members", `{"name":"typo"}`), http.StatusBadRequest)
		if res := a.do(t, "POST", "/api/v1/members", joinJSON("Co "+strconv.Itoa(i), i)); res.StatusCode != 201 {
			t.Fatalf("join %d from the venue: %d", i, res.StatusCode)
		}
	}
}

// TestCrossSiteJoinRefused: another site's page cannot make its visitors
// join: a cross-site form post or fetch is 403 and writes nothing, and the
// API takes JSON only.
func TestCrossSiteJoinRefused(t *testing.T) {
	a := newApp(t)
	form := url.Values{"name": {"Forged"}, "website": {"https://forged.example"}, "contact_name": {"X"},
		"contact_email": {"x@forged.example"}, "region": {"Laval"}, "consent_public": {"yes"}}.Encode()
	for _, h := range [][]string{
		{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site"},
		{"Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example"},
	} {
		wantStatus(t, a.do(t, "POST", "/join", form, h...), http.StatusForbidden)
	}
	for _, h := range [][]string{
		{"Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"},
		{"Content-Type", "text/plain", "Origin", "https://evil.example"},
	} {
		res := a.do(t, "POST", "/api/v1/members", joinJSON("Forged", 1), h...)
		wantStatus(t, res, http.StatusForbidden)
		if !strings.Contains(res.Body, `"forbidden"`) {
			t.Errorf("403 body %s", res.Body)
		}
	}
	// Not JSON: refused whatever the origin, since a browser sends
	// text/plain and forms to any site without asking.
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		wantStatus(t, a.do(t, "POST", "/api/v1/members", joinJSON("Plain", 2), "Content-Type", ct), http.StatusUnsupportedMediaType)
	}
	list := a.adminDo(t, "GET", "/api/v1/admin/members", "")
	if !strings.Contains(list.Body, `"total": 0`) {
		t.Fatalf("a refused join was written: %s", list.Body)
	}
	// Our own pages still work: same-origin form post and same-site fetch.
	wantStatus(t, a.do(t, "POST", "/join", form, "Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin"), http.StatusSeeOther)
	wantStatus(t, a.do(t, "POST", "/api/v1/members", joinJSON("Mine", 3), "Origin", "https://technopolys.example"), http.StatusCreated)
}

func TestForwardedForIgnoredFromUntrustedPeer(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.JoinLimit = 1 })
	wantStatus(t, a.do(t, "POST", "/api/v1/members", joinJSON("A", 1), "X-Forwarded-For", "203.0.113.1"), 201)
	// Spoofing another address does not buy a new bucket.
	wantStatus(t, a.do(t, "POST", "/api/v1/members", joinJSON("B", 2), "X-Forwarded-For", "203.0.113.2"), 429)
}

func TestJoinForm(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	fr := a.do(t, "GET", "/join?event=salon-2026", "")
	wantStatus(t, fr, 200)
	for _, want := range []string{`lang="fr-CA"`, "Nom de l’entreprise", `name="event" value="salon-2026"`, "Saguenay–Lac-Saint-Jean", "English",
		"Événement&nbsp;: <strong>Salon &lt;b&gt;techno&lt;/b&gt; &amp; « Québec »</strong>", // its name, escaped, not its code
		`<a class="skip" href="#main">Aller au contenu</a>`, `<span class="required">(obligatoire)</span>`} {
		if !strings.Contains(fr.Body, want) {
			t.Errorf("French form lacks %q", want)
		}
	}
	en := a.do(t, "GET", "/join", "", "Accept-Language", "en-US")
	if !strings.Contains(en.Body, "Company name") || !strings.Contains(en.Body, `lang="en-CA"`) || en.Header.Get("Vary") != "Accept-Language" {
		t.Errorf("English form: %s", en.Body)
	}
	if strings.Contains(a.do(t, "GET", "/join?event=%22%3E%3Cscript%3E", "").Body, "<script>") {
		t.Error("event code reached the page unescaped")
	}

	post := func(lang string, v url.Values) response {
		return a.do(t, "POST", "/join?lang="+lang, v.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	}
	bad := url.Values{"name": {`<b>Acme</b> "&"`}, "website": {"javascript:alert(1)"}, "contact_name": {"Marie"},
		"contact_email": {"marie@acme.example"}, "region": {"Laval"}}
	res := post("en", bad)
	wantStatus(t, res, 400)
	for _, want := range []string{
		// the summary takes the focus and links each field at fault
		`role="alert" tabindex="-1" autofocus id="errors"`, `<li><a href="#website">Website: the address must start with http`,
		`<li><a href="#consent_public">`,
		`id="website-error">The address must start with http:// or https://.`,
		`id="consent_public-error">This field is required.`,
		`value="&lt;b&gt;Acme&lt;/b&gt; &#34;&amp;&#34;"`, // kept, escaped
		`value="marie@acme.example"`,
		`<option value="Laval" selected>`,
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("form with errors lacks %q", want)
		}
	}
	if !strings.Contains(post("fr", bad).Body, "L’adresse doit commencer") {
		t.Error("French errors missing")
	}

	good := url.Values{"name": {"Acme"}, "website": {"https://acme.example"}, "contact_name": {"Marie"},
		"contact_email": {"marie@acme.example"}, "region": {"Laval"}, "consent_public": {"no"}, "event": {"salon-2026"}}
	res = post("en", good)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/join/ok?lang=en" {
		t.Fatalf("redirect to %q", loc)
	}
	ok := a.do(t, "GET", "/join/ok?lang=en", "")
	if !strings.Contains(ok.Body, "Request received") {
		t.Fatalf("thanks page: %s", ok.Body)
	}
	list := a.adminDo(t, "GET", "/api/v1/admin/members?status=pending", "")
	if !strings.Contains(list.Body, `"event": "salon-2026"`) || !strings.Contains(list.Body, `"consent_public": false`) {
		t.Fatalf("the join was not attributed: %s", list.Body)
	}
	// Its mail will be written in the language it joined in.
	if mails, _, err := a.store.ListMail(context.Background(), true, 10, 0); err != nil || len(mails) != 1 || mails[0].Lang != "en" {
		t.Fatalf("outbox %+v (%v), want one receipt in English", mails, err)
	}
	wantStatus(t, post("en", good), http.StatusConflict)
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestJoinNameTheBadgesCannotDraw: the form says which characters of the
// name the badge could not draw, keeps what was typed, and saves nothing.
func TestJoinNameTheBadgesCannotDraw(t *testing.T) {
	a := newApp(t)
	v := url.Values{"name": {"Café ☕"}, "website": {"https://cafe.example"}, "contact_name": {"Marie"},
		"contact_email": {"m@cafe.example"}, "region": {"Laval"}, "consent_public": {"yes"}}
	for range 2 {
		res := a.do(t, "POST", "/join?lang=fr", v.Encode(), "Content-Type", form)
		wantStatus(t, res, http.StatusBadRequest)
		if !strings.Contains(res.Body, "les badges ne peuvent pas afficher") || !strings.Contains(res.Body, "☕ (U&#43;2615)") ||
			!strings.Contains(res.Body, `value="Café ☕"`) {
			t.Fatalf("form: %s", res.Body)
		}
	}
	if _, total, _ := a.store.ListMembers(context.Background(), registry.MemberFilter{Limit: 10}); total != 0 {
		t.Errorf("%d members saved", total)
	}
}
