package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/technopolys/technopolys/internal/registry"
)

// multipartForm is a console form with a file (or a text field) as a
// browser sends it.
func multipartForm(t *testing.T, fields map[string]string, file []byte) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", "membres.csv")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

// TestStaffImportPage: a semicolon file in Windows-1252, as Excel saves it
// in fr-CA, with one bad line: the preview names the line and offers no
// confirmation, and nothing is written; the corrected file shows what will
// be written, and is written once confirmed, accents intact; confirming it
// again writes nothing and says which lines are already members.
func TestStaffImportPage(t *testing.T) {
	a := newApp(t)
	cookie, csrf := signedIn(t, a, "Julie Gagnon")
	excel := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(strings.ReplaceAll(s, "\n", "\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bad := excel("nom;site_web;région;courriel;consentement\nAcme Québec;https://acme.example;Montréal;info@acme.example;oui\nBêta;pas un site;Laval;;non\n")
	post := func(path string, fields map[string]string, file []byte, headers ...string) response {
		t.Helper()
		body, ct := multipartForm(t, fields, file)
		return a.do(t, "POST", path, body, append([]string{"Cookie", cookie, "Content-Type", ct}, headers...)...)
	}
	res := post("/admin/import?lang=fr", map[string]string{"csrf": csrf}, bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Ligne 3, site web") {
		t.Errorf("the bad line is not named: %s", res.Body)
	}
	if strings.Contains(res.Body, "/admin/import/confirm") {
		t.Error("a file with a bad line can be confirmed")
	}
	if _, total, _ := a.store.ListMembers(context.Background(), registry.MemberFilter{}); total != 0 {
		t.Fatalf("a preview wrote %d members", total)
	}

	good := excel("nom;site_web;région;courriel;consentement\nAcme Québec;https://acme.example;Montréal;info@acme.example;oui\nBêta l’Érable;https://beta.example;Laval;;non\n")
	res = post("/admin/import?lang=fr", map[string]string{"csrf": csrf}, good)
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{"2 membres à importer", "Windows-1252", "point-virgule", "Bêta l’Érable", "/admin/import/confirm"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	text := textareaText(t, res.Body)
	confirm := post("/admin/import/confirm?lang=fr", map[string]string{"csrf": csrf, "text": text}, nil)
	wantStatus(t, confirm, http.StatusSeeOther)
	done := a.do(t, "GET", confirm.Header.Get("Location"), "", "Cookie", cookie)
	if !strings.Contains(done.Body, "2 membres importés.") {
		t.Errorf("no notice after the import: %s", done.Body)
	}
	ms, total, err := a.store.ListMembers(context.Background(), registry.MemberFilter{Status: registry.StatusApproved, Limit: 10})
	if err != nil || total != 2 || ms[1].Name != "Bêta l’Érable" || ms[0].ContactEmail != "info@acme.example" {
		t.Fatalf("after the import: %d members, %v", total, err)
	}

	again := post("/admin/import/confirm?lang=fr", map[string]string{"csrf": csrf, "text": text}, nil)
	wantStatus(t, again, http.StatusConflict)
	if !strings.Contains(again.Body, "Ligne 2, site web") || !strings.Contains(again.Body, "Ligne 3, site web") || strings.Contains(again.Body, "/admin/import/confirm?") {
		t.Errorf("second confirmation: %s", again.Body)
	}
	if _, total, _ := a.store.ListMembers(context.Background(), registry.MemberFilter{}); total != 2 {
		t.Fatalf("the second confirmation wrote: %d members", total)
	}

	wantStatus(t, post("/admin/import/confirm", map[string]string{"csrf": "x" + csrf, "text": text}, nil), http.StatusForbidden)
	wantStatus(t, post("/admin/import", map[string]string{"csrf": csrf}, nil), http.StatusBadRequest)
}

// textareaText is what the preview sends back on confirmation.
func textareaText(t *testing.T, page string) string {
	t.Helper()
	_, after, ok := strings.Cut(page, `<textarea name="text"`)
	if !ok {
		t.Fatal("no file text in the preview")
	}
	_, after, _ = strings.Cut(after, ">")
	text, _, _ := strings.Cut(after, "</textarea>")
	return html.UnescapeString(text)
}
