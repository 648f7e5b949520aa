package diag_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sxsh/generator/diag"
)

// root is the repository, from this package's folder.
const root = "../.."

// notForEditors are the literal formats in the code that never reach an
// editor, or reach one only around text the catalog translates on its own,
// each with the reason.
var notForEditors = map[string]string{
	// Programmer errors: a caller broke a contract of the package.
	"devserver: Listener, Source, Output and Build are required": "a programmer's mistake",
	"feed: nil channel":                                            "a programmer's mistake",
	"search: not an analysis of this version":                      "caught inside the build, which then starts afresh",
	"search: not a builder's state of this version":                "caught inside the build, which then draws every page",
	"content: not a saved page":                                    "caught inside the build, which then reads every content file",
	"%s is damaged":                                                "an index file of a build's memory: caught inside the build, which then draws every page",
	"the address of page %.200s is too long to be a search result": "caught inside the search index, which leaves the page out",
	// Values that are not messages.
	"h%d#%s %q":        "Heading.String, for tests",
	"v1 %s %q %v":      "the build record's key of the options",
	"exit %d":          "never printed: the exit code's carrier",
	"site at %s in %s": "Config.String, for tests",
	"%s%s%d MB":        "a number with its unit, the same in every language",
	"+++\ntitle = %q":  "the front matter of a new file, not a message",
	"date = %s":        "the front matter of a new file, not a message",
	"# Made by sxsh import hugo from %s.\n# Every key is described in the configuration reference of sxsh's README.\n": "the comment atop an imported site.toml, not a message",
	"group %d":                                "the heading of a group of the import's report that does not exist",
	"sxsh picture %d":                         "what a picture's cache key hashes, not a message",
	"picture cache: bad key %q":               "a programmer's mistake: keys are made by Key",
	"picture cache: a copy without its bytes": "a programmer's mistake: the build puts copies with their bytes",
	// Text of the site's pages, which the site's UI strings translate.
	"Watch the video on %s": "a video link's label when the site's UI strings give no videoOn",
	// Help texts stay in English: they are reference, like the README's
	// tables of options.
	"Usage: sxsh %s\n\nFlags:": "help text",
	// The command's name before a message translated on its own.
	"sxsh check: %s": "the summary is translated; the command's name is not",
}

// notForEditorsFiles are files whose messages are for another audience,
// or are written in both languages where they are made.
var notForEditorsFiles = map[string]string{
	"generator/devserver/notice.go": "the preview's notes on a missing page, in the page's own language, Vietnamese or English, each written in the code",
	"cmd/sxsh/counter.go":           "the visitor counter is the webmaster's, and documented in English",
	"generator/diag/translate.go":   "the catalog's own checks, for the people who write it",
}

// notForEditorsDirs are packages that never speak to an editor.
var notForEditorsDirs = map[string]string{
	"generator/counter": "the visitor counter is the webmaster's, and documented in English",
	"generator/corpus":  "synthetic sites for the benchmarks",
	"generator/browser": "a headless browser for tests and benchmarks",
	"generator/testenv": "test set-up",
}

// formatArg says which argument of a call is a message's format, by the
// called function's name; -1 for every string argument (Fprint, Fprintln).
var formatArg = map[string]int{
	"Errorf":   0, // fmt.Errorf; diag.Errorf's is 3, below
	"Warnf":    3,
	"errorf":   1, // content's (*Page).errorf(key, format, ...)
	"bad":      1, // the checkers' bad(at, format, ...)
	"usagef":   0,
	"Sprintf":  0, // fmt.Sprintf and Translator.Sprintf
	"Format":   0, // Translator.Format
	"add":      3, // hugoimport's (*report).add(group, file, line, format, ...)
	"addAt":    2, // hugoimport's (*report).addAt(group, setting, format, ...)
	"New":      0, // errors.New
	"Fprintf":  1,
	"Fprint":   -1,
	"Fprintln": -1,
}

// found is one literal message format of the code.
type found struct {
	pos    string
	format string
}

