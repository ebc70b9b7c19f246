package respond

import (
	"net/http"
	"strings"
)

// tokenPaths are the routes whose last segment is a secret token mailed to
// a member's contact: whoever reads the logs must not be able to follow
// them.
var tokenPaths = []string{"/join/confirm/", "/account/signin/", "/compte/connexion/"}

// LogPath is a request's path as logs write it: the token of a mailed
// link is replaced by an ellipsis (/join/confirm/…).
func LogPath(r *http.Request) string { return RedactPath(r.URL.Path) }

// RedactPath replaces the token of a mailed link's path by an ellipsis.
func RedactPath(p string) string {
	for _, prefix := range tokenPaths {
		if len(p) > len(prefix) && strings.HasPrefix(p, prefix) {
			return prefix + "…"
		}
	}
	return p
}
