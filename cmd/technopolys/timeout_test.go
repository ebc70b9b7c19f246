package main

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/technopolys/technopolys/internal/web"
)

// TestSlowReaderIsCutOff: a client that reads 16 bytes now and then of an
// answer too large for the kernel's buffers is cut off by the write
// timeout: the handler's write fails and its goroutine is free, instead of
// being held for as long as the client cares to read. The timeout is
// shortened to a second here; the server's own is web.WriteTimeout.
func TestSlowReaderIsCutOff(t *testing.T) {
	big := make([]byte, 64<<20)
	released := make(chan error, 1)
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := w.Write(big)
		released <- err
	}), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if srv.WriteTimeout != web.WriteTimeout || srv.IdleTimeout <= 0 || srv.ReadHeaderTimeout <= 0 {
		t.Fatalf("server timeouts: write %v idle %v header %v", srv.WriteTimeout, srv.IdleTimeout, srv.ReadHeaderTimeout)
	}
	srv.WriteTimeout = time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	conn, err := d.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
	start := time.Now()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // the slow reader
		buf := make([]byte, 16)
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := conn.Read(buf); err != nil {
				return
			}
		}
	}()
	select {
	case err := <-released:
		if err == nil {
			t.Fatal("the whole answer was written to a client reading 16 bytes at a time")
		}
		t.Logf("handler released after %v: %v", time.Since(start).Round(time.Millisecond), err)
	case <-time.After(15 * time.Second):
		t.Fatal("the slow reader still holds the handler after 15 s")
	}
}
