package qr

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"io"
	"sync"
)

// pngFormat is how a PNG stores its pixels: the IHDR's bit depth and
// colour type.
type pngFormat struct {
	depth, colourType byte
}

var (
	// grey1 stores a pixel in one bit, 0 black and 1 white: all the
	// modules need, and eight times less to compress than a byte a pixel.
	grey1 = pngFormat{depth: 1, colourType: 0}
	// rgb8 stores a pixel in three bytes. The mark's anti-aliased edge
	// holds more colours (488 at 4096 px) than a palette's 256.
	rgb8 = pngFormat{depth: 8, colourType: 2}
)

// bitsPerPixel is the width of one pixel in a row.
func (f pngFormat) bitsPerPixel() int {
	if f.colourType == 2 {
		return 3 * int(f.depth)
	}
	return int(f.depth)
}

// rowBytes is the length of a row of width pixels, its filter byte
// excluded.
func (f pngFormat) rowBytes(width int) int { return (width*f.bitsPerPixel() + 7) / 8 }

// pngSignature opens every PNG file.
const pngSignature = "\x89PNG\r\n\x1a\n"

// zlibWriters keeps compressors between images: a fresh one allocates
// over a megabyte. BestSpeed, because the rows repeat a module's height
// at a time and the fast matcher finds those repeats too.
var zlibWriters = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

// encodePNG writes a side × side PNG in format f whose pixel rows, each
// led by its filter byte, are what rows writes. The rows are compressed
// straight into the IDAT chunk: no image, no copy of the pixels.
func encodePNG(side int, f pngFormat, rows func(io.Writer) error) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString(pngSignature)
	ihdr := make([]byte, 13) // compression, filter and interlace methods stay 0
	binary.BigEndian.PutUint32(ihdr[0:], uint32(side))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(side))
	ihdr[8], ihdr[9] = f.depth, f.colourType
	writeChunk(&out, "IHDR", ihdr)
	if err := writeIDAT(&out, rows); err != nil {
		return nil, err
	}
	writeChunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

// writeChunk appends one chunk: length, type, data and the CRC of type
// and data.
func writeChunk(out *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	start := out.Len()
	out.WriteString(typ)
	out.Write(data)
	binary.BigEndian.PutUint32(n[:], crc32.ChecksumIEEE(out.Bytes()[start:]))
	out.Write(n[:])
}

// writeIDAT appends the one IDAT chunk. Its length is known only once the
// stream is closed, so it is written in place afterwards.
func writeIDAT(out *bytes.Buffer, rows func(io.Writer) error) error {
	at := out.Len()
	out.WriteString("\x00\x00\x00\x00IDAT")
	zw := zlibWriters.Get().(*zlib.Writer)
	defer zlibWriters.Put(zw)
	zw.Reset(out)
	if err := rows(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	chunk := out.Bytes()[at:]
	binary.BigEndian.PutUint32(chunk, uint32(len(chunk)-8))
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc32.ChecksumIEEE(chunk[4:]))
	out.Write(sum[:])
	return nil
}
