package badge_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/technopolys/technopolys/internal/badge"
	"github.com/technopolys/technopolys/internal/badge/badgetest"
	"github.com/technopolys/technopolys/internal/testenv"
)

// rsvgConvert finds librsvg's rasteriser (testenv.Program).
func rsvgConvert(t *testing.T) string { return testenv.Program(t, "rsvg-convert", "librsvg2-bin") }

// noFonts gives librsvg a fontconfig with no fonts at all: the SVG must not
// need one, its text being outlines.
func noFonts(t *testing.T) []string {
	dir := t.TempDir()
	conf := filepath.Join(dir, "fonts.conf")
	err := os.WriteFile(conf, []byte(`<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "FONTCONFIG_FILE="+conf, "XDG_CACHE_HOME="+dir)
}

// TestPNGMatchesSVGRasterisedByLibrsvg draws every badge and count widget in
// every variant both ways at scale 2, librsvg given no font at all, and
// compares them pixel by pixel: one geometry, two renderers, within 1 %
// mean channel difference.
func TestPNGMatchesSVGRasterisedByLibrsvg(t *testing.T) {
	rsvg := rsvgConvert(t)
	env := noFonts(t)
	r := renderer(t)
	worst := 0.0
	for name, b := range everyKind {
		t.Run(name, func(t *testing.T) {
			eachVariant(t, func(t *testing.T, o badge.Options) {
				o.Scale = 2
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
				worst = max(worst, d.Mean)
				t.Logf("%s", d)
				if d.Mean >= 0.01 {
					t.Errorf("PNG and librsvg's rendering of the SVG differ: %s", d)
				}
			})
		})
	}
	t.Logf("worst mean channel difference %.3f%% (%.2f of 255)", 100*worst, 255*worst)
}
