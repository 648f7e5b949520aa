package site

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/svg"
)

// TestMinifiedOnce: an input seen before is answered from what was made of
// it, byte for byte what the minifier makes, and the minifier runs once.
func TestMinifiedOnce(t *testing.T) {
	calls := 0
	o := &minifiedOnce{fn: func(m *minify.M, w io.Writer, r io.Reader, params map[string]string) error {
		calls++
		return svg.Minify(m, w, r, params)
	}}
	m := minify.New()
	m.Add("image/svg+xml", o)
	in := `<svg viewBox="0 0 40 40" width="44"> <circle cx="20.000" cy="20" r="20" fill="#ffffff"/> </svg>`
	var want bytes.Buffer
	if err := svg.Minify(minify.New(), &want, strings.NewReader(in), nil); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		got, err := m.String("image/svg+xml", in)
		if err != nil || got != want.String() {
			t.Fatalf("call %d: %q, %v; want %q", i+1, got, err, want.String())
		}
	}
	if calls != 1 {
		t.Errorf("the minifier ran %d times for one input; want once", calls)
	}
	// A different input is minified for itself.
	if got, _ := m.String("image/svg+xml", strings.Replace(in, "44", "48", 1)); !strings.Contains(got, `"48"`) && !strings.Contains(got, "=48") || calls != 2 {
		t.Errorf("another input gave %q after %d runs", got, calls)
	}
}
