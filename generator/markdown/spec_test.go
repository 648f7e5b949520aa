package markdown

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected HTML in testdata/*.txt")

const (
	caseSep = "//- - - - - - - - -//"
	caseEnd = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
)

// specCase is one case of a testdata/*.txt file: a name line, an optional
// "options:" line, then the Markdown and the expected HTML, each introduced
// by caseSep, and caseEnd after them.
type specCase struct {
	name     string
	options  string
	markdown string
	html     string
}

func parseSpec(t *testing.T, data string) []specCase {
	t.Helper()
	var cases []specCase
	for _, block := range strings.Split(data, caseEnd+"\n") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		parts := strings.Split(block, caseSep+"\n")
		if len(parts) != 3 {
			t.Fatalf("case %q: want a header, Markdown and HTML separated by %s", firstLine(block), caseSep)
		}
		c := specCase{markdown: parts[1], html: parts[2]}
		for _, l := range strings.Split(strings.TrimSpace(parts[0]), "\n") {
			if o, ok := strings.CutPrefix(l, "options:"); ok {
				c.options = strings.TrimSpace(o)
			} else if c.name == "" {
				c.name = strings.TrimSpace(l)
			}
		}
		cases = append(cases, c)
	}
	return cases
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func formatSpec(cases []specCase) string {
	var b strings.Builder
	for _, c := range cases {
		b.WriteString(c.name + "\n")
		if c.options != "" {
			b.WriteString("options: " + c.options + "\n")
		}
		b.WriteString(caseSep + "\n" + c.markdown + caseSep + "\n" + c.html + caseEnd + "\n\n")
	}
	return b.String()
}

// specResolve stands in for the site's resolver: pages named by their
// source file become pretty URLs; "missing.md" does not exist.
func specResolve(dest string, _ bool) (string, error) {
	if dest == "missing.md" {
		return "", os.ErrNotExist
	}
	if p, ok := strings.CutSuffix(dest, ".md"); ok {
		return "/" + p + "/", nil
	}
	return dest, nil
}

func TestSpec(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no spec files: %v", err)
	}
	renderers := map[string]*Renderer{"": New(Options{}), "unsafe": New(Options{UnsafeHTML: true})}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cases := parseSpec(t, string(data))
		for i := range cases {
			c := &cases[i]
			t.Run(filepath.Base(file)+"/"+c.name, func(t *testing.T) {
				doc := Doc{Source: []byte(c.markdown), File: file}
				opts := strings.Fields(c.options)
				r := renderers[""]
				for _, o := range opts {
					switch o {
					case "unsafe":
						r = renderers["unsafe"]
					case "resolve":
						doc.Resolve = specResolve
					default:
						t.Fatalf("unknown option %q", o)
					}
				}
				got := r.Render(doc).HTML
				if *update {
					c.html = string(got)
					return
				}
				if !bytes.Equal(bytes.TrimSpace(got), []byte(strings.TrimSpace(c.html))) {
					t.Errorf("Markdown:\n%s\ngot:\n%s\nwant:\n%s", c.markdown, got, c.html)
				}
			})
		}
		if *update {
			if err := os.WriteFile(file, []byte(formatSpec(cases)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
