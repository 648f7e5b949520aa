package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRender checks that no Markdown makes Render panic or give up, that
// raw HTML never gets through when it is not allowed, and that every link
// position lies inside the document.
func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, block := range strings.Split(string(data), caseSep+"\n") {
			f.Add(block)
		}
	}
	if bench, err := os.ReadFile("testdata/bench.vi.md"); err == nil {
		f.Add(string(bench))
	}
	f.Add("## a {#x}\n## x\n[a](<b> \"c\")\n<!--\n")
	safe := New(Options{})
	unsafe := New(Options{UnsafeHTML: true, HeadingID: viSlug})
	resolve := func(dest string, image bool) (string, error) {
		if strings.Contains(dest, "x") {
			return "", os.ErrNotExist
		}
		return "/r/" + dest, nil
	}
	f.Fuzz(func(t *testing.T, src string) {
		const first = 7
		lines := strings.Count(src, "\n") + 1
		for _, r := range []*Renderer{safe, unsafe} {
			res := r.Render(Doc{Source: []byte(src), File: "f.md", Line: first, Resolve: resolve})
			for _, d := range res.Diags {
				if !strings.Contains(d.Msg, "broken link") {
					t.Fatalf("unexpected diagnostic %v", d)
				}
				if d.Line < first || d.Line >= first+lines || d.Col < 1 {
					t.Fatalf("diagnostic outside the document (%d lines): %v", lines, d)
				}
			}
			for _, l := range res.Links {
				if l.Line < first || l.Line >= first+lines || l.Col < 1 {
					t.Fatalf("link outside the document (%d lines): %+v", lines, l)
				}
			}
			if r == safe {
				low := bytes.ToLower(res.HTML)
				for _, tag := range []string{"<script", "<iframe", "<style", "<object"} {
					if bytes.Contains(low, []byte(tag)) {
						t.Fatalf("raw %s got through:\n%s", tag, res.HTML)
					}
				}
			}
			if utf8.ValidString(src) && !utf8.ValidString(res.Text) {
				t.Fatalf("Text is not UTF-8: %q", res.Text)
			}
			_ = Summary(res.Text, 40)
			_ = TOCHTML(res.TOC, "toc")
		}
	})
}
