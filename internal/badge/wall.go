package badge

import (
	"image/color"
	"strings"

	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/mark"
)

// Bounds of a wall of members, so that its drawings are few and small.
const (
	MaxWallTiles   = 48
	MaxWallColumns = 6
)

// Wall is a wall of members: the newest members' names in a grid of
// tiles, under a heading.
type Wall struct {
	Tiles []WallTile // newest first, at most MaxWallTiles
	// Total is how many members the wall stands for (in Region, when set),
	// which its title says.
	Total   int
	Region  string // a region's name; empty for all of Québec
	Columns int    // 1 to MaxWallColumns
}

// WallTile is one member on the wall.
type WallTile struct {
	Name, Region string
}

// wallPalette is the colours of a wall. Every text colour meets WCAG AA on
// its tile or on the background (TestWallContrast).
type wallPalette struct {
	Bg, TileBg, Heading, Name, Region, Mark color.NRGBA
}

var wallPalettes = map[Theme]wallPalette{
	Light: {rgb(0xFFFFFF), rgb(0xE8EDF5), rgb(0x1A2B4C), rgb(0x1A2B4C), rgb(0x4A5568), rgb(0x003DA5)},
	Dark:  {rgb(0x111418), rgb(0x1C2230), rgb(0xE6EBF4), rgb(0xE6EBF4), rgb(0xB4BCC8), rgb(0x9CC0FF)},
}

// The wall's geometry in CSS pixels. Names and the heading share the bold
// face at one size and regions the regular face at another, because a
// glyph's id names its face and rune, not its size.
const (
	wallPad, wallGap       = 16, 8
	wallTileW, wallTileH   = 240, 56
	wallTop                = 48 // where the first row of tiles starts
	wallBoldSize           = 13
	wallRegularSize        = 11.5
	wallMark, wallTileMark = 22, 20
	wallTextX              = 12 + wallTileMark + 10 // from a tile's left edge
	wallTextMax            = wallTileW - wallTextX - 12
)

// WallSVG draws the wall as an SVG document, its text as glyph outlines
// like every badge (see SVG), so that it looks the same in every renderer
// with or without fonts. A name too long for its tile ends in an ellipsis;
// the title and aria-label say the count and every name in full.
func (r *Renderer) WallSVG(wl Wall, o Options) []byte {
	tiles := wl.Tiles[:min(len(wl.Tiles), MaxWallTiles)]
	cols := max(1, min(wl.Columns, MaxWallColumns, max(len(tiles), 1)))
	rows := max(1, (len(tiles)+cols-1)/cols)
	width := 2*wallPad + cols*wallTileW + (cols-1)*wallGap
	height := wallTop + rows*wallTileH + (rows-1)*wallGap + wallPad
	pal := wallPalettes[Light]
	if o.Theme == Dark {
		pal = wallPalettes[Dark]
	}

	heading := o.Lang.T("wall.heading")
	if wl.Region != "" {
		heading += " · " + wl.Region
	}
	bold, regular := styleSpec{size: wallBoldSize}, styleSpec{size: wallRegularSize}
	headRun := r.place(r.fit(heading, r.bold, wallBoldSize, float64(width-2*wallPad-wallMark-8)), r.bold, bold)
	headRun.x = wallPad + wallMark + 8
	var names, regions []run
	for i, t := range tiles {
		x, y := tileAt(i, cols)
		n := r.place(r.fit(t.Name, r.bold, wallBoldSize, wallTextMax), r.bold, bold)
		n.x, n.y = float64(x+wallTextX), float64(y+25)
		g := r.place(r.fit(t.Region, r.regular, wallRegularSize, wallTextMax), r.regular, regular)
		g.x, g.y = float64(x+wallTextX), float64(y+43)
		names, regions = append(names, n), append(regions, g)
	}
	if len(tiles) == 0 {
		n := r.place(r.fit(o.Lang.T("wall.empty"), r.regular, wallRegularSize, wallTileW-24), r.regular, regular)
		n.x, n.y = wallPad+12, wallTop+33
		regions = append(regions, n)
	}

	title := esc(wallTitle(wl, tiles, o.Lang))
	w := make([]byte, 0, 16<<10)
	w = appendInt(append(w, `<svg xmlns="http://www.w3.org/2000/svg" width="`...), width)
	w = appendInt(append(w, `" height="`...), height)
	w = appendInt(append(w, `" viewBox="0 0 `...), width)
	w = appendInt(append(w, ' '), height)
	w = append(append(w, `" role="img" aria-label="`...), title...)
	w = append(append(append(w, `" xml:lang="`...), o.Lang...), `">`...)
	w = append(append(append(w, `<title>`...), title...), `</title>`...)
	if o.Theme == Auto {
		d := wallPalettes[Dark]
		w = appendHex(append(w, `<style>@media (prefers-color-scheme:dark){.wb{fill:`...), d.Bg)
		w = appendHex(append(w, `}.wt{fill:`...), d.TileBg)
		w = appendHex(append(w, `}.wh{fill:`...), d.Heading)
		w = appendHex(append(w, `}.wn{fill:`...), d.Name)
		w = appendHex(append(w, `}.wr{fill:`...), d.Region)
		w = appendHex(append(w, `}.wm{fill:`...), d.Mark)
		w = append(w, `}}</style>`...)
	}
	w = append(append(append(w, `<defs><path id="mk" d="`...), r.mark.D...), `"/></defs>`...)
	w = r.appendDefs(w, wallBoldSize, append([]run{headRun}, names...)...)
	w = r.appendDefs(w, wallRegularSize, regions...)
	w = appendInt(append(w, `<rect class="wb" width="`...), width)
	w = appendInt(append(w, `" height="`...), height)
	w = appendHex(append(w, `" rx="8" fill="`...), pal.Bg)
	w = append(w, `"/>`...)
	w = appendMark(w, pal.Mark, wallPad, wallPad-3, wallMark)
	w = r.appendPlaced(w, "wh", headRun, wallPad+15, pal.Heading, wallBoldSize)
	for i := range max(len(tiles), 1) {
		x, y := tileAt(i, cols)
		w = appendInt(append(w, `<rect class="wt" x="`...), x)
		w = appendInt(append(w, `" y="`...), y)
		w = appendInt(append(w, `" width="`...), wallTileW)
		w = appendInt(append(w, `" height="`...), wallTileH)
		w = appendHex(append(w, `" rx="6" fill="`...), pal.TileBg)
		w = append(w, `"/>`...)
		if i < len(tiles) {
			w = appendMark(w, pal.Mark, float64(x+12), float64(y+(wallTileH-wallTileMark)/2), wallTileMark)
		}
	}
	for i := range names {
		w = r.appendPlaced(w, "wn", names[i], names[i].y, pal.Name, wallBoldSize)
	}
	for i := range regions {
		w = r.appendPlaced(w, "wr", regions[i], regions[i].y, pal.Region, wallRegularSize)
	}
	return append(w, `</svg>`...)
}

