package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzJoinAPI sends arbitrary bodies to the join API: no answer may be 5xx,
// every answer is JSON, and an accepted join reads back exactly.
func FuzzJoinAPI(f *testing.F) {
	for _, seed := range []string{
		joinJSON("Acme", 1), "", "{", "[]", "null", `{"consent_public":"true"}`,
		`{"name":"<script>","website":"javascript:x","region":"Laval","consent_public":true}`,
		strings.Replace(joinJSON("Acme", 2), "Montréal", "saguenay–lac-saint-jean", 1),
		`{"name":"\u0000","website":"https://\u00e9.example","contact_name":"a","contact_email":"a@b.c","region":"Laval","consent_public":false}`,
	} {
		f.Add(seed)
	}
	a := newApp(f)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/members", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		a.Config.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%q: %d %s", body, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusCreated && rec.Code != http.StatusBadRequest && rec.Code != http.StatusConflict && rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("%q: unexpected %d", body, rec.Code)
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") || strings.Contains(rec.Body.String(), "<") {
			t.Fatalf("%q: answer not escaped JSON: %s", body, rec.Body)
		}
	})
}

// FuzzShortLink sends any path under /j/: the answer is a redirect that
// stays on our own site (a relative path, or our public URL's join form).
func FuzzShortLink(f *testing.F) {
	for _, seed := range []string{"salon-2026", "/evil.example", "%2F%2Fevil.example", "..%2F..", "\\evil", "@evil.example", "a%0d%0ab"} {
		f.Add(seed)
	}
	a := newApp(f)
	a.createEvent(f)
	f.Fuzz(func(t *testing.T, rest string) {
		req, err := http.NewRequest("GET", "/j/"+rest, nil)
		if err != nil {
			return // not a request a client could send
		}
		rec := httptest.NewRecorder()
		a.Config.Handler.ServeHTTP(rec, req)
		loc := rec.Header().Get("Location")
		if rec.Code < 300 || rec.Code > 399 {
			if rec.Code >= 500 {
				t.Fatalf("%q: %d", rest, rec.Code)
			}
			return // a 404 page for paths the router itself refuses
		}
		target, err := url.Parse(loc)
		if err != nil {
			t.Fatalf("%q: Location %q", rest, loc)
		}
		onSite := target.Host == "" && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.HasPrefix(loc, "/\\")
		if !onSite && !strings.HasPrefix(loc, "https://technopolys.example/join") {
			t.Fatalf("%q: redirected to %q", rest, loc)
		}
	})
}
