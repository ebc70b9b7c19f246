package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

// consoleForms are every form of the console that changes something, with
// a body that would succeed from the console itself.
func consoleForms(id string) [][2]string {
	m := "/admin/members/" + id
	return [][2]string{
		{m + "/approve", ""}, {m + "/reject", "reason=Hors+du+Québec"}, {m + "/revoke", "other=x"},
		{m + "/reinstate", ""}, {m + "/reconsider", ""}, {m + "/erase", "scope=public&confirm=yes"},
		{m + "/edit", "name=Pirate&website=https%3A%2F%2Fpirate.example&region=Laval"},
		{"/admin/events", "code=pirate-2026&name_fr=Pirate&name_en=Pirate"},
		{"/admin/events/salon-2026", "name_fr=Pirate&name_en=Pirate"},
		{"/admin/events/salon-2026/archive", ""}, {"/admin/events/salon-2026/unarchive", ""},
		{"/admin/import", ""}, {"/admin/import/confirm", "text=name%2Cwebsite%2Cregion%2Ccontact_email%2Cconsent_public%0APirate%2Chttps%3A%2F%2Fpirate.example%2CLaval%2C%2Ctrue"},
		{"/admin/requests/1/approve", "confirm=yes"}, {"/admin/requests/1/refuse", "reason=Pirate"},
		{"/admin/signout", ""},
	}
}

// TestConsoleFormsRefuseForeignPosts: every form of the console refuses a
// post without a session, one with the session but without its form token
// or with another, and one sent from another site with a valid cookie and
// token (a page elsewhere that got hold of both): each with a clear 4xx,
// and nothing changes.
func TestConsoleFormsRefuseForeignPosts(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	id := a.join(t, "Acme Québec", 1)
	asking := a.join(t, "Globex", 2)
	a.approve(t, asking)
	a.request(t, asking, registry.RequestDeletion, "", "") // request 1
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	form := "application/x-www-form-urlencoded"
	for _, f := range consoleForms(itoa(id)) {
		path, body := f[0], f[1]
		with := func(token string) string {
			return strings.TrimPrefix(body+"&csrf="+url.QueryEscape(token), "&")
		}
		for _, c := range []struct {
			name    string
			body    string
			headers []string
			want    int
		}{
			{"no session", with(csrf), []string{"Content-Type", form}, http.StatusUnauthorized},
			{"no token", body, []string{"Content-Type", form, "Cookie", cookie}, http.StatusForbidden},
			{"another token", with("x" + csrf), []string{"Content-Type", form, "Cookie", cookie}, http.StatusForbidden},
			{"from another site", with(csrf), []string{"Content-Type", form, "Cookie", cookie, "Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
			{"from another origin", with(csrf), []string{"Content-Type", form, "Cookie", cookie, "Origin", "https://evil.example"}, http.StatusForbidden},
		} {
			if path == "/admin/signout" && c.name == "no session" {
				continue // signing out without a session has nothing to end
			}
			res := a.do(t, "POST", path, c.body, c.headers...)
			if res.StatusCode != c.want {
				t.Errorf("%s %s: %d, want %d", c.name, path, res.StatusCode, c.want)
			}
		}
	}
	m, err := a.store.FindMember(context.Background(), id)
	if err != nil || m.Status != registry.StatusPending || m.Name != "Acme Québec" || m.ContactEmail == "" {
		t.Errorf("a refused form changed the member: %+v %v", m, err)
	}
	e, err := a.store.FindEvent(context.Background(), "salon-2026")
	if err != nil || strings.Contains(e.NameFR, "Pirate") || !e.ArchivedAt.IsZero() {
		t.Errorf("a refused form changed the event: %+v %v", e, err)
	}
	if _, err := a.store.FindEvent(context.Background(), "pirate-2026"); registry.ErrorCode(err) != registry.ENOTFOUND {
		t.Errorf("a refused form created an event: %v", err)
	}
	if r, err := a.store.FindRequest(context.Background(), 1); err != nil || !r.Open() {
		t.Errorf("a refused form decided a member's request: %+v %v", r, err)
	}
	if m, _ := a.store.FindMember(context.Background(), asking); m.Tombstone() {
		t.Errorf("a refused form erased the member: %+v", m)
	}
	if _, total, _ := a.store.ListMembers(context.Background(), registry.MemberFilter{}); total != 2 {
		t.Errorf("a refused form imported members: %d", total)
	}
	// The session survived every refused sign-out.
	wantStatus(t, a.do(t, "GET", "/admin/queue", "", "Cookie", cookie), http.StatusOK)
	// Sign-in itself takes no post from elsewhere (login forgery).
	res := a.do(t, "POST", "/admin/signin", "email=julie.gagnon%40technopolys.example&password=une+phrase+de+passe",
		"Content-Type", form, "Sec-Fetch-Site", "cross-site")
	wantStatus(t, res, http.StatusForbidden)
}
