package web_test

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/badge/badgetest"
	"github.com/technopolys/technopolys/internal/web"
)

// badgePaths are the images a baked-assertion test unbakes: SVG and PNG,
// in a few styles, themes and scales.
var badgePaths = []string{".svg?lang=fr", ".svg?lang=en&style=for-the-badge&theme=auto", ".png?lang=fr", ".png?lang=en&style=plastic&theme=dark&scale=3"}

// unbakeAssertion reads the assertion baked into a badge the server serves,
// with the reader written from the baking specification, checks it is an
// Assertion as the specification requires, and returns its text.
func (a *app) unbakeAssertion(t *testing.T, path string) (*badgetest.Assertion, string) {
	t.Helper()
	res := a.do(t, "GET", path, "")
	wantStatus(t, res, http.StatusOK)
	u, err := badgetest.Unbake([]byte(res.Body))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	as, err := badgetest.ParseAssertion(u.Text)
	if err != nil {
		t.Fatalf("%s: %v\n%s", path, err, u.Text)
	}
	if strings.Contains(path, ".svg") && u.Verify != as.ID {
		t.Errorf("%s: verify %q, id %q", path, u.Verify, as.ID)
	}
	return as, u.Text
}

// TestBakedAssertionIsTheHostedOne unbakes the member's badges and finds in
// each, byte for byte, the Assertion its id serves; after an edit both
// change together, and after a revocation the badge carries none.
func TestBakedAssertionIsTheHostedOne(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, hostileName, 1))
	hostedURL := "https://technopolys.example/ob/assertions/" + slug + ".json"
	hosted := func() string {
		res := a.do(t, "GET", "/ob/assertions/"+slug+".json", "")
		wantStatus(t, res, http.StatusOK)
		if res.Header.Get("Content-Type") != "application/json; charset=utf-8" || res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("hosted assertion headers %v", res.Header)
		}
		return res.Body
	}
	before := hosted()
	for _, p := range badgePaths {
		as, text := a.unbakeAssertion(t, "/badge/"+slug+p)
		if as.ID != hostedURL || text != before {
			t.Errorf("%s: baked %s\nhosted %s", p, text, before)
		}
	}

	// A new website is a new recipient identity: the badges, cached under
	// the member's version, follow.
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/1/edit", `{"website":"https://company-9.example"}`), http.StatusOK)
	after := hosted()
	if after == before {
		t.Fatal("the hosted assertion did not change with the website")
	}
	for _, p := range badgePaths {
		if _, text := a.unbakeAssertion(t, "/badge/"+slug+p); text != after {
			t.Errorf("%s after the edit: baked %s\nhosted %s", p, text, after)
		}
	}

	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/1/revoke", `{"reason":"test"}`), http.StatusOK)
	wantStatus(t, a.do(t, "GET", "/ob/assertions/"+slug+".json", ""), http.StatusGone)
	for _, p := range badgePaths {
		res := a.do(t, "GET", "/badge/"+slug+p, "")
		wantStatus(t, res, http.StatusNotFound)
		if _, err := badgetest.Unbake([]byte(res.Body)); err == nil {
			t.Errorf("%s: a revoked member's badge still carries an assertion", p)
		}
	}
}

func TestIssuerEmail(t *testing.T) {
	for _, tt := range []struct {
		configured, want string
	}{
		{"", "badges@technopolys.example"},
		{"campagne@technopolys.quebec", "campagne@technopolys.quebec"},
	} {
		a := newApp(t, func(c *web.Config) { c.IssuerEmail = tt.configured })
		var issuer struct {
			Context string `json:"@context"`
			Type    string
			Email   string
		}
		res := a.do(t, "GET", "/ob/issuer.json", "")
		wantStatus(t, res, http.StatusOK)
		res.json(t, &issuer)
		if issuer.Email != tt.want || issuer.Type != "Issuer" || issuer.Context != "https://w3id.org/openbadges/v2" {
			t.Errorf("configured %q: issuer %s", tt.configured, res.Body)
		}
	}
	for in, want := range map[string]string{
		"https://technopolys.quebec": "badges@technopolys.quebec", "http://localhost:8080": "badges@localhost",
		"http://127.0.0.1:8080": "badges@[127.0.0.1]", "http://[::1]:8080": "badges@[IPv6:::1]", "": "badges@localhost",
	} {
		if got := web.DefaultIssuerEmail(in); got != want {
			t.Errorf("DefaultIssuerEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBakeryUnbakes hands one PNG and one SVG badge to Mozilla's npm
// openbadges-bakery ($TECHNOPOLYS_TEST_BAKERY, the script .ci/run installs
// it for) and checks it extracts the hosted assertion from both.
func TestBakeryUnbakes(t *testing.T) {
	script := os.Getenv("TECHNOPOLYS_TEST_BAKERY")
	if script == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TECHNOPOLYS_TEST_BAKERY is required under CI=true (.ci/run installs openbadges-bakery)")
		}
		t.Skip("TECHNOPOLYS_TEST_BAKERY not set (.ci/run sets it)")
	}
	a := newApp(t)
	slug := a.approve(t, a.join(t, hostileName, 1))
	res := a.do(t, "GET", "/ob/assertions/"+slug+".json", "")
	wantStatus(t, res, http.StatusOK)
	var hosted map[string]any
	res.json(t, &hosted)
	for _, p := range []string{".png?lang=fr&scale=2", ".svg?lang=en&theme=auto"} {
		img := a.do(t, "GET", "/badge/"+slug+p, "")
		wantStatus(t, img, http.StatusOK)
		file := filepath.Join(t.TempDir(), "badge"+p[:4])
		if err := os.WriteFile(file, []byte(img.Body), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("node", script, file).Output()
		if err != nil {
			t.Fatalf("%s: bakery: %v %s", p, err, stderrOf(err))
		}
		var got map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: the bakery extracted no JSON (%v): %s", p, err, out)
		}
		if got["id"] != "https://technopolys.example/ob/assertions/"+slug+".json" || !reflect.DeepEqual(got, hosted) {
			t.Errorf("%s: the bakery extracted %s\nhosted %s", p, out, res.Body)
		}
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
