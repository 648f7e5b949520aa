package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// exampleSources copies the example site's sources into a MapFS that a test
// may change.
func exampleSources(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	root := repoRoot()
	for _, top := range []string{"site.toml", "content", "static"} {
		err := fs.WalkDir(root, top, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(root, p)
			fsys[p] = &fstest.MapFile{Data: data, Mode: 0o644}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return fsys
}

// sameTree reports how two output folders differ, file by file, or "".
func sameTree(t *testing.T, got, want string) string {
	t.Helper()
	return diffTrees(readTree(t, got), readTree(t, want))
}

// diffTrees reports how two trees differ, file by file, or "".
func diffTrees(got, want tree) string {
	var diffs []string
	for _, f := range slices.Sorted(maps.Keys(want)) {
		if f == RecordFile {
			continue // a Session's folder has no build record
		}
		switch g, ok := got[f]; {
		case !ok:
			diffs = append(diffs, "missing "+f)
		case !bytes.Equal(g.data, want[f].data):
			diffs = append(diffs, "differs "+f)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[f]; !ok {
			diffs = append(diffs, "extra "+f)
		}
	}
	if len(diffs) > 12 {
		diffs = append(diffs[:12], "…")
	}
	return strings.Join(diffs, "\n")
}

// builtAsExpected checks a build's error against whether it must fail; a
// failed build must leave dest as before (a tree hash, which only a build
// that must fail needs: see hashIfFails), unless it is a
// Session's that published what it could (see
// TestSessionPublishesAroundBrokenPages). It reports whether the build
// succeeded.
func builtAsExpected(t *testing.T, fails bool, res *Result, err error, dest, before string) bool {
	t.Helper()
	switch {
	case fails && err == nil:
		t.Fatal("the build passed")
	case fails && res != nil && res.Partial:
		return false
	case fails:
		if treeHash(t, dest) != before {
			t.Error("a failed build changed the folder")
		}
		return false
	case err != nil:
		t.Fatal(err)
	}
	return true
}

// hashIfFails is the tree hash of dest before a build that must fail, for
// builtAsExpected; a build that must succeed needs none.
func hashIfFails(t *testing.T, fails bool, dest string) string {
	t.Helper()
	if !fails {
		return ""
	}
	return treeHash(t, dest)
}

// matchesFull builds src whole and reports where dest differs from it; it
// returns dest as read.
func matchesFull(t *testing.T, src fstest.MapFS, dest string) tree {
	t.Helper()
	full, err := fullBuilds.of(src)
	if err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dest)
	if d := diffTrees(got, full); d != "" {
		t.Errorf("the output is not the full build's:\n%s", d)
	}
	return got
}

// fullBuilds keeps the full build of each set of sources the tests have
// asked about: the equivalence tests of builds and of Sessions go through
// the same edits, and each full build is made once for both. The full
// builds share one picture cache, which keeps a picture's copies by the
// picture's bytes: a photo that many steps show is decoded and scaled
// once, by the first full build that shows it, not once a step.
var fullBuilds fullCache

type fullCache struct {
	mu     sync.Mutex
	root   string
	builds map[string]*fullBuild
}

type fullBuild struct {
	once  sync.Once
	dir   string
	files tree // as read once built
	err   error
}

// of returns the full build of src, as read.
func (c *fullCache) of(src fstest.MapFS) (tree, error) {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(src)) {
		f := src[name]
		fmt.Fprintf(h, "%s\x00%d\x00%o\x00%d\x00", name, len(f.Data), f.Mode, f.ModTime.UnixNano())
		h.Write(f.Data)
	}
	key := hex.EncodeToString(h.Sum(nil))
	c.mu.Lock()
	if c.builds == nil {
		c.builds = map[string]*fullBuild{}
	}
	if c.root == "" {
		var err error
		if c.root, err = os.MkdirTemp("", "sxsh-full-"); err != nil {
			c.mu.Unlock()
			return nil, err
		}
	}
	b := c.builds[key]
	if b == nil {
		b = &fullBuild{dir: filepath.Join(c.root, key[:16])}
		c.builds[key] = b
	}
	c.mu.Unlock()
	b.once.Do(func() {
		_, b.err = Build(context.Background(), Options{Source: src, Defaults: defaults(), Destination: b.dir, Now: testNow, Full: true,
			PictureCache: filepath.Join(c.root, "pictures")})
		if b.err == nil {
			b.files, b.err = loadTree(b.dir)
		}
	})
	return b.files, b.err
}

// clear removes the full builds.
func (c *fullCache) clear() {
	if c.root != "" {
		os.RemoveAll(c.root)
	}
}

// newSession starts a Session of src into a new preview folder.
func newSession(t *testing.T, src fs.FS) (sess *Session, dest string) {
	t.Helper()
	dest = filepath.Join(t.TempDir(), "preview")
	sess, err := NewSession(Options{Source: src, Defaults: defaults(), Destination: dest, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return sess, dest
}

func edit(fsys fstest.MapFS, name, old, new string) {
	fsys[name] = &fstest.MapFile{Data: []byte(strings.Replace(string(fsys[name].Data), old, new, 1)), Mode: 0o644}
}

// After every kind of change an editor makes, a Session's folder is byte
// for byte what a full build of the same sources gives, and a small change
// rewrites few files.
func TestSessionMatchesFullBuild(t *testing.T) {
	t.Parallel() // its own sources and folders; the longest tests run side by side
	src := exampleSources(t)
	sess, dest := newSession(t, src)
	ctx := context.Background()
	res, err := sess.Build(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := res.Files
	steps := editSteps(t, src)
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change()
			before := hashIfFails(t, st.fails, dest)
			res, err := sess.Build(ctx, st.changed)
			if !builtAsExpected(t, st.fails, res, err, dest, before) {
				// The next step reads the folder: the search index of
				// what was published goes in first.
				if err := sess.Wait(); err != nil {
					t.Error(err)
				}
				return
			}
			if err := sess.Wait(); err != nil {
				t.Fatal(err)
			}
			matchesFull(t, src, dest)
			if st.most > 0 && res.Files > st.most {
				t.Errorf("wrote %d files of %d, want at most %d", res.Files, all, st.most)
			}
			t.Logf("%s: %s", st.name, res)
		})
	}
}

// Saves in quick succession give up the search index of the saves before
// them: after the last, the folder is still a full build's, with no index
// files left over.
func TestSessionRapidSaves(t *testing.T) {
	src := exampleSources(t)
	sess, dest := newSession(t, src)
	ctx := context.Background()
	if _, err := sess.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	const art = "content/articles/trang-thong-tin-sxsh.vi.md"
	for i, change := range []func(){
		func() { edit(src, art, "Năm 2014,", "Từ năm 2014,") },
		func() { edit(src, art, "Từ năm 2014,", "Kể từ năm 2014,") },
		func() { edit(src, art, `title = "Trang thông tin SXSH`, `title = "Trang tin SXSH`) },
		func() { edit(src, art, "Kể từ năm 2014,", "Năm 2014,") },
	} {
		change()
		if _, err := sess.Build(ctx, []string{art}); err != nil {
			t.Fatalf("save %d: %v", i+1, err)
		}
	}
	if err := sess.Wait(); err != nil {
		t.Fatal(err)
	}
	matchesFull(t, src, dest)
}

// A Session whose first build fails (a layout does not parse, so no page
// can be built) builds everything once the error is fixed.
func TestSessionFirstBuildFails(t *testing.T) {
	src := exampleSources(t)
	const art = "content/articles/trang-thong-tin-sxsh.vi.md"
	const layout = "layouts/single.html"
	src[layout] = &fstest.MapFile{Data: []byte(`{{ define "main" }}{{ if }}{{ end }}`)}
	sess, dest := newSession(t, src)
	ctx := context.Background()
	if res, err := sess.Build(ctx, nil); err == nil || !strings.Contains(err.Error(), layout+":1") || res.Partial {
		t.Fatalf("first build: %v, want the error at %s:1 and nothing published", err, layout)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("a failed first build left a folder: %v", err)
	}
	delete(src, layout)
	res, err := sess.Build(ctx, []string{layout})
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Wait(); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(t.TempDir(), "full")
	want, err := Build(ctx, Options{Source: src, Defaults: defaults(), Destination: full, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != want.Files {
		t.Errorf("the build after the fix wrote %d files, want all %d", res.Files, want.Files)
	}
	if d := sameTree(t, dest, full); d != "" {
		t.Errorf("after the fix the folder is not the full build's:\n%s", d)
	}
	// From then on, saves are incremental.
	edit(src, art, "Năm 2014,", "Từ năm 2014,")
	if res, err = sess.Build(ctx, []string{art}); err != nil || res.Files >= want.Files/2 {
		t.Errorf("a save after recovery: %v, %d files written", err, res.Files)
	}
	if err := sess.Close(); err != nil {
		t.Fatal(err)
	}
}

// editStep is one change an editor makes to the example site, in the
// order of editSteps.
type editStep struct {
	name    string
	change  func()
	changed []string
	// most is how many files the build may write; 0 for no limit.
	most int
	// fails says the build must fail, leaving the folder as it was.
	fails bool
}

// editSteps are every kind of change an editor makes, applied to src one
// after the other: text, titles, terms, links, slugs, files, layouts,
// errors and their fixes, deletions, new sections and page bundles.
func editSteps(t *testing.T, src fstest.MapFS) []editStep {
	const (
		art     = "content/articles/trang-thong-tin-sxsh.vi.md"
		issueEn = "content/newsletters/ban-tin-kcn-2017-03.en.md"
		linked  = "content/articles/ket-qua-sxsh-2016-2020.vi.md"
		issue   = "content/newsletters/ban-tin-kcn-2017-03.vi.md"
		bundle  = "content/articles/ngay-hoi"
		banner  = "content/banners/bien-hoa-kcn-bien-hoa-2.vi.md"
		shows   = "content/articles/ngay-hoi-ghi-lai.vi.md"
	)
	return []editStep{
		{"body edited", func() {
			edit(src, art, "Năm 2014,", "Từ năm 2014,")
		}, []string{art}, 20, false},
		{"saved unchanged", func() {}, []string{art}, 0, false},
		{"both languages edited at once", func() {
			edit(src, art, "Năm 2014,", "Vào năm 2014,")
			edit(src, "content/articles/trang-thong-tin-sxsh.en.md", "In 2014", "Back in 2014")
		}, []string{art, "content/articles/trang-thong-tin-sxsh.en.md"}, 40, false},
		// Lists show the opening of a text without a summary: editing
		// it draws them again.
		{"summary taken out", func() {
			edit(src, art, "\nsummary = ", "\ndescription = ")
		}, []string{art}, 0, false},
		{"the opening of a text without a summary edited", func() {
			edit(src, art, "Từ năm 2014,", "Kể từ năm 2014,")
		}, []string{art}, 20, false},
		{"section introduction edited", func() {
			edit(src, "content/articles/_index.vi.md", "Tin tức", "Tin tức mới")
		}, []string{"content/articles/_index.vi.md"}, 0, false},
		{"section passes params and toc down", func() {
			edit(src, "content/articles/_index.vi.md", "\n+++\n", "\n[cascade]\ntoc = false\n[cascade.params]\nimageAlt = \"Ảnh minh họa\"\n+++\n")
		}, []string{"content/articles/_index.vi.md"}, 0, false},
		{"section's short title and a menu entry", func() {
			edit(src, "content/articles/_index.vi.md", "slug = \"tin-tuc\"", "slug = \"tin-tuc\"\nlinkTitle = \"Tin\"")
			edit(src, art, "+++\n", "+++\nmenu = \"main\"\n")
		}, []string{"content/articles/_index.vi.md", art}, 0, false},
		{"newsletter text edited", func() {
			edit(src, issue, "Số bản tin này", "Bản tin số này")
		}, []string{issue}, 0, false},
		{"title edited", func() {
			edit(src, art, `title = "Trang thông tin SXSH`, `title = "Trang thông tin về SXSH`)
		}, []string{art}, 0, false},
		{"category added", func() {
			edit(src, art, `categories = ["Truyền thông"]`, `categories = ["Truyền thông", "Chuyển đổi số"]`)
		}, []string{art}, 0, false},
		{"article added, linking to another", func() {
			src["content/articles/bai-moi.vi.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Bài mới về tiết kiệm điện\"\ndate = 2026-11-20\ncategories = [\"Tiết kiệm năng lượng\"]\n+++\n\nXem [kết quả](ket-qua-sxsh-2016-2020.vi.md) và ![hình](/images/dao-tao.svg).\n")}
		}, []string{"content/articles/bai-moi.vi.md"}, 0, false},
		{"linked page's slug changed", func() {
			edit(src, linked, "+++\n", "+++\nslug = \"tong-ket-sxsh-2016-2020\"\n")
		}, []string{linked}, 0, false},
		{"translation deleted", func() {
			delete(src, issueEn)
		}, []string{issueEn}, 0, false},
		{"newsletter copies changed", func() {
			edit(src, issue, "copies = 5000", "copies = 6000")
		}, []string{issue}, 0, false},
		{"newsletter PDF replaced", func() {
			name := "static/files/newsletters/ban-tin-kcn-2017-03.pdf"
			src[name] = &fstest.MapFile{Data: append(bytes.Clone(src[name].Data), make([]byte, 40_000)...)}
		}, []string{"static/files/newsletters/ban-tin-kcn-2017-03.pdf"}, 0, false},
		{"image linked from the body replaced", func() {
			src["static/images/dao-tao.svg"] = &fstest.MapFile{Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>`)}
		}, []string{"static/images/dao-tao.svg"}, 0, false},
		{"document's issuer edited", func() {
			edit(src, "content/documents/qd-280-qd-ttg-2019.vi.md", `issuer = "Thủ tướng Chính phủ"`, `issuer = "Thủ tướng"`)
		}, []string{"content/documents/qd-280-qd-ttg-2019.vi.md"}, 0, false},
		{"document's type changed", func() {
			edit(src, "content/documents/qd-280-qd-ttg-2019.vi.md", `docType = "Quyết định"`, `docType = "Chương trình"`)
		}, []string{"content/documents/qd-280-qd-ttg-2019.vi.md"}, 0, false},
		{"document's PDF replaced", func() {
			name := "static/files/documents/qd-1419-qd-ttg-2009.pdf"
			src[name] = &fstest.MapFile{Data: append(bytes.Clone(src[name].Data), make([]byte, 30_000)...)}
		}, []string{"static/files/documents/qd-1419-qd-ttg-2009.pdf"}, 0, false},
		{"a document added, issued in a new year", func() {
			src["content/documents/cv-15-2026.vi.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Công văn 15/SCT-QLCN\"\nsummary = \"Đăng ký tham gia tập huấn SXSH năm 2026.\"\nnumber = \"15/SCT-QLCN\"\ndocType = \"Công văn\"\nissuer = \"Sở Công Thương tỉnh Đồng Nai\"\nissued = 2026-01-05\nfile = \"/files/documents/qd-1419-qd-ttg-2009.pdf\"\n+++\n")}
		}, []string{"content/documents/cv-15-2026.vi.md"}, 0, false},
		{"a contact officer's phone changed in site.toml", func() {
			edit(src, "site.toml", `phone = "0251 3000 105"`, `phone = "0251 3000 106"`)
		}, []string{"site.toml"}, 0, false},
		{"newsletter template overridden", func() {
			tmpl, err := fs.ReadFile(defaults().Layouts, "newsletter.html")
			if err != nil {
				t.Fatal(err)
			}
			src["layouts/newsletter.html"] = &fstest.MapFile{Data: bytes.Replace(tmpl, []byte(`{{ define "main" }}`), []byte(`{{ define "main" }}<p class="x">bản in</p>`), 1)}
		}, []string{"layouts/newsletter.html"}, 20, false},
		{"stylesheet changed", func() {
			src["static/css/extra.css"] = &fstest.MapFile{Data: []byte(".x{color:#333}")}
		}, []string{"static/css/extra.css"}, 0, false},
		{"front matter broken", func() {
			edit(src, art, "+++\n", "+++\ntitle = \"hai lần\"\n")
		}, []string{art}, 0, true},
		{"a layout broken too", func() {
			src["layouts/single.html"] = &fstest.MapFile{Data: []byte(`{{ define "main" }}{{ .Page.Nope }}{{ end }}`)}
		}, []string{"layouts/single.html"}, 0, true},
		{"both fixed", func() {
			edit(src, art, "+++\ntitle = \"hai lần\"\n", "+++\n")
			delete(src, "layouts/single.html")
		}, []string{art, "layouts/single.html"}, 0, false},
		{"a layout alone broken", func() {
			src["layouts/newsletter.html"] = &fstest.MapFile{Data: []byte(`{{ define "main" }}{{ .Page.Nope }}{{ end }}`)}
		}, []string{"layouts/newsletter.html"}, 0, true},
		{"the layout fixed", func() {
			delete(src, "layouts/newsletter.html")
		}, []string{"layouts/newsletter.html"}, 20, false},
		{"article drafted", func() {
			edit(src, "content/articles/bai-moi.vi.md", "+++\n", "+++\ndraft = true\n")
		}, []string{"content/articles/bai-moi.vi.md"}, 0, false},
		{"section renamed by its slug", func() {
			edit(src, "content/articles/_index.vi.md", "slug = \"tin-tuc\"", "slug = \"bai-viet\"")
		}, []string{"content/articles/_index.vi.md"}, 0, false},
		{"a whole folder deleted", func() {
			for name := range src {
				if strings.HasPrefix(name, "content/broadcasts/") {
					delete(src, name)
				}
			}
		}, []string{"content/broadcasts"}, 0, false},
		{"a new section with its pages", func() {
			src["content/huong-dan/_index.vi.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Hướng dẫn\"\n+++\nCác bài hướng dẫn.\n")}
			src["content/huong-dan/do-dien.vi.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Đo điện năng\"\ndate = 2026-11-01\n+++\nĐo trước, tiết kiệm sau.\n")}
		}, []string{"content/huong-dan"}, 0, false},
		{"site.toml changed", func() {
			edit(src, "site.toml", "paginate = 10", "paginate = 3")
		}, []string{"site.toml"}, 0, false},
		{"the footer's e-mail address changed in site.toml", func() {
			edit(src, "site.toml", `email = "lienhe@sxsh.dongnai.gov.vn"`, `email = "sxsh@sct.dongnai.gov.vn"`)
		}, []string{"site.toml"}, 0, false},
		{"a page bundle with its pictures, one shown by another page", func() {
			src[bundle+"/index.vi.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Ngày hội SXSH\"\ndate = 2026-11-21\nimage = \"anh.png\"\n+++\n\n![Gian hàng](anh.png)\n")}
			src[bundle+"/anh.png"] = &fstest.MapFile{Data: flatPNG(600, 400, 90)}
			src[bundle+"/so-do.png"] = &fstest.MapFile{Data: flatPNG(300, 200, 200)}
			src[shows] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Ghi lại ngày hội\"\ndate = 2026-11-22\n+++\n\n![Sơ đồ](ngay-hoi/so-do.png)\n")}
		}, []string{bundle, shows}, 0, false},
		{"a bundle's picture replaced by one of the same size", func() {
			src[bundle+"/anh.png"] = &fstest.MapFile{Data: flatPNG(600, 400, 120)}
		}, []string{bundle + "/anh.png"}, 0, false},
		{"a bundle's picture that another page shows deleted", func() {
			delete(src, bundle+"/so-do.png")
		}, []string{bundle + "/so-do.png"}, 0, true},
		{"that picture put back in static/ and the link mended", func() {
			src["static/images/so-do.png"] = &fstest.MapFile{Data: flatPNG(300, 200, 200)}
			edit(src, shows, "](ngay-hoi/so-do.png)", "](/images/so-do.png)")
		}, []string{"static/images/so-do.png", shows}, 0, false},
		{"a phone's photo in a bundle, and one in static/ shown by a banner", func() {
			src[bundle+"/san-khau.jpg"] = photoFile(1600, 1200, 6, 1)
			edit(src, bundle+"/index.vi.md", "![Gian hàng](anh.png)", "![Gian hàng](anh.png)\n\n![Sân khấu](san-khau.jpg)")
			src["static/images/banners/pano.jpg"] = photoFile(1000, 700, 1, 2)
			edit(src, banner, "photo = ", "photo = \"/images/banners/pano.jpg\"\n# photo = ")
		}, []string{bundle, "static/images/banners/pano.jpg", banner}, 0, false},
		{"the bundle's photo replaced", func() {
			src[bundle+"/san-khau.jpg"] = photoFile(1600, 1200, 8, 3)
		}, []string{bundle + "/san-khau.jpg"}, 0, false},
		{"the banner's photo replaced", func() {
			src["static/images/banners/pano.jpg"] = photoFile(900, 900, 1, 4)
		}, []string{"static/images/banners/pano.jpg"}, 0, false},
		{"the bundle's photo deleted, and its image with it", func() {
			delete(src, bundle+"/san-khau.jpg")
			edit(src, bundle+"/index.vi.md", "\n\n![Sân khấu](san-khau.jpg)", "")
		}, []string{bundle + "/san-khau.jpg", bundle + "/index.vi.md"}, 0, false},
		{"a photo cut short", func() {
			src["static/images/banners/pano.jpg"] = &fstest.MapFile{Data: src["static/images/banners/pano.jpg"].Data[:5000]}
		}, []string{"static/images/banners/pano.jpg"}, 0, true},
		{"the banner's photo deleted, and the banner shows none", func() {
			delete(src, "static/images/banners/pano.jpg")
			edit(src, banner, "photo = \"/images/banners/pano.jpg\"\n# photo = ", "photo = ")
		}, []string{"static/images/banners/pano.jpg", banner}, 0, false},
	}
}

// TestBuildMatchesFullBuild: after every kind of change an editor makes,
// a plain build, which brings the standby tree up to date with what
// changed since it was published and swaps it in, publishes byte for byte
// what a full build of the same sources does, and a small change writes
// few files.
func TestBuildMatchesFullBuild(t *testing.T) {
	t.Parallel() // its own sources and folders; the longest tests run side by side
	src := exampleSources(t)
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	standby := standbyPath(dest)
	ctx := context.Background()
	// One build: the next makes its standby of links to this tree.
	res, err := Build(ctx, Options{Source: src, Defaults: defaults(), Destination: dest, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	all := res.Files
	// The standby is two builds behind: it gets the changes of this step
	// and of the last one that built; at first, only this step's.
	lastMost, bounded := 0, true
	for _, st := range editSteps(t, src) {
		t.Run(st.name, func(t *testing.T) {
			st.change()
			before := hashIfFails(t, st.fails, dest)
			from := standby
			if _, err := os.Stat(standby); err != nil {
				from = dest // the standby will be made of its links
			}
			old := statTree(t, from)
			res, err := Build(ctx, Options{Source: src, Defaults: defaults(), Destination: dest, Now: testNow})
			if res != nil && res.Partial {
				t.Error("a build published part of a site with errors")
			}
			if !builtAsExpected(t, st.fails, res, err, dest, before) {
				return
			}
			got := matchesFull(t, src, dest)
			if res.Unchanged {
				return
			}
			// The files written are those that are not the standby's, under
			// their name or another, whatever the result says.
			bySize := map[int64][]os.FileInfo{}
			for _, fi := range old {
				bySize[fi.Size()] = append(bySize[fi.Size()], fi)
			}
			var written []string
			for rel, f := range got {
				// An inode freed by a replaced file may be reused: the same
				// file is the same inode with the same modification time.
				fi := f.info
				same := func(o os.FileInfo) bool { return os.SameFile(o, fi) && o.ModTime().Equal(fi.ModTime()) }
				if rel != RecordFile && !slices.ContainsFunc(bySize[fi.Size()], same) {
					written = append(written, rel)
				}
			}
			if len(written) != res.Files {
				t.Errorf("the result says %d files written; %d were", res.Files, len(written))
			}
			if most := st.most + lastMost + searchChanges; st.most > 0 && bounded && len(written) > most {
				slices.Sort(written)
				t.Errorf("wrote %d files of %d, want at most %d:\n%s", len(written), all, most, strings.Join(written, "\n"))
			}
			lastMost, bounded = st.most, st.most > 0
			t.Logf("%s: %s", st.name, res)
		})
	}
	kept := map[string]bool{}
	for _, tree := range []string{dest, standby} {
		id := readRecord(tree).Memory
		kept[memoryPrefix(dest)+id] = true
		for _, base := range readBases(memoryPath(dest, id)) {
			kept[filepath.Base(indexPath(dest, base))] = true
		}
	}
	for _, e := range mustReadDir(t, dir) {
		if strings.HasPrefix(e, ".public.") && e != filepath.Base(standby) && !strings.HasPrefix(e, memoryPrefix(dest)) && e != filepath.Base(PictureCache(dest)) {
			t.Errorf("the builds left %s beside the destination", e)
		}
		if strings.HasPrefix(e, memoryPrefix(dest)) && !kept[e] {
			t.Errorf("the builds left %s, a memory or index of no tree", e)
		}
	}
}

// searchChanges bounds the search files a small edit rewrites: the
// manifest, the meta file and the few shards and display files its words
// are in. A Session writes them after its build; a plain build, before.
const searchChanges = 10

// statTree returns the file info of every file under dir, by slash path.
func statTree(t *testing.T, dir string) map[string]os.FileInfo {
	t.Helper()
	out := map[string]os.FileInfo{}
	for _, rel := range files(t, dir, "") {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = fi
	}
	return out
}

func mustReadDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestBuildMemoryCannotMislead: a standby or a memory that is damaged,
// missing or another tree's, or a published file changed by hand, never
// makes a build publish anything but what a full build would, in this
// build or the next.
func TestBuildMemoryCannotMislead(t *testing.T) {
	const art = "content/articles/mot.vi.md"
	src := txtar(goodSite)
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	standby := standbyPath(dest)
	ctx := context.Background()
	text := "Xem [bài hai]"
	n := 0
	build := func(t *testing.T, full bool) *Result {
		t.Helper()
		n++
		next := fmt.Sprintf("Xem (%d) [bài hai]", n)
		edit(src, art, text, next)
		text = next
		res, err := Build(ctx, Options{Source: src, Defaults: defaults(), Destination: dest, Now: testNow, Full: full})
		if err != nil {
			t.Fatal(err)
		}
		matchesFull(t, src, dest)
		return res
	}
	build(t, false)
	build(t, true) // now there is a standby
	standbyMemory := func() string { return memoryPath(dest, readRecord(standby).Memory) }
	steps := []struct {
		name  string
		spoil func()
		full  bool   // the build must draw every page
		says  string // in its warnings, when not ""
	}{
		{"nothing wrong", func() {}, false, ""},
		{"memory damaged", func() {
			data, _ := os.ReadFile(standbyMemory())
			for i := len(data) / 3; i < len(data)/3+64; i++ {
				data[i] ^= 0x5a
			}
			os.WriteFile(standbyMemory(), data, 0o644)
		}, true, ""},
		{"memory cut short", func() {
			data, _ := os.ReadFile(standbyMemory())
			os.WriteFile(standbyMemory(), data[:len(data)/2], 0o644)
		}, true, ""},
		{"memory missing", func() { os.Remove(standbyMemory()) }, true, ""},
		{"search index state damaged", func() {
			for _, base := range readBases(standbyMemory()) {
				data, _ := os.ReadFile(indexPath(dest, base))
				for i := len(data) / 2; i < len(data)/2+16; i++ {
					data[i] ^= 0x5a
				}
				os.WriteFile(indexPath(dest, base), data, 0o644)
			}
		}, true, "drawing every page again: " + filepath.Join(dir, ".public.sxsh-memory-index-")},
		{"search index state missing", func() {
			for _, base := range readBases(standbyMemory()) {
				os.Remove(indexPath(dest, base))
			}
		}, true, ""},
		{"search index state another's", func() {
			bases := readBases(standbyMemory())
			var data [][]byte
			for _, base := range bases {
				d, _ := os.ReadFile(indexPath(dest, base))
				data = append(data, d)
			}
			for i, base := range bases {
				os.WriteFile(indexPath(dest, base), data[(i+1)%len(bases)], 0o644)
			}
		}, true, ""},
		{"another tree's memory", func() {
			data, _ := os.ReadFile(memoryPath(dest, readRecord(dest).Memory))
			os.WriteFile(standbyMemory(), data, 0o644)
		}, true, ""},
		{"standby record missing", func() { os.Remove(filepath.Join(standby, RecordFile)) }, true, ""},
		{"standby record naming no memory", func() {
			f := filepath.Join(standby, RecordFile)
			data, _ := os.ReadFile(f)
			os.WriteFile(f, regexp.MustCompile(`,"memory":"[^"]*"`).ReplaceAll(data, nil), 0o644)
		}, true, ""},
		{"a standby page changed by hand", func() {
			f := filepath.Join(standby, "gioi-thieu", "index.html")
			page, _ := os.ReadFile(f)
			os.WriteFile(f, append(page, "<!-- sửa tay -->"...), 0o644)
		}, true, "drawing every page again: " + standby + " was changed since it was built"},
		{"a published page changed by hand", func() {
			f := filepath.Join(dest, "gioi-thieu", "index.html")
			page, _ := os.ReadFile(f)
			os.WriteFile(f, append(page, "<!-- sửa tay -->"...), 0o644)
		}, false, ""},
		{"a published page deleted by hand", func() { os.Remove(filepath.Join(dest, "tin-tuc", "hai", "index.html")) }, false, ""},
		// The published tree is as its record says: the standby is made
		// of links to it.
		{"standby deleted", func() { os.RemoveAll(standby) }, false, ""},
		{"standby deleted, a published page changed by hand", func() {
			os.RemoveAll(standby)
			f := filepath.Join(dest, "gioi-thieu", "index.html")
			page, _ := os.ReadFile(f)
			os.WriteFile(f, append(page, "<!-- sửa tay -->"...), 0o644)
		}, true, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.spoil()
			res := build(t, false)
			if drewAll := res.KeptPages == 0; drewAll != st.full {
				t.Errorf("drew every page: %v, want %v (%s)", drewAll, st.full, res)
			}
			if st.says != "" && !strings.Contains(res.Warnings.Error(), st.says) {
				t.Errorf("the warnings do not say %q:\n%v", st.says, res.Warnings)
			}
			// The next build, from the tree this one replaced, is right too.
			build(t, false)
		})
	}
}
