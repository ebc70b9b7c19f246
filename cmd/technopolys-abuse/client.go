package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// newClient is an attack's own HTTP client: its own connection pool, so
// that closing it at the end of the attack closes every connection the
// attack opened, and no redirect followed, so a 3xx is counted as such.
// There is no proxy: the target is loopback.
func newClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     30 * time.Second,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// fetch GETs url within timeout and reads the whole body, as a visitor
// would: the server does all its work.
func fetch(ctx context.Context, c *http.Client, url string, timeout time.Duration) (status int, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return 0, err
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// call sends one request with a body and returns the status and the whole
// response body; token, when given, goes in Authorization.
func call(ctx context.Context, c *http.Client, method, url, contentType string, body []byte, token string, timeout time.Duration) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("X-Actor", "technopolys-abuse")
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// getJSON reads a JSON answer into v, which must come with 200.
func getJSON(ctx context.Context, c *http.Client, url, token string, v any) error {
	status, body, err := call(ctx, c, "GET", url, "", nil, token, 30*time.Second)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET %s: %d %s", url, status, strings.TrimSpace(string(body)))
	}
	return json.Unmarshal(body, v)
}

// eventScans is the scan count staff see for the event.
func eventScans(ctx context.Context, cfg *config) (int, error) {
	var e struct {
		Scans int `json:"scans"`
	}
	c := newClient(1)
	defer c.CloseIdleConnections()
	err := getJSON(ctx, c, cfg.base+"/api/v1/admin/events/"+cfg.event, cfg.token, &e)
	return e.Scans, err
}
