package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// The wall of members' bounds: with the regions, they make every
// parameter space small, so its cached answers are few per state of the
// members.
const (
	// WallLimit is how many members one page of wall.json lists unless
	// limit= says otherwise (1 to MaxWallLimit).
	WallLimit, MaxWallLimit = 24, 100
	// MaxWallPage is the last page wall.json serves: a wall shows the
	// newest members, and the directory lists them all.
	MaxWallPage = 50
	// WallTiles and WallColumns are wall.svg's defaults.
	WallTiles, WallColumns = 12, 4
)

// wallCacheControl is short: the wall moves with each approval.
var wallCacheControl = []string{"public, max-age=30"}

// wallMember is a member as the wall shows it.
type wallMember struct {
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Region      string `json:"region"`
	RegionKey   string `json:"region_key"`
	MemberSince string `json:"member_since"` // the day of approval, in Québec
	URL         string `json:"url"`          // the verification page
}

// wallQuery reads a wall's parameters: an optional region and whole
// numbers within bounds. A parameter given twice is as bad as a wrong
// one; unknown parameters are ignored, as badges ignore them.
type wallQuery struct {
	q   url.Values
	bad string
}

func (w *wallQuery) number(name string, def, lo, hi int) int {
	vs := w.q[name]
	if len(vs) == 0 {
		return def
	}
	n, err := strconv.Atoi(vs[0])
	if len(vs) > 1 || err != nil || n < lo || n > hi || vs[0] != strconv.Itoa(n) {
		w.fail(name)
		return def
	}
	return n
}

func (w *wallQuery) region() registry.Region {
	region, ok := optionalRegion(w.q.Get("region"))
	if !ok || len(w.q["region"]) > 1 {
		w.fail("region")
	}
	return region
}

func (w *wallQuery) fail(name string) {
	if w.bad == "" {
		w.bad = name
	}
}

// handleWallJSON is /widget/wall.json: the newest approved members who
// consented to a public listing, a page at a time, readable from any
// origin.
func (s *Server) handleWallJSON(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	wq := wallQuery{q: r.URL.Query()}
	region := wq.region()
	limit := wq.number("limit", WallLimit, 1, MaxWallLimit)
	page := wq.number("page", 1, 1, MaxWallPage)
	if wq.bad != "" {
		rule := map[string]string{"region": registry.RuleRegion}[wq.bad]
		if rule == "" {
			rule = "number"
		}
		s.respond.Error(w, r, respond.BadField(wq.bad, rule))
		return
	}
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	key := strings.Join([]string{"wall.json", strconv.FormatUint(s.badges.generation.Load(), 10), c.id,
		region.Key(), strconv.Itoa(limit), strconv.Itoa(page)}, "|")
	img, err := s.cached(r.Context(), key, func() (*rendered, error) {
		ms, err := s.wallMembers(r.Context(), region, limit, (page-1)*limit)
		if err != nil {
			return nil, err
		}
		out := struct {
			Members []wallMember `json:"members"`
			Total   int          `json:"total"`
			Page    int          `json:"page"`
			Limit   int          `json:"limit"`
			Next    string       `json:"next,omitempty"`
		}{Members: make([]wallMember, len(ms)), Total: c.listed(region), Page: page, Limit: limit}
		for i, m := range ms {
			out.Members[i] = wallMember{Name: m.Name, Slug: m.Slug, Region: string(m.Region), RegionKey: m.Region.Key(),
				MemberSince: m.ApprovedAt.In(locale.Zone).Format("2006-01-02"), URL: s.cfg.PublicURL + "/members/" + m.Slug}
		}
		if page < MaxWallPage && page*limit < out.Total {
			next := url.Values{"limit": {strconv.Itoa(limit)}, "page": {strconv.Itoa(page + 1)}}
			if region != "" {
				next.Set("region", region.Key())
			}
			out.Next = s.cfg.PublicURL + "/widget/wall.json?" + next.Encode()
		}
		b, err := json.MarshalIndent(out, "", "  ")
		return newRendered(append(b, '\n'), respond.JSONType[0]), err
	})
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	writeImage(w, r, http.StatusOK, img, wallCacheControl)
}

// wallMembers reads one page of the wall, newest approval first. It runs
// inside a render slot (cached), so cold pages are rationed.
func (s *Server) wallMembers(ctx context.Context, region registry.Region, limit, offset int) ([]*registry.Member, error) {
	ms, _, err := s.store.ListMembers(ctx, registry.MemberFilter{Listed: true, Newest: true, Region: region,
		Limit: limit, Offset: offset, NoTotal: true})
	return ms, err
}

// handleWallSVG is /widget/wall.svg: the newest members as a grid of name
// tiles, in lang, theme, region, limit (tiles) and columns. It is cached
// under the image budget by the members' state and every option, and
// drawn in a render slot.
func (s *Server) handleWallSVG(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	wq := wallQuery{q: r.URL.Query()}
	o := badge.Defaults(locale.FR)
	if vs := wq.q["lang"]; len(vs) > 0 {
		l, ok := locale.Parse(vs[0])
		if !ok || len(vs) > 1 {
			wq.fail("lang")
		}
		o.Lang = l
	} else {
		o.Lang = locale.FromAcceptLanguage(r.Header.Get("Accept-Language"))
		w.Header().Set("Vary", "Accept-Language")
	}
	if vs := wq.q["theme"]; len(vs) > 0 {
		if !slices.Contains(badge.Themes(), badge.Theme(vs[0])) || len(vs) > 1 {
			wq.fail("theme")
		} else {
			o.Theme = badge.Theme(vs[0])
		}
	}
	region := wq.region()
	limit := wq.number("limit", WallTiles, 1, badge.MaxWallTiles)
	columns := wq.number("columns", WallColumns, 1, badge.MaxWallColumns)
	if wq.bad != "" {
		if o.Lang == "" {
			o.Lang = locale.FR
		}
		s.writeBadgeError(w, r, http.StatusBadRequest, badge.Badge{Kind: badge.Invalid, Option: wq.bad}, "svg", o)
		return
	}
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.imageFailed(w, r, err, "svg", o)
		return
	}
	key := strings.Join([]string{"wall.svg", strconv.FormatUint(s.badges.generation.Load(), 10), c.id,
		region.Key(), strconv.Itoa(limit), strconv.Itoa(columns), string(o.Theme), string(o.Lang)}, "|")
	img, err := s.cached(r.Context(), key, func() (*rendered, error) {
		ms, err := s.wallMembers(r.Context(), region, limit, 0)
		if err != nil {
			return nil, err
		}
		wl := badge.Wall{Total: c.listed(region), Region: string(region), Columns: columns, Tiles: make([]badge.WallTile, len(ms))}
		for i, m := range ms {
			wl.Tiles[i] = badge.WallTile{Name: m.Name, Region: string(m.Region)}
		}
		return newRendered(s.badges.renderer.WallSVG(wl, o), svgType), nil
	})
	if err != nil {
		s.imageFailed(w, r, err, "svg", o)
		return
	}
	writeImage(w, r, http.StatusOK, img, wallCacheControl)
}
