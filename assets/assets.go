// Package assets holds what the binary carries with it: HTML templates,
// static files (stylesheet, scripts), the fonts badges are drawn with and the
// technopolys mark, embedded so the server is one file to deploy.
package assets

import "embed"

// FS holds templates/*.html, static/*, fonts/*.ttf (the Go fonts, licence in
// fonts/LICENSE) and logo.svg.
//
//go:embed templates/*.html templates/partials/*.html static/* fonts/*.ttf fonts/LICENSE logo.svg
var FS embed.FS
