package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

// TestStaffMembersPage: staff find members by name (whatever the accents),
// website or slug, filter by status, region and event, page through them,
// and export the view as a CSV that a spreadsheet opens as text.
func TestStaffMembersPage(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	quebec := a.join(t, "Acme Québec", 1)
	a.approve(t, quebec)
	a.join(t, "=HYPERLINK(\"https://evil.example\")", 2)
	body := strings.Replace(joinJSON("Bêta Laval", 3), `"Montréal"`, `"Laval"`, 1)
	body = strings.Replace(body, `"consent_public"`, `"event":"salon-2026","consent_public"`, 1)
	wantStatus(t, a.do(t, "POST", "/api/v1/members", body), http.StatusCreated)

	wantStatus(t, a.do(t, "GET", "/admin/members", ""), http.StatusSeeOther)
	cookie, _ := signedIn(t, a, "Julie Gagnon")
	list := func(query string) string {
		t.Helper()
		res := a.do(t, "GET", "/admin/members?"+query, "", "Cookie", cookie)
		wantStatus(t, res, http.StatusOK)
		return res.Body
	}
	for query, want := range map[string][]string{
		"q=quebec":            {"Acme Québec", "1 fiche trouvée"},
		"q=COMPANY-3.example": {"Bêta Laval"},
		"q=https%3A%2F%2Fwww.company-3.example%2Fcontact": {"Bêta Laval", "1 fiche trouvée"},
		"q=company-3.example%2F":                          {"Bêta Laval", "1 fiche trouvée"},
		"status=approved":                                 {"Acme Québec"},
		"region=laval":                                    {"Bêta Laval"},
		"event=salon-2026":                                {"Bêta Laval"},
		"status=pending&q=hyper":                          {"HYPERLINK", "1 fiche trouvée"},
		"q=nobody":                                        {"Aucune fiche", "0 fiche trouvée"},
		"":                                                {"3 fiches trouvées", "Acme Québec", "Bêta Laval"},
		"q=quebec&lang=en":                                {"1 record found"},
		"q=%3Cscript%3Ealert(1)%3C":                       {"0 fiche trouvée"},
	} {
		page := list(query)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: no %q in the page", query, w)
			}
		}
		if strings.Contains(page, "<script>alert") {
			t.Errorf("%s: the search is not escaped", query)
		}
	}
	if page := list("status=approved"); strings.Contains(page, "Bêta Laval") {
		t.Error("status=approved lists a pending member")
	}
	wantStatus(t, a.do(t, "GET", "/admin/members?status=nope", "", "Cookie", cookie), http.StatusBadRequest)

	res := a.do(t, "GET", "/admin/members?format=csv&status=pending&lang=fr", "", "Cookie", cookie)
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("export: %s", ct)
	}
	if !strings.HasPrefix(res.Body, "\ufeff") {
		t.Error("export: no BOM, Excel would read the accents wrong")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "nom" || rows[0][2] != "région" {
		t.Fatalf("export of the pending view: %q", rows)
	}
	for _, row := range rows[1:] {
		if strings.HasPrefix(row[0], "=") {
			t.Errorf("a cell a spreadsheet would run: %q", row[0])
		}
		if row[6] != "en attente" || row[4] != "oui" {
			t.Errorf("export of pending holds %q", row)
		}
	}
	if rows[2][0] != "Bêta Laval" || rows[2][2] != "Laval" {
		t.Errorf("second row: %q", rows[2])
	}
	// What the French export holds, the import reads back.
	if f := registry.ReadImport([]byte(res.Body)); len(f.Rows) != 2 || f.Rows[1].Member.Name != "Bêta Laval" {
		t.Errorf("the import does not read the export back: %d rows, %v", len(f.Rows), f.Problems)
	}
}

// TestStaffMembersPaging: 50 members a page, with links that keep the
// filters.
func TestStaffMembersPaging(t *testing.T) {
	a := newApp(t)
	for i := range 53 {
		a.join(t, "Entreprise "+itoa(int64(i)), i)
	}
	cookie, _ := signedIn(t, a, "Julie Gagnon")
	first := a.do(t, "GET", "/admin/members?status=pending", "", "Cookie", cookie).Body
	if strings.Count(first, `href="/admin/members/`) != 50 || !strings.Contains(first, "53 fiches trouvées") {
		t.Fatalf("first page: %d members", strings.Count(first, `href="/admin/members/`))
	}
	next := url.Values{"lang": {"fr"}, "offset": {"50"}, "status": {"pending"}}.Encode()
	if !strings.Contains(first, strings.ReplaceAll("/admin/members?"+next, "&", "&amp;")) {
		t.Fatalf("no link to the next page keeping the filter: %s", first)
	}
	second := a.do(t, "GET", "/admin/members?"+next, "", "Cookie", cookie).Body
	if n := strings.Count(second, `href="/admin/members/`); n != 3 || !strings.Contains(second, `rel="prev"`) || !strings.Contains(second, "Page 2 sur 2") {
		t.Fatalf("second page: %d members", n)
	}
	// An old link past the end shows the last page, not an empty one.
	past := a.do(t, "GET", "/admin/members?status=pending&offset=9999999999999", "", "Cookie", cookie).Body
	if n := strings.Count(past, `href="/admin/members/`); n != 50 {
		t.Errorf("a huge offset: %d members", n)
	}
	if late := a.do(t, "GET", "/admin/members?status=pending&offset=5000", "", "Cookie", cookie).Body; !strings.Contains(late, "Page 2 sur 2") {
		t.Error("an offset past the end does not show the last page")
	}
}

// TestStaffEditKeepsWhatWasTyped: an edit refused (another member's
// website) shows the form again with what staff typed and the error linked
// to its field; the form's address, reloaded, goes back to the member.
func TestStaffEditKeepsWhatWasTyped(t *testing.T) {
	a := newApp(t)
	a.join(t, "Acme", 1)
	id := a.join(t, "Bêta", 2)
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	body := url.Values{"csrf": {csrf}, "name": {"Nom tapé par Julie"}, "website": {"https://company-1.example"}, "region": {"Estrie"}}.Encode()
	res := a.do(t, "POST", "/admin/members/"+itoa(id)+"/edit?lang=fr", body, "Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, http.StatusConflict)
	for _, want := range []string{`value="Nom tapé par Julie"`, `<option selected>Estrie</option>`, `href="#website"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the refused edit lacks %s", want)
		}
	}
	back := a.do(t, "GET", "/admin/members/"+itoa(id)+"/edit?lang=en", "", "Cookie", cookie)
	wantStatus(t, back, http.StatusSeeOther)
	if loc := back.Header.Get("Location"); loc != "/admin/members/"+itoa(id)+"?lang=en" {
		t.Errorf("reloading the form's address goes to %s", loc)
	}
}
