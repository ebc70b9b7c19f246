package web_test

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// headTags reads a page's <head>: each meta's property or name with its
// content, and each link's rel (with hreflang) with its href. A tag given
// twice keeps both values, so a test sees duplicates.
func headTags(t *testing.T, page string) map[string][]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string][]string{}
	var walk func(n *html.Node, inHead bool)
	walk = func(n *html.Node, inHead bool) {
		if n.Type == html.ElementNode && n.Data == "head" {
			inHead = true
		}
		if inHead && n.Type == html.ElementNode {
			at := map[string]string{}
			for _, a := range n.Attr {
				at[a.Key] = a.Val
			}
			switch n.Data {
			case "meta":
				if k := at["property"] + at["name"]; k != "" {
					tags[k] = append(tags[k], at["content"])
				}
			case "link":
				k := "link:" + at["rel"]
				if at["hreflang"] != "" {
					k += ":" + at["hreflang"]
				}
				tags[k] = append(tags[k], at["href"])
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inHead)
		}
	}
	walk(doc, false)
	return tags
}

// one returns the single value of a head tag.
func one(t *testing.T, tags map[string][]string, key string) string {
	t.Helper()
	if len(tags[key]) != 1 {
		t.Fatalf("%s: %q, want one value", key, tags[key])
	}
	return tags[key][0]
}

const publicSite = "https://technopolys.example"

// TestPublicPagesShare: every public page, in French and in English,
// carries its link preview with absolute addresses in its own language:
// canonical address, both language alternates, Open Graph's title,
// description, image (1200 × 630, described) and locale, and the Twitter
// card.
func TestPublicPagesShare(t *testing.T) {
	a := newApp(t)
	sl := a.approve(t, a.join(t, "Acme", 1))
	pages := map[string]string{
		"/": "/og/home.png", "/join": "/og/home.png", "/members": "/og/home.png",
		"/members/" + sl: "/og/members/" + sl + ".png", "/privacy": "/og/home.png",
		"/account/signin": "/og/home.png", "/join/ok": "/og/home.png",
	}
	for path, image := range pages {
		for _, l := range []string{"fr", "en"} {
			t.Run(path+"?lang="+l, func(t *testing.T) {
				// Parameters a page does not take stay out of its canonical address.
				res := a.do(t, "GET", path+"?lang="+l+"&utm_source=x", "")
				wantStatus(t, res, http.StatusOK)
				tags := headTags(t, res.Body)
				canonical := publicSite + path + "?lang=" + l
				other := map[string]string{"fr": "en", "en": "fr"}[l]
				for key, want := range map[string]string{
					"link:canonical": canonical, "og:url": canonical,
					"link:alternate:fr-CA": publicSite + path + "?lang=fr", "link:alternate:en-CA": publicSite + path + "?lang=en",
					"link:alternate:x-default": publicSite + path,
					"og:locale":                l + "_CA", "og:locale:alternate": other + "_CA",
					"og:image": publicSite + image + "?lang=" + l, "og:image:width": "1200", "og:image:height": "630",
					"og:type": "website", "og:site_name": "technopolys", "twitter:card": "summary_large_image",
				} {
					if got := one(t, tags, key); got != want {
						t.Errorf("%s = %q, want %q", key, got, want)
					}
				}
				for _, key := range []string{"og:title", "og:description", "description", "og:image:alt"} {
					if one(t, tags, key) == "" {
						t.Errorf("%s is empty", key)
					}
				}
				if tags["robots"] != nil {
					t.Errorf("a public page is noindex")
				}
				// The image it names is served.
				img := a.do(t, "GET", strings.TrimPrefix(one(t, tags, "og:image"), publicSite), "")
				wantStatus(t, img, http.StatusOK)
			})
		}
	}
	// In French the member's page says so in French, in English in English.
	fr := headTags(t, a.do(t, "GET", "/members/"+sl+"?lang=fr", "").Body)
	en := headTags(t, a.do(t, "GET", "/members/"+sl+"?lang=en", "").Body)
	if got := one(t, fr, "og:title"); got != "Acme — membre vérifié de technopolys" {
		t.Errorf("fr og:title %q", got)
	}
	if got := one(t, en, "og:title"); got != "Acme — verified member of technopolys" {
		t.Errorf("en og:title %q", got)
	}
	// The directory's canonical address keeps its page and region.
	dir := headTags(t, a.do(t, "GET", "/members?region=montreal&after=a&lang=en", "").Body)
	if got := one(t, dir, "og:url"); got != publicSite+"/members?after=a&lang=en&region=montreal" {
		t.Errorf("directory og:url %q", got)
	}
}

