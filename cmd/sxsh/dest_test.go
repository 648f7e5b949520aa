package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sourceHash hashes the site's own files (everything but public/ and what
// the build keeps beside it): the names, the bytes and the links.
func sourceHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case rel == "public":
			return filepath.SkipDir
		case strings.HasPrefix(rel, ".public."):
			return nil // the memory the build keeps beside public/
		}
		h.Write([]byte(rel + "\x00"))
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			h.Write([]byte("-> " + target))
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestDestinationSafety runs sxsh build from inside a site directory, as an
// editor would, with each --destination an editor could mistype.
func TestDestinationSafety(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	for name, body := range map[string]string{
		"site.toml":                 "[languages.vi]\ntitle = \"Thử\"\n",
		"content/a.vi.md":           "+++\ntitle = \"A\"\n+++\nChào.\n",
		"content/tin-tuc/b.vi.md":   "+++\ntitle = \"B\"\n+++\nTin.\n",
		"layouts/partials/x.html":   "{{/* a partial of the site's own */}}",
		"static/images/logo.svg":    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
		"notes/keep.txt":            "the editor's own notes",
		"../elsewhere/old/keep.txt": "a folder sxsh did not write",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		filepath.Join(root, "link-to-site"):    dir,
		filepath.Join(root, "link-to-content"): filepath.Join(dir, "content"),
		filepath.Join(root, "link-to-out"):     filepath.Join(root, "elsewhere", "out"),
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	before := sourceHash(t, dir)
	oldNotes := sourceHash(t, filepath.Join(root, "elsewhere", "old"))

	refused := []struct{ dest, says string }{
		{".", "is the site directory itself"},
		{"./", "is the site directory itself"},
		{"./content", "is in content/"},
		{"content/x", "is in content/"},
		{"content/tin-tuc", "is in content/"},
		{"static", "is in static/"},
		{"static/images/../../layouts", "is in layouts/"},
		{"layouts", "is in layouts/"},
		{"..", "holds the site directory"},
		{"../..", "holds the site directory"},
		{"../link-to-site", "is the site directory itself"},
		{"../link-to-content/new", "is in content/"},
		{"notes", "holds files that sxsh did not publish"},
		{"../elsewhere/old", "holds files that sxsh did not publish"},
		{"site.toml", "is a file, not a folder"},
	}
	for _, tt := range refused {
		t.Run("refuses "+tt.dest, func(t *testing.T) {
			code, out, errs := runCmd("build", "--quiet", "--destination", tt.dest)
			if code != 2 || !strings.Contains(errs, tt.says) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errs, tt.says)
			}
			if !strings.Contains(errs, "--destination "+tt.dest) {
				t.Errorf("the message does not name the folder as typed:\n%s", errs)
			}
			if sourceHash(t, dir) != before {
				t.Fatalf("the site's sources changed")
			}
		})
	}
	t.Run("--force does not open the sources", func(t *testing.T) {
		for _, d := range []string{".", "content", ".."} {
			if code, _, _ := runCmd("build", "--quiet", "--force", "--destination", d); code != 2 {
				t.Errorf("--force --destination %s: exit %d, want 2", d, code)
			}
		}
		if sourceHash(t, dir) != before {
			t.Fatalf("the site's sources changed")
		}
	})

	built := []struct {
		args []string
		page string // where the built home page is
	}{
		{nil, "public/index.html"},
		{nil, "public/index.html"}, // its own folder again: up to date
		{[]string{"--full"}, "public/index.html"},
		{[]string{"--destination", "../out/site"}, "../out/site/index.html"},
		{[]string{"--destination", "../link-to-out"}, "../elsewhere/out/index.html"},
		{[]string{"--destination", "../link-to-out", "--full"}, "../elsewhere/out/index.html"},
		{[]string{"--destination", "../elsewhere/old", "--force"}, "../elsewhere/old/index.html"},
		{[]string{"--destination", "../elsewhere/old"}, "../elsewhere/old/index.html"}, // sxsh's own now
	}
	for _, tt := range built {
		code, _, errs := runCmd(append([]string{"build", "--quiet"}, tt.args...)...)
		if code != 0 {
			t.Fatalf("build %s: exit %d: %s", strings.Join(tt.args, " "), code, errs)
		}
		if _, err := os.Stat(tt.page); err != nil {
			t.Errorf("build %s: %v", strings.Join(tt.args, " "), err)
		}
	}
	if fi, err := os.Lstat(filepath.Join(root, "link-to-out")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("building into a link replaced the link, not the folder it points to")
	}
	if _, err := os.Stat(filepath.Join(root, "elsewhere", "old", "keep.txt")); err == nil {
		t.Errorf("--force kept the old files in the folder it replaced")
	}
	if oldNotes == sourceHash(t, filepath.Join(root, "elsewhere", "old")) {
		t.Errorf("the forced folder was not rebuilt")
	}
	if sourceHash(t, dir) != before {
		t.Fatalf("the site's sources changed")
	}
}

// TestLegacyRecordIsOurs: a public/ built by an sxsh that kept its record
// beside the folder is still sxsh's to replace, and the record moves in.
func TestLegacyRecordIsOurs(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"site.toml":               "[languages.vi]\ntitle = \"Thử\"\n",
		"content/a.vi.md":         "+++\ntitle = \"A\"\n+++\nChào.\n",
		"public/index.html":       "an old build",
		".public.sxsh-build.json": "{}",
	})
	if code, _, errs := runCmd("build", "--quiet", "--source", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, ".public.sxsh-build.json")); err == nil {
		t.Errorf("the old record beside public/ is still there")
	}
	if _, err := os.Stat(filepath.Join(dir, "public", ".sxsh-build.json")); err != nil {
		t.Errorf("no record in public/: %v", err)
	}
}

func TestCPUProfileNotASource(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"site.toml":       "[languages.vi]\ntitle = \"Thử\"\n",
		"content/a.vi.md": "+++\ntitle = \"A\"\n+++\nChào.\n",
	})
	before := sourceHash(t, dir)
	for _, f := range []string{"content/a.vi.md", "site.toml", "static/x.prof"} {
		code, _, errs := runCmd("build", "--quiet", "--source", dir, "--cpuprofile", filepath.Join(dir, f))
		if code != 2 || !strings.Contains(errs, "--cpuprofile") {
			t.Errorf("--cpuprofile %s: exit %d, %s", f, code, errs)
		}
	}
	if sourceHash(t, dir) != before {
		t.Errorf("the site's sources changed")
	}
}
