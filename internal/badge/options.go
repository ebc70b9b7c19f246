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
// the name of the first bad option, and whether lang was given (when it was
// not, the caller negotiates it and leaves fallback as the language).
func ParseOptions(q map[string][]string, fallback locale.Lang) (o Options, langGiven bool, bad string) {
	o = Defaults(fallback)
	get := func(name string) (string, bool) {
		v, ok := q[name]
		if !ok {
			return "", true
		}
		if len(v) != 1 {
			return "", false
		}
		return v[0], true
	}
	if v, ok := get("style"); !ok || v != "" && !oneOf(Style(v), Styles()) {
		return o, false, "style"
	} else if v != "" {
		o.Style = Style(v)
	}
	if v, ok := get("theme"); !ok || v != "" && !oneOf(Theme(v), Themes()) {
		return o, false, "theme"
	} else if v != "" {
		o.Theme = Theme(v)
	}
	if v, ok := get("scale"); !ok || v != "" && !validScale(v) {
		return o, false, "scale"
	} else if v != "" {
		o.Scale = int(v[0] - '0')
	}
	v, ok := get("lang")
	if !ok {
		return o, false, "lang"
	}
	if v == "" {
		return o, false, ""
	}
	l, ok := locale.Parse(v)
	if !ok {
		return o, false, "lang"
	}
	o.Lang = l
	return o, true, ""
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
