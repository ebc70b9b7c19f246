package badgetest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// An Open Badges 2.0 reader written from the baking specification
// (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/baking/index.html)
// and the Assertion's required properties
// (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html#Assertion),
// not from the code that bakes.

// openBadgesNS is the namespace of the SVG's <openbadges:assertion>.
const openBadgesNS = "http://openbadges.org"

// Unbaked is what a baked image carries.
type Unbaked struct {
	// Text is the iTXt chunk's text (PNG) or the CDATA (SVG).
	Text string
	// Verify is the SVG element's verify attribute; empty for a PNG.
	Verify string
}

// Unbake reads the Open Badges data baked into a PNG or an SVG. It fails
// unless there is exactly one, placed and encoded as the specification says.
func Unbake(image []byte) (*Unbaked, error) {
	if bytes.HasPrefix(image, []byte("\x89PNG")) {
		texts, err := Baked(image)
		if err != nil {
			return nil, err
		}
		if len(texts) != 1 {
			return nil, fmt.Errorf("%d openbadges iTXt chunks, want 1", len(texts))
		}
		return &Unbaked{Text: texts[0]}, nil
	}
	return unbakeSVG(image)
}

// unbakeSVG finds <openbadges:assertion> as the first thing inside the root
// <svg> (whitespace aside), its verify attribute, and its content, which
// must be one CDATA section.
func unbakeSVG(data []byte) (*Unbaked, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		u     Unbaked
		depth int
		found bool
	)
	for {
		before := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		raw := data[before:d.InputOffset()]
		switch t := tok.(type) {
		case xml.StartElement:
			isAssertion := t.Name.Space == openBadgesNS && t.Name.Local == "assertion"
			switch {
			case depth == 0 && t.Name.Local != "svg":
				return nil, fmt.Errorf("root is <%s>", t.Name.Local)
			case isAssertion && found:
				return nil, errors.New("more than one openbadges:assertion")
			case isAssertion && depth != 1:
				return nil, errors.New("openbadges:assertion is not a child of <svg>")
			case isAssertion:
				found = true
				for _, a := range t.Attr {
					if a.Name.Local == "verify" && a.Name.Space == "" {
						u.Verify = a.Value
					}
				}
				text, err := cdataContent(d, data)
				if err != nil {
					return nil, err
				}
				u.Text = text
				continue // cdataContent consumed the end tag
			case depth == 1 && !found:
				return nil, fmt.Errorf("<%s> comes before openbadges:assertion, which must follow <svg> directly", t.Name.Local)
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 1 && !found && len(bytes.TrimSpace(raw)) > 0 {
				return nil, errors.New("text before openbadges:assertion")
			}
		}
	}
	if !found {
		return nil, errors.New("no openbadges:assertion")
	}
	return &u, nil
}

// cdataContent reads an element's content up to its end tag and requires it
// to be one CDATA section (encoding/xml gives CDATA as CharData, so the raw
// bytes tell).
func cdataContent(d *xml.Decoder, data []byte) (string, error) {
	var text string
	sections := 0
	for {
		before := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return "", fmt.Errorf("openbadges:assertion: %w", err)
		}
		raw := data[before:d.InputOffset()]
		switch t := tok.(type) {
		case xml.EndElement:
			if sections != 1 {
				return "", fmt.Errorf("openbadges:assertion holds %d CDATA sections, want 1", sections)
			}
			return text, nil
		case xml.CharData:
			if !bytes.HasPrefix(raw, []byte("<![CDATA[")) {
				if len(bytes.TrimSpace(raw)) > 0 {
					return "", errors.New("openbadges:assertion holds text outside CDATA")
				}
				continue
			}
			sections++
			text = string(t)
		default:
			return "", fmt.Errorf("openbadges:assertion holds %T", tok)
		}
	}
}

// Assertion is an Open Badges 2.0 Assertion as a reader checks it.
type Assertion struct {
	Context   string `json:"@context"`
	Type      string `json:"type"`
	ID        string `json:"id"`
	Recipient struct {
		Type     string `json:"type"`
		Identity string `json:"identity"`
		Hashed   bool   `json:"hashed"`
		Salt     string `json:"salt"`
	} `json:"recipient"`
	Badge        string `json:"badge"`
	Verification struct {
		Type string `json:"type"`
	} `json:"verification"`
	IssuedOn string `json:"issuedOn"`
	Image    string `json:"image"`
	Evidence string `json:"evidence"`
}

// ParseAssertion reads baked or hosted JSON as an Assertion and checks what
// the specification requires of a hosted one: the v2 context, type
// Assertion, an HTTP(S) id, a recipient with a type and an identity (a
// hashed one "sha256$" or "md5$" and hex), a badge IRI, hosted
// verification and an ISO 8601 issuedOn.
func ParseAssertion(text string) (*Assertion, error) {
	var a Assertion
	if err := json.Unmarshal([]byte(text), &a); err != nil {
		return nil, fmt.Errorf("assertion is not JSON: %w", err)
	}
	var problems []string
	if a.Context != "https://w3id.org/openbadges/v2" {
		problems = append(problems, "@context "+a.Context)
	}
	if a.Type != "Assertion" {
		problems = append(problems, "type "+a.Type)
	}
	if !isHTTPURL(a.ID) {
		problems = append(problems, "id "+a.ID)
	}
	r := a.Recipient
	if r.Type == "" || r.Identity == "" {
		problems = append(problems, "recipient without type or identity")
	}
	if alg, sum, ok := strings.Cut(r.Identity, "$"); r.Hashed && (!ok || alg != "sha256" && alg != "md5" || strings.Trim(sum, "0123456789abcdef") != "") {
		problems = append(problems, "hashed identity "+r.Identity)
	}
	if !isHTTPURL(a.Badge) {
		problems = append(problems, "badge "+a.Badge)
	}
	if t := a.Verification.Type; t != "HostedBadge" && t != "hosted" {
		problems = append(problems, "verification "+t)
	}
	if _, err := time.Parse(time.RFC3339, a.IssuedOn); err != nil {
		problems = append(problems, "issuedOn "+a.IssuedOn)
	}
	if len(problems) > 0 {
		return nil, errors.New("assertion: " + strings.Join(problems, "; "))
	}
	return &a, nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
