package web

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"net/http"
	"sync"

	"github.com/fogleman/gg"
	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/mark"
	"github.com/technopolys/technopolys/internal/registry"
)

// errRevoked is a revoked member's slug: no member (ENOTFOUND, for badges),
// but its verification page says the company is no longer one (410).
var errRevoked = &registry.Error{Code: registry.ENOTFOUND, Reason: "revoked"}

// FaviconSize is the side, in pixels, of /favicon.png.
const FaviconSize = 64

// The favicon is the mark in white on a rounded square of Québec blue, the
// badge's own (internal/badge/theme.go): it reads on a light tab and a dark
// one alike.
var (
	faviconBlue = color.NRGBA{R: 0x00, G: 0x3D, B: 0xA5, A: 0xff}
	// faviconCacheControl lets browsers keep the icon a year: it changes
	// only with the binary, and its ETag says when it did.
	faviconCacheControl = []string{"public, max-age=31536000, immutable"}
)

// favicons are the icon in both formats, drawn once from assets/logo.svg:
// they depend on nothing but the binary.
var favicons = sync.OnceValues(func() ([2]*rendered, error) {
	m, err := mark.Load()
	if err != nil {
		return [2]*rendered{}, err
	}
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">`+
		`<title>technopolys</title><rect width="32" height="32" rx="7" fill="#003DA5"/>`+
		`<path fill="#FFFFFF" transform="translate(4 4)" d="%s"/></svg>`+"\n", m.D)
	dc := gg.NewContext(FaviconSize, FaviconSize)
	dc.SetColor(faviconBlue)
	dc.DrawRoundedRectangle(0, 0, FaviconSize, FaviconSize, FaviconSize*7/32)
	dc.Fill()
	dc.SetColor(color.White)
	m.Draw(dc, FaviconSize/8, FaviconSize/8, FaviconSize*3/4)
	var buf bytes.Buffer
	if err := png.Encode(&buf, dc.Image()); err != nil {
		return [2]*rendered{}, err
	}
	return [2]*rendered{newRendered([]byte(svg), svgType), newRendered(buf.Bytes(), "image/png")}, nil
})

func (s *Server) registerFaviconRoutes(r router) {
	r.GET("/favicon.svg", s.handleFavicon(0))
	r.GET("/favicon.png", s.handleFavicon(1))
	// Browsers ask for /favicon.ico whatever the page says: the PNG
	// answers, which every browser that asks reads.
	r.GET("/favicon.ico", s.handleFavicon(1))
}

func (s *Server) handleFavicon(format int) httprouter.Handle {
	return func(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
		icons, err := favicons()
		if err != nil {
			s.respond.Error(w, r, err) // only a broken build gets here
			return
		}
		writeImage(w, r, http.StatusOK, icons[format], faviconCacheControl)
	}
}
