package web

import (
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
)

func (s *Server) registerPrivacyRoutes(r router) {
	r.GET("/privacy", s.handlePrivacy)
}

type privacyView struct {
	Email    string // where to write: the issuer address the server is configured with
	Rejected string // how long a rejected request's contact is kept, in words
	// Unconfirmed is how long a pending request's contact is kept when it
	// never confirms its address, in words.
	Unconfirmed string
}

// handlePrivacy is the privacy notice Québec's Law 25 expects where
// personal information is collected: what, why, how long, whom to write to.
// The retention period it states is the one the server applies.
func (s *Server) handlePrivacy(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	days := l.Plural(retentionDays(s.cfg.Retention), "privacy.days")
	v := privacyView{Email: s.cfg.IssuerEmail, Rejected: l.T("privacy.kept.rejected", days),
		Unconfirmed: l.T("privacy.kept.unconfirmed", days)}
	s.respond.Page(w, r, l, http.StatusOK, "privacy", l.T("privacy.title"), v)
}

// retentionDays is the retention period in whole days, rounded up: a
// notice promises no shorter a wait than the server keeps.
func retentionDays(d time.Duration) int {
	const day = 24 * time.Hour
	return max(int((d+day-1)/day), 1)
}
