package badge

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

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

// ParseOptions reads style, theme, lang and scale from a raw query string.
// Unknown parameters are ignored, so cache-busting suffixes keep working. It
// returns the name of the first bad option (the others are still read, so an
// error badge comes in the asked language and scale), and whether lang was
// given: when it was not, the caller negotiates it and fallback stands in.
// It reads the raw query itself rather than through url.ParseQuery, whose
// map costs more than the rest of serving a cached badge.
func ParseOptions(rawQuery string, fallback locale.Lang) (o Options, langGiven bool, bad string) {
	o = Defaults(fallback)
	fail := func(name string) {
		if bad == "" {
			bad = name
		}
	}
	var seen [4]bool // style, theme, scale, lang
	for rest := rawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		key, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(key)
		v, err2 := url.QueryUnescape(v)
		i := slices.Index([]string{"style", "theme", "scale", "lang"}, key)
		if i < 0 {
			continue // unknown, or not even well-formed: not ours to judge
		}
		if seen[i] || err1 != nil || err2 != nil {
			fail(key)
			continue
		}
		seen[i] = true
		switch key {
		case "style":
			if !slices.Contains(Styles(), Style(v)) {
				fail(key)
			} else {
				o.Style = Style(v)
			}
		case "theme":
			if !slices.Contains(Themes(), Theme(v)) {
				fail(key)
			} else {
				o.Theme = Theme(v)
			}
		case "scale":
			if !validScale(v) {
				fail(key)
			} else {
				o.Scale = int(v[0] - '0')
			}
		case "lang":
			if l, ok := locale.Parse(v); !ok {
				fail(key)
			} else {
				o.Lang, langGiven = l, true
			}
		}
	}
	return o, langGiven, bad
}

func validScale(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && len(v) == 1 && n >= 1 && n <= MaxScale
}
