package badge

import (
	"strconv"

	"github.com/technopolys/technopolys/internal/locale"
)

// Style is a badge's shape.
type Style string

// The styles a badge comes in.
const (
	Flat        Style = "flat"
	FlatSquare  Style = "flat-square"
	Plastic     Style = "plastic"
	ForTheBadge Style = "for-the-badge"
)

// Styles lists every style, default first.
func Styles() []Style { return []Style{Flat, FlatSquare, Plastic, ForTheBadge} }

// Theme is a badge's colours.
type Theme string

// The themes. Auto is light, and an SVG in Auto follows the viewer's
// prefers-color-scheme; a PNG cannot, so it is drawn light.
const (
	Light Theme = "light"
	Dark  Theme = "dark"
	Auto  Theme = "auto"
)

// Themes lists every theme, default first.
func Themes() []Theme { return []Theme{Light, Dark, Auto} }

// MaxScale is the largest PNG scale (retina and print).
const MaxScale = 4

// Options choose how a badge looks. The zero value is not valid; use
// ParseOptions or Defaults.
type Options struct {
	Style Style
	Theme Theme
	Lang  locale.Lang
	// Scale multiplies a PNG's pixels; an SVG ignores it.
	Scale int
}

// Defaults are the options of a badge asked for with none.
func Defaults(l locale.Lang) Options { return Options{Style: Flat, Theme: Light, Lang: l, Scale: 1} }

// ParseOptions reads style, theme, lang and scale from a query. Unknown
// parameters are ignored, so cache-busting suffixes keep working. It returns
// the name of the first bad option (the others are still read, so an error
// badge comes in the asked language and scale), and whether lang was given:
// when it was not, the caller negotiates it and fallback stands in.
func ParseOptions(q map[string][]string, fallback locale.Lang) (o Options, langGiven bool, bad string) {
	o = Defaults(fallback)
	fail := func(name string) {
		if bad == "" {
			bad = name
		}
	}
	if v, ok := single(q, "style"); !ok || v != "" && !oneOf(Style(v), Styles()) {
		fail("style")
	} else if v != "" {
		o.Style = Style(v)
	}
	if v, ok := single(q, "theme"); !ok || v != "" && !oneOf(Theme(v), Themes()) {
		fail("theme")
	} else if v != "" {
		o.Theme = Theme(v)
	}
	if v, ok := single(q, "scale"); !ok || v != "" && !validScale(v) {
		fail("scale")
	} else if v != "" {
		o.Scale = int(v[0] - '0')
	}
	if v, ok := single(q, "lang"); !ok {
		fail("lang")
	} else if l, valid := locale.Parse(v); v != "" && !valid {
		fail("lang")
	} else if v != "" {
		o.Lang, langGiven = l, true
	}
	return o, langGiven, bad
}

// single returns a parameter given at most once; twice is an error.
func single(q map[string][]string, name string) (string, bool) {
	v, ok := q[name]
	if !ok {
		return "", true
	}
	return v[0], len(v) == 1
}

func oneOf[T comparable](v T, all []T) bool {
	for _, a := range all {
		if v == a {
			return true
		}
	}
	return false
}

func validScale(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && len(v) == 1 && n >= 1 && n <= MaxScale
}
