package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/mail"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web"
)

// joinForm joins through the French or English form, as a visitor does,
// and returns the new member.
func (a *app) joinForm(t *testing.T, lang, name, website, email string, headers ...string) *registry.Member {
	t.Helper()
	v := url.Values{"name": {name}, "website": {website}, "contact_name": {"Marie Tremblay"},
		"contact_email": {email}, "region": {"Montréal"}, "consent_public": {"yes"}}
	h := append([]string{"Content-Type", form, "Sec-Fetch-Site", "same-origin"}, headers...)
	wantStatus(t, a.do(t, "POST", "/join?lang="+lang, v.Encode(), h...), http.StatusSeeOther)
	ms, _, err := a.store.ListMembers(context.Background(), registry.MemberFilter{Status: registry.StatusPending, Limit: 500})
	if err != nil || len(ms) == 0 || ms[len(ms)-1].Name != name {
		t.Fatalf("the join of %q is not in the queue: %v", name, err)
	}
	return ms[len(ms)-1]
}

// confirmURL matches the receipt's link as a mail reader sees it.
var confirmURL = regexp.MustCompile(`https://technopolys\.example(/join/confirm/[A-Z2-7]+)\?lang=(fr|en)`)

// receiptLink is the path of the confirmation link in m's receipt, taken
// from the mail exactly as mail.Compose writes it.
func (a *app) receiptLink(t *testing.T, m *registry.Member) string {
	t.Helper()
	path, _ := a.receiptLinkLang(t, m)
	return path
}

