// Package badgetest reads badges back the way an outside verifier would:
// PNG chunks walked by hand from the PNG and Open Badges baking
// specifications, and SVG parsed as XML. Tests of the badge, qr and web
// packages share it.
package badgetest

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// Chunk is one PNG chunk.
type Chunk struct {
	Type string
	Data []byte
}

// Chunks splits a PNG into its chunks, checking the signature and each CRC
// (PNG specification, section 5).
func Chunks(png []byte) ([]Chunk, error) {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(png, []byte(sig)) {
		return nil, errors.New("not a PNG signature")
	}
	var out []Chunk
	for p := png[len(sig):]; len(p) > 0; {
		if len(p) < 12 {
			return nil, errors.New("truncated chunk")
		}
		n := binary.BigEndian.Uint32(p)
		if uint64(n)+12 > uint64(len(p)) {
			return nil, errors.New("chunk longer than the file")
		}
		typ, data := p[4:8], p[8:8+n]
		if crc32.ChecksumIEEE(p[4:8+n]) != binary.BigEndian.Uint32(p[8+n:]) {
			return nil, fmt.Errorf("bad CRC in %s", typ)
		}
		out = append(out, Chunk{Type: string(typ), Data: data})
		p = p[12+n:]
	}
	if len(out) == 0 || out[len(out)-1].Type != "IEND" {
		return nil, errors.New("no IEND at the end")
	}
	return out, nil
}

// Baked returns the texts of every iTXt chunk with keyword "openbadges"
// (Open Badges 2.0 baking: keyword, NUL, compression flag, compression
// method, language tag, NUL, translated keyword, NUL, text). It fails on a
// compressed one: the specification's chunk is uncompressed.
func Baked(png []byte) ([]string, error) {
	chunks, err := Chunks(png)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range chunks {
		if c.Type != "iTXt" {
			continue
		}
		keyword, rest, ok := bytes.Cut(c.Data, []byte{0})
		if !ok || len(rest) < 2 {
			return nil, errors.New("malformed iTXt")
		}
		if string(keyword) != "openbadges" {
			continue
		}
		if rest[0] != 0 {
			return nil, errors.New("openbadges iTXt is compressed")
		}
		_, rest, ok1 := bytes.Cut(rest[2:], []byte{0}) // language tag
		_, text, ok2 := bytes.Cut(rest, []byte{0})     // translated keyword
		if !ok1 || !ok2 {
			return nil, errors.New("malformed iTXt")
		}
		out = append(out, string(text))
	}
	return out, nil
}

// SVG is what a test reads of an SVG badge.
type SVG struct {
	Width, Height string
	Lang          string // xml:lang
	Role          string // role
	Label         string // aria-label
	Title         string // text of <title>
	// Texts is the text of every <text>, and of every group of glyph
	// outlines placed with <use>, read from the glyphs' ids ("r" or "b"
	// and the rune in hexadecimal, as badge.SVG names them). A glyph
	// without ink (a space) is not drawn, so not read: compare with Inked.
	Texts      []string
	Assertions []string // verify of every openbadges:assertion
}

// forbidden are elements that can run or fetch something. <use> is allowed:
// it may link only to a fragment of the same document, as every href.
var forbidden = map[string]bool{"script": true, "foreignObject": true, "iframe": true, "object": true,
	"embed": true, "image": true, "a": true, "audio": true, "video": true, "animate": true, "set": true}

