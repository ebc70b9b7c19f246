package console

import (
	"testing"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// TestReasonInWords: an edit's reason reads in the page's language, its
// values untouched, whatever they hold.
func TestReasonInWords(t *testing.T) {
	edit := registry.AuditEntry{Action: registry.ActionEdit,
		Reason: "name: Acme; no → Acme: yes; website: https://a.example → https://b.example; consent_public: no → yes"}
	for l, want := range map[locale.Lang]string{
		locale.FR: "Nom\u00a0: Acme; no → Acme: yes\u202f; site web\u00a0: https://a.example → https://b.example\u202f; affichage dans le répertoire\u00a0: non → oui",
		locale.EN: "Name: Acme; no → Acme: yes; website: https://a.example → https://b.example; listing in the directory: no → yes",
	} {
		if got := reasonInWords(l, edit); got != want {
			t.Errorf("%s:\n%q\nwant\n%q", l, got, want)
		}
	}
	for _, e := range []registry.AuditEntry{{Action: registry.ActionReject, Reason: "name: not an edit"},
		{Action: registry.ActionEdit, Reason: "written by hand"}} {
		if got := reasonInWords(locale.FR, e); got != e.Reason {
			t.Errorf("%+v read as %q", e, got)
		}
	}
	if got := reasonInWords(locale.FR, registry.AuditEntry{Action: registry.ActionErase, Reason: "public"}); got == "public" {
		t.Error("an erasure's scope is not in words")
	}
}
