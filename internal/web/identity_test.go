package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/web"
)

// TestVerificationPageIsASeal: the public page shows the mark, « Membre
// vérifié », since when and when it was checked, in both languages, and
// no badge kit (that is the member area's).
func TestVerificationPageIsASeal(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme Québec inc.", 1))
	for lang, want := range map[string][]string{
		"fr": {"✓ Membre vérifié", "Membre vérifié de technopolys", "Membre depuis", "Vérifié le", "25\u00a0novembre 2026",
			`aria-label="Sceau de vérification de technopolys"`, "Vous êtes ce membre\u202f?", `<a href="/account/signin?lang=fr">Votre badge est dans votre espace membre</a>`},
		"en": {"✓ Verified member", "Verified member of technopolys", "Member since", "Checked on", "November 25, 2026",
			`aria-label="technopolys verification seal"`, "Are you this member?", `<a href="/account/signin?lang=en">Your badge is in your member area</a>`},
	} {
		res := a.do(t, "GET", "/members/"+slug+"?lang="+lang, "")
		wantStatus(t, res, http.StatusOK)
		for _, w := range want {
			if !strings.Contains(res.Body, w) {
				t.Errorf("%s: the page lacks %q", lang, w)
			}
		}
		// The header draws the mark; the seal and the footer reuse it.
		if n := strings.Count(res.Body, `<path id="mark" fill="currentColor" d="M12 1.2C`); n != 1 {
			t.Errorf("%s: the mark's path is on the page %d times", lang, n)
		}
		if n := strings.Count(res.Body, `<use href="#mark"/>`); n != 2 {
			t.Errorf("%s: the mark is reused %d times (seal, footer)", lang, n)
		}
		if !strings.Contains(res.Body, `<div class="stamp" role="img" aria-label=`) {
			t.Errorf("%s: no seal", lang)
		}
		for _, kit := range []string{"badge-kit", "badge-title", "<textarea", `<img src="/badge/`, "/static/copy.js"} {
			if strings.Contains(res.Body, kit) {
				t.Errorf("%s: the public page still carries the badge kit (%s)", lang, kit)
			}
		}
	}
}

// TestErrorPagesSayWhatHappened: a revoked member's page is 410 and says
// the company is no member any more; an unknown address is 404 and says no
// member is there; any other unknown page is 404 with a way home; all in the
// visitor's language, the second time (from memory) as the first. A
// reinstated member's page comes back.
func TestErrorPagesSayWhatHappened(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme", 1)
	slug := a.approve(t, id)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(id)+"/revoke", `{"reason":"x"}`), http.StatusOK)
	a.join(t, "Pending Co", 2)
	cases := []struct {
		path   string
		status int
		fr, en []string
	}{
		{"/members/" + slug, http.StatusGone, []string{"<h1 id=\"error-title\">Adhésion terminée</h1>", "Cette entreprise n’est plus membre de technopolys."},
			[]string{"Membership ended", "This company is no longer a member of technopolys."}},
		{"/members/nobody", http.StatusNotFound, []string{"Page introuvable", "Aucun membre à cette adresse.", "Voir le répertoire des membres"},
			[]string{"Page not found", "No member at this address.", "See the members’ directory"}},
		{"/members/pending-co", http.StatusNotFound, []string{"Aucun membre à cette adresse."}, []string{"No member at this address."}},
		{"/nowhere", http.StatusNotFound, []string{"Page introuvable", "Aucune page n’existe à cette adresse.", `href="/?lang=fr">Retour à l’accueil</a>`},
			[]string{"Page not found", `href="/?lang=en">Back to the home page</a>`}},
	}
	for _, c := range cases {
		for range 2 {
			for lang, want := range map[string][]string{"fr": c.fr, "en": c.en} {
				res := a.do(t, "GET", c.path+"?lang="+lang, "")
				wantStatus(t, res, c.status)
				for _, w := range want {
					if !strings.Contains(res.Body, w) {
						t.Errorf("%s in %s: lacks %q", c.path, lang, w)
					}
				}
				if strings.Contains(res.Body, "Acme") || strings.Contains(res.Body, "Pending Co") {
					t.Errorf("%s in %s names the company", c.path, lang)
				}
			}
		}
	}
	if res := a.do(t, "GET", "/members/"+slug, "", "Accept-Language", "en"); !strings.Contains(res.Body, "no longer a member") {
		t.Errorf("Accept-Language: en: %s", res.Body)
	}
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(id)+"/reinstate", ""), http.StatusOK)
	wantStatus(t, a.do(t, "GET", "/members/"+slug, ""), http.StatusOK)
	wantStatus(t, a.do(t, "GET", "/badge/"+slug+".svg", ""), http.StatusOK)
}

