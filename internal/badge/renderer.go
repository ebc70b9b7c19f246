package badge

import (
	"bytes"
	"image/png"
	"sync"

	"golang.org/x/image/font"

	"github.com/technopolys/technopolys/internal/mark"
)

// Renderer draws badges. It holds the parsed fonts and mark, rasterised
// glyphs and pooled encoder buffers; it is safe for concurrent use, and what
// it draws depends only on the badge and the options.
type Renderer struct {
	regular, bold *typeface
	mark          *mark.Mark
	glyphs        glyphCache
	outlines      outlineCache
	encoder       png.Encoder
	buffers       sync.Pool // *bytes.Buffer for encoded PNGs
}

// New loads the embedded fonts and mark.
func New() (*Renderer, error) {
	regular, err := loadTypeface("Go-Regular.ttf", "normal")
	if err != nil {
		return nil, err
	}
	bold, err := loadTypeface("Go-Bold.ttf", "bold")
	if err != nil {
		return nil, err
	}
	m, err := mark.Load()
	if err != nil {
		return nil, err
	}
	r := &Renderer{regular: regular, bold: bold, mark: m}
	r.glyphs.faces = map[faceKey]font.Face{}
	r.glyphs.glyphs = map[glyphKey]*glyph{}
	r.encoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &encoderBuffers{}}
	r.buffers.New = func() any { return new(bytes.Buffer) }
	return r, nil
}

// encoderBuffers lets the PNG encoder reuse its scratch buffers between
// badges instead of allocating them for each.
type encoderBuffers struct{ pool sync.Pool }

func (p *encoderBuffers) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *encoderBuffers) Put(b *png.EncoderBuffer) { p.pool.Put(b) }
