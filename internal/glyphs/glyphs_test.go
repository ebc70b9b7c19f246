package glyphs_test

import (
	"slices"
	"testing"

	"github.com/technopolys/technopolys/internal/glyphs"
)

func TestMissingNamesWhatTheFontsLack(t *testing.T) {
	for s, want := range map[string][]rune{
		"Salon techno de Québec – Œuvre « 2026 » €": nil,
		"Cafe\u0301 techno": nil, // an accent typed as a combining mark composes
		"Salon 🚀 ★ 🚀 ❤️ 日本": {'🚀', '★', '❤', '日', '本'},
	} {
		if got := glyphs.Missing(s); !slices.Equal(got, want) {
			t.Errorf("Missing(%q) = %q, want %q", s, got, want)
		}
	}
	if got := glyphs.Printable("Venez\u202f! Salon 🚀 techno"); got != "Venez\u00a0! Salon  techno" {
		t.Errorf("Printable: %q", got)
	}
	if got := glyphs.Describe([]rune{'🚀', '★'}); got != "🚀 (U+1F680), ★ (U+2605)" {
		t.Errorf("Describe: %q", got)
	}
}
