package registry

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// MaxImportRows bounds one import file, so a single request cannot hold the
// store's one writer for long.
const MaxImportRows = 10000

// importColumns are the columns an import file must have, in any order.
var importColumns = []string{"name", "website", "region", "contact_email", "consent_public"}

// ParseImport reads an import file (CSV with a header row naming
// importColumns) into approved-to-be members. Any bad row makes the whole file
// fail with an *Invalid whose problems carry line numbers, so a file is
// imported whole or not at all. Rows that repeat a website are bad rows too.
func ParseImport(r io.Reader) ([]ImportRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fileProblem(1, err)
	}
	col, err := columnIndex(header)
	if err != nil {
		return nil, err
	}
	var (
		rows  []ImportRow
		ps    []Problem
		hosts = map[string]int{}
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, fileProblem(line, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= MaxImportRows {
			return nil, &Invalid{Problems: []Problem{{Field: "file", Rule: RuleTooLong, Line: line}}}
		}
		m, rowProblems := importMember(rec, col)
		if h := m.WebsiteHost(); h != "" && hosts[h] > 0 {
			rowProblems = append(rowProblems, Problem{Field: "website", Rule: RuleDuplicate})
		} else if h != "" {
			hosts[h] = line
		}
		for _, p := range rowProblems {
			p.Line = line
			ps = append(ps, p)
		}
		rows = append(rows, ImportRow{Line: line, Member: m})
	}
	if len(ps) > 0 {
		return nil, &Invalid{Problems: ps}
	}
	if len(rows) == 0 {
		return nil, &Invalid{Problems: []Problem{{Field: "file", Rule: RuleRequired, Line: 2}}}
	}
	return rows, nil
}

// fileProblem reports a file that is not CSV at all, or has no header.
func fileProblem(line int, err error) error {
	rule := RuleCSV
	if errors.Is(err, io.EOF) {
		rule = RuleRequired
	}
	return &Invalid{Problems: []Problem{{Field: "file", Rule: rule, Line: max(line, 1)}}}
}

func columnIndex(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var ps []Problem
	for _, c := range importColumns {
		if _, ok := col[c]; !ok {
			ps = append(ps, Problem{Field: c, Rule: RuleColumn, Line: 1})
		}
	}
	if len(ps) > 0 {
		return nil, &Invalid{Problems: ps}
	}
	return col, nil
}

func importMember(rec []string, col map[string]int) (*Member, []Problem) {
	get := func(c string) string {
		if i := col[c]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	m := &Member{
		Name:         get("name"),
		Website:      get("website"),
		ContactEmail: get("contact_email"),
		Status:       StatusApproved,
	}
	var ps problems
	checkCompany(m, get("region"), &ps)
	if m.ContactEmail != "" { // older registrations may lack a contact
		ps.check("contact_email", checkEmail(m.ContactEmail))
	}
	consent, ok := parseBool(get("consent_public"))
	if !ok {
		ps.check("consent_public", RuleBoolean)
	}
	m.ConsentPublic = consent
	return m, ps
}

// parseBool reads the yes/no spellings a spreadsheet export may hold.
func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "true", "1", "yes", "y", "oui", "o", "vrai":
		return true, true
	case "false", "0", "no", "n", "non", "faux":
		return false, true
	}
	return false, false
}
