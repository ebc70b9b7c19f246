package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestStaffFiguresPage: the figures page draws members week by week, by
// region and by event on the server, each chart an accessible image with
// its numbers in a table: two approvals this week and one three weeks ago
// show as such, cumulated to 3.
func TestStaffFiguresPage(t *testing.T) {
	a := newApp(t)
	a.createEvent(t)
	a.approve(t, a.join(t, "Ancienne", 1))
	a.clock.Advance(21 * 24 * time.Hour)
	a.approve(t, a.join(t, "Acme Québec", 2))
	body := strings.Replace(joinJSON("Bêta", 3), `"Montréal"`, `"Laval"`, 1)
	body = strings.Replace(body, `"consent_public"`, `"event":"salon-2026","consent_public"`, 1)
	res := a.do(t, "POST", "/api/v1/members", body)
	wantStatus(t, res, http.StatusCreated)
	a.approve(t, a.join(t, "Gamma", 4))
	var m struct{ ID int64 }
	res.json(t, &m)
	a.approve(t, m.ID)

	wantStatus(t, a.do(t, "GET", "/admin/figures", ""), http.StatusSeeOther)
	cookie, _ := signedIn(t, a, "Julie Gagnon")
	page := a.do(t, "GET", "/admin/figures?lang=fr", "", "Cookie", cookie)
	wantStatus(t, page, http.StatusOK)
	if n := strings.Count(page.Body, `role="img"`); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
	for _, want := range []string{"4 entreprises membres", "aria-labelledby=\"weeks-title weeks-desc\"",
		"4 approbations en 26 semaines", "Salon &lt;b&gt;techno&lt;/b&gt; &amp; « Québec »"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("no %q on the page", want)
		}
	}
	// The weeks' table: 26 rows, cumulating to 4, the last week holding 3.
	rows := regexp.MustCompile(`<tr><th scope="row">[^<]+</th><td class="num">(\d+)</td><td class="num">(\d+)</td></tr>`).FindAllStringSubmatch(page.Body, -1)
	if len(rows) != 26 {
		t.Fatalf("%d weeks in the table", len(rows))
	}
	if last := rows[25]; last[1] != "3" || last[2] != "4" {
		t.Errorf("this week: %v", last)
	}
	if w := rows[22]; w[1] != "1" || w[2] != "1" {
		t.Errorf("three weeks ago: %v", w)
	}
	if !regexp.MustCompile(`<th scope="row">Laval</th><td class="num">1</td>`).MatchString(page.Body) {
		t.Error("Laval's row is not 1")
	}
	if !regexp.MustCompile(`<th scope="row">Salon &lt;b&gt;techno&lt;/b&gt; &amp; « Québec »</th><td class="num">0</td><td class="num">1</td><td class="num">1</td>`).MatchString(page.Body) {
		t.Error("the event's funnel row is not 0 → 1 → 1")
	}
	if strings.Contains(page.Body, "<b>techno") {
		t.Error("an event's name is not escaped")
	}
	en := a.do(t, "GET", "/admin/figures?lang=en", "", "Cookie", cookie)
	if !strings.Contains(en.Body, "Members by region") || !strings.Contains(en.Body, "4 approvals in 26 weeks") {
		t.Error("the English page is not in English")
	}
}
