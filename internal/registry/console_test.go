package registry_test

import (
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

func TestSearchKey(t *testing.T) {
	for in, want := range map[string]string{
		"Québec inc.":     "quebec inc.",
		"  QUÉBEC   Inc ": "quebec inc",
		"Ａｃｍｅ":            "acme",
		"Straße":          "strasse",
		"100% Local_1":    "100% local_1",
		"Çà et là":        "ca et la",
		"":                "",
	} {
		if got := registry.SearchKey(in); got != want {
			t.Errorf("SearchKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFilterValidate(t *testing.T) {
	for _, c := range []struct {
		f      registry.MemberFilter
		reason string
	}{
		{registry.MemberFilter{Query: "acme", Status: registry.StatusPending, Event: "salon"}, ""},
		{registry.MemberFilter{Listed: true, Query: "acme"}, ""},
		{registry.MemberFilter{Listed: true, Query: "acme", After: "a"}, "keyset_with_query"},
		{registry.MemberFilter{Listed: true, Query: "acme", Before: "z"}, "keyset_with_query"},
		{registry.MemberFilter{Listed: true, Query: "  ", After: "a"}, ""},
	} {
		err := c.f.Validate()
		if c.reason == "" && err != nil || c.reason != "" && (registry.ErrorCode(err) != registry.EINVALID || err.(*registry.Error).Reason != c.reason) {
			t.Errorf("%+v: %v, want %q", c.f, err, c.reason)
		}
	}
}

func TestEventArchive(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	e := &registry.Event{Code: "salon"}
	steps := []struct {
		archived bool
		reason   string
	}{{true, ""}, {true, "already_archived"}, {false, ""}, {false, "not_archived"}}
	for _, s := range steps {
		err := e.Archive(s.archived, now)
		if got := reasonOf(err); got != s.reason {
			t.Fatalf("archive %v: %v, want %q", s.archived, err, s.reason)
		}
		if e.ArchivedAt.IsZero() == s.archived {
			t.Fatalf("archive %v: archived at %v", s.archived, e.ArchivedAt)
		}
	}
}

func TestErase(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	member := func(st registry.Status) *registry.Member {
		return &registry.Member{ID: 1, Slug: "acme", Name: "Acme", Website: "https://acme.example", ContactName: "Marie",
			ContactEmail: "marie@acme.example", ConsentPublic: true, Status: st, Reason: "before", Version: 3}
	}
	t.Run("the contact, then the public record", func(t *testing.T) {
		m := member(registry.StatusApproved)
		if r, err := m.Erase(false, now); err != nil || r != "contact" || m.ContactEmail != "" || m.Name != "Acme" || m.Version != 4 || m.Tombstone() {
			t.Fatalf("contact: %q %v %+v", r, err, m)
		}
		if _, err := m.Erase(false, now); reasonOf(err) != "already_erased" {
			t.Fatalf("contact twice: %v", err)
		}
		if r, err := m.Erase(true, now); err != nil || r != "public" || m.Name != "" || m.Website != "" || m.ConsentPublic ||
			m.Status != registry.StatusRevoked || m.Reason != "erase" || !m.RevokedAt.Equal(now) || m.Slug != "" || !m.Tombstone() {
			t.Fatalf("public: %q %v %+v", r, err, m)
		}
		for _, public := range []bool{true, false} {
			if _, err := m.Erase(public, now); reasonOf(err) != "already_erased" {
				t.Fatalf("after public: %v", err)
			}
		}
	})
	for st, want := range map[registry.Status]struct {
		status registry.Status
		reason string
	}{registry.StatusPending: {registry.StatusRejected, "erase"}, registry.StatusRejected: {registry.StatusRejected, ""},
		registry.StatusRevoked: {registry.StatusRevoked, ""}} {
		m := member(st)
		if _, err := m.Erase(true, now); err != nil || m.Status != want.status || m.Reason != want.reason || m.Slug != "" {
			t.Errorf("%s erased: %v %+v", st, err, m)
		}
	}
	t.Run("the contact alone takes a reason naming it", func(t *testing.T) {
		for reason, want := range map[string]string{"before": "before", "MARIE a écrit": "", "doublon de marie@ACME.example": "", "": ""} {
			m := member(registry.StatusRevoked)
			m.Reason = reason
			if _, err := m.Erase(false, now); err != nil || m.Reason != want {
				t.Errorf("reason %q: %v %+v", reason, err, m)
			}
		}
	})
	t.Run("a tombstone is neither decided about nor edited", func(t *testing.T) {
		m := member(registry.StatusApproved)
		m.Erase(true, now)
		for _, a := range registry.Decisions() {
			if err := (registry.Decision{Action: a}).Apply(m, now); reasonOf(err) != "erased" {
				t.Errorf("%s: %v", a, err)
			}
		}
		name := "Acme"
		if _, err := (registry.MemberEdit{Name: &name}).Apply(m); reasonOf(err) != "erased" {
			t.Errorf("edit: %v", err)
		}
	})
}

func TestErasedReason(t *testing.T) {
	m := &registry.Member{Name: "École Numérique Québec", ContactName: "Hélène  Côté", ContactEmail: "helene@ecole.example"}
	for _, c := range []struct {
		action                registry.Action
		reason, contact, publ string
	}{
		{registry.ActionEdit, "name: École Numérique Québec → ENQ", "name: École Numérique Québec → ENQ", ""},
		{registry.ActionReject, "hors Québec", "hors Québec", ""},
		{registry.ActionRevoke, "demandé par helene côté", "", ""},
		{registry.ActionRevoke, "voir HELENE@ECOLE.EXAMPLE", "", ""},
		{registry.ActionReject, "Hélène", "Hélène", ""}, // a first name alone is not the contact's name
		{registry.ActionErase, "contact", "contact", "contact"},
		{registry.ActionImport, "", "", ""},
	} {
		for range 2 { // the rule holds no state
			if got := m.ErasedReason(false)(c.action, c.reason); got != c.contact {
				t.Errorf("contact erase of %s %q: %q, want %q", c.action, c.reason, got, c.contact)
			}
			if got := m.ErasedReason(true)(c.action, c.reason); got != c.publ {
				t.Errorf("public erase of %s %q: %q, want %q", c.action, c.reason, got, c.publ)
			}
		}
	}
	if got := (&registry.Member{}).ErasedReason(false)(registry.ActionReject, "hors Québec"); got != "hors Québec" {
		t.Errorf("no contact left to look for: %q", got)
	}
}

func reasonOf(err error) string {
	if e, ok := err.(*registry.Error); ok {
		return e.Reason
	}
	if err != nil {
		return err.Error()
	}
	return ""
}
