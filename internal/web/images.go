package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// rendered is an image ready to send: its bytes and the header values that
// follow from them, computed once when it is drawn. Header values are
// assigned as shared slices rather than Set: a cached badge is served tens
// of thousands of times a second, and each Set allocates.
type rendered struct {
	body        []byte
	etag        string
	contentType string
	headers     http.Header // Content-Type, ETag, Content-Length
}

func newRendered(body []byte, contentType string) *rendered {
	if cap(body) > len(body) {
		// Kept at its exact length: a renderer's buffer may hold twice
		// the bytes it filled, and the cache's budget counts the bytes.
		body = append(make([]byte, 0, len(body)), body...)
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	return &rendered{body: body, etag: etag, contentType: contentType, headers: http.Header{
		"Content-Type": {contentType}, "Etag": {etag}, "Content-Length": {strconv.Itoa(len(body))}}}
}

// imageCacheControl lets browsers and CDNs keep a badge five minutes: short,
// because a revocation must show soon everywhere, with a day of
// stale-while-revalidate so a slow origin never leaves a hole in a page.
var imageCacheControl = []string{"public, max-age=300, s-maxage=300, stale-while-revalidate=86400"}

// svgPolicy keeps an SVG opened on its own from running anything, should a
// future change ever let active content in.
var svgPolicy = []string{"default-src 'none'; style-src 'unsafe-inline'"}

// crossOrigin lets any site embed our images.
var crossOrigin = []string{"cross-origin"}

// writeImage sends an image with the headers every image carries: ETag (and
// 304 for a matching If-None-Match), Cache-Control, embeddable from any
// origin, no cookie.
func writeImage(w http.ResponseWriter, r *http.Request, status int, img *rendered, cacheControl []string) {
	h := w.Header()
	h["Content-Type"] = img.headers["Content-Type"]
	h["Etag"] = img.headers["Etag"]
	h["Cache-Control"] = cacheControl
	h["Cross-Origin-Resource-Policy"] = crossOrigin
	if img.contentType == svgType {
		h["Content-Security-Policy"] = svgPolicy
	}
	if status == http.StatusOK && etagMatches(r.Header.Get("If-None-Match"), img.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Length"] = img.headers["Content-Length"]
	w.WriteHeader(status)
	w.Write(img.body)
}

// etagMatches applies If-None-Match's weak comparison: any listed tag, with
// or without W/, or "*".
func etagMatches(header, etag string) bool {
	for header != "" {
		var tag string
		tag, header, _ = strings.Cut(header, ",")
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

const (
	svgType = "image/svg+xml"
	pngType = "image/png"
)
