package mail_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/auth"
	"github.com/technopolys/technopolys/internal/mail"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/store/sqlite"
	"github.com/technopolys/technopolys/internal/store/storetest"
	"github.com/technopolys/technopolys/internal/web"
)

const publicURL = "https://technopolys.example"

// fixture is a store, its clock, a test SMTP server and a sender to it.
type fixture struct {
	store  registry.Store
	clock  *storetest.Clock
	smtp   *smtpServer
	sender *mail.Sender
}

func newFixture(t *testing.T, public string) *fixture {
	t.Helper()
	clock := storetest.NewClock()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tp.db"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv := newSMTPServer(t)
	tr, err := mail.ParseURL("smtp://" + srv.Addr + "?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.New(store, mail.Config{Transport: tr, From: "technopolys <membres@technopolys.example>",
		PublicURL: public, Now: clock.Now, Interval: 10 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{store: store, clock: clock, smtp: srv, sender: s}
}

// join creates a pending member who joined in lang.
func (f *fixture) join(t *testing.T, name string, n int, lang string) *registry.Member {
	t.Helper()
	m, err := storetest.Application(name, n).Validate()
	if err != nil {
		t.Fatal(err)
	}
	m.Lang = lang
	if err := f.store.CreateMember(ctx, m); err != nil {
		t.Fatal(err)
	}
	return m
}

// send makes one pass and checks how many mails it sent.
func (f *fixture) send(t *testing.T, want int) {
	t.Helper()
	n, err := f.sender.SendDue(ctx)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if n != want {
		t.Fatalf("sent %d, want %d", n, want)
	}
}

// only returns the one message sent to addr with that subject fragment.
func (f *fixture) only(t *testing.T, to, subject string) received {
	t.Helper()
	var got []received
	for _, m := range f.smtp.Messages() {
		if m.To == to && strings.Contains(m.Subject, subject) {
			got = append(got, m)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d messages to %s about %q, want 1: %+v", len(got), to, subject, f.smtp.Messages())
	}
	return got[0]
}

func wantOncePerID(t *testing.T, srv *smtpServer, total int) {
	t.Helper()
	ids := srv.ByID()
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s sent %d times", id, n)
		}
	}
	if len(ids) != total {
		t.Errorf("%d distinct messages, want %d", len(ids), total)
	}
}

func TestReceiptInMembersLanguage(t *testing.T) {
	f := newFixture(t, publicURL)
	fr := f.join(t, "Café <Brûlerie>", 1, "fr")
	en := f.join(t, "Acme", 2, "en")
	f.send(t, 2)

	m := f.only(t, fr.ContactEmail, "Nous avons reçu votre demande d’adhésion")
	for _, s := range []string{"Bonjour Marie Tremblay,", "«\u00a0Café <Brûlerie>\u00a0»", "va examiner votre demande"} {
		if !strings.Contains(m.Text, s) {
			t.Errorf("French text lacks %q:\n%s", s, m.Text)
		}
	}
	if !strings.Contains(m.HTML, "Café &lt;Brûlerie&gt;") || strings.Contains(m.HTML, "<Brûlerie>") {
		t.Errorf("HTML does not escape the name:\n%s", m.HTML)
	}
	if want := "<outbox-1@technopolys.example>"; m.MessageID != want {
		t.Errorf("Message-ID %q, want %q", m.MessageID, want)
	}
	if m.From != "membres@technopolys.example" || m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("envelope from %q, Auto-Submitted %q", m.From, m.Header.Get("Auto-Submitted"))
	}
	e := f.only(t, en.ContactEmail, "We received your membership request")
	if !strings.Contains(e.Text, "Hello Marie Tremblay,") || !strings.Contains(e.HTML, `<html lang="en">`) {
		t.Errorf("English message:\n%s\n%s", e.Text, e.HTML)
	}
	// Each receipt's one link confirms its address, in its language.
	for msg, want := range map[*received]string{&m: "?lang=fr", &e: "?lang=en"} {
		links := regexp.MustCompile(`https?://\S+`).FindAllString(msg.Text, -1)
		prefix := publicURL + "/join/confirm/"
		if len(links) != 1 || !strings.HasPrefix(links[0], prefix) || !strings.HasSuffix(links[0], want) {
			t.Fatalf("receipt links %q, want one confirmation link", links)
		}
		if regexp.MustCompile(`(?i)<img|src=|url\(`).MatchString(msg.HTML) || !strings.Contains(msg.HTML, `href="`+links[0]+`"`) {
			t.Errorf("receipt HTML with remote content, or without its link:\n%s", msg.HTML)
		}
		token := strings.TrimSuffix(strings.TrimPrefix(links[0], prefix), want)
		if c, err := f.store.ConfirmContact(ctx, auth.TokenHash(token)); err != nil || c.ContactEmail != msg.To {
			t.Errorf("the link's token confirms %+v, %v", c, err)
		}
	}
	f.send(t, 0)
	wantOncePerID(t, f.smtp, 2)
	if unsent, _, _ := f.store.ListMail(ctx, true, 10, 0); len(unsent) != 0 {
		t.Errorf("still unsent: %+v", unsent)
	}
}

