package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// statusRecorder remembers the status a handler wrote, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
	route  string // the route pattern that served it (named), for metrics
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (flushing for
// streams, deadlines).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one structured line per request. It logs no client
// address: the access log holds nothing that identifies a visitor.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		level := slog.LevelDebug
		switch {
		case rec.status == http.StatusServiceUnavailable:
			level = slog.LevelWarn // overload or outage: already logged once, not a bug
		case rec.status >= 500:
			level = slog.LevelError
		}
		if !s.log.Enabled(r.Context(), level) {
			return // skip building the record: badges are served by the thousand
		}
		s.log.Log(r.Context(), level, "request", "method", r.Method, "path", respond.LogPath(r),
			"status", rec.status, "bytes", rec.bytes, "duration", time.Since(start))
	})
}

// sameSite refuses state-changing requests that a browser sends from
// another site (a form or fetch on a page elsewhere), with 403 and nothing
// written: Go's CrossOriginProtection reads Sec-Fetch-Site, or compares
// Origin with Host and our public URL. Requests with neither header (curl,
// servers) are not from a browser and pass.
func (s *Server) sameSite(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(s.cfg.PublicURL); err != nil {
		s.log.Warn("public URL is not an origin", "url", s.cfg.PublicURL, "err", err)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Info("cross-site request refused", "method", r.Method, "path", respond.LogPath(r))
		if isAPI(r) {
			s.respond.Error(w, r, respond.Err(respond.EFORBIDDEN, "forbidden"))
			return
		}
		s.respond.ErrorPage(w, r, http.StatusForbidden, "error.forbidden")
	}))
	return cop.Handler(next)
}

// nosniff is shared by every response; header values are never modified
// in place, so one slice serves all.
var nosniff = []string{"nosniff"}

// hstsValue asks browsers to use https for a year. Not for subdomains: they
// may be other people's services.
var hstsValue = []string{"max-age=31536000"}

// secureHeaders sets the headers every response carries; pages add their
// own (render).
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["X-Content-Type-Options"] = nosniff
		if s.cfg.HSTS {
			w.Header()["Strict-Transport-Security"] = hstsValue
		}
		next.ServeHTTP(w, r)
	})
}

// headAsGet answers HEAD like GET: link checkers and CDNs ask for a badge's
// headers that way. net/http drops the body of an answer to HEAD and keeps
// its headers, Content-Length included.
// A handler with side effects (counting a scan) asks isHead.
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			r = r.Clone(context.WithValue(r.Context(), headKey{}, true))
			r.Method = http.MethodGet
		}
		next.ServeHTTP(w, r)
	})
}

type headKey struct{}

// isHead reports whether a request arrived as HEAD.
func isHead(r *http.Request) bool { return r.Context().Value(headKey{}) != nil }

// handlePanic turns a panic into a logged 500 instead of a dropped
// connection.
func (s *Server) handlePanic(w http.ResponseWriter, r *http.Request, v any) {
	s.log.Error("panic", "method", r.Method, "path", respond.LogPath(r), "panic", v, "stack", string(debug.Stack()))
	s.respond.Error(w, r, errors.New("panic"))
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) {
		s.respond.Error(w, r, respond.Err(registry.ENOTFOUND, "not_found"))
		return
	}
	s.respond.ErrorPage(w, r, http.StatusNotFound, "error.not_found")
}

func (s *Server) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) {
		s.respond.Error(w, r, respond.Err(respond.EMETHOD, "method"))
		return
	}
	s.respond.ErrorPage(w, r, http.StatusMethodNotAllowed, "error.method")
}

// clientIP is the address a request came from: the connection's peer, or,
// when that peer is a trusted proxy, the last address in X-Forwarded-For
// that is not itself a trusted proxy.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(ip) {
			return ip.Unmap().String()
		}
	}
	return peer.Unmap().String()
}

// clientKey is the client as per-client limits count it: its IPv4
// address, or its IPv6 /64, since one subscriber line holds a whole /64 and
// could otherwise take a new address for every request.
func (s *Server) clientKey(r *http.Request) string {
	ip, err := netip.ParseAddr(s.clientIP(r))
	if err != nil || !ip.Is6() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

func (s *Server) trusted(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
