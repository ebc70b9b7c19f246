package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// tally counts what requests got back: statuses, and errors by kind, so
// that no failure disappears into an average. Requests still in flight
// when the tool itself ended the window are "cut", not errors: they say
// nothing about the server.
type tally struct {
	mu       sync.Mutex
	statuses map[int]int
	errors   map[string]int
	cut      int
}

// record counts one request; window is the context whose end means the
// tool stopped waiting.
func (t *tally) record(window context.Context, status int, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case err != nil && window.Err() != nil:
		t.cut++
	case err != nil:
		if t.errors == nil {
			t.errors = map[string]int{}
		}
		t.errors[errorKind(err)]++
	default:
		if t.statuses == nil {
			t.statuses = map[int]int{}
		}
		t.statuses[status]++
	}
}

// count is how many requests got a status (in) among those given.
func (t *tally) count(in func(status int) bool) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for s, c := range t.statuses {
		if in(s) {
			n += c
		}
	}
	return n
}

// errorCount is how many requests failed without a status.
func (t *tally) errorCount() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return sum(t.errors)
}

// String reads "18234 req, 0 errors, 200=18114 503=120".
func (t *tally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	answered, failed := sum(t.statuses), sum(t.errors)
	s := fmt.Sprintf("%d req, %d errors", answered+failed, failed)
	if failed > 0 {
		s += " (" + kinds(t.errors) + ")"
	}
	if st := statuses(t.statuses); st != "" {
		s += ", " + st
	}
	if t.cut > 0 {
		s += fmt.Sprintf(", %d in flight at the end", t.cut)
	}
	return s
}

func sum[K comparable](m map[K]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

func statuses(m map[int]int) string {
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%d=%d", s, m[s]))
	}
	return strings.Join(parts, " ")
}

func kinds(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

// errorKind names a failure the way an operator reads it: timeouts,
// refusals and resets point at different causes.
func errorKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "reset"
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return "our-fd-limit"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no-local-port"
	}
	return "other"
}
