package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/testenv"
)

// newBrowser starts headless Chromium with the flags this machine needs,
// for a minute at most.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserFor(t, 60*time.Second)
}

// newBrowserFor is newBrowser for a test that needs longer (TestScreenshots
// visits every page, in both languages, at two or three widths).
func newBrowserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(testenv.Chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("force-prefers-reduced-motion", true), chromedp.Flag("lang", "fr-CA"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancel(); cancelCtx(); cancelAlloc() })
	return ctx
}

// TestStaffApprovesFromTheConsole: a staff member signs in with the
// account's form, sees the pending request in the console and approves it
// with one click; the audit log names them.
func TestStaffApprovesFromTheConsole(t *testing.T) {
	a := newApp(t)
	staffWithPassword(t, a, "julie@technopolys.example", "Julie Gagnon", "trois mots de passe")
	id := a.join(t, "Acme Québec", 1)
	ctx := newBrowser(t)
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	waitFor := func(js string) {
		t.Helper()
		for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
			// Between two pages there is no document to ask: try again.
			if s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js)); err == nil && s == "yes" {
				return
			}
		}
		t.Fatalf("never true: %s\npage: %s", js, eval(`document.body.innerText`))
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/admin?lang=fr")); err != nil {
		t.Fatal(err)
	}
	waitFor(`location.pathname === "/admin/signin" ? "yes" : "no"`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#email", "julie@technopolys.example"), chromedp.SendKeys("#password", "trois mots de passe"),
		chromedp.Submit("#password")); err != nil {
		t.Fatal(err)
	}
	waitFor(`document.body && document.body.innerText.includes("Julie Gagnon") && document.querySelector("a[href^='/admin/queue']") ? "yes" : "no"`)
	eval(`document.querySelector("a[href^='/admin/queue']").click(), "clicked"`)
	waitFor(`document.body && document.body.innerText.includes("Acme Québec") && location.pathname === "/admin/queue" ? "yes" : "no"`)
	eval(`[...document.querySelectorAll(".cards button")].find(b => b.textContent.startsWith("Approuver")).click(), "clicked"`)
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		m, err := a.store.FindMember(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status == registry.StatusApproved {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("not approved after the click: %s; page: %s", m.Status, eval(`document.body.innerText`))
		}
	}
	audit := a.adminDo(t, "GET", "/api/v1/admin/audit?member="+itoa(id), "")
	if !strings.Contains(audit.Body, `"actor": "Julie Gagnon"`) {
		t.Errorf("audit: %s", audit.Body)
	}
}

