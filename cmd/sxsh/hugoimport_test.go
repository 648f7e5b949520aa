package main

import (
	"encoding/json"
	"flag"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sxsh/generator/config"
	"sxsh/generator/hugoimport"
)

//go:generate sh testdata/hugo/doks-urls.sh

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ (mistakes, hugo)")

// doksFloor is the share of Hugo's pages of the Doks site that sxsh makes
// at the same address, in percent, as measured: a fall below it is a
// regression. Raise it as sxsh learns what the misses need.
const doksFloor = 100.0

// TestImportHugoDoks imports a real Hugo site, builds it with sxsh and
// compares the addresses of the pages with those Hugo makes of it. A page
// that sxsh cannot build must be explained by sxsh check with an error
// naming its file and line; the files with errors are left out until the
// rest builds, so that the share counts what sxsh makes of what it can
// read.
func TestImportHugoDoks(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "doks-sxsh")
	code, out, errs := runCmd("import", "hugo", "--destination", dest, "testdata/hugo/doks")
	if code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	report := strings.ReplaceAll(out, dest, "DEST")
	golden := "testdata/hugo/doks.report"
	if *update {
		if err := os.WriteFile(golden, []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile(golden); err != nil || string(want) != report {
		t.Errorf("the import's report differs from %s (run with -update if the change is meant):\n%s", golden, report)
	}

	// Build what sxsh can: leave out the files that check finds errors in,
	// each explained by its error, until the build succeeds.
	leftOut := map[string]string{} // content file → its first error
	for round := 0; ; round++ {
		code, bout, berr := runCmd("build", "--source", dest, "--quiet")
		if code == 0 {
			break
		}
		if round == 10 {
			t.Fatalf("the build still fails after leaving out %d files:\n%s%s", len(leftOut), bout, berr)
		}
		n := 0
		for _, f := range checkFindings(t, dest) {
			if f.Severity != "error" || !strings.HasPrefix(f.File, "content/") || leftOut[f.File] != "" {
				continue
			}
			if f.Line == 0 {
				t.Errorf("check names no line for %s: %s", f.File, f.Message)
			}
			leftOut[f.File] = f.Message
			n++
			if err := os.Remove(filepath.Join(dest, filepath.FromSlash(f.File))); err != nil {
				t.Fatal(err)
			}
		}
		if n == 0 {
			t.Fatalf("the build fails, and check names no content file with an error:\n%s%s", bout, berr)
		}
	}

	built := map[string]bool{}
	for _, u := range htmlPages(t, filepath.Join(dest, "public")) {
		built[u] = true
	}
	src, err := os.ReadFile("testdata/hugo/doks.urls")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(os.DirFS(dest))
	if err != nil {
		t.Fatal(err)
	}
	var hugo, missing []string
	for _, line := range strings.Split(string(src), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		hugo = append(hugo, line)
		if !built[line] {
			missing = append(missing, line)
		}
	}
	share := 100 * float64(len(hugo)-len(missing)) / float64(len(hugo))
	t.Logf("sxsh makes %d of Hugo's %d pages at the same address (%.1f%%); %d files left out for errors", len(hugo)-len(missing), len(hugo), share, len(leftOut))
	for _, u := range missing {
		why := "no page there"
		for _, f := range sourcesOf(u, slices.Sorted(maps.Values(cfg.ContentDirs()))) {
			if msg, ok := leftOut[f]; ok {
				why = f + " left out: " + msg
			}
		}
		t.Logf("missing %s: %s", u, why)
	}
	// Pages at Hugo's address that are not what Hugo makes there, as the
	// report says.
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "listing no pages") {
			t.Logf("made unlike Hugo's: %s", strings.TrimSpace(l))
		}
	}
	if share < doksFloor {
		t.Errorf("sxsh makes %.1f%% of Hugo's pages, below the floor of %.1f%%", share, doksFloor)
	}
}

type finding struct {
	File, Severity, Message string
	Line                    int
}

// checkFindings runs sxsh check on the site in dir.
func checkFindings(t *testing.T, dir string) []finding {
	t.Helper()
	_, out, errs := runCmd("check", "--source", dir, "--format", "json")
	var list []finding
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("check --format json: %v\n%s%s", err, out, errs)
	}
	return list
}

