package web_test

import (
	"context"
	"encoding/json"
	"html"
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

// linkSent is the answer to every request for a sign-in link, a member's
// address or not.
const linkSent = "Si cette adresse est celle d’un membre, un lien de connexion vient de lui être envoyé. Il est valable 30\u00a0minutes."

var signInURL = regexp.MustCompile(`https://technopolys\.example(/account/signin/[A-Z2-7]+)\?lang=(?:fr|en)`)

// askLink asks for a sign-in link for email and checks the answer is the
// one every address gets.
func askLink(t *testing.T, a *app, email string, headers ...string) response {
	t.Helper()
	res := a.do(t, "POST", "/account/signin", url.Values{"email": {email}}.Encode(), append([]string{"Content-Type", form}, headers...)...)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body, html.EscapeString(linkSent)) && !strings.Contains(res.Body, linkSent) {
		t.Fatalf("ask for a link: %s", res.Body)
	}
	return res
}

// mailedLink is the path of the newest sign-in link in the outbox, as the
// mail composed from it carries it.
func mailedLink(t *testing.T, a *app) string {
	t.Helper()
	ctx := context.Background()
	mails, _, err := a.store.ListMail(ctx, true, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, ml := range mails {
		if ml.Kind != registry.MailSignIn {
			continue
		}
		m, err := a.store.FindMember(ctx, ml.MemberID)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := mail.Compose(ml, m, "https://technopolys.example")
		if err != nil {
			t.Fatal(err)
		}
		found := signInURL.FindStringSubmatch(msg.Text)
		if found == nil || !strings.Contains(msg.HTML, html.EscapeString(found[0])) {
			t.Fatalf("no sign-in link in the mail: %s", msg.Text)
		}
		return found[1]
	}
	t.Fatal("no sign-in mail in the outbox")
	return ""
}

// sessionCookie is the member area's cookie an answer sets, or "".
func memberCookie(t *testing.T, res response) string {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == "technopolys_member" && c.Value != "" {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/account" || !c.Secure {
				t.Errorf("member cookie %+v", c)
			}
			return "technopolys_member=" + c.Value
		}
	}
	return ""
}

// memberSignedIn signs a member in through a link mailed to its contact
// and returns the session's cookie and form token.
func memberSignedIn(t *testing.T, a *app, email string) (cookie, csrf string) {
	t.Helper()
	askLink(t, a, email)
	res := a.do(t, "POST", mailedLink(t, a), "", "Content-Type", form)
	wantStatus(t, res, http.StatusSeeOther)
	cookie = memberCookie(t, res)
	page := a.do(t, "GET", "/account", "", "Cookie", cookie)
	wantStatus(t, page, http.StatusOK)
	m := csrfField.FindStringSubmatch(page.Body)
	if cookie == "" || m == nil {
		t.Fatalf("no member session: %s", page.Body)
	}
	return cookie, m[1]
}

