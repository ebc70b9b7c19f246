package registry_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/registry"
)

// importRows are three members whose names need more than ASCII (é, ô, ’)
// and whose cells hold the separators of both kinds.
var importRows = [][]string{
	{"Café Québec inc.", "https://cafe.example", "Montréal", "info@cafe.example", "oui"},
	{"Hôtel du Lac; Côte, Nord", "https://hotel.example", "cote-nord", "", "non"},
	{"L’Atelier d’Hélène", "https://atelier.example", "Saguenay–Lac-Saint-Jean", "h@atelier.example", "true"},
}

// csvFile writes header and importRows as a spreadsheet would, quoting the
// cells that hold a separator.
func csvFile(header []string, sep, eol string) string {
	var b strings.Builder
	for _, rec := range append([][]string{header}, importRows...) {
		for i, cell := range rec {
			if i > 0 {
				b.WriteString(sep)
			}
			if strings.ContainsAny(cell, ",;\"") {
				cell = `"` + strings.ReplaceAll(cell, `"`, `""`) + `"`
			}
			b.WriteString(cell)
		}
		b.WriteString(eol)
	}
	return b.String()
}

func windows1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rowValues is what a row will write, without the pointer.
func rowValues(rows []registry.ImportRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		m := r.Member
		out[i] = fmt.Sprintf("%d|%s|%s|%s|%s|%t|%s", r.Line, m.Name, m.Website, m.Region, m.ContactEmail, m.ConsentPublic, m.Status)
	}
	return out
}

func TestReadImportFormats(t *testing.T) {
	english := []string{"name", "website", "region", "contact_email", "consent_public"}
	french := []string{"Nom", "Site web", "Région", "Courriel", "Consentement"}
	frenchToo := []string{"nom", "site_web", "REGION", "courriel_contact", "consentement_public"}
	want := []string{
		"2|Café Québec inc.|https://cafe.example|Montréal|info@cafe.example|true|approved",
		"3|Hôtel du Lac; Côte, Nord|https://hotel.example|Côte-Nord||false|approved",
		"4|L’Atelier d’Hélène|https://atelier.example|Saguenay–Lac-Saint-Jean|h@atelier.example|true|approved",
	}
	tests := []struct {
		name     string
		file     []byte
		sep      rune
		encoding string
	}{
		{"comma, UTF-8", []byte(csvFile(english, ",", "\n")), ',', registry.EncodingUTF8},
		{"semicolon, UTF-8 with BOM, French", []byte("\ufeff" + csvFile(french, ";", "\r\n")), ';', registry.EncodingUTF8},
		// Excel's plain "CSV" in fr-CA, trailing blank rows included.
		{"semicolon, Windows-1252, CRLF, French", windows1252(t, csvFile(frenchToo, ";", "\r\n")+";;;;\r\n;;;;\r\n"), ';', registry.EncodingWindows1252},
		{"comma, Windows-1252, CR only", windows1252(t, csvFile(english, ",", "\r")), ',', registry.EncodingWindows1252},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := registry.ReadImport(tt.file)
			if len(f.Problems) > 0 {
				t.Fatalf("problems %+v", f.Problems)
			}
			if f.Separator != tt.sep || f.Encoding != tt.encoding {
				t.Errorf("separator %q, encoding %s", f.Separator, f.Encoding)
			}
			if got := rowValues(f.Rows); !reflect.DeepEqual(got, want) {
				t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if strings.HasPrefix(f.Text, "\ufeff") || !strings.Contains(f.Text, "Québec") {
				t.Errorf("text %q", f.Text)
			}
			t.Run("text round-trips", func(t *testing.T) {
				again := registry.ReadImport([]byte(f.Text))
				if again.Encoding != registry.EncodingUTF8 || again.Separator != f.Separator ||
					!reflect.DeepEqual(rowValues(again.Rows), want) || len(again.Problems) > 0 {
					t.Fatalf("read again: %+v", again)
				}
			})
			t.Run("ParseImport agrees", func(t *testing.T) {
				rows, err := registry.ParseImport(strings.NewReader(string(tt.file)))
				if err != nil || !reflect.DeepEqual(rowValues(rows), want) {
					t.Fatalf("%v %v", rowValues(rows), err)
				}
			})
		})
	}
}

