package web_test

import (
	"testing"
)

// TestConfirmInTheBrowser: the contact opens the receipt's link, which
// asks; the button confirms, the page says so, and the queue card staff
// read says the address is confirmed.
func TestConfirmInTheBrowser(t *testing.T) {
	a := newApp(t)
	m := a.joinForm(t, "fr", "Acme Québec", "https://www.acme.ca", "marie@acme.ca")
	link := a.receiptLink(t, m)
	b := newTab(t, a)
	b.open(link + "?lang=fr") // as mailed to a French member
	b.says("h1", "Confirmer votre adresse")
	if !a.member(t, m.ID).ContactConfirmedAt.IsZero() {
		t.Fatal("opening the link confirmed the address")
	}
	b.click("main form button[type=submit]")
	b.says("h1", "Adresse confirmée")
	b.waitFor("the page says what comes next", `document.querySelector("main").innerText.includes("vous écrira à cette adresse")`)
	if a.member(t, m.ID).ContactConfirmedAt.IsZero() {
		t.Fatal("the button did not confirm the address")
	}
	staffWithPassword(t, a, "julie@technopolys.example", "Julie Gagnon", "une phrase de passe")
	b.signIn("julie@technopolys.example", "une phrase de passe", "Julie Gagnon")
	b.open("/admin/queue?lang=fr")
	b.says("#m"+itoa(m.ID)+" .marks .mark", "✓ Adresse confirmée")
}