// htmlPages returns the address of each HTML page in a built site, but
// the 404 page and the redirects of old addresses.
func htmlPages(t *testing.T, public string) []string {
	t.Helper()
	var urls []string
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || d.Name() == "404.html" {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil || strings.Contains(string(body), `http-equiv="refresh"`) || strings.Contains(string(body), `http-equiv=refresh`) {
			return err
		}
		rel, _ := filepath.Rel(public, p)
		urls = append(urls, "/"+strings.TrimSuffix(filepath.ToSlash(rel), "index.html"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(urls)
	return urls
}

// sourcesOf returns the content files a page at address u may come from,
// in any of the content folders dirs.
func sourcesOf(u string, dirs []string) []string {
	p := strings.Trim(u, "/")
	var files []string
	for _, dir := range dirs {
		files = append(files, path.Join(dir, p+".md"), path.Join(dir, p, "index.md"), path.Join(dir, p, "_index.md"))
	}
	return files
}

func TestImportUsage(t *testing.T) {
	hugo := writeSite(t, map[string]string{
		"hugo.toml":         "title = \"T\"\ndefaultContentLanguage = \"vi\"\n",
		"content/_index.md": "+++\ntitle = \"Trang chủ\"\n+++\n",
		"static/a.css":      "a{}",
	})
	full := writeSite(t, map[string]string{"site.toml": "keep me"})
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"import", "hugo", "--help"}, 0, "HUGO_SITE_DIR"},
		{[]string{"import"}, 2, "say what to import from"},
		{[]string{"import", "jekyll", hugo}, 2, "imports Hugo sites only"},
		{[]string{"import", "hugo"}, 2, "name one Hugo site folder, not 0"},
		{[]string{"import", "hugo", hugo, hugo}, 2, "name one Hugo site folder, not 2"},
		{[]string{"import", "hugo", "/does/not/exist"}, 2, "is not a folder"},
		{[]string{"import", "hugo", "--destination", full, hugo}, 2, "is not empty, and the import writes over nothing"},
		{[]string{"import", "hugo", hugo, "--destination", filepath.Join(hugo, "new")}, 2, "inside the Hugo site"},
		{[]string{"import", "hugo", "--destination", filepath.Join(hugo, "static", "a.css"), t.TempDir()}, 2, "is a file: name a new or empty folder"},
		{[]string{"import", "hugo", "--destination", filepath.Join(t.TempDir(), "x"), t.TempDir()}, 1, "no Hugo configuration"},
	}
	for _, tt := range tests {
		code, out, errs := runCmd(tt.args...)
		if code != tt.code || !strings.Contains(out+errs, tt.out) {
			t.Errorf("%v: exit %d, %s%s; want exit %d and %q", tt.args, code, out, errs, tt.code, tt.out)
		}
	}
	if b, err := os.ReadFile(filepath.Join(full, "site.toml")); err != nil || string(b) != "keep me" {
		t.Errorf("the full destination was written to: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(hugo, "new")); err == nil {
		t.Error("the import wrote into the Hugo site")
	}

	// A new folder, and an empty one, get the site; the second import into
	// the same folder is refused.
	empty := t.TempDir()
	for _, dest := range []string{filepath.Join(t.TempDir(), "new", "site"), empty} {
		code, out, errs := runCmd("import", "hugo", hugo, "--destination", dest)
		if code != 0 || !strings.Contains(out, "site.toml (languages vi), 1 file in content/, 1 file in static/") {
			t.Fatalf("import into %s: exit %d\n%s%s", dest, code, out, errs)
		}
		for _, f := range []string{"site.toml", "content/_index.md", "static/a.css"} {
			if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
				t.Errorf("import into %s: %v", dest, err)
			}
		}
		if code, _, _ := runCmd("check", "--source", dest); code != 0 {
			t.Errorf("sxsh check fails on the imported site %s", dest)
		}
	}
	if code, _, errs := runCmd("import", "hugo", hugo, "--destination", empty); code != 2 || !strings.Contains(errs, "is not empty") {
		t.Errorf("a second import into %s: exit %d, %s", empty, code, errs)
	}
}

// An import that fails while writing leaves nothing behind: a new folder
// goes, an empty one is empty again, so that running it again works.
func TestImportFailedWriteLeavesNothing(t *testing.T) {
	hugo := writeSite(t, map[string]string{"static/a.css": "a{}"})
	// The second file is gone by the time it is copied.
	site := &hugoimport.Site{Config: []byte("baseURL = \"/\"\n"), Files: []hugoimport.Copy{
		{From: "static/a.css", To: "static/a.css"}, {From: "static/gone.css", To: "static/gone.css"}}}
	fresh := filepath.Join(t.TempDir(), "moi")
	empty := t.TempDir()
	for _, dest := range []string{fresh, empty} {
		if err := writeImport(hugo, dest, site); err == nil {
			t.Fatalf("%s: the import of a missing file succeeded", dest)
		}
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("the new folder is still there: %v", err)
	}
	if left, _ := os.ReadDir(empty); len(left) != 0 {
		t.Errorf("the empty folder holds %d entries after the failed import", len(left))
	}
	if _, err := os.Stat(filepath.Join(hugo, "static", "a.css")); err != nil {
		t.Errorf("the Hugo site lost a file: %v", err)
	}
}
