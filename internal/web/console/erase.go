package console

import (
	"net/http"
	"strconv"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// Erasing a member's personal data at its request: its contact alone, or
// its public record too, which ends the membership for good.

// handleStaffErase erases a member's data from its page's form, which needs
// a scope and the confirmation box ticked, then goes back to the page,
// which says what happened. A second erase is said to be done already.
func (c *Console) handleStaffErase(w http.ResponseWriter, r *http.Request, id int64, sess *registry.Session) {
	l := locale.Negotiate(r)
	scope := r.PostFormValue("scope")
	if scope != "contact" && scope != "public" || r.PostFormValue("confirm") != "yes" {
		c.renderStaffMember(w, r, l, sess, id, http.StatusBadRequest, l.T("staff.erase.incomplete"), nil)
		return
	}
	back := "/admin/members/" + strconv.FormatInt(id, 10) + "?lang=" + string(l) + "&done="
	before, err := c.store.FindMember(r.Context(), id)
	var m *registry.Member
	if err == nil {
		m, err = c.store.EraseMember(r.Context(), id, scope == "public", sess.Actor)
	}
	switch code := registry.ErrorCode(err); code {
	case "":
		// Erasing the public record takes the slug too: the badges and page
		// cached under the old one must go.
		gone := *m
		gone.Slug = before.Slug
		c.site.MemberChanged(&gone, registry.ActionErase, sess.Actor)
		http.Redirect(w, r, back+string(registry.ActionErase), http.StatusSeeOther)
	case registry.ECONFLICT:
		http.Redirect(w, r, back+"already_erased", http.StatusSeeOther)
	case registry.ENOTFOUND:
		c.errorPage(w, r, sess, http.StatusNotFound, "error.member")
	default:
		c.respond.UnavailablePage(w, r, err)
	}
}

// eraseForm is the member page's erase form: the scopes still possible.
type eraseForm struct {
	// ContactLeft is whether the contact alone can still be erased.
	ContactLeft bool
}

// embedsPage is how many badge sites the member page lists at once.
const embedsPage = 50

// embedsView is one page of the sites showing a member's badge.
type embedsView struct {
	Sites      []respond.EmbedLine
	Total      int
	Count      string // how many in all, in words
	Range      string // which ones this page shows, when there are several pages
	Prev, Next string // the other pages' addresses, or ""
}

// memberEmbeds lists one page of m's badge sites, from the embeds= offset
// of the query (a malformed one is the first page), flagging the sites
// outside m's own domain.
func (c *Console) memberEmbeds(r *http.Request, l locale.Lang, m *registry.Member) (embedsView, error) {
	offset, err := strconv.Atoi(r.URL.Query().Get("embeds"))
	if err != nil || offset < 0 {
		offset = 0
	}
	c.site.FlushEmbeds(r.Context()) // staff see counts up to this request
	embeds, total, err := c.store.ListEmbeds(r.Context(), m.ID, embedsPage, offset)
	if err != nil {
		return embedsView{}, err
	}
	v := embedsView{Total: total, Count: l.Plural(total, "staff.embeds.count")}
	v.Sites = respond.EmbedLines(l, m, embeds)
	page := "/admin/members/" + strconv.FormatInt(m.ID, 10) + "?lang=" + string(l) + "&embeds="
	if total > embedsPage {
		v.Range = l.T("staff.embeds.range", l.Int(offset+1), l.Int(min(offset+embedsPage, total)), l.Int(total))
		if len(embeds) == 0 {
			v.Range = ""
		}
	}
	if offset > 0 {
		v.Prev = page + strconv.Itoa(max(0, min(offset, total)-embedsPage)) + "#embeds"
	}
	if offset+embedsPage < total {
		v.Next = page + strconv.Itoa(offset+embedsPage) + "#embeds"
	}
	return v, nil
}
