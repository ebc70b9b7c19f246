package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
)

// MustCreateStaff saves a staff account, failing the test on error.
func MustCreateStaff(tb testing.TB, s registry.Store, email, name string) *registry.Staff {
	tb.Helper()
	st := &registry.Staff{Email: email, Name: name}
	if err := s.CreateStaff(context.Background(), st); err != nil {
		tb.Fatalf("create staff %q: %v", email, err)
	}
	return st
}

// TokenHash is the hex SHA-256 of a token, as the web layer stores it.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func testStaff(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	julie := MustCreateStaff(t, s, "  Julie.Roy@Technopolys.example ", "Julie Roy")
	clock.Advance(time.Minute)
	alex := MustCreateStaff(t, s, "alex@technopolys.example", "Alex Côté")

	t.Run("creating sets the ID and times and lower-cases the e-mail", func(t *testing.T) {
		if julie.ID == 0 || julie.ID == alex.ID || julie.Email != "julie.roy@technopolys.example" ||
			!julie.CreatedAt.Equal(julie.UpdatedAt) || !alex.CreatedAt.Equal(clock.Now().UTC().Truncate(time.Microsecond)) {
			t.Fatalf("created %+v and %+v", julie, alex)
		}
	})
	t.Run("found by ID and by e-mail in any case", func(t *testing.T) {
		got, err := s.FindStaff(ctx, julie.ID)
		if err != nil || *got != *julie {
			t.Fatalf("by ID: %+v, %v; want %+v", got, err, julie)
		}
		for _, email := range []string{"julie.roy@technopolys.example", "JULIE.ROY@technopolys.EXAMPLE"} {
			if got, err := s.FindStaffByEmail(ctx, email); err != nil || got.ID != julie.ID {
				t.Fatalf("by %q: %+v, %v", email, got, err)
			}
		}
	})
	t.Run("unknown accounts are ENOTFOUND", func(t *testing.T) {
		_, err := s.FindStaff(ctx, 999_999)
		wantCode(t, err, registry.ENOTFOUND)
		_, err = s.FindStaffByEmail(ctx, "nobody@technopolys.example")
		wantCode(t, err, registry.ENOTFOUND)
	})
	t.Run("an e-mail differing only in case conflicts, every time", func(t *testing.T) {
		for range 2 {
			err := s.CreateStaff(ctx, &registry.Staff{Email: "ALEX@Technopolys.example", Name: "Autre Alex"})
			wantCode(t, err, registry.ECONFLICT)
			if e := err.(*registry.Error); e.Reason != registry.RuleEmailTaken {
				t.Fatalf("reason %q", e.Reason)
			}
		}
	})
	t.Run("an invalid account is refused", func(t *testing.T) {
		err := s.CreateStaff(ctx, &registry.Staff{Email: "pas une adresse", Name: ""})
		wantCode(t, err, registry.EINVALID)
	})
	t.Run("listed by e-mail", func(t *testing.T) {
		all, err := s.ListStaff(ctx)
		if err != nil || len(all) != 2 || all[0].ID != alex.ID || all[1].ID != julie.ID {
			t.Fatalf("list %+v, %v", all, err)
		}
	})
	t.Run("setting a password bumps UpdatedAt, each time", func(t *testing.T) {
		for _, hash := range []string{"$argon2id$v=19$first", "$argon2id$v=19$second"} {
			clock.Advance(time.Hour)
			if err := s.SetStaffPassword(ctx, julie.ID, hash); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindStaff(ctx, julie.ID)
			if err != nil || got.PasswordHash != hash || !got.UpdatedAt.Equal(clock.Now().UTC().Truncate(time.Microsecond)) || !got.CreatedAt.Equal(julie.CreatedAt) {
				t.Fatalf("after setting %q: %+v, %v", hash, got, err)
			}
		}
		wantCode(t, s.SetStaffPassword(ctx, 999_999, "$argon2id$x"), registry.ENOTFOUND)
	})
	t.Run("setting a password ends the account's sessions, each time; others go on", func(t *testing.T) {
		open := func(token string, staffID int64) string {
			t.Helper()
			se := &registry.Session{TokenHash: TokenHash(token), StaffID: staffID, Actor: "staff", CSRF: "x"}
			if err := s.CreateSession(ctx, se); err != nil {
				t.Fatal(err)
			}
			return se.TokenHash
		}
		other := open("alex's", alex.ID)
		for i, hash := range []string{"$argon2id$v=19$reset-1", "$argon2id$v=19$reset-2"} {
			old := open(fmt.Sprintf("julie's before reset %d", i), julie.ID)
			if err := s.SetStaffPassword(ctx, julie.ID, hash); err != nil {
				t.Fatal(err)
			}
			_, err := s.TouchSession(ctx, old, idle)
			wantCode(t, err, registry.ENOTFOUND)
			if got, err := s.FindStaff(ctx, julie.ID); err != nil || got.PasswordHash != hash || got.Disabled {
				t.Fatalf("after reset %d: %+v, %v", i, got, err)
			}
			if se, err := s.TouchSession(ctx, other, idle); err != nil || se.StaffID != alex.ID {
				t.Fatalf("another account's session after reset %d: %+v, %v", i, se, err)
			}
		}
		after := open("julie's after", julie.ID) // the new password signs in as usual
		if _, err := s.TouchSession(ctx, after, idle); err != nil {
			t.Fatal(err)
		}
	})
}