// TestStaffAndSecretPagesShareNothing: the console, error pages and pages
// whose address holds a token carry no preview and ask search engines not
// to index them.
func TestStaffAndSecretPagesShareNothing(t *testing.T) {
	a := newApp(t)
	cookie, _ := signedIn(t, a, "julie")
	for _, res := range []response{
		a.do(t, "GET", "/admin/signin", ""),
		a.do(t, "GET", "/admin", "", "Cookie", cookie),
		a.do(t, "GET", "/members/nobody", ""),
		a.do(t, "GET", "/account/signin/made-up-token", ""),
		a.do(t, "GET", "/join/confirm/made-up-token", ""),
	} {
		tags := headTags(t, res.Body)
		if tags["og:url"] != nil || tags["link:canonical"] != nil || tags["og:image"] != nil {
			t.Errorf("%s has a preview: %v", res.Request.URL.Path, tags)
		}
		if one(t, tags, "robots") != "noindex" {
			t.Errorf("%s is indexable", res.Request.URL.Path)
		}
	}
}

// TestShareEscapes: a member's name lands in the head's attributes as
// text, whatever it holds.
func TestShareEscapes(t *testing.T) {
	a := newApp(t)
	name := `<script>alert(1)</script> "Acme" & Québec`
	sl := a.approve(t, a.join(t, name, 1))
	res := a.do(t, "GET", "/members/"+sl+"?lang=fr", "")
	wantStatus(t, res, http.StatusOK)
	head, _, _ := strings.Cut(res.Body, "</head>")
	if strings.Contains(head, "<script>") || strings.Contains(head, `"Acme"`) {
		t.Errorf("name not escaped in the head: %s", head)
	}
	tags := headTags(t, res.Body)
	if got := one(t, tags, "og:title"); got != name+" — membre vérifié de technopolys" {
		t.Errorf("og:title reads %q", got)
	}
	if got := one(t, tags, "og:image:alt"); !strings.HasPrefix(got, name+" — membre vérifié de technopolys depuis le ") {
		t.Errorf("og:image:alt reads %q", got)
	}
	wantStatus(t, a.do(t, "GET", "/og/members/"+sl+".png?lang=fr", ""), http.StatusOK)
}

// decodeCard checks that an answer is a 1200 × 630 PNG and returns it.
func decodeCard(t *testing.T, res response) image.Image {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "image/png" {
		t.Fatalf("%s: Content-Type %q", res.Request.URL, ct)
	}
	img, err := png.Decode(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatalf("%s: %v", res.Request.URL, err)
	}
	if got := img.Bounds().Size(); got != image.Pt(1200, 630) {
		t.Fatalf("%s: %v, want 1200 × 630", res.Request.URL, got)
	}
	return img
}

// textInk counts the pixels of the title's area that are not the card's
// background: the title is drawn.
func textInk(img image.Image) int {
	bg := img.At(5, 200)
	n := 0
	for y := 180; y < 260; y++ {
		for x := 80; x < 700; x++ {
			if img.At(x, y) != bg {
				n++
			}
		}
	}
	return n
}

