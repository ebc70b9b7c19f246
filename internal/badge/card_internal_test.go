package badge

import (
	"slices"
	"testing"
)

// TestWords: lines break at spaces, never inside guillemets nor before the
// punctuation French spaces off.
func TestWords(t *testing.T) {
	for in, want := range map[string][]string{
		"Acme Québec inc.":               {"Acme", "Québec", "inc."},
		"Les « Acme » de Laval":          {"Les", "« Acme »", "de", "Laval"},
		"Quoi de neuf ? Tout : vraiment": {"Quoi", "de", "neuf ?", "Tout :", "vraiment"},
		"« »":                            {"« »"},
		"  ":                             nil,
	} {
		if got := words(in); !slices.Equal(got, want) {
			t.Errorf("words(%q) = %q, want %q", in, got, want)
		}
	}
}