// TestMemberSignInLink follows a link from the mail to the area: opening
// it spends nothing, the button signs in once; a used, expired or revoked
// member's link is gone; revoking a signed-in member cuts its session.
func TestMemberSignInLink(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme Québec", 1)
	a.approve(t, id)
	email := "Marie@Company-1.example "

	res := a.do(t, "GET", "/account", "")
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Header.Get("Location"), "/account/signin") {
		t.Fatalf("the area without a session goes to %q", res.Header.Get("Location"))
	}
	form := a.do(t, "GET", "/account/signin", "")
	wantStatus(t, form, http.StatusOK)
	if !strings.Contains(form.Body, `name="email"`) {
		t.Fatalf("sign-in form: %s", form.Body)
	}
	askLink(t, a, email)
	link := mailedLink(t, a)

	for range 2 { // a mail scanner's visit, then the member's
		page := a.do(t, "GET", link, "")
		wantStatus(t, page, http.StatusOK)
		if !strings.Contains(page.Body, "Entrer dans mon espace membre") || !strings.Contains(page.Body, `action="`+link+`?lang=fr"`) {
			t.Fatalf("link page: %s", page.Body)
		}
		if page.Header.Get("Cache-Control") != "no-store" || page.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("link page headers: %v", page.Header)
		}
	}
	in := a.do(t, "POST", link, "", "Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, in, http.StatusSeeOther)
	if in.Header.Get("Location") != "/account?lang=fr" {
		t.Errorf("signed in to %q", in.Header.Get("Location"))
	}
	cookie := memberCookie(t, in)
	area := a.do(t, "GET", "/account", "", "Cookie", cookie)
	wantStatus(t, area, http.StatusOK)
	if !strings.Contains(area.Body, "Acme Québec") || !strings.Contains(area.Body, "https://company-1.example") {
		t.Fatalf("area: %s", area.Body)
	}
	if area.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("area Cache-Control %q", area.Header.Get("Cache-Control"))
	}

	gone := func(what string) {
		t.Helper()
		res := a.do(t, "POST", link, "", "Content-Type", "application/x-www-form-urlencoded")
		wantStatus(t, res, http.StatusGone)
		if memberCookie(t, res) != "" || !strings.Contains(res.Body, "Demander un nouveau lien") {
			t.Errorf("%s link: %s", what, res.Body)
		}
	}
	// The button pressed again in the browser it signed in: in it goes,
	// the spent link notwithstanding.
	again := a.do(t, "POST", link, "", "Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie)
	if again.StatusCode != http.StatusSeeOther || again.Header.Get("Location") != "/account?lang=fr" {
		t.Errorf("pressed twice: %d %q", again.StatusCode, again.Header.Get("Location"))
	}
	gone("used")
	link = "/account/signin/" + strings.Repeat("A", 52)
	gone("unknown")

	askLink(t, a, email)
	link = mailedLink(t, a)
	a.clock.Advance(31 * time.Minute)
	gone("expired")
	// The session is younger than two hours idle: still in.
	wantStatus(t, a.do(t, "GET", "/account", "", "Cookie", cookie), http.StatusOK)

	askLink(t, a, email)
	link = mailedLink(t, a)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(id)+"/revoke", `{"reason":"test"}`), http.StatusOK)
	gone("revoked member's")
	res = a.do(t, "GET", "/account", "", "Cookie", cookie)
	wantStatus(t, res, http.StatusSeeOther) // the session went with the membership
	askLink(t, a, email)                    // the same answer, and no link for a revoked member
	if mails, _, _ := a.store.ListMail(context.Background(), true, 1, 0); mails[0].Kind == registry.MailSignIn {
		t.Errorf("a revoked member was sent a sign-in link")
	}
}