// receiptLinkLang is receiptLink and the language the link names.
func (a *app) receiptLinkLang(t *testing.T, m *registry.Member) (path, lang string) {
	t.Helper()
	mails, _, err := a.store.ListMail(context.Background(), false, 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, ml := range mails {
		if ml.MemberID != m.ID || ml.Kind != registry.MailReceipt {
			continue
		}
		msg, err := mail.Compose(ml, a.member(t, m.ID), "https://technopolys.example")
		if err != nil {
			t.Fatal(err)
		}
		got := confirmURL.FindStringSubmatch(msg.Text)
		if got == nil || !strings.Contains(msg.HTML, `href="`+got[0]+`"`) {
			t.Fatalf("the receipt carries no confirmation link: %s", msg.Text)
		}
		return got[1], got[2]
	}
	t.Fatalf("member %d has no receipt", m.ID)
	return "", ""
}

// wantTokenHeaders checks that an answer to a link holding a token is kept
// by no cache and sends no Referer on.
func wantTokenHeaders(t *testing.T, r response) {
	t.Helper()
	if cc, rp := r.Header.Get("Cache-Control"), r.Header.Get("Referrer-Policy"); cc != "no-store" || rp != "no-referrer" {
		t.Errorf("%s %s: Cache-Control %q, Referrer-Policy %q", r.Request.Method, r.Request.URL.Path, cc, rp)
	}
}

// TestConfirmContact: the receipt's link opens a page that asks, and
// changes nothing (a mail scanner fetches it first); its button confirms
// the address once, and pressing it again says the same; a tampered or
// expired link says the request is still being reviewed.
func TestConfirmContact(t *testing.T) {
	logs := &syncBuffer{}
	a := newApp(t, func(c *web.Config) {
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	m := a.joinForm(t, "fr", "Acme <b>Québec</b>", "https://www.acme.example", "marie@acme.example")
	link := a.receiptLink(t, m)
	token := strings.TrimPrefix(link, "/join/confirm/")

	for range 2 { // a scanner, then the reader
		page := a.do(t, "GET", link, "")
		wantStatus(t, page, http.StatusOK)
		wantTokenHeaders(t, page)
		for _, want := range []string{"Confirmer votre adresse", "«\u00a0Acme &lt;b&gt;Québec&lt;/b&gt;\u00a0»", "Confirmer mon adresse", `<form method="post">`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the confirmation page lacks %q: %s", want, page.Body)
			}
		}
		if strings.Contains(page.Body, "marie@acme.example") || strings.Contains(page.Body, "<b>Québec") {
			t.Errorf("the confirmation page shows the contact or an unescaped name: %s", page.Body)
		}
	}
	if got := a.member(t, m.ID); !got.ContactConfirmedAt.IsZero() {
		t.Fatalf("opening the link confirmed the address at %v", got.ContactConfirmedAt)
	}
	if en := a.do(t, "GET", link+"?lang=en", ""); !strings.Contains(en.Body, "Confirm my address") {
		t.Errorf("the English page: %s", en.Body)
	}

	confirmedAt := a.clock.Now().Truncate(time.Microsecond)
	for i := range 2 {
		res := a.do(t, "POST", link, "", "Content-Type", form, "Sec-Fetch-Site", "same-origin")
		wantStatus(t, res, http.StatusOK)
		wantTokenHeaders(t, res)
		if !strings.Contains(res.Body, "<h1>Adresse confirmée</h1>") || !strings.Contains(res.Body, "vous écrira à cette adresse") {
			t.Errorf("confirmation %d: %s", i+1, res.Body)
		}
		if got := a.member(t, m.ID).ContactConfirmedAt; !got.Equal(confirmedAt) {
			t.Fatalf("confirmation %d: confirmed at %v, want the first time %v", i+1, got, confirmedAt)
		}
		a.clock.Advance(time.Hour)
	}
	if again := a.do(t, "GET", link, ""); again.StatusCode != http.StatusOK || !strings.Contains(again.Body, "Adresse confirmée") {
		t.Errorf("the link once confirmed: %d %s", again.StatusCode, again.Body)
	}

	tampered := "/join/confirm/" + token[:len(token)-1] + "A"
	if strings.HasSuffix(token, "A") {
		tampered = "/join/confirm/" + token[:len(token)-1] + "B"
	}
	for _, method := range []string{"GET", "POST"} {
		res := a.do(t, method, tampered, "", "Content-Type", form)
		wantStatus(t, res, http.StatusNotFound)
		wantTokenHeaders(t, res)
		if !strings.Contains(res.Body, "inconnu ou a expiré") || !strings.Contains(res.Body, "n’est pas perdue") {
			t.Errorf("%s of a tampered link: %s", method, res.Body)
		}
	}

	late := a.joinForm(t, "en", "Late Inc.", "https://late.example", "jo@late.example")
	lateLink, lang := a.receiptLinkLang(t, late)
	if lateLink += "?lang=" + lang; lang != "en" {
		t.Errorf("an English member's link %q is not in English", lateLink)
	}
	a.clock.Advance(registry.ConfirmLinkTTL)
	for _, method := range []string{"GET", "POST"} {
		res := a.do(t, method, lateLink, "", "Content-Type", form)
		wantStatus(t, res, http.StatusNotFound)
		if !strings.Contains(res.Body, "Unknown or expired link") || !strings.Contains(res.Body, "still reviewing it") {
			t.Errorf("%s of an expired link: %s", method, res.Body)
		}
	}
	if !a.member(t, late.ID).ContactConfirmedAt.IsZero() {
		t.Error("an expired link confirmed the address")
	}

	// The token is in no log line and no metric: only its route is.
	metrics := a.adminDo(t, "GET", "/metrics", "")
	if !strings.Contains(metrics.Body, `route="/join/confirm/:token"`) {
		t.Errorf("metrics lack the confirmation route: %s", metrics.Body)
	}
	if l := logs.String(); strings.Contains(l, token) || strings.Contains(metrics.Body, token) || !strings.Contains(l, "path=/join/confirm/…") {
		t.Errorf("the token is logged or the path is not: %s", l)
	}
}

// TestConfirmRefusedCrossSite: another site's page cannot confirm an
// address for its visitor: 403, and nothing confirmed.
func TestConfirmRefusedCrossSite(t *testing.T) {
	a := newApp(t)
	m := a.joinForm(t, "fr", "Acme", "https://acme.example", "marie@acme.example")
	link := a.receiptLink(t, m)
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
		wantStatus(t, a.do(t, "POST", link, "", append([]string{"Content-Type", form}, h...)...), http.StatusForbidden)
	}
	if !a.member(t, m.ID).ContactConfirmedAt.IsZero() {
		t.Fatal("a cross-site post confirmed the address")
	}
	wantStatus(t, a.do(t, "POST", link, "", "Content-Type", form, "Origin", "https://technopolys.example"), http.StatusOK)
}

// TestConfirmGuessesThrottled: a client trying links it made up is held
// back after confirmFailures misses, real links included, while another
// client is not; an hour later it may try again.
func TestConfirmGuessesThrottled(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	m := a.joinForm(t, "fr", "Acme", "https://acme.example", "marie@acme.example")
	link := a.receiptLink(t, m)
	guesser := []string{"Content-Type", form, "X-Forwarded-For", "203.0.113.9"}
	for range 25 { // real links cost nothing: a venue's address opens them at will
		wantStatus(t, a.do(t, "GET", link, "", guesser...), http.StatusOK)
	}
	for i := range 20 {
		wantStatus(t, a.do(t, "POST", "/join/confirm/GUESS"+strings.Repeat("A", i), "", guesser...), http.StatusNotFound)
	}
	res := a.do(t, "POST", link, "", guesser...)
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "Trop de demandes") {
		t.Errorf("429: %v %s", res.Header, res.Body)
	}
	wantStatus(t, a.do(t, "GET", link, "", guesser...), http.StatusTooManyRequests)
	if !a.member(t, m.ID).ContactConfirmedAt.IsZero() {
		t.Fatal("a throttled post confirmed the address")
	}
	wantStatus(t, a.do(t, "GET", link, "", "X-Forwarded-For", "203.0.113.10"), http.StatusOK) // another client
	a.clock.Advance(time.Hour)
	wantStatus(t, a.do(t, "POST", link, "", guesser...), http.StatusOK)
}

