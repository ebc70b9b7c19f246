package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// maxPendingSites bounds the counts held between two flushes, so forged
// Referer headers cannot grow memory without end: past it, only sites
// already counted are counted.
const maxPendingSites = 10000

// embedCounter counts badge requests per member and referring site in
// memory; the server writes the counts to the store every few seconds, so a
// badge view costs no database write. It keeps the Referer's host only: no
// address, no cookie.
type embedCounter struct {
	self   string // our own host: previews on our pages are not embeds
	mu     sync.Mutex
	counts map[embedKey]int64
}

type embedKey struct {
	member int64
	site   string
}

func newEmbedCounter(publicURL string) *embedCounter {
	return &embedCounter{self: refererHost(publicURL), counts: map[embedKey]int64{}}
}

func (c *embedCounter) count(m *registry.Member, referer string) {
	site := refererHost(referer)
	if site == "" || site == c.self {
		return
	}
	k := embedKey{m.ID, site}
	c.mu.Lock()
	if _, ok := c.counts[k]; ok || len(c.counts) < maxPendingSites {
		c.counts[k]++
	}
	c.mu.Unlock()
}

// take empties the counter and returns what it held.
func (c *embedCounter) take() []registry.EmbedCount {
	c.mu.Lock()
	counts := c.counts
	c.counts = make(map[embedKey]int64, len(counts))
	c.mu.Unlock()
	out := make([]registry.EmbedCount, 0, len(counts))
	for k, n := range counts {
		out = append(out, registry.EmbedCount{MemberID: k.member, Site: k.site, Views: n})
	}
	return out
}

// refererHost is the host of an http(s) URL, lower case, or "" for
// anything else.
func refererHost(ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if h == "" || len(h) > 253 || strings.IndexFunc(h, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == ':')
	}) >= 0 {
		return ""
	}
	return h
}

// flushEmbeds writes the pending counts to the store. Counts that fail to
// be written are lost rather than retried forever: they are statistics, not
// acknowledged writes.
func (s *Server) flushEmbeds(ctx context.Context) {
	counts := s.embeds.take()
	if err := s.store.RecordEmbeds(ctx, counts); err != nil {
		s.log.Warn("embed counts lost", "sites", len(counts), "err", err)
	}
}

// recordCounts writes badge views every interval and scans every
// scanFlush until done is closed, then both once more.
func (s *Server) recordCounts(interval time.Duration, done <-chan struct{}) {
	embeds, scans := time.NewTicker(interval), time.NewTicker(scanFlush)
	defer embeds.Stop()
	defer scans.Stop()
	for {
		select {
		case <-embeds.C:
			s.flushEmbeds(context.Background())
		case <-scans.C:
			s.flushScans(context.Background())
		case <-done:
			s.flushEmbeds(context.Background())
			s.flushScans(context.Background())
			return
		}
	}
}

type embedView struct {
	Site      string    `json:"site"`
	Views     int64     `json:"views"`
	Own       bool      `json:"own"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// handleAdminEmbeds lists the sites showing a member's badge; "own": false
// marks a site outside the member's domain.
func (s *Server) handleAdminEmbeds(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	m, err := s.memberOfPath(r, ps)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	limit, offset, err := paging(r.URL.Query())
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	s.flushEmbeds(r.Context()) // staff see counts up to this request
	embeds, total, err := s.store.ListEmbeds(r.Context(), m.ID, limit, offset)
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	out := make([]embedView, len(embeds))
	for i, e := range embeds {
		out[i] = embedView{Site: e.Site, Views: e.Views, Own: m.OwnSite(e.Site), FirstSeen: e.FirstSeen, LastSeen: e.LastSeen}
	}
	respond.JSON(w, http.StatusOK, map[string]any{"embeds": out, "total": total})
}