func testStaffLinks(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	julie := MustCreateStaff(t, s, "julie@technopolys.example", "Julie Roy")
	link := func(token string, valid time.Duration) string {
		t.Helper()
		h := TokenHash(token)
		if err := s.CreateStaffLink(ctx, julie.ID, h, clock.Now().Add(valid)); err != nil {
			t.Fatal(err)
		}
		return h
	}
	use := func(h string) error {
		t.Helper()
		id, err := s.UseStaffLink(ctx, h)
		if err == nil && id != julie.ID {
			t.Fatalf("link of %d, want %d", id, julie.ID)
		}
		return err
	}

	t.Run("a link works once: the second use is ENOTFOUND", func(t *testing.T) {
		h := link("once", 24*time.Hour)
		if err := use(h); err != nil {
			t.Fatal(err)
		}
		wantCode(t, use(h), registry.ENOTFOUND)
	})
	t.Run("a link is valid at 23 h 59 and refused at 24 h 01, then gone", func(t *testing.T) {
		early, late := link("early", 24*time.Hour), link("late", 24*time.Hour)
		clock.Advance(23*time.Hour + 59*time.Minute)
		if err := use(early); err != nil {
			t.Fatal(err)
		}
		clock.Advance(2 * time.Minute)
		wantCode(t, use(late), registry.ENOTFOUND)
		clock.Advance(-time.Hour) // even back in its time, an expired link was spent
		wantCode(t, use(late), registry.ENOTFOUND)
		clock.Advance(time.Hour)
	})
	t.Run("a link expires at its expiry time exactly", func(t *testing.T) {
		h := link("exact", time.Hour)
		clock.Advance(time.Hour)
		wantCode(t, use(h), registry.ENOTFOUND)
	})
	t.Run("unknown links are ENOTFOUND", func(t *testing.T) {
		wantCode(t, use(TokenHash("never made")), registry.ENOTFOUND)
	})
	t.Run("a link of a disabled account stops working", func(t *testing.T) {
		h := link("before disabling", 24*time.Hour)
		if err := s.DisableStaff(ctx, julie.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, use(h), registry.ENOTFOUND)
		wantCode(t, use(h), registry.ENOTFOUND)
	})
	t.Run("no link is made for a disabled or unknown account", func(t *testing.T) {
		wantCode(t, s.CreateStaffLink(ctx, julie.ID, TokenHash("after"), clock.Now().Add(time.Hour)), registry.ENOTFOUND)
		wantCode(t, s.CreateStaffLink(ctx, 999_999, TokenHash("nobody"), clock.Now().Add(time.Hour)), registry.ENOTFOUND)
	})
}

// idle is how long the session tests let a session sit unused.
const idle = 12 * time.Hour

