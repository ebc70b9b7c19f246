package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
)

// goalFlood asks for the count widget with a goal never asked before:
// each one is a new image to draw, and perhaps a new entry to keep.
func goalFlood(r *round) (string, error) {
	const workers = 16
	c := newClient(workers)
	defer c.CloseIdleConnections()
	var t tally
	first := rand.Int64N(500_000_000) // new goals on every run, below the server's bound
	flood(r.ctx, workers, func(i int64) {
		ext := [...]string{"svg", "png"}[i%2]
		status, err := fetch(r.ctx, c, fmt.Sprintf("%s/widget/count.%s?goal=%d", r.base, ext, first+i+1), r.timeout)
		t.record(r.ctx, status, err)
	})
	return fmt.Sprintf("attack: %s; %d workers, a new goal each request, SVG and PNG", &t, workers), nil
}

// canonicalQRSizes are the sizes a printed poster or the console links to;
// after the fix other sizes may be refused.
var canonicalQRSizes = []int{128, 256, 512, 1024, 2048, 4096}

// qrSizeFlood asks 64 at a time for the event's QR code with the logo, at
// random sizes (and, one request in four, a canonical one).
func qrSizeFlood(r *round) (string, error) {
	const workers = 64
	c := newClient(workers)
	defer c.CloseIdleConnections()
	var canonical, other tally
	flood(r.ctx, workers, func(i int64) {
		size, t := rand.IntN(4096-74+1)+74, &other
		if i%4 == 0 {
			size, t = canonicalQRSizes[rand.IntN(len(canonicalQRSizes))], &canonical
		}
		status, err := fetch(r.ctx, c, fmt.Sprintf("%s/qr/%s.png?size=%d&logo=1", r.base, r.event, size), r.timeout)
		t.record(r.ctx, status, err)
	})
	refused := other.count(func(s int) bool { return s == http.StatusBadRequest || (s >= 300 && s < 400) })
	return fmt.Sprintf("attack: canonical sizes %s | random sizes %s, refused (400 or 3xx)=%d; %d workers, logo=1",
		&canonical, &other, refused, workers), nil
}

// Badge options, as the README lists them: 4 × 3 × 2 = 24 looks, each as
// SVG and as PNG at 4 scales, 120 variants per member.
var (
	badgeStyles  = []string{"flat", "flat-square", "plastic", "for-the-badge"}
	badgeThemes  = []string{"light", "dark", "auto"}
	badgeLangs   = []string{"fr", "en"}
	badgeFormats = []string{".svg", ".png?scale=1", ".png?scale=2", ".png?scale=3", ".png?scale=4"}
)

const variantsPerMember = 4 * 3 * 2 * 5

// badgeVariant is the i-th URL of the crawl, member by member; past the
// last one it starts over (and meets the cache).
func badgeVariant(base string, slugs []string, i int64) string {
	v := int(i % int64(len(slugs)*variantsPerMember))
	slug := slugs[v/variantsPerMember]
	v %= variantsPerMember
	format := badgeFormats[v%5]
	v /= 5
	lang := badgeLangs[v%2]
	v /= 2
	theme, style := badgeThemes[v%3], badgeStyles[v/3]
	sep := "?"
	if strings.Contains(format, "?") {
		sep = "&"
	}
	return fmt.Sprintf("%s/badge/%s%s%sstyle=%s&theme=%s&lang=%s", base, slug, format, sep, style, theme, lang)
}

// badgeCrawl walks every variant of every member's badge, as a crawler
// following each link of the verification pages would.
func badgeCrawl(r *round) (string, error) {
	const workers = 32
	c := newClient(workers)
	defer c.CloseIdleConnections()
	slugs := r.slugs[:min(len(r.slugs), r.crawl)]
	var t tally
	sent := flood(r.ctx, workers, func(i int64) {
		status, err := fetch(r.ctx, c, badgeVariant(r.base, slugs, i), r.timeout)
		t.record(r.ctx, status, err)
	})
	total := int64(len(slugs) * variantsPerMember)
	return fmt.Sprintf("attack: %s; %d of %d distinct variants asked (%d members × %d), %d workers",
		&t, min(sent, total), total, len(slugs), variantsPerMember, workers), nil
}

// slugFlood asks for badges and verification pages of members that do not
// exist, each name new.
func slugFlood(r *round) (string, error) {
	const workers = 32
	c := newClient(workers)
	defer c.CloseIdleConnections()
	var badges, pages tally
	flood(r.ctx, workers, func(i int64) {
		slug := randomSlug()
		if i%2 == 0 {
			status, err := fetch(r.ctx, c, r.base+"/badge/"+slug+".svg", r.timeout)
			badges.record(r.ctx, status, err)
			return
		}
		status, err := fetch(r.ctx, c, r.base+"/members/"+slug, r.timeout)
		pages.record(r.ctx, status, err)
	})
	return fmt.Sprintf("attack: badges %s | pages %s; %d workers, every slug new", &badges, &pages, workers), nil
}

// randomSlug is a made-up member name, as a slug.
func randomSlug() string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 16)
	for i := range b {
		b[i] = letters[rand.IntN(len(letters))]
	}
	b[8] = '-'
	return string(b)
}