// card is the queue card of member id on a queue page.
func card(t *testing.T, page string, id int64) string {
	t.Helper()
	start := strings.Index(page, `id="m`+itoa(id)+`"`)
	if start < 0 {
		t.Fatalf("no card for member %d: %s", id, page)
	}
	end := strings.Index(page[start:], "</li>\n")
	return page[start : start+end]
}

// TestQueueContactMarks: each card says, in words, whether its contact
// confirmed the address and whether the address is of the company's own
// domain; a request whose contact was erased says so and has no marks. The
// member's page says when the address was confirmed.
func TestQueueContactMarks(t *testing.T) {
	a := newApp(t)
	own := a.joinForm(t, "fr", "Acme", "https://www.acme.ca", "marie@mail.acme.ca")
	wantStatus(t, a.do(t, "POST", a.receiptLink(t, own), "", "Content-Type", form), http.StatusOK)
	free := a.joinForm(t, "fr", "Bêta", "https://beta.example", "Jo.Beta@GMail.com")
	erased := a.joinForm(t, "fr", "Gamma", "https://gamma.example", "luc@gamma.example")
	if _, err := a.store.EraseMember(context.Background(), erased.ID, false, registry.RetentionActor); err != nil {
		t.Fatal(err)
	}
	cookie, _ := signedIn(t, a, "Julie Gagnon")
	for _, tt := range []struct {
		lang            string
		own, free, gone []string
		notOwn, notFree string
	}{
		{"fr", []string{"Adresse confirmée", "Courriel du domaine du site (mail.acme.ca)"},
			[]string{"Adresse non confirmée", "Courriel hors du domaine du site (gmail.com)"},
			[]string{"Contact effacé"}, "non confirmée", "</span> Courriel du domaine"},
		{"en", []string{"Address confirmed", "E-mail from the website’s domain (mail.acme.ca)"},
			[]string{"Address not confirmed", "E-mail outside the website’s domain (gmail.com)"},
			[]string{"Contact erased"}, "not confirmed", "</span> E-mail from"},
	} {
		page := a.do(t, "GET", "/admin/queue?lang="+tt.lang, "", "Cookie", cookie)
		wantStatus(t, page, http.StatusOK)
		for id, wants := range map[int64][]string{own.ID: tt.own, free.ID: tt.free, erased.ID: tt.gone} {
			c := card(t, page.Body, id)
			for _, want := range wants {
				if !strings.Contains(c, want) {
					t.Errorf("%s: card %d lacks %q: %s", tt.lang, id, want, c)
				}
			}
		}
		if strings.Contains(card(t, page.Body, own.ID), tt.notOwn) || strings.Contains(card(t, page.Body, free.ID), tt.notFree) ||
			strings.Contains(card(t, page.Body, erased.ID), `class="marks"`) {
			t.Errorf("%s: a card has the wrong marks: %s", tt.lang, page.Body)
		}
	}
	staff := a.do(t, "GET", "/admin/members/"+itoa(own.ID)+"?lang=fr", "", "Cookie", cookie)
	if !strings.Contains(staff.Body, "Adresse confirmée le 25\u00a0novembre 2026") || !strings.Contains(staff.Body, "Courriel du domaine du site") {
		t.Errorf("the member's page does not say the address is confirmed: %s", staff.Body)
	}
	if other := a.do(t, "GET", "/admin/members/"+itoa(free.ID)+"?lang=en", "", "Cookie", cookie); !strings.Contains(other.Body, "Address not confirmed") {
		t.Errorf("the member's page does not say the address is not confirmed: %s", other.Body)
	}
}

