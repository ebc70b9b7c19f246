package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzWallQuery sends any query to the wall's two routes: the answer is a
// 200 or a 400 (an error JSON or image), never a 5xx.
func FuzzWallQuery(f *testing.F) {
	for _, seed := range []string{"", "limit=5&page=2", "region=Laval", "region=saguenay–lac-saint-jean", "limit=1e2", "page=%00",
		"limit=100&limit=1", "lang=en&theme=auto&columns=6&limit=48", "columns=-0", "limit=+5", "region=%ZZ"} {
		f.Add(seed)
	}
	a := newApp(f)
	a.approve(f, a.join(f, "Acme <Québec>", 1))
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/widget/wall.json?", "/widget/wall.svg?"} {
			req, err := http.NewRequest("GET", path+query, nil)
			if err != nil {
				return
			}
			rec := httptest.NewRecorder()
			a.Config.Handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
				t.Fatalf("%s%s: %d %s", path, query, rec.Code, rec.Body)
			}
		}
	})
}
