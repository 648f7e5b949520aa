package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"sxsh/generator/diag"
	"sxsh/generator/site"
)

func TestProgressLine(t *testing.T) {
	// A build shorter than the delay prints nothing.
	var quick lockedBuffer
	stop := showProgress(&quick, new(site.Progress), diag.Translator{}, time.Hour, time.Millisecond)
	stop()
	if quick.String() != "" {
		t.Errorf("a short build printed %q", quick.String())
	}

	var out lockedBuffer
	p := new(site.Progress)
	stop = showProgress(&out, p, diag.Translator{}, 0, time.Millisecond)
	waitFor := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(out.String(), want); {
			if time.Now().After(deadline) {
				t.Fatalf("the progress line never said %q: %q", want, out.String())
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitFor("\rsxsh: reading the site…")
	p.Total.Store(30_059)
	p.Done.Store(12_345)
	waitFor("\rsxsh: 12,345 of 30,059 pages drawn\033[K")
	stop()
	if s := out.String(); !strings.HasSuffix(s, "\r\033[K") || strings.Contains(s, "\n") {
		t.Errorf("the line is not cleared at the end, or takes more than one line: %q", s)
	}
}

// TestNoProgressWhenNotATerminal: output to a file or a pipe gets no
// progress line, however long the build.
func TestNoProgressWhenNotATerminal(t *testing.T) {
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is taken for a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a file is taken for a terminal")
	}
}
