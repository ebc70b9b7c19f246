package web

import (
	"context"
	"net/http"

	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/console"
)

// site is the server as the staff console sees it (console.Site): what
// follows a change, and the few services the console borrows.
type site struct{ s *Server }

var _ console.Site = site{}

func (c site) MemberChanged(m *registry.Member, action registry.Action, actor string) {
	c.s.memberChanged(m, action, actor)
}

func (c site) MembersImported(ms []*registry.Member, actor string) { c.s.membersImported(ms, actor) }

// EventSaved keeps the cached event (names, place) current for the join
// page and the queue.
func (c site) EventSaved(e *registry.Event) { c.s.knownEvents.Set(e.Code, e) }

func (c site) KnownEvent(ctx context.Context, code string) (*registry.Event, error) {
	return c.s.knownEvent(ctx, code)
}

func (c site) FlushScans(ctx context.Context) { c.s.flushScans(ctx) }

func (c site) FlushEmbeds(ctx context.Context) { c.s.flushEmbeds(ctx) }

func (c site) EventFiles(e *registry.Event) (string, map[string]string) {
	v := c.s.eventView(e)
	return v.ShortLink, v.Print
}

func (c site) ClientKey(r *http.Request) string { return c.s.clientKey(r) }

func (c site) TokenMatches(token string) bool { return c.s.tokenMatches(token) }

func (c site) Slot(ctx context.Context, f func() error) error { return c.s.badges.images.Do(ctx, f) }
