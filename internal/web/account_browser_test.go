package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMemberSignsInAndPicksABadgeInTheBrowser: a member asks for a link
// with the French form, follows the link the mail carries, presses the
// button that spends it, and on its badge page picks another style: the
// preview and the snippets show it.
func TestMemberSignsInAndPicksABadgeInTheBrowser(t *testing.T) {
	a := newApp(t)
	a.approve(t, a.join(t, "Acme Québec inc.", 1))
	b := newTab(t, a)

	b.open("/account/signin?lang=fr")
	b.says("main h1", "Entrer dans l’espace membre")
	b.typeIn("#email", "marie@company-1.example")
	b.click(`main form button[type=submit]`)
	b.says("main [role=status]", linkSent)

	b.open(mailedLink(t, a) + "?lang=fr") // as mailed to a French member
	b.says("main h1", "Votre lien de connexion")
	b.click(`main form button[type=submit]`)
	b.waitFor("the area after the link", `location.pathname === "/account"`)
	b.says("main h1", "Mon espace membre")
	b.says("#listing", "Acme Québec inc.")

	b.click(`nav.area a[href^="/account/badge"]`)
	b.waitFor("the badge page", `location.pathname === "/account/badge"`)
	loaded := `(i => !!i && i.complete && i.naturalWidth > 0)(document.querySelector("figure.chosen img"))`
	b.waitFor("the first preview", loaded+` && !document.querySelector("figure.chosen img").src.includes("plastic")`)
	b.run(chromedp.SetValue("#choice-style", "plastic"), chromedp.SetValue("#choice-theme", "dark"))
	b.click(`form.badge-choice button[type=submit]`)
	b.waitFor("the preview of the choice", loaded+` && document.querySelector("figure.chosen img").src.includes("style=plastic") && document.querySelector("figure.chosen").classList.contains("theme-dark")`)
	b.waitFor("the snippet of the choice", `document.querySelector("#snippet-url").value.includes("style=plastic&theme=dark")`)
}
