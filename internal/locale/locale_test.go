package locale_test

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/locale"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		query, accept string
		want          locale.Lang
	}{
		{"", "", locale.FR},
		{"", "en-US,en;q=0.9", locale.EN},
		{"", "fr-CA,fr;q=0.9,en;q=0.8", locale.FR},
		{"", "en-GB;q=0.4,fr;q=0.8", locale.FR},
		{"", "de-DE,en;q=0.5", locale.EN},
		{"", "de-DE", locale.FR},
		{"", "garbage;;;q=x", locale.FR},
		{"lang=en", "fr", locale.EN},
		{"lang=fr", "en", locale.FR},
		{"lang=de", "en", locale.EN},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/?"+tt.query, nil)
		r.Header.Set("Accept-Language", tt.accept)
		if got := locale.Negotiate(r); got != tt.want {
			t.Errorf("?%s Accept-Language %q: %s, want %s", tt.query, tt.accept, got, tt.want)
		}
	}
}

func TestInt(t *testing.T) {
	for _, tt := range []struct {
		n      int
		fr, en string
	}{
		{0, "0", "0"}, {999, "999", "999"}, {1234, "1\u00a0234", "1,234"},
		{1234567, "1\u00a0234\u00a0567", "1,234,567"}, {-4500, "-4\u00a0500", "-4,500"},
	} {
		if got := locale.FR.Int(tt.n); got != tt.fr {
			t.Errorf("FR.Int(%d) = %q", tt.n, got)
		}
		if got := locale.EN.Int(tt.n); got != tt.en {
			t.Errorf("EN.Int(%d) = %q", tt.n, got)
		}
	}
}

func TestDate(t *testing.T) {
	// 03:00 UTC on the 26th is still the 25th in Montréal.
	d := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	if got := locale.FR.Date(d); got != "25\u00a0novembre 2026" {
		t.Errorf("FR: %q", got)
	}
	if got := locale.EN.Date(d); got != "November 25, 2026" {
		t.Errorf("EN: %q", got)
	}
	if got := locale.FR.Date(time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC)); got != "1er\u00a0août 2026" {
		t.Errorf("FR first: %q", got)
	}
	if got := locale.FR.Short(d); got != "25\u00a0nov." {
		t.Errorf("FR short: %q", got)
	}
	if got := locale.EN.Short(d); got != "Nov 25" {
		t.Errorf("EN short: %q", got)
	}
}

func TestEveryKeyInBothLanguages(t *testing.T) {
	for _, k := range locale.Keys() {
		fr, en := locale.FR.T(k), locale.EN.T(k)
		if fr == "" || en == "" || fr == k {
			t.Errorf("%s: fr %q en %q", k, fr, en)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		l    locale.Lang
		n    int
		want string
	}{{locale.FR, 0, "0 demande"}, {locale.FR, 1, "1 demande"}, {locale.FR, 2, "2 demandes"}, {locale.FR, 1234, "1\u00a0234 demandes"},
		{locale.EN, 0, "0 requests"}, {locale.EN, 1, "1 request"}, {locale.EN, 2, "2 requests"}} {
		if got := c.l.Plural(c.n, "events.joins"); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.l, c.n, got, c.want)
		}
	}
}

// TestFrenchTypography: French sentences follow the Office québécois de la
// langue française: the typographic apostrophe, a no-break space before
// « : » and a narrow one (or none) before « ? », « ! » and « ; ».
func TestFrenchTypography(t *testing.T) {
	for _, k := range locale.Keys() {
		fr := locale.FR.T(k)
		if strings.Contains(fr, "'") {
			t.Errorf("%s: ASCII apostrophe in %q", k, fr)
		}
		for _, p := range []string{" :", " ?", " !", " ;"} {
			if strings.Contains(fr, p) {
				t.Errorf("%s: a breaking space before %q in %q", k, p[1:], fr)
			}
		}
	}
}

// countedPlural is a French number followed by a plural word: « %s demandes ».
var countedPlural = regexp.MustCompile(`%s[ \x{00a0}]\p{L}+s\b`)

// TestPluralsComeInPairs: a sentence that says a number with a plural noun
// is a key.many with its key.one, which only Lang.Plural picks between,
// and every .one has its .many and the other way round.
func TestPluralsComeInPairs(t *testing.T) {
	for _, k := range locale.Keys() {
		if countedPlural.MatchString(locale.FR.T(k)) && !strings.HasSuffix(k, ".many") {
			t.Errorf("%s: %q says a count in the plural outside a .many key", k, locale.FR.T(k))
		}
		if base, ok := strings.CutSuffix(k, ".one"); ok && !locale.Has(base+".many") {
			t.Errorf("%s has no .many", k)
		}
		if base, ok := strings.CutSuffix(k, ".many"); ok && !locale.Has(base+".one") {
			t.Errorf("%s has no .one", k)
		}
	}
}

func TestPluralKey(t *testing.T) {
	for _, c := range []struct {
		l    locale.Lang
		n    int
		want string
	}{{locale.FR, 0, "k.one"}, {locale.FR, 1, "k.one"}, {locale.FR, 2, "k.many"}, {locale.EN, 0, "k.many"}, {locale.EN, 1, "k.one"}, {locale.EN, 2, "k.many"}} {
		if got := c.l.PluralKey(c.n, "k"); got != c.want {
			t.Errorf("%s %d: %s, want %s", c.l, c.n, got, c.want)
		}
	}
}

// unspacedGuillemet is « or » without the no-break space (or a narrow one)
// on its inner side: « obligatoire », never «obligatoire» or « obligatoire ».
var unspacedGuillemet = regexp.MustCompile(`«[^\x{00a0}\x{202f}]|[^\x{00a0}\x{202f}]»`)

// TestFrenchGuillemets: French quotes are « » with no-break spaces inside.
func TestFrenchGuillemets(t *testing.T) {
	for _, k := range locale.Keys() {
		if fr := locale.FR.T(k); unspacedGuillemet.MatchString(fr) {
			t.Errorf("%s: « » without no-break spaces inside in %q", k, fr)
		}
	}
}
