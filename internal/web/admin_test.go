package web_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/web"
)

func TestAdminFailsClosed(t *testing.T) {
	// Each attempt from its own address, so the throttle (below) stays out
	// of the way.
	proxied := func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} }
	a := newApp(t, proxied)
	empty := newApp(t, proxied, func(c *web.Config) { c.AdminToken = "" })
	n := 0
	routes := []struct{ method, path string }{
		{"GET", "/api/v1/admin/members"}, {"GET", "/api/v1/admin/members/1"},
		{"POST", "/api/v1/admin/members/1/approve"}, {"POST", "/api/v1/admin/members/import"},
		{"GET", "/api/v1/admin/audit"},
	}
	for _, r := range routes {
		for _, auth := range []string{"", "Bearer", "Bearer ", "Bearer wrong", "Bearer " + token + "x", "Basic " + token, token} {
			n++
			res := a.do(t, r.method, r.path, "", "Authorization", auth, "X-Forwarded-For", "198.51.100."+strconv.Itoa(n))
			if res.StatusCode != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s with %q: %d", r.method, r.path, auth, res.StatusCode)
			}
		}
		// No configured token: nothing opens the door, not even an empty one.
		if res := empty.do(t, r.method, r.path, "", "Authorization", "Bearer ", "X-Forwarded-For", "198.51.100."+strconv.Itoa(n)); res.StatusCode != 401 {
			t.Errorf("empty token opened %s %s: %d", r.method, r.path, res.StatusCode)
		}
	}
}

// TestAdminTokenGuessingIsThrottled: ten wrong tokens in a minute from one
// client, and that client is refused (429) even with the right token until
// the minute has passed; another client is not affected.
func TestAdminTokenGuessingIsThrottled(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	guess := func(auth, client string) response {
		return a.do(t, "GET", "/api/v1/admin/members", "", "Authorization", auth, "X-Forwarded-For", client)
	}
	for i := range 10 {
		wantStatus(t, guess("Bearer guess-"+strconv.Itoa(i), "203.0.113.9"), http.StatusUnauthorized)
	}
	res := guess("Bearer guess-10", "203.0.113.9")
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	wantStatus(t, guess("Bearer "+token, "203.0.113.9"), http.StatusTooManyRequests)
	wantStatus(t, guess("Bearer "+token, "203.0.113.10"), http.StatusOK)
	a.clock.Advance(time.Minute)
	wantStatus(t, guess("Bearer "+token, "203.0.113.9"), http.StatusOK)
}

func TestAdminFlow(t *testing.T) {
	a := newApp(t)
	ids := make([]int64, 5)
	for i := range ids {
		ids[i] = a.join(t, fmt.Sprintf("Company %d", i), i)
	}
	var page struct {
		Members []struct {
			ID           int64
			Name, Status string
			ContactEmail string `json:"contact_email"`
		}
		Total int
	}
	res := a.adminDo(t, "GET", "/api/v1/admin/members?status=pending&limit=2&offset=1", "")
	wantStatus(t, res, 200)
	res.json(t, &page)
	if page.Total != 5 || len(page.Members) != 2 || page.Members[0].ID != ids[1] || page.Members[0].ContactEmail == "" {
		t.Fatalf("page %s", res.Body)
	}
	for _, q := range []string{"status=nope", "limit=0", "limit=1001", "limit=x", "offset=-1"} {
		wantStatus(t, a.adminDo(t, "GET", "/api/v1/admin/members?"+q, ""), 400)
	}
	if res := a.adminDo(t, "GET", "/api/v1/admin/members?limit=1000", ""); res.StatusCode != 200 {
		t.Fatalf("limit=1000: %d", res.StatusCode)
	}

	slug := a.approve(t, ids[0])
	if slug != "company-0" {
		t.Fatalf("slug %q", slug)
	}
	wantStatus(t, a.do(t, "GET", "/members/company-0", ""), 200)
	wantStatus(t, a.adminDo(t, "POST", fmt.Sprintf("/api/v1/admin/members/%d/approve", ids[0]), ""), 409)
	wantStatus(t, a.adminDo(t, "POST", fmt.Sprintf("/api/v1/admin/members/%d/reject", ids[1]), `{}`), 400)
	wantStatus(t, a.adminDo(t, "POST", fmt.Sprintf("/api/v1/admin/members/%d/reject", ids[1]), `{"reason": "hors Québec"}`), 200)
	wantStatus(t, a.adminDo(t, "POST", fmt.Sprintf("/api/v1/admin/members/%d/revoke", ids[2]), `{"reason": "x"}`), 409)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/9999/approve", ""), 404)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/abc/approve", ""), 404)
	wantStatus(t, a.adminDo(t, "POST", fmt.Sprintf("/api/v1/admin/members/%d/delete", ids[2]), ""), 404)
	wantStatus(t, a.adminDo(t, "POST", fmt.Sprintf("/api/v1/admin/members/%d/revoke", ids[0]), `{"reason": "cotisation impayée"}`), 200)
	// Revoked: the verification page is gone at once, and says so.
	gone := a.do(t, "GET", "/members/company-0", "")
	wantStatus(t, gone, http.StatusGone)
	if !strings.Contains(gone.Body, "Cette entreprise n’est plus membre de technopolys.") {
		t.Fatalf("410 page: %s", gone.Body)
	}

	one := a.adminDo(t, "GET", fmt.Sprintf("/api/v1/admin/members/%d", ids[0]), "")
	wantStatus(t, one, 200)
	for _, want := range []string{`"slug": "company-0"`, `"status": "revoked"`, `"reason": "cotisation impayée"`,
		`"action": "revoke"`, `"action": "approve"`, `"actor": "Julie (jeton d’administration, 127.0.0.1)"`} {
		if !strings.Contains(one.Body, want) {
			t.Errorf("member %d lacks %s: %s", ids[0], want, one.Body)
		}
	}
	audit := a.adminDo(t, "GET", "/api/v1/admin/audit?limit=10", "")
	if strings.Count(audit.Body, `"action"`) != 3 {
		t.Fatalf("audit: %s", audit.Body)
	}
}

