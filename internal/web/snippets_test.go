package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// snippetCode is the code of the verification page's snippet id, as a
// member copies it from the textarea.
func snippetCode(t *testing.T, page, id string) string {
	t.Helper()
	_, after, ok := strings.Cut(page, `<textarea id="snippet-`+id+`"`)
	if !ok {
		t.Fatalf("no %s snippet", id)
	}
	_, after, _ = strings.Cut(after, ">")
	code, _, _ := strings.Cut(after, "</textarea>")
	return html.UnescapeString(code)
}

var (
	imgTag  = regexp.MustCompile(`<img src="([^"]*)"(?: srcset="([^"]*)")? alt="[^"]*" width="(\d+)" height="(\d+)">`)
	srcsets = regexp.MustCompile(`srcset="([^"]*)"`)
)

// TestMemberChoosesTheirBadge: every style, theme and language offered in
// the member area's badge page gives snippets whose images answer with the chosen
// variant, at the width and height the snippets say; a choice the page does
// not offer falls back to the defaults.
func TestMemberChoosesTheirBadge(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme Québec inc.", 1))
	base := "/account/badge"
	cookie, _ := memberSignedIn(t, a, "marie@company-1.example")
	fetch := func(abs string) response {
		t.Helper()
		path, ok := strings.CutPrefix(html.UnescapeString(abs), "https://technopolys.example")
		if !ok {
			t.Fatalf("snippet URL %q is not ours", abs)
		}
		return a.do(t, "GET", path, "")
	}
	for _, style := range []string{"flat", "flat-square", "plastic", "for-the-badge"} {
		for _, theme := range []string{"light", "dark", "auto"} {
			for _, lang := range []string{"fr", "en"} {
				name := style + "/" + theme + "/" + lang
				page := a.do(t, "GET", base+"?lang=fr&style="+style+"&theme="+theme+"&badge_lang="+lang, "", "Cookie", cookie)
				wantStatus(t, page, http.StatusOK)
				for _, sel := range []string{`<option value="` + style + `" selected>`, `<option value="` + theme + `" selected>`, `<option value="` + lang + `" selected>`} {
					if !strings.Contains(page.Body, sel) {
						t.Errorf("%s: the form does not show %s", name, sel)
					}
				}
				url := snippetCode(t, page.Body, "url")
				if !strings.Contains(url, "lang="+lang) || (style != "flat") != strings.Contains(url, "style="+style) || (theme != "light") != strings.Contains(url, "theme="+theme) {
					t.Errorf("%s: URL %s", name, url)
				}
				if md := snippetCode(t, page.Body, "md"); !strings.Contains(md, "]("+url+")]") {
					t.Errorf("%s: Markdown %s does not show %s", name, md, url)
				}
				m := imgTag.FindStringSubmatch(snippetCode(t, page.Body, "html"))
				if m == nil || html.UnescapeString(m[1]) != url {
					t.Fatalf("%s: HTML snippet %q, want an <img> of %s", name, snippetCode(t, page.Body, "html"), url)
				}
				res := fetch(m[1])
				wantStatus(t, res, http.StatusOK)
				if ct := res.Header.Get("Content-Type"); ct != "image/svg+xml" {
					t.Errorf("%s: %s", name, ct)
				}
				svg := parseSVG(t, res.Body)
				if svg.Width != m[3] || svg.Height != m[4] || svg.Lang != lang {
					t.Errorf("%s: SVG %s×%s in %s, snippet says %s×%s", name, svg.Width, svg.Height, svg.Lang, m[3], m[4])
				}
				if theme == "auto" && !strings.Contains(res.Body, "prefers-color-scheme") {
					t.Errorf("%s: an automatic SVG without a dark scheme", name)
				}

				// <picture>: dark and light PNGs, at 1x and 2x, of the same size.
				pic := snippetCode(t, page.Body, "picture")
				pm := imgTag.FindStringSubmatch(pic)
				if pm == nil || pm[3] != m[3] || pm[4] != m[4] || !strings.Contains(pic, `(prefers-color-scheme: dark)`) {
					t.Fatalf("%s: picture snippet %s", name, pic)
				}
				var pngs []string
				for _, set := range srcsets.FindAllStringSubmatch(pic, -1) {
					for _, src := range strings.Split(html.UnescapeString(set[1]), ", ") {
						pngs = append(pngs, src)
					}
				}
				pngs = append(pngs, html.UnescapeString(pm[1]))
				if len(pngs) != 4 || strings.Count(pic, "theme=dark") != 2 {
					t.Fatalf("%s: %d PNG sources in %s", name, len(pngs), pic)
				}
				w, _ := strconv.Atoi(m[3])
				h, _ := strconv.Atoi(m[4])
				for _, src := range pngs {
					u, scale := strings.CutSuffix(src, " 2x")
					if strings.Contains(u, "theme=auto") || !strings.Contains(u, "lang="+lang) || (style != "flat") != strings.Contains(u, "style="+style) {
						t.Errorf("%s: PNG source %s", name, u)
					}
					res := fetch(u)
					wantStatus(t, res, http.StatusOK)
					if ct := res.Header.Get("Content-Type"); ct != "image/png" {
						t.Errorf("%s: %s is %s", name, u, ct)
					}
					k := 1
					if scale {
						k = 2
					}
					if gw, gh := decodeSize(t, res.Body); gw != k*w || gh != k*h {
						t.Errorf("%s: %s is %d×%d, want %d×%d", name, u, gw, gh, k*w, k*h)
					}
				}
			}
		}
	}

	// Anything the form does not offer gives the defaults, never an error;
	// the page's own lang stays the page's.
	for _, q := range []string{"style=pink", "theme=sepia&style=flat", "badge_lang=de", "style=%ff&theme=&badge_lang=x", "style=flat&style=plastic&lang=fr"} {
		page := a.do(t, "GET", base+"?lang=fr&"+q, "", "Cookie", cookie)
		wantStatus(t, page, http.StatusOK)
		if url := snippetCode(t, page.Body, "url"); url != "https://technopolys.example/badge/"+slug+".svg?lang=fr" {
			t.Errorf("%s: URL %s, want the default", q, url)
		}
	}
	page := a.do(t, "GET", base+"?lang=en&badge_lang=fr", "", "Cookie", cookie)
	if !strings.Contains(page.Body, `<html lang="en-CA"`) || snippetCode(t, page.Body, "url") != "https://technopolys.example/badge/"+slug+".svg?lang=fr" {
		t.Errorf("an English page offering the French badge: %s", snippetCode(t, page.Body, "url"))
	}
}
