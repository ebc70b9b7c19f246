package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// Link previews: the tags that tell sites and apps what a shared link to a
// page shows (respond.Share), and the 1200 × 630 images they show, drawn
// by the badge renderer and cached with the badges.

func (s *Server) registerShareRoutes(r router) {
	r.GET("/og/home.png", s.handleHomeCard)
	r.GET("/og/members/:file", s.handleMemberCard)
}

// secretPaths are the pages whose address holds a one-time token: they get
// no canonical address or preview, which would repeat the token.
var secretPaths = []string{"/join/confirm/", "/account/signin/"}

// defaultShare is the preview of a page that brings none: its title, a
// description by page, and the landing page's image. The console's pages
// and pages whose address holds a secret get none.
func (s *Server) defaultShare(r *http.Request, v respond.View) *respond.Share {
	p := r.URL.Path
	if p == "/admin" || strings.HasPrefix(p, "/admin/") {
		return nil
	}
	for _, prefix := range secretPaths {
		if strings.HasPrefix(p, prefix) {
			return nil
		}
	}
	sh := respond.NewShare(s.cfg.PublicURL, p, nil, v.L)
	sh.Title = v.Title
	switch p {
	case "/join":
		sh.Description = v.L.T("share.join.description")
	case "/privacy":
		sh.Description = v.L.T("share.privacy.description")
	default:
		sh.Description = v.L.T("share.description")
	}
	s.homeImage(sh, v.L, -1)
	return sh
}

// homeImage gives a share the landing page's card; members is the count
// it shows, for its description, or -1 when the caller does not know it.
func (s *Server) homeImage(sh *respond.Share, l locale.Lang, members int) {
	sh.Image = s.cfg.PublicURL + "/og/home.png?lang=" + string(l)
	sh.ImageAlt = l.T("share.home.alt")
	if members >= 0 {
		sh.ImageAlt = l.T("share.home.alt.count", l.Plural(members, "home.count"))
	}
}

// homeShare is the landing page's preview, with the live count.
func (s *Server) homeShare(l locale.Lang, members int) *respond.Share {
	sh := respond.NewShare(s.cfg.PublicURL, "/", nil, l)
	sh.Title = l.T("home.title")
	sh.Description = l.T("share.description") + " " + l.Plural(members, "home.count") + "."
	s.homeImage(sh, l, members)
	return sh
}

// directoryShare is a directory page's preview; its canonical address
// keeps the region and the page.
func (s *Server) directoryShare(l locale.Lang, q url.Values, members int) *respond.Share {
	sh := respond.NewShare(s.cfg.PublicURL, "/members", q, l)
	sh.Title = l.T("members.title")
	sh.Description = l.T("members.lead")
	s.homeImage(sh, l, members)
	return sh
}

// memberShare is a verification page's preview, with the member's card.
func (s *Server) memberShare(m *registry.Member, l locale.Lang) *respond.Share {
	path := "/members/" + m.Slug
	sh := respond.NewShare(s.cfg.PublicURL, path, nil, l)
	sh.Title = l.T("badge.title", m.Name)
	since := l.Date(m.ApprovedAt)
	sh.Description = l.T("share.member.description", m.Name, since)
	sh.Image = s.cfg.PublicURL + "/og" + path + ".png?lang=" + string(l)
	sh.ImageAlt = l.T("share.member.alt", m.Name, since)
	return sh
}

// cardLang is the language a card was asked in: lang, the only parameter
// cards take (others are ignored and never reach a cache key), else the
// Accept-Language header's. A lang that names no language is not ok.
func cardLang(w http.ResponseWriter, r *http.Request) (locale.Lang, bool) {
	vs := r.URL.Query()["lang"]
	switch len(vs) {
	case 0:
		w.Header().Set("Vary", "Accept-Language")
		return locale.FromAcceptLanguage(r.Header.Get("Accept-Language")), true
	case 1:
		return locale.Parse(vs[0])
	}
	return locale.FR, false
}