func TestReadImportBadLines(t *testing.T) {
	const header = "name;website;region;contact_email;consent_public\n"
	tests := []struct {
		name     string
		file     string
		good     int
		problems []registry.Problem
	}{
		{"a bad region", header +
			"Acme;https://acme.example;Laval;;oui\n" +
			"Bad;https://bad.example;Paris;;oui\n" +
			"Zed;https://zed.example;Estrie;;non\n",
			2, []registry.Problem{{Field: "region", Rule: registry.RuleRegion, Line: 3}}},
		{"a repeated website", header +
			"Acme;https://acme.example;Laval;;oui\n" +
			"Acme again;https://www.acme.example/;Laval;;oui\n",
			1, []registry.Problem{{Field: "website", Rule: registry.RuleDuplicate, Line: 3}}},
		{"a line CSV cannot read, and a bad one after it", header +
			"Acme;https://acme.example;Laval;;oui\n" +
			"Bare \"quote;https://q.example;Laval;;oui\n" +
			"Zed;https://zed.example;Estrie;;peut-être\n" +
			"Ok;https://ok.example;Estrie;;non\n",
			2, []registry.Problem{{Field: "file", Rule: registry.RuleCSV, Line: 3}, {Field: "consent_public", Rule: registry.RuleBoolean, Line: 4}}},
		{"a quoted cell over two lines keeps the next line's number", header +
			"\"Two\nlines\";https://two.example;Laval;;oui\n" +
			"Bad;https://bad.example;Paris;;oui\n",
			0, []registry.Problem{{Field: "name", Rule: registry.RuleControl, Line: 2}, {Field: "region", Rule: registry.RuleRegion, Line: 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := registry.ReadImport([]byte(tt.file))
			if len(f.Rows) != tt.good || !reflect.DeepEqual(f.Problems, tt.problems) {
				t.Fatalf("%d rows %v, problems %+v", len(f.Rows), rowValues(f.Rows), f.Problems)
			}
			_, err := registry.ParseImport(strings.NewReader(tt.file))
			var iv *registry.Invalid
			if !errors.As(err, &iv) || !reflect.DeepEqual(iv.Problems, tt.problems) {
				t.Fatalf("ParseImport: %v", err)
			}
			if want := fmt.Sprintf("line %d", tt.problems[0].Line); !strings.Contains(err.Error(), want) {
				t.Fatalf("%v does not name %s", err, want)
			}
		})
	}
}

func TestReadImportFileProblems(t *testing.T) {
	file := func(rule string, line int) []registry.Problem {
		return []registry.Problem{{Field: "file", Rule: rule, Line: line}}
	}
	tests := []struct {
		name string
		file []byte
		want []registry.Problem
	}{
		{"empty", nil, file(registry.RuleNoRows, 1)},
		{"only a BOM and blank lines", []byte("\ufeff\r\n\r\n"), file(registry.RuleNoRows, 1)},
		{"header only", []byte("nom;site web;région;courriel;consentement\r\n"), file(registry.RuleNoRows, 2)},
		{"header and blank rows", []byte("nom;site web;région;courriel;consentement\r\n;;;;\r\n"), file(registry.RuleNoRows, 2)},
		{"a PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), file(registry.RuleNotText, 1)},
		{"a workbook", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), file(registry.RuleNotText, 1)},
		{"UTF-16", []byte("\xff\xfen\x00a\x00m\x00e\x00"), file(registry.RuleNotText, 1)},
		{"a quote never closed in the header", []byte("\"name,website\n"), file(registry.RuleCSV, 1)},
		{"a column named twice", []byte("name,nom,website,region,contact_email,consent_public\nA,B,https://a.example,Laval,,oui\n"),
			[]registry.Problem{{Field: "name", Rule: registry.RuleColumnTwice, Line: 1}}},
		{"French header missing a column", []byte("nom;site web;courriel;consentement\n"),
			[]registry.Problem{{Field: "region", Rule: registry.RuleColumn, Line: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := registry.ReadImport(tt.file)
			if len(f.Rows) != 0 || !reflect.DeepEqual(f.Problems, tt.want) {
				t.Fatalf("rows %v, problems %+v", rowValues(f.Rows), f.Problems)
			}
		})
	}
}

// TestReadImportTooManyRows: a file one row too long and one far too long
// both say so once, at the first row too many, and keep no row past the
// limit; a file of exactly the limit is fine.
func TestReadImportTooManyRows(t *testing.T) {
	file := func(rows int) []byte {
		var b strings.Builder
		b.WriteString("name,website,region,contact_email,consent_public\n")
		for i := range rows {
			fmt.Fprintf(&b, "Co %d,https://co-%d.example,Laval,,oui\n", i, i)
		}
		return []byte(b.String())
	}
	want := []registry.Problem{{Field: "file", Rule: registry.RuleTooManyRows, Line: registry.MaxImportRows + 2}}
	for _, extra := range []int{1, 1, 500} {
		f := registry.ReadImport(file(registry.MaxImportRows + extra))
		if len(f.Rows) != registry.MaxImportRows || f.Rows[len(f.Rows)-1].Line != registry.MaxImportRows+1 || !reflect.DeepEqual(f.Problems, want) {
			t.Fatalf("%d too many: %d rows, problems %+v", extra, len(f.Rows), f.Problems)
		}
		if _, err := registry.ParseImport(strings.NewReader(string(file(registry.MaxImportRows + extra)))); !reflect.DeepEqual(problemsOf(err), want) {
			t.Fatalf("%d too many, parsed: %v", extra, err)
		}
	}
	if f := registry.ReadImport(file(registry.MaxImportRows)); len(f.Rows) != registry.MaxImportRows || len(f.Problems) != 0 {
		t.Fatalf("exactly the limit: %d rows, problems %+v", len(f.Rows), f.Problems)
	}
}

// TestImportFileMessages: the file-level rules of an import each have their
// own sentence, in both languages, and the one about the limit says the
// limit the code enforces.
func TestImportFileMessages(t *testing.T) {
	for _, c := range []struct{ rule, fr string }{
		{registry.RuleTooManyRows, "Le fichier dépasse 10\u00a0000 lignes de membres\u00a0: coupez-le en plusieurs fichiers."},
		{registry.RuleNoRows, "Le fichier ne contient aucune ligne de membre."},
	} {
		key := "rule." + c.rule
		if got := locale.FR.T(key); got != c.fr {
			t.Errorf("%s: %q, want %q", key, got, c.fr)
		}
		if en := locale.EN.T(key); en == key || en == c.fr {
			t.Errorf("%s in English: %q", key, en)
		}
	}
	for _, l := range []locale.Lang{locale.FR, locale.EN} {
		if limit := l.Int(registry.MaxImportRows); !strings.Contains(l.T("rule.too_many_rows"), limit) {
			t.Errorf("%s: %q does not say %s", l, l.T("rule.too_many_rows"), limit)
		}
	}
}

func problemsOf(err error) []registry.Problem {
	if iv, ok := err.(*registry.Invalid); ok {
		return iv.Problems
	}
	return nil
}

func FuzzReadImport(f *testing.F) {
	f.Add([]byte("nom;site web;région;courriel;consentement\r\nCaf\xe9;https://a.example;Montr\xe9al;;oui\r\n"))
	f.Add([]byte("\ufeffname,website,region,contact_email,consent_public\nAcme,https://a.example,Laval,,oui\n"))
	f.Add([]byte("name;website\r\"x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file := registry.ReadImport(b)
		if file.Separator != ',' && file.Separator != ';' {
			t.Fatalf("separator %q", file.Separator)
		}
		for _, r := range file.Rows {
			if r.Line < 2 || r.Member.Status != registry.StatusApproved || r.Member.WebsiteHost() == "" {
				t.Fatalf("row %+v", r)
			}
		}
		for _, p := range file.Problems {
			if p.Line < 1 || p.Field == "" || p.Rule == "" {
				t.Fatalf("problem %+v", p)
			}
		}
		again := registry.ReadImport([]byte(file.Text))
		if len(file.Problems) == 0 && !reflect.DeepEqual(rowValues(again.Rows), rowValues(file.Rows)) {
			t.Fatalf("text %q reads as %v, not %v", file.Text, rowValues(again.Rows), rowValues(file.Rows))
		}
	})
}

func TestReadImportHeaderAliases(t *testing.T) {
	for _, header := range []string{
		"name,website,region,contact_email,consent_public",
		"Nom,Site web,Région,Courriel,Consentement",
		"NOM,SITE-WEB,RÉGION,COURRIEL_CONTACT,CONSENTEMENT_PUBLIC",
		"Nom de l’entreprise,siteweb,region,Adresse courriel,consentement public",
		" nom , site_web , Region , courriel de contact , Consent_Public ",
		"Notes,nom,site web,région,courriel,consentement,Suivi", // the sheet's own columns are skipped
	} {
		t.Run(header, func(t *testing.T) {
			row := "Acme,https://acme.example,Laval,a@acme.example,VRAI"
			if strings.HasPrefix(header, "Notes") {
				row = "x," + row + ",y"
			}
			f := registry.ReadImport([]byte(header + "\n" + row + "\n"))
			want := []string{"2|Acme|https://acme.example|Laval|a@acme.example|true|approved"}
			if got := rowValues(f.Rows); len(f.Problems) > 0 || !reflect.DeepEqual(got, want) {
				t.Fatalf("rows %v, problems %+v", got, f.Problems)
			}
		})
	}
}
