package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/text/encoding/charmap"

	"github.com/technopolys/technopolys/internal/registry"
)

// tab drives one Chromium tab on an app the way a person does: it types
// into fields and clicks buttons, then waits (polling, 10 s at most) for
// what the next page should show.
type tab struct {
	t   *testing.T
	a   *app
	ctx context.Context
}

func newTab(t *testing.T, a *app) *tab {
	t.Helper()
	return &tab{t: t, a: a, ctx: newBrowser(t)}
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (b *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%v\npage %s", err, b.describe())
	}
}

// describe is where the tab is and what it shows, for failures.
func (b *tab) describe() string {
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.pathname + location.search + "\n" + (document.body ? document.body.innerText : "")`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return s
}

func (b *tab) eval(js string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// waitFor polls js, an expression that must come to be true once the page
// is loaded, every 50 ms for 10 s at most.
func (b *tab) waitFor(what, js string) {
	b.t.Helper()
	expr := `document.readyState === "complete" && !!(` + js + `)`
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
		// Between two pages there is no document to ask: try again.
		if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
	}
	b.t.Fatalf("%s: never true: %s\npage %s", what, js, b.describe())
}

// open goes to path, as typed in the address bar.
func (b *tab) open(path string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.a.URL + path))
	b.waitFor("open "+path, `location.href === `+jsString(b.a.URL+path))
}

// typeIn types text into the field sel, then checks the field holds it.
func (b *tab) typeIn(sel, text string) {
	b.t.Helper()
	b.run(chromedp.SendKeys(chromedp.CSS(sel), text))
	if got := b.eval(`document.querySelector(` + jsString(sel) + `).value`); got != text {
		b.t.Fatalf("typed %q into %s, it holds %q", text, sel, got)
	}
}

// retype empties the field sel with the keyboard (End, then Backspace over
// what it holds) and types text instead.
func (b *tab) retype(sel, text string) {
	b.t.Helper()
	old := b.eval(`document.querySelector(` + jsString(sel) + `).value`)
	b.run(chromedp.SendKeys(chromedp.CSS(sel), kb.End+strings.Repeat(kb.Backspace, len([]rune(old)))+text))
	if got := b.eval(`document.querySelector(` + jsString(sel) + `).value`); got != text {
		b.t.Fatalf("retyped %q into %s, it holds %q", text, sel, got)
	}
}

// click clicks the middle of the element sel with the mouse.
func (b *tab) click(sel string) {
	b.t.Helper()
	b.run(chromedp.Click(chromedp.CSS(sel)))
}

// visibleJS is true when the element that the expression el gives is on
// screen: displayed, not hidden, not transparent, with a size.
func visibleJS(el string) string {
	return `(e => !!e && e.checkVisibility({opacityProperty: true, visibilityProperty: true}) && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0)(` + el + `)`
}

// says waits until the element sel is visible with exactly text want, on a
// French page.
func (b *tab) says(sel, want string) {
	b.t.Helper()
	el := `document.querySelector(` + jsString(sel) + `)`
	b.waitFor(sel+" says "+want, `document.documentElement.lang === "fr-CA" && `+visibleJS(el)+` && `+el+`.innerText.trim() === `+jsString(want))
}

// signIn signs in with the account form of the console.
func (b *tab) signIn(email, password, name string) {
	b.t.Helper()
	b.open("/admin/signin?lang=fr")
	b.typeIn("#email", email)
	b.typeIn("#password", password)
	b.click(`form:has(#password) button[type=submit]`)
	b.waitFor("the console after signing in", `location.pathname === "/admin" && document.querySelector("form.session").innerText.includes(`+jsString(name)+`)`)
}

// member reads a member from the store.
func (a *app) member(t *testing.T, id int64) *registry.Member {
	t.Helper()
	m, err := a.store.FindMember(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var svgTitle = regexp.MustCompile(`<title>([^<]*)</title>`)

// TestJoinApproveEditInTheBrowser: a company joins with the French form,
// staff sign in and approve it with one click, its verification page shows
// it; staff rename it on its page, and the badge and the verification page
// carry the new name.
func TestJoinApproveEditInTheBrowser(t *testing.T) {
	a := newApp(t)
	staffWithPassword(t, a, "julie@technopolys.example", "Julie Gagnon", "trois mots de passe")
	b := newTab(t, a)

	b.open("/join?lang=fr")
	if lang := b.eval(`document.documentElement.lang`); lang != "fr-CA" {
		t.Fatalf("the join form is in %q", lang)
	}
	b.typeIn("#name", "Acme Québec inc.")
	b.typeIn("#website", "https://acme-quebec.example")
	b.typeIn("#region", "Laval") // a closed list takes typing too
	b.typeIn("#contact_name", "Marie Tremblay")
	b.typeIn("#contact_email", "marie@acme-quebec.example")
	b.click("#consent_public")
	if b.eval(`String(document.querySelector("#consent_public").checked)`) != "true" {
		t.Fatal("clicking the consent did not tick it")
	}
	b.click(`main form button[type=submit]`)
	b.waitFor("the thanks page", `location.pathname === "/join/ok"`)
	b.says("main h1", "Demande reçue")
	b.says("main [role=status]", "Merci\u202f! L’équipe de la campagne examinera votre demande et vous écrira.")

	ms, _, err := a.store.ListMembers(context.Background(), registry.MemberFilter{Status: registry.StatusPending, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 {
		t.Fatalf("%d pending after the form", len(ms))
	}
	m := ms[0]
	if m.Name != "Acme Québec inc." || m.Website != "https://acme-quebec.example" || m.Region != "Laval" ||
		m.ContactName != "Marie Tremblay" || m.ContactEmail != "marie@acme-quebec.example" || !m.ConsentPublic {
		t.Fatalf("saved %+v", m)
	}
	id := itoa(m.ID)

	b.signIn("julie@technopolys.example", "trois mots de passe", "Julie Gagnon")
	b.click(`nav.console a[href^="/admin/queue"]`)
	b.waitFor("the queue", `location.pathname === "/admin/queue" && document.querySelector("#m`+id+` h2").innerText === "Acme Québec inc."`)
	b.click(`#m` + id + ` form[action*="/approve"] button`)
	b.waitFor("the queue after approving", `new URLSearchParams(location.search).get("done") === "approve"`)
	b.says(".notice", "«\u00a0Acme Québec inc.\u00a0» est approuvée.")
	b.says("main .lead", "Aucune demande en attente.")
	m = a.member(t, m.ID)
	if m.Status != registry.StatusApproved || m.Slug == "" {
		t.Fatalf("after the click: %s, slug %q", m.Status, m.Slug)
	}
	slug := m.Slug

	b.open("/members/" + slug + "?lang=fr")
	b.says("#member-name", "Acme Québec inc.")
	b.says(".seal", "✓ Membre vérifié")

	b.open("/admin/members/" + id + "?lang=fr")
	b.says("main h1", "Acme Québec inc.")
	b.retype("#name", "Acme Québec Technologies")
	b.click(`form[action*="/edit"] button[type=submit]`)
	b.waitFor("the member page after saving", `new URLSearchParams(location.search).get("done") === "edit"`)
	b.says(".notice", "Fiche enregistrée.")
	b.says("main h1", "Acme Québec Technologies")
	if m := a.member(t, m.ID); m.Name != "Acme Québec Technologies" || m.Slug != slug || m.Website != "https://acme-quebec.example" ||
		m.Region != "Laval" || !m.ConsentPublic {
		t.Fatalf("after the edit: %+v", m)
	}

	res := a.do(t, "GET", "/badge/"+slug+".svg", "")
	wantStatus(t, res, http.StatusOK)
	title := svgTitle.FindStringSubmatch(res.Body)
	if title == nil || !strings.Contains(title[1], "Acme Québec Technologies") || strings.Contains(res.Body, "Acme Québec inc.") {
		t.Errorf("the badge after the edit: %s", res.Body)
	}
	if !strings.Contains(res.Body, `aria-label="`) || !strings.Contains(res.Body[strings.Index(res.Body, `aria-label="`):], "Acme Québec Technologies") {
		t.Errorf("the badge's aria-label after the edit: %s", res.Body)
	}
	b.open("/members/" + slug + "?lang=fr")
	b.says("#member-name", "Acme Québec Technologies")
}

// TestRejectReinstateCreateEventInTheBrowser: staff reject a request with a
// reason from the list and another with a typed one, revoke a member and
// reinstate it (same page, same date), and create an event, then try its
// code again.
func TestRejectReinstateCreateEventInTheBrowser(t *testing.T) {
	a := newApp(t)
	staffWithPassword(t, a, "julie@technopolys.example", "Julie Gagnon", "trois mots de passe")
	listed := a.join(t, "Refus Liste", 1)
	typed := a.join(t, "Refus Tapé", 2)
	kept := a.join(t, "Gardée inc.", 3)
	slug := a.approve(t, kept)
	since := a.member(t, kept).ApprovedAt
	b := newTab(t, a)
	b.signIn("julie@technopolys.example", "trois mots de passe", "Julie Gagnon")

	// A reason from the list: not the first, which is chosen already.
	b.open("/admin/queue?lang=fr")
	b.says("main .lead", "2 demandes en attente, les plus anciennes d\u2019abord.")
	b.typeIn("#reason-"+itoa(listed), "Entreprise introuvable")
	b.click(`#m` + itoa(listed) + ` form[action*="/reject"] button`)
	b.waitFor("the queue after the first rejection", `new URLSearchParams(location.search).get("done") === "reject"`)
	b.says(".notice", "«\u00a0Refus Liste\u00a0» est refusée.")
	if m := a.member(t, listed); m.Status != registry.StatusRejected || m.Reason != "Entreprise introuvable" {
		t.Errorf("rejected from the list: %s, reason %q", m.Status, m.Reason)
	}

	// A typed reason wins over the list's.
	b.says("main .lead", "1 demande en attente, la plus ancienne d\u2019abord.")
	b.typeIn("#other-"+itoa(typed), "Aucune activité au Québec depuis 2019")
	b.click(`#m` + itoa(typed) + ` form[action*="/reject"] button`)
	b.waitFor("the queue after the second rejection", `new URLSearchParams(location.search).get("done") === "reject" && !document.querySelector("#m`+itoa(typed)+`")`)
	b.says(".notice", "«\u00a0Refus Tapé\u00a0» est refusée.")
	b.says("main .lead", "Aucune demande en attente.")
	if m := a.member(t, typed); m.Status != registry.StatusRejected || m.Reason != "Aucune activité au Québec depuis 2019" {
		t.Errorf("rejected with a typed reason: %s, reason %q", m.Status, m.Reason)
	}

	// Revoked days later, then reinstated: the same page, the same date.
	b.open("/members/" + slug + "?lang=fr")
	b.says("#member-name", "Gardée inc.")
	sinceText := b.eval(`document.querySelector("article.verified dd time").innerText + " " + document.querySelector("article.verified dd time").dateTime`)
	a.clock.Advance(3 * 24 * time.Hour) // the session has ended meanwhile
	b.signIn("julie@technopolys.example", "trois mots de passe", "Julie Gagnon")
	b.open("/admin/members/" + itoa(kept) + "?lang=fr")
	b.says("main dl dd", "approuvée")
	b.typeIn("#reason-revoke", "Ne fait plus d\u2019affaires au Québec")
	b.click(`form[action*="/revoke"] button[type=submit]`)
	b.waitFor("the member page after revoking", `new URLSearchParams(location.search).get("done") === "revoke"`)
	b.says(".notice", "Fait.")
	b.says("main dl dd", "révoquée")
	if m := a.member(t, kept); m.Status != registry.StatusRevoked || m.Reason != "Ne fait plus d\u2019affaires au Québec" {
		t.Errorf("revoked: %s, reason %q", m.Status, m.Reason)
	}
	b.open("/members/" + slug + "?lang=fr")
	b.waitFor("the verification page of a revoked member", `document.body.innerText.includes("Cette entreprise n’est plus membre de technopolys.") && !document.querySelector("#member-name")`)

	a.clock.Advance(2 * 24 * time.Hour)
	b.signIn("julie@technopolys.example", "trois mots de passe", "Julie Gagnon")
	b.open("/admin/members/" + itoa(kept) + "?lang=fr")
	b.click(`form[action*="/reinstate"] button[type=submit]`)
	b.waitFor("the member page after reinstating", `new URLSearchParams(location.search).get("done") === "reinstate"`)
	b.says(".notice", "Fait.")
	b.says("main dl dd", "approuvée")
	if m := a.member(t, kept); m.Status != registry.StatusApproved || m.Slug != slug || !m.ApprovedAt.Equal(since) {
		t.Errorf("reinstated: %s, slug %q (was %q), approved %s (was %s)", m.Status, m.Slug, slug, m.ApprovedAt, since)
	}
	b.open("/members/" + slug + "?lang=fr")
	b.says("#member-name", "Gardée inc.")
	if got := b.eval(`document.querySelector("article.verified dd time").innerText + " " + document.querySelector("article.verified dd time").dateTime`); got != sinceText {
		t.Errorf("member since %q after reinstating, was %q", got, sinceText)
	}

	// An event from the form, then its code again.
	b.open("/admin/events?lang=fr")
	b.says("main > p", "Aucun événement pour l\u2019instant.")
	b.typeIn("#code", "salon-2027")
	b.typeIn("#name_fr", "Salon techno de Québec")
	b.typeIn("#name_en", "Québec tech fair")
	b.typeDate("#starts_on", "2027-03-15")
	b.typeIn("#place", "Centre des congrès")
	b.click(`form[action^="/admin/events?"] button[type=submit]`)
	b.waitFor("the events after creating one", `new URLSearchParams(location.search).get("done") === "created"`)
	b.says(".notice", "Événement créé.")
	b.says(".cards .card h2", "Salon techno de Québec")
	b.says(".cards .card .funnel", "0 scan → 0 demande → 0 membre")
	if e, err := a.store.FindEvent(context.Background(), "salon-2027"); err != nil || e.NameEN != "Québec tech fair" || e.StartsOn != "2027-03-15" || e.Place != "Centre des congrès" {
		t.Errorf("created %+v, %v", e, err)
	}

	b.typeIn("#code", "salon-2027")
	b.typeIn("#name_fr", "Un autre salon")
	b.typeIn("#name_en", "Another fair")
	b.typeDate("#starts_on", "2027-04-02")
	b.typeIn("#place", "Palais des congrès")
	b.click(`form[action^="/admin/events?"] button[type=submit]`)
	b.waitFor("the events after a taken code", `document.querySelector("[role=alert]")`)
	b.says("[role=alert]", "Ce code d’événement est déjà utilisé.")
	for sel, want := range map[string]string{"#code": "salon-2027", "#name_fr": "Un autre salon", "#name_en": "Another fair", "#starts_on": "2027-04-02", "#place": "Palais des congrès"} {
		if got := b.eval(`document.querySelector(` + jsString(sel) + `).value`); got != want {
			t.Errorf("%s holds %q after the taken code, want %q", sel, got, want)
		}
	}
	if n := b.eval(`String(document.querySelectorAll(".cards .card").length)`); n != "1" {
		t.Errorf("%s events listed after the taken code", n)
	}
}

// typeDate types the day iso (YYYY-MM-DD) into the date field sel, its
// parts in the order the browser's locale shows them.
func (b *tab) typeDate(sel, iso string) {
	b.t.Helper()
	y, md, _ := strings.Cut(iso, "-")
	m, d, _ := strings.Cut(md, "-")
	order := b.eval(`new Intl.DateTimeFormat(undefined, {year: "numeric", month: "2-digit", day: "2-digit"}).formatToParts(new Date(2027, 2, 15))
		.filter(p => p.type !== "literal").map(p => p.type).join(" ")`)
	var keys []string
	for _, part := range strings.Fields(order) {
		keys = append(keys, map[string]string{"year": y, "month": m, "day": d}[part])
	}
	b.run(chromedp.SendKeys(chromedp.CSS(sel), strings.Join(keys, "-")))
	if got := b.eval(`document.querySelector(` + jsString(sel) + `).value`); got != iso {
		b.t.Fatalf("typed %s into %s (%s), it holds %q", iso, sel, order, got)
	}
}

// TestImportInTheBrowser: staff upload a semicolon file in Windows-1252 as
// Excel saves it in fr-CA, with one bad line: the preview names the line,
// offers no confirmation, and nothing is written; they upload the
// corrected file, read the preview and confirm: the members are there,
// accents intact.
func TestImportInTheBrowser(t *testing.T) {
	a := newApp(t)
	staffWithPassword(t, a, "julie@technopolys.example", "Julie Gagnon", "trois mots de passe")
	b := newTab(t, a)
	b.signIn("julie@technopolys.example", "trois mots de passe", "Julie Gagnon")
	excel := func(name, s string) string {
		enc, err := charmap.Windows1252.NewEncoder().Bytes([]byte(strings.ReplaceAll(s, "\n", "\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, enc, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	header := "nom;site_web;région;courriel;consentement\n"
	bad := excel("membres.csv", header+"Acme Québec;https://acme.example;Montréal;info@acme.example;oui\nBêta;pas un site;Laval;;non\n")
	good := excel("membres-corrigé.csv", header+"Acme Québec;https://acme.example;Montréal;info@acme.example;oui\nBêta l’Érable;https://beta.example;Laval;;non\n")

	b.click(`nav.console a[href^="/admin/import"]`)
	b.waitFor("the import page", `location.pathname === "/admin/import" && !!document.querySelector("#file")`)
	b.run(chromedp.SetUploadFiles("#file", []string{bad}))
	b.click(`form:has(#file) button[type=submit]`)
	b.waitFor("the preview of the bad file", `!!document.querySelector("[role=alert] li")`)
	b.says("[role=alert] li", "Ligne 3, site web\u00a0: l’adresse doit commencer par http:// ou https://.")
	if b.eval(`document.querySelector("form[action^='/admin/import/confirm']") ? "yes" : "no"`) != "no" {
		t.Error("a file with a bad line can be confirmed")
	}
	if _, total, _ := a.store.ListMembers(context.Background(), registry.MemberFilter{}); total != 0 {
		t.Fatalf("the preview wrote %d members", total)
	}

	b.run(chromedp.SetUploadFiles("#file", []string{good}))
	b.click(`form:has(#file) button[type=submit]`)
	b.waitFor("the preview of the good file", `!!document.querySelector("form[action^='/admin/import/confirm']")`)
	b.says("p.lead", "2 membres à importer · encodage Windows-1252, séparateur point-virgule")
	b.click(`form[action^="/admin/import/confirm"] button[type=submit]`)
	b.waitFor("the notice after the import", `new URLSearchParams(location.search).get("done") === "2"`)
	b.says(".notice", "2 membres importés.")
	ms, total, err := a.store.ListMembers(context.Background(), registry.MemberFilter{Status: registry.StatusApproved, Limit: 10})
	if err != nil || total != 2 || ms[1].Name != "Bêta l’Érable" || ms[0].Region != "Montréal" {
		t.Fatalf("after the import: %d members %v", total, err)
	}
}
