package badge_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/badge/badgetest"
	"github.com/technopolys/technopolys/internal/locale"
	"github.com/technopolys/technopolys/internal/testenv"
)

// headless starts Chromium with a profile of its own; minFont, when above
// zero, is the reader's minimum font size, set in the profile's
// preferences as the settings page does.
func headless(t *testing.T, minFont int) context.Context {
	t.Helper()
	exe := testenv.Chromium(t)
	profile := t.TempDir()
	if minFont > 0 {
		prefs, _ := json.Marshal(map[string]any{"webkit": map[string]any{"webprefs": map[string]any{
			"minimum_font_size": minFont, "minimum_logical_font_size": minFont}}})
		if err := os.MkdirAll(filepath.Join(profile, "Default"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(profile, "Default", "Preferences"), prefs, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(profile), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancel(); cancelCtx(); cancelAlloc() })
	return ctx
}

// shot is one badge on the test page: where it is and what our PNG says.
type shot struct {
	name string
	at   image.Rectangle
	png  image.Image
}

// badgePage serves every badge kind in every variant as SVG <img>s stacked
// down one page, each on white, and returns the PNGs they should look like.
func badgePage(t *testing.T) (*httptest.Server, []shot, int) {
	r := renderer(t)
	svgs := map[string][]byte{}
	var shots []shot
	var html strings.Builder
	html.WriteString(`<!doctype html><html><head><style>html,body{margin:0;background:#fff}img{position:absolute;left:0;display:block}</style></head><body>`)
	y := 0
	for _, name := range []string{"member", "notmember", "invalid", "noevent", "unavailable", "count", "goal", "region"} {
		b := everyKind[name]
		for _, st := range badge.Styles() {
			for _, th := range badge.Themes() {
				for _, l := range []locale.Lang{locale.FR, locale.EN} {
					o := badge.Options{Style: st, Theme: th, Lang: l, Scale: 1}
					id := fmt.Sprintf("%s-%s-%s-%s", name, st, th, l)
					svgs["/"+id+".svg"] = r.SVG(b, o)
					p, err := r.PNG(b, o)
					if err != nil {
						t.Fatal(err)
					}
					w, h := r.Size(b, o)
					fmt.Fprintf(&html, `<img src="/%s.svg" style="top:%dpx" width="%d" height="%d" alt="">`, id, y, w, h)
					shots = append(shots, shot{id, image.Rect(0, y, w, y+h), onWhite(decodePNG(t, p))})
					y += h + 4
				}
			}
		}
	}
	html.WriteString(`<p id="probe" style="position:absolute;left:600px;top:0;font-size:6px;margin:0">x</p></body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if s, ok := svgs[req.URL.Path]; ok {
			w.Header().Set("Content-Type", "image/svg+xml")
			w.Write(s)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(html.String()))
	}))
	t.Cleanup(srv.Close)
	return srv, shots, y
}

// onWhite lays an image over white, as the page shows it.
func onWhite(img image.Image) image.Image {
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Over)
	return out
}

// screenshot loads the page at device scale 1 and returns it, and the
// height of a 6 px probe text (what a minimum font size changes).
func screenshot(t *testing.T, ctx context.Context, url string, height int) (image.Image, float64) {
	if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(800, int64(height), chromedp.EmulateScale(1))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)`)); err != nil {
		t.Fatal(err)
	}
	probe, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.getElementById("probe").getBoundingClientRect().height`))
	if err != nil {
		t.Fatal(err)
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	return decodePNG(t, buf), probe
}

func crop(img image.Image, r image.Rectangle) image.Image {
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}

// chromiumBound is the largest mean channel difference allowed between our
// PNG and Chromium's rendering of the SVG.
const chromiumBound = 0.01

// TestPNGMatchesSVGInChromium shows every badge and count widget, in every
// variant, as an SVG <img> in headless Chromium at device scale 1 and
// compares each badge's box with our PNG at scale 1: within chromiumBound
// mean channel difference. Then again with a reader's minimum font size of 24 px: the
// text being outlines, the page's badges are the same pixels.
func TestPNGMatchesSVGInChromium(t *testing.T) {
	srv, shots, height := badgePage(t)
	plain, probe := screenshot(t, headless(t, 0), srv.URL, height)
	worst := 0.0
	for _, s := range shots {
		d := badgetest.Diff(s.png, crop(plain, s.at))
		worst = max(worst, d.Mean)
		if d.Mean >= chromiumBound {
			t.Errorf("%s: PNG and Chromium's rendering of the SVG differ: %s", s.name, d)
		} else if testing.Verbose() && strings.HasSuffix(s.name, "-light-fr") {
			t.Logf("%s: %s", s.name, d)
		}
	}
	t.Logf("worst mean channel difference %.3f%% (%.2f of 255)", 100*worst, 255*worst)

	big, bigProbe := screenshot(t, headless(t, 24), srv.URL, height)
	if bigProbe <= probe {
		t.Fatalf("the minimum font size did not apply: a 6 px text is %v px high, %v without it", bigProbe, probe)
	}
	for _, s := range shots {
		if d := badgetest.Diff(crop(plain, s.at), crop(big, s.at)); d.Mean != 0 {
			t.Errorf("%s: a 24 px minimum font size changes the badge: %s", s.name, d)
		}
	}
}
