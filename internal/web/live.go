package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/julienschmidt/httprouter"

	embedkit "github.com/technopolys/technopolys/embed"
	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

const (
	// coalesce is the least time between two count events: a CSV import of
	// a thousand members is one or two events, not a thousand.
	coalesce = 250 * time.Millisecond
	// heartbeat keeps proxies from closing an idle stream.
	heartbeat = 25 * time.Second
	// resync re-reads the counts now and then, should a change notice
	// ever be lost.
	resync = time.Minute
	// streamWriteGrace is how long one event may take to reach a client.
	streamWriteGrace = 15 * time.Second
)

// counts is one state of the member counts, as every live route sends it.
type counts struct {
	Members   int            `json:"members"`
	ByRegion  map[string]int `json:"by_region"` // by region key: "montreal", "laval"…
	UpdatedAt time.Time      `json:"updated_at"`
	id        string         // derived from the counts, the same on every instance
	json      []byte         // the JSON above
	statsJSON []byte         // /api/v1/stats: the same by region name
	// listedAll and listedByRegion count the members in the public directory.
	listedAll      int
	listedByRegion map[string]int
	event          []byte        // the SSE event carrying it
	next           chan struct{} // closed when newer counts replace these
}

func newCounts(st registry.Stats, at time.Time) *counts {
	c := &counts{Members: st.Members, ByRegion: map[string]int{}, UpdatedAt: at.UTC(), next: make(chan struct{}),
		listedAll: st.Listed, listedByRegion: map[string]int{}}
	for r, n := range st.ByRegion {
		c.ByRegion[r.Key()] = n
	}
	for r, n := range st.ListedByRegion {
		c.listedByRegion[r.Key()] = n
	}
	c.json, _ = json.Marshal(c)
	byName := map[registry.Region]int{}
	for _, r := range registry.Regions() {
		byName[r] = c.ByRegion[r.Key()]
	}
	c.statsJSON, _ = json.MarshalIndent(map[string]any{"members": c.Members, "by_region": byName}, "", "  ")
	c.statsJSON = append(c.statsJSON, '\n')
	key, _ := json.Marshal(struct {
		M, L  int
		R, LR map[string]int
	}{c.Members, c.listedAll, c.ByRegion, c.listedByRegion})
	sum := sha256.Sum256(key)
	c.id = hex.EncodeToString(sum[:8])
	c.event = []byte("id: " + c.id + "\nevent: counts\ndata: " + string(c.json) + "\n\n")
	return c
}

// listed is how many members the directory lists, in region or in all.
func (c *counts) listed(region registry.Region) int {
	if region == "" {
		return c.listedAll
	}
	return c.listedByRegion[region.Key()]
}

// same reports whether two states hold the same numbers.
func (c *counts) same(o *counts) bool { return o != nil && c.id == o.id }

// live keeps the current counts and tells every stream when they change.
// Changes are coalesced: a notice marks the counts dirty, and the loop
// re-reads them at most every coalesce.
type live struct {
	store registry.Store
	now   func() time.Time
	mu    sync.Mutex
	cur   *counts
	dirty chan struct{}
	// done is closed when streams must end (shutdown).
	done     chan struct{}
	stopOnce sync.Once
}

func newLive(store registry.Store, now func() time.Time) *live {
	return &live{store: store, now: now, dirty: make(chan struct{}, 1), done: make(chan struct{})}
}

// Changed tells the live counts that members changed (here, or on another
// instance through PostgreSQL's NOTIFY). It never blocks.
func (l *live) Changed() {
	select {
	case l.dirty <- struct{}{}:
	default:
	}
}

// latest returns the current counts, reading them the first time.
func (l *live) latest(ctx context.Context) (*counts, error) {
	l.mu.Lock()
	c := l.cur
	l.mu.Unlock()
	if c != nil {
		return c, nil
	}
	return l.refresh(ctx)
}

// refresh reads the counts and, when they differ, publishes them.
func (l *live) refresh(ctx context.Context) (*counts, error) {
	st, err := l.store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c := newCounts(st, l.now())
	if c.same(l.cur) {
		return l.cur, nil
	}
	old := l.cur
	l.cur = c
	if old != nil {
		close(old.next)
	}
	return c, nil
}

// run re-reads the counts on each notice, at most every coalesce, until
// stop is closed.
func (l *live) run(stop <-chan struct{}) {
	t := time.NewTicker(resync)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-l.dirty:
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		l.refresh(ctx)
		cancel()
		select {
		case <-stop:
			return
		case <-time.After(coalesce):
		}
	}
}

// StopStreams ends every open stream, so a graceful shutdown need not wait
// for clients that never hang up. EventSource reconnects by itself.
func (s *Server) StopStreams() {
	s.live.stopOnce.Do(func() { close(s.live.done) })
}

