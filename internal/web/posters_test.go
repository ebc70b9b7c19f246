package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPosterLayouts: every layout on every paper is a PDF with its own
// file name, listed in the event's print links; a layout or paper that is
// not one, or given twice, is a 400 naming the choices.
func TestPosterLayouts(t *testing.T) {
	a := newApp(t)
	res := a.adminDo(t, "POST", "/api/v1/admin/events", eventJSON)
	wantStatus(t, res, http.StatusCreated)
	var e eventOut
	res.json(t, &e)
	for _, c := range []struct{ path, want string }{
		{"/print/nope.pdf?lang=fr", "Événement introuvable."},
		{"/print/salon-2026.pdf?lang=fr&layout=mur", "Mise en page\u00a0: poster, tent ou large."},
		{"/print/salon-2026.pdf?lang=fr&paper=a3", "Papier\u00a0: letter ou a4."},
	} {
		if res := a.do(t, "GET", c.path, ""); res.StatusCode < 400 || !strings.Contains(res.Body, c.want) {
			t.Errorf("%s: %d %s", c.path, res.StatusCode, res.Body)
		}
	}
	for _, c := range []struct{ query, file, key string }{
		{"", "technopolys-salon-2026-letter-fr.pdf", "poster_letter_fr"},
		{"layout=poster&paper=a4&lang=en", "technopolys-salon-2026-a4-en.pdf", "poster_a4_en"},
		{"layout=tent&paper=letter&lang=fr", "technopolys-salon-2026-tent-letter-fr.pdf", "tent_letter_fr"},
		{"layout=large&paper=a4&lang=en", "technopolys-salon-2026-large-a4-en.pdf", "large_a4_en"},
	} {
		for range 2 { // the second from the cache
			res := a.do(t, "GET", "/print/salon-2026.pdf?"+c.query, "")
			wantStatus(t, res, http.StatusOK)
			if !bytes.HasPrefix([]byte(res.Body), []byte("%PDF-")) || !strings.Contains(res.Header.Get("Content-Disposition"), c.file) {
				t.Errorf("%s: %v", c.query, res.Header)
			}
		}
		if c.query != "" && e.Print[c.key] != "https://technopolys.example/print/salon-2026.pdf?"+strings.TrimPrefix(c.query, "layout=poster&") {
			t.Errorf("print link %s = %q", c.key, e.Print[c.key])
		}
	}
	for _, q := range []string{"layout=banner", "layout=tent&layout=large", "paper=a3", "paper=a4&paper=letter"} {
		res := a.do(t, "GET", "/print/salon-2026.pdf?"+q+"&lang=en", "")
		wantStatus(t, res, http.StatusBadRequest)
		if !strings.Contains(res.Body, "poster, tent or large") && !strings.Contains(res.Body, "letter or a4") {
			t.Errorf("%s: %s", q, res.Body)
		}
	}
}

// TestEventNameTheFontsCannotPrint: a name with an emoji is refused, by the
// API and by the console's form, naming the character in the page's
// language; nothing is saved; accents and dashes are fine.
func TestEventNameTheFontsCannotPrint(t *testing.T) {
	a := newApp(t)
	body := `{"code":"salon-2026","name_fr":"Salon techno 🚀","name_en":"Tech fair","place":"Québec"}`
	for range 2 {
		res := a.do(t, "POST", "/api/v1/admin/events", body, "Authorization", "Bearer "+token, "Accept-Language", "fr")
		wantStatus(t, res, http.StatusBadRequest)
		wantIn(t, "API", res.Body, `"rule": "glyphs"`, `"field": "name_fr"`, "🚀 (U+1F680)", "ne peuvent pas imprimer")
	}
	if _, err := a.store.FindEvent(context.Background(), "salon-2026"); err == nil {
		t.Fatal("refused event saved")
	}
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	form := url.Values{"code": {"salon-2026"}, "name_fr": {"Salon"}, "name_en": {"Fair ★"}, "place": {"Québec"}}
	for range 2 {
		res := staffForm(t, a, cookie, csrf, "/admin/events?lang=en", form)
		wantStatus(t, res, http.StatusBadRequest)
		wantIn(t, "console", res.Body, `href="#name_en"`, "★ (U&#43;2605)", "the posters cannot print", `value="Fair ★"`)
	}
	ok := `{"code":"salon-2026","name_fr":"Salon techno de Québec !","name_en":"Québec tech fair – 2026","place":"Centre des congrès"}`
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/events", ok), http.StatusCreated)
}
