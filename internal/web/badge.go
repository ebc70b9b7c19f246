package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/julienschmidt/httprouter"
	"github.com/maypok86/otter/v2"
	"github.com/patrickmn/go-cache"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/imagecache"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/slug"
	"github.com/technopolys/technopolys/internal/web/respond"
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

// badges holds rendered images and the approved members badges are drawn
// for. Image keys name the member's ID and version and every option, and
// options are validated, so the keys are few per member; the image cache's
// byte budget bounds them all whatever visitors ask for.
type badges struct {
	renderer *badge.Renderer
	members  *cache.Cache // slug → *cachedMember, approved only
	// absent remembers, briefly and in bounded number, slugs that are no
	// approved member, so a flood of made-up slugs asks the store once each,
	// with the reason the verification page gives (notFound or gone).
	absent *otter.Cache[string, error]
	images *imagecache.Cache[*rendered]
	// generation moves on each forget, so a lookup that raced a revocation
	// does not put the old member back.
	generation atomic.Uint64
}

const (
	// absentTTL is how long a slug found to be no member is believed so.
	// An approval here forgets it at once; another instance's, on notice.
	absentTTL = 30 * time.Second
	// maxAbsent bounds the slugs remembered as absent (about 100 bytes each).
	maxAbsent = 100_000
)

func newBadges(cfg Config) (*badges, error) {
	r, err := badge.New()
	if err != nil {
		return nil, err
	}
	images, err := imagecache.New(imagecache.Config{Budget: cfg.CacheBytes, Renders: cfg.Renders, Wait: cfg.RenderWait, Idle: imageTTL},
		func(img *rendered) int { return len(img.body) })
	if err != nil {
		return nil, err
	}
	absent, err := otter.New(&otter.Options[string, error]{MaximumSize: maxAbsent,
		ExpiryCalculator: otter.ExpiryWriting[string, error](absentTTL)})
	if err != nil {
		return nil, err
	}
	return &badges{renderer: r, members: cache.New(memberTTL, time.Minute), absent: absent, images: images}, nil
}

func (s *Server) registerBadgeRoutes(r router) {
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
		s.imageFailed(w, r, err, format, o)
		return
	}
	img, err := s.memberBadge(r.Context(), m, format, o)
	if err != nil {
		s.imageFailed(w, r, err, format, o)
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

// approvedMember returns the approved member holding sl, from memory when
// it can; anyone else is ENOTFOUND (errRevoked for a revoked member, whose
// verification page says so). A malformed slug never reaches the
// store, one found absent is remembered a while, and store lookups take a
// render slot, so made-up slugs cost little whatever their number.
func (s *Server) approvedMember(ctx context.Context, sl string) (*cachedMember, error) {
	if v, ok := s.badges.members.Get(sl); ok {
		return v.(*cachedMember), nil
	}
	if !slug.Valid(sl) {
		return nil, registry.NotFound()
	}
	if err, ok := s.badges.absent.GetIfPresent(sl); ok {
		return nil, err
	}
	gen := s.badges.generation.Load()
	var m *registry.Member
	err := s.badges.images.Do(ctx, func() (err error) {
		m, err = s.store.FindMemberBySlug(ctx, sl)
		return err
	})
	if registry.ErrorCode(err) == registry.ENOTFOUND || err == nil && !m.Public() {
		if err == nil && m.Status == registry.StatusRevoked {
			err = errRevoked // still ENOTFOUND, for badges
		} else {
			err = registry.NotFound()
		}
		if s.badges.generation.Load() == gen {
			s.badges.absent.Set(sl, err)
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	cm := &cachedMember{Member: m, key: memberKey(m)}
	if s.badges.generation.Load() == gen {
		s.badges.members.SetDefault(sl, cm)
	}
	return cm, nil
}

// memberBadge returns the member's badge in one variant, drawing it once.
func (s *Server) memberBadge(ctx context.Context, m *cachedMember, format string, o badge.Options) (*rendered, error) {
	return s.cached(ctx, variantKey(m.key, format, o), func() (*rendered, error) {
		// The assertion depends only on the member, so the member's
		// version in the key covers it too.
		_, assertion, err := s.assertion(m.Member)
		if err != nil {
			return nil, err
		}
		return s.drawBadge(badge.Badge{Kind: badge.Member, Name: m.Name,
			Assertion: badge.Assertion{ID: s.assertionURL(m.Slug), JSON: string(assertion)}}, format, o)
	})
}

// writeBadgeError answers with a badge that says what is wrong. These are
// few (kinds × options × variants), so they are cached, and drawn without
// waiting for a render slot: an answer saying why must not itself be
// refused.
func (s *Server) writeBadgeError(w http.ResponseWriter, r *http.Request, status int, b badge.Badge, format string, o badge.Options) {
	key := variantKey("error."+strconv.Itoa(int(b.Kind))+"."+b.Option, format, o)
	img, ok := s.badges.images.Get(key)
	if !ok {
		var err error
		if img, err = s.drawBadge(b, format, o); err != nil {
			s.respond.Error(w, r, err)
			return
		}
		s.badges.images.Set(key, img)
	}
	cacheControl := errorCacheControl
	if status == http.StatusServiceUnavailable {
		cacheControl = respond.NoStore
		w.Header().Set("Retry-After", respond.RetryAfter)
	}
	writeImage(w, r, status, img, cacheControl)
}

// imageFailed answers an image route whose work failed: an image saying
// the service is busy or unavailable (503, Retry-After) when it is, the
// JSON error otherwise.
func (s *Server) imageFailed(w http.ResponseWriter, r *http.Request, err error, format string, o badge.Options) {
	if respond.Status(respond.Code(err)) == http.StatusServiceUnavailable {
		s.respond.LogUnavailable(r, err)
		s.writeBadgeError(w, r, http.StatusServiceUnavailable, badge.Badge{Kind: badge.Unavailable}, format, o)
		return
	}
	s.respond.Error(w, r, err)
}

// cached returns the rendering under key, drawing it once, in a render
// slot. Keys name everything the drawing depends on (a member's version,
// the options), so an entry is never stale, only evicted by the byte
// budget, by age, or by forgetBadges.
func (s *Server) cached(ctx context.Context, key string, draw func() (*rendered, error)) (*rendered, error) {
	return s.badges.images.Render(ctx, key, draw)
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
		s.forgetCards(prefix)
	}
	s.badges.members.Delete(slug)
	s.badges.absent.Invalidate(slug)
}