func (s *Server) registerLiveRoutes(r router) {
	r.GET("/api/v1/stats/stream", s.handleStream)
	// One route for count.json, count.svg and count.png: httprouter
	// cannot hold a static /widget/count.json beside /widget/:file.
	r.GET("/widget/:file", s.handleWidget)
	r.GET("/embed/:file", s.handleEmbedKit)
}

// handleEmbedKit serves the browser-side kit (embed/*.js) to any site.
func (s *Server) handleEmbedKit(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	body, err := embedkit.FS.ReadFile(ps.ByName("file"))
	if err != nil || !strings.HasSuffix(ps.ByName("file"), ".js") {
		s.handleNotFound(w, r)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeImage(w, r, http.StatusOK, newRendered(body, "text/javascript; charset=utf-8"), []string{"public, max-age=3600"})
}

// handleStream is Server-Sent Events of the counts: the current counts at
// once (unless Last-Event-ID says the client has them), then an event on
// each change, and a comment every 25 s.
//
// Streams are capped per client and in all (streamCap). A stream has no
// overall write timeout, being endless; each write instead must go through
// within streamWriteGrace, so a client that stops reading is cut off.
func (s *Server) handleStream(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	client := s.clientKey(r)
	if ok, status := s.streams.acquire(client); !ok {
		s.refuseStream(w, r, status)
		return
	}
	defer s.streams.release(client)
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events through at once
	rc := http.NewResponseController(w)
	flush := func() bool {
		return rc.SetWriteDeadline(time.Now().Add(streamWriteGrace)) == nil && rc.Flush() == nil
	}
	rc.SetWriteDeadline(time.Now().Add(streamWriteGrace))
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("retry: 3000\n\n"))
	if r.Header.Get("Last-Event-ID") != c.id {
		w.Write(c.event)
	}
	if !flush() {
		return
	}
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-c.next:
			if c, err = s.live.latest(r.Context()); err != nil {
				return
			}
			w.Write(c.event)
		case <-beat.C:
			w.Write([]byte(": ping\n\n"))
		case <-r.Context().Done():
			return
		case <-s.live.done:
			return
		}
		if !flush() {
			return
		}
	}
}

func (s *Server) handleWidget(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	switch ps.ByName("file") {
	case "count.json":
		s.handleCountJSON(w, r, ps)
	case "wall.json":
		s.handleWallJSON(w, r, ps)
	case "wall.svg":
		s.handleWallSVG(w, r, ps)
	default:
		s.handleCountImage(w, r, ps)
	}
}

// handleCountJSON is the counts as JSON, readable from any origin.
func (s *Server) handleCountJSON(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "public, max-age=10")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("ETag", `"`+c.id+`"`)
	if etagMatches(r.Header.Get("If-None-Match"), `"`+c.id+`"`) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(c.json)
}

// widgetCacheControl is short: the number moves.
var widgetCacheControl = []string{"public, max-age=30"}

// MaxGoal bounds a widget's goal.
const MaxGoal = 1_000_000_000

// handleCountImage serves /widget/count.svg and .png: the number of
// approved members (in one region with region=) and its label, with a
// progress bar toward goal=.
func (s *Server) handleCountImage(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	_, format, ok := splitImageName(ps.ByName("file"), "svg", "png")
	if name, _, _ := splitImageName(ps.ByName("file"), format); !ok || name != "count" {
		s.handleNotFound(w, r)
		return
	}
	o, langGiven, bad := badge.ParseOptions(r.URL.RawQuery, locale.FR)
	if !langGiven {
		o.Lang = locale.FromAcceptLanguage(r.Header.Get("Accept-Language"))
		w.Header().Set("Vary", "Accept-Language")
	}
	q := r.URL.Query()
	region, okRegion := optionalRegion(q.Get("region"))
	goal, err := strconv.Atoi(q.Get("goal"))
	switch {
	case bad != "":
	case !okRegion || len(q["region"]) > 1:
		bad = "region"
	case q.Get("goal") == "":
		goal = 0
	case err != nil || goal < 1 || goal > MaxGoal || len(q["goal"]) > 1:
		bad = "goal"
	}
	if bad != "" {
		s.writeBadgeError(w, r, http.StatusBadRequest, badge.Badge{Kind: badge.Invalid, Option: bad}, format, o)
		return
	}
	c, err := s.live.latest(r.Context())
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	b := badge.Badge{Kind: badge.Count, Members: c.Members, Goal: goal}
	if region != "" {
		b.Members, b.Region = c.ByRegion[region.Key()], string(region)
	}
	key := variantKey("count."+c.id+"."+region.Key()+"."+strconv.Itoa(goal), format, o)
	img, err := s.cached(r.Context(), key, func() (*rendered, error) { return s.drawBadge(b, format, o) })
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	writeImage(w, r, http.StatusOK, img, widgetCacheControl)
}