func testSessions(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	julie := MustCreateStaff(t, s, "julie@technopolys.example", "Julie Roy")
	open := func(token string, staffID int64, actor string) *registry.Session {
		t.Helper()
		se := &registry.Session{TokenHash: TokenHash(token), StaffID: staffID, Actor: actor, CSRF: "csrf-" + token}
		if err := s.CreateSession(ctx, se); err != nil {
			t.Fatal(err)
		}
		return se
	}
	touch := func(h string) (*registry.Session, error) {
		t.Helper()
		return s.TouchSession(ctx, h, idle)
	}

	t.Run("a session is given back as created, seen now", func(t *testing.T) {
		se := open("a", julie.ID, julie.Name)
		clock.Advance(time.Minute)
		got, err := touch(se.TokenHash)
		now := clock.Now().UTC().Truncate(time.Microsecond)
		if err != nil || got.TokenHash != se.TokenHash || got.StaffID != julie.ID || got.Actor != "Julie Roy" ||
			got.CSRF != "csrf-a" || !got.CreatedAt.Equal(se.CreatedAt) || !got.LastSeen.Equal(now) {
			t.Fatalf("touched %+v, %v; created %+v", got, err, se)
		}
	})
	t.Run("the same token hash twice conflicts", func(t *testing.T) {
		err := s.CreateSession(ctx, &registry.Session{TokenHash: TokenHash("a"), StaffID: julie.ID, Actor: julie.Name, CSRF: "x"})
		wantCode(t, err, registry.ECONFLICT)
	})
	t.Run("activity keeps a session alive; 12 h idle ends it for good", func(t *testing.T) {
		se := open("busy", julie.ID, julie.Name)
		for range 11 { // 11 h of activity, an hour apart
			clock.Advance(time.Hour)
			if _, err := touch(se.TokenHash); err != nil {
				t.Fatal(err)
			}
		}
		clock.Advance(idle) // idle exactly as long as allowed: still alive
		if _, err := touch(se.TokenHash); err != nil {
			t.Fatal(err)
		}
		clock.Advance(idle + time.Second)
		_, err := touch(se.TokenHash)
		wantCode(t, err, registry.ENOTFOUND)
		_, err = s.TouchSession(ctx, se.TokenHash, 48*time.Hour) // deleted, not only refused
		wantCode(t, err, registry.ENOTFOUND)
	})
	t.Run("signing out ends a session; twice is fine", func(t *testing.T) {
		se := open("out", julie.ID, julie.Name)
		for range 2 {
			if err := s.DeleteSession(ctx, se.TokenHash); err != nil {
				t.Fatal(err)
			}
		}
		_, err := touch(se.TokenHash)
		wantCode(t, err, registry.ENOTFOUND)
	})
	t.Run("unknown sessions are ENOTFOUND", func(t *testing.T) {
		_, err := touch(TokenHash("never made"))
		wantCode(t, err, registry.ENOTFOUND)
	})
	t.Run("a session for an unknown account is refused", func(t *testing.T) {
		err := s.CreateSession(ctx, &registry.Session{TokenHash: TokenHash("ghost"), StaffID: 999_999, Actor: "?", CSRF: "x"})
		wantCode(t, err, registry.ENOTFOUND)
	})
}

func testDisableStaff(t *testing.T, newStore Factory) {
	clock := NewClock()
	s := newStore(t, clock.Now)
	ctx := context.Background()
	julie := MustCreateStaff(t, s, "julie@technopolys.example", "Julie Roy")
	alex := MustCreateStaff(t, s, "alex@technopolys.example", "Alex Côté")
	sessions := map[string]int64{"julie-laptop": julie.ID, "julie-phone": julie.ID, "alex": alex.ID, "break-glass": 0}
	for token, id := range sessions {
		actor := registry.BreakGlassActor
		if id != 0 {
			actor = "staff"
		}
		if err := s.CreateSession(ctx, &registry.Session{TokenHash: TokenHash(token), StaffID: id, Actor: actor, CSRF: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Hour)
	disabledAt := clock.Now().UTC().Truncate(time.Microsecond)

	t.Run("disabling twice is fine, and keeps the first time", func(t *testing.T) {
		for range 2 {
			if err := s.DisableStaff(ctx, julie.ID); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindStaff(ctx, julie.ID)
			if err != nil || !got.Disabled || !got.UpdatedAt.Equal(disabledAt) {
				t.Fatalf("after disabling: %+v, %v", got, err)
			}
			clock.Advance(time.Minute)
		}
	})
	t.Run("the account's sessions stop working; others go on", func(t *testing.T) {
		for token, id := range sessions {
			got, err := s.TouchSession(ctx, TokenHash(token), idle)
			if id == julie.ID {
				wantCode(t, err, registry.ENOTFOUND)
				continue
			}
			if err != nil || got.StaffID != id {
				t.Fatalf("session %q: %+v, %v", token, got, err)
			}
		}
	})
	t.Run("a disabled account opens no session", func(t *testing.T) {
		err := s.CreateSession(ctx, &registry.Session{TokenHash: TokenHash("after"), StaffID: julie.ID, Actor: julie.Name, CSRF: "x"})
		wantCode(t, err, registry.ENOTFOUND)
	})
	t.Run("it is still listed, disabled", func(t *testing.T) {
		all, err := s.ListStaff(ctx)
		if err != nil || len(all) != 2 || all[1].ID != julie.ID || !all[1].Disabled || all[0].Disabled {
			t.Fatalf("list %+v, %v", all, err)
		}
	})
	t.Run("an unknown account is ENOTFOUND", func(t *testing.T) {
		wantCode(t, s.DisableStaff(ctx, 999_999), registry.ENOTFOUND)
	})
}
