package registry_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/technopolys/technopolys/internal/registry"
)

func valid() registry.Application {
	yes := true
	return registry.Application{Name: "Acme", Website: "https://acme.example", ContactName: "Marie",
		ContactEmail: "marie@acme.example", Region: "Montréal", ConsentPublic: &yes}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(a *registry.Application)
		field  string
		rule   string
	}{
		{"valid", func(*registry.Application) {}, "", ""},
		{"markup kept", func(a *registry.Application) { a.Name = `<script>alert(1)</script> "&"` }, "", ""},
		{"200 characters", func(a *registry.Application) { a.Name = strings.Repeat("é", 200) }, "", ""},
		{"201 characters", func(a *registry.Application) { a.Name = strings.Repeat("é", 201) }, "name", registry.RuleTooLong},
		{"blank name", func(a *registry.Application) { a.Name = " \t" }, "name", registry.RuleRequired},
		{"newline", func(a *registry.Application) { a.Name = "Acme\ninc" }, "name", registry.RuleControl},
		{"bidi override", func(a *registry.Application) { a.Name = "Acme\u202e" }, "name", registry.RuleControl},
		{"invalid UTF-8", func(a *registry.Application) { a.Name = "Acme\xff" }, "name", registry.RuleControl},
		{"javascript", func(a *registry.Application) { a.Website = "javascript:alert(1)" }, "website", registry.RuleScheme},
		{"JAVASCRIPT", func(a *registry.Application) { a.Website = "JavaScript://%0aalert(1)" }, "website", registry.RuleScheme},
		{"no host", func(a *registry.Application) { a.Website = "https://" }, "website", registry.RuleURL},
		{"relative", func(a *registry.Application) { a.Website = "acme.example" }, "website", registry.RuleScheme},
		{"userinfo", func(a *registry.Application) { a.Website = "https://a@b.example" }, "website", registry.RuleURL},
		{"spaces", func(a *registry.Application) { a.Website = "https://a.example/x y" }, "website", registry.RuleURL},
		{"display-name e-mail", func(a *registry.Application) { a.ContactEmail = "Marie <m@a.example>" }, "contact_email", registry.RuleEmail},
		{"e-mail without dot", func(a *registry.Application) { a.ContactEmail = "m@localhost" }, "contact_email", registry.RuleEmail},
		{"region", func(a *registry.Application) { a.Region = "Paris" }, "region", registry.RuleRegion},
		{"no consent", func(a *registry.Application) { a.ConsentPublic = nil }, "consent_public", registry.RuleRequired},
		{"event", func(a *registry.Application) { a.Event = "Salon 2026" }, "event", registry.RuleCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.change(&a)
			m, err := a.Validate()
			if tt.field == "" {
				if err != nil || m.Status != registry.StatusPending {
					t.Fatalf("%v", err)
				}
				return
			}
			iv, ok := err.(*registry.Invalid)
			if !ok || iv.Field(tt.field) != tt.rule {
				t.Fatalf("got %v, want %s: %s", err, tt.field, tt.rule)
			}
		})
	}
}

func TestRegions(t *testing.T) {
	if n := len(registry.Regions()); n != 17 {
		t.Fatalf("%d regions", n)
	}
	for _, in := range []string{"Saguenay–Lac-Saint-Jean", "saguenay-lac-saint-jean", "SAGUENAY-LAC-SAINT-JEAN", " Saguenay—Lac-Saint-Jean "} {
		if r, ok := registry.ParseRegion(in); !ok || r != "Saguenay–Lac-Saint-Jean" {
			t.Errorf("ParseRegion(%q) = %q, %v", in, r, ok)
		}
	}
	for _, r := range registry.Regions() {
		if back, ok := registry.ParseRegion(r.Key()); !ok || back != r {
			t.Errorf("key %q of %q does not parse back", r.Key(), r)
		}
	}
}