func TestImport(t *testing.T) {
	a := newApp(t)
	a.join(t, "Pending Co", 7)
	good := "name,website,region,contact_email,consent_public\n" +
		"Acme Québec inc.,https://acme.example,Montréal,info@acme.example,oui\n" +
		"\"Boulangerie <Tech> & \"\"fils\"\"\",https://boul.example,capitale-nationale,,non\n"
	res := a.adminDo(t, "POST", "/api/v1/admin/members/import", good)
	wantStatus(t, res, 201)
	if !strings.Contains(res.Body, `"imported": 2`) {
		t.Fatalf("import: %s", res.Body)
	}
	wantStatus(t, a.do(t, "GET", "/members/acme-quebec-inc", ""), 200)

	bad := "name,website,region,contact_email,consent_public\n" +
		"Fine Co,https://fine.example,Laval,,yes\n" +
		"Bad Region,https://bad.example,Ontario,,yes\n" +
		"Taken,https://company-7.example,Laval,,yes\n" +
		"No Scheme,ftp://x.example,Laval,,maybe\n"
	res = a.adminDo(t, "POST", "/api/v1/admin/members/import", bad)
	wantStatus(t, res, 400)
	for _, want := range []string{`"line": 3`, `"line": 5`, "Ligne 3"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("import errors lack %s: %s", want, res.Body)
		}
	}
	taken := "name,website,region,contact_email,consent_public\nFine Co,https://fine.example,Laval,,yes\nTaken,https://www.company-7.example,Laval,,yes\n"
	res = a.adminDo(t, "POST", "/api/v1/admin/members/import", taken)
	wantStatus(t, res, 400)
	if !strings.Contains(res.Body, `"line": 3`) || !strings.Contains(res.Body, "website_taken") {
		t.Fatalf("conflict not reported by line: %s", res.Body)
	}
	wantStatus(t, a.do(t, "GET", "/members/fine-co", ""), 404) // nothing of the file was written
	for _, body := range []string{"", "nom,site\nx,y\n", "name,website,region,contact_email,consent_public\n", "\"unterminated"} {
		wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/import", body), 400)
	}
	huge := "name,website,region,contact_email,consent_public\n" + strings.Repeat("x", web.MaxImportBody)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/import", huge), 413)
}

// TestMetrics: /metrics wants the admin token, and counts requests by route
// (not by path, which visitors choose), the image cache and the streams.
func TestMetrics(t *testing.T) {
	a := newApp(t)
	wantStatus(t, a.do(t, "GET", "/metrics", ""), http.StatusUnauthorized)
	id := a.join(t, "Acme", 1)
	sl := a.approve(t, id)
	for range 3 {
		wantStatus(t, a.do(t, "GET", "/badge/"+sl+".svg", ""), http.StatusOK)
	}
	for i := range 5 {
		a.do(t, "GET", "/badge/made-up-"+strconv.Itoa(i)+".svg", "")
	}
	res := a.adminDo(t, "GET", "/metrics", "")
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{
		`technopolys_http_requests_total{route="/badge/:file",status="200"} 3`,
		`technopolys_http_requests_total{route="/badge/:file",status="404"} 5`,
		`technopolys_joins_total 1`, `technopolys_decisions_total{action="approve"} 1`,
		`technopolys_image_cache_budget_bytes 2.68435456e+08`, "technopolys_image_cache_hits_total 6",
		"technopolys_streams_open 0", "technopolys_renders_refused_total 0", "technopolys_http_request_duration_seconds_bucket",
		"go_goroutines", "process_resident_memory_bytes",
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(res.Body, "made-up") {
		t.Error("a visitor's path became a metric label")
	}
}

func TestHSTS(t *testing.T) {
	on := newApp(t, func(c *web.Config) { c.HSTS = true })
	if got := on.do(t, "GET", "/", "").Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("HSTS %q", got)
	}
	if got := newApp(t).do(t, "GET", "/", "").Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS without asking: %q", got)
	}
}

