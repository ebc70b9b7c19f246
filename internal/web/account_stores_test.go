package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/postgres"
	"github.com/technopolys/technopolys/internal/store/postgres/pgtest"
	"github.com/technopolys/technopolys/internal/store/storetest"
)

// TestExportAndErasureOnBothStores walks a member's data out and away
// through the whole server, on SQLite and on PostgreSQL: the export holds
// what the store holds, a deletion request approved by staff erases it,
// signs the member out, and leaves the decision in the log without the
// data; approving it again says it was done.
func TestExportAndErasureOnBothStores(t *testing.T) {
	apps := map[string]func(t *testing.T) *app{
		"sqlite": func(t *testing.T) *app { return newApp(t) },
		"postgres": func(t *testing.T) *app {
			clock := storetest.NewClock()
			store, err := postgres.Open(context.Background(), pgtest.Schema(t), clock.Now)
			if err != nil {
				t.Fatal(err)
			}
			return newAppOn(t, store, clock)
		},
	}
	for name, newApp := range apps {
		t.Run(name, func(t *testing.T) { exportAndErase(t, newApp(t)) })
	}
}

func exportAndErase(t *testing.T, a *app) {
	ctx := context.Background()
	id := a.join(t, "Acme Québec", 1)
	wantStatus(t, a.do(t, "POST", a.receiptLink(t, a.member(t, id)), "", "Content-Type", form), http.StatusOK)
	slug := a.approve(t, id)
	cookie, csrf := memberSignedIn(t, a, "marie@company-1.example")

	res := a.do(t, "GET", "/account/export.json", "", "Cookie", cookie)
	wantStatus(t, res, http.StatusOK)
	var x struct {
		Member map[string]any
		Audit  []struct{ Action string }
		Mails  []struct{ Kind string }
	}
	if err := json.Unmarshal([]byte(res.Body), &x); err != nil {
		t.Fatal(err)
	}
	if x.Member["contact_email"] != "marie@company-1.example" || x.Member["slug"] != slug || len(x.Audit) != 1 || len(x.Mails) != 3 {
		t.Fatalf("export: %s", res.Body)
	}

	post := url.Values{"csrf": {csrf}, "confirm": {"yes"}}.Encode()
	wantStatus(t, a.do(t, "POST", "/account/deletion", post, "Content-Type", form, "Cookie", cookie), http.StatusSeeOther)
	open, err := a.store.ListRequests(ctx, 0)
	if err != nil || len(open) != 1 {
		t.Fatalf("open requests: %+v, %v", open, err)
	}
	staff, staffCSRF := signedIn(t, a, "Julie Gagnon")
	approve := "/admin/requests/" + itoa(open[0].ID) + "/approve"
	body := url.Values{"csrf": {staffCSRF}, "confirm": {"yes"}}.Encode()
	for i := range 2 {
		res := a.do(t, "POST", approve, body, "Content-Type", form, "Cookie", staff)
		if i == 0 {
			wantStatus(t, res, http.StatusSeeOther)
			continue
		}
		wantStatus(t, res, http.StatusSeeOther)
		if page := a.do(t, "GET", res.Header.Get("Location"), "", "Cookie", staff); !strings.Contains(page.Body, "déjà été traitée") {
			t.Fatalf("approved twice: %s", page.Body)
		}
	}

	m := a.member(t, id)
	if m.ContactEmail != "" || m.ContactName != "" || m.Name != "" || m.Website != "" || m.Slug != "" || !m.ContactConfirmedAt.IsZero() {
		t.Fatalf("after the erasure: %+v", m)
	}
	if res := a.do(t, "GET", "/account", "", "Cookie", cookie); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the erased member's session still opens its area: %d", res.StatusCode)
	}
	wantStatus(t, a.do(t, "GET", "/members/"+slug, ""), http.StatusNotFound)
	mails, _, _ := a.store.ListMail(ctx, false, 100, 0)
	for _, ml := range mails {
		if ml.MemberID == id {
			t.Errorf("a mail to the erased contact is kept: %+v", ml)
		}
	}
	entries, _ := a.store.ListAudit(ctx, registry.AuditFilter{MemberID: id, Limit: 10})
	actions := []string{}
	for _, e := range entries {
		actions = append(actions, string(e.Action)+" by "+e.Actor)
		if regexp.MustCompile(`(?i)acme|marie|company-1`).MatchString(e.Reason) {
			t.Errorf("the log keeps personal data: %+v", e)
		}
	}
	if strings.Join(actions, ", ") != "erase by Julie Gagnon, approve by Julie (jeton d’administration, 127.0.0.1)" {
		t.Errorf("audit: %v", actions)
	}
	askLink(t, a, "marie@company-1.example")
	if mails, _, _ := a.store.ListMail(ctx, true, 100, 0); len(mails) != 0 {
		t.Errorf("a sign-in link was mailed to an erased contact: %+v", mails)
	}
}
