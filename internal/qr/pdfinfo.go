package qr

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf16"
)

// withInfo gives doc a document information dictionary with title and
// creator, appended as an incremental update (ISO 32000 7.5.6): one new
// object, its cross-reference section and a trailer pointing to it and
// back to the original. gopdf writes its own dictionary inline in the
// trailer and spells each character as its code point in hex, which
// breaks every character beyond U+FFFF (an emoji becomes five digits);
// here each string is UTF-16BE with its byte-order mark, surrogate pairs
// included, so any name reads back as it was typed.
func withInfo(doc []byte, title, creator string) ([]byte, error) {
	tail := doc[max(0, len(doc)-4096):]
	prev, err := lastNumber(tail, `startxref\s+(\d+)`)
	if err != nil {
		return nil, err
	}
	size, err := lastNumber(tail, `/Size\s+(\d+)`)
	if err != nil {
		return nil, err
	}
	root := regexp.MustCompile(`/Root\s+(\d+\s+\d+\s+R)`).FindAllSubmatch(tail, -1)
	if len(root) == 0 {
		return nil, fmt.Errorf("pdf info: no /Root in the trailer")
	}
	var b bytes.Buffer
	b.Write(doc)
	if !bytes.HasSuffix(doc, []byte("\n")) {
		b.WriteByte('\n')
	}
	at := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Title %s /Creator %s /Producer %s >>\nendobj\n", size, textString(title), textString(creator), textString(creator))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n%d 1\n%010d 00000 n \n", size, at)
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %s /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", size+1, root[len(root)-1][1], size, prev, xref)
	return b.Bytes(), nil
}

// lastNumber is the number in the last match of pattern in b.
func lastNumber(b []byte, pattern string) (int, error) {
	all := regexp.MustCompile(pattern).FindAllSubmatch(b, -1)
	if len(all) == 0 {
		return 0, fmt.Errorf("pdf info: no %s in the trailer", pattern)
	}
	return strconv.Atoi(string(all[len(all)-1][1]))
}

// textString is s as a PDF text string: UTF-16BE with a byte-order mark,
// in hex, so no character of s is PDF syntax.
func textString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}