// TestCards: the landing page's and a member's cards are 1200 × 630 PNGs
// with text, differ by language, follow the live count and a rename, carry
// ETag (304 on a match) and Cache-Control like badges, and an address that
// is no member is a 404 card; revoked, it is at once.
func TestCards(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme", 1)
	sl := a.approve(t, id)
	card := "/og/members/" + sl + ".png"

	home := map[string]response{}
	for _, l := range []string{"fr", "en"} {
		home[l] = a.do(t, "GET", "/og/home.png?lang="+l, "")
		wantStatus(t, home[l], http.StatusOK)
		if n := textInk(decodeCard(t, home[l])); n < 1000 {
			t.Errorf("home %s: %d inked pixels in the title", l, n)
		}
	}
	if home["fr"].Body == home["en"].Body {
		t.Error("the landing page's card is the same in both languages")
	}
	fr, en := a.do(t, "GET", card+"?lang=fr", ""), a.do(t, "GET", card+"?lang=en", "")
	wantStatus(t, fr, http.StatusOK)
	wantStatus(t, en, http.StatusOK)
	decodeCard(t, fr)
	if textInk(decodeCard(t, en)) < 1000 {
		t.Error("member card without a title")
	}
	if fr.Body == en.Body {
		t.Error("the member's card is the same in both languages")
	}
	if fr.Header.Get("ETag") == "" || !strings.Contains(fr.Header.Get("Cache-Control"), "max-age=") ||
		fr.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" || fr.Header.Get("Set-Cookie") != "" {
		t.Errorf("card headers %v", fr.Header)
	}
	wantStatus(t, a.do(t, "GET", card+"?lang=fr", "", "If-None-Match", fr.Header.Get("ETag")), http.StatusNotModified)
	// Without lang, the visitor's language, and caches told so.
	neg := a.do(t, "GET", card, "", "Accept-Language", "en-CA")
	if neg.Body != en.Body || neg.Header.Get("Vary") != "Accept-Language" {
		t.Error("a card without lang does not follow Accept-Language")
	}
	// Other parameters are ignored; a lang that is none is a 400 image.
	if a.do(t, "GET", card+"?lang=fr&v=2", "").Body != fr.Body {
		t.Error("an unknown parameter changed the card")
	}
	bad := a.do(t, "GET", card+"?lang=de", "")
	wantStatus(t, bad, http.StatusBadRequest)
	if bad.Header.Get("Content-Type") != "image/png" {
		t.Errorf("bad lang: %s", bad.Header.Get("Content-Type"))
	}

	// A new member moves the landing page's count, so its card.
	a.approve(t, a.join(t, "Bêta", 2))
	for deadline := time.Now().Add(5 * time.Second); a.do(t, "GET", "/og/home.png?lang=fr", "").Body == home["fr"].Body; {
		if time.Now().After(deadline) {
			t.Fatal("the landing page's card kept the old count")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// A rename draws a new card, twice.
	for i, name := range []string{"Acme Québec inc.", "Acme Québec et associés inc."} {
		res := a.adminDo(t, "POST", "/api/v1/admin/members/"+strconv.FormatInt(id, 10)+"/edit", `{"name":"`+name+`"}`)
		wantStatus(t, res, http.StatusOK)
		after := a.do(t, "GET", card+"?lang=fr", "")
		wantStatus(t, after, http.StatusOK)
		decodeCard(t, after)
		if after.Body == fr.Body || after.Header.Get("ETag") == fr.Header.Get("ETag") {
			t.Errorf("rename %d: the card did not change", i+1)
		}
		fr = after
	}

	// An address that is no member: 404 and the neutral card, the same
	// for any such address, naming nobody.
	none := a.do(t, "GET", "/og/members/nobody.png?lang=fr", "")
	wantStatus(t, none, http.StatusNotFound)
	decodeCard(t, none)
	if a.do(t, "GET", "/og/members/somebody-else.png?lang=fr", "").Body != none.Body {
		t.Error("the not-a-member card depends on the address")
	}
	wantStatus(t, a.do(t, "GET", "/og/members/"+sl+".svg", ""), http.StatusNotFound)

	// Revoked: the card is gone at once, twice asked.
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+strconv.FormatInt(id, 10)+"/revoke", `{"reason":"test"}`), http.StatusOK)
	for range 2 {
		gone := a.do(t, "GET", card+"?lang=fr", "")
		wantStatus(t, gone, http.StatusNotFound)
		if gone.Body != none.Body {
			t.Error("a revoked member's card is not the neutral one")
		}
	}
}

// TestMadeUpCardsCacheNothing: cards for made-up addresses, in any number,
// add no cache entry beyond the one neutral card per language.
func TestMadeUpCardsCacheNothing(t *testing.T) {
	a := newApp(t)
	for _, l := range []string{"fr", "en"} {
		wantStatus(t, a.do(t, "GET", "/og/members/made-up.png?lang="+l, ""), http.StatusNotFound)
	}
	_, _, before := a.web.ImageCache()
	for i := range 200 {
		l := []string{"fr", "en"}[i%2]
		res := a.do(t, "GET", "/og/members/made-up-"+strconv.Itoa(i)+".png?lang="+l+"&x="+strconv.Itoa(i), "")
		wantStatus(t, res, http.StatusNotFound)
	}
	if _, _, after := a.web.ImageCache(); after != before {
		t.Errorf("made-up cards grew the cache from %d to %d entries", before, after)
	}
}
