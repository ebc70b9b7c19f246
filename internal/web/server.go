// Package web is the HTTP face of technopolys: routes, middleware, handlers,
// and the helpers that own status codes, headers and error bodies. Handlers
// are thin: parse, call the store, respond.
package web

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/julienschmidt/httprouter"
	"github.com/maypok86/otter/v2"

	"github.com/technopolys/technopolys/internal/ratelimit"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/console"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// Config is what the server needs from the command line.
type Config struct {
	// PublicURL is where visitors reach the service, without a trailing
	// slash; links, snippets and redirects are built from it, never from
	// the request.
	PublicURL string
	// AdminToken grants the admin API. Empty means no token is accepted.
	AdminToken string
	// JoinLimit is how many joins one client IP may send per hour; 0 for
	// no limit. JoinBurst is how many it may send at once (0 for
	// DefaultJoinBurst, at most JoinLimit): a venue's shared Wi-Fi sends a
	// burst when the speaker shows the QR code.
	JoinLimit, JoinBurst int
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	Logger         *slog.Logger
	// Now is the clock; nil for time.Now.
	Now func() time.Time
	// EmbedFlush is how often badge view counts are written to the store;
	// 0 for every 10 seconds.
	EmbedFlush time.Duration
	// CacheBytes is the byte budget of every rendered image held in
	// memory (badges, widgets, QR codes, posters); 0 for DefaultCacheBytes.
	CacheBytes int64
	// Renders is how many images may be drawn at once; 0 for the number
	// of CPUs. RenderWait is how long a draw waits for its turn before the
	// answer is 503; 0 for DefaultRenderWait.
	Renders    int
	RenderWait time.Duration
	// StreamsPerClient caps one client's open event streams (0 for
	// DefaultStreamsPerClient); MaxStreams caps them all (0: below the
	// process's open-file limit, leaving room for ordinary requests).
	StreamsPerClient, MaxStreams int
	// HSTS sends Strict-Transport-Security (the public URL is https).
	HSTS bool
	// IssuerEmail is the Open Badges issuer's contact address, which the
	// specification requires; empty for DefaultIssuerEmail(PublicURL).
	IssuerEmail string
	// Retention is how long the contact of a rejected request, or of a
	// pending one never confirmed, is kept before the server erases it; 0
	// for registry.DefaultRetention.
	Retention time.Duration
}

// DefaultIssuerEmail is the issuer address used when none is configured:
// badges@ the public URL's host. It is only a placeholder that keeps the
// issuer Profile valid; nobody may be reading it, so a real campaign sets
// its own.
func DefaultIssuerEmail(publicURL string) string {
	host := "localhost"
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Is6() {
			return "badges@[IPv6:" + ip.String() + "]"
		}
		return "badges@[" + ip.String() + "]"
	}
	return "badges@" + host
}

// WriteTimeout is how long a whole answer may take to write, request body
// included; routes that legitimately take longer (streams, imports) set
// their own deadline.
const WriteTimeout = 30 * time.Second

// DefaultJoinLimit is the joins one client address may send an hour, and
// DefaultJoinBurst how many at once: a 300-person event on one Wi-Fi passes
// even if everyone joins during the same talk.
const (
	DefaultJoinLimit = 400
	DefaultJoinBurst = 300
)

// DefaultCacheBytes is the image cache's budget unless one is given.
const DefaultCacheBytes = 256 << 20

// DefaultRenderWait is how long a cold render may wait for a slot.
const DefaultRenderWait = 500 * time.Millisecond

func (cfg *Config) setDefaults() {
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.EmbedFlush <= 0 {
		cfg.EmbedFlush = 10 * time.Second
	}
	if cfg.JoinBurst <= 0 {
		cfg.JoinBurst = DefaultJoinBurst
	}
	cfg.JoinBurst = max(min(cfg.JoinBurst, cfg.JoinLimit), 1)
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = DefaultCacheBytes
	}
	if cfg.Renders <= 0 {
		cfg.Renders = runtime.NumCPU()
	}
	if cfg.RenderWait <= 0 {
		cfg.RenderWait = DefaultRenderWait
	}
	if cfg.IssuerEmail == "" {
		cfg.IssuerEmail = DefaultIssuerEmail(cfg.PublicURL)
	}
	if cfg.Retention <= 0 {
		cfg.Retention = registry.DefaultRetention
	}
}

// Server serves every route of DESIGN.md that exists so far.
type Server struct {
	store     registry.Store
	cfg       Config
	log       *slog.Logger
	now       func() time.Time
	adminHash [sha256.Size]byte
	joins     *ratelimit.Limiter
	// adminFails throttles wrong admin tokens per client.
	adminFails *ratelimit.Limiter
	console    *console.Console
	respond    *respond.Responder
	router     router
	handler    http.Handler // router wrapped in middleware, built once
	badges     *badges
	embeds     *embedCounter
	live       *live
	// knownEvents remembers which event codes exist; scans which client
	// scanned which code lately (hashed).
	knownEvents  *otter.Cache[string, *registry.Event]
	scans        *onceEvery
	pendingScans scanCounts
	ready        struct {
		sync.Mutex
		at, wrote time.Time
		err       error
	}
	streams *streamCap
	metrics *metrics
	done    chan struct{} // closed by Close
	stopped chan struct{} // closed when the embed counts are written
	erasing chan struct{} // closed when the retention task has stopped
}