// newFixtureWithSite is a fixture whose mails link to the web app, served
// on the same store at the returned address.
func newFixtureWithSite(t *testing.T) (*fixture, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	public := "http://" + ln.Addr().String()
	f := newFixture(t, public)
	h, err := web.New(f.store, web.Config{PublicURL: public, AdminToken: strings.Repeat("t", 26),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(func() { srv.Close(); h.Close() })
	return f, public
}

// TestApprovalLinkAnswers follows the approval's links through the web app.
func TestApprovalLinkAnswers(t *testing.T) {
	f, public := newFixtureWithSite(t)

	for i, lang := range []string{"fr", "en"} {
		m := f.join(t, "Acme "+lang, i, lang)
		m = storetest.MustDecide(t, f.store, m.ID, registry.ActionApprove, "")
		f.send(t, 2) // receipt, approval
		subject := map[string]string{"fr": "Votre adhésion à technopolys est approuvée", "en": "Your technopolys membership is approved"}[lang]
		msg := f.only(t, m.ContactEmail, subject)
		page := public + "/members/" + m.Slug + "?lang=" + lang
		area := public + "/account/signin?lang=" + lang
		for _, link := range []string{page, area} {
			if !strings.Contains(msg.Text, link+"\n") || !strings.Contains(msg.HTML, `href="`+link+`"`) {
				t.Errorf("%s: no link %s in\n%s\n%s", lang, link, msg.Text, msg.HTML)
			}
		}
		if strings.Contains(msg.Text, "#badge-title") || strings.Contains(msg.HTML, "#badge-title") {
			t.Errorf("%s: the mail still points at the public page's badge kit", lang)
		}
		kit := map[string]string{"fr": "vous attendent dans votre espace membre", "en": "are waiting in your member area"}[lang]
		if !strings.Contains(msg.Text, kit) {
			t.Errorf("%s: the mail does not say where the badge kit is:\n%s", lang, msg.Text)
		}
		for _, link := range []string{page, area} {
			res, err := http.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("%s: GET %s: %d", lang, link, res.StatusCode)
			}
		}
	}
	wantOncePerID(t, f.smtp, 4)
}

func TestRejectionAndRevocationCarryTheReason(t *testing.T) {
	f := newFixture(t, publicURL)
	rejected := f.join(t, "Rejected", 1, "fr")
	revoked := f.join(t, "Revoked", 2, "en")
	storetest.MustDecide(t, f.store, rejected.ID, registry.ActionReject, "Siège hors du Québec <voir registre>")
	storetest.MustDecide(t, f.store, revoked.ID, registry.ActionApprove, "")
	storetest.MustDecide(t, f.store, revoked.ID, registry.ActionRevoke, "Unpaid dues")
	f.send(t, 5)

	r := f.only(t, rejected.ContactEmail, "est refusée")
	if !strings.Contains(r.Text, "pour la raison suivante\u00a0:\n> Siège hors du Québec <voir registre>\n") ||
		!strings.Contains(r.HTML, "Siège hors du Québec &lt;voir registre&gt;</blockquote>") {
		t.Errorf("rejection without its reason:\n%s\n%s", r.Text, r.HTML)
	}
	v := f.only(t, revoked.ContactEmail, "was revoked")
	if !strings.Contains(v.Text, "for this reason:\n> Unpaid dues\n") {
		t.Errorf("revocation without its reason:\n%s", v.Text)
	}
	wantOncePerID(t, f.smtp, 5)
}

// TestRefusedMailIsRetried: a server that refuses once gets the mail again
// after the backoff, and only once.
func TestRefusedMailIsRetried(t *testing.T) {
	f := newFixture(t, publicURL)
	m := f.join(t, "Acme", 1, "fr")
	f.smtp.Refuse(1)
	f.send(t, 0)
	list, _, err := f.store.ListMail(ctx, true, 10, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("outbox %+v, %v", list, err)
	}
	if ml := list[0]; ml.Attempts != 1 || !ml.NextAt.Equal(f.clock.Now().Add(time.Minute)) || !strings.Contains(ml.LastError, "try again later") {
		t.Errorf("after a refusal: attempts %d, next %v (now %v), error %q", ml.Attempts, ml.NextAt, f.clock.Now(), ml.LastError)
	}
	f.clock.Advance(59 * time.Second)
	f.send(t, 0) // not yet
	f.clock.Advance(time.Second)
	f.send(t, 1)
	f.clock.Advance(time.Hour)
	f.send(t, 0)
	f.only(t, m.ContactEmail, "reçu")
	wantOncePerID(t, f.smtp, 1)
}

// TestUnreachableServer: a failed connection fails every claimed mail, and
// they go later.
func TestUnreachableServer(t *testing.T) {
	f := newFixture(t, publicURL)
	f.join(t, "Acme", 1, "fr")
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	tr, _ := mail.ParseURL("smtp://" + addr + "?tls=none")
	down, _ := mail.New(f.store, mail.Config{Transport: tr, From: "membres@technopolys.example", PublicURL: publicURL, Now: f.clock.Now})
	if n, err := down.SendDue(ctx); err == nil || n != 0 {
		t.Fatalf("sent %d to a closed port, err %v", n, err)
	}
	list, _, _ := f.store.ListMail(ctx, true, 10, 0)
	if len(list) != 1 || list[0].Attempts != 1 {
		t.Fatalf("outbox after a failed connection: %+v", list)
	}
	f.clock.Advance(time.Minute)
	f.send(t, 1)
	wantOncePerID(t, f.smtp, 1)
}

// TestClaimedButNotSent: a sender that claimed a mail and died leaves it to
// the next after the lease, which sends it once.
func TestClaimedButNotSent(t *testing.T) {
	f := newFixture(t, publicURL)
	f.join(t, "Acme", 1, "en")
	if claimed, err := f.store.ClaimMail(ctx, f.clock.Now(), mail.Lease, mail.BatchSize); err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %+v, %v", claimed, err)
	}
	// ... and crash.
	f.send(t, 0)
	f.clock.Advance(mail.Lease - time.Second)
	f.send(t, 0)
	f.clock.Advance(time.Second)
	f.send(t, 1)
	f.clock.Advance(mail.Lease)
	f.send(t, 0)
	wantOncePerID(t, f.smtp, 1)
}

