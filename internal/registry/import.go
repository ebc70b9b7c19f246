package registry

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxImportRows bounds one import file, so a single request cannot hold the
// store's one writer for long.
const MaxImportRows = 10000

// The encodings an import file may come in. Excel's "CSV UTF-8" writes the
// first (with a BOM); its plain "CSV" writes the second on a French Windows.
const (
	EncodingUTF8        = "UTF-8"
	EncodingWindows1252 = "Windows-1252"
)

// importColumns are the columns an import file must have, in any order.
var importColumns = []string{"name", "website", "region", "contact_email", "consent_public"}

// columnAliases maps a header, folded by headerKey, to the column it names,
// so the French headers staff write in their spreadsheets work as they are.
var columnAliases = map[string]string{
	"name": "name", "nom": "name", "entreprise": "name", "nomentreprise": "name",
	"nomdelentreprise": "name",
	"website":          "website", "siteweb": "website", "site": "website", "siteinternet": "website",
	"url":          "website",
	"region":       "region",
	"contactemail": "contact_email", "email": "contact_email", "courriel": "contact_email",
	"courrielcontact": "contact_email", "courrieldecontact": "contact_email",
	"courrielducontact": "contact_email", "adressecourriel": "contact_email",
	"consentpublic": "consent_public", "consentement": "consent_public",
	"consentementpublic": "consent_public", "consent": "consent_public",
}

// ImportFile is an import file read for a preview: what would be written and
// every problem, so staff can fix the file before they confirm.
type ImportFile struct {
	Text      string      // the file as UTF-8 without BOM (lone CRs as LFs), to be sent back on confirmation
	Separator rune        // ',' or ';'
	Encoding  string      // EncodingUTF8 or EncodingWindows1252
	Rows      []ImportRow // every row that is valid on its own, with its line
	Problems  []Problem   // every problem, each with its line (file-level ones included)
}

// ParseImport reads an import file (see ReadImport) into approved-to-be
// members. Any bad row makes the whole file fail with an *Invalid whose
// problems carry line numbers, so a file is imported whole or not at all.
// Callers bound the bytes r may give.
func ParseImport(r io.Reader) ([]ImportRow, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, &Invalid{Problems: fileProblem(1, RuleCSV)}
	}
	f := ReadImport(b)
	if len(f.Problems) > 0 {
		return nil, &Invalid{Problems: f.Problems}
	}
	return f.Rows, nil
}

// ReadImport reads an import file as a spreadsheet saves it: CSV separated
// by commas or semicolons (whichever the header line uses), in UTF-8 with or
// without BOM or else Windows-1252, with a header row naming importColumns in
// English or French. Rows repeating a website met higher up are bad rows;
// rows with every cell blank, which spreadsheets leave at the end, are
// skipped. It never fails: what is wrong is in Problems.
func ReadImport(b []byte) *ImportFile {
	f := &ImportFile{Separator: ','}
	text, encoding, ok := decodeImport(b)
	f.Text, f.Encoding = text, encoding
	switch {
	case !ok:
		f.Problems = fileProblem(1, RuleNotText)
	case strings.TrimSpace(text) == "":
		f.Problems = fileProblem(1, RuleNoRows)
	default:
		f.Separator = separator(text)
		f.read()
	}
	return f
}

var utf8BOM = []byte("\ufeff")

// decodeImport returns b as UTF-8 text without BOM and the encoding it was
// in, or false when b is not text at all (NUL bytes: a workbook, an image,
// or UTF-16, which no CSV export writes by default).
func decodeImport(b []byte) (string, string, bool) {
	for bytes.HasPrefix(b, utf8BOM) { // a BOM pasted before another one: both go
		b = b[len(utf8BOM):]
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return "", EncodingUTF8, false
	}
	if utf8.Valid(b) {
		return lineEnds(string(b)), EncodingUTF8, true
	}
	// Windows-1252 decodes any bytes: the five it leaves undefined become
	// U+FFFD and C0 bytes stay controls, which the rows' checks report
	// with their line, so a mostly binary file still gets clear problems.
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return "", EncodingWindows1252, false
	}
	return lineEnds(string(s)), EncodingWindows1252, true
}

