package web_test

import (
	"context"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/assets"
	"github.com/technopolys/technopolys/internal/registry"
)

// frenchPages reaches every page template in French: template name → the
// address that renders it (with a session where it takes one), with the
// state each needs. TestFrenchPages checks the list names every template.
func frenchPages(t *testing.T, a *app) (pages map[string][]string, cookie string) {
	t.Helper()
	// Names are ours here: what staff type is theirs to punctuate.
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/events", `{"code":"salon-2026","name_fr":"Salon techno de Québec","name_en":"Québec tech fair","starts_on":"2026-12-03","place":"Centre des congrès"}`), http.StatusCreated)
	slug := a.approve(t, a.join(t, "Acme Québec inc.", 1))
	a.join(t, "Bêta Logiciels", 2)
	for _, r := range []*registry.MemberRequest{{MemberID: 1, Kind: registry.RequestChange, Name: "Acme Québec ltée", Website: "https://company-1.example"},
		{MemberID: 1, Kind: registry.RequestDeletion}} {
		if err := a.store.CreateRequest(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	cookie, _ = signedIn(t, a, "Julie Gagnon")
	_, link := newStaff(t, a, "luc@technopolys.example", "Luc Tremblay")
	if err := a.store.RecordEmbeds(context.Background(), []registry.EmbedCount{{MemberID: 1, Site: "www.company-1.example", Views: 1}}); err != nil {
		t.Fatal(err)
	}
	member, _ := memberSignedIn(t, a, "marie@company-1.example")
	cookie += "; " + member
	confirmed := a.receiptLink(t, a.member(t, 1)) // its page says the address is confirmed
	wantStatus(t, a.do(t, "POST", confirmed, "", "Content-Type", form), http.StatusOK)
	pages = map[string][]string{
		"confirm":       {a.receiptLink(t, a.member(t, 2)), confirmed},
		"home":          {"/"},
		"join":          {"/join", "/join?event=salon-2026"},
		"join_ok":       {"/join/ok"},
		"privacy":       {"/privacy"},
		"members":       {"/members", "/members?region=laval", "/members?q=acme", "/members?q=zzz"},
		"member":        {"/members/" + slug, "/members/" + slug + "?style=for-the-badge&theme=auto&badge_lang=en"},
		"error":         {"/nowhere", "/members/nobody"},
		"signin":        {"/admin/signin"},
		"password":      {"/admin/password?token=" + link},
		"staff_home":    {"/admin"},
		"queue":         {"/admin/queue"},
		"staff_members": {"/admin/members", "/admin/members?q=zzz"},
		"staff_member":  {"/admin/members/1", "/admin/members/2"},
		"staff_events":  {"/admin/events"},
		"staff_event":   {"/admin/events/salon-2026"},
		"staff_audit":   {"/admin/audit"},
		"staff_import":  {"/admin/import"},
		"staff_outbox":  {"/admin/outbox"},
		"staff_figures": {"/admin/figures"},
		// The member area, with the member's session beside the staff's.
		"account":        {"/account"},
		"account_badge":  {"/account/badge", "/account/badge?style=plastic&theme=auto&badge_lang=en"},
		"account_signin": {"/account/signin"},
		"account_link":   {"/account/signin/ABC"},
	}
	pages["staff_requests"] = []string{"/admin/requests"}
	return pages, cookie
}

var (
	// hidden are elements whose content is not prose: code the member
	// copies, scripts, styles.
	hidden   = regexp.MustCompile(`(?s)<(script|style|code|pre|textarea)\b.*?</(script|style|code|pre|textarea)>`)
	tag      = regexp.MustCompile(`(?s)<[^>]*>`)
	said     = regexp.MustCompile(`\b(?:alt|title|placeholder|aria-label)="([^"]*)"`)
	anyURL   = regexp.MustCompile(`(?:https?|mailto):[^\s"<>]*|[\w.+-]+@[\w.-]+`)
	badColon = regexp.MustCompile(`[^\x{00a0}\x{202f}\d]:`)
	badQuote = regexp.MustCompile(`«[^\x{00a0}\x{202f}]|[^\x{00a0}\x{202f}]»`)
)

// visibleText is what a reader sees or hears of a page: its text and the
// attributes read aloud, tags and code left out, addresses blanked.
func visibleText(page string) string {
	page = hidden.ReplaceAllString(page, " ")
	var b strings.Builder
	for _, m := range said.FindAllStringSubmatch(page, -1) {
		b.WriteString(html.UnescapeString(m[1]) + "\n")
	}
	b.WriteString(html.UnescapeString(tag.ReplaceAllString(page, "\n")))
	return anyURL.ReplaceAllString(b.String(), " ")
}

// frenchFaults are what the Office québécois de la langue française would
// mark in a French text: an ASCII apostrophe, a colon without the no-break
// space before it (a breaking space or none), « » without no-break spaces
// inside.
func frenchFaults(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "'") {
			out = append(out, "ASCII apostrophe in "+strconvQuote(line))
		}
		if badColon.MatchString(line) {
			out = append(out, "colon without a no-break space in "+strconvQuote(line))
		}
		if badQuote.MatchString(line) {
			out = append(out, "« » without no-break spaces in "+strconvQuote(line))
		}
	}
	return out
}