// TestRunSendsEachOnce runs the loop while members join and are decided
// about, and stops it.
func TestRunSendsEachOnce(t *testing.T) {
	f := newFixture(t, publicURL)
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { f.sender.Run(rctx); close(done) }()
	want := 0
	for i := range 12 {
		m := f.join(t, "Co "+strconv.Itoa(i), i, []string{"fr", "en"}[i%2])
		want++
		switch i % 3 {
		case 1:
			storetest.MustDecide(t, f.store, m.ID, registry.ActionApprove, "")
			want++
		case 2:
			storetest.MustDecide(t, f.store, m.ID, registry.ActionReject, "non")
			want++
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(f.smtp.Messages()) < want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // several more passes
	stop()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	wantOncePerID(t, f.smtp, want)
	if unsent, _, _ := f.store.ListMail(ctx, true, 100, 0); len(unsent) != 0 {
		t.Errorf("still unsent: %+v", unsent)
	}
}

// TestErasedMemberIsNotSent: a mail whose member's contact is gone is put
// aside with why, not retried.
func TestErasedMemberIsNotSent(t *testing.T) {
	f := newFixture(t, publicURL)
	m := f.join(t, "Acme", 1, "fr")
	storetest.MustDecide(t, f.store, m.ID, registry.ActionReject, "non")
	if _, err := f.store.EraseMember(ctx, m.ID, false, "staff@test"); err != nil {
		t.Skipf("erase: %v", err)
	}
	f.send(t, 0)
	f.clock.Advance(7 * 24 * time.Hour)
	f.send(t, 0)
	if n := len(f.smtp.Messages()); n != 0 {
		t.Errorf("%d messages sent for an erased member", n)
	}
	list, _, _ := f.store.ListMail(ctx, true, 10, 0)
	for _, ml := range list {
		if !strings.Contains(ml.LastError, "erased") || ml.Attempts != 1 {
			t.Errorf("mail %d: attempts %d, error %q", ml.ID, ml.Attempts, ml.LastError)
		}
	}
}

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		attempts int
		want     time.Duration
	}{{0, time.Minute}, {1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {9, 256 * time.Minute},
		{10, 6 * time.Hour}, {11, 6 * time.Hour}, {1000, 6 * time.Hour}} {
		if got := mail.Backoff(c.attempts); got != c.want {
			t.Errorf("Backoff(%d) = %v, want %v", c.attempts, got, c.want)
		}
	}
}

func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		url  string
		want mail.Transport
	}{
		{"smtp://u%40x:p%3Ass@mail.example", mail.Transport{Host: "mail.example", Port: 587, Username: "u@x", Password: "p:ss", TLS: "starttls"}},
		{"smtp://user:pass@mail.example:2587", mail.Transport{Host: "mail.example", Port: 2587, Username: "user", Password: "pass", TLS: "starttls"}},
		{"smtps://user:pass@mail.example", mail.Transport{Host: "mail.example", Port: 465, Username: "user", Password: "pass", TLS: "implicit"}},
		{"smtp://127.0.0.1:2525?tls=none", mail.Transport{Host: "127.0.0.1", Port: 2525, TLS: "none"}},
		{"smtp://[::1]:25?tls=none", mail.Transport{Host: "::1", Port: 25, TLS: "none"}},
	} {
		got, err := mail.ParseURL(c.url)
		if err != nil || got != c.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", c.url, got, err, c.want)
		}
	}
	for _, bad := range []string{"http://mail.example", "smtps://mail.example?tls=none", "smtp://mail.example?tls=maybe",
		"smtp://:25", "smtp://mail.example:0", "smtp://mail.example:99999", "smtp://user:secret@mail example"} {
		_, err := mail.ParseURL(bad)
		if err == nil {
			t.Errorf("ParseURL(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseURL(%q): the error shows the password: %v", bad, err)
		}
	}
}

