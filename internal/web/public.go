package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/slug"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// DirectoryPage is how many members one page of the directory lists.
const DirectoryPage = 50

func (s *Server) registerPublicRoutes(r router) {
	r.GET("/", s.handleHome)
	r.GET("/members", s.handleDirectory)
	r.GET("/members/:slug", s.handleMember)
	r.GET("/api/v1/members", s.handleMembersAPI)
	r.GET("/api/v1/stats", s.handleStats)
}

type homeView struct {
	Members int
	Points  []string // the reasons to join the landing page gives, by key
}

// homePoints are the landing page's reasons to join (home.why.<key>).
var homePoints = []string{"show", "verify", "directory", "free"}

// handleHome reads the count the live counter keeps in memory: the landing
// page is the most visited, and must not count members on every visit.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.respond.UnavailablePage(w, r, err)
		return
	}
	l := locale.Negotiate(r)
	s.cachedPage(w, r, l, "home|"+c.id+"|"+string(l), "?lang="+string(l.Other()), func() (pageDraft, error) {
		return pageDraft{"home", l.T("home.title"), homeView{Members: c.Members, Points: homePoints}, s.homeShare(l, c.Members)}, nil
	})
}

type directoryView struct {
	Members    []*registry.Member
	Total      int
	Region     registry.Region
	Regions    []registry.Region
	Prev, Next string
	// Query is the search, normalised; MaxQuery its length limit.
	Query    string
	MaxQuery int
	// Results and More say what a search found; ListTitle heads the list.
	Results, More, ListTitle string
	// Counts are the listed members by region, each a link to its filter,
	// the whole directory first.
	Counts []regionCount
	// Newest are the latest members listed, on the directory's first page.
	Newest []*registry.Member
}

// regionCount is one region's link in the directory, with its members.
type regionCount struct {
	Name, URL string
	N         int
	Current   bool
}

const (
	// MaxQuery bounds a directory search, in characters: a company's name
	// is shorter, and the cache keys stay small.
	MaxQuery = 100
	// newestShown is how many members the directory's newest section shows.
	newestShown = 6
)

// handleDirectory lists consenting members by slug, a page at a time. It
// pages by key (after=, before= a slug), so the database seeks to the page
// instead of reading every member before it, and the total comes from the
// counts the live counter holds, so no request counts the directory. A
// search (q=, by name) shows its first DirectoryPage matches, without
// paging. Every page is drawn once per state of the members, under a key
// made of the parsed parameters alone; a query that is not in its
// canonical form (empty fields, extra spaces) is redirected to it.
func (s *Server) handleDirectory(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	l := locale.Negotiate(r)
	q := r.URL.Query()
	region, ok := optionalRegion(q.Get("region"))
	after, before := q.Get("after"), q.Get("before")
	query := strings.Join(strings.Fields(q.Get("q")), " ")
	if !ok || after != "" && !slug.Valid(after) || before != "" && !slug.Valid(before) || after != "" && before != "" ||
		query != "" && (after != "" || before != "") {
		s.respond.ErrorPage(w, r, http.StatusBadRequest, "error.invalid")
		return
	}
	if utf8.RuneCountInString(query) > MaxQuery {
		s.respond.ErrorPage(w, r, http.StatusBadRequest, "members.search.long")
		return
	}
	if q.Has("q") && (query == "" || query != q.Get("q")) || q.Has("region") && region == "" || q.Has("lang") && q.Get("lang") != string(l) {
		http.Redirect(w, r, "/members?"+directoryQuery(l, region, query, after, before).Encode(), http.StatusFound)
		return
	}
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.respond.UnavailablePage(w, r, err)
		return
	}
	key := strings.Join([]string{"members", strconv.FormatUint(s.badges.generation.Load(), 10), c.id, string(l), region.Key(), after, before, query}, "|")
	switchTo := "?" + directoryQuery(l.Other(), region, query, after, before).Encode()
	s.cachedPage(w, r, l, key, switchTo, func() (pageDraft, error) {
		v, err := s.directoryPage(r.Context(), l, c, region, query, after, before)
		return pageDraft{"members", l.T("members.title"), v, s.directoryShare(l, directoryQuery(l, region, "", after, before), c.Members)}, err
	})
}

// directoryPage reads one page of the directory. One more member than a
// page tells whether there is a page beyond.
func (s *Server) directoryPage(ctx context.Context, l locale.Lang, c *counts, region registry.Region, query, after, before string) (directoryView, error) {
	ms, _, err := s.store.ListMembers(ctx, registry.MemberFilter{
		Listed: true, Region: region, Query: query, After: after, Before: before, NoTotal: true, Limit: DirectoryPage + 1})
	if err != nil {
		return directoryView{}, err
	}
	v := directoryView{Total: c.listed(region), Region: region, Regions: registry.Regions(), Query: query, MaxQuery: MaxQuery,
		Counts: regionCounts(l, c, region), ListTitle: l.T("members.list")}
	if region != "" {
		v.ListTitle = l.T("members.list.region", string(region))
	}
	more := len(ms) > DirectoryPage
	switch {
	case before != "" && more:
		ms = ms[1:]
	case more:
		ms = ms[:DirectoryPage]
	}
	v.Members = ms
	if query != "" {
		if len(ms) == 0 {
			v.Results = l.T("members.results.none", query)
		} else {
			v.Results = l.T(l.PluralKey(len(ms), "members.results"), l.Int(len(ms)), query)
		}
		if more {
			v.More = l.T("members.results.more")
		}
		return v, nil
	}
	if len(ms) > 0 {
		if before != "" && more || after != "" {
			v.Prev = directoryURL(l, region, "before", ms[0].Slug)
		}
		if before != "" || more {
			v.Next = directoryURL(l, region, "after", ms[len(ms)-1].Slug)
		}
	}
	if region == "" && after == "" && before == "" {
		v.Newest, _, err = s.store.ListMembers(ctx, registry.MemberFilter{Listed: true, Newest: true, NoTotal: true, Limit: newestShown})
	}
	return v, err
}