// TestMemberSignInSameAnswer: a member's address, a pending request's and
// nobody's get the same page; only the member's gets a link. Asking too
// often is throttled, whoever's the address.
func TestMemberSignInSameAnswer(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	a.approve(t, a.join(t, "Acme", 1))
	a.join(t, "Pending", 2)
	count := func() int {
		_, n, err := a.store.ListMail(context.Background(), false, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	member := askLink(t, a, "marie@company-1.example")
	if count() != before+1 {
		t.Fatalf("mails: %d, want %d", count(), before+1)
	}
	for _, other := range []string{"marie@company-2.example", "nobody@example.com"} {
		res := askLink(t, a, other)
		if res.Body != member.Body {
			t.Errorf("%s gets another page than a member's address", other)
		}
	}
	if count() != before+1 {
		t.Errorf("mails sent to non-members: %d", count()-before-1)
	}
	// One client asking again and again for an address gets the same page
	// and no more mail; another client still gets its link through, so
	// nobody locks a member out by asking first.
	askLink(t, a, "marie@company-1.example")
	askLink(t, a, "marie@company-1.example") // 3 asked by this client: its burst
	sent := count()
	for range 3 {
		if res := askLink(t, a, "marie@company-1.example"); res.Body != member.Body {
			t.Errorf("a throttled address gets another page: %s", res.Body)
		}
	}
	if count() != sent {
		t.Errorf("%d more mails past the address's burst", count()-sent)
	}
	askLink(t, a, "marie@company-1.example", "X-Forwarded-For", "198.51.100.7")
	if count() != sent+1 {
		t.Errorf("another client's request was not mailed: %d", count()-sent)
	}
	// A client asking too often, whatever the address, is told to wait.
	var res response
	for i := range 20 {
		res = a.do(t, "POST", "/account/signin", url.Values{"email": {"x" + itoa(int64(i)) + "@example.com"}}.Encode(),
			"Content-Type", form, "X-Forwarded-For", "198.51.100.8")
	}
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "Trop d’essais") {
		t.Errorf("throttled client: %v %s", res.Header, res.Body)
	}
	en := a.do(t, "POST", "/account/signin?lang=en", url.Values{"email": {"someone@example.com"}}.Encode(), "Content-Type", form)
	wantStatus(t, en, http.StatusOK)
	if !strings.Contains(en.Body, "If this address is a member’s, a sign-in link has just been sent to it. It is valid for 30 minutes.") {
		t.Errorf("English answer: %s", en.Body)
	}
	bad := a.do(t, "POST", "/account/signin", "email=nope", "Content-Type", form)
	wantStatus(t, bad, http.StatusBadRequest)
}

// TestMemberBadgePicker: the area's picker gives snippets whose every
// address answers with the chosen variant.
func TestMemberBadgePicker(t *testing.T) {
	a := newApp(t)
	a.approve(t, a.join(t, "Acme Québec", 1))
	cookie, _ := memberSignedIn(t, a, "marie@company-1.example")
	page := a.do(t, "GET", "/account/badge?lang=fr&style=for-the-badge&theme=dark&badge_lang=en", "", "Cookie", cookie)
	wantStatus(t, page, http.StatusOK)
	for _, sel := range []string{`<option value="for-the-badge" selected>`, `<option value="dark" selected>`, `<option value="en" selected>`} {
		if !strings.Contains(page.Body, sel) {
			t.Errorf("the form does not show %s", sel)
		}
	}
	var urls []string
	for _, id := range []string{"html", "picture", "md", "url"} {
		urls = append(urls, regexp.MustCompile(`https://technopolys\.example/badge/[^\s"()<>]+`).FindAllString(snippetCode(t, page.Body, id), -1)...)
	}
	if len(urls) < 7 {
		t.Fatalf("snippet URLs: %v", urls)
	}
	for _, u := range urls {
		u = strings.TrimSuffix(html.UnescapeString(u), ",") // a srcset's list
		if !strings.Contains(u, "style=for-the-badge") || !strings.Contains(u, "lang=en") {
			t.Errorf("snippet URL %s is not the chosen variant", u)
		}
		res := a.do(t, "GET", strings.TrimPrefix(u, "https://technopolys.example"), "")
		wantStatus(t, res, http.StatusOK)
		switch ct := res.Header.Get("Content-Type"); {
		case strings.Contains(u, ".svg?"):
			if ct != "image/svg+xml" || parseSVG(t, res.Body).Lang != "en" {
				t.Errorf("%s: %s, not the English SVG", u, ct)
			}
		case ct != "image/png":
			t.Errorf("%s: %s", u, ct)
		}
	}
	// The chosen preview is the chosen variant, drawn by our own route.
	if !strings.Contains(page.Body, `<figure class="preview chosen theme-dark"><img src="/badge/`) {
		t.Errorf("no preview of the chosen variant: %s", page.Body)
	}
	wantStatus(t, a.do(t, "GET", "/account/badge", ""), http.StatusSeeOther)
}

// TestMemberConsent: a member turns its listing off and on again, each
// twice; the directory follows and the audit log names the member.
func TestMemberConsent(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme Québec", 1)
	a.approve(t, id)
	cookie, csrf := memberSignedIn(t, a, "marie@company-1.example")
	for _, step := range []struct {
		listed string
		want   bool
	}{{"no", false}, {"no", false}, {"yes", true}, {"yes", true}} {
		res := a.do(t, "POST", "/account/consent", url.Values{"csrf": {csrf}, "listed": {step.listed}}.Encode(), "Content-Type", form, "Cookie", cookie)
		wantStatus(t, res, http.StatusSeeOther)
		page := a.do(t, "GET", res.Header.Get("Location"), "", "Cookie", cookie)
		m, err := a.store.FindMember(context.Background(), id)
		if err != nil || m.ConsentPublic != step.want {
			t.Fatalf("listed=%s: consent %v, %v", step.listed, m.ConsentPublic, err)
		}
		directory := a.do(t, "GET", "/members", "")
		if strings.Contains(directory.Body, "Acme Québec") != step.want {
			t.Errorf("listed=%s: directory shows the member: %v", step.listed, !step.want)
		}
		if step.want && !strings.Contains(page.Body, "maintenant affichée") || !step.want && !strings.Contains(page.Body, "n’est plus affichée") {
			t.Errorf("listed=%s: page says %s", step.listed, page.Body)
		}
	}
	audit, err := a.store.ListAudit(context.Background(), registry.AuditFilter{MemberID: id, Action: registry.ActionEdit, Limit: 10})
	if err != nil || len(audit) != 2 || audit[0].Actor != "Marie Tremblay (espace membre)" {
		t.Errorf("audit: %+v, %v", audit, err)
	}
}

// TestMemberRequests: a change of name and website, then a deletion, each
// asked twice: the second time the page says one is open, and keeps what
// was typed; bad values are refused by field.
func TestMemberRequests(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme Québec", 1)
	a.approve(t, id)
	cookie, csrf := memberSignedIn(t, a, "marie@company-1.example")
	post := func(path string, v url.Values) response {
		v.Set("csrf", csrf)
		return a.do(t, "POST", path, v.Encode(), "Content-Type", form, "Cookie", cookie)
	}
	res := post("/account/changes", url.Values{"name": {"Acme Québec"}, "website": {"not a website"}})
	wantStatus(t, res, http.StatusBadRequest)
	if !strings.Contains(res.Body, `href="#website"`) {
		t.Errorf("bad website: %s", res.Body)
	}
	res = post("/account/changes", url.Values{"name": {"Acme Québec"}, "website": {"https://company-1.example"}})
	wantStatus(t, res, http.StatusBadRequest)
	if !strings.Contains(res.Body, "rien n’a été envoyé") {
		t.Errorf("a change to nothing: %s", res.Body)
	}
	res = post("/account/changes", url.Values{"name": {"Acme Numérique"}, "website": {"https://acme.example"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := a.do(t, "GET", res.Header.Get("Location"), "", "Cookie", cookie)
	if !strings.Contains(page.Body, "demande de modification est envoyée") || !strings.Contains(page.Body, "Acme Numérique · https://acme.example") {
		t.Errorf("after a change request: %s", page.Body)
	}
	res = post("/account/changes", url.Values{"name": {"Acme Deux"}, "website": {"https://acme2.example"}})
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.Body, "attend déjà l’équipe") || !strings.Contains(res.Body, `value="Acme Deux"`) || !strings.Contains(res.Body, `value="https://acme2.example"`) {
		t.Errorf("a second change request: %s", res.Body)
	}
	// Refused by staff, the request says why in the area, as the mail does.
	open, _ := a.store.ListRequests(context.Background(), 0)
	if _, _, err := a.store.DecideRequest(context.Background(), open[0].ID, false, "Julie", "Nom <déjà pris>"); err != nil {
		t.Fatal(err)
	}
	if area := a.do(t, "GET", "/account?lang=fr", "", "Cookie", cookie); !strings.Contains(area.Body, "— motif\u00a0: Nom &lt;déjà pris&gt;") {
		t.Errorf("the refusal's reason is not in the area: %s", area.Body)
	}

	res = post("/account/deletion", url.Values{})
	wantStatus(t, res, http.StatusBadRequest)
	if !strings.Contains(res.Body, `href="#confirm"`) {
		t.Errorf("deletion unconfirmed: %s", res.Body)
	}
	res = post("/account/deletion", url.Values{"confirm": {"yes"}})
	wantStatus(t, res, http.StatusSeeOther)
	if page := a.do(t, "GET", res.Header.Get("Location"), "", "Cookie", cookie); !strings.Contains(page.Body, "L’équipe la confirmera") {
		t.Errorf("after a deletion request: %s", page.Body)
	}
	wantStatus(t, post("/account/deletion", url.Values{"confirm": {"yes"}}), http.StatusConflict)

	reqs, err := a.store.ListRequests(context.Background(), id)
	if err != nil || len(reqs) != 2 || reqs[0].Kind != registry.RequestChange || reqs[0].Name != "Acme Numérique" ||
		reqs[1].Kind != registry.RequestDeletion || !reqs[1].Open() {
		t.Fatalf("requests: %+v, %v", reqs, err)
	}
	if m, _ := a.store.FindMember(context.Background(), id); m.Name != "Acme Québec" {
		t.Errorf("a request changed the member: %q", m.Name)
	}
}

// TestMemberExport: the export holds the record with its contact, the
// audit log, the badge sites, the mails and requests, and no link token.
func TestMemberExport(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme Québec", 1)
	a.approve(t, id)
	if err := a.store.RecordEmbeds(context.Background(), []registry.EmbedCount{{MemberID: id, Site: "blog.example.org", Views: 3}}); err != nil {
		t.Fatal(err)
	}
	cookie, csrf := memberSignedIn(t, a, "marie@company-1.example")
	askLink(t, a, "marie@company-1.example") // a link not yet sent: its token is in the outbox
	token := strings.TrimPrefix(mailedLink(t, a), "/account/signin/")
	a.do(t, "POST", "/account/deletion", url.Values{"csrf": {csrf}, "confirm": {"yes"}}.Encode(), "Content-Type", form, "Cookie", cookie)

	res := a.do(t, "GET", "/account/export.json", "", "Cookie", cookie)
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("export headers: %v", res.Header)
	}
	if strings.Contains(res.Body, token) || strings.Contains(res.Body, strings.TrimPrefix(cookie, "technopolys_member=")) {
		t.Fatal("the export holds a token")
	}
	var x struct {
		Member struct {
			Name, ContactName, ContactEmail, Lang string
			ConsentPublic                         bool `json:"consent_public"`
		}
		Audit  []struct{ Action, Actor string }
		Embeds []struct {
			Site    string
			Foreign bool `json:"outside_own_domain"`
		}
		Mails    []struct{ Kind, To string }
		Requests []struct{ Kind string }
		Sessions int
	}
	if err := json.Unmarshal([]byte(res.Body), &x); err != nil {
		t.Fatal(err)
	}
	// encoding/json matches contact_email to ContactEmail only by tag.
	var raw map[string]map[string]any
	json.Unmarshal([]byte(res.Body), &raw)
	if raw["member"]["contact_email"] != "marie@company-1.example" || raw["member"]["contact_name"] != "Marie Tremblay" ||
		raw["member"]["lang"] != "fr" || x.Member.Name != "Acme Québec" {
		t.Errorf("member: %v", raw["member"])
	}
	if len(x.Audit) == 0 || x.Audit[len(x.Audit)-1].Action != "approve" {
		t.Errorf("audit: %+v", x.Audit)
	}
	if len(x.Embeds) != 1 || x.Embeds[0].Site != "blog.example.org" || !x.Embeds[0].Foreign {
		t.Errorf("embeds: %+v", x.Embeds)
	}
	kinds := []string{}
	for _, ml := range x.Mails {
		kinds = append(kinds, ml.Kind)
		if ml.To != "marie@company-1.example" {
			t.Errorf("mail to %q", ml.To)
		}
	}
	if strings.Join(kinds, ",") != "receipt,approval,signin,signin" {
		t.Errorf("mails: %v", kinds)
	}
	if len(x.Requests) != 1 || x.Requests[0].Kind != "deletion" || x.Sessions != 1 {
		t.Errorf("requests %+v, sessions %d", x.Requests, x.Sessions)
	}
	wantStatus(t, a.do(t, "GET", "/account/export.json", ""), http.StatusSeeOther)
}

// TestMemberFormsRefuseForeignPosts: every form of the area is refused
// without the session's form token, with a wrong one, or from another
// site, and nothing changes; the sign-in form is refused from another site.
func TestMemberFormsRefuseForeignPosts(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme Québec", 1)
	a.approve(t, id)
	cookie, csrf := memberSignedIn(t, a, "marie@company-1.example")
	_, mailsBefore, _ := a.store.ListMail(context.Background(), false, 1, 0)
	forms := map[string]url.Values{
		"/account/consent":  {"listed": {"no"}},
		"/account/changes":  {"name": {"Autre nom"}, "website": {"https://autre.example"}},
		"/account/deletion": {"confirm": {"yes"}},
		"/account/signout":  {},
	}
	for path, v := range forms {
		for _, try := range []struct {
			name    string
			csrf    string
			headers []string
		}{{"no token", "", nil}, {"wrong token", "x" + csrf, nil}, {"cross-site", csrf, []string{"Sec-Fetch-Site", "cross-site"}},
			{"foreign origin", csrf, []string{"Origin", "https://evil.example"}}} {
			body := url.Values{}
			for k, vs := range v {
				body[k] = vs
			}
			if try.csrf != "" {
				body.Set("csrf", try.csrf)
			}
			res := a.do(t, "POST", path, body.Encode(), append([]string{"Content-Type", form, "Cookie", cookie}, try.headers...)...)
			wantStatus(t, res, http.StatusForbidden)
		}
	}
	res := a.do(t, "POST", "/account/signin", "email=marie%40company-1.example", "Content-Type", form, "Sec-Fetch-Site", "cross-site")
	wantStatus(t, res, http.StatusForbidden)
	m, _ := a.store.FindMember(context.Background(), id)
	reqs, _ := a.store.ListRequests(context.Background(), id)
	_, mailsAfter, _ := a.store.ListMail(context.Background(), false, 1, 0)
	if !m.ConsentPublic || len(reqs) != 0 || mailsAfter != mailsBefore {
		t.Errorf("a refused post changed something: consent %v, %d requests, %d new mails", m.ConsentPublic, len(reqs), mailsAfter-mailsBefore)
	}
	wantStatus(t, a.do(t, "GET", "/account", "", "Cookie", cookie), http.StatusOK) // still signed in

	// Signing out, twice: the second post finds no session and says so.
	res = a.do(t, "POST", "/account/signout", "csrf="+url.QueryEscape(csrf), "Content-Type", form, "Cookie", cookie)
	wantStatus(t, res, http.StatusSeeOther)
	cleared := false
	for _, c := range res.Cookies() {
		cleared = cleared || (c.Name == "technopolys_member" && c.MaxAge < 0)
	}
	if !cleared {
		t.Error("signing out leaves the cookie")
	}
	wantStatus(t, a.do(t, "GET", "/account", "", "Cookie", cookie), http.StatusSeeOther)
	again := a.do(t, "POST", "/account/signout", "csrf="+url.QueryEscape(csrf), "Content-Type", form, "Cookie", cookie)
	wantStatus(t, again, http.StatusUnauthorized)
	if !strings.Contains(again.Body, "Votre session a pris fin") {
		t.Errorf("signing out again: %s", again.Body)
	}
}

// TestMemberAreaEnglish: the area's pages in English, with the footer's
// link to it on every page.
func TestMemberAreaEnglish(t *testing.T) {
	a := newApp(t)
	a.approve(t, a.join(t, "Acme", 1))
	if home := a.do(t, "GET", "/?lang=en", ""); !strings.Contains(home.Body, `<a href="/account?lang=en">Member area</a>`) {
		t.Errorf("no link to the member area in the footer: %s", home.Body)
	}
	if home := a.do(t, "GET", "/", ""); !strings.Contains(home.Body, `<a href="/account?lang=fr">Espace membre</a>`) {
		t.Errorf("no link to the member area in the French footer")
	}
	cookie, _ := memberSignedIn(t, a, "marie@company-1.example")
	for path, want := range map[string]string{
		"/account?lang=en":                      "My member area",
		"/account/badge?lang=en":                "Choose your badge",
		"/account/signin?lang=en":               "Get a sign-in link",
		"/account/signin/" + "ABC" + "?lang=en": "Enter my member area",
	} {
		res := a.do(t, "GET", path, "", "Cookie", cookie)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, want) || !strings.Contains(res.Body, `<html lang="en-CA"`) {
			t.Errorf("%s does not say %q", path, want)
		}
	}
	res := a.do(t, "POST", "/account/signin/ABC?lang=en", "", "Content-Type", form)
	wantStatus(t, res, http.StatusGone)
	if !strings.Contains(res.Body, "Ask for a new link") {
		t.Errorf("gone link in English: %s", res.Body)
	}
}

// TestSignInLinkGuessesThrottled: a client that tries 20 links that open
// nothing is told to wait, even with a real link then; another client is
// not.
func TestSignInLinkGuessesThrottled(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	a.approve(t, a.join(t, "Acme", 1))
	for i := range 20 {
		res := a.do(t, "POST", "/account/signin/GUESS"+itoa(int64(i)), "", "Content-Type", form, "X-Forwarded-For", "203.0.113.9")
		wantStatus(t, res, http.StatusGone)
	}
	askLink(t, a, "marie@company-1.example")
	link := mailedLink(t, a)
	res := a.do(t, "POST", link, "", "Content-Type", form, "X-Forwarded-For", "203.0.113.9")
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	wantStatus(t, a.do(t, "POST", link, "", "Content-Type", form, "X-Forwarded-For", "203.0.113.10"), http.StatusSeeOther)
}
