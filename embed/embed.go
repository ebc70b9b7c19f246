// Package embedkit is the browser-side embed kit: scripts other sites load
// to show technopolys widgets. Import it as embedkit; its directory is
// embed/, a name the standard library already uses.
package embedkit

import "embed"

// FS holds the kit's scripts (counter.js, wall.js).
//
//go:embed *.js
var FS embed.FS
