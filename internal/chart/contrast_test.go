package chart

import (
	"math"
	"slices"
	"strconv"
	"testing"
)

// TestContrast checks WCAG 2.1 against the white page: marks (bars, axes,
// the line) at least 3:1, colours that text is written in at least 4.5:1
// (the tick labels are in the series' colours).
func TestContrast(t *testing.T) {
	for name, c := range map[string]string{"text": textColor, "bar and left ticks": barColor, "line and right ticks": lineColor, "axis": axisColor} {
		if r := contrast(c, white); r < 4.5 {
			t.Errorf("%s %s: %.2f:1 on white", name, c, r)
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// luminance is WCAG 2's relative luminance of a #rrggbb colour.
func luminance(hex string) float64 {
	lin := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(0) + 0.7152*lin(1) + 0.0722*lin(2)
}

func TestTicks(t *testing.T) {
	for top, want := range map[int][]int{
		0: {0}, 1: {0, 1}, 3: {0, 1, 2, 3}, 7: {0, 2, 4, 6, 8}, 12: {0, 5, 10, 15},
		40: {0, 10, 20, 30, 40}, 1234: {0, 500, 1000, 1500}, maxValue: {0, 500_000_000_000, 1_000_000_000_000},
	} {
		if got := ticks(top); !slices.Equal(got, want) {
			t.Errorf("ticks(%d) = %v, want %v", top, got, want)
		}
	}
}