// TestRefusalSparesTheRest: a message refused mid-batch does not stop the
// others on the same connection.
func TestRefusalSparesTheRest(t *testing.T) {
	f := newFixture(t, publicURL)
	f.join(t, "First", 1, "fr")
	f.join(t, "Second", 2, "en")
	f.smtp.Refuse(1)
	f.send(t, 1)
	f.clock.Advance(time.Minute)
	f.send(t, 1)
	wantOncePerID(t, f.smtp, 2)
}

// TestRequestDecisionsAreMailed: a member hears what staff decided about
// its requests, the new name and its page for a change made, the reason
// for a refusal; an erasure sends nothing, the address going with it.
func TestRequestDecisionsAreMailed(t *testing.T) {
	f := newFixture(t, publicURL)
	m := f.join(t, "Acme", 1, "fr")
	storetest.MustDecide(t, f.store, m.ID, registry.ActionApprove, "")
	en := f.join(t, "Globex", 2, "en")
	storetest.MustDecide(t, f.store, en.ID, registry.ActionApprove, "")
	f.send(t, 4)
	request := func(id int64, kind registry.RequestKind, name, website string) int64 {
		r := &registry.MemberRequest{MemberID: id, Kind: kind, Name: name, Website: website}
		if err := f.store.CreateRequest(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	decide := func(id int64, approve bool, reason string) {
		if _, _, err := f.store.DecideRequest(ctx, id, approve, "Julie Gagnon", reason); err != nil {
			t.Fatal(err)
		}
	}
	decide(request(m.ID, registry.RequestChange, "Acme Québec", "https://acme.example"), true, "")
	decide(request(en.ID, registry.RequestChange, "Globex Canada", "https://globex.example"), false, "Another company's name")
	decide(request(en.ID, registry.RequestDeletion, "", ""), false, "Dues unpaid <see invoice>")
	f.send(t, 3)

	ok := f.only(t, m.ContactEmail, "modification est acceptée")
	if !strings.Contains(ok.Text, "«\u00a0Acme Québec\u00a0»") || !strings.Contains(ok.Text, publicURL+"/members/acme?lang=fr\n") {
		t.Errorf("approved change:\n%s", ok.Text)
	}
	no := f.only(t, en.ContactEmail, "change request was declined")
	if !strings.Contains(no.Text, "“Globex”") || !strings.Contains(no.Text, "> Another company's name\n") {
		t.Errorf("declined change:\n%s", no.Text)
	}
	del := f.only(t, en.ContactEmail, "deletion request was declined")
	if !strings.Contains(del.HTML, "Dues unpaid &lt;see invoice&gt;</blockquote>") {
		t.Errorf("declined deletion:\n%s", del.HTML)
	}
	decide(request(m.ID, registry.RequestDeletion, "", ""), true, "")
	f.send(t, 0)
	wantOncePerID(t, f.smtp, 7)
}

// TestEveryMailLinkAnswers follows every link of every message a company
// gets on its way (receipt, approval, sign-in link, change approved)
// through the web app, in each language: each answers 200 in the mail's
// language, and the sign-in link then opens the member area.
func TestEveryMailLinkAnswers(t *testing.T) {
	f, public := newFixtureWithSite(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	links := regexp.MustCompile(`(?m)^https?://\S+$`)

	for i, lang := range []string{"fr", "en"} {
		m := f.join(t, "Acme "+lang, i+1, lang)
		m = storetest.MustDecide(t, f.store, m.ID, registry.ActionApprove, "")
		r := &registry.MemberRequest{MemberID: m.ID, Kind: registry.RequestChange, Name: "Acme Québec " + lang, Website: m.Website}
		if err := f.store.CreateRequest(ctx, r); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.store.DecideRequest(ctx, r.ID, true, "Julie", ""); err != nil {
			t.Fatal(err)
		}
		res, err := http.PostForm(public+"/account/signin?lang="+lang, url.Values{"email": {m.ContactEmail}})
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("ask for a sign-in link: %v %v", res, err)
		}
		res.Body.Close()
		f.send(t, 4)

		var signIn string
		for _, msg := range f.smtp.Messages() {
			if msg.To != m.ContactEmail {
				continue
			}
			found := links.FindAllString(msg.Text, -1)
			if len(found) == 0 {
				t.Errorf("%q carries no link", msg.Subject)
			}
			for _, link := range found {
				if !strings.Contains(msg.HTML, `href="`+link+`"`) {
					t.Errorf("%q: the HTML lacks %s", msg.Subject, link)
				}
				res, err := http.Get(link)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || !strings.Contains(string(body), `<html lang="`+lang+`-CA"`) {
					t.Errorf("%q: GET %s: %d, in %s: %v", msg.Subject, link, res.StatusCode, lang, strings.Contains(string(body), `lang="`+lang))
				}
				if strings.Contains(link, "/account/signin/") {
					signIn = link
				}
			}
		}
		if signIn == "" {
			t.Fatalf("%s: no sign-in link mailed", lang)
		}
		res, err = noRedirect.PostForm(signIn, nil)
		if err != nil || res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account?lang="+lang {
			t.Fatalf("%s: the sign-in link opens %v %v", lang, res, err)
		}
		res.Body.Close()
	}
	wantOncePerID(t, f.smtp, 8)
}