func TestHostKey(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.Acme.example:8443/x": "acme.example",
		"http://acme.example.":            "acme.example",
		"https://shop.acme.example":       "shop.acme.example",
		"https://québec.example":          "xn--qubec-csa.example",
		"https://XN--QUBEC-CSA.example/":  "xn--qubec-csa.example",
		"https://www.QUÉBEC.example.:443": "xn--qubec-csa.example",
		"https://ｑｕéｂｅｃ.example":          "xn--qubec-csa.example", // full-width letters
		"http://127.0.0.1:8080/":          "127.0.0.1",
		"http://[::1]/":                   "::1",
		"https://my_site.example":         "my_site.example", // IDNA refuses "_": kept
	} {
		if got := registry.HostKey(in); got != want {
			t.Errorf("HostKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecisionApply(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	m := &registry.Member{Status: registry.StatusPending, Version: 1}
	d := registry.Decision{Action: registry.ActionRevoke, Reason: "x"}
	if err := d.Apply(m, now); registry.ErrorCode(err) != registry.ECONFLICT || m.Status != registry.StatusPending {
		t.Fatalf("revoke of pending: %v", err)
	}
	if err := (registry.Decision{Action: registry.ActionApprove}).Apply(m, now); err != nil || m.Status != registry.StatusApproved || m.Version != 2 || !m.ApprovedAt.Equal(now) {
		t.Fatalf("approve: %v %+v", err, m)
	}
}

func FuzzApplication(f *testing.F) {
	f.Add("Acme", "https://acme.example", "m@acme.example", "Laval", "")
	f.Add("<x>", "javascript:1", "a", "montreal", "ev-1")
	f.Fuzz(func(t *testing.T, name, website, email, region, event string) {
		yes := true
		m, err := registry.Application{Name: name, Website: website, ContactName: "x", ContactEmail: email,
			Region: region, ConsentPublic: &yes, Event: event}.Validate()
		if err != nil {
			if registry.ErrorCode(err) != registry.EINVALID {
				t.Fatalf("error code %q", registry.ErrorCode(err))
			}
			return
		}
		if !utf8.ValidString(m.Name) || utf8.RuneCountInString(m.Name) > registry.MaxNameLen {
			t.Fatalf("accepted name %q", m.Name)
		}
		if !strings.HasPrefix(m.Website, "http://") && !strings.HasPrefix(m.Website, "https://") {
			t.Fatalf("accepted website %q", m.Website)
		}
		if m.WebsiteHost() == "" || m.Region.Key() == "" {
			t.Fatalf("accepted %+v", m)
		}
	})
}

func FuzzParseImport(f *testing.F) {
	f.Add("name,website,region,contact_email,consent_public\nAcme,https://a.example,Laval,,oui\n")
	f.Add("name,website\n\"x")
	f.Fuzz(func(t *testing.T, file string) {
		rows, err := registry.ParseImport(strings.NewReader(file))
		if err != nil {
			if registry.ErrorCode(err) != registry.EINVALID {
				t.Fatalf("error code %q: %v", registry.ErrorCode(err), err)
			}
			return
		}
		for _, r := range rows {
			if r.Line < 2 || r.Member.Status != registry.StatusApproved || r.Member.WebsiteHost() == "" {
				t.Fatalf("row %+v", r)
			}
		}
	})
}

func TestUnavailable(t *testing.T) {
	cause := errors.New("connection refused")
	err := fmt.Errorf("find member: %w", registry.Unavailable(cause))
	t.Run("its code is EUNAVAILABLE", func(t *testing.T) {
		if got := registry.ErrorCode(err); got != registry.EUNAVAILABLE {
			t.Fatalf("code %q", got)
		}
	})
	t.Run("the cause is still reached", func(t *testing.T) {
		if !errors.Is(err, cause) || !strings.Contains(err.Error(), "connection refused") {
			t.Fatalf("%v does not reach its cause", err)
		}
	})
	t.Run("it is a domain error, a bare one is not", func(t *testing.T) {
		if !registry.IsDomain(err) || registry.IsDomain(cause) || !registry.IsDomain(registry.NotFound()) {
			t.Fatal("IsDomain")
		}
	})
}

func TestNameKey(t *testing.T) {
	same := [][2]string{
		{"Acme Québec inc.", "  ACME   québec INC. "},
		{"Acme", "Ａｃｍｅ"},            // full-width
		{"Straße Co", "STRASSE CO"}, // case folding, not lowering
		{"Café", "Cafe\u0301"},      // composed and decomposed é
	}
	for _, p := range same {
		if registry.NameKey(p[0]) != registry.NameKey(p[1]) {
			t.Errorf("%q and %q are different names: %q, %q", p[0], p[1], registry.NameKey(p[0]), registry.NameKey(p[1]))
		}
	}
	for _, p := range [][2]string{{"Café", "Cafe"}, {"Acme", "Acme."}, {"Acme Co", "AcmeCo"}} {
		if registry.NameKey(p[0]) == registry.NameKey(p[1]) {
			t.Errorf("%q and %q are the same name", p[0], p[1])
		}
	}
}

func TestNameSkeleton(t *testing.T) {
	if registry.NameSkeleton("Paypal") != registry.NameSkeleton("Pаypal") { // Cyrillic а
		t.Error("a Cyrillic а does not look like a Latin a")
	}
	// Accents and punctuation are what the eye skips when two names are
	// compared: "Québec Co.", "Quebec Co" and "Same Slug.." look alike.
	for _, pair := range [][2]string{{"Québec Co.", "Quebec Co"}, {"Same Slug..", "Same Slug"}, {"Acme, inc.", "ACME inc"}} {
		if registry.NameSkeleton(pair[0]) != registry.NameSkeleton(pair[1]) {
			t.Errorf("%q and %q have different skeletons", pair[0], pair[1])
		}
	}
	if registry.NameSkeleton("Acme") == registry.NameSkeleton("Acne") {
		t.Error("Acme looks like Acne")
	}
}

func TestMixedScripts(t *testing.T) {
	for name, want := range map[string]bool{
		"Acme Québec inc.": false,
		"Pаypal":           true, // Latin and Cyrillic
		"Ωmega Tech":       true, // Greek and Latin
		"Яндекс":           false,
		"トヨタ自動車 Canada":    false, // Japanese with Latin
		"삼성 SDS":           false, // Korean with Latin
		"123 & Co.":        false,
	} {
		if got := registry.MixedScripts(name); got != want {
			t.Errorf("MixedScripts(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestWarnings(t *testing.T) {
	m := &registry.Member{ID: 2, Name: "Pаypal"}
	original := &registry.Member{ID: 1, Name: "Paypal"}
	ws := registry.Warnings(m, []*registry.Member{original, m})
	if len(ws) != 2 || ws[0].Kind != registry.WarnMixedScripts || ws[1].Kind != registry.WarnLookalike || ws[1].Member != original {
		t.Fatalf("warnings %+v", ws)
	}
	if ws := registry.Warnings(&registry.Member{Name: "Acme"}, nil); len(ws) != 0 {
		t.Fatalf("warnings about a plain name: %+v", ws)
	}
}

// TestNamesAreComposed: a name typed with combining accents is kept
// composed, the form every renderer draws and search finds.
func TestNamesAreComposed(t *testing.T) {
	yes := true
	a := registry.Application{Name: " Cafe\u0301 Que\u0301bec ", Website: "https://cafe.example", ContactName: "Ame\u0301lie",
		ContactEmail: "a@cafe.example", Region: "Laval", ConsentPublic: &yes}
	m, err := a.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Café Québec" || m.ContactName != "Amélie" {
		t.Errorf("kept as %q, %q", m.Name, m.ContactName)
	}
	name := "Nume\u0301rique"
	if _, err := (registry.MemberEdit{Name: &name}).Apply(m); err != nil || m.Name != "Numérique" {
		t.Errorf("edited to %q (%v)", m.Name, err)
	}
	e, err := registry.NewEvent{Code: "salon", NameFR: "E\u0301te\u0301", NameEN: "Summer", Place: "Que\u0301bec"}.Validate()
	if err != nil || e.NameFR != "Été" || e.Place != "Québec" {
		t.Errorf("event %+v (%v)", e, err)
	}
}

// TestNamesTheBadgesCannotDraw: a company name with characters the badge
// fonts lack is refused, naming them, rather than vouched for as "?"; a
// full-width one is folded to the letters every font has.
func TestNamesTheBadgesCannotDraw(t *testing.T) {
	yes := true
	app := func(name string) registry.Application {
		return registry.Application{Name: name, Website: "https://x.example", ContactName: "Marie", ContactEmail: "m@x.example",
			Region: "Laval", ConsentPublic: &yes}
	}
	_, err := app("Café ☕ 中文").Validate()
	var iv *registry.Invalid
	if !errors.As(err, &iv) || len(iv.Problems) != 1 || iv.Problems[0].Rule != registry.RuleBadgeGlyphs ||
		!strings.Contains(iv.Problems[0].Chars, "☕") || !strings.Contains(iv.Problems[0].Chars, "中") {
		t.Fatalf("refusal %+v", err)
	}
	m, err := app("ＡＣＭＥ Québec").Validate()
	if err != nil || m.Name != "ACME Québec" {
		t.Fatalf("full width: %+v %v", m, err)
	}
	if _, err := app("Œuvre Ça Ÿ ß Ωμέγα Москва").Validate(); err != nil {
		t.Fatalf("Latin, Greek and Cyrillic are drawn: %v", err)
	}
}