// New returns a server on the store.
func New(store registry.Store, cfg Config) (*Server, error) {
	cfg.setDefaults()
	pages, err := respond.ParsePages(pageFuncs)
	if err != nil {
		return nil, err
	}
	b, err := newBadges(cfg)
	if err != nil {
		return nil, err
	}
	known, err := newKnownEvents()
	if err != nil {
		return nil, err
	}
	s := &Server{
		knownEvents: known,
		scans:       newOnceEvery(scanWindow, cfg.Now),
		streams:     newStreamCap(cfg.StreamsPerClient, cfg.MaxStreams),
		store:       store,
		cfg:         cfg,
		log:         cfg.Logger,
		now:         cfg.Now,
		adminHash:   sha256.Sum256([]byte(cfg.AdminToken)),
		joins:       ratelimit.New(cfg.JoinLimit, cfg.JoinBurst, time.Hour, cfg.Now),
		adminFails:  ratelimit.New(adminFailures, adminFailures, time.Minute, cfg.Now),
		router:      router{httprouter.New()},
		badges:      b,
		embeds:      newEmbedCounter(cfg.PublicURL),
		live:        newLive(store, cfg.Now),
		done:        make(chan struct{}),
		stopped:     make(chan struct{}),
		erasing:     make(chan struct{}),
	}
	s.metrics = s.newMetrics()
	s.respond = &respond.Responder{Log: cfg.Logger, Pages: pages, StoreFailed: s.metrics.storeErrors.Inc,
		Share: s.defaultShare}
	s.console = console.New(console.Config{Store: store, Site: site{s}, Respond: s.respond,
		PublicURL: cfg.PublicURL, Now: cfg.Now, Log: cfg.Logger})
	s.routes()
	s.handler = s.logRequests(s.instrument(s.secureHeaders(s.sameSite(headAsGet(s.router)))))
	go func() {
		defer close(s.stopped)
		s.recordCounts(cfg.EmbedFlush, s.done)
	}()
	go s.live.run(s.done)
	go func() {
		defer close(s.erasing)
		s.eraseExpiredEvery(retentionEvery, s.done)
	}()
	return s, nil
}

// Changed tells the server that members changed elsewhere (another
// instance, through the database's notifications): live counts re-read,
// and badges re-read their member, so a revocation anywhere takes every
// instance's badge down.
func (s *Server) Changed() {
	s.badges.generation.Add(1)
	s.badges.members.Flush()
	s.badges.absent.InvalidateAll()
	s.live.Changed()
}

// ImageCache says what the rendered-image cache holds now: its bytes, its
// budget and its entries.
func (s *Server) ImageCache() (bytes, budget uint64, entries int) {
	c := s.badges.images
	return c.Bytes(), c.Budget(), c.Len()
}

// Close writes what the server holds in memory (badge view counts) to the
// store and ends open streams. Call it after the HTTP server has stopped
// and before the store closes.
func (s *Server) Close() {
	s.StopStreams()
	select {
	case <-s.done:
	default:
		close(s.done)
	}
	<-s.stopped
	<-s.erasing
}

func (s *Server) routes() {
	r := s.router
	r.RedirectTrailingSlash = true
	r.HandleMethodNotAllowed = true
	r.NotFound = http.HandlerFunc(s.handleNotFound)
	r.MethodNotAllowed = http.HandlerFunc(s.handleMethodNotAllowed)
	r.PanicHandler = s.handlePanic

	r.GET("/healthz", s.handleHealthz)
	r.GET("/metrics", s.admin(s.handleMetrics))
	r.GET("/readyz", s.handleReadyz)
	r.GET("/static/:file", s.handleStatic)
	s.registerPublicRoutes(r)
	s.registerFaviconRoutes(r)
	s.registerJoinRoutes(r)
	s.registerConfirmRoutes(r)
	s.registerPrivacyRoutes(r)
	s.registerAdminRoutes(r)
	s.registerBadgeRoutes(r)
	s.registerShareRoutes(r)
	s.registerOpenBadgesRoutes(r)
	s.registerEventRoutes(r)
	s.registerLiveRoutes(r)
	s.console.Routes(r)
	s.memberArea().Routes(r)
}

// ServeHTTP serves a request through the middleware and the router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz answers 503 while the store cannot be reached or cannot
// write (Ready writes), so a load balancer stops sending traffic to this
// instance.
//
// The answer is kept for readyEvery: Ready writes, and a flood of /readyz
// must not become a flood of writes queued before joins.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	if err := s.readiness(r.Context()); err != nil {
		w.Header().Set("Retry-After", respond.RetryAfter)
		respond.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// readyEvery is how long one readiness check answers for; writeProbeEvery
// how often a check writes (Ready) rather than only pings: a probe writes
// 8 KiB, which every second would be most of a quiet PostgreSQL's WAL.
const (
	readyEvery      = time.Second
	writeProbeEvery = 10 * time.Second
)

// readiness checks the store at most once every readyEvery (callers in
// between share the last answer), writing at most every writeProbeEvery,
// and at once again after a failure, so recovery shows within a second.
func (s *Server) readiness(ctx context.Context) error {
	s.ready.Lock()
	defer s.ready.Unlock()
	now := s.now()
	if now.Sub(s.ready.at) < readyEvery && !now.Before(s.ready.at) {
		return s.ready.err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if s.ready.err != nil || now.Sub(s.ready.wrote) >= writeProbeEvery || now.Before(s.ready.wrote) {
		s.ready.err = s.store.Ready(ctx)
		s.ready.wrote = now
	} else {
		s.ready.err = s.store.Ping(ctx)
	}
	s.ready.at = now
	if s.ready.err != nil {
		s.log.Warn("store not ready", "err", s.ready.err)
	}
	return s.ready.err
}
