// Package glyphs says which characters the embedded Go fonts can print.
// The posters are set in those fonts only (no system font is assumed), so
// an event's name or place with a character they lack is refused when it
// is typed rather than printed with a hole.
package glyphs

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"

	"github.com/technopolys/technopolys/assets"
)

// Fonts are the embedded fonts the posters use; a character is printable
// when every one of them has it.
var Fonts = []string{"fonts/Go-Regular.ttf", "fonts/Go-Bold.ttf"}

// covered is the set of characters every font in Fonts has, read once.
var covered = sync.OnceValues(func() (map[rune]bool, error) {
	var sets []map[rune]bool
	for _, file := range Fonts {
		data, err := assets.FS.ReadFile(file)
		if err != nil {
			return nil, err
		}
		f, err := sfnt.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		var buf sfnt.Buffer
		set := map[rune]bool{}
		for r := rune(0); r <= 0x2FFFF; r++ {
			if i, err := f.GlyphIndex(&buf, r); err == nil && i != 0 {
				set[r] = true
			}
		}
		sets = append(sets, set)
	}
	both := sets[0]
	for _, s := range sets[1:] {
		for r := range both {
			if !s[r] {
				delete(both, r)
			}
		}
	}
	return both, nil
})

// stand-ins are characters the fonts lack that print as another without
// changing what a reader sees: spaces of other widths, hyphens.
var standIns = map[rune]rune{
	'\u202f': '\u00a0', // narrow no-break space, before « ! » and « ? »
	'\u2007': '\u00a0', // figure space
	'\u2060': -1,       // word joiner: nothing to draw
	'\u200b': -1,       // zero-width space
	'\u2010': '-',
	'\u2011': '-',
}

// Printable is s as the posters set it: composed (NFC, so an accent typed
// as a combining mark joins its letter), with stand-ins for other spaces
// and hyphens, and without the characters the fonts lack (which Missing
// names, and which event validation refuses).
func Printable(s string) string {
	set, err := covered()
	if err != nil {
		return s
	}
	return strings.Map(func(r rune) rune {
		if sub, ok := standIns[r]; ok {
			return sub
		}
		if set[r] {
			return r
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return -1
	}, norm.NFC.String(s))
}

// Missing lists, once each and in order, the characters of s that the
// posters' fonts cannot print (after composition and stand-ins).
func Missing(s string) []rune {
	set, err := covered()
	if err != nil {
		return nil
	}
	var out []rune
	for _, r := range norm.NFC.String(s) {
		if _, ok := standIns[r]; ok || set[r] || unicode.IsSpace(r) || invisible(r) {
			continue
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// invisible are the joiners and variation selectors inside emoji
// sequences: they draw nothing, so naming them would only puzzle; the
// emoji around them is named.
func invisible(r rune) bool {
	return r == '\u200d' || unicode.Is(unicode.Variation_Selector, r)
}

// Describe names characters for a person: each as itself and its code
// point, « 🚀 (U+1F680), ★ (U+2605) ».
func Describe(rs []rune) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%c (%U)", r, r)
	}
	return strings.Join(parts, ", ")
}
