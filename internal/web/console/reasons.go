package console

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// editedField finds each change an edit's audit reason lists, written by
// registry.MemberEdit as « field: old → new », joined by « ; ».
var editedField = regexp.MustCompile(`(?:^|; )(name|website|region|consent_public): `)

// fieldNames are the words staff read for the fields an edit changes.
var fieldNames = map[string]string{"name": "field.name", "website": "field.website", "region": "field.region",
	"consent_public": "account.consent"}

// reasonInWords is an audit entry's reason as staff read it, in their
// language: an erasure's scope in words, an edit's fields by their names
// (its values as they were typed, a listing's yes and no in words).
func reasonInWords(l locale.Lang, e registry.AuditEntry) string {
	switch {
	case e.Action == registry.ActionErase && locale.Has("staff.erase."+e.Reason):
		return l.T("staff.erase." + e.Reason)
	case e.Action != registry.ActionEdit:
		return e.Reason
	}
	found := editedField.FindAllStringSubmatchIndex(e.Reason, -1)
	if len(found) == 0 || found[0][0] != 0 {
		return e.Reason // not an edit's list: say it as it is
	}
	sep, join := ": ", "; "
	if l == locale.FR {
		sep, join = "\u00a0: ", "\u202f; " // a no-break space before the colon, a narrow one before the semicolon
	}
	var said []string
	for i, f := range found {
		end := len(e.Reason)
		if i+1 < len(found) {
			end = found[i+1][0]
		}
		field, change := e.Reason[f[2]:f[3]], e.Reason[f[1]:end]
		if field == "consent_public" {
			change = strings.NewReplacer("yes", l.T("word.yes"), "no", l.T("word.no")).Replace(change)
		}
		name := l.T(fieldNames[field])
		r, size := utf8.DecodeRuneInString(name)
		if i == 0 {
			name = string(unicode.ToUpper(r)) + name[size:] // the first begins the line
		} else {
			name = string(unicode.ToLower(r)) + name[size:]
		}
		said = append(said, name+sep+change)
	}
	return strings.Join(said, join)
}
