package badge

import "image/color"

// palette is the colours of one badge: the label segment (with the mark) on
// the left, the message segment on the right.
type palette struct {
	LabelBg, LabelFg, Mark, MessageBg, MessageFg color.NRGBA
}

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// Québec blue (the flag's) carries the brand in light; a lighter blue does in
// dark. Every text colour meets WCAG AA (4.5:1) on its background, gradients
// included: TestContrast checks it.
var palettes = map[Theme]map[Kind]palette{
	Light: {
		Member:    {rgb(0xE8EDF5), rgb(0x1A2B4C), rgb(0x003DA5), rgb(0x003DA5), rgb(0xFFFFFF)},
		NotMember: {rgb(0xE8EDF5), rgb(0x1A2B4C), rgb(0x5A6270), rgb(0x5A6270), rgb(0xFFFFFF)},
		Invalid:   {rgb(0xE8EDF5), rgb(0x1A2B4C), rgb(0x5A6270), rgb(0xA8231B), rgb(0xFFFFFF)},
		NoEvent:   {rgb(0xE8EDF5), rgb(0x1A2B4C), rgb(0x5A6270), rgb(0x5A6270), rgb(0xFFFFFF)},
		Count:     {rgb(0xE8EDF5), rgb(0x1A2B4C), rgb(0x003DA5), rgb(0x003DA5), rgb(0xFFFFFF)},
		// Unavailable had no colours of its own, so drew transparent.
		Unavailable: {rgb(0xE8EDF5), rgb(0x1A2B4C), rgb(0x5A6270), rgb(0x5A6270), rgb(0xFFFFFF)},
	},
	Dark: {
		Member:      {rgb(0x1C2230), rgb(0xE6EBF4), rgb(0x9CC0FF), rgb(0x9CC0FF), rgb(0x06142E)},
		NotMember:   {rgb(0x1C2230), rgb(0xE6EBF4), rgb(0xB4BCC8), rgb(0xB4BCC8), rgb(0x111418)},
		Invalid:     {rgb(0x1C2230), rgb(0xE6EBF4), rgb(0xB4BCC8), rgb(0xF5B7B1), rgb(0x3D0A06)},
		NoEvent:     {rgb(0x1C2230), rgb(0xE6EBF4), rgb(0xB4BCC8), rgb(0xB4BCC8), rgb(0x111418)},
		Count:       {rgb(0x1C2230), rgb(0xE6EBF4), rgb(0x9CC0FF), rgb(0x9CC0FF), rgb(0x06142E)},
		Unavailable: {rgb(0x1C2230), rgb(0xE6EBF4), rgb(0xB4BCC8), rgb(0xB4BCC8), rgb(0x111418)},
	},
}

// paletteFor returns the colours a raster image is drawn in: Auto is Light,
// since a PNG cannot follow the viewer's preference.
func paletteFor(t Theme, k Kind) palette {
	if t == Dark {
		return palettes[Dark][k]
	}
	return palettes[Light][k]
}

// progressBar is the goal bar's fill, on a track that darkens the badge's
// bottom edge.
var progressBar = rgb(0xF2B705)
