package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"
	"github.com/maypok86/otter/v2"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/qr"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

func (s *Server) registerEventRoutes(r router) {
	r.POST("/api/v1/admin/events", s.admin(s.handleCreateEvent))
	r.GET("/api/v1/admin/events", s.admin(s.handleListEvents))
	r.GET("/api/v1/admin/events/:code", s.admin(s.handleGetEvent))
	// A catch-all, so that any path under /j/, however odd, is answered
	// here with a redirect to our own join form.
	r.GET("/j/*code", s.handleShortLink)
	r.GET("/qr/:file", s.handleQR)
	r.GET("/print/:file", s.handlePoster)
}

// eventView is an event as staff see it: its funnel and what to print.
type eventView struct {
	Code      string            `json:"code"`
	NameFR    string            `json:"name_fr"`
	NameEN    string            `json:"name_en"`
	StartsOn  string            `json:"starts_on"`
	Place     string            `json:"place"`
	CreatedAt time.Time         `json:"created_at"`
	Scans     int               `json:"scans"`
	Joins     int               `json:"joins"`
	Approved  int               `json:"approved"`
	ShortLink string            `json:"short_link"`
	Print     map[string]string `json:"print"`
}

func (s *Server) eventView(e *registry.Event) eventView {
	base := s.cfg.PublicURL
	print := map[string]string{"qr_png": base + "/qr/" + e.Code + ".png", "qr_svg": base + "/qr/" + e.Code + ".svg",
		"qr_png_logo": base + "/qr/" + e.Code + ".png?logo=1"}
	for _, layout := range qr.Layouts() {
		for _, p := range qr.Papers() {
			for _, l := range []locale.Lang{locale.FR, locale.EN} {
				print[posterFileKey(layout, p, l)] = base + "/print/" + e.Code + ".pdf?" + posterQuery(layout, p, l)
			}
		}
	}
	return eventView{Code: e.Code, NameFR: e.NameFR, NameEN: e.NameEN, StartsOn: e.StartsOn, Place: e.Place,
		CreatedAt: e.CreatedAt, Scans: e.Scans, Joins: e.Joins, Approved: e.Approved, ShortLink: s.shortLink(e.Code), Print: print}
}

func (s *Server) shortLink(code string) string { return s.cfg.PublicURL + "/j/" + code }

func (s *Server) handleCreateEvent(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	var body struct {
		Code     string `json:"code"`
		NameFR   string `json:"name_fr"`
		NameEN   string `json:"name_en"`
		StartsOn string `json:"starts_on"`
		Place    string `json:"place"`
	}
	if err := decodeJSON(w, r, &body, MaxJoinBody); err != nil {
		s.respond.Error(w, r, err)
		return
	}
	e, err := registry.NewEvent(body).Validate()
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	if err := s.store.CreateEvent(r.Context(), e); err != nil {
		s.respond.Error(w, r, err)
		return
	}
	s.knownEvents.Set(e.Code, e)
	s.log.Info("event created", "code", e.Code, "actor", s.actor(r))
	respond.JSON(w, http.StatusCreated, s.eventView(e))
}

func (s *Server) handleListEvents(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	s.flushScans(r.Context())
	events, err := s.store.ListEvents(r.Context())
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	out := make([]eventView, len(events))
	for i, e := range events {
		out[i] = s.eventView(e)
	}
	respond.JSON(w, http.StatusOK, map[string]any{"events": out})
}

func (s *Server) handleGetEvent(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	s.flushScans(r.Context()) // staff see scans up to this request
	e, err := s.findEvent(r.Context(), ps.ByName("code"))
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, s.eventView(e))
}

// findEvent is FindEvent for a code from a URL: a malformed one is simply
// not found, without a trip to the store.
func (s *Server) findEvent(ctx context.Context, code string) (*registry.Event, error) {
	if !registry.ValidCode(code) {
		return nil, registry.NotFound()
	}
	return s.store.FindEvent(ctx, code)
}

// handleShortLink is where a printed QR code leads: it counts one scan (a
// counter: no address, no cookie) and sends the visitor to the join form
// tagged with the event. The target is built from our public URL and a
// validated code only, never from the request, so no path can make it an
// open redirect; anything unknown or malformed goes to the plain form.
//
// One client's scans of one code count once every scanWindow, so replaying
// the link does not inflate the funnel.
func (s *Server) handleShortLink(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	target := s.cfg.PublicURL + "/join"
	code := strings.TrimPrefix(ps.ByName("code"), "/")
	known, err := s.eventKnown(r.Context(), code)
	if err != nil {
		s.log.Warn("short link: event lookup", "err", err) // the visitor still gets the form
	}
	if known {
		target += "?event=" + url.QueryEscape(code)
		if !isHead(r) && s.scans.first(s.clientKey(r), code) {
			s.pendingScans.add(code) // written within scanFlush
		}
	}
	w.Header().Set("Cache-Control", "no-store") // every scan must reach us to be counted
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, target, http.StatusFound)
}

