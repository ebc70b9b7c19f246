package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// router registers routes on httprouter under their pattern, so that
// metrics count requests by route ("/badge/:file"), a small fixed set,
// rather than by path, which a visitor chooses.
type router struct{ *httprouter.Router }

func (rt router) GET(path string, h httprouter.Handle)  { rt.Router.GET(path, named(path, h)) }
func (rt router) POST(path string, h httprouter.Handle) { rt.Router.POST(path, named(path, h)) }

// named tells the request's metrics which route served it, through the
// status recorder every request is written through (no allocation on the
// way: cached badges are served by the thousand).
func named(pattern string, h httprouter.Handle) httprouter.Handle {
	return func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		if rec, ok := w.(*statusRecorder); ok {
			rec.route = pattern
		}
		h(w, r, ps)
	}
}

// metrics are the server's Prometheus collectors, on a registry of its own
// (no global state: two servers in one test process count apart).
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	storeErrors prometheus.Counter
	joins       prometheus.Counter
	decisions   *prometheus.CounterVec
}

func (s *Server) newMetrics() *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "technopolys_http_requests_total",
			Help: "HTTP requests by route and status."}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "technopolys_http_request_duration_seconds",
			Help: "Time to answer, by route (event streams excluded).", Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}},
			[]string{"route"}),
		storeErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "technopolys_store_errors_total",
			Help: "Requests that failed because the store did (answered 503)."}),
		joins: prometheus.NewCounter(prometheus.CounterOpts{Name: "technopolys_joins_total",
			Help: "Membership requests accepted (201)."}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "technopolys_decisions_total",
			Help: "Staff decisions taken, by action (approve, reject, revoke, import)."}, []string{"action"}),
	}
	c := s.badges.images
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	counter := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f)
	}
	reg.MustRegister(m.requests, m.duration, m.storeErrors, m.joins, m.decisions,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		gauge("technopolys_image_cache_bytes", "Bytes of rendered images held.", func() float64 { return float64(c.Bytes()) }),
		gauge("technopolys_image_cache_budget_bytes", "Most bytes of rendered images held (--cache-bytes).", func() float64 { return float64(c.Budget()) }),
		gauge("technopolys_image_cache_entries", "Rendered images held.", func() float64 { return float64(c.Len()) }),
		counter("technopolys_image_cache_hits_total", "Images answered from memory.", func() float64 { return float64(c.Stats.Hits.Load()) }),
		counter("technopolys_image_cache_misses_total", "Images drawn.", func() float64 { return float64(c.Stats.Misses.Load()) }),
		counter("technopolys_image_cache_evictions_total", "Images dropped to keep the budget.", func() float64 { return float64(c.Stats.Evictions.Load()) }),
		gauge("technopolys_renders_in_flight", "Cold renders and lookups running now.", func() float64 { return float64(c.Stats.InFlight.Load()) }),
		counter("technopolys_renders_refused_total", "Cold renders refused with 503 (no slot in time).", func() float64 { return float64(c.Stats.Refused.Load()) }),
		gauge("technopolys_streams_open", "Open event streams.", func() float64 { return float64(s.streams.Open()) }),
	)
	return m
}

// instrument counts each request under its route and times it; it runs
// outside the router, so unmatched paths count as "unmatched".
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec, ok := w.(*statusRecorder)
		if !ok {
			rec = &statusRecorder{ResponseWriter: w}
			w = rec
		}
		rec.route = "unmatched"
		next.ServeHTTP(w, r)
		route := rec.route
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		if route != "/api/v1/stats/stream" {
			s.metrics.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}
	})
}

// MetricsHandler serves the Prometheus metrics, without a token: for the
// --metrics-addr listener, which is not the public one.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	s.MetricsHandler().ServeHTTP(w, r)
}
