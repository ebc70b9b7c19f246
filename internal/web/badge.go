package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/julienschmidt/httprouter"
	"github.com/patrickmn/go-cache"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

const (
	// memberTTL bounds how long a badge trusts its copy of a member. A
	// decision taken here drops the copy at once; this bounds how late
	// another instance sharing the database learns of it.
	memberTTL = 30 * time.Second
	// imageTTL is how long an unrequested badge stays in memory.
	imageTTL = 10 * time.Minute
)

// errorCacheControl lets a "not a member" badge turn into the real one soon
// after an approval.
var errorCacheControl = []string{"public, max-age=60"}

// badges holds rendered badges and the approved members they were drawn for.
// Keys name the member's ID and version and every option, and options are
// validated, so the cache holds at most members × variants (see variants).
type badges struct {
	renderer *badge.Renderer
	members  *cache.Cache // slug → *cachedMember, approved only
	images   *cache.Cache // variant key → *rendered
	// generation moves on each forget, so a lookup that raced a revocation
	// does not put the old member back.
	generation atomic.Uint64
}

func newBadges() (*badges, error) {
	r, err := badge.New()
	if err != nil {
		return nil, err
	}
	return &badges{renderer: r, members: cache.New(memberTTL, time.Minute), images: cache.New(imageTTL, time.Minute)}, nil
}

func (s *Server) registerBadgeRoutes(r *httprouter.Router) {
	r.GET("/badge/:file", s.handleBadge)
}

// handleBadge serves /badge/{slug}.svg and /badge/{slug}.png.
func (s *Server) handleBadge(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	slug, format, ok := splitImageName(ps.ByName("file"), "svg", "png")
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	o, langGiven, bad := badge.ParseOptions(r.URL.RawQuery, locale.FR)
	if !langGiven {
		o.Lang = locale.FromAcceptLanguage(r.Header.Get("Accept-Language"))
		w.Header().Set("Vary", "Accept-Language")
	}
	if bad != "" {
		s.writeBadgeError(w, r, http.StatusBadRequest, badge.Badge{Kind: badge.Invalid, Option: bad}, format, o)
		return
	}
	m, err := s.approvedMember(r.Context(), slug)
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		s.writeBadgeError(w, r, http.StatusNotFound, badge.Badge{Kind: badge.NotMember}, format, o)
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	img, err := s.memberBadge(m, format, o)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.embeds.count(m.Member, r.Header.Get("Referer"))
	writeImage(w, r, http.StatusOK, img, imageCacheControl)
}

// splitImageName splits "acme.svg" into its name and one of the extensions.
func splitImageName(file string, exts ...string) (name, ext string, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i <= 0 {
		return "", "", false
	}
	for _, e := range exts {
		if file[i+1:] == e {
			return file[:i], e, true
		}
	}
	return "", "", false
}

// cachedMember is an approved member as badges use it, with its cache key
// computed once.
type cachedMember struct {
	*registry.Member
	key string // memberKey
}

// approvedMember returns the approved member holding slug, from memory when
// it can; anyone else is ENOTFOUND.
func (s *Server) approvedMember(ctx context.Context, slug string) (*cachedMember, error) {
	if v, ok := s.badges.members.Get(slug); ok {
		return v.(*cachedMember), nil
	}
	gen := s.badges.generation.Load()
	m, err := s.store.FindMemberBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !m.Public() {
		return nil, registry.NotFound()
	}
	cm := &cachedMember{Member: m, key: memberKey(m)}
	if s.badges.generation.Load() == gen {
		s.badges.members.SetDefault(slug, cm)
	}
	return cm, nil
}

// memberBadge returns the member's badge in one variant, drawing it once.
func (s *Server) memberBadge(m *cachedMember, format string, o badge.Options) (*rendered, error) {
	return s.cached(variantKey(m.key, format, o), func() (*rendered, error) {
		return s.drawBadge(badge.Badge{Kind: badge.Member, Name: m.Name, Assertion: s.assertionURL(m.Slug)}, format, o)
	})
}

// writeBadgeError answers with a badge that says what is wrong; these are
// few (kinds × options × variants), so they are cached too.
func (s *Server) writeBadgeError(w http.ResponseWriter, r *http.Request, status int, b badge.Badge, format string, o badge.Options) {
	key := variantKey("error."+strconv.Itoa(int(b.Kind))+"."+b.Option, format, o)
	img, err := s.cached(key, func() (*rendered, error) { return s.drawBadge(b, format, o) })
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeImage(w, r, status, img, errorCacheControl)
}

// cached returns the rendering under key, drawing it once. Keys name
// everything the drawing depends on (a member's version, the options), so
// an entry is never stale, only evicted by age or by forgetBadges.
func (s *Server) cached(key string, draw func() (*rendered, error)) (*rendered, error) {
	if v, ok := s.badges.images.Get(key); ok {
		return v.(*rendered), nil
	}
	img, err := draw()
	if err != nil {
		return nil, err
	}
	s.badges.images.SetDefault(key, img)
	return img, nil
}

func (s *Server) drawBadge(b badge.Badge, format string, o badge.Options) (*rendered, error) {
	if format == "svg" {
		return newRendered(s.badges.renderer.SVG(b, o), svgType), nil
	}
	body, err := s.badges.renderer.PNG(b, o)
	if err != nil {
		return nil, err
	}
	return newRendered(body, pngType), nil
}

// memberKey names a member at one version: a change to the member makes
// new keys, and the old entries age out.
func memberKey(m *registry.Member) string {
	return "m" + strconv.FormatInt(m.ID, 10) + "." + strconv.Itoa(m.Version)
}

// variantKey names one rendering. An SVG has no scale, so it has one key
// whatever scale was asked.
func variantKey(prefix, format string, o badge.Options) string {
	scale := byte('1')
	if format == "png" {
		scale = byte('0' + o.Scale)
	}
	return prefix + "|" + format + "|" + string(o.Style) + "|" + string(o.Theme) + "|" + string(o.Lang) + "|" + string(scale)
}

// variants lists every rendering of a badge: 4 styles × 3 themes × 2
// languages, in SVG and in PNG at 4 scales, so 120.
func variants() (formats []string, opts []badge.Options) {
	for _, st := range badge.Styles() {
		for _, th := range badge.Themes() {
			for _, l := range []locale.Lang{locale.FR, locale.EN} {
				formats, opts = append(formats, "svg"), append(opts, badge.Options{Style: st, Theme: th, Lang: l, Scale: 1})
				for scale := 1; scale <= badge.MaxScale; scale++ {
					formats, opts = append(formats, "png"), append(opts, badge.Options{Style: st, Theme: th, Lang: l, Scale: scale})
				}
			}
		}
	}
	return formats, opts
}

// forgetBadges drops a member's copy and rendered badges, after a decision
// about it, so this instance never serves a revoked member's badge again.
func (s *Server) forgetBadges(slug string) {
	if slug == "" {
		return
	}
	s.badges.generation.Add(1)
	if v, ok := s.badges.members.Get(slug); ok {
		prefix := v.(*cachedMember).key
		formats, opts := variants()
		for i := range formats {
			s.badges.images.Delete(variantKey(prefix, formats[i], opts[i]))
		}
	}
	s.badges.members.Delete(slug)
}
