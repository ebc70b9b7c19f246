package badge_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/badge/badgetest"
)

// rsvgConvert finds librsvg's rasteriser. .ci/run installs it; without it
// the test skips, except under CI=true, where it fails.
func rsvgConvert(t *testing.T) string {
	path, err := exec.LookPath("rsvg-convert")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("rsvg-convert (Debian's librsvg2-bin) is required under CI=true")
		}
		t.Skip("rsvg-convert not installed (apt-get install librsvg2-bin)")
	}
	return path
}

// fontconfig gives librsvg exactly the embedded fonts, whatever the
// machine has installed, so both renderers draw the same glyphs.
func fontconfig(t *testing.T) []string {
	fonts, err := filepath.Abs("../../assets/fonts")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "fonts.conf")
	err = os.WriteFile(conf, []byte(`<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>`+fonts+`</dir><cachedir>`+dir+`</cachedir></fontconfig>`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "FONTCONFIG_FILE="+conf)
}

// TestPNGMatchesSVGRasterisedByLibrsvg draws every variant both ways at
// scale 2 and compares them pixel by pixel: one geometry, two renderers.
func TestPNGMatchesSVGRasterisedByLibrsvg(t *testing.T) {
	rsvg := rsvgConvert(t)
	env := fontconfig(t)
	r := renderer(t)
	eachVariant(t, func(t *testing.T, o badge.Options) {
		o.Scale = 2
		b := member("Acme Québec inc.")
		cmd := exec.Command(rsvg, "--zoom", "2", "--format", "png")
		cmd.Env = env
		cmd.Stdin = bytes.NewReader(r.SVG(b, o))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		fromSVG, err := cmd.Output()
		if err != nil {
			t.Fatalf("rsvg-convert: %v: %s", err, stderr.String())
		}
		p, err := r.PNG(b, o)
		if err != nil {
			t.Fatal(err)
		}
		d := badgetest.Diff(decodePNG(t, p), decodePNG(t, fromSVG))
		t.Logf("%s", d)
		if d.Mean > 0.02 || d.Changed > 0.03 {
			t.Errorf("PNG and librsvg's rendering of the SVG differ: %s", d)
		}
	})
}
