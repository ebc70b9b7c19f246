package web

import (
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/account"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// site is also the server as the member area sees it (account.Site).
var _ account.Site = site{}

// BadgeKit is the verification page's badge picker, for the member area.
func (c site) BadgeKit(m *registry.Member, page locale.Lang, choice respond.BadgeChoice) respond.BadgeKit {
	return c.s.badgeKit(m, page, choice)
}

// memberArea is the member area on this server's store and pages.
func (s *Server) memberArea() *account.Account {
	return account.New(account.Config{Store: s.store, Site: site{s}, Respond: s.respond,
		PublicURL: s.cfg.PublicURL, Now: s.cfg.Now, Log: s.cfg.Logger})
}
