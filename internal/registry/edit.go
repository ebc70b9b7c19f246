package registry

import "strings"

// ActionEdit is staff changing a member's public record (the audit log
// keeps what changed).
const ActionEdit Action = "edit"

// MemberEdit is what staff may change in a member's record; a nil field is
// left as it is. The slug never changes, so badges already on members'
// sites keep working; the version does, so every cached badge and page
// follows at once.
type MemberEdit struct {
	Name, Website, Region *string
	ConsentPublic         *bool
}

// Apply validates the edit and applies it to m, returning what changed in
// words for the audit log ("" when nothing did), or an *Invalid.
func (e MemberEdit) Apply(m *Member) (changes string, err error) {
	if m.Tombstone() {
		return "", errErased
	}
	next := *m
	if e.Name != nil {
		next.Name = Text(*e.Name)
	}
	if e.Website != nil {
		next.Website = strings.TrimSpace(*e.Website)
	}
	region := string(next.Region)
	if e.Region != nil {
		region = *e.Region
	}
	if e.ConsentPublic != nil {
		next.ConsentPublic = *e.ConsentPublic
	}
	var ps problems
	checkCompany(&next, region, &ps)
	if len(ps) > 0 {
		return "", &Invalid{Problems: ps}
	}
	var said []string
	for _, c := range [][3]string{{"name", m.Name, next.Name}, {"website", m.Website, next.Website},
		{"region", string(m.Region), string(next.Region)}, {"consent_public", yesNo(m.ConsentPublic), yesNo(next.ConsentPublic)}} {
		if c[1] != c[2] {
			said = append(said, c[0]+": "+c[1]+" → "+c[2])
		}
	}
	if len(said) == 0 {
		return "", nil
	}
	next.Version++
	*m = next
	return strings.Join(said, "; "), nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
