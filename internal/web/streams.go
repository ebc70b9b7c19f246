package web

import (
	"net/http"
	"strconv"
	"sync"
	"syscall"

	"github.com/technopolys/technopolys/internal/web/respond"
)

// DefaultStreamsPerClient is how many event streams one client address may
// hold open: a campaign page in a few tabs needs a handful, not thousands.
const DefaultStreamsPerClient = 20

// fdReserve is how many file descriptors stay for everything but streams:
// ordinary requests, the store, logs.
const fdReserve = 1024

// streamCap counts open streams per client and in all, refusing those over
// either cap, so that one address cannot take every file descriptor and
// starve ordinary requests.
type streamCap struct {
	perClient, total int
	mu               sync.Mutex
	open             map[string]int
	all              int
}

func newStreamCap(perClient, total int) *streamCap {
	if perClient <= 0 {
		perClient = DefaultStreamsPerClient
	}
	if total <= 0 {
		total = defaultStreamTotal()
	}
	return &streamCap{perClient: perClient, total: total, open: map[string]int{}}
}

// defaultStreamTotal leaves fdReserve descriptors (or a quarter of the
// limit, if more) for everything else. Go raises the soft limit to the hard
// one at start, so this reads the limit the process really has.
func defaultStreamTotal() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur == 0 {
		return 1000
	}
	n := int(min(lim.Cur, 1<<20))
	return max(n-max(fdReserve, n/4), 64)
}

// acquire takes a place for client's stream, or reports the status that
// refuses it: 429 when the client holds its share, 503 when the server is
// full.
func (c *streamCap) acquire(client string) (ok bool, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.open[client] >= c.perClient:
		return false, http.StatusTooManyRequests
	case c.all >= c.total:
		return false, http.StatusServiceUnavailable
	}
	c.open[client]++
	c.all++
	return true, 0
}

func (c *streamCap) release(client string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all--
	if c.open[client]--; c.open[client] <= 0 {
		delete(c.open, client)
	}
}

// Open is how many streams are open now.
func (c *streamCap) Open() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.all
}

// refuseStream answers a stream over a cap. EventSource retries after the
// stream's retry field, which it has not seen, so Retry-After is for other
// clients and proxies.
func (s *Server) refuseStream(w http.ResponseWriter, r *http.Request, status int) {
	w.Header().Set("Retry-After", strconv.Itoa(30))
	code := respond.ERATELIMITED
	if status == http.StatusServiceUnavailable {
		code = respond.EBUSY
	}
	s.respond.Error(w, r, respond.Err(code, code))
}
