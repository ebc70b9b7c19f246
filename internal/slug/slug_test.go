package slug_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/technopolys/technopolys/internal/slug"
)

func TestMake(t *testing.T) {
	tests := []struct{ name, want string }{
		{"Acme Québec inc.", "acme-quebec-inc"},
		{"  Île-d'Orléans Œuvres  ", "ile-d-orleans-oeuvres"},
		{"Les Café & Crème S.E.N.C.", "les-cafe-et-creme-s-e-n-c"},
		{`<script>alert(1)</script> "&"`, "script-alert-1-script-et"},
		{"ÉNERGIE—Ħ ŁÓDŹ", "energie-h-lodz"},
		{"東京テック", slug.Fallback},
		{"---", slug.Fallback},
		{"Straße 42", "strasse-42"},
	}
	for _, tt := range tests {
		if got := slug.Make(tt.name); got != tt.want {
			t.Errorf("Make(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestMakeLong(t *testing.T) {
	got := slug.Make(strings.Repeat("technologie ", 30))
	if len(got) > slug.MaxLen || strings.HasSuffix(got, "-") || !strings.HasPrefix(got, "technologie-technologie") {
		t.Fatalf("long slug = %q", got)
	}
}

func TestNext(t *testing.T) {
	if got := slug.Next("acme", nil); got != "acme" {
		t.Errorf("free: %q", got)
	}
	if got := slug.Next("acme", []string{"acme", "acme-2", "acme-4"}); got != "acme-3" {
		t.Errorf("taken: %q", got)
	}
}

func TestValid(t *testing.T) {
	for s, want := range map[string]bool{"acme-quebec-inc": true, "acme-2": true, "a": true, "": false, "Acme": false,
		"-acme": false, "acme-": false, "a--b": false, "acme.svg": false, "%2e%2e": false, strings.Repeat("a", 200): false} {
		if got := slug.Valid(s); got != want {
			t.Errorf("Valid(%q) = %v", s, got)
		}
	}
}

func TestNth(t *testing.T) {
	for n, want := range map[int]string{1: "acme", 2: "acme-2", 17: "acme-17"} {
		if got := slug.Nth("acme", n); got != want {
			t.Errorf("Nth(acme, %d) = %q, want %q", n, got, want)
		}
	}
}

func FuzzMake(f *testing.F) {
	for _, s := range []string{"Acme Québec inc.", "", "<>&\"'", "\xff\xfe", "ﬁ ﬂ Å"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		s := slug.Make(name)
		if s == "" || len(s) > slug.MaxLen || !utf8.ValidString(s) {
			t.Fatalf("Make(%q) = %q", name, s)
		}
		for _, r := range s {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Fatalf("Make(%q) = %q has %q", name, s, r)
			}
		}
		if s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
			t.Fatalf("Make(%q) = %q: bad hyphens", name, s)
		}
		// Every slug we give, suffixed or not, passes Valid: a badge URL is
		// never refused before the store is asked.
		if !slug.Valid(s) || !slug.Valid(slug.Next(s, []string{s})) {
			t.Fatalf("Valid refuses %q", s)
		}
	})
}
