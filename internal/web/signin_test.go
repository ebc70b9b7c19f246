package web_test

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/auth"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web"
)

const form = "application/x-www-form-urlencoded"

// newStaff creates an account and returns the token of its set-password link.
func newStaff(t *testing.T, a *app, email, name string) (*registry.Staff, string) {
	t.Helper()
	st := &registry.Staff{Email: email, Name: name}
	if err := st.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := a.store.CreateStaff(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	token, hash := auth.NewToken()
	if err := a.store.CreateStaffLink(context.Background(), st.ID, hash, a.clock.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	return st, token
}

// signIn posts the sign-in form and returns the session cookie ("" if none).
func signIn(t *testing.T, a *app, values url.Values, headers ...string) (response, string) {
	t.Helper()
	res := a.do(t, "POST", "/admin/signin", values.Encode(), append([]string{"Content-Type", form}, headers...)...)
	for _, c := range res.Cookies() {
		if c.Name == "tp_session" && c.Value != "" {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Errorf("session cookie %+v", c)
			}
			return res, "tp_session=" + c.Value
		}
	}
	return res, ""
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestStaffSignIn follows a staff member from the link that sets the
// password to a decision the audit log names them for, and out again.
func TestStaffSignIn(t *testing.T) {
	a := newApp(t)
	_, link := newStaff(t, a, "Julie@Technopolys.example", "Julie Gagnon")

	res := a.do(t, "GET", "/admin", "")
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Header.Get("Location"), "/admin/signin") {
		t.Fatalf("console without a session goes to %q", res.Header.Get("Location"))
	}
	wantStatus(t, a.do(t, "GET", "/admin/password?token="+link, ""), http.StatusOK)
	set := url.Values{"token": {link}, "password": {"trois mots de passe"}}.Encode()
	wantStatus(t, a.do(t, "POST", "/admin/password", url.Values{"token": {link}, "password": {"court"}}.Encode(), "Content-Type", form), http.StatusBadRequest)
	wantStatus(t, a.do(t, "POST", "/admin/password", set, "Content-Type", form), http.StatusSeeOther)
	again := a.do(t, "POST", "/admin/password", set, "Content-Type", form)
	wantStatus(t, again, http.StatusBadRequest) // a link serves once
	if !strings.Contains(again.Body, "déjà servi") {
		t.Errorf("second use: %s", again.Body)
	}

	res, cookie := signIn(t, a, url.Values{"email": {"julie@technopolys.example"}, "password": {"wrong password!"}})
	wantStatus(t, res, http.StatusUnauthorized)
	if cookie != "" || !strings.Contains(res.Body, "incorrect") {
		t.Fatalf("wrong password: cookie %q, %s", cookie, res.Body)
	}
	res, cookie = signIn(t, a, url.Values{"email": {"JULIE@technopolys.example "}, "password": {"trois mots de passe"}})
	wantStatus(t, res, http.StatusSeeOther)
	if cookie == "" {
		t.Fatal("no session cookie")
	}
	console := a.do(t, "GET", "/admin", "", "Cookie", cookie)
	wantStatus(t, console, http.StatusOK)
	m := csrfField.FindStringSubmatch(console.Body)
	if m == nil || !strings.Contains(console.Body, "Julie Gagnon") {
		t.Fatalf("console: %s", console.Body)
	}
	csrf := m[1]

	id := a.join(t, "Acme", 1)
	path := "/api/v1/admin/members/" + itoa(id) + "/approve"
	wantStatus(t, a.do(t, "GET", "/api/v1/admin/members?status=pending", "", "Cookie", cookie), http.StatusOK)
	wantStatus(t, a.do(t, "POST", path, "", "Cookie", cookie), http.StatusForbidden)                                                       // no form token
	wantStatus(t, a.do(t, "POST", path, "", "Cookie", cookie, "X-CSRF-Token", "x"+csrf), http.StatusForbidden)                             // a wrong one
	wantStatus(t, a.do(t, "POST", path, "", "Cookie", cookie, "X-CSRF-Token", csrf, "Sec-Fetch-Site", "cross-site"), http.StatusForbidden) // from elsewhere
	wantStatus(t, a.do(t, "POST", path, "", "Cookie", cookie, "X-CSRF-Token", csrf), http.StatusOK)
	audit := a.adminDo(t, "GET", "/api/v1/admin/audit?member="+itoa(id), "")
	if !strings.Contains(audit.Body, `"actor": "Julie Gagnon"`) {
		t.Errorf("the audit log does not name the staff member: %s", audit.Body)
	}

	// Signing out needs the form token too, then the session is gone.
	wantStatus(t, a.do(t, "POST", "/admin/signout", "", "Cookie", cookie, "Content-Type", form), http.StatusForbidden)
	wantStatus(t, a.do(t, "POST", "/admin/signout", "csrf="+url.QueryEscape(csrf), "Cookie", cookie, "Content-Type", form), http.StatusSeeOther)
	wantStatus(t, a.do(t, "GET", "/api/v1/admin/members", "", "Cookie", cookie), http.StatusUnauthorized)
	wantStatus(t, a.do(t, "GET", "/admin", "", "Cookie", cookie), http.StatusSeeOther)
}

// TestSessionExpiresAndFollowsTheAccount: 12 hours idle ends a session, and
// disabling an account ends its sessions at once.
func TestSessionExpiresAndFollowsTheAccount(t *testing.T) {
	a := newApp(t)
	st, link := newStaff(t, a, "luc@technopolys.example", "Luc")
	a.do(t, "POST", "/admin/password", url.Values{"token": {link}, "password": {"un autre mot de passe"}}.Encode(), "Content-Type", form)
	creds := url.Values{"email": {"luc@technopolys.example"}, "password": {"un autre mot de passe"}}
	_, cookie := signIn(t, a, creds)
	a.clock.Advance(11 * time.Hour)
	wantStatus(t, a.do(t, "GET", "/admin", "", "Cookie", cookie), http.StatusOK)
	a.clock.Advance(11 * time.Hour) // 11 h after the last use: still alive
	wantStatus(t, a.do(t, "GET", "/admin", "", "Cookie", cookie), http.StatusOK)
	a.clock.Advance(12*time.Hour + time.Minute)
	wantStatus(t, a.do(t, "GET", "/admin", "", "Cookie", cookie), http.StatusSeeOther)

	_, cookie = signIn(t, a, creds)
	wantStatus(t, a.do(t, "GET", "/admin", "", "Cookie", cookie), http.StatusOK)
	if err := a.store.DisableStaff(context.Background(), st.ID); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, a.do(t, "GET", "/admin", "", "Cookie", cookie), http.StatusSeeOther)
	res, cookie := signIn(t, a, creds)
	wantStatus(t, res, http.StatusUnauthorized)
	if cookie != "" {
		t.Error("a disabled account signed in")
	}
}