// literalFormats returns the literal formats of the calls in formatArg in
// the non-test Go files of dir and below.
func literalFormats(t *testing.T, dir string) []found {
	t.Helper()
	var out []found
	fset := token.NewFileSet()
	err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if _, skip := notForEditorsDirs[rel]; skip || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if _, skip := notForEditorsFiles[rel]; skip {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name, pkg := calleeName(call.Fun)
			at, ok := formatArg[name]
			if !ok {
				return true
			}
			if name == "Errorf" && pkg == "diag" {
				at = 3
			}
			if name == "New" && pkg != "errors" || name == "Format" && pkg != "tr" {
				return true // not errors.New, not a Translator's Format (time's)
			}
			for i, a := range call.Args {
				if at >= 0 && i != at || at < 0 && i == 0 {
					continue
				}
				if s, ok := literal(a); ok {
					p := fset.Position(a.Pos())
					out = append(out, found{fmt.Sprintf("%s:%d", rel, p.Line), s})
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// calleeName returns the name of the called function, and the package or
// receiver it is selected from.
func calleeName(fun ast.Expr) (name, from string) {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name, ""
	case *ast.SelectorExpr:
		switch x := f.X.(type) {
		case *ast.Ident:
			return f.Sel.Name, x.Name
		case *ast.SelectorExpr: // m.tr.Format: the last name before it
			return f.Sel.Name, x.Sel.Name
		}
		return f.Sel.Name, ""
	}
	return "", ""
}

// literal returns the value of a string literal, or of a sum of them.
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := literal(e.X)
		b, ok2 := literal(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return literal(e.X)
	}
	return "", false
}

var (
	verbRe  = regexp.MustCompile(`%[-+# 0]*(\[\d+\])?[0-9]*(\.[0-9]*)?[a-zA-Z%]`)
	wordsRe = regexp.MustCompile(`[A-Za-z]{2,}`)
	nameRe  = regexp.MustCompile(`\bsxsh\b`)
)

// isProse reports whether a format has words an editor would read: a
// format of verbs and punctuation alone ("%s: %v"), or of the program's
// name before them ("sxsh: %s"), passes its arguments through, and markup
// is not a message.
func isProse(format string) bool {
	if strings.HasPrefix(strings.TrimSpace(format), "<") {
		return false
	}
	return wordsRe.MatchString(nameRe.ReplaceAllString(verbRe.ReplaceAllString(format, ""), ""))
}

// TestEveryMessageIsTranslated holds the catalog to the code: every
// message format that can reach an editor has its Vietnamese.
func TestEveryMessageIsTranslated(t *testing.T) {
	entries := diag.Catalog("vi")
	have := map[string]bool{}
	for _, e := range entries {
		have[e.En] = true
	}
	covered := func(f string) bool {
		f = strings.TrimSuffix(f, "\n")
		// A piece appended to a message ("msg += ...") is translated
		// with the message before it, as the entry "%s" + piece.
		return have[f] || have["%s"+f]
	}
	var missing []string
	seen := map[string]bool{}
	for _, dir := range []string{"generator", "cmd/sxsh"} {
		for _, f := range literalFormats(t, dir) {
			if !isProse(f.format) || covered(f.format) {
				continue
			}
			if _, ok := notForEditors[strings.TrimSuffix(f.format, "\n")]; ok {
				continue
			}
			if !seen[f.format] {
				seen[f.format] = true
				missing = append(missing, fmt.Sprintf("%s: %q", f.pos, f.format))
			}
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Errorf("%d message formats have no Vietnamese. Add each to viEntries in generator/diag/vi.go as\n"+
			"\t{`English format, exactly as in the code`, `its Vietnamese, with the same verbs`},\n"+
			"(a piece appended to a message, like \" (did you mean %%q?)\", as {`%%s (did you mean %%q?)`, ...}),\n"+
			"or, if an editor never sees it, to notForEditors in generator/diag/catalog_test.go with the reason:\n\t%s",
			len(missing), strings.Join(missing, "\n\t"))
	}
}

// TestCatalogEntriesCompile holds each entry to the rules of compile: its
// translation keeps every quoted value and number of the English.
func TestCatalogEntriesCompile(t *testing.T) {
	for _, err := range diag.CheckCatalog(diag.Catalog("vi")) {
		t.Error(err)
	}
}