// TestDirectoryShowcase: the directory counts its members by region, each
// count a link that filters; it searches by name (whatever the case and
// accents) within a region or not; it shows the newest members first on its
// first page; and it sends a query that is not canonical to the one that is.
func TestDirectoryShowcase(t *testing.T) {
	a := newApp(t)
	for i, c := range []struct{ name, region string }{{"Laval Logiciels", "Laval"}, {"Québec Robotique", "Laval"}, {"Estrie Données", "Estrie"}, {"Montréal Nuage", "Montréal"}} {
		body := strings.Replace(joinJSON(c.name, i), "Montréal", c.region, 1)
		res := a.do(t, "POST", "/api/v1/members", body)
		var out struct{ ID int64 }
		res.json(t, &out)
		a.approve(t, out.ID)
		a.clock.Advance(time.Hour)
	}
	var dir response
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		dir = a.do(t, "GET", "/members?lang=fr", "")
		if strings.Contains(dir.Body, "4 entreprises affichées") || time.Now().After(deadline) {
			break // the live counts have caught up
		}
	}
	wantStatus(t, dir, http.StatusOK)
	for _, w := range []string{
		`<a href="/members?lang=fr" aria-current="page">Toutes les régions <span class="n">4</span></a>`,
		`<a href="/members?lang=fr&amp;region=laval">Laval <span class="n">2</span></a>`,
		`<a href="/members?lang=fr&amp;region=estrie">Estrie <span class="n">1</span></a>`,
		`<h2 id="newest-title">Nouveaux membres</h2>`,
	} {
		if !strings.Contains(dir.Body, w) {
			t.Errorf("directory lacks %s", w)
		}
	}
	if strings.Contains(dir.Body, "region=abitibi") {
		t.Error("an empty region is offered")
	}
	newest := dir.Body[strings.Index(dir.Body, "newest-title"):strings.Index(dir.Body, "list-title")]
	if i, j := strings.Index(newest, "Montréal Nuage"), strings.Index(newest, "Laval Logiciels"); i < 0 || j < 0 || i > j {
		t.Errorf("newest members, not newest first: %s", newest)
	}
	laval := a.do(t, "GET", "/members?lang=fr&region=laval", "")
	if !strings.Contains(laval.Body, `region=laval" aria-current="page">Laval`) || !strings.Contains(laval.Body, "Le répertoire\u00a0: Laval") ||
		strings.Contains(laval.Body, "Estrie Données") || strings.Contains(laval.Body, "newest-title") {
		t.Errorf("Laval: %s", visibleText(laval.Body))
	}

	for _, c := range []struct {
		query string
		found []string
		says  string
	}{
		{"q=quebec", []string{"Québec Robotique"}, "1 entreprise trouvée pour «\u00a0quebec\u00a0»."},
		{"q=DONNÉES", []string{"Estrie Données"}, "1 entreprise trouvée pour «\u00a0DONNÉES\u00a0»."},
		{"q=l&region=laval", []string{"Laval Logiciels", "Québec Robotique"}, "2 entreprises trouvées pour «\u00a0l\u00a0»."},
		{"q=nuage&region=laval", nil, "Aucune entreprise affichée ne correspond à «\u00a0nuage\u00a0»."},
	} {
		for range 2 {
			res := a.do(t, "GET", "/members?lang=fr&"+c.query, "")
			wantStatus(t, res, http.StatusOK)
			list := res.Body[strings.Index(res.Body, "list-title"):]
			if !strings.Contains(list, c.says) || strings.Contains(res.Body, "newest-title") {
				t.Errorf("%s: %s", c.query, visibleText(list))
			}
			n := 0
			for _, name := range []string{"Laval Logiciels", "Québec Robotique", "Estrie Données", "Montréal Nuage"} {
				if strings.Contains(list, ">"+name+"</a>") {
					n++
				}
			}
			if n != len(c.found) {
				t.Errorf("%s: %d companies listed, want %v", c.query, n, c.found)
			}
		}
	}
	en := a.do(t, "GET", "/members?lang=en&q=quebec", "")
	if !strings.Contains(en.Body, "1 company found for “quebec”.") || !strings.Contains(en.Body, `<link rel="canonical" href="https://technopolys.example/members?lang=en">`) {
		t.Errorf("English search: %s", visibleText(en.Body))
	}

	// What the form sends with empty fields, or spaced out, lands on the
	// canonical address.
	for from, to := range map[string]string{
		"/members?lang=fr&q=&region=":              "/members?lang=fr",
		"/members?lang=fr&q=++qu%C3%A9bec+++robo+": "/members?lang=fr&q=qu%C3%A9bec+robo",
		"/members?lang=fr&q=laval&region=":         "/members?lang=fr&q=laval",
		"/members?lang=FR&region=laval":            "/members?lang=fr&region=laval",
	} {
		res := a.do(t, "GET", from, "")
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != to {
			t.Errorf("%s: %d to %q, want %s", from, res.StatusCode, res.Header.Get("Location"), to)
		}
	}
	for _, bad := range []string{"/members?q=" + strings.Repeat("a", web.MaxQuery+1), "/members?q=a&after=laval-logiciels"} {
		wantStatus(t, a.do(t, "GET", bad, ""), http.StatusBadRequest)
	}
	if res := a.do(t, "GET", "/members?q="+strings.Repeat("é", web.MaxQuery), ""); res.StatusCode != http.StatusOK {
		t.Errorf("a search of %d characters: %d", web.MaxQuery, res.StatusCode)
	}
}