// TestRetentionErasesUnconfirmedContacts runs the server's retention task:
// a pending request whose contact never confirmed its address loses its
// contact once it is older than the retention period, and stays in the
// queue; one confirmed keeps its contact. The privacy notice says so, with
// the configured period.
func TestRetentionErasesUnconfirmedContacts(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.Retention = 30 * 24 * time.Hour })
	ctx := context.Background()
	never := a.joinForm(t, "fr", "Jamais", "https://jamais.example", "luc@jamais.example")
	confirmed := a.joinForm(t, "fr", "Confirmée", "https://confirmee.example", "marie@confirmee.example")
	wantStatus(t, a.do(t, "POST", a.receiptLink(t, confirmed), "", "Content-Type", form), http.StatusOK)
	a.clock.Advance(29 * 24 * time.Hour)
	if n, err := a.web.EraseExpired(ctx); err != nil || n != 0 {
		t.Fatalf("before the period: %d erased, %v", n, err)
	}
	a.clock.Advance(2 * 24 * time.Hour)
	for run, want := range []int{1, 0} {
		if n, err := a.web.EraseExpired(ctx); err != nil || n != want {
			t.Fatalf("run %d: %d erased, %v; want %d", run+1, n, err, want)
		}
	}
	if m := a.member(t, never.ID); m.ContactEmail != "" || m.ContactName != "" || m.Status != registry.StatusPending {
		t.Errorf("never confirmed: %+v", m)
	}
	if m := a.member(t, confirmed.ID); m.ContactEmail != "marie@confirmee.example" {
		t.Errorf("confirmed: contact %q", m.ContactEmail)
	}
	cookie, _ := signedIn(t, a, "Julie Gagnon")
	queue := a.do(t, "GET", "/admin/queue?lang=fr", "", "Cookie", cookie)
	if c := card(t, queue.Body, never.ID); !strings.Contains(c, "Contact effacé") || !strings.Contains(queue.Body, "2 demandes en attente") {
		t.Errorf("the erased request left the queue or says nothing: %s", queue.Body)
	}
	for lang, want := range map[string]string{
		"fr": "si la personne-ressource ne confirme jamais son adresse, son nom et son courriel sont effacés quand la demande date de 30\u00a0jours",
		"en": "if the contact person never confirms their address, their name and e-mail address are erased once the request is 30 days old",
	} {
		nbsp := func(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }
		if body := a.do(t, "GET", "/privacy?lang="+lang, "").Body; !strings.Contains(nbsp(body), nbsp(want)) {
			t.Errorf("the %s privacy notice does not say %q", lang, want)
		}
	}
}