// qrCacheControl: an event's QR code never changes (it encodes our URL and
// the event's code), so it may be kept a day.
var qrCacheControl = []string{"public, max-age=86400"}

// DefaultQRSize is a QR image's side when no size is asked for.
const DefaultQRSize = 512

// qrSizes are the sides a QR image may have. Few, so that a visitor cannot
// make a new cold render (up to 70 MB and half a second for 4096 px with
// the logo) by asking another size; enough for a slide (512), a poster
// (2048) or a print shop (4096).
var qrSizes = []int{128, 256, 512, 1024, 2048, 4096}

// qrSizesText names them in the error image of a size that is not one.
const qrSizesText = "size = 128 | 256 | 512 | 1024 | 2048 | 4096"

// qrOptions are a QR image's validated options.
type qrOptions struct {
	size  int
	level qr.Level
	logo  bool
}

// parseQROptions reads size, ec and logo from a raw query (by hand, as
// badges do: url.ParseQuery's map would be most of a cached QR's cost); it
// names the first bad one. Other parameters are ignored.
func parseQROptions(rawQuery string) (o qrOptions, bad string) {
	o = qrOptions{size: DefaultQRSize, level: qr.M}
	seen := map[string]bool{}
	for rest := rawQuery; rest != "" && bad == ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		k, v, _ := strings.Cut(pair, "=")
		if k != "size" && k != "ec" && k != "logo" {
			continue
		}
		v, err := url.QueryUnescape(v)
		if err != nil || seen[k] {
			return o, k
		}
		seen[k] = true
		switch k {
		case "size":
			n, err := strconv.Atoi(v)
			if err != nil || !slices.Contains(qrSizes, n) {
				bad = qrSizesText
			}
			o.size = n
		case "ec":
			o.level = qr.Level(strings.ToUpper(v))
			if !slices.Contains(qr.Levels(), o.level) {
				bad = k
			}
		case "logo":
			switch v {
			case "0", "false":
			case "1", "true":
				o.logo = true
			default:
				bad = k
			}
		}
	}
	return o, bad
}

// handleQR serves /qr/{code}.png and .svg: exactly the event's short link.
// An event's images never change and events are never deleted, so the cache
// is asked first; the store only on a miss.
func (s *Server) handleQR(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	code, format, ok := splitImageName(ps.ByName("file"), "png", "svg")
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	o, bad := parseQROptions(r.URL.RawQuery)
	if bad != "" {
		s.writeBadgeError(w, r, http.StatusBadRequest, badge.Badge{Kind: badge.Invalid, Option: bad}, format, badge.Defaults(locale.Negotiate(r)))
		return
	}
	key := "qr|" + code + "|" + format + "|" + strconv.Itoa(o.size) + "|" + string(o.level) + "|" + strconv.FormatBool(o.logo)
	img, err := s.cached(r.Context(), key, func() (*rendered, error) {
		known, err := s.eventKnown(r.Context(), code)
		if err != nil {
			return nil, err
		}
		if !known {
			return nil, registry.NotFound()
		}
		return s.drawQR(code, format, o)
	})
	var tooSmall minSizeError
	switch {
	case err == nil:
		writeImage(w, r, http.StatusOK, img, qrCacheControl)
	case registry.ErrorCode(err) == registry.ENOTFOUND:
		s.writeBadgeError(w, r, http.StatusNotFound, badge.Badge{Kind: badge.NoEvent}, format, badge.Defaults(locale.Negotiate(r)))
	case errors.As(err, &tooSmall):
		s.writeBadgeError(w, r, http.StatusBadRequest, badge.Badge{Kind: badge.Invalid, Option: "size ≥ " + strconv.Itoa(int(tooSmall))},
			format, badge.Defaults(locale.Negotiate(r)))
	default:
		s.imageFailed(w, r, err, format, badge.Defaults(locale.Negotiate(r)))
	}
}

// minSizeError is a PNG size too small to give every module 2 pixels; its
// value is the smallest size that does.
type minSizeError int

func (e minSizeError) Error() string { return "size below " + strconv.Itoa(int(e)) }

