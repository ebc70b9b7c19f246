package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkPages serves the busiest pages of launch day in process, with
// 20,000 listed members, beside /healthz (the cost of the middleware
// alone): the ratio to /healthz is what each page costs.
//
//	go test ./internal/web -run '^$' -bench Pages -count 5
func BenchmarkPages(b *testing.B) {
	a := newApp(b)
	for part := range 2 {
		var csv strings.Builder
		csv.WriteString("name,website,region,contact_email,consent_public\n")
		for i := range 10000 {
			n := part*10000 + i
			fmt.Fprintf(&csv, "Membre %05d,https://m%d.example,Laval,a@m%d.example,oui\n", n, n, n)
		}
		if res := a.adminDo(b, "POST", "/api/v1/admin/members/import", csv.String()); res.StatusCode != 201 {
			b.Fatalf("import: %d %s", res.StatusCode, res.Body[:200])
		}
	}
	for _, path := range []string{"/healthz", "/", "/api/v1/stats", "/members", "/members?after=membre-19949", "/members?region=laval&after=membre-10000"} {
		b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				a.web.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}