func strconvQuote(s string) string { return `"` + strings.TrimSpace(s) + `"` }

// TestFrenchPages renders every page template in French through the real
// server and reads its visible text for the rules above; the English pages
// must not be in French, nor the French ones say the English words a
// French page used to (badge style names).
func TestFrenchPages(t *testing.T) {
	a := newApp(t)
	pages, cookie := frenchPages(t, a)
	templates, err := fs.Glob(assets.FS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range templates {
		page := strings.TrimSuffix(filepath.Base(name), ".html")
		if _, ok := pages[page]; !ok && page != "layout" {
			t.Errorf("template %s is rendered by no address of the French walk", page)
		}
	}
	for page, paths := range pages {
		for _, path := range paths {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			res := a.do(t, "GET", path+sep+"lang=fr", "", "Cookie", cookie)
			if res.StatusCode != http.StatusOK && !(page == "error" && res.StatusCode == http.StatusNotFound) {
				t.Errorf("%s (%s): %d", page, path, res.StatusCode)
				continue
			}
			if !strings.Contains(res.Body, `<html lang="fr-CA"`) {
				t.Errorf("%s (%s) is not in French", page, path)
			}
			text := visibleText(res.Body)
			for _, f := range frenchFaults(text) {
				t.Errorf("%s (%s): %s", page, path, f)
			}
			for _, english := range []string{"flat", "plastic", "for-the-badge", "Letter", "QR PNG"} {
				if regexp.MustCompile(`\b` + english + `\b`).MatchString(text) {
					t.Errorf("%s (%s) says %q", page, path, english)
				}
			}
		}
	}
}

func TestFrenchFaultsCatchesWhatItShould(t *testing.T) {
	for text, n := range map[string]int{
		"Votre choix : plat":      1,
		"Votre choix: plat":       1,
		"Votre choix\u00a0: plat": 0,
		"l'adhésion":              1,
		"l’adhésion":              0,
		"à 12:30":                 0,
		"<code>it's</code> <a href=\"https://x.example/a?b=c:d\">x</a>": 0,
	} {
		if got := len(frenchFaults(visibleText(text))); got != n {
			t.Errorf("%q: %d faults, want %d", text, got, n)
		}
	}
}

// pluralKey is a plural message's key named in full, which only
// locale.Plural and locale.PluralKey may form.
var (
	pluralKey = regexp.MustCompile(`"[a-z_]+(?:\.[a-z_]+)*\.(?:one|many)"`)
	// countTest is a template choosing a word by a number, as home.html
	// did with {{if eq .Data.Members 1}}.
	countTest = regexp.MustCompile(`\{\{-?\s*if (?:eq|lt|le|gt|ge|ne) [^}]*\b[012]\s*-?\}\}`)
)

// TestPluralsThroughOneHelper: every count said in words goes through
// locale.Plural (or PluralKey): no Go file outside internal/locale and no
// template names a .one or .many key, and no template picks a word by
// comparing a number with 0, 1 or 2. (The messages themselves are checked
// in internal/locale: a French "%s …s" is a .many key with its .one.)
func TestPluralsThroughOneHelper(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || path == filepath.Join(root, "internal", "locale")) {
			return filepath.SkipDir
		}
		isGo := strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go")
		isTemplate := strings.HasSuffix(path, ".html") && strings.Contains(path, "templates")
		if !isGo && !isTemplate {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range pluralKey.FindAllString(string(b), -1) {
			t.Errorf("%s names the plural key %s: say it with locale.Plural", path, m)
		}
		if isTemplate {
			for _, m := range countTest.FindAllString(string(b), -1) {
				t.Errorf("%s picks a word by a number (%s): use {{plural}}", path, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The English pages may keep their own punctuation; they must still not be
// French by mistake: a spot check that the choice form's labels follow the
// page, not the badge.
func TestBadgeChoiceFollowsThePageLanguage(t *testing.T) {
	a := newApp(t)
	a.approve(t, a.join(t, "Acme Québec inc.", 1))
	cookie, _ := memberSignedIn(t, a, "marie@company-1.example")
	q := url.Values{"lang": {"en"}, "badge_lang": {"fr"}, "style": {"plastic"}}
	body := a.do(t, "GET", "/account/badge?"+q.Encode(), "", "Cookie", cookie).Body
	if !strings.Contains(body, "Choose your badge") || !strings.Contains(body, ">French</option>") || !strings.Contains(body, "Your choice: plastic · light · French") {
		t.Errorf("English page with a French badge: %s", visibleText(body))
	}
}