// lineEnds turns the lone carriage returns that old Mac spreadsheets end
// lines with into newlines; CRLF is left to encoding/csv.
func lineEnds(s string) string {
	if !strings.Contains(s, "\n") {
		return strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}

// separator is ';' when the header line has more semicolons than commas
// outside quotes: Excel in French locales separates with ';', since ',' is
// the decimal separator there.
func separator(text string) rune {
	var commas, semicolons int
	quoted := false
	for _, r := range text {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '\n':
			return pick(commas, semicolons)
		case r == ',':
			commas++
		case r == ';':
			semicolons++
		}
	}
	return pick(commas, semicolons)
}

func pick(commas, semicolons int) rune {
	if semicolons > commas {
		return ';'
	}
	return ','
}

// read reads f.Text's rows into f.Rows and f.Problems.
func (f *ImportFile) read() {
	cr := csv.NewReader(strings.NewReader(f.Text))
	cr.Comma = f.Separator
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		f.Problems = fileProblem(csvLine(err), RuleCSV)
		return
	}
	col, ps := columnIndex(header)
	if len(ps) > 0 {
		f.Problems = ps
		return
	}
	f.readRows(cr, col)
}

// readRows goes on after a line encoding/csv cannot read, so staff see
// every bad line at once rather than one per upload.
func (f *ImportFile) readRows(cr *csv.Reader, col map[string]int) {
	hosts := map[string]bool{}
	records := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.Problems = append(f.Problems, fileProblem(csvLine(err), RuleCSV)...)
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				break
			}
			continue
		}
		if blank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		if records++; records > MaxImportRows {
			// Said once, at the first row too many; none from there on is
			// read, so neither Rows nor Problems grow past the limit.
			f.Problems = append(f.Problems, fileProblem(line, RuleTooManyRows)...)
			return
		}
		f.addRow(line, rec, col, hosts)
	}
	if records == 0 {
		f.Problems = append(f.Problems, fileProblem(2, RuleNoRows)...)
	}
}

// addRow adds the row to f.Rows when it is valid, its problems otherwise.
func (f *ImportFile) addRow(line int, rec []string, col map[string]int, hosts map[string]bool) {
	m, ps := importMember(rec, col)
	if h := m.WebsiteHost(); h != "" && hosts[h] {
		ps = append(ps, Problem{Field: "website", Rule: RuleDuplicate})
	} else if h != "" {
		hosts[h] = true
	}
	if len(ps) == 0 {
		f.Rows = append(f.Rows, ImportRow{Line: line, Member: m})
	}
	for _, p := range ps {
		p.Line = line
		f.Problems = append(f.Problems, p)
	}
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// csvLine is the line where the record encoding/csv could not read starts.
func csvLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	return 1
}

// fileProblem reports a file that is not CSV at all, has no header or no
// rows, or too many.
func fileProblem(line int, rule string) []Problem {
	return []Problem{{Field: "file", Rule: rule, Line: max(line, 1)}}
}

// columnIndex finds each of importColumns in the header. A column named
// twice is a problem, since which of the two staff meant cannot be known.
func columnIndex(header []string) (map[string]int, []Problem) {
	col := map[string]int{}
	var ps []Problem
	for i, h := range header {
		c, ok := columnAliases[headerKey(h)]
		if !ok {
			continue // other columns are the spreadsheet's own notes
		}
		if _, twice := col[c]; twice {
			ps = append(ps, Problem{Field: c, Rule: RuleColumnTwice, Line: 1})
		}
		col[c] = i
	}
	for _, c := range importColumns {
		if _, ok := col[c]; !ok {
			ps = append(ps, Problem{Field: c, Rule: RuleColumn, Line: 1})
		}
	}
	return col, ps
}

// headerKey folds a header so that "Site web", "site_web", "SiteWeb" and
// "Région" meet their alias: lowercase, no accents, letters and digits only.
func headerKey(h string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)))
	s, _, err := transform.String(t, h)
	if err != nil {
		s = h
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
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