// handleHomeCard serves /og/home.png: the movement's call and the live
// count, one image per count and language.
func (s *Server) handleHomeCard(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l, ok := cardLang(w, r)
	if !ok {
		s.writeBadgeError(w, r, http.StatusBadRequest, badge.Badge{Kind: badge.Invalid, Option: "lang"}, "png", badge.Defaults(l))
		return
	}
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.imageFailed(w, r, err, "png", badge.Defaults(l))
		return
	}
	img, err := s.cached(r.Context(), "og|home|"+c.id+"|"+string(l), func() (*rendered, error) {
		return s.drawCard(badge.Card{Title: l.T("home.title"), Lead: l.Plural(c.Members, "home.count"),
			Note: l.T("site.tagline"), Footer: s.publicHost()})
	})
	if err != nil {
		s.imageFailed(w, r, err, "png", badge.Defaults(l))
		return
	}
	writeImage(w, r, http.StatusOK, img, imageCacheControl)
}

// handleMemberCard serves /og/members/{slug}.png: the member's name, that
// it is a verified member, and since when. It is keyed by the member's
// version, so a rename draws a new card; an address that is no approved
// member (unknown, pending, revoked) is a 404 with a neutral card that
// names nobody, the same for every such address.
func (s *Server) handleMemberCard(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	sl, _, ok := splitImageName(ps.ByName("file"), "png")
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	l, ok := cardLang(w, r)
	if !ok {
		s.writeBadgeError(w, r, http.StatusBadRequest, badge.Badge{Kind: badge.Invalid, Option: "lang"}, "png", badge.Defaults(l))
		return
	}
	m, err := s.approvedMember(r.Context(), sl)
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		s.writeNoMemberCard(w, r, l)
		return
	}
	if err != nil {
		s.imageFailed(w, r, err, "png", badge.Defaults(l))
		return
	}
	img, err := s.cached(r.Context(), cardKey(m.key, l), func() (*rendered, error) {
		return s.drawCard(badge.Card{Title: m.Name, Lead: l.T("member.of"),
			Note: l.T("share.member.since", l.Date(m.ApprovedAt)), Footer: s.publicHost()})
	})
	if err != nil {
		s.imageFailed(w, r, err, "png", badge.Defaults(l))
		return
	}
	writeImage(w, r, http.StatusOK, img, imageCacheControl)
}

// writeNoMemberCard answers 404 with the neutral card, drawn once per
// language and without waiting for a render slot, as error badges are.
func (s *Server) writeNoMemberCard(w http.ResponseWriter, r *http.Request, l locale.Lang) {
	key := "og|notmember|" + string(l)
	img, ok := s.badges.images.Get(key)
	if !ok {
		var err error
		img, err = s.drawCard(badge.Card{Title: l.T("share.notmember"), Lead: l.T("site.tagline"), Footer: s.publicHost(), Muted: true})
		if err != nil {
			s.respond.Error(w, r, err)
			return
		}
		s.badges.images.Set(key, img)
	}
	writeImage(w, r, http.StatusNotFound, img, errorCacheControl)
}

func (s *Server) drawCard(c badge.Card) (*rendered, error) {
	body, err := s.badges.renderer.CardPNG(c)
	if err != nil {
		return nil, err
	}
	return newRendered(body, pngType), nil
}

// cardKey names a member's card at one version in one language.
func cardKey(member string, l locale.Lang) string { return "og|" + member + "|" + string(l) }

// forgetCards drops a member's cards, with its badges (forgetBadges).
func (s *Server) forgetCards(member string) {
	for _, l := range []locale.Lang{locale.FR, locale.EN} {
		s.badges.images.Delete(cardKey(member, l))
	}
}

// publicHost is the public URL's host, the cards' footer.
func (s *Server) publicHost() string {
	if u, err := url.Parse(s.cfg.PublicURL); err == nil && u.Host != "" {
		return u.Host
	}
	return s.cfg.PublicURL
}