// TestSignInThrottled: five wrong passwords for an account pause it, from
// any address, right password or not; the admin token opens a break-glass
// session the audit log names as such.
func TestSignInThrottled(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	_, link := newStaff(t, a, "eve@technopolys.example", "Ève")
	a.do(t, "POST", "/admin/password", url.Values{"token": {link}, "password": {"la bonne phrase secrète"}}.Encode(), "Content-Type", form)
	for i := range 5 {
		res, _ := signIn(t, a, url.Values{"email": {"eve@technopolys.example"}, "password": {"mauvaise phrase " + itoa(int64(i))}},
			"X-Forwarded-For", "203.0.113."+itoa(int64(i+1)))
		wantStatus(t, res, http.StatusUnauthorized)
	}
	res, cookie := signIn(t, a, url.Values{"email": {"eve@technopolys.example"}, "password": {"la bonne phrase secrète"}}, "X-Forwarded-For", "203.0.113.99")
	wantStatus(t, res, http.StatusTooManyRequests)
	if cookie != "" || !strings.Contains(res.Body, "Trop d’essais") {
		t.Errorf("paused account: %s", res.Body)
	}
	a.clock.Advance(5 * time.Minute) // one attempt back every 3 minutes
	res, cookie = signIn(t, a, url.Values{"email": {"eve@technopolys.example"}, "password": {"la bonne phrase secrète"}}, "X-Forwarded-For", "203.0.113.99")
	wantStatus(t, res, http.StatusSeeOther)

	_, cookie = signIn(t, a, url.Values{"form": {"token"}, "token": {token}}, "X-Forwarded-For", "203.0.113.50")
	console := a.do(t, "GET", "/admin", "", "Cookie", cookie)
	if !strings.Contains(console.Body, "jeton d’administration") {
		t.Errorf("break-glass session: %s", console.Body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// staffWithPassword creates an account whose password is already set.
func staffWithPassword(t *testing.T, a *app, email, name, password string) *registry.Staff {
	t.Helper()
	st, _ := newStaff(t, a, email, name)
	hash, err := auth.Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.store.SetStaffPassword(context.Background(), st.ID, hash); err != nil {
		t.Fatal(err)
	}
	return st
}

// signedIn opens a staff session and returns its cookie and form token.
func signedIn(t *testing.T, a *app, name string) (cookie, csrf string) {
	t.Helper()
	st := staffWithPassword(t, a, strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@technopolys.example", name, "une phrase de passe")
	_, cookie = signIn(t, a, url.Values{"email": {st.Email}, "password": {"une phrase de passe"}})
	m := csrfField.FindStringSubmatch(a.do(t, "GET", "/admin", "", "Cookie", cookie).Body)
	if cookie == "" || m == nil {
		t.Fatal("no session")
	}
	return cookie, m[1]
}

// TestQueuePage: staff decide from server-rendered cards, without
// JavaScript: oldest first, the event by its name, the warnings, approve in
// one click, reject with a reason from the list or typed; a second click is
// said to be too late, never an error; no form works without the session
// and its form token.
func TestQueuePage(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	first := a.join(t, "Acme Québec", 1)
	body := strings.Replace(joinJSON("Bêta", 2), `"consent_public"`, `"event":"salon-2026","consent_public"`, 1)
	wantStatus(t, a.do(t, "POST", "/api/v1/members", body), http.StatusCreated)
	a.join(t, "\u0410cme Québec", 3) // a Cyrillic А: looks like the first

	wantStatus(t, a.do(t, "GET", "/admin/queue", ""), http.StatusSeeOther)
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	page := a.do(t, "GET", "/admin/queue?lang=fr", "", "Cookie", cookie)
	wantStatus(t, page, http.StatusOK)
	b := page.Body
	if i, j := strings.Index(b, ">Acme Québec</a></h2>"), strings.Index(b, ">Bêta</a></h2>"); i < 0 || j < i {
		t.Errorf("not oldest first: %s", b)
	}
	for _, want := range []string{"3 demandes en attente", "Salon &lt;b&gt;techno&lt;/b&gt;", "marie@company-1.example",
		`href="https://company-1.example"`, "ressemble à s’y méprendre", `name="csrf" value="` + csrf + `"`, "Hors du Québec"} {
		if !strings.Contains(b, want) {
			t.Errorf("queue lacks %q", want)
		}
	}
	approve := "/admin/members/" + itoa(first) + "/approve?lang=fr"
	wantStatus(t, a.do(t, "POST", approve, "", "Cookie", cookie, "Content-Type", form), http.StatusForbidden)
	wantStatus(t, a.do(t, "POST", approve, "csrf="+csrf, "Content-Type", form), http.StatusUnauthorized)
	res := a.do(t, "POST", approve, "csrf="+url.QueryEscape(csrf), "Cookie", cookie, "Content-Type", form)
	wantStatus(t, res, http.StatusSeeOther)
	done := a.do(t, "GET", res.Header.Get("Location"), "", "Cookie", cookie)
	if !strings.Contains(done.Body, "«\u00a0Acme Québec\u00a0» est approuvée.") || !strings.Contains(done.Body, "2 demandes en attente") {
		t.Errorf("after approving: %s", done.Body)
	}
	res = a.do(t, "POST", approve, "csrf="+url.QueryEscape(csrf), "Cookie", cookie, "Content-Type", form) // a second click
	wantStatus(t, res, http.StatusSeeOther)
	if again := a.do(t, "GET", res.Header.Get("Location"), "", "Cookie", cookie); !strings.Contains(again.Body, "déjà été traitée") {
		t.Errorf("second click: %s", again.Body)
	}
	if forged := a.do(t, "GET", "/admin/queue?done=approve&name=Reconnectez-vous+sur+evil.example&m=999", "", "Cookie", cookie); strings.Contains(forged.Body, "Reconnectez-vous sur evil.example") {
		t.Error("a link makes the queue's notice say what it likes")
	}
	if forged := a.do(t, "GET", "/admin/queue?lang=fr&done=approve&m=2", "", "Cookie", cookie); strings.Contains(forged.Body, "est approuvée") {
		t.Error("a link makes the queue say a pending request is approved")
	}
	reject := "/admin/members/2/reject?lang=fr"
	// Refuser without a reason, chosen or typed: nothing done, and said so.
	res = a.do(t, "POST", reject, url.Values{"csrf": {csrf}, "reason": {""}, "other": {" "}}.Encode(), "Cookie", cookie, "Content-Type", form)
	wantStatus(t, res, http.StatusSeeOther)
	if page := a.do(t, "GET", res.Header.Get("Location"), "", "Cookie", cookie); !strings.Contains(page.Body, "Choisissez un motif") {
		t.Errorf("a reject without a reason: %s", page.Body)
	}
	if m, _ := a.store.FindMember(context.Background(), 2); m.Status != registry.StatusPending {
		t.Fatalf("rejected without a reason: %s", m.Status)
	}
	res = a.do(t, "POST", reject, url.Values{"csrf": {csrf}, "reason": {"Hors du Québec"}}.Encode(), "Cookie", cookie, "Content-Type", form)
	wantStatus(t, res, http.StatusSeeOther)
	m, err := a.store.FindMember(context.Background(), 2)
	if err != nil || m.Status != registry.StatusRejected || m.Reason != "Hors du Québec" {
		t.Fatalf("rejected with the listed reason: %+v %v", m, err)
	}
	res = a.do(t, "POST", "/admin/members/3/reject", url.Values{"csrf": {csrf}, "reason": {"Hors du Québec"}, "other": {"Usurpation du nom d’Acme"}}.Encode(),
		"Cookie", cookie, "Content-Type", form)
	wantStatus(t, res, http.StatusSeeOther)
	if m, _ := a.store.FindMember(context.Background(), 3); m.Reason != "Usurpation du nom d’Acme" {
		t.Errorf("typed reason: %q", m.Reason)
	}
	audit := a.adminDo(t, "GET", "/api/v1/admin/audit", "")
	if strings.Count(audit.Body, `"actor": "Julie Gagnon"`) != 3 {
		t.Errorf("audit: %s", audit.Body)
	}
	if empty := a.do(t, "GET", "/admin/queue?lang=en", "", "Cookie", cookie); !strings.Contains(empty.Body, "No pending request.") {
		t.Errorf("empty queue: %s", empty.Body)
	}
}

// TestStaffMemberPage: a member's console page shows its record and its
// history, and its forms edit it (the badge follows), revoke it with a
// reason and reinstate it, each needing the session's form token.
func TestStaffMemberPage(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme", 1)
	sl := a.approve(t, id)
	a.join(t, "Bêta", 2)
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	page := "/admin/members/" + itoa(id)
	wantStatus(t, a.do(t, "GET", page, ""), http.StatusSeeOther)
	res := a.do(t, "GET", page+"?lang=fr", "", "Cookie", cookie)
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{"<h1>Acme</h1>", "approuvée", "marie@company-1.example", `href="/members/` + sl + `?lang=fr"`,
		"approbation", "Révoquer", `name="csrf" value="` + csrf + `"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("member page lacks %q", want)
		}
	}
	post := func(action string, v url.Values) response {
		v.Set("csrf", csrf)
		return a.do(t, "POST", page+"/"+action+"?lang=fr", v.Encode(), "Cookie", cookie, "Content-Type", form)
	}
	edit := url.Values{"name": {"Acme Québec inc."}, "website": {"https://company-1.example"}, "region": {"Laval"}, "consent_public": {"yes"}}
	wantStatus(t, a.do(t, "POST", page+"/edit", edit.Encode(), "Cookie", cookie, "Content-Type", form), http.StatusForbidden)
	res = post("edit", edit)
	wantStatus(t, res, http.StatusSeeOther)
	if after := a.do(t, "GET", res.Header.Get("Location"), "", "Cookie", cookie); !strings.Contains(after.Body, "Fiche enregistrée.") ||
		!strings.Contains(after.Body, "Nom\u00a0: Acme → Acme Québec inc.") {
		t.Errorf("after the edit: %s", after.Body)
	}
	if b := a.do(t, "GET", "/badge/"+sl+".svg", "").Body; !strings.Contains(b, "<title>Acme Québec inc. — membre vérifié") {
		t.Error("the badge kept the old name")
	}
	taken := url.Values{"name": {"Acme Québec inc."}, "website": {"https://company-2.example"}, "region": {"Laval"}}
	if res := post("edit", taken); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "e site web a déjà") {
		t.Errorf("taken website: %d %s", res.StatusCode, res.Body)
	}
	wantStatus(t, post("revoke", url.Values{"back": {"member"}}), http.StatusSeeOther) // no reason: said on the page
	if m, _ := a.store.FindMember(context.Background(), id); m.Status != registry.StatusApproved {
		t.Fatal("revoked without a reason")
	}
	wantStatus(t, post("revoke", url.Values{"back": {"member"}, "other": {"cotisation impayée"}}), http.StatusSeeOther)
	wantStatus(t, a.do(t, "GET", "/badge/"+sl+".svg", ""), http.StatusNotFound)
	wantStatus(t, post("reinstate", url.Values{"back": {"member"}}), http.StatusSeeOther)
	wantStatus(t, a.do(t, "GET", "/badge/"+sl+".svg", ""), http.StatusOK)
	if res := a.do(t, "GET", page+"?lang=fr", "", "Cookie", cookie); !strings.Contains(res.Body, "réintégration") || !strings.Contains(res.Body, "révocation") {
		t.Errorf("history: %s", res.Body)
	}
}

// TestStaffEventsPage: staff create an event from a form, see its funnel in
// words (French singular below 2) and the files to print.
func TestStaffEventsPage(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	wantStatus(t, a.do(t, "GET", "/admin/events", ""), http.StatusSeeOther)
	empty := a.do(t, "GET", "/admin/events?lang=fr", "", "Cookie", cookie)
	if !strings.Contains(empty.Body, "Aucun événement") {
		t.Errorf("no events: %s", empty.Body)
	}
	create := url.Values{"csrf": {csrf}, "code": {"salon-2026"}, "name_fr": {"Salon techno de Québec"}, "name_en": {"Québec tech fair"},
		"starts_on": {"2026-12-03"}, "place": {"Centre des congrès"}}
	bad := url.Values{"csrf": {csrf}, "code": {"Salon 2026!"}, "name_fr": {""}, "name_en": {"x"}}
	res := a.do(t, "POST", "/admin/events?lang=fr", bad.Encode(), "Cookie", cookie, "Content-Type", form)
	wantStatus(t, res, http.StatusBadRequest)
	if !strings.Contains(res.Body, `href="#code"`) || !strings.Contains(res.Body, `href="#name_fr"`) || !strings.Contains(res.Body, `value="Salon 2026!"`) {
		t.Errorf("bad event: %s", res.Body)
	}
	noToken := url.Values{"code": {"x"}}.Encode()
	wantStatus(t, a.do(t, "POST", "/admin/events", noToken, "Cookie", cookie, "Content-Type", form), http.StatusForbidden)
	wantStatus(t, a.do(t, "POST", "/admin/events?lang=fr", create.Encode(), "Cookie", cookie, "Content-Type", form), http.StatusSeeOther)
	wantStatus(t, a.do(t, "POST", "/admin/events?lang=fr", create.Encode(), "Cookie", cookie, "Content-Type", form), http.StatusConflict)
	a.do(t, "GET", "/j/salon-2026", "", "X-Forwarded-For", "203.0.113.1")
	page := a.do(t, "GET", "/admin/events?lang=fr&done=created", "", "Cookie", cookie)
	for _, want := range []string{"Événement créé.", "Salon techno de Québec", "3\u00a0décembre 2026 · Centre des congrès",
		"1 scan → 0 demande → 0 membre", "Affiche format Lettre (PDF, en français)", `href="https://technopolys.example/qr/salon-2026.png?logo=1"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("events page lacks %q", want)
		}
	}
	if en := a.do(t, "GET", "/admin/events?lang=en", "", "Cookie", cookie); !strings.Contains(en.Body, "1 scan → 0 requests → 0 members") {
		t.Errorf("English funnel: %s", en.Body)
	}
}

// TestStaffAuditPage filters the audit log by staff member, action and day.
func TestStaffAuditPage(t *testing.T) {
	a := newApp(t)
	first := a.join(t, "Acme", 1)
	a.approve(t, first) // the admin token, as "Julie (127.0.0.1)"
	second := a.join(t, "Bêta", 2)
	a.clock.Advance(48 * time.Hour)
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(second)+"/reject", `{"reason":"doublon"}`), http.StatusOK)
	cookie, _ := signedIn(t, a, "Julie Gagnon")
	get := func(q string) string {
		res := a.do(t, "GET", "/admin/audit?lang=fr&"+q, "", "Cookie", cookie)
		wantStatus(t, res, http.StatusOK)
		return res.Body
	}
	all := get("")
	if !strings.Contains(all, "— approbation —") || !strings.Contains(all, "refus — ") || !strings.Contains(all, `href="/admin/members/`+itoa(second)+`?lang=fr"`) {
		t.Errorf("audit page: %s", all)
	}
	if only := get("action=reject"); strings.Contains(only, "— approbation —") || !strings.Contains(only, "doublon") {
		t.Errorf("rejections only: %s", only)
	}
	if none := get("actor=Personne"); !strings.Contains(none, "Aucune action ne correspond.") {
		t.Errorf("unknown staff member: %s", none)
	}
	day := a.clock.Now().In(time.UTC).Format(time.DateOnly)
	if recent := get("since=" + day); strings.Contains(recent, "— approbation —") || !strings.Contains(recent, "doublon") {
		t.Errorf("since %s: %s", day, recent)
	}
	wantStatus(t, a.do(t, "GET", "/admin/audit?since=hier", "", "Cookie", cookie), http.StatusBadRequest)
	wantStatus(t, a.do(t, "GET", "/admin/audit", ""), http.StatusSeeOther)
	if !strings.Contains(all, `?lang=fr">Bêta</a>`) {
		t.Error("the audit page does not name the member")
	}
	if part := get("actor=julie"); !strings.Contains(part, "— approbation —") {
		t.Error("the actor filter does not find part of a name, whatever its case")
	}
	if !strings.Contains(all, `<option value="Julie Gagnon">`) {
		t.Error("the actor filter does not offer the staff's names")
	}

	// 150 imported members: 152 entries, 100 a page, older ones a link away.
	csv := "name,website,region,contact_email,consent_public\n"
	for i := range 150 {
		csv += "Import " + itoa(int64(i)) + ",https://import-" + itoa(int64(i)) + ".example,Laval,,true\n"
	}
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/import", csv), http.StatusCreated)
	page1 := get("")
	if n := strings.Count(page1, "<li><time"); n != 100 || !strings.Contains(page1, `rel="next"`) || strings.Contains(page1, `rel="prev"`) {
		t.Fatalf("first page: %d entries", n)
	}
	page2 := get("offset=100")
	if n := strings.Count(page2, "<li><time"); n != 52 || strings.Contains(page2, `rel="next"`) || !strings.Contains(page2, "— approbation —") {
		t.Errorf("second page: %d entries", n)
	}
}

// TestSignInComesBack: a console page opened without a session leads to
// the sign-in page and, once signed in, back to that page (never to
// another site); a form sent after the session ended says so on the
// sign-in page, and one with a stale form token says to reload.
func TestSignInComesBack(t *testing.T) {
	a := newApp(t)
	st := staffWithPassword(t, a, "julie@technopolys.example", "Julie Gagnon", "une phrase de passe")
	res := a.do(t, "GET", "/admin/members/5?lang=fr", "")
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/admin/signin?") || !strings.Contains(loc, "next=%2Fadmin%2Fmembers%2F5%3Flang%3Dfr") {
		t.Fatalf("without a session: %s", loc)
	}
	page := a.do(t, "GET", loc, "")
	if !strings.Contains(page.Body, "value=\"account\">\n  <input type=\"hidden\" name=\"next\" value=\"/admin/members/5?lang=fr\">") {
		t.Fatalf("the sign-in form does not carry the page: %s", page.Body)
	}
	for next, want := range map[string]string{
		"/admin/members/5?lang=fr": "/admin/members/5?lang=fr",
		"//evil.example/admin":     "/admin?lang=fr",
		"https://evil.example/":    "/admin?lang=fr",
		"/\\evil.example/admin":    "/admin?lang=fr",
		"/join":                    "/admin?lang=fr",
	} {
		res, _ := signIn(t, a, url.Values{"email": {st.Email}, "password": {"une phrase de passe"}, "next": {next}}, "Accept-Language", "fr")
		if got := res.Header.Get("Location"); got != want {
			t.Errorf("next %q: to %q, want %q", next, got, want)
		}
	}
	late := a.do(t, "POST", "/admin/members/5/approve?lang=fr", "csrf=x", "Content-Type", form, "Referer", a.URL+"/admin/members/5?lang=fr")
	wantStatus(t, late, http.StatusUnauthorized)
	if !strings.Contains(late.Body, "Votre session a pris fin") || !strings.Contains(late.Body, `id="password"`) ||
		!strings.Contains(late.Body, `name="next" value="/admin/members/5?lang=fr"`) {
		t.Errorf("a form after the session ended: %s", late.Body)
	}
	cookie, _ := signedIn(t, a, "Marc Roy")
	stale := a.do(t, "POST", "/admin/members/5/approve?lang=fr", "csrf=old", "Content-Type", form, "Cookie", cookie)
	wantStatus(t, stale, http.StatusForbidden)
	if !strings.Contains(stale.Body, "Rechargez la page") || !strings.Contains(stale.Body, `href="/admin?lang=fr">Retour à la console`) {
		t.Errorf("a stale form: %s", stale.Body)
	}
}
