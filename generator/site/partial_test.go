package site

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// A Session builds every page it can: a file with errors is left out (the
// folder is then a full build of the site without it), a page that fails
// to render is not written, and the result names the broken pages with
// their addresses and errors. Once they are fixed, the folder is a full
// build's again.
func TestSessionPublishesAroundBrokenPages(t *testing.T) {
	const (
		tv     = "content/broadcasts/truyen-hinh-02.vi.md"
		tv2    = "content/broadcasts/truyen-hinh-06.vi.md"
		art    = "content/articles/trang-thong-tin-sxsh.vi.md" // other pages link to it
		about  = "content/about.vi.md"
		layout = "layouts/newsletter.html"
	)
	src := exampleSources(t)
	ctx := context.Background()
	sess, dest := newSession(t, src)
	if _, err := sess.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	tvPath, tv2Path, artPath := sess.Site().ByFile[tv].Path, sess.Site().ByFile[tv2].Path, sess.Site().ByFile[art].Path
	aboutPath := sess.Site().ByFile[about].Path
	without := func(files ...string) fstest.MapFS {
		fsys := maps.Clone(src)
		for _, f := range files {
			delete(fsys, f)
		}
		return fsys
	}
	build := func(changed ...string) (*Result, error) {
		t.Helper()
		res, err := sess.Build(ctx, changed)
		if werr := sess.Wait(); werr != nil {
			t.Fatal(werr)
		}
		return res, err
	}
	brokenAt := func(res *Result) map[string]string {
		out := map[string]string{}
		for _, b := range res.Broken {
			out[b.File] = b.Path
			if len(b.Errors) == 0 {
				t.Errorf("%s (%s) is broken without an error", b.File, b.Path)
			}
		}
		return out
	}
	exists := func(sitePath string) bool {
		_, err := os.Stat(filepath.Join(dest, filepath.FromSlash(outFile(sitePath))))
		return err == nil
	}

	// A front matter that cannot be read: the page's address is the one
	// it had in the build before.
	good := map[string][]byte{tv: src[tv].Data, tv2: src[tv2].Data, art: src[art].Data}
	edit(src, tv, "+++\n", "+++\ntittle = \"x\"\n")
	res, err := build(tv)
	if err == nil || !strings.Contains(err.Error(), tv+":2") || !res.Partial {
		t.Fatalf("with %s broken: %v (partial %v)", tv, err, res.Partial)
	}
	if got := brokenAt(res); got[tv] != tvPath || len(got) != 1 {
		t.Errorf("broken pages %v, want %s at %s", got, tv, tvPath)
	}
	matchesFull(t, without(tv), dest)

	// A page that was read but names a missing image: linked again
	// without it.
	edit(src, tv2, "+++\n", "+++\nimage = \"/images/khong-co.svg\"\n")
	res, err = build(tv2)
	if err == nil || !strings.Contains(err.Error(), tv+":2") || !strings.Contains(err.Error(), tv2+":2: image /images/khong-co.svg is not in static/") {
		t.Fatalf("with two files broken: %v", err)
	}
	if got := brokenAt(res); got[tv] != tvPath || got[tv2] != tv2Path || len(got) != 2 {
		t.Errorf("broken pages %v, want %s at %s and %s at %s", got, tv, tvPath, tv2, tv2Path)
	}
	matchesFull(t, without(tv, tv2), dest)

	// A page that others link to: they are built, and link to where it
	// will be.
	edit(src, art, "+++\n", "+++\ntittle = \"x\"\n")
	res, err = build(art)
	if err == nil || strings.Contains(err.Error(), "broken link") {
		t.Fatalf("with %s broken: %v", art, err)
	}
	if got := brokenAt(res); got[art] != artPath || len(got) != 3 {
		t.Errorf("broken pages %v, want %s at %s among 3", got, art, artPath)
	}
	if exists(artPath) {
		t.Errorf("%s, broken, is still in the folder", artPath)
	}
	page, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(outFile(aboutPath))))
	if err != nil || !strings.Contains(string(page), `href="`+artPath+`"`) {
		t.Errorf("%s does not link to %s: %v", aboutPath, artPath, err)
	}

	// A template that fails on the pages that use it: those are not
	// written, the others are.
	src[layout] = &fstest.MapFile{Data: []byte(`{{ define "main" }}{{ .Page.Nope }}{{ end }}`)}
	res, err = build(layout)
	if err == nil || !res.Partial || !strings.Contains(err.Error(), "Nope") {
		t.Fatalf("with a broken layout: %v", err)
	}
	issues := 0
	for file, path := range brokenAt(res) {
		if !strings.HasPrefix(file, "content/newsletters/") {
			continue
		}
		issues++
		if exists(path) {
			t.Errorf("%s, broken, is in the folder", path)
		}
	}
	if issues == 0 {
		t.Errorf("no newsletter issue is broken: %+v", res.Broken)
	}
	if !exists("/") || !exists(aboutPath) {
		t.Error("pages without errors are gone")
	}

	for f, data := range good {
		src[f] = &fstest.MapFile{Data: data}
	}
	delete(src, layout)
	if res, err = build(tv, tv2, art, layout); err != nil || res.Partial || len(res.Broken) != 0 {
		t.Fatalf("after the fixes: %v, %+v", err, res.Broken)
	}
	matchesFull(t, src, dest)

	// A first build publishes what it can too; a new file that cannot be
	// read has no address yet.
	edit(src, tv, "+++\n", "+++\ntittle = \"x\"\n")
	sess, dest = newSession(t, src)
	res, err = sess.Build(ctx, nil)
	if err := sess.Wait(); err != nil {
		t.Fatal(err)
	}
	if err == nil || !res.Partial {
		t.Fatalf("first build with %s broken: %v", tv, err)
	}
	if got := brokenAt(res); len(got) != 1 || got[tv] != "" {
		t.Errorf("broken pages %v, want %s without an address", got, tv)
	}
	matchesFull(t, without(tv), dest)
}
