package badge_test

import (
	"testing"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/badge/badgetest"
	"github.com/technopolys/technopolys/internal/locale"
)

// FuzzSVGName: whatever a member is called, its badge is inert XML.
func FuzzSVGName(f *testing.F) {
	for _, s := range []string{"Acme", `</title><script>x</script>`, "\x00\x01\uFFFE", "]]>&amp;", "\xff\xfe"} {
		f.Add(s)
	}
	r := renderer(f)
	f.Fuzz(func(t *testing.T, name string) {
		if _, err := badgetest.ParseSVG(r.SVG(member(name), badge.Defaults(locale.FR))); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
	})
}

// FuzzParseOptions: any query either parses to options in the validated
// space or names a bad option.
func FuzzParseOptions(f *testing.F) {
	for _, s := range []string{"", "style=plastic&scale=2", "lang=en&lang=fr", "scale=%00", "theme=auto;x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		o, _, bad := badge.ParseOptions(query, locale.FR)
		valid := o.Scale >= 1 && o.Scale <= badge.MaxScale && (o.Lang == locale.FR || o.Lang == locale.EN)
		okStyle, okTheme := false, false
		for _, s := range badge.Styles() {
			okStyle = okStyle || o.Style == s
		}
		for _, th := range badge.Themes() {
			okTheme = okTheme || o.Theme == th
		}
		if !valid || !okStyle || !okTheme {
			t.Fatalf("%q gave options outside the space: %+v (bad %q)", query, o, bad)
		}
	})
}
