package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/technopolys/technopolys/internal/registry"
)

// testIDNAWebsites joins one website under its Unicode and ASCII names.
func testIDNAWebsites(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	a := Application("Québec Co", 1)
	a.Website = "https://québec.example"
	MustCreate(t, s, a)
	for _, site := range []string{"https://xn--qubec-csa.example/", "https://www.QUÉBEC.example.", "http://ｑｕéｂｅｃ.example"} {
		t.Run(site+" is the same website", func(t *testing.T) {
			b := Application("Autre "+site, 2)
			b.Website = site
			m, err := b.Validate()
			if err != nil {
				t.Fatal(err)
			}
			err = s.CreateMember(context.Background(), m)
			wantCode(t, err, registry.ECONFLICT)
			wantReason(t, err, registry.RuleTaken)
		})
	}
}

// testNameTaken joins names equal under registry.NameKey.
func testNameTaken(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	first := MustCreate(t, s, Application("Acme Québec inc.", 1))
	join := func(name string, n int) error {
		m, err := Application(name, n).Validate()
		if err != nil {
			t.Fatal(err)
		}
		return s.CreateMember(ctx, m)
	}
	t.Run("the same name in other case, spacing or width is refused", func(t *testing.T) {
		for i, name := range []string{"ACME QUÉBEC INC.", "  Acme   Québec  inc. ", "Ａｃｍｅ Québec inc."} {
			err := join(name, 10+i)
			wantCode(t, err, registry.ECONFLICT)
			wantReason(t, err, registry.RuleNameTaken)
		}
	})
	t.Run("a name that differs by an accent or a dot is another name", func(t *testing.T) {
		for i, name := range []string{"Acme Quebec inc.", "Acme Québec inc"} {
			if err := join(name, 20+i); err != nil {
				t.Fatalf("%q: %v", name, err)
			}
		}
	})
	t.Run("an approved member holds its name too", func(t *testing.T) {
		MustDecide(t, s, first.ID, registry.ActionApprove, "")
		wantCode(t, join("acme québec inc.", 30), registry.ECONFLICT)
	})
	t.Run("a revoked or rejected member frees it", func(t *testing.T) {
		MustDecide(t, s, first.ID, registry.ActionRevoke, "fermée")
		if err := join("acme québec inc.", 31); err != nil {
			t.Fatal(err)
		}
	})
}

// testSimilarMembers looks for members whose names look like a new one's.
func testSimilarMembers(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	paypal := MustCreate(t, s, Application("Paypal", 1))
	MustDecide(t, s, paypal.ID, registry.ActionApprove, "")
	MustCreate(t, s, Application("Acme", 2))
	fake := MustCreate(t, s, Application("Pаypal", 3)) // Cyrillic а: another name, so accepted
	similar, err := s.SimilarMembers(ctx, fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a lookalike name finds the member it looks like", func(t *testing.T) {
		if len(similar) != 1 || similar[0].ID != paypal.ID {
			t.Fatalf("similar to %q: %+v", fake.Name, similar)
		}
	})
	t.Run("staff are warned of the mixed scripts and the lookalike", func(t *testing.T) {
		ws := registry.Warnings(fake, similar)
		if len(ws) != 2 || ws[0].Kind != registry.WarnMixedScripts || ws[1].Kind != registry.WarnLookalike || ws[1].Member.ID != paypal.ID {
			t.Fatalf("warnings %+v", ws)
		}
	})
	t.Run("a member is not similar to itself, nor a plain name to anyone", func(t *testing.T) {
		got, err := s.SimilarMembers(ctx, paypal)
		if err != nil || len(got) != 1 || got[0].ID != fake.ID {
			t.Fatalf("similar to Paypal: %+v, %v", got, err)
		}
		m, _ := Application("Zeta", 9).Validate()
		if got, err := s.SimilarMembers(ctx, m); err != nil || len(got) != 0 {
			t.Fatalf("similar to Zeta: %+v, %v", got, err)
		}
	})
	t.Run("a rejected lookalike is not reported", func(t *testing.T) {
		MustDecide(t, s, fake.ID, registry.ActionReject, "usurpation")
		if got, err := s.SimilarMembers(ctx, paypal); err != nil || len(got) != 0 {
			t.Fatalf("similar to Paypal: %+v, %v", got, err)
		}
	})
}

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	var e *registry.Error
	if !errors.As(err, &e) || e.Reason != reason {
		t.Fatalf("error %v: want reason %q", err, reason)
	}
}