// regionCounts are the directory's links by region: the whole directory,
// then every region with a listed member (and the one shown, even empty).
func regionCounts(l locale.Lang, c *counts, current registry.Region) []regionCount {
	out := []regionCount{{Name: l.T("members.region.all"), URL: "/members?" + directoryQuery(l, "", "", "", "").Encode(),
		N: c.listed(""), Current: current == ""}}
	for _, r := range registry.Regions() {
		if n := c.listed(r); n > 0 || r == current {
			out = append(out, regionCount{Name: string(r), URL: "/members?" + directoryQuery(l, r, "", "", "").Encode(), N: n, Current: r == current})
		}
	}
	return out
}

// directoryQuery is a directory page's canonical parameters.
func directoryQuery(l locale.Lang, region registry.Region, query, after, before string) url.Values {
	q := url.Values{"lang": {string(l)}}
	if region != "" {
		q.Set("region", region.Key())
	}
	if query != "" {
		q.Set("q", query)
	}
	if after != "" {
		q.Set("after", after)
	}
	if before != "" {
		q.Set("before", before)
	}
	return q
}

func directoryURL(l locale.Lang, region registry.Region, dir, sl string) string {
	q := directoryQuery(l, region, "", "", "")
	q.Set(dir, sl)
	return "/members?" + q.Encode()
}

// optionalRegion parses a region filter: empty means all regions.
func optionalRegion(s string) (registry.Region, bool) {
	if s == "" {
		return "", true
	}
	return registry.ParseRegion(s)
}

type memberView struct {
	Member  *registry.Member
	Checked time.Time
}

// handleMember is the verification page: it exists only while the member is
// approved, and says so with the date it was checked; a revoked member's
// says it is one no longer (410). It reads the member as badges do
// (approvedMember), so a decision taken here shows at once and made-up
// slugs cost the store nothing after the first. The badge kit is the
// member area's: this page is the one anyone checks.
func (s *Server) handleMember(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	cm, err := s.approvedMember(r.Context(), ps.ByName("slug"))
	if err == errRevoked {
		s.respond.ErrorPage(w, r, http.StatusGone, "error.revoked")
		return
	}
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		s.respond.ErrorPage(w, r, http.StatusNotFound, "error.nomember")
		return
	}
	if err != nil {
		s.respond.UnavailablePage(w, r, err)
		return
	}
	m := cm.Member
	l := locale.Negotiate(r)
	// Not a cached page: it says the day it was checked.
	s.respond.View(w, r, http.StatusOK, "member", respond.View{L: l, Title: m.Name, Switch: respond.SwitchURL(r, l),
		Share: s.memberShare(m, l), Data: memberView{Member: m, Checked: s.now()}})
}

// publicMember is a member as public routes show it: no contact, no e-mail.
type publicMember struct {
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Website     string    `json:"website"`
	Region      string    `json:"region"`
	RegionKey   string    `json:"region_key"`
	MemberSince time.Time `json:"member_since"`
	URL         string    `json:"url"`
}

func (s *Server) publicMember(m *registry.Member) publicMember {
	return publicMember{Slug: m.Slug, Name: m.Name, Website: m.Website, Region: string(m.Region),
		RegionKey: m.Region.Key(), MemberSince: m.ApprovedAt, URL: s.cfg.PublicURL + "/members/" + m.Slug}
}

// handleMembersAPI lists consenting approved members as JSON, readable from
// any origin.
func (s *Server) handleMembersAPI(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	q := r.URL.Query()
	region, ok := optionalRegion(q.Get("region"))
	if !ok {
		s.respond.Error(w, r, respond.BadField("region", registry.RuleRegion))
		return
	}
	limit, offset, err := paging(q)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	// Drawn once per state of the members, like the directory's pages,
	// and kept under the image budget; the total is the live counts'.
	key := strings.Join([]string{"api-members", strconv.FormatUint(s.badges.generation.Load(), 10), c.id,
		region.Key(), strconv.Itoa(limit), strconv.Itoa(offset)}, "|")
	body, err := s.cached(r.Context(), key, func() (*rendered, error) {
		ms, _, err := s.store.ListMembers(r.Context(), registry.MemberFilter{Listed: true, Region: region, Limit: limit, Offset: offset, NoTotal: true})
		if err != nil {
			return nil, err
		}
		out := make([]publicMember, len(ms))
		for i, m := range ms {
			out[i] = s.publicMember(m)
		}
		b, err := json.MarshalIndent(map[string]any{"members": out, "total": c.listed(region)}, "", "  ")
		return newRendered(append(b, '\n'), respond.JSONType[0]), err
	})
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	w.Header()["Content-Type"] = respond.JSONType
	w.Write(body.body)
}

// MaxLimit bounds one page of any listing.
const MaxLimit = 1000

// paging reads limit (default 100, 1 to 1000) and offset (0 or more).
func paging(q url.Values) (limit, offset int, err error) {
	limit, offset = 100, 0
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > MaxLimit {
			return 0, 0, respond.BadField("limit", "number")
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 || offset > 1<<31 {
			return 0, 0, respond.BadField("offset", "number")
		}
	}
	return limit, offset, nil
}

// handleStats is the counts the live counter keeps in memory, by region
// name.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	w.Header()["Content-Type"] = respond.JSONType
	w.Write(c.statsJSON)
}
