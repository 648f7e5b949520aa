package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"--lang", "en"}, args...), &out, &errb)
	return exitCode(err), out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		out, err string
	}{
		{nil, 2, "", "Usage:"},
		{[]string{"--help"}, 0, "Commands:", ""},
		{[]string{"build", "--help"}, 0, "--destination", ""},
		{[]string{"version"}, 0, "sxsh ", ""},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"build", "--nope"}, 2, "", "flag provided but not defined: -nope"},
		{[]string{"build", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"build", "--source", "/does/not/exist"}, 2, "", "is not a folder"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := runCmd(tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout ~%q, stderr ~%q", code, out, errs, tt.code, tt.out, tt.err)
			}
		})
	}
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuildExitCodes(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"site.toml":       "[languages.vi]\ntitle = \"Thử\"\n",
		"content/a.vi.md": "+++\ntitle = \"A\"\n+++\nChào.\n",
	})
	code, out, errs := runCmd("build", "--source", dir)
	if code != 0 || !strings.Contains(out, "built") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	page, err := os.ReadFile(filepath.Join(dir, "public", "a", "index.html"))
	if err != nil || !strings.Contains(string(page), "Chào.") {
		t.Fatalf("page not built: %v", err)
	}
	// Break two files beside a good new one: both are reported, exit 1,
	// public/ unchanged, with not even the good page (serve's preview
	// shows what it can; a build publishes all or nothing).
	for name, body := range map[string]string{
		"content/a.vi.md": "+++\ntitle = \"A\"\ntittle = \"B\"\n+++\n",
		"content/b.vi.md": "+++\ntitle = \"B\"\ndate = \"hôm qua\"\n+++\n",
		"content/c.vi.md": "+++\ntitle = \"C\"\n+++\nTốt.\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errs = runCmd("build", "--source", dir)
	for _, want := range []string{`content/a.vi.md:3: unknown key "tittle" (did you mean "title"?)`, `content/b.vi.md:3:`, "2 errors; nothing was published"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "public", "a", "index.html")); !bytes.Equal(again, page) {
		t.Errorf("public/ changed after a failed build")
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "c")); !os.IsNotExist(err) {
		t.Errorf("a failed build published the good page: %v", err)
	}
	code, out, _ = runCmd("check", "--source", dir)
	for _, want := range []string{`content/a.vi.md:3: unknown key "tittle"`, `content/b.vi.md:3:`} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("check: exit %d, lacks %q:\n%s", code, want, out)
		}
	}
}

func TestNew(t *testing.T) {
	dir := writeSite(t, map[string]string{"site.toml": "[languages.vi]\ntitle = \"Thử\"\n[languages.en]\ntitle = \"Test\"\nweight = 2\n"})
	code, out, errs := runCmd("new", "article", "Tiết kiệm điện: hướng dẫn", "--source", dir)
	if code != 0 || !strings.Contains(out, "content/articles/tiet-kiem-dien-huong-dan.vi.md") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	file := filepath.Join(dir, "content/articles/tiet-kiem-dien-huong-dan.vi.md")
	first, _ := os.ReadFile(file)
	// Never overwrites.
	code, _, errs = runCmd("new", "--source", dir, "article", "Tiết kiệm điện: hướng dẫn")
	if code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("second new: exit %d, %s", code, errs)
	}
	if again, _ := os.ReadFile(file); !bytes.Equal(again, first) {
		t.Errorf("the existing file was changed")
	}
	code, out, errs = runCmd("new", "--source", dir, "--translate", filepath.Join(dir, "content/articles/tiet-kiem-dien-huong-dan.vi.md"))
	if code != 0 || !strings.Contains(out, "tiet-kiem-dien-huong-dan.en.md") {
		t.Errorf("translate: exit %d %s %s", code, out, errs)
	}
	// The new files build (as drafts).
	if code, _, errs := runCmd("build", "--source", dir, "--drafts", "--quiet"); code != 0 {
		t.Errorf("build after new: %s", errs)
	}
	for _, bad := range [][]string{{"new", "poster", "x", "--source", dir}, {"new", "article", "--source", dir}, {"new", "article", "x", "--lang", "fr", "--source", dir}} {
		if code, _, _ := runCmd(bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

// In a site whose languages have content folders of their own, new files
// and translations go there, without a language suffix.
func TestNewInContentDirs(t *testing.T) {
	dir := writeSite(t, map[string]string{"site.toml": "[languages.vi]\ntitle = \"Thử\"\ncontentDir = \"content/vi\"\n[languages.en]\ntitle = \"Test\"\nweight = 2\ncontentDir = \"content/en\"\n"})
	code, out, errs := runCmd("new", "article", "Tiết kiệm điện", "--source", dir)
	if code != 0 || !strings.Contains(out, "content/vi/articles/tiet-kiem-dien.md") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	code, out, errs = runCmd("new", "--source", dir, "--translate", "content/vi/articles/tiet-kiem-dien.md")
	if code != 0 || !strings.Contains(out, "content/en/articles/tiet-kiem-dien.md") {
		t.Fatalf("translate: exit %d %s %s", code, out, errs)
	}
	if code, _, errs := runCmd("build", "--source", dir, "--drafts", "--quiet"); code != 0 {
		t.Errorf("build after new: %s", errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "en", "articles", "tiet-kiem-dien", "index.html")); err != nil {
		t.Errorf("the translation was not built: %v", err)
	}
}

func TestCheck(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"site.toml":       "[languages.vi]\ntitle = \"Thử\"\n",
		"content/a.vi.md": "+++\ntitle = \"A\"\n+++\nXem [b](b.vi.md).\n",
		"content/b.vi.md": "+++\ntitle = \"B\"\n+++\nXem [a](/a/#khong-co).\n",
	})
	code, out, _ := runCmd("check", "--source", dir)
	if code != 1 || !strings.Contains(out, `content/b.vi.md:4:5: broken link "/a/#khong-co": /a/ has no heading with id "khong-co"`) || !strings.Contains(out, "1 error") {
		t.Errorf("check: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd("check", "--source", dir, "--format", "json")
	var findings []map[string]any
	if err := json.Unmarshal([]byte(out), &findings); err != nil || code != 1 || len(findings) != 1 || findings[0]["line"] != float64(4) {
		t.Errorf("json: exit %d, %v, %s", code, err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("check published something")
	}
	os.WriteFile(filepath.Join(dir, "content/b.vi.md"), []byte("+++\ntitle = \"B\"\n+++\nXem [a](/a/).\n"), 0o644)
	if code, out, _ := runCmd("check", "--source", dir); code != 0 || !strings.Contains(out, "no problems found") {
		t.Errorf("clean check: exit %d %s", code, out)
	}
	if code, _, _ := runCmd("check", "--format", "xml", "--source", dir); code != 2 {
		t.Errorf("bad format: exit %d", code)
	}
}
