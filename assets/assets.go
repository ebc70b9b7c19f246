// Package assets holds what the binary carries with it: HTML templates and
// static files (stylesheet, console script), embedded so the server is one
// file to deploy.
package assets

import "embed"

// FS holds templates/*.html and static/*.
//
//go:embed templates/*.html static/*
var FS embed.FS
