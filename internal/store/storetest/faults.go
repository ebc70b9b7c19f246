package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// testReady checks a healthy store is ready, again and again (the check
// writes the same row each time).
func testReady(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	for range 3 {
		if err := s.Ready(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// testUnavailable closes the store under every method: each must fail with
// EUNAVAILABLE, its cause (the database's error) still reachable.
func testUnavailable(t *testing.T, newStore Factory) {
	s := newStore(t, NewClock().Now)
	ctx := context.Background()
	m := MustCreate(t, s, Application("Acme", 1))
	mustEvent(t, s, "salon-2026")
	rows := ImportRows(t, 3, 0)
	joiner, _ := Application("Late", 2).Validate()
	event, _ := registry.NewEvent{Code: "late", NameFR: "x", NameEN: "x"}.Validate()
	julie := MustCreateStaff(t, s, "julie@technopolys.example", "Julie Roy")
	session := &registry.Session{TokenHash: TokenHash("s"), StaffID: julie.ID, Actor: julie.Name, CSRF: "x"}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"CreateMember":     func() error { return s.CreateMember(ctx, joiner) },
		"FindMember":       func() error { _, err := s.FindMember(ctx, m.ID); return err },
		"FindMemberBySlug": func() error { _, err := s.FindMemberBySlug(ctx, "acme"); return err },
		"ListMembers": func() error {
			_, _, err := s.ListMembers(ctx, registry.MemberFilter{Listed: true, Limit: 5})
			return err
		},
		"SimilarMembers": func() error { _, err := s.SimilarMembers(ctx, m); return err },
		"Decide": func() error {
			_, err := s.Decide(ctx, registry.Decision{MemberID: m.ID, Action: registry.ActionApprove, Actor: "staff"})
			return err
		},
		"ImportMembers": func() error { _, err := s.ImportMembers(ctx, rows, "staff"); return err },
		"Stats":         func() error { _, err := s.Stats(ctx); return err },
		"ListAudit":     func() error { _, err := s.ListAudit(ctx, registry.AuditFilter{Limit: 5}); return err },
		"CreateEvent":   func() error { return s.CreateEvent(ctx, event) },
		"FindEvent":     func() error { _, err := s.FindEvent(ctx, "salon-2026"); return err },
		"ListEvents":    func() error { _, err := s.ListEvents(ctx); return err },
		"RecordScan":    func() error { _, err := s.RecordScan(ctx, "salon-2026"); return err },
		"RecordScans":   func() error { return s.RecordScans(ctx, map[string]int{"salon-2026": 2}) },
		"RecordEmbeds": func() error {
			return s.RecordEmbeds(ctx, []registry.EmbedCount{{MemberID: m.ID, Site: "a.example", Views: 1}})
		},
		"ListEmbeds": func() error { _, _, err := s.ListEmbeds(ctx, m.ID, 5, 0); return err },
		"CreateStaff": func() error {
			return s.CreateStaff(ctx, &registry.Staff{Email: "alex@technopolys.example", Name: "Alex"})
		},
		"FindStaff":        func() error { _, err := s.FindStaff(ctx, julie.ID); return err },
		"FindStaffByEmail": func() error { _, err := s.FindStaffByEmail(ctx, julie.Email); return err },
		"ListStaff":        func() error { _, err := s.ListStaff(ctx); return err },
		"SetStaffPassword": func() error { return s.SetStaffPassword(ctx, julie.ID, "$argon2id$x") },
		"DisableStaff":     func() error { return s.DisableStaff(ctx, julie.ID) },
		"CreateStaffLink": func() error {
			return s.CreateStaffLink(ctx, julie.ID, TokenHash("l"), time.Now().Add(time.Hour))
		},
		"UseStaffLink":  func() error { _, err := s.UseStaffLink(ctx, TokenHash("l")); return err },
		"CreateSession": func() error { return s.CreateSession(ctx, session) },
		"TouchSession":  func() error { _, err := s.TouchSession(ctx, session.TokenHash, time.Hour); return err },
		"DeleteSession": func() error { return s.DeleteSession(ctx, session.TokenHash) },
		"ClaimMail":     func() error { _, err := s.ClaimMail(ctx, time.Now(), time.Minute, 5); return err },
		"MailSent":      func() error { return s.MailSent(ctx, 1) },
		"MailFailed":    func() error { return s.MailFailed(ctx, 1, time.Now(), "x") },
		"ListMail":      func() error { _, _, err := s.ListMail(ctx, true, 5, 0); return err },
		"Ping":          func() error { return s.Ping(ctx) },
		"Ready":         func() error { return s.Ready(ctx) },
	} {
		t.Run(name+" answers EUNAVAILABLE with the database's error", func(t *testing.T) {
			err := call()
			wantCode(t, err, registry.EUNAVAILABLE)
			var e *registry.Error
			if !errors.As(err, &e) || e.Err == nil {
				t.Fatalf("%v keeps no cause", err)
			}
		})
	}
}
