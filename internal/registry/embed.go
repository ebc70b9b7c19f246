package registry

import (
	"strings"
	"time"
)

// MaxEmbedSites bounds the sites kept per member. Referer headers are
// whatever a client sends, so without a bound forged ones could grow the
// store without end. Past it, new sites are not recorded; the sites already
// kept go on counting.
const MaxEmbedSites = 500

// EmbedCount is a number of badge requests one member's badge got from one
// site (the Referer's host) since the last count was recorded.
type EmbedCount struct {
	MemberID int64
	Site     string
	Views    int64
}

// Embed is one site seen showing a member's badge.
type Embed struct {
	Site      string
	Views     int64
	FirstSeen time.Time
	LastSeen  time.Time
}

// OwnSite reports whether site is the member's own website or one of its
// subdomains; a badge shown anywhere else was copied by a stranger or put on
// a partner's page.
func (m *Member) OwnSite(site string) bool {
	own := m.WebsiteHost()
	site = strings.TrimPrefix(strings.TrimSuffix(strings.ToLower(site), "."), "www.")
	return own != "" && (site == own || strings.HasSuffix(site, "."+own))
}

// ForeignSite reports whether a site showing m's badge is outside m's own
// domain, worth flagging to whoever reads the list: a member with no
// website has no domain to be outside of.
func (m *Member) ForeignSite(site string) bool { return m.Website != "" && !m.OwnSite(site) }
