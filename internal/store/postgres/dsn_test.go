package postgres

import (
	"net/url"
	"testing"
)

func TestWithDefaults(t *testing.T) {
	t.Run("a URL without the settings gets them", func(t *testing.T) {
		u, _ := url.Parse(withDefaults("postgres://u@db.internal/tp?sslmode=require"))
		if q := u.Query(); q.Get("plan_cache_mode") != "force_custom_plan" || q.Get("sslmode") != "require" || u.Host != "db.internal" {
			t.Fatalf("got %s", u)
		}
	})
	t.Run("a setting the URL gives is kept", func(t *testing.T) {
		u, _ := url.Parse(withDefaults("postgresql://db/tp?plan_cache_mode=auto"))
		if got := u.Query().Get("plan_cache_mode"); got != "auto" {
			t.Fatalf("plan_cache_mode = %q", got)
		}
	})
	t.Run("a key=value string is left alone", func(t *testing.T) {
		if got := withDefaults("host=db dbname=tp"); got != "host=db dbname=tp" {
			t.Fatalf("got %q", got)
		}
	})
}