// tileAt is the top-left corner of the i-th tile.
func tileAt(i, cols int) (x, y int) {
	return wallPad + (i%cols)*(wallTileW+wallGap), wallTop + (i/cols)*(wallTileH+wallGap)
}

// wallTitle is the wall's accessible name: the count and every name shown.
func wallTitle(wl Wall, tiles []WallTile, l locale.Lang) string {
	count := l.Plural(wl.Total, "home.count")
	if wl.Region != "" {
		count += " · " + wl.Region
	}
	if len(tiles) == 0 {
		return l.T("wall.title.empty", count)
	}
	names := make([]string, len(tiles))
	for i, t := range tiles {
		names[i] = t.Name
	}
	return l.T("wall.title", count, strings.Join(names, ", "))
}

// appendMark places the mark defined in <defs> with its top-left corner at
// (x, y) and side size.
func appendMark(w []byte, c color.NRGBA, x, y, size float64) []byte {
	w = appendHex(append(w, `<use href="#mk" class="wm" fill="`...), c)
	w = appendNum(append(w, `" transform="translate(`...), x)
	w = appendNum(append(w, ' '), y)
	w = appendNum(append(w, `) scale(`...), size/mark.ViewBox)
	return append(w, `)"/>`...)
}

// appendPlaced draws a run on the baseline y.
func (r *Renderer) appendPlaced(w []byte, class string, t run, y float64, c color.NRGBA, size float64) []byte {
	w = appendNum(append(w, `<g transform="translate(0 `...), y)
	w = append(w, `)">`...)
	w = r.appendRun(w, class, t, c, size)
	return append(w, `</g>`...)
}

// fit returns text as it fits in max px at size: whole, or cut at a
// letter and ended with an ellipsis.
func (r *Renderer) fit(text string, face *typeface, size, max float64) string {
	adv := face.advances(text, size, 0)
	if sum(adv) <= max {
		return text
	}
	ellipsis := sum(face.advances("…", size, 0))
	runes, used := []rune(text), 0.0
	for i, a := range adv {
		if used+a+ellipsis > max {
			return strings.TrimRight(string(runes[:i]), " ") + "…"
		}
		used += a
	}
	return text
}
