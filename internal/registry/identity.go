package registry

import (
	"slices"
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// RuleNameTaken is the reason of the ECONFLICT a join gets when a pending or
// approved member has the same name (same NameKey).
const RuleNameTaken = "name_taken"

// folder folds case the way Unicode does for caseless matching ("ß" and
// "SS", "Σ" and "ς" match), which strings.ToLower does not.
var folder = cases.Fold()

// NameKey is the key by which two names are "the same name": compatibility
// forms unified (NFKC: full-width "Ａｃｍｅ" is "Acme"), case folded, and
// runs of spaces collapsed to one. Accents and punctuation still count:
// "Café" and "Cafe" are two names.
func NameKey(name string) string {
	return strings.Join(strings.Fields(folder.String(norm.NFKC.String(name))), " ")
}

// NameSkeleton is the key by which two names look the same: the UTS #39
// confusable skeleton of the name's key, so "Pаypal" with a Cyrillic "а"
// has the skeleton of "Paypal". Equal skeletons are worth a look by staff,
// not a refusal: unrelated honest names can share one.
func NameSkeleton(name string) string {
	return confusables.Skeleton(strings.Join(strings.Fields(unmarked(NameKey(name))), " "))
}

// unmarked drops what a reader's eye passes over when two names are
// compared: accents and other combining marks, punctuation and symbols.
func unmarked(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsPunct(r) || unicode.IsSymbol(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// scriptSets are the mixes of scripts a language writes with (UTS #39's
// "highly restrictive" level): Japanese, Chinese and Korean each with Latin.
var scriptSets = [][]string{
	{"Latin", "Han", "Hiragana", "Katakana"},
	{"Latin", "Han", "Bopomofo"},
	{"Latin", "Han", "Hangul"},
}

// MixedScripts reports whether name mixes the letters of scripts no single
// language writes together, such as Latin and Cyrillic in "Pаypal": the
// usual way to make a name look like another's. Digits, spaces,
// punctuation and accents belong to every script.
func MixedScripts(name string) bool {
	used := scriptsOf(name)
	if len(used) <= 1 {
		return false
	}
	for _, set := range scriptSets {
		if subset(used, set) {
			return false
		}
	}
	return true
}

// scriptsOf returns the scripts of the letters of s, Common and Inherited
// aside.
func scriptsOf(s string) map[string]bool {
	used := map[string]bool{}
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		for name, table := range unicode.Scripts {
			if name != "Common" && name != "Inherited" && unicode.Is(table, r) {
				used[name] = true
				break
			}
		}
	}
	return used
}

func subset(used map[string]bool, set []string) bool {
	for name := range used {
		if !slices.Contains(set, name) {
			return false
		}
	}
	return true
}

// Warning kinds: something staff should look at before approving a member,
// a possible impersonation rather than an error.
const (
	WarnMixedScripts = "mixed_scripts"
	WarnLookalike    = "lookalike"
)

// Warning is one thing to check about a member's name. Member is the member
// whose name looks the same, for WarnLookalike.
type Warning struct {
	Kind   string
	Member *Member
}

// Warnings lists what staff should check about m's name, given the members
// whose names look like it (Store.SimilarMembers).
func Warnings(m *Member, similar []*Member) []Warning {
	var ws []Warning
	if MixedScripts(m.Name) {
		ws = append(ws, Warning{Kind: WarnMixedScripts})
	}
	for _, o := range similar {
		if o.ID != m.ID {
			ws = append(ws, Warning{Kind: WarnLookalike, Member: o})
		}
	}
	return ws
}

// SearchKey is the form in which staff search names: compatibility forms
// unified, accents and other combining marks dropped, case folded, runs of
// spaces collapsed, so that "quebec" finds "Québec inc.". Punctuation
// stays, so that a search for "%" finds only names that hold one.
func SearchKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(folder.String(b.String())), " ")
}
