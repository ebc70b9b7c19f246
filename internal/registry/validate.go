package registry

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"github.com/technopolys/technopolys/internal/glyphs"
)

// Field limits, in characters.
const (
	MaxNameLen    = 200
	MaxWebsiteLen = 2048
	MaxEmailLen   = 254
	MaxReasonLen  = 1000
	MaxEventLen   = 40
)

// Application is what a company sends to join, as typed. ConsentPublic is a
// pointer because leaving the question unanswered is an error, not a "no".
type Application struct {
	Name          string
	Website       string
	ContactName   string
	ContactEmail  string
	Region        string
	ConsentPublic *bool
	Event         string
}

// Validate checks every field and returns the pending member the application
// describes, or an *Invalid naming every field that is wrong.
func (a Application) Validate() (*Member, error) {
	m := &Member{
		Name:         Text(a.Name),
		Website:      strings.TrimSpace(a.Website),
		ContactName:  Text(a.ContactName),
		ContactEmail: strings.TrimSpace(a.ContactEmail),
		Event:        strings.TrimSpace(a.Event),
		Status:       StatusPending,
	}
	var ps problems
	checkCompany(m, a.Region, &ps)
	ps.check("contact_name", checkText(m.ContactName, MaxNameLen))
	ps.check("contact_email", checkEmail(m.ContactEmail))
	if a.ConsentPublic == nil {
		ps.check("consent_public", RuleRequired)
	} else {
		m.ConsentPublic = *a.ConsentPublic
	}
	if m.Event != "" && !ValidCode(m.Event) {
		ps.check("event", RuleCode)
	}
	if len(ps) > 0 {
		return nil, &Invalid{Problems: ps}
	}
	return m, nil
}

// problems collects the rules an input breaks, field by field.
type problems []Problem

func (ps *problems) check(field, rule string) {
	if rule != "" {
		*ps = append(*ps, Problem{Field: field, Rule: rule})
	}
}

// checkCompany checks what every member has however it arrives (a join or an
// import line): name, website and region, which it resolves into m.
// Text is a name as typed, kept in one form: trimmed, composed (NFC), so
// « é » typed as e and a combining accent (some keyboards, text copied
// from a PDF) is the one character every renderer and search knows, and
// with full-width Latin letters (ｑｕéｂｅｃ) folded to the ordinary ones
// every font has.
func Text(s string) string {
	return norm.NFC.String(width.Fold.String(norm.NFC.String(strings.TrimSpace(s))))
}

func checkCompany(m *Member, region string, ps *problems) {
	ps.check("name", checkText(m.Name, MaxNameLen))
	if missing := glyphs.Missing(m.Name); len(missing) > 0 && checkText(m.Name, MaxNameLen) == "" {
		// The badge, its page's card and the wall draw the name with the
		// Go fonts alone (no font is assumed on the reader's machine).
		*ps = append(*ps, Problem{Field: "name", Rule: RuleBadgeGlyphs, Chars: glyphs.Describe(missing)})
	}
	ps.check("website", checkWebsite(m.Website))
	var rule string
	m.Region, rule = checkRegion(region)
	ps.check("region", rule)
}

// checkText accepts any printable text, markup characters included (they are
// escaped where the text lands), up to max characters.
func checkText(s string, max int) string {
	switch {
	case s == "":
		return RuleRequired
	case len([]rune(s)) > max:
		return RuleTooLong
	case strings.IndexFunc(s, notPrintable) >= 0:
		return RuleControl
	}
	return ""
}

func notPrintable(r rune) bool {
	return !unicode.IsPrint(r) && r != ' ' || r == unicode.ReplacementChar
}

func checkWebsite(s string) string {
	switch {
	case s == "":
		return RuleRequired
	case len(s) > MaxWebsiteLen:
		return RuleTooLong
	case strings.IndexFunc(s, notPrintable) >= 0:
		// Invalid UTF-8 (a raw %FF byte) and NUL included: PostgreSQL
		// refuses them, and no one types them.
		return RuleControl
	}
	if scheme, _, _ := strings.Cut(s, ":"); !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
		return RuleScheme
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return RuleURL
	case u.Host == "" || u.Hostname() == "" || u.User != nil || strings.ContainsAny(s, " \t\r\n"):
		// userinfo is refused: https://trusted.example@evil.example reads as
		// the wrong site to a person.
		return RuleURL
	}
	return ""
}

func checkEmail(s string) string {
	switch {
	case s == "":
		return RuleRequired
	case len(s) > MaxEmailLen:
		return RuleTooLong
	case strings.IndexFunc(s, notPrintable) >= 0:
		return RuleEmail
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return RuleEmail
	}
	return ""
}

func checkRegion(s string) (Region, string) {
	if strings.TrimSpace(s) == "" {
		return "", RuleRequired
	}
	r, ok := ParseRegion(s)
	if !ok {
		return "", RuleRegion
	}
	return r, ""
}

var codeRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$`)

// ValidCode reports whether s is a well-formed event code: lowercase ASCII
// letters, digits and inner hyphens, at most 40 characters, safe in any URL.
func ValidCode(s string) bool { return codeRE.MatchString(s) }

// HostKey returns the host two websites are compared by: its ASCII form
// (IDNA, the Lookup profile: "québec.example" is "xn--qubec-csa.example",
// as browsers and DNS see it), lowercase, without port, trailing dot or a
// leading "www.". A host IDNA refuses (an IP address, an underscore) is
// only lowercased. It returns "" for a bad URL.
func HostKey(website string) string {
	u, err := url.Parse(strings.TrimSpace(website))
	if err != nil {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ascii, err := idna.Lookup.ToASCII(h); err == nil && ascii != "" {
		h = ascii
	}
	return strings.TrimPrefix(h, "www.")
}
