package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestWallOnAnotherOriginFollowsApprovals: a partner's page on another
// origin embeds wall.js; the wall lists the listed members newest first as
// links to their verification pages, inside its own shadow root; when
// staff approve a member through the admin API, the new name comes first,
// announced politely, without animation under reduced motion, and nothing
// else on the page is touched. The page is photographed at 1280 and 360 px
// in both languages, and axe finds no serious or critical violation.
func TestWallOnAnotherOriginFollowsApprovals(t *testing.T) {
	a := newApp(t)
	a.approve(t, a.joinAs(t, "Acme Québec inc.", 1, "Montréal", true))
	a.approve(t, a.joinAs(t, "Bêta Laval", 2, "Laval", true))
	a.approve(t, a.joinAs(t, "Discrète", 3, "Laval", false))
	gamma := a.joinAs(t, "Gamma & fils <Laval>", 4, "Laval", true)
	var visits atomic.Int64
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A cache buster per visit, so the image is the current wall and
		// not the browser's copy: the server ignores it (one cache entry).
		v := visits.Add(1)
		l := r.URL.Query().Get("lang")
		title := map[string]string{"fr": "Site partenaire", "en": "Partner site"}[l]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="%[1]s"><head><meta name="viewport" content="width=device-width">
<title>%[2]s</title><style>body{font-family:sans-serif;margin:1em}img{max-width:100%%;height:auto}</style></head>
<body><main><h1 id="title">%[2]s</h1>
<div id="wall" data-technopolys-wall data-lang="%[1]s"></div>
<h2>Laval</h2>
<div id="laval" data-technopolys-wall data-lang="%[1]s" data-region="Laval" data-limit="5"></div>
<h2>SVG</h2>
<img src="%[3]s/widget/wall.svg?lang=%[1]s&amp;columns=3&amp;v=%[4]d" alt="">
<noscript><img src="%[3]s/widget/wall.svg?lang=%[1]s" alt="%[2]s"></noscript>
<script src="%[3]s/embed/wall.js" async></script></main></body></html>`, l, title, a.URL, v)
	}))
	defer host.Close()
	b := newTab(t, a)
	names := func(id string) string {
		return `[...document.getElementById("` + id + `").shadowRoot.querySelectorAll("li a")].map(e => e.textContent).join("|")`
	}

	b.run(chromedp.Navigate(host.URL + "?lang=fr"))
	b.waitFor("the wall lists the listed members", names("wall")+` === "Bêta Laval|Acme Québec inc."`)
	b.waitFor("the Laval wall", names("laval")+` === "Bêta Laval"`)
	if got := b.eval(`document.getElementById("wall").shadowRoot.querySelector("li a").href`); got != "https://technopolys.example/members/beta-laval" {
		t.Errorf("link to %q", got)
	}
	if got := b.eval(`document.getElementById("wall").shadowRoot.querySelector("ul").getAttribute("aria-label")`); got != "Membres de technopolys" {
		t.Errorf("list named %q", got)
	}
	// The wall says whose it is and leads to the directory, in its language.
	by := `document.getElementById("wall").shadowRoot.querySelector(".by a")`
	if got := b.eval(by + `.textContent + " " + ` + by + `.href`); got != "Tous les membres de technopolys "+a.URL+"/members?lang=fr" {
		t.Errorf("the wall's own link: %q", got)
	}
	status := `document.getElementById("wall").shadowRoot.querySelector("[role=status]")`
	if got := b.eval(status + `.getAttribute("aria-live") + "|" + ` + status + `.textContent`); got != "polite|" {
		t.Errorf("live region %q before any approval", got)
	}

	a.approve(t, gamma)
	b.waitFor("the approved member first", names("wall")+` === "Gamma & fils <Laval>|Bêta Laval|Acme Québec inc."`)
	b.waitFor("the polite announcement", status+`.textContent === "Nouveau membre\u00a0: Gamma & fils <Laval>"`)
	b.waitFor("the Laval wall follows", names("laval")+` === "Gamma & fils <Laval>|Bêta Laval"`)
	if got := b.eval(`getComputedStyle(document.getElementById("wall").shadowRoot.querySelector("li.new")).animationName`); got != "none" {
		t.Errorf("under reduced motion the new tile animates: %q", got)
	}
	// Nothing outside the walls changed: no style sheet or element added.
	if got := b.eval(`document.getElementById("title").textContent + "|" + document.styleSheets.length + "|" + document.querySelectorAll("body *").length`); got != "Site partenaire|1|9" {
		t.Errorf("the host page changed: %q", got)
	}

	dir := os.Getenv("TECHNOPOLYS_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "technopolys-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	axe := axeSource(t)
	for _, l := range []string{"fr", "en"} {
		for _, width := range []int64{1280, 360} {
			b.run(chromedp.EmulateViewport(width, 800), chromedp.Navigate(host.URL+"?lang="+l))
			b.waitFor("the wall drawn", names("wall")+`.startsWith("Gamma") && document.querySelector("img").complete`)
			if width == 360 && b.eval(`String(document.documentElement.scrollWidth > window.innerWidth)`) == "true" {
				t.Errorf("the wall in %s scrolls sideways at 360 px", l)
			}
			if axe != "" {
				for _, v := range axeViolations(t, b.ctx, axe) {
					t.Errorf("wall in %s at %d px: %s", l, width, v)
				}
			}
			png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "wall-"+l+"-"+strconv.FormatInt(width, 10)+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("screenshots in %s", dir)
}
