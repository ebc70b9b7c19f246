package registry

import (
	"strings"
	"time"
)

// RuleEmailTaken is the reason of the ECONFLICT a new staff account gets
// when another has its e-mail, whatever the case of either.
const RuleEmailTaken = "email_taken"

// BreakGlassActor is the name the audit log gives a session opened with the
// admin token rather than by a staff member.
const BreakGlassActor = "jeton d\u2019administration"

// Staff is a named account that signs in to the admin console, so the audit
// log says who decided instead of "whoever held the token".
type Staff struct {
	ID    int64
	Email string // lower case, unique
	Name  string
	// PasswordHash is "" until the person sets one from a link. It is a
	// PHC string the web layer computes: the store never sees a password.
	PasswordHash string
	// Disabled accounts cannot sign in, and their sessions and links stop
	// working; they are kept so the audit log's names still mean someone.
	Disabled             bool
	CreatedAt, UpdatedAt time.Time
}

// Validate checks a new staff account's e-mail and name, trimmed, and
// lower-cases the e-mail: people type their address with any case, and one
// mailbox must be one account.
func (s *Staff) Validate() error {
	s.Email = strings.ToLower(strings.TrimSpace(s.Email))
	s.Name = strings.TrimSpace(s.Name)
	var ps problems
	ps.check("email", checkEmail(s.Email))
	ps.check("name", checkText(s.Name, MaxNameLen))
	if len(ps) > 0 {
		return &Invalid{Problems: ps}
	}
	return nil
}

// Session is a signed-in browser, kept on the server so signing out or
// disabling an account ends it at once, which a signed cookie could not.
type Session struct {
	// TokenHash is the hex SHA-256 of the cookie's random token: the token
	// itself is never stored, so a copy of the database opens no session.
	TokenHash string
	StaffID   int64  // 0 for a break-glass session opened with the admin token
	Actor     string // who the audit log names: the staff member's name, or BreakGlassActor
	// CSRF is the session's random token for forms. It is stored as is:
	// without the cookie it is worth nothing.
	CSRF                string
	CreatedAt, LastSeen time.Time
}
