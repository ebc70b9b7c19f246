// Package slug turns member names into short ASCII URL segments:
// "Acme Québec inc." becomes "acme-quebec-inc".
package slug

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxLen bounds a slug so URLs and badge links stay short.
const MaxLen = 60

// Fallback is the slug of a name that has no Latin letter or digit at all.
const Fallback = "membre"

// ligatures are letters that compatibility decomposition leaves whole.
var ligatures = strings.NewReplacer(
	"æ", "ae", "Æ", "ae", "œ", "oe", "Œ", "oe", "ß", "ss", "ø", "o", "Ø", "o",
	"ł", "l", "Ł", "l", "ħ", "h", "Ħ", "h", "ı", "i", "đ", "d", "Đ", "d", "ð", "d", "þ", "th", "&", " et ",
)

// Make returns the slug of name: ASCII-folded, lowercase, words joined by
// single hyphens, at most MaxLen characters, never empty.
func Make(name string) string {
	fold := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(fold, ligatures.Replace(name))
	if err != nil {
		folded = name
	}
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(folded) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > MaxLen {
		s = strings.TrimRight(s[:MaxLen], "-")
		if i := strings.LastIndexByte(s, '-'); i > MaxLen/2 {
			s = s[:i]
		}
	}
	if s == "" {
		return Fallback
	}
	return s
}

// Next returns base, or base-2, base-3… whichever is not in taken.
func Next(base string, taken []string) string {
	used := make(map[string]bool, len(taken))
	for _, t := range taken {
		used[t] = true
	}
	for n := 1; ; n++ {
		if s := Nth(base, n); !used[s] {
			return s
		}
	}
}

// Valid reports whether s could be a slug Make or Next gave: lowercase ASCII
// letters, digits and single inner hyphens, of a bounded length. A path
// segment that is not is no member, with no need to ask the store.
func Valid(s string) bool {
	if s == "" || len(s) > MaxLen+12 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Nth is the n-th slug Next tries for base: base itself for n = 1, then
// base-2, base-3… A store can ask about a few of them at once with an
// equality lookup its slug index serves, instead of scanning every slug
// that starts with base.
func Nth(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "-" + strconv.Itoa(n)
}
