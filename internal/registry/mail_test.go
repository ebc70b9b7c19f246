package registry_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/technopolys/technopolys/internal/registry"
)

func TestDecisionMail(t *testing.T) {
	now := time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)
	m := &registry.Member{ID: 7, ContactEmail: "marie@acme.example", Lang: "en"}
	for _, tt := range []struct {
		action registry.Action
		want   registry.MailKind // "" for none
	}{
		{registry.ActionApprove, registry.MailApproval},
		{registry.ActionReject, registry.MailRejection},
		{registry.ActionRevoke, registry.MailRevocation},
		{registry.ActionReinstate, ""},
		{registry.ActionReconsider, ""},
		{registry.ActionEdit, ""},
		{registry.ActionImport, ""},
		{registry.ActionErase, ""},
	} {
		t.Run(string(tt.action), func(t *testing.T) {
			ml, ok := registry.DecisionMail(registry.Decision{MemberID: 7, Action: tt.action, Reason: "why"}, m, now)
			if ok != (tt.want != "") || ml.Kind != tt.want {
				t.Fatalf("mail %+v, %v; want kind %q", ml, ok, tt.want)
			}
			if ok && (ml.To != m.ContactEmail || ml.Lang != "en" || ml.Reason != "why" || ml.MemberID != 7 || !ml.NextAt.Equal(now)) {
				t.Fatalf("mail %+v", ml)
			}
		})
	}
	t.Run("no contact, no mail", func(t *testing.T) {
		if ml, ok := registry.DecisionMail(registry.Decision{Action: registry.ActionApprove}, &registry.Member{}, now); ok {
			t.Fatalf("mail %+v to no one", ml)
		}
		if ml, ok := registry.JoinMail(&registry.Member{}, "tok", now); ok {
			t.Fatalf("receipt %+v to no one", ml)
		}
	})
	t.Run("a member without a language is written to in French", func(t *testing.T) {
		ml, ok := registry.JoinMail(&registry.Member{ContactEmail: "a@b.example"}, "tok", now)
		if !ok || ml.Kind != registry.MailReceipt || ml.Lang != registry.DefaultLang {
			t.Fatalf("receipt %+v, %v", ml, ok)
		}
	})
}

func TestMailError(t *testing.T) {
	if got := registry.MailError("550 no such user"); got != "550 no such user" {
		t.Fatalf("short error cut: %q", got)
	}
	got := registry.MailError("x" + strings.Repeat("é", registry.MaxMailErrorLen))
	if len(got) > registry.MaxMailErrorLen || len(got) < registry.MaxMailErrorLen-1 || !utf8.ValidString(got) {
		t.Fatalf("cut to %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}