// TestFavicon: the mark as /favicon.svg and /favicon.png (and /favicon.ico,
// which browsers ask for whatever the page says), kept a year by browsers,
// revalidated by its ETag, and named by every page.
func TestFavicon(t *testing.T) {
	a := newApp(t)
	for path, ct := range map[string]string{"/favicon.svg": "image/svg+xml", "/favicon.png": "image/png", "/favicon.ico": "image/png"} {
		for range 2 {
			res := a.do(t, "GET", path, "")
			wantStatus(t, res, http.StatusOK)
			if got := res.Header.Get("Content-Type"); got != ct {
				t.Errorf("%s: Content-Type %q", path, got)
			}
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
				t.Errorf("%s: Cache-Control %q", path, cc)
			}
			if ct == "image/png" {
				if w, h := decodeSize(t, res.Body); w != web.FaviconSize || h != web.FaviconSize {
					t.Errorf("%s is %d×%d", path, w, h)
				}
			} else if svg := parseSVG(t, res.Body); svg.Width != "32" || !strings.Contains(res.Body, `d="M12 1.2C`) {
				t.Errorf("%s: %s", path, res.Body)
			}
			etag := res.Header.Get("ETag")
			wantStatus(t, a.do(t, "GET", path, "", "If-None-Match", etag), http.StatusNotModified)
		}
	}
	for _, page := range []string{"/", "/members", "/nowhere", "/admin/signin"} {
		body := a.do(t, "GET", page, "").Body
		for _, link := range []string{`<link rel="icon" href="/favicon.svg" type="image/svg+xml">`, `<link rel="icon" href="/favicon.png" type="image/png" sizes="64x64">`} {
			if !strings.Contains(body, link) {
				t.Errorf("%s lacks %s", page, link)
			}
		}
	}
}

// TestNamesKeepTheirGuillemets: a name typed « Boréal » with plain spaces
// shows with no-break ones, so no line ends with its « nor starts with ».
func TestNamesKeepTheirGuillemets(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Les Studios « Boréal » ltée", 1))
	want := "Les Studios «\u00a0Boréal\u00a0» ltée"
	page := a.do(t, "GET", "/members/"+slug+"?lang=fr", "")
	if !strings.Contains(page.Body, `<h1 id="member-name">`+want+`</h1>`) || !strings.Contains(page.Body, "<title>"+want+" · technopolys</title>") {
		t.Errorf("verification page: %s", page.Body)
	}
	if list := a.do(t, "GET", "/members?lang=fr", "").Body; !strings.Contains(list, ">"+want+"</a>") {
		t.Errorf("directory: %s", list)
	}
}
