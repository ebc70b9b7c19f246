package console

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
	"github.com/technopolys/technopolys/internal/web/respond"
)

// maxImport bounds an import file, and maxImportForm the form that carries
// it (the file, or its text sent back for confirmation, and the token).
const (
	maxImport     = 10 << 20
	maxImportForm = maxImport + 64<<10
)

// previewRows and previewProblems are how many rows and problems a preview
// shows; the counts say how many there are in all.
const (
	previewRows     = 100
	previewProblems = 500
)

// importView is the import page: the upload form, or a file's preview
// with every problem by line, and the confirmation.
type importView struct {
	Notice, Summary, Format, More, MoreProblems string
	Text                                        string // the file, sent back when staff confirm
	Rows                                        []registry.ImportRow
	Problems                                    []string
	CanConfirm                                  bool
}

func (c *Console) handleImportForm(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	v := importView{}
	if n, err := strconv.Atoi(r.URL.Query().Get("done")); err == nil && n >= 0 {
		v.Notice = l.Plural(n, "import.done")
	}
	c.page(w, r, sess, http.StatusOK, "import", "staff_import", l.T("import.title"), v)
}

// handleImportPreview reads an uploaded file and shows what would be
// written, and every problem by line, before anything is.
func (c *Console) handleImportPreview(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	// A 10,000-row file takes longer than an ordinary answer to upload.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(5 * time.Minute))
	file, _, err := r.FormFile("file")
	if err != nil {
		c.page(w, r, sess, http.StatusBadRequest, "import", "staff_import", l.T("import.title"), importView{Notice: l.T("import.nofile")})
		return
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, maxImport+1))
	if err != nil || len(b) > maxImport {
		c.page(w, r, sess, http.StatusRequestEntityTooLarge, "import", "staff_import", l.T("import.title"), importView{Notice: l.T("import.toolarge")})
		return
	}
	f := registry.ReadImport(b)
	v := preview(l, f)
	status := http.StatusOK
	if len(f.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	c.page(w, r, sess, status, "import", "staff_import", l.T("import.title"), v)
}

// preview says what a file holds and what is wrong with it.
func preview(l locale.Lang, f *registry.ImportFile) importView {
	v := importView{Text: f.Text, CanConfirm: len(f.Problems) == 0 && len(f.Rows) > 0,
		Summary: l.Plural(len(f.Rows), "import.rows"), Rows: f.Rows[:min(len(f.Rows), previewRows)]}
	if !v.CanConfirm { // nothing will be written: say what was read, not what would be
		v.Summary = l.Plural(len(f.Rows), "import.valid")
	}
	sep := l.T("import.comma")
	if f.Separator == ';' {
		sep = l.T("import.semicolon")
	}
	if strings.TrimSpace(f.Text) != "" { // an empty file has no format to speak of
		v.Format = " · " + l.T("import.format", f.Encoding, sep)
	}
	if n := len(f.Rows) - len(v.Rows); n > 0 {
		v.More = l.Plural(n, "import.more")
	}
	for i, p := range f.Problems {
		if i == previewProblems {
			v.MoreProblems = l.Plural(len(f.Problems)-i, "import.moreproblems")
			break
		}
		v.Problems = append(v.Problems, respond.Problem(l, p))
	}
	return v
}

// handleImportConfirm writes the file staff saw in the preview: every row,
// or none when one conflicts with a member already there (said by line).
func (c *Console) handleImportConfirm(w http.ResponseWriter, r *http.Request, _ httprouter.Params, sess *registry.Session) {
	l := locale.Negotiate(r)
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(5 * time.Minute))
	f := registry.ReadImport([]byte(r.PostFormValue("text")))
	if len(f.Problems) > 0 || len(f.Rows) == 0 {
		c.page(w, r, sess, http.StatusUnprocessableEntity, "import", "staff_import", l.T("import.title"), preview(l, f))
		return
	}
	ms, err := c.store.ImportMembers(r.Context(), f.Rows, sess.Actor)
	var iv *registry.Invalid
	switch {
	case errors.As(err, &iv):
		f.Problems = iv.Problems
		c.page(w, r, sess, http.StatusConflict, "import", "staff_import", l.T("import.title"), preview(l, f))
	case err != nil:
		c.respond.UnavailablePage(w, r, err)
	default:
		c.site.MembersImported(ms, sess.Actor)
		// Back to the form, so that reloading the page sends nothing again.
		http.Redirect(w, r, "/admin/import?lang="+string(l)+"&done="+strconv.Itoa(len(ms)), http.StatusSeeOther)
	}
}