// TestIdentity: the same name or the same site (after IDNA) cannot join
// twice, and a name imitating a member's is flagged to staff.
func TestIdentity(t *testing.T) {
	a := newApp(t)
	join := func(name, website string) response {
		return a.do(t, "POST", "/api/v1/members", fmt.Sprintf(
			`{"name":%q,"website":%q,"contact_name":"M","contact_email":"m@x.example","region":"Laval","consent_public":true}`, name, website))
	}
	wantStatus(t, join("Acme Québec", "https://québec.example"), http.StatusCreated)
	a.approve(t, 1)
	res := join("ACME   québec", "https://other.example")
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.Body, "Une entreprise de ce nom") || !strings.Contains(res.Body, `"field": "name"`) {
		t.Errorf("duplicate name: %s", res.Body)
	}
	wantStatus(t, join("Autre", "https://xn--qubec-csa.example/"), http.StatusConflict) // québec.example in ASCII
	// "Аcme Québec" with a Cyrillic А: accepted (it is another name), flagged.
	wantStatus(t, join("\u0410cme Québec", "https://acme-ru.example"), http.StatusCreated)
	list := a.adminDo(t, "GET", "/api/v1/admin/members?status=pending", "")
	var got struct {
		Members []struct {
			Name     string
			Warnings []struct {
				Kind     string
				MemberID int64 `json:"member_id"`
				Message  string
			}
		}
	}
	list.json(t, &got)
	if len(got.Members) != 1 {
		t.Fatalf("pending %s", list.Body)
	}
	kinds := map[string]int64{}
	for _, w := range got.Members[0].Warnings {
		kinds[w.Kind] = w.MemberID
		if w.Message == "" {
			t.Errorf("warning without a message: %+v", w)
		}
	}
	if id, ok := kinds["lookalike"]; !ok || id != 1 {
		t.Errorf("no look-alike warning naming member 1: %s", list.Body)
	}
	if _, ok := kinds["mixed_scripts"]; !ok {
		t.Errorf("no mixed-scripts warning: %s", list.Body)
	}
}

// TestReinstateAndReconsider through the admin API: a revoked member's
// badge comes back with its slug once reinstated; a rejected request goes
// back to the queue; doing either twice is 409.
func TestReinstateAndReconsider(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme", 1)
	sl := a.approve(t, id)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(id)+"/revoke", `{"reason":"cotisation impayée"}`), http.StatusOK)
	wantStatus(t, a.do(t, "GET", "/badge/"+sl+".svg", ""), http.StatusNotFound)
	res := a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(id)+"/reinstate", "")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body, `"slug": "`+sl+`"`) || !strings.Contains(res.Body, `"status": "approved"`) {
		t.Errorf("reinstated: %s", res.Body)
	}
	wantStatus(t, a.do(t, "GET", "/badge/"+sl+".svg", ""), http.StatusOK)
	wantStatus(t, a.do(t, "GET", "/members/"+sl, ""), http.StatusOK)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(id)+"/reinstate", ""), http.StatusConflict)

	other := a.join(t, "Bêta", 2)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(other)+"/reject", `{"reason":"doublon"}`), http.StatusOK)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(other)+"/reconsider", ""), http.StatusOK)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(other)+"/reconsider", ""), http.StatusConflict)
	if list := a.adminDo(t, "GET", "/api/v1/admin/members?status=pending", ""); !strings.Contains(list.Body, "Bêta") {
		t.Errorf("reconsidered request not in the queue: %s", list.Body)
	}
	audit := a.adminDo(t, "GET", "/api/v1/admin/audit?member="+itoa(id), "")
	if !strings.Contains(audit.Body, `"action": "reinstate"`) {
		t.Errorf("audit: %s", audit.Body)
	}
}

// TestEditMember: staff rename a member and its badge's title follows at
// once, under the same address; a website another member holds is 409.
func TestEditMember(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme", 1)
	sl := a.approve(t, id)
	a.join(t, "Bêta", 2)
	if b := a.do(t, "GET", "/badge/"+sl+".svg", "").Body; !strings.Contains(b, "<title>Acme — membre vérifié") {
		t.Fatalf("badge before: %s", b[:300])
	}
	path := "/api/v1/admin/members/" + itoa(id) + "/edit"
	res := a.adminDo(t, "POST", path, `{"name":"Acme Québec inc.","consent_public":false}`)
	wantStatus(t, res, http.StatusOK)
	if b := a.do(t, "GET", "/badge/"+sl+".svg", "").Body; !strings.Contains(b, "<title>Acme Québec inc. — membre vérifié") {
		t.Errorf("badge after the edit: %s", b[:300])
	}
	if p := a.do(t, "GET", "/members/"+sl, "").Body; !strings.Contains(p, "Acme Québec inc.") {
		t.Error("verification page kept the old name")
	}
	wantStatus(t, a.adminDo(t, "POST", path, `{"website":"https://company-2.example"}`), http.StatusConflict)
	wantStatus(t, a.adminDo(t, "POST", path, `{"region":"Ontario"}`), http.StatusBadRequest)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/999/edit", `{"name":"X"}`), http.StatusNotFound)
	wantStatus(t, a.do(t, "POST", path, `{"name":"Pirate"}`), http.StatusUnauthorized)
}
