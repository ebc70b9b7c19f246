package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	// streamOpeners is how many streams are being opened at once: fast,
	// without a SYN storm the loopback's backlog would turn into timeouts.
	streamOpeners = 200
	// fdReserve are the descriptors kept back for ordinary traffic and
	// the tool itself.
	fdReserve = 64
	// headWait bounds connecting and reading a stream's status line.
	headWait = 5 * time.Second
)

// streamFlood opens up to cfg.streams event streams from this one address,
// holds them to the end of the window, and counts what the server made of
// them: accepted (200), refused (429 or 503) or failed.
func streamFlood(r *round) (string, error) {
	soft, hard, err := raiseNoFile()
	if err != nil {
		return "", err
	}
	n := min(r.streams, int(soft)-fdReserve)
	h := &streamHolder{}
	start := time.Now()
	h.open(r.ctx, r.addr, n)
	opening := time.Since(start)
	fds := openFDs(r.pid)
	<-r.ctx.Done() // hold them to the end of the window
	dropped := h.dropped.Load()
	h.closeAll()
	accepted := h.t.count(func(s int) bool { return s == 200 })
	refused := h.t.count(func(s int) bool { return s == 429 || s == 503 })
	return fmt.Sprintf("attack: asked %d, tried %d in %s: accepted=%d refused=%d failed=%d [%s]; "+
		"%d accepted then dropped by the server before the end; tool RLIMIT_NOFILE soft=%d hard=%d; server %s, %s fds open after the opening",
		r.streams, h.tried.Load(), opening.Round(100*time.Millisecond), accepted, refused, h.t.errorCount(), &h.t,
		dropped, soft, hard, serverNoFile(r.pid), fds), nil
}

// raiseNoFile raises this process's soft open-file limit to the hard one
// (Go does so at start too; doing it here makes the number printed the
// number used).
func raiseNoFile() (soft, hard uint64, err error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, 0, fmt.Errorf("getrlimit: %w", err)
	}
	l.Cur = l.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, 0, fmt.Errorf("setrlimit: %w", err)
	}
	return l.Cur, l.Max, nil
}

// streamHolder holds the accepted streams open, each with a reader that
// notices when the server ends it.
type streamHolder struct {
	t       tally
	tried   atomic.Int64
	dropped atomic.Int64
	mu      sync.Mutex
	conns   []net.Conn
	readers sync.WaitGroup
}

// open tries n streams, streamOpeners at a time, until ctx ends.
func (h *streamHolder) open(ctx context.Context, addr string, n int) {
	slots := make(chan struct{}, streamOpeners)
	var wg sync.WaitGroup
	for range n {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		h.tried.Add(1)
		wg.Go(func() {
			defer func() { <-slots }()
			h.openOne(ctx, addr)
		})
	}
	wg.Wait()
}

func (h *streamHolder) openOne(ctx context.Context, addr string) {
	conn, br, status, err := openStream(ctx, addr)
	h.t.record(ctx, status, err)
	if err != nil {
		return
	}
	if status != 200 {
		conn.Close()
		return
	}
	h.mu.Lock()
	h.conns = append(h.conns, conn)
	h.mu.Unlock()
	h.readers.Go(func() {
		buf := make([]byte, 256) // not io.Discard's 8 KiB per stream
		for {
			if _, err := br.Read(buf); err != nil {
				break
			}
		}
		if ctx.Err() == nil {
			h.dropped.Add(1)
		}
	})
}

// closeAll closes every held stream and waits for their readers.
func (h *streamHolder) closeAll() {
	h.mu.Lock()
	for _, c := range h.conns {
		c.Close()
	}
	h.conns = nil
	h.mu.Unlock()
	h.readers.Wait()
}

// openStream sends GET /api/v1/stats/stream by hand on a new connection
// and reads the status line: a bufio reader of a few hundred bytes costs
// far less than net/http's two goroutines and buffers, times 20 000.
func openStream(ctx context.Context, addr string) (net.Conn, *bufio.Reader, int, error) {
	d := net.Dialer{Timeout: headWait}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, 0, err
	}
	conn.SetDeadline(earliest(ctx, time.Now().Add(headWait)))
	req := "GET /api/v1/stats/stream HTTP/1.1\r\nHost: " + addr + "\r\nAccept: text/event-stream\r\nUser-Agent: technopolys-abuse\r\n\r\n"
	br := bufio.NewReaderSize(conn, 512)
	status, err := writeAndReadStatus(conn, br, req)
	if err != nil {
		conn.Close()
		return nil, nil, 0, err
	}
	conn.SetDeadline(time.Time{})
	return conn, br, status, nil
}

var errStatusLine = errors.New("malformed status line")

// writeAndReadStatus sends a request and reads the response's status code.
func writeAndReadStatus(conn net.Conn, br *bufio.Reader, req string) (int, error) {
	if _, err := conn.Write([]byte(req)); err != nil {
		return 0, err
	}
	line, err := br.ReadString('\n')
	if err != nil {
		return 0, err
	}
	f := strings.Fields(line)
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		return 0, errStatusLine
	}
	status, err := strconv.Atoi(f[1])
	if err != nil {
		return 0, errStatusLine
	}
	return status, nil
}

// serverNoFile is the server's open-file limit, from /proc/PID/limits.
func serverNoFile(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/limits")
	if err != nil {
		return "open-file limit unknown"
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "Max open files"); ok {
			if f := strings.Fields(rest); len(f) >= 2 {
				return "RLIMIT_NOFILE soft=" + f[0] + " hard=" + f[1]
			}
		}
	}
	return "open-file limit unknown"
}

// openFDs counts the server's open descriptors (readable by its owner or
// root), or says it could not.
func openFDs(pid int) string {
	es, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	if err != nil {
		return "?"
	}
	return strconv.Itoa(len(es))
}
