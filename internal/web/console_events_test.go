package web_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web"
)

// syncBuffer is a log written by the server's goroutines and read by the
// test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// staffForm posts a console form with the session and its form token.
func staffForm(t *testing.T, a *app, cookie, csrf, path string, v url.Values) response {
	t.Helper()
	v.Set("csrf", csrf)
	return a.do(t, "POST", path, v.Encode(), "Cookie", cookie, "Content-Type", form)
}

// wantRedirect checks a 303 to want and returns the page it leads to.
func wantRedirect(t *testing.T, a *app, cookie string, res response, want string) string {
	t.Helper()
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != want {
		t.Fatalf("%s %s: to %q, want %q", res.Request.Method, res.Request.URL.Path, loc, want)
	}
	after := a.do(t, "GET", want, "", "Cookie", cookie)
	wantStatus(t, after, http.StatusOK)
	return after.Body
}

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func wantNotIn(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s still has %q", what, w)
		}
	}
}

// TestStaffEditArchiveEvent: staff change an event's names, date and place
// from a prefilled form (its code shown, never changed), see errors linked
// to their fields with what they typed, and archive an event and make it
// active again; a second click says it is done already.
func TestStaffEditArchiveEvent(t *testing.T) {
	var logs syncBuffer
	a := newApp(t, func(c *web.Config) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	create := url.Values{"code": {"salon-2026"}, "name_fr": {"Salon techno"}, "name_en": {"Tech fair"}, "starts_on": {"2026-12-03"}, "place": {"Québec"}}
	wantStatus(t, staffForm(t, a, cookie, csrf, "/admin/events?lang=fr", create), http.StatusSeeOther)
	if b := a.do(t, "GET", "/join?event=salon-2026&lang=fr", "").Body; !strings.Contains(b, "Salon techno") { // and now cached
		t.Fatalf("join page before the edit: %s", b)
	}
	page := "/admin/events/salon-2026"
	list := a.do(t, "GET", "/admin/events?lang=fr", "", "Cookie", cookie).Body
	wantIn(t, "events page", list, `href="/admin/events/salon-2026?lang=fr"`, `action="/admin/events/salon-2026/archive?lang=fr"`,
		`<span class="visually-hidden"> Salon techno</span>`)

	// Without a session, or without its form token, nothing changes.
	wantStatus(t, a.do(t, "GET", page+"?lang=fr", ""), http.StatusSeeOther)
	edit := url.Values{"name_fr": {"Salon techno de Québec"}, "name_en": {"Québec tech fair"}, "starts_on": {"2026-12-04"}, "place": {"Centre des congrès"}}
	wantStatus(t, a.do(t, "POST", page, edit.Encode(), "Content-Type", form), http.StatusUnauthorized)
	wantStatus(t, a.do(t, "POST", page, edit.Encode(), "Cookie", cookie, "Content-Type", form), http.StatusForbidden)
	bad := url.Values{"csrf": {"not-the-token"}}
	wantStatus(t, a.do(t, "POST", page+"/archive", bad.Encode(), "Cookie", cookie, "Content-Type", form), http.StatusForbidden)

	// The form is prefilled; the code is shown, not a field.
	res := a.do(t, "GET", page+"?lang=fr", "", "Cookie", cookie)
	wantStatus(t, res, http.StatusOK)
	wantIn(t, "edit form", res.Body, `value="Salon techno"`, `value="Tech fair"`, `value="2026-12-03"`, `value="Québec"`, "<code>salon-2026</code>",
		`action="/admin/events/salon-2026?lang=fr"`, `name="csrf" value="`+csrf+`"`)
	wantNotIn(t, "edit form", res.Body, `name="code"`)

	// A bad date and a missing name: 400, each error linked to its field,
	// what was typed kept, nothing saved.
	wrong := url.Values{"name_fr": {""}, "name_en": {"Québec tech fair"}, "starts_on": {"2026-13-45"}, "place": {"Centre des congrès"}}
	res = staffForm(t, a, cookie, csrf, page+"?lang=fr", wrong)
	wantStatus(t, res, http.StatusBadRequest)
	wantIn(t, "bad edit", res.Body, `href="#starts_on"`, `href="#name_fr"`, "Date\u00a0: date attendue au format AAAA-MM-JJ.",
		`value="2026-13-45"`, `value="Québec tech fair"`)
	if e, err := a.store.FindEvent(context.Background(), "salon-2026"); err != nil || e.NameFR != "Salon techno" || e.StartsOn != "2026-12-03" {
		t.Fatalf("a bad edit changed the event: %+v %v", e, err)
	}

	// Saved twice: the same answer, the new name everywhere.
	for range 2 {
		body := wantRedirect(t, a, cookie, staffForm(t, a, cookie, csrf, page+"?lang=fr", edit), "/admin/events?lang=fr&done=saved")
		wantIn(t, "events page after the edit", body, "Événement enregistré.", "Salon techno de Québec", "4\u00a0décembre 2026 · Centre des congrès")
	}
	wantIn(t, "join page after the edit", a.do(t, "GET", "/join?event=salon-2026&lang=fr", "").Body, "Salon techno de Québec")
	wantIn(t, "English join page", a.do(t, "GET", "/join?event=salon-2026&lang=en", "").Body, "Québec tech fair")

	// Unknown events and actions are not found.
	wantStatus(t, a.do(t, "GET", "/admin/events/nope?lang=fr", "", "Cookie", cookie), http.StatusNotFound)
	wantStatus(t, a.do(t, "GET", "/admin/events/Not%20A%20Code", "", "Cookie", cookie), http.StatusNotFound)
	wantStatus(t, staffForm(t, a, cookie, csrf, "/admin/events/nope", edit), http.StatusNotFound)
	wantStatus(t, staffForm(t, a, cookie, csrf, "/admin/events/nope/archive", url.Values{}), http.StatusNotFound)
	wantStatus(t, staffForm(t, a, cookie, csrf, page+"/delete", url.Values{}), http.StatusNotFound)

	// Archived, twice: the second click is said to be done already.
	body := wantRedirect(t, a, cookie, staffForm(t, a, cookie, csrf, page+"/archive?lang=fr", url.Values{}), "/admin/events?lang=fr&done=archived")
	wantIn(t, "events page after archiving", body, "Événement archivé.", "Aucun événement actif.", "Événements archivés",
		`<details class="archived" open>`, "Archivé le", `action="/admin/events/salon-2026/unarchive?lang=fr"`, ">Réactiver<")
	if e, _ := a.store.FindEvent(context.Background(), "salon-2026"); e.ArchivedAt.IsZero() {
		t.Fatal("not archived")
	}
	body = wantRedirect(t, a, cookie, staffForm(t, a, cookie, csrf, page+"/archive?lang=fr", url.Values{}), "/admin/events?lang=fr&done=already_archived")
	wantIn(t, "second archive", body, "Cet événement est déjà archivé.")
	if b := a.do(t, "GET", "/join?event=salon-2026&lang=fr", "").Body; !strings.Contains(b, "Salon techno de Québec") {
		t.Error("an archived event no longer brings joins")
	}

	// Active again, twice.
	body = wantRedirect(t, a, cookie, staffForm(t, a, cookie, csrf, page+"/unarchive?lang=fr", url.Values{}), "/admin/events?lang=fr&done=unarchived")
	wantIn(t, "events page after unarchiving", body, "Événement réactivé.", `action="/admin/events/salon-2026/archive?lang=fr"`)
	wantNotIn(t, "events page after unarchiving", body, "Événements archivés")
	body = wantRedirect(t, a, cookie, staffForm(t, a, cookie, csrf, page+"/unarchive?lang=en", url.Values{}), "/admin/events?lang=en&done=not_archived")
	wantIn(t, "second unarchive", body, "This event is not archived.")

	for _, want := range []string{`msg="event edited" code=salon-2026 actor="Julie Gagnon"`, `msg="event archived" code=salon-2026 actor="Julie Gagnon"`,
		`msg="event unarchived" code=salon-2026 actor="Julie Gagnon"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s", want)
		}
	}
}

// TestStaffEraseMember: staff erase a contact, then a company's public
// record; the audit log names them, a second erase is said to be done
// already, and the erased member is gone from every public page and cannot
// come back.
func TestStaffEraseMember(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme", 1)
	sl := a.approve(t, id)
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	page := "/admin/members/" + itoa(id)
	erase := func(v url.Values) response { return staffForm(t, a, cookie, csrf, page+"/erase?lang=fr", v) }

	body := a.do(t, "GET", page+"?lang=fr", "", "Cookie", cookie).Body
	wantIn(t, "member page", body, "Effacer les données personnelles", `action="/admin/members/`+itoa(id)+`/erase?lang=fr"`,
		`name="scope" value="contact" checked`, `name="scope" value="public"`, `name="confirm" value="yes" required`)

	// Without the token, the confirmation or a scope, nothing is erased.
	wantStatus(t, a.do(t, "POST", page+"/erase", url.Values{"scope": {"contact"}, "confirm": {"yes"}}.Encode(), "Cookie", cookie, "Content-Type", form),
		http.StatusForbidden)
	wantStatus(t, a.do(t, "POST", page+"/erase", url.Values{"scope": {"contact"}, "confirm": {"yes"}}.Encode(), "Content-Type", form), http.StatusUnauthorized)
	res := erase(url.Values{"scope": {"contact"}})
	wantStatus(t, res, http.StatusBadRequest)
	wantIn(t, "erase without the confirmation", res.Body, "cochez la case de confirmation")
	wantStatus(t, erase(url.Values{"scope": {"everything"}, "confirm": {"yes"}}), http.StatusBadRequest)
	if m, _ := a.store.FindMember(context.Background(), id); m.ContactEmail == "" {
		t.Fatal("erased without the confirmation")
	}
	wantStatus(t, staffForm(t, a, cookie, csrf, "/admin/members/999/erase", url.Values{"scope": {"contact"}, "confirm": {"yes"}}), http.StatusNotFound)

	// The contact alone: the membership goes on.
	done := page + "?lang=fr&done=erase"
	body = wantRedirect(t, a, cookie, erase(url.Values{"scope": {"contact"}, "confirm": {"yes"}}), done)
	wantIn(t, "after erasing the contact", body, "Données personnelles effacées.", "Effacée le", "<h1>Acme</h1>", "effacement — personne-ressource",
		"Révoquer", `/edit?lang=fr`)
	wantNotIn(t, "after erasing the contact", body, "marie@company-1.example", "Marie Tremblay", `name="scope" value="contact"`)
	wantStatus(t, a.do(t, "GET", "/badge/"+sl+".svg", ""), http.StatusOK)
	body = wantRedirect(t, a, cookie, erase(url.Values{"scope": {"contact"}, "confirm": {"yes"}}), page+"?lang=fr&done=already_erased")
	wantIn(t, "second erase", body, "Ces données personnelles sont déjà effacées.")
	audit := a.do(t, "GET", "/admin/audit?lang=fr&action=erase", "", "Cookie", cookie).Body
	wantIn(t, "audit page", audit, `<option value="erase" selected>effacement</option>`, "— Julie Gagnon — effacement — ", "personne-ressource")

	// The public record too: revoked, gone from public pages, for good.
	body = wantRedirect(t, a, cookie, erase(url.Values{"scope": {"public"}, "confirm": {"yes"}}), done)
	wantIn(t, "tombstone", body, "Membre effacé nº\u00a0"+itoa(id), "La fiche publique de ce membre a été effacée", "révoquée",
		"effacement — fiche publique", "effacement des données personnelles")
	wantNotIn(t, "tombstone", body, "<h1>Acme</h1>", "company-1.example", "/edit?", "Réintégrer", `/erase?`)
	body = wantRedirect(t, a, cookie, erase(url.Values{"scope": {"public"}, "confirm": {"yes"}}), page+"?lang=fr&done=already_erased")
	wantIn(t, "second public erase", body, "Ces données personnelles sont déjà effacées.")
	m, err := a.store.FindMember(context.Background(), id)
	if err != nil || !m.Tombstone() || m.Status != registry.StatusRevoked || m.Slug != "" {
		t.Fatalf("after the public erase: %+v %v", m, err)
	}
	wantStatus(t, a.do(t, "GET", "/members/"+sl+"?lang=fr", ""), http.StatusNotFound)
	if res := a.do(t, "GET", "/badge/"+sl+".svg?lang=fr", ""); res.StatusCode != http.StatusNotFound || parseSVG(t, res.Body).Texts[1] != "nonmembre" {
		t.Errorf("badge of an erased member: %d %s", res.StatusCode, res.Body)
	}
	wantNotIn(t, "directory", a.do(t, "GET", "/members?lang=fr", "").Body, "Acme", sl)

	// Reinstating or editing it fails politely.
	for range 2 {
		body = wantRedirect(t, a, cookie, staffForm(t, a, cookie, csrf, page+"/reinstate?lang=fr", url.Values{"back": {"member"}}), page+"?lang=fr&done=erased")
		wantIn(t, "reinstating a tombstone", body, "Impossible\u00a0: la fiche publique de ce membre a été effacée.")
	}
	res = staffForm(t, a, cookie, csrf, page+"/edit?lang=fr", url.Values{"name": {"Acme"}, "website": {"https://company-1.example"}, "region": {"Laval"}})
	wantStatus(t, res, http.StatusConflict)
	wantIn(t, "editing a tombstone", res.Body, "la fiche publique de ce membre a été effacée")
	wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(id)+"/reinstate", ""), http.StatusConflict)

	// A pending request erased is rejected.
	pending := a.join(t, "Bêta", 2)
	wantRedirect(t, a, cookie, staffForm(t, a, cookie, csrf, "/admin/members/"+itoa(pending)+"/erase?lang=en", url.Values{"scope": {"public"}, "confirm": {"yes"}}),
		"/admin/members/"+itoa(pending)+"?lang=en&done=erase")
	if m, _ := a.store.FindMember(context.Background(), pending); m.Status != registry.StatusRejected || !m.Tombstone() {
		t.Errorf("pending request erased: %+v", m)
	}
	wantNotIn(t, "queue", a.do(t, "GET", "/admin/queue?lang=fr", "", "Cookie", cookie).Body, "Bêta")
}

// TestStaffMemberEmbeds lists the sites showing a member's badge, most
// viewed first, 50 a page, with the sites outside its domain flagged.
func TestStaffMemberEmbeds(t *testing.T) {
	a := newApp(t)
	id := a.join(t, "Acme", 1)
	a.approve(t, id)
	quiet := a.join(t, "Bêta", 2)
	a.approve(t, quiet)
	counts := []registry.EmbedCount{{MemberID: id, Site: "copycat.example", Views: 5000}, {MemberID: id, Site: "www.company-1.example", Views: 4000}}
	for i := range 119 {
		counts = append(counts, registry.EmbedCount{MemberID: id, Site: fmt.Sprintf("s%03d.company-1.example", i), Views: int64(1000 - i)})
	}
	counts = append(counts, registry.EmbedCount{MemberID: id, Site: "last.partner.example", Views: 1})
	if err := a.store.RecordEmbeds(context.Background(), counts); err != nil {
		t.Fatal(err)
	}
	cookie, _ := signedIn(t, a, "Julie Gagnon")
	page := "/admin/members/" + itoa(id)
	get := func(q string) string {
		t.Helper()
		res := a.do(t, "GET", page+"?lang=fr"+q, "", "Cookie", cookie)
		wantStatus(t, res, http.StatusOK)
		return res.Body
	}
	today := locale.FR.Date(a.clock.Now())
	first := get("")
	wantIn(t, "first page", first, "Sites du badge", "122 sites · 1 à 50 sur 122", "<strong>copycat.example</strong> <span class=\"flag\">hors du domaine du membre</span>",
		"<strong>www.company-1.example</strong><br>4\u00a0000 affichages · vu le "+today, "s000.company-1.example", "s047.company-1.example",
		`href="/admin/members/`+itoa(id)+`?lang=fr&amp;embeds=50#embeds">Suivants`)
	wantNotIn(t, "first page", first, "s048.company-1.example", "Précédents")
	if n := strings.Count(first, "hors du domaine du membre"); n != 1 {
		t.Errorf("first page flags %d sites, want 1", n)
	}
	if strings.Index(first, "copycat.example") > strings.Index(first, "s000.company-1.example") {
		t.Error("not the most viewed first")
	}
	second := get("&embeds=50")
	wantIn(t, "second page", second, "51 à 100 sur 122", "s048.company-1.example", "embeds=0#embeds\">Précédents", "embeds=100#embeds\">Suivants")
	wantNotIn(t, "second page", second, "copycat.example")
	last := get("&embeds=100")
	wantIn(t, "last page", last, "101 à 122 sur 122", "<strong>last.partner.example</strong> <span class=\"flag\">", "1 affichage · vu", "embeds=50#embeds\">Précédents")
	wantNotIn(t, "last page", last, "Suivants")
	for _, q := range []string{"&embeds=abc", "&embeds=-5"} {
		wantIn(t, "page "+q, get(q), "1 à 50 sur 122")
	}
	wantIn(t, "past the end", get("&embeds=500"), "122 sites", "embeds=72#embeds\">Précédents")
	en := a.do(t, "GET", page+"?lang=en&embeds=100", "", "Cookie", cookie).Body
	wantIn(t, "English page", en, "101 to 122 of 122", "1 view · seen on "+locale.EN.Date(a.clock.Now()), "outside the member’s domain", ">Previous<")
	none := a.do(t, "GET", "/admin/members/"+itoa(quiet)+"?lang=fr", "", "Cookie", cookie).Body
	wantIn(t, "member without sites", none, "Aucun site n\u2019affiche encore ce badge.")
	wantNotIn(t, "member without sites", none, "Suivants")
}
