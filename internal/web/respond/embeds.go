package respond

import (
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// EmbedLine is one site seen showing a member's badge, in words: staff read
// it on the console's member page, the member in its area.
type EmbedLine struct {
	Site  string
	Views string
	Seen  string
	// Foreign is a site outside the member's own domain.
	Foreign bool
}

// EmbedLines says each of m's badge sites in language l, flagging those
// outside m's domain (Member.ForeignSite).
func EmbedLines(l locale.Lang, m *registry.Member, embeds []registry.Embed) []EmbedLine {
	out := make([]EmbedLine, len(embeds))
	for i, e := range embeds {
		first, last := l.Date(e.FirstSeen), l.Date(e.LastSeen)
		seen := l.T("staff.embeds.seen", first, last)
		if first == last { // « vu du 1er décembre au 1er décembre » says one day twice
			seen = l.T("staff.embeds.seen.day", first)
		}
		out[i] = EmbedLine{Site: e.Site, Views: l.Plural(int(e.Views), "staff.embeds.views"), Seen: seen, Foreign: m.ForeignSite(e.Site)}
	}
	return out
}
