package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	slowChunk   = 16
	slowEvery   = 5 * time.Second
	slowOpeners = 50
	// smallRcvBuf keeps the response in the server's hands: with the
	// kernel's usual buffers a 115 KB image would sit whole in our socket
	// and the server would be done with it at once.
	smallRcvBuf = 4096
	// drainWait bounds reading what is left once the window is over.
	drainWait = 10 * time.Second
)

// slowOutcome is what became of one slow reader.
type slowOutcome struct {
	connectErr error
	cut        time.Duration // when the server ended it during the window; 0 if it did not
	stalls     int           // reads that waited 10 s for 16 bytes
	held       time.Duration
	response   []byte // every byte received
	drain      string // after the window: "whole", "truncated" or "drain-timeout"
}

// slowReaders opens cfg.slow connections that ask for a large response and
// read it 16 bytes every 5 seconds, to see whether the server lets them
// hold a connection (and a goroutine, and the response) for as long as
// they like.
func slowReaders(r *round) (string, error) {
	warm := warmUp(r)
	outcomes := make([]slowOutcome, r.slow)
	slots := make(chan struct{}, slowOpeners)
	var ports portSet
	var wg sync.WaitGroup
	for i := range outcomes {
		wg.Go(func() { outcomes[i] = slowRead(r.ctx, r.addr, r.slowPath, slots, &ports) })
	}
	serverSide := make(chan string, 1)
	go func() { serverSide <- snapshotBeforeEnd(r, &ports) }()
	wg.Wait()
	return summarizeSlow(outcomes, r) + "; " + <-serverSide + "; " + warm, nil
}

// warmUp asks for the response once, at full speed, before the slow
// readers come: this attack is about holding connections, and 300 first
// requests at once for an image not yet drawn would measure the drawing.
func warmUp(r *round) string {
	if !r.slowWarm {
		return "no warm-up request (-slow-warm=false): the slow readers' first requests draw it"
	}
	c := newClient(1)
	defer c.CloseIdleConnections()
	start := time.Now()
	status, err := fetch(r.ctx, c, r.base+r.slowPath, r.timeout)
	if err != nil {
		return "warm-up request failed: " + errorKind(err)
	}
	return fmt.Sprintf("one warm-up request first: %d in %s", status, time.Since(start).Round(10*time.Millisecond))
}

// snapshotBeforeEnd reads the server's sockets a second before the window
// ends, while every slow reader still holds its connection.
func snapshotBeforeEnd(r *round, ports *portSet) string {
	if end, ok := r.ctx.Deadline(); ok {
		sleep(r.ctx, time.Until(end)-time.Second)
	}
	if r.abort.Err() != nil {
		return "server side not read (server gone)"
	}
	_, p, _ := net.SplitHostPort(r.addr)
	n, _ := strconv.Atoi(p)
	return ports.serverSide(n)
}

// slowRead is one slow reader, from connecting to the end of the window,
// then a fast read of the rest to tell a whole response from a cut one.
func slowRead(ctx context.Context, addr, path string, slots chan struct{}, ports *portSet) slowOutcome {
	slots <- struct{}{}
	conn, err := dialSmallBuffer(ctx, addr)
	if err == nil {
		ports.add(conn.LocalAddr().(*net.TCPAddr).Port)
		_, err = conn.Write([]byte("GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nConnection: close\r\nUser-Agent: technopolys-abuse\r\n\r\n"))
	}
	<-slots
	if err != nil {
		if conn != nil {
			conn.Close()
		}
		return slowOutcome{connectErr: err}
	}
	defer conn.Close()
	return holdSlowly(ctx, conn)
}

// holdSlowly reads slowChunk bytes every slowEvery until the window ends
// or the server ends the connection.
func holdSlowly(ctx context.Context, conn net.Conn) slowOutcome {
	start := time.Now()
	var o slowOutcome
	var got bytes.Buffer
	chunk := make([]byte, slowChunk)
	for ctx.Err() == nil {
		conn.SetReadDeadline(earliest(ctx, time.Now().Add(2*slowEvery)))
		n, err := io.ReadFull(conn, chunk)
		got.Write(chunk[:n])
		if err != nil && ctx.Err() == nil {
			if errorKind(err) == "timeout" {
				o.stalls++
				continue
			}
			if complete(got.Bytes()) {
				o.drain = "whole" // small enough to end within the window
			} else {
				o.cut = time.Since(start)
			}
			break
		}
		sleep(ctx, slowEvery)
	}
	o.held = time.Since(start)
	if o.cut == 0 && o.drain == "" {
		o.drain = drain(conn, &got)
	}
	o.response = got.Bytes()
	return o
}