func (s *Server) drawQR(code, format string, o qrOptions) (*rendered, error) {
	c, err := qr.New(s.shortLink(code), o.level, o.logo)
	if err != nil {
		return nil, err
	}
	if format == "svg" {
		body, err := c.SVG(o.size)
		if err != nil {
			return nil, err
		}
		return newRendered(body, svgType), nil
	}
	if o.size < c.MinSize() {
		return nil, minSizeError(c.MinSize())
	}
	body, err := c.PNG(o.size)
	if err != nil {
		return nil, err
	}
	return newRendered(body, pngType), nil
}

// handlePoster serves /print/{code}.pdf: a one-page poster to print.
func (s *Server) handlePoster(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	code, _, ok := splitImageName(ps.ByName("file"), "pdf")
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	q := r.URL.Query()
	layout, paper, bad := parsePosterOptions(q)
	if bad != "" {
		s.respond.Error(w, r, respond.BadField(bad, bad))
		return
	}
	l := locale.Negotiate(r)
	if v := q.Get("lang"); v != "" {
		if _, ok := locale.Parse(v); !ok {
			s.respond.Error(w, r, respond.BadField("lang", "lang"))
			return
		}
	}
	// A cached poster is answered without a trip to the store; the event is
	// read only to draw one.
	known, err := s.eventKnown(r.Context(), code)
	if err != nil || !known {
		s.respond.Error(w, r, cmp.Or(err, error(&registry.Error{Code: registry.ENOTFOUND, Reason: "event"})))
		return
	}
	key := "print|" + code + "|" + string(layout) + "|" + string(paper) + "|" + string(l)
	doc, err := s.cached(r.Context(), key, func() (*rendered, error) {
		e, err := s.findEvent(r.Context(), code)
		if err != nil {
			return nil, err
		}
		return s.drawPoster(e, layout, paper, l)
	})
	if err != nil {
		s.respond.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `inline; filename="`+posterFileName(code, layout, paper, l)+`"`)
	w.Header().Set("Vary", "Accept-Language")
	writeImage(w, r, http.StatusOK, doc, qrCacheControl)
}

func (s *Server) drawPoster(e *registry.Event, layout qr.Layout, paper qr.Paper, l locale.Lang) (*rendered, error) {
	c, err := qr.New(s.shortLink(e.Code), qr.M, false)
	if err != nil {
		return nil, err
	}
	var details []string
	if d, err := time.ParseInLocation(time.DateOnly, e.StartsOn, locale.Zone); err == nil {
		details = append(details, l.Date(d))
	}
	if e.Place != "" {
		details = append(details, e.Place)
	}
	link := s.shortLink(e.Code)
	if u, err := url.Parse(link); err == nil {
		link = u.Host + u.Path // what people type: no scheme
	}
	body, err := c.PDF(qr.Poster{Paper: paper, Layout: layout, Title: e.Name(string(l)), Details: strings.Join(details, " · "),
		CallToAction: l.T("poster.cta"), OtherCall: l.Other().T("poster.cta"), Hint: l.T("poster.hint"), Link: link,
		Fold: l.T("poster.fold")})
	if err != nil {
		return nil, err
	}
	return newRendered(body, "application/pdf"), nil
}

// eventKnown reports whether an event with that code exists, from memory
// when it can: short links, QR codes and joins all ask, and events are
// never deleted, so a known code stays known; an unknown one is believed
// unknown for a short while only (another instance may create it).
func (s *Server) eventKnown(ctx context.Context, code string) (bool, error) {
	e, err := s.knownEvent(ctx, code)
	return e != nil, err
}

// knownEvent is eventKnown's event: its names and place, as it was when
// first read (its funnel numbers are not kept fresh here), or nil.
func (s *Server) knownEvent(ctx context.Context, code string) (*registry.Event, error) {
	if !registry.ValidCode(code) {
		return nil, nil
	}
	if e, ok := s.knownEvents.GetIfPresent(code); ok {
		return e, nil
	}
	e, err := s.store.FindEvent(ctx, code)
	switch registry.ErrorCode(err) {
	case registry.ENOTFOUND:
		s.knownEvents.Set(code, nil)
		s.knownEvents.SetExpiresAfter(code, absentTTL)
		return nil, nil
	case "":
		s.knownEvents.Set(code, e)
		return e, nil
	}
	return nil, err
}

func newKnownEvents() (*otter.Cache[string, *registry.Event], error) {
	return otter.New(&otter.Options[string, *registry.Event]{MaximumSize: maxAbsent,
		ExpiryCalculator: otter.ExpiryWriting[string, *registry.Event](time.Hour)})
}