// ParseSVG parses an SVG badge as XML. It fails unless the root is <svg>
// and nothing in it can run or load anything: no script or foreign
// elements, no event attribute, no link other than to a fragment.
func ParseSVG(data []byte) (*SVG, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		s      SVG
		depth  int
		stack  []string
		glyphs [][]rune // the glyphs of each open <g>
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 && (t.Name.Local != "svg" || t.Name.Space != "http://www.w3.org/2000/svg") {
				return nil, fmt.Errorf("root is <%s>, not <svg>", t.Name.Local)
			}
			if forbidden[t.Name.Local] {
				return nil, fmt.Errorf("active element <%s>", t.Name.Local)
			}
			for _, a := range t.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					return nil, fmt.Errorf("event attribute %s", a.Name.Local)
				}
				if a.Name.Local == "href" && !strings.HasPrefix(a.Value, "#") {
					return nil, fmt.Errorf("external link %q", a.Value)
				}
				if strings.Contains(a.Value, "url(") && !strings.HasPrefix(a.Value, "url(#") {
					return nil, fmt.Errorf("external url in %s", a.Name.Local)
				}
				if depth == 0 {
					switch {
					case a.Name.Local == "width":
						s.Width = a.Value
					case a.Name.Local == "height":
						s.Height = a.Value
					case a.Name.Local == "lang" && a.Name.Space == "http://www.w3.org/XML/1998/namespace":
						s.Lang = a.Value
					case a.Name.Local == "role":
						s.Role = a.Value
					case a.Name.Local == "aria-label":
						s.Label = a.Value
					}
				}
				if t.Name.Local == "assertion" && t.Name.Space == "http://openbadges.org" && a.Name.Local == "verify" {
					s.Assertions = append(s.Assertions, a.Value)
				}
			}
			switch t.Name.Local {
			case "g":
				glyphs = append(glyphs, nil)
			case "use":
				if r, ok := glyphRune(t.Attr); ok && len(glyphs) > 0 {
					glyphs[len(glyphs)-1] = append(glyphs[len(glyphs)-1], r)
				}
			}
			depth++
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			depth--
			stack = stack[:len(stack)-1]
			if t.Name.Local == "g" && len(glyphs) > 0 {
				if g := glyphs[len(glyphs)-1]; len(g) > 0 {
					s.Texts = append(s.Texts, string(g))
				}
				glyphs = glyphs[:len(glyphs)-1]
			}
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch stack[len(stack)-1] {
			case "title":
				s.Title += string(t)
			case "text":
				s.Texts = append(s.Texts, string(t))
			case "style":
				if strings.Contains(string(t), "url(") || strings.Contains(string(t), "@import") {
					return nil, errors.New("style loads something")
				}
			}
		}
	}
	if depth != 0 || s.Width == "" {
		return nil, errors.New("not a complete <svg> document")
	}
	return &s, nil
}

// glyphRune reads the rune a glyph <use> names in its href: "#b6d" is a
// bold "m".
func glyphRune(attrs []xml.Attr) (rune, bool) {
	for _, a := range attrs {
		if a.Name.Local != "href" || len(a.Value) < 3 || a.Value[0] != '#' || (a.Value[1] != 'r' && a.Value[1] != 'b') {
			continue
		}
		n, err := strconv.ParseUint(a.Value[2:], 16, 32)
		if err == nil {
			return rune(n), true
		}
	}
	return 0, false
}

// Inked is s as glyph outlines read it back: without its spaces, which
// have no ink.
func Inked(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Difference is how far apart two images of the same size are.
type Difference struct {
	// Mean is the mean absolute difference of all channels, 0 to 1.
	Mean float64
	// Changed is the share of pixels where some channel differs by more
	// than a quarter of its range: what an eye would call different.
	Changed float64
}

func (d Difference) String() string {
	return fmt.Sprintf("mean channel difference %.2f%%, %.2f%% of pixels visibly different", 100*d.Mean, 100*d.Changed)
}

// Diff compares two images pixel by pixel in non-premultiplied RGBA;
// images of different sizes are entirely different.
func Diff(a, b image.Image) Difference {
	if a.Bounds().Size() != b.Bounds().Size() {
		return Difference{Mean: 1, Changed: 1}
	}
	var sum float64
	var changed int
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			p := color.NRGBAModel.Convert(a.At(ab.Min.X+x, ab.Min.Y+y)).(color.NRGBA)
			q := color.NRGBAModel.Convert(b.At(bb.Min.X+x, bb.Min.Y+y)).(color.NRGBA)
			// Fully transparent pixels have no colour to compare.
			if p.A == 0 && q.A == 0 {
				continue
			}
			worst := 0
			for _, d := range []int{absDiff(p.R, q.R), absDiff(p.G, q.G), absDiff(p.B, q.B), absDiff(p.A, q.A)} {
				sum += float64(d)
				worst = max(worst, d)
			}
			if worst > 64 {
				changed++
			}
		}
	}
	n := float64(ab.Dx() * ab.Dy())
	return Difference{Mean: sum / (4 * 255 * n), Changed: float64(changed) / n}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
