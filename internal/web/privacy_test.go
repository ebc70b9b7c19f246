package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web"
)

// TestPrivacyPage: the notice is in French by default and in English on
// request, names the configured address and the configured retention, asks
// nothing of a third party, and every page (the join form beside its
// submit button among them) links to it.
func TestPrivacyPage(t *testing.T) {
	a := newApp(t, func(c *web.Config) {
		c.IssuerEmail = "vie-privee@technopolys.example"
		c.Retention = 30 * 24 * time.Hour
	})
	for _, tt := range []struct{ path, lang, want string }{
		{"/privacy", "fr", "quand le refus date de 30\u00a0jours"},
		{"/privacy?lang=en", "en", "once the rejection is 30 days old"},
	} {
		res := a.do(t, "GET", tt.path, "")
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, `<html lang="`+tt.lang+`-CA"`) {
			t.Errorf("%s is not in %s", tt.path, tt.lang)
		}
		text := visibleText(res.Body)
		if !strings.Contains(strings.ReplaceAll(text, " ", "\u00a0"), strings.ReplaceAll(tt.want, " ", "\u00a0")) {
			t.Errorf("%s does not say %q: %s", tt.path, tt.want, text)
		}
		if !strings.Contains(res.Body, `href="mailto:vie-privee@technopolys.example"`) {
			t.Errorf("%s does not name the configured address", tt.path)
		}
		for _, third := range []string{"<script", "<img", "<iframe", "https://"} {
			if strings.Contains(strings.SplitN(res.Body, "<main", 2)[1], third) {
				t.Errorf("%s holds %s", tt.path, third)
			}
		}
	}
	for _, path := range []string{"/", "/members", "/join", "/join?lang=en", "/join/ok", "/nowhere"} {
		body := a.do(t, "GET", path, "").Body
		footer := body[strings.Index(body, `<footer`):]
		if !strings.Contains(footer, `href="/privacy?lang=`) {
			t.Errorf("%s: no privacy link in the footer", path)
		}
	}
	join := a.do(t, "GET", "/join?lang=en", "").Body
	form := join[strings.Index(join, "<form"):strings.Index(join, "</form>")]
	if !strings.Contains(form, `<a href="/privacy?lang=en">What we do with this information</a>`) {
		t.Errorf("the join form does not link to the notice: %s", form)
	}
}

// TestRetentionErasesRejectedContacts runs the server's retention task on
// the test clock: 91 days after a rejection the contact is gone, 89 days
// after one it is still there, an approved member keeps its contact, and a
// second run erases nothing more; the audit names « conservation limitée ».
func TestRetentionErasesRejectedContacts(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	day := 24 * time.Hour
	reject := func(id int64) {
		t.Helper()
		wantStatus(t, a.adminDo(t, "POST", "/api/v1/admin/members/"+itoa(id)+"/reject", `{"reason":"hors Québec"}`), http.StatusOK)
	}
	old, recent, approved := a.join(t, "Ancienne", 1), a.join(t, "Récente", 2), a.join(t, "Approuvée", 3)
	reject(old)
	a.approve(t, approved)
	a.clock.Advance(2 * day)
	reject(recent)
	a.clock.Advance(89 * day)
	for run, want := range []int{1, 0} {
		if n, err := a.web.EraseExpired(ctx); err != nil || n != want {
			t.Fatalf("run %d: %d erased, %v; want %d", run+1, n, err, want)
		}
	}
	for id, erased := range map[int64]bool{old: true, recent: false, approved: false} {
		m, err := a.store.FindMember(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if (m.ContactEmail == "") != erased || m.Name == "" {
			t.Errorf("%s: contact %q, want erased %v", m.Name, m.ContactEmail, erased)
		}
	}
	es, err := a.store.ListAudit(ctx, registry.AuditFilter{Action: registry.ActionErase, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].MemberID != old || es[0].Actor != "conservation limitée" || es[0].Reason != "contact" {
		t.Errorf("audit %+v", es)
	}
	if ds, _ := a.store.ListAudit(ctx, registry.AuditFilter{MemberID: old, Action: registry.ActionReject, Limit: 10}); len(ds) != 1 || ds[0].Reason != "hors Québec" {
		t.Errorf("the decision is no longer in the audit: %+v", ds)
	}
}
