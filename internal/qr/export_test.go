package qr

import (
	"image"

	"github.com/fogleman/gg"
)

// DrawnImage is the code drawn the way PNG drew it before it wrote its rows
// itself: every pixel looked up in the module grid, then, with a logo, the
// mark drawn by gg on a canvas the size of the whole image. Tests hold
// PNG's pixels to it.
func (c *Code) DrawnImage(size int) (*image.RGBA, error) {
	k := size / c.Modules()
	origin := (size - k*c.n) / 2
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			img.Set(x, y, light)
			mx, my := x-origin, y-origin
			if mx >= 0 && my >= 0 && mx < c.n*k && my < c.n*k && c.Dark(mx/k, my/k) {
				img.Set(x, y, dark)
			}
		}
	}
	if !c.logo {
		return img, nil
	}
	m, err := loadMark()
	if err != nil {
		return nil, err
	}
	dc := gg.NewContextForRGBA(img)
	at, side := c.plateRect()
	dc.SetColor(brand)
	m.Draw(dc, float64(origin+(at+markMargin)*k), float64(origin+(at+markMargin)*k), float64((side-2*markMargin)*k))
	return img, nil
}

// WrapText is the posters' line breaking, for a width counted in runes.
func WrapText(str string, w int) []string {
	return wrapText(str, float64(w), func(t string) float64 { return float64(len([]rune(t))) })
}
