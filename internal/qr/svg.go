package qr

import (
	"bytes"
	"encoding/xml"
	"fmt"

	"github.com/technopolys/technopolys/internal/mark"
)

// SVG draws the code as an SVG of side size pixels (it scales without
// loss): the dark modules are one path of whole-module rectangles, drawn
// with crisp edges, on a white square that includes the quiet zone.
func (c *Code) SVG(size int) ([]byte, error) {
	var w bytes.Buffer
	n := c.Modules()
	label := escape(c.Content)
	fmt.Fprintf(&w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="%s">`,
		size, size, n, n, label)
	fmt.Fprintf(&w, `<title>%s</title><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, label, n, n)
	for _, r := range c.runs() {
		fmt.Fprintf(&w, "M%d %dh%dv1h-%dz", r.x+QuietZone, r.y+QuietZone, r.length, r.length)
	}
	w.WriteString(`"/>`)
	if c.logo {
		m, err := loadMark()
		if err != nil {
			return nil, err
		}
		at, side := c.plateRect()
		inner := float64(side - 2*markMargin)
		fmt.Fprintf(&w, `<path fill="#003DA5" shape-rendering="geometricPrecision" transform="translate(%d %d) scale(%g)" d="%s"/>`,
			at+QuietZone+markMargin, at+QuietZone+markMargin, inner/mark.ViewBox, m.D)
	}
	w.WriteString(`</svg>`)
	return w.Bytes(), nil
}

func escape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
