package console

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// homeView is the console's home: what waits for staff, and the figures at
// a glance.
type homeView struct {
	Pending, Members, Listed string
	HasPending               bool
	// Requests counts members' open requests, shown when there are some.
	Requests string
}

// handleHome greets signed-in staff with what needs doing: the requests
// waiting in the queue, and the movement's counts.
func (c *Console) handleHome(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	_, pending, err := c.store.ListMembers(r.Context(), registry.MemberFilter{Status: registry.StatusPending, Limit: 1})
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	st, err := c.store.Stats(r.Context())
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	v := homeView{Pending: l.Plural(pending, "home.pending"), Members: l.Plural(st.Members, "home.members"),
		Listed: l.Plural(st.Listed, "home.listed"), HasPending: pending > 0}
	open, err := c.store.ListRequests(r.Context(), 0)
	if err != nil {
		c.respond.UnavailablePage(w, r, err)
		return
	}
	if len(open) > 0 {
		v.Requests = l.Plural(len(open), "home.requests")
	}
	c.page(w, r, sess, http.StatusOK, "", "staff_home", l.T("admin.title"), v)
}
