package respond

import (
	"sync"

	"github.com/technopolys/technopolys/internal/mark"
)

// markPath is the mark's path data (assets/logo.svg), for pages to draw it
// inline: no request, and it takes the colour of the text around it. The
// file is embedded and internal/mark's tests read it, so an error here is a
// broken build; the page then shows the wordmark alone.
var markPath = sync.OnceValue(func() string {
	m, err := mark.Load()
	if err != nil {
		return ""
	}
	return m.D
})