// TestCounterOnAnotherOriginFollowsApprovals: a page on another origin
// embeds counter.js; when staff approve a member, the number on that page
// changes within 2 s, in an accessible live region, and nothing else on
// the page is touched.
func TestCounterOnAnotherOriginFollowsApprovals(t *testing.T) {
	exe := testenv.Chromium(t)
	a := newApp(t)
	a.approve(t, a.join(t, "First", 1))
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><body><h1 id="title">Partner site</h1>
<div id="fr" data-technopolys-counter data-lang="fr"></div>
<div id="laval" data-technopolys-counter data-lang="en" data-region="laval"></div>
<div id="laval-fr" data-technopolys-counter data-lang="fr" data-region="Laval"></div>
<div id="capitale" data-technopolys-counter data-lang="fr" data-region="Capitale-Nationale"></div>
<div id="saguenay" data-technopolys-counter data-lang="en" data-region="Saguenay–Lac-Saint-Jean"></div>
<script src="%s/embed/counter.js" async></script></body></html>`, a.URL)
	}))
	defer host.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("force-prefers-reduced-motion", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	text := func(id string) string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("`+id+`").textContent`))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(s)
	}
	waitFor := func(id, want string, within time.Duration) time.Duration {
		start := time.Now()
		for time.Since(start) < within {
			if text(id) == want {
				return time.Since(start)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("#%s says %q after %s, want %q", id, text(id), within, want)
		return 0
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(host.URL)); err != nil {
		t.Fatal(err)
	}
	waitFor("fr", "1\u00a0entreprise membre", 10*time.Second)
	waitFor("laval", "0\u00a0member companies", 2*time.Second)
	// Regions by name as well as by key; French says the singular below 2.
	waitFor("laval-fr", "0\u00a0entreprise membre", 2*time.Second)
	waitFor("capitale", "0\u00a0entreprise membre", 2*time.Second)
	waitFor("saguenay", "0\u00a0member companies", 2*time.Second)

	region, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(e => e.getAttribute("role") + " " + e.getAttribute("aria-live"))(document.getElementById("fr"))`))
	if err != nil {
		t.Fatal(err)
	}
	if role, live, _ := strings.Cut(region, " "); role != "status" || live != "polite" {
		t.Errorf("live region: role %q, aria-live %q", role, live)
	}

	// A new member in Montréal, then one in Laval.
	a.approve(t, a.join(t, "Second", 2))
	took := waitFor("fr", "2\u00a0entreprises membres", 2*time.Second)
	t.Logf("the page showed the new count %s after the approval answered", took)
	body := strings.Replace(joinJSON("Third", 3), "Montréal", "Laval", 1)
	wantStatus(t, a.do(t, "POST", "/api/v1/members", body), http.StatusCreated)
	a.approve(t, 3)
	waitFor("laval", "1\u00a0member company", 2*time.Second)
	waitFor("laval-fr", "1\u00a0entreprise membre", 2*time.Second)
	if got := text("title"); got != "Partner site" {
		t.Errorf("the host page changed: %q", got)
	}
}

// TestScreenshots photographs every public page and console page in both
// languages at 1280 and 360 px, into $TECHNOPOLYS_SCREENSHOTS (by default a
// folder under the system's temporary directory, named in the log), for
// people to look at. Each page must be in its language, must not scroll
// sideways at 360 px, and axe-core (npm, injected into the page) must find
// no serious or critical violation on it.
func TestScreenshots(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	slug := a.approve(t, a.join(t, "Acme Québec inc.", 1))
	a.join(t, "Entreprise au nom particulièrement long pour voir les cartes", 2)
	gone := a.join(t, "Ancienne Entreprise", 3)
	goneSlug := a.approve(t, gone)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(gone)+"/revoke", `{"reason":"test"}`), http.StatusOK)
	for _, r := range []*registry.MemberRequest{{MemberID: 1, Kind: registry.RequestChange, Name: "Acme Québec inc., division des logiciels libres",
		Website: "https://www.un-site-au-nom-vraiment-tres-long-pour-voir-le-retour.example"}, {MemberID: 1, Kind: registry.RequestDeletion}} {
		if err := a.store.CreateRequest(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	staffWithPassword(t, a, "julie@technopolys.example", "Julie Gagnon", "une phrase de passe")
	old, err := registry.NewEvent{Code: "salon-2025", NameFR: "Salon techno 2025", NameEN: "Tech fair 2025", StartsOn: "2025-12-04"}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.store.CreateEvent(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.ArchiveEvent(context.Background(), "salon-2025", true); err != nil {
		t.Fatal(err)
	}
	if err := a.store.RecordEmbeds(context.Background(), []registry.EmbedCount{{MemberID: 1, Site: "www.company-1.example", Views: 1234},
		{MemberID: 1, Site: "un-site-au-nom-vraiment-tres-long-pour-voir-le-retour-a-la-ligne.partenaire.example", Views: 1}}); err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("TECHNOPOLYS_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "technopolys-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	axe := axeSource(t)
	var weights strings.Builder
	defer func() {
		t.Logf("page weights:\n%s", weights.String())
		os.WriteFile(filepath.Join(dir, "weights.txt"), []byte(weights.String()), 0o644)
	}()
	ctx := newBrowserFor(t, 5*time.Minute)
	if axe != "" { // axe must see a fault where there is one, or its silence means nothing
		bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<!doctype html><html lang="fr"><title>x</title><main><img src="/x.png"><button></button></main></html>`)
		}))
		defer bad.Close()
		if err := chromedp.Do(ctx, chromedp.Navigate(bad.URL)); err != nil {
			t.Fatal(err)
		}
		if v := axeViolations(t, ctx, axe); len(v) < 2 {
			t.Fatalf("axe-core found %v on a page with an image without alt and an empty button", v)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/admin/signin?lang=fr"), chromedp.SendKeys("#email", "julie@technopolys.example"),
		chromedp.SendKeys("#password", "une phrase de passe"), chromedp.Submit("#password"), chromedp.WaitVisible(".tasks")); err != nil {
		t.Fatal(err)
	}
	pages := [][2]string{{"home", "/"}, {"join", "/join?event=salon-2026"}, {"members", "/members"}, {"member", "/members/" + slug},
		{"signin", "/admin/signin"}, {"console", "/admin"}, {"queue", "/admin/queue"}, {"staff-member", "/admin/members/1"},
		{"events", "/admin/events"}, {"staff-event", "/admin/events/salon-2026"}, {"audit", "/admin/audit"},
		{"staff-members", "/admin/members"}, {"import", "/admin/import"}, {"figures", "/admin/figures"},
		{"outbox", "/admin/outbox"}, {"requests", "/admin/requests"},
		{"confirm", a.receiptLink(t, a.member(t, 2))}, {"confirm-unknown", "/join/confirm/UNKNOWN"},
		{"account-signin", "/account/signin"}, {"account-link", "/account/signin/ABC"}, {"account", "/account"}, {"account-badge", "/account/badge"},
		{"privacy", "/privacy"}, {"members-search", "/members?q=acme"}, {"member-gone", "/members/" + goneSlug},
		{"member-unknown", "/members/nobody"}, {"not-found", "/nowhere"}}
	// The public pages are tried at 320 px too, the narrowest phone still
	// sold.
	public := map[string]bool{"home": true, "join": true, "members": true, "member": true, "privacy": true, "members-search": true,
		"member-gone": true, "member-unknown": true, "not-found": true}
	// The member area's pages need the member signed in too (its cookie
	// is the area's alone, beside the staff's).
	askLink(t, a, "marie@company-1.example")
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+mailedLink(t, a)), chromedp.Click("main form button"),
		chromedp.WaitVisible("nav.area")); err != nil {
		t.Fatal(err)
	}
	for _, pp := range pages {
		page, path := pp[0], pp[1]
		for _, lang := range []string{"fr", "en"} {
			widths := []int64{1280, 360}
			if public[page] {
				widths = append(widths, 320)
			}
			for _, width := range widths {
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(a.URL+path+sep+"lang="+lang)); err != nil {
					t.Fatalf("%s %s %d: %v", page, lang, width, err)
				}
				htmlLang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
				if err != nil {
					t.Fatal(err)
				}
				scroll, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
				if err != nil {
					t.Fatal(err)
				}
				weight, err := chromedp.Run(ctx, chromedp.Evaluate[int](`performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
					.reduce((n, e) => n + e.encodedBodySize, 0)`))
				if err != nil {
					t.Fatal(err)
				}
				if width == 1280 {
					fmt.Fprintf(&weights, "%-8s %s  %6d bytes (the page and all it loads: stylesheet, scripts, images; as sent)\n", page, lang, weight)
				}
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // PNG
				if err != nil {
					t.Fatal(err)
				}
				if htmlLang != lang+"-CA" {
					t.Errorf("%s in %s: <html lang=%q>", page, lang, htmlLang)
				}
				if width <= 360 && scroll {
					t.Errorf("%s in %s scrolls sideways at %d px", page, lang, width)
				}
				if axe != "" {
					for _, v := range axeViolations(t, ctx, axe) {
						t.Errorf("%s in %s at %d px: %s", page, lang, width, v)
					}
				}
				file := filepath.Join(dir, page+"-"+lang+"-"+strconv.FormatInt(width, 10)+".png")
				if err := os.WriteFile(file, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// axeSource reads axe-core's script from $TECHNOPOLYS_TEST_AXE (.ci/run
// installs the npm package and sets it). Without it the accessibility
// checks are skipped, except under CI=true, where the test fails.
func axeSource(t *testing.T) string {
	path := os.Getenv("TECHNOPOLYS_TEST_AXE")
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TECHNOPOLYS_TEST_AXE must name axe.min.js under CI=true (.ci/run installs axe-core)")
		}
		t.Log("axe-core not given (TECHNOPOLYS_TEST_AXE): accessibility not checked")
		return ""
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axeViolations runs axe-core on the page and returns its serious and
// critical violations, each with the first elements it names.
func axeViolations(t *testing.T, ctx context.Context, axe string) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return out
}

// TestKeyboardOnly joins and approves without a mouse: the skip link, then
// Tab from field to field of the join form, typing, Space on the consent,
// Enter to send; then, signed in, Tab through the queue to "Approuver" and
// Enter.
func TestKeyboardOnly(t *testing.T) {
	a := newApp(t)
	staffWithPassword(t, a, "julie@technopolys.example", "Julie Gagnon", "une phrase de passe")
	ctx := newBrowser(t)
	focused := func() string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(e => e.id || e.textContent.trim())(document.activeElement)`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	key := func(k string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/join?lang=fr")); err != nil {
		t.Fatal(err)
	}
	key("\t")
	if got := focused(); got != "Aller au contenu" {
		t.Fatalf("first Tab reaches %q, want the skip link", got)
	}
	key("\r") // to the content
	for _, step := range []struct{ field, typed string }{
		{"name", "Clavier inc."}, {"website", "https://clavier.example"}, {"region", "Laval"},
		{"contact_name", "Luc Roy"}, {"contact_email", "luc@clavier.example"}, {"consent_public", " "},
	} {
		key("\t")
		if got := focused(); got != step.field {
			t.Fatalf("Tab reaches %q, want %q", got, step.field)
		}
		key(step.typed)
	}
	key("\t")
	if got := focused(); got != "Ce que nous faisons de ces renseignements" {
		t.Fatalf("Tab after the consent reaches %q, want the privacy notice\u2019s link", got)
	}
	key("\t")
	key("\r") // the submit button
	waitUntil(t, func() bool {
		ms, _, err := a.store.ListMembers(context.Background(), registry.MemberFilter{Status: registry.StatusPending, Limit: 10})
		return err == nil && len(ms) == 1 && ms[0].Name == "Clavier inc." && ms[0].Region == "Laval" && ms[0].ConsentPublic
	}, "the keyboard join was not saved")
	waitUntil(t, func() bool { // the thanks page, before going elsewhere
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname : ""`))
		return err == nil && s == "/join/ok"
	}, "no thanks page after the keyboard join")

	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/admin/signin?lang=fr")); err != nil {
		t.Fatal(err)
	}
	for focused() != "email" {
		key("\t")
	}
	key("julie@technopolys.example\tune phrase de passe\r")
	waitUntil(t, func() bool {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname : ""`))
		return err == nil && s == "/admin"
	}, "signing in by keyboard did not open the console")
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/admin/queue?lang=fr")); err != nil {
		t.Fatal(err)
	}
	for i := 0; !strings.HasPrefix(focused(), "Approuver"); i++ {
		if i > 40 {
			t.Fatal("Tab never reaches the approve button")
		}
		key("\t")
	}
	key("\r")
	waitUntil(t, func() bool {
		m, err := a.store.FindMember(context.Background(), 1)
		return err == nil && m.Status == registry.StatusApproved
	}, "Enter on « Approuver » did not approve")
}

func waitUntil(t *testing.T, ok func() bool, failure string) {
	t.Helper()
	for start := time.Now(); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatal(failure)
		}
	}
}
