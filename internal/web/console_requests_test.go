package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

// request saves a member's request as the member area would.
func (a *app) request(t *testing.T, memberID int64, kind registry.RequestKind, name, website string) *registry.MemberRequest {
	t.Helper()
	r := &registry.MemberRequest{MemberID: memberID, Kind: kind, Name: name, Website: website}
	if err := a.store.CreateRequest(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestConsoleRequests: staff see members' open requests, oldest first, a
// change beside the record it would change; approving a change renames the
// badge and the verification page (same address) and the audit log names
// the staff member; refusing keeps the reason; approving a deletion erases
// the member for good. Each decision taken twice is said to be done
// already; a change the record cannot take is said so, and left open.
func TestConsoleRequests(t *testing.T) {
	a := newApp(t)
	acme := a.join(t, "Acme", 1)
	acmeSlug := a.approve(t, acme)
	globex := a.join(t, "Globex", 2)
	a.approve(t, globex)
	initech := a.join(t, "Initech", 3)
	initechSlug := a.approve(t, initech)
	hooli := a.join(t, "Hooli", 4)
	a.approve(t, hooli)
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	get := func(path string) string {
		t.Helper()
		res := a.do(t, "GET", path, "", "Cookie", cookie)
		wantStatus(t, res, http.StatusOK)
		return res.Body
	}
	decide := func(r *registry.MemberRequest, action, lang string, v url.Values) response {
		t.Helper()
		return staffForm(t, a, cookie, csrf, "/admin/requests/"+itoa(r.ID)+"/"+action+"?lang="+lang, v)
	}
	back := func(lang, done string, r *registry.MemberRequest) string {
		return "/admin/requests?lang=" + lang + "&done=" + done + "&r=" + itoa(r.ID)
	}

	wantIn(t, "empty page", get("/admin/requests?lang=fr"), "Aucune demande de membre à traiter.")
	wantNotIn(t, "home without requests", get("/admin?lang=fr"), "demande de membre")
	change := a.request(t, acme, registry.RequestChange, "Acme Québec", "https://company-1.example")
	refused := a.request(t, globex, registry.RequestChange, "Globex Canada", "https://globex.example")
	deletion := a.request(t, initech, registry.RequestDeletion, "", "")
	taken := a.request(t, hooli, registry.RequestChange, "GLOBEX", "https://company-4.example")

	home := get("/admin?lang=fr")
	wantIn(t, "home", home, `<a href="/admin/requests?lang=fr">4 demandes de membres</a>`, `<a href="/admin/requests?lang=fr">Demandes des membres</a>`)
	wantIn(t, "home in English", get("/admin?lang=en"), "4 member requests", "Members’ requests")
	page := get("/admin/requests?lang=fr")
	wantIn(t, "requests page", page, "<h1>Demandes des membres</h1>", "4 demandes à traiter, les plus anciennes d’abord.",
		`<a href="/admin/members/`+itoa(acme)+`?lang=fr">Acme</a>`, "Changement de nom ou de site web", "<strong>Acme Québec</strong>",
		"(inchangé)", "Effacement des données", `action="/admin/requests/`+itoa(change.ID)+`/approve?lang=fr"`,
		`action="/admin/requests/`+itoa(refused.ID)+`/refuse?lang=fr"`, `name="confirm" value="yes" required`, `aria-current="page">Demandes des membres</a>`)
	if strings.Index(page, `id="r`+itoa(change.ID)+`"`) > strings.Index(page, `id="r`+itoa(deletion.ID)+`"`) {
		t.Error("the requests are not oldest first")
	}
	wantIn(t, "requests page in English", get("/admin/requests?lang=en"), "<h1>Members’ requests</h1>", "4 requests to decide, oldest first.",
		"Approve the change", "Erase the data", "Reason for refusing (required)")

	t.Run("approve a change", func(t *testing.T) {
		for i, lang := range []string{"fr", "en"} {
			res := decide(change, "approve", lang, url.Values{})
			if i == 0 {
				body := wantRedirect(t, a, cookie, res, back(lang, "approve", change))
				wantIn(t, "after approving", body, "Changement fait\u00a0: la fiche s’appelle maintenant «\u00a0Acme Québec\u00a0».")
				wantNotIn(t, "after approving", body, `id="r`+itoa(change.ID)+`"`)
				continue
			}
			body := wantRedirect(t, a, cookie, res, "/admin/requests?lang=en&done=already")
			wantIn(t, "second click", body, "This request was already decided.")
		}
		svg := parseSVG(t, a.do(t, "GET", "/badge/"+acmeSlug+".svg?lang=fr", "").Body)
		if !strings.HasPrefix(svg.Title, "Acme Québec") {
			t.Errorf("badge title after the change: %q", svg.Title)
		}
		wantIn(t, "verification page", a.do(t, "GET", "/members/"+acmeSlug+"?lang=fr", "").Body, "Acme Québec")
		wantIn(t, "audit", get("/admin/audit?lang=fr&action=edit"), "— Julie Gagnon — ", "Acme → Acme Québec")
		wantIn(t, "member page", get("/admin/members/"+itoa(acme)+"?lang=fr"), "Demandes du membre", "Approuvée le ", "par Julie Gagnon")
		// A notice is read from the store, not the link.
		wantNotIn(t, "forged notice", get(back("fr", "refuse", change)), "est refusée")
	})

	t.Run("refuse", func(t *testing.T) {
		res := decide(refused, "refuse", "fr", url.Values{"reason": {" "}})
		wantStatus(t, res, http.StatusBadRequest)
		wantIn(t, "refusal without a reason", res.Body, `role="alert"`, `href="#r`+itoa(refused.ID)+`"`)
		for i := range 2 {
			res := decide(refused, "refuse", "fr", url.Values{"reason": {"Le nom est celui d’une autre entreprise"}})
			if i == 0 {
				body := wantRedirect(t, a, cookie, res, back("fr", "refuse", refused))
				wantIn(t, "after refusing", body, "La demande de «\u00a0Globex\u00a0» est refusée.")
				continue
			}
			wantIn(t, "second refusal", wantRedirect(t, a, cookie, res, "/admin/requests?lang=fr&done=already"), "Cette demande a déjà été traitée.")
		}
		if m, _ := a.store.FindMember(context.Background(), globex); m.Name != "Globex" {
			t.Errorf("a refusal renamed the member: %+v", m)
		}
		wantIn(t, "member page", get("/admin/members/"+itoa(globex)+"?lang=en"), "The member’s requests", "Refused on ",
			"by Julie Gagnon — Le nom est celui d’une autre entreprise")
	})

	t.Run("a conflict is said so", func(t *testing.T) {
		for range 2 {
			res := decide(taken, "approve", "fr", url.Values{})
			wantStatus(t, res, http.StatusConflict)
			wantIn(t, "name taken", res.Body, "Une entreprise de ce nom a déjà une demande en cours ou une adhésion.", `id="r`+itoa(taken.ID)+`"`)
		}
		res := decide(taken, "approve", "en", url.Values{})
		wantIn(t, "name taken in English", res.Body, "A company of that name already has a pending request or a membership.")
		if r, _ := a.store.FindRequest(context.Background(), taken.ID); !r.Open() {
			t.Errorf("a conflict decided the request: %+v", r)
		}
	})

	t.Run("approve a deletion", func(t *testing.T) {
		wantStatus(t, a.do(t, "GET", "/badge/"+initechSlug+".svg", ""), http.StatusOK) // cached, to be dropped
		res := decide(deletion, "approve", "fr", url.Values{})
		wantStatus(t, res, http.StatusBadRequest)
		wantIn(t, "deletion without the box", res.Body, "Cochez la case de confirmation\u00a0: rien n’a été effacé.")
		for i := range 2 {
			res := decide(deletion, "approve", "fr", url.Values{"confirm": {"yes"}})
			if i == 0 {
				body := wantRedirect(t, a, cookie, res, back("fr", "approve", deletion))
				wantIn(t, "after erasing", body, "Les données du membre nº\u00a0"+itoa(initech)+" sont effacées.")
				continue
			}
			wantRedirect(t, a, cookie, res, "/admin/requests?lang=fr&done=already")
		}
		m, err := a.store.FindMember(context.Background(), initech)
		if err != nil || !m.Tombstone() || m.ContactEmail != "" {
			t.Fatalf("after the deletion: %+v %v", m, err)
		}
		wantStatus(t, a.do(t, "GET", "/members/"+initechSlug+"?lang=fr", ""), http.StatusNotFound)
		if res := a.do(t, "GET", "/badge/"+initechSlug+".svg?lang=fr", ""); res.StatusCode != http.StatusNotFound || parseSVG(t, res.Body).Texts[1] != "nonmembre" {
			t.Errorf("badge of an erased member: %d %s", res.StatusCode, res.Body)
		}
		wantIn(t, "audit", get("/admin/audit?lang=fr&action=erase"), "— Julie Gagnon — effacement — ", "— fiche publique")
	})

	wantStatus(t, staffForm(t, a, cookie, csrf, "/admin/requests/999/approve", url.Values{}), http.StatusNotFound)
	wantStatus(t, staffForm(t, a, cookie, csrf, "/admin/requests/"+itoa(change.ID)+"/delete", url.Values{}), http.StatusNotFound)
	if res := a.do(t, "GET", "/admin/requests/"+itoa(change.ID)+"/approve?lang=en", "", "Cookie", cookie); res.Header.Get("Location") != "/admin/requests?lang=en" {
		t.Errorf("a GET of a form's address: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	wantIn(t, "home after", get("/admin?lang=fr"), ">1 demande de membre</a>")
}
