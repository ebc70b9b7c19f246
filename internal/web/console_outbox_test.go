package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestStaffOutboxPage: with no SMTP server, staff see the mails waiting,
// each as it would be sent, its links included: the approval carries the
// member's verification page.
func TestStaffOutboxPage(t *testing.T) {
	a := newApp(t)
	slug := a.approve(t, a.join(t, "Acme <b>Québec</b>", 1))
	wantStatus(t, a.do(t, "GET", "/admin/outbox", ""), http.StatusSeeOther)
	cookie, _ := signedIn(t, a, "Julie Gagnon")
	page := a.do(t, "GET", "/admin/outbox?lang=fr", "", "Cookie", cookie)
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"2 courriels", "Approbation · marie@company-1.example", "Accusé de réception",
		"https://technopolys.example/members/" + slug, "à envoyer", "Acme &lt;b&gt;Québec&lt;/b&gt;"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the outbox lacks %q", want)
		}
	}
	// Its links open from the page: the member's page, the sign-in page,
	// the confirmation link of the receipt.
	for _, link := range []string{`<a href="https://technopolys.example/members/` + slug + `?lang=fr">`,
		`<a href="https://technopolys.example/account/signin?lang=fr">`, `<a href="https://technopolys.example/join/confirm/`} {
		if !strings.Contains(page.Body, link) {
			t.Errorf("the outbox lacks the link %s", link)
		}
	}
	if strings.Contains(page.Body, "<b>Québec") {
		t.Error("a company's name is not escaped in the outbox")
	}
	if en := a.do(t, "GET", "/admin/outbox?lang=en", "", "Cookie", cookie); !strings.Contains(en.Body, "2 messages") || !strings.Contains(en.Body, "Approval") {
		t.Error("the English outbox is not in English")
	}
}