// earliest is t, or ctx's deadline if that comes first.
func earliest(ctx context.Context, t time.Time) time.Time {
	if end, ok := ctx.Deadline(); ok && end.Before(t) {
		return end
	}
	return t
}

// dialSmallBuffer connects with a receive buffer of smallRcvBuf, set
// before the handshake so that the window we announce is small from the
// start.
func dialSmallBuffer(ctx context.Context, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: headWait, Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, smallRcvBuf)
		}); err != nil {
			return err
		}
		return serr
	}}
	return d.DialContext(ctx, "tcp", addr)
}

// drain reads the rest at full speed and says whether the response was
// whole: a server that cut the connection during the window still lets
// the kernel deliver what it had buffered, then closes early.
func drain(conn net.Conn, got *bytes.Buffer) string {
	conn.SetReadDeadline(time.Now().Add(drainWait))
	_, err := io.Copy(got, conn)
	switch {
	case complete(got.Bytes()):
		return "whole"
	case err != nil && errorKind(err) == "timeout":
		return "drain-timeout"
	}
	return "truncated"
}

// complete reports whether raw holds a whole HTTP response: its
// Content-Length of body, or a chunked body's last chunk.
func complete(raw []byte) bool {
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		return false
	}
	for line := range strings.Lines(string(head)) {
		k, v, _ := strings.Cut(line, ":")
		if strings.EqualFold(strings.TrimSpace(k), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			return err == nil && len(body) >= n
		}
	}
	return bytes.HasSuffix(body, []byte("0\r\n\r\n"))
}

// statusOf reads the status code at the start of a response, if it came.
func statusOf(raw []byte) string {
	if f := strings.Fields(string(raw[:min(len(raw), 16)])); len(f) >= 2 && strings.HasPrefix(f[0], "HTTP/") && len(f[1]) == 3 {
		return f[1]
	}
	return "none"
}

// summarizeSlow says how many slow readers the server cut off, and after
// how long, against how many it let hold their connection to the end.
func summarizeSlow(outcomes []slowOutcome, r *round) string {
	var cutTimes []time.Duration
	failed, drains, codes := map[string]int{}, map[string]int{}, map[string]int{}
	var longest time.Duration
	stalls := 0
	for _, o := range outcomes {
		stalls += o.stalls
		if o.connectErr != nil {
			failed[errorKind(o.connectErr)]++
			continue
		}
		codes[statusOf(o.response)]++
		longest = max(longest, o.held)
		if o.cut > 0 {
			cutTimes = append(cutTimes, o.cut)
			continue
		}
		drains[o.drain]++
	}
	slices.Sort(cutTimes)
	cutSpan := "-"
	if len(cutTimes) > 0 {
		cutSpan = fmt.Sprintf("%s to %s, median %s", cutTimes[0].Round(time.Second),
			cutTimes[len(cutTimes)-1].Round(time.Second), cutTimes[len(cutTimes)/2].Round(time.Second))
	}
	held := len(outcomes) - sum(failed) - len(cutTimes)
	s := ""
	if r.abort.Err() != nil {
		s = "THE SERVER DIED OR WAS KILLED during the window: connections ended with it, so the counts below say so, not a server decision; "
	}
	return s + fmt.Sprintf("attack: %d conns to GET %s (SO_RCVBUF %d, %d B every %s): connect failed=%d [%s]; "+
		"cut by the server during the window=%d (after %s); held to the end=%d (longest hold %s), "+
		"then read at full speed: whole=%d truncated=%d drain-timeout=%d (truncated = cut by the server at some point in the window); %d reads stalled 10 s; status %s",
		len(outcomes), r.slowPath, smallRcvBuf, slowChunk, slowEvery, sum(failed), kinds(failed),
		len(cutTimes), cutSpan, held, longest.Round(time.Second),
		drains["whole"], drains["truncated"], drains["drain-timeout"], stalls, kinds(codes))
}
