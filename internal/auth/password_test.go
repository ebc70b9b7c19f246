package auth_test

import (
	"strings"
	"testing"

	"github.com/technopolys/technopolys/internal/auth"
)

func TestHashAndVerify(t *testing.T) {
	h, err := auth.Hash("un mot de passe québécois")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=1$") {
		t.Errorf("hash %q", h)
	}
	if !auth.Verify(h, "un mot de passe québécois") {
		t.Error("the right password is refused")
	}
	for _, wrong := range []string{"un mot de passe quebecois", "", "un mot de passe québécois "} {
		if auth.Verify(h, wrong) {
			t.Errorf("%q accepted", wrong)
		}
	}
	h2, _ := auth.Hash("un mot de passe québécois")
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt?")
	}
	for _, bad := range []string{"", "$argon2id$", "plain", strings.Replace(h, "m=65536", "m=999999999", 1)} {
		if auth.Verify(bad, "un mot de passe québécois") {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
	if _, err := auth.Hash("court"); err == nil {
		t.Error("a 5-character password was hashed")
	}
}

func TestTokens(t *testing.T) {
	a, ha := auth.NewToken()
	b, _ := auth.NewToken()
	if a == b || len(a) < 50 || ha != auth.TokenHash(a) || ha == a {
		t.Errorf("tokens %q %q hash %q", a, b, ha)
	}
}
