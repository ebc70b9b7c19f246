// Package locale chooses between French and English and holds every
// user-facing sentence in both: French first, English always.
package locale

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Québec's zone even on machines without a zone database

	"golang.org/x/text/language"
)

// Lang is a language the product speaks.
type Lang string

// The two languages; French is the default.
const (
	FR Lang = "fr"
	EN Lang = "en"
)

// Other returns the other language, for "English" / "Français" links.
func (l Lang) Other() Lang {
	if l == EN {
		return FR
	}
	return EN
}

// Parse returns the language named s ("fr" or "en"), or false.
func Parse(s string) (Lang, bool) {
	switch Lang(s) {
	case FR, EN:
		return Lang(s), true
	}
	return FR, false
}

var matcher = language.NewMatcher([]language.Tag{language.French, language.English})

// Negotiate picks the visitor's language: ?lang= when it names one, else the
// best match of Accept-Language, else French.
func Negotiate(r *http.Request) Lang {
	if l, ok := Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	return FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// FromAcceptLanguage returns the language an Accept-Language header prefers,
// French when it prefers neither or cannot be read.
func FromAcceptLanguage(header string) Lang {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return FR
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No || i != 1 {
		return FR
	}
	return EN
}

// Int formats n the way the language groups digits: "1 234" in French (with
// a no-break space, so the number never wraps), "1,234" in English.
func (l Lang) Int(n int) string {
	sep := ","
	if l == FR {
		sep = "\u00a0"
	}
	s := strconv.Itoa(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return neg + s
}

var months = map[Lang][12]string{
	FR: {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	EN: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// Date formats a day as people write it: "25 novembre 2026" (with "1er" for
// the first of the month) or "November 25, 2026". Dates are shown in
// Québec's time zone, where members and staff are.
func (l Lang) Date(t time.Time) string {
	t = t.In(Zone)
	m := months[l][t.Month()-1]
	d := strconv.Itoa(t.Day())
	if l == EN {
		return m + " " + d + ", " + strconv.Itoa(t.Year())
	}
	if t.Day() == 1 {
		d = "1er"
	}
	return d + "\u00a0" + m + " " + strconv.Itoa(t.Year())
}

// Short formats a day for a chart's axis: "25 nov." or "Nov 25", in
// Québec's time zone.
func (l Lang) Short(t time.Time) string {
	t = t.In(Zone)
	d := strconv.Itoa(t.Day())
	if l == EN {
		return shortMonths[l][t.Month()-1] + " " + d
	}
	return d + "\u00a0" + shortMonths[l][t.Month()-1]
}

// shortMonths are the months' abbreviations: the Office québécois de la
// langue française's for French (juin and juil. stand as they are).
var shortMonths = map[Lang][12]string{
	FR: {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
	EN: {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

// Zone is Québec's time zone (Eastern).
var Zone = func() *time.Location {
	z, err := time.LoadLocation("America/Toronto")
	if err != nil {
		panic(err) // time/tzdata is linked in: cannot happen
	}
	return z
}()

// Plural says n with key's singular or plural sentence (key+".one",
// key+".many", each with a %s for the number): French takes the singular
// below 2 (« 0 scan », « 1 demande »), English for 1 only.
func (l Lang) Plural(n int, key string) string {
	return l.T(l.PluralKey(n, key), l.Int(n))
}

// PluralKey is key+".one" or key+".many", whichever n takes in the
// language, for a text that says the number apart (a count widget's label).
// It is the one place the plural rule is written.
func (l Lang) PluralKey(n int, key string) string {
	one := n == 1
	if l == FR {
		one = n < 2
	}
	if one {
		return key + ".one"
	}
	return key + ".many"
}

// keptTogether are the spaces French typography never breaks at: inside
// guillemets and before high punctuation.
var keptTogether = strings.NewReplacer("« ", "«\u00a0", " »", "\u00a0»", " :", "\u00a0:", " ;", "\u00a0;",
	" ?", "\u00a0?", " !", "\u00a0!")

// KeepTogether makes those spaces of a text no-break ones, for showing or
// printing it: names cannot hold no-break spaces (they are refused as
// unprintable), so people type plain ones, and « Boréal » must not end a
// line with its «.
func KeepTogether(s string) string { return keptTogether.Replace(s) }
