package content

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// describeSite prints what linking made of a site, page by page, for
// comparing two loads.
func describeSite(s *Site) string {
	var b strings.Builder
	for _, p := range s.Pages {
		fmt.Fprintf(&b, "%s %s %s %q sum=%x parent=%v", p.Path, p.Kind, p.File, p.Title, p.Sum, p.Parent != nil)
		for _, t := range p.Translations {
			fmt.Fprintf(&b, " tr=%s", t.Path)
		}
		for _, q := range p.Pages {
			fmt.Fprintf(&b, " item=%s", q.Path)
		}
		for name, terms := range p.Terms {
			for _, t := range terms {
				fmt.Fprintf(&b, " %s=%s", name, t.Path)
			}
		}
		b.WriteString("\n")
	}
	for _, a := range s.Aliases {
		fmt.Fprintf(&b, "alias %s → %s\n", a.Path, a.To.Path)
	}
	return b.String()
}

// fourPages is a small bilingual site: two articles, a translation and a page with an alias.
func fourPages() fstest.MapFS {
	return fstest.MapFS{
		"content/articles/a.md":    article("Tiết kiệm điện", `"Năng lượng"`, "Thân bài A.\n"),
		"content/articles/a.en.md": article("Saving power", `"Energy"`, "Body A.\n"),
		"content/articles/b.md":    article("Sản xuất sạch hơn", `"SXSH"`, "Thân bài B.\n"),
		"content/about.md":         {Data: []byte("+++\ntitle = \"Giới thiệu\"\naliases = [\"/gioi-thieu-cu/\"]\n+++\nVề chúng tôi.\n")},
	}
}

func article(title, cats string, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("+++\ntitle = \"" + title + "\"\ndate = 2026-11-01\ncategories = [" + cats + "]\n+++\n" + body)}
}

// A load through a Cache, after files changed and were forgotten, links
// the same site as a load from scratch, and the pages it kept read their
// bodies again.
func TestCacheReloadsOnlyWhatWasForgotten(t *testing.T) {
	cfg := testConfig(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	fsys := fourPages()
	var c Cache
	opts := Options{Now: now, Cache: &c}
	if _, errs := Load(fsys, cfg, opts); errs.HasErrors() {
		t.Fatal(errs)
	}
	// A changed file the cache is not told about stays as it was read.
	fsys["content/articles/b.md"] = article("Sản xuất sạch hơn nữa", `"SXSH", "Năng lượng"`, "Thân bài B mới.\n")
	fsys["content/articles/c.md"] = article("Bài mới", `"SXSH"`, "Thân bài C.\n")
	delete(fsys, "content/articles/a.en.md")
	s, errs := Load(fsys, cfg, opts)
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	if got := s.ByFile["content/articles/b.md"].Title; got != "Sản xuất sạch hơn" {
		t.Errorf("an unforgotten file was read again: title %q", got)
	}
	c.Forget("content/articles/b.md")
	s, errs = Load(fsys, cfg, opts)
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	fresh, errs := Load(fsys, cfg, Options{Now: now})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	if got, want := describeSite(s), describeSite(fresh); got != want {
		t.Errorf("cached load:\n%s\nfresh load:\n%s", got, want)
	}
	a := s.ByFile["content/articles/a.md"]
	if a.Body != nil {
		t.Errorf("a cached page kept its body")
	}
	if err := a.ReadBody(fsys); err != nil || string(a.Body) != "Thân bài A.\n" || a.BodyLine != 6 {
		t.Errorf("ReadBody: %q line %d, %v", a.Body, a.BodyLine, err)
	}
	// A file that failed keeps failing from the cache, until forgotten.
	fsys["content/articles/a.md"] = &fstest.MapFile{Data: []byte("no front matter")}
	c.Forget("content/articles")
	if _, errs := Load(fsys, cfg, opts); !errs.HasErrors() {
		t.Fatal("a broken file loaded")
	}
	if _, errs := Load(fsys, cfg, opts); !errs.HasErrors() || !strings.Contains(errs.Error(), "content/articles/a.md:1") {
		t.Fatalf("the cached failure is lost: %v", errs)
	}
}

// A page below a cascade takes what it does not set itself from above: an
// edit that removes its own value must be linked again, so that it takes
// the cascade's, and taking it must not write into the cache's reading.
func TestRefreshUnderCascade(t *testing.T) {
	cfg := testConfig(t)
	fsys := fstest.MapFS{
		"content/articles/_index.vi.md": {Data: []byte("+++\ntitle = \"Tin\"\n[cascade]\nimage = \"/images/c.jpg\"\nauthor = \"Ban biên tập\"\n+++\n")},
		"content/articles/a.vi.md":      {Data: []byte("+++\ntitle = \"A\"\ndate = 2026-11-01\nimage = \"/images/a.jpg\"\nauthor = \"Tác giả A\"\n+++\nThân bài.\n")},
		"content/articles/b.vi.md":      {Data: []byte("+++\ntitle = \"B\"\ndate = 2026-11-02\n+++\nThân bài.\n")},
	}
	var cache Cache
	s, errs := Load(fsys, cfg, Options{Cache: &cache})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	a := s.ByFile["content/articles/a.vi.md"]
	if a.Image != "/images/a.jpg" || a.Article.Author != "Tác giả A" {
		t.Fatalf("a's own values: %q %q", a.Image, a.Article.Author)
	}
	fsys["content/articles/a.vi.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"A\"\ndate = 2026-11-01\n+++\nThân bài đã sửa.\n")}
	if cache.Refresh(fsys, cfg, a) {
		t.Error("Refresh took an edit below a cascade in place: the page would not take the cascade's values")
	}
	// Loaded again, both pages take the cascade's values, and the cache's
	// reading of b is still b's own.
	cache.Forget("content/articles/a.vi.md")
	s, _ = Load(fsys, cfg, Options{Cache: &cache})
	for _, f := range []string{"content/articles/a.vi.md", "content/articles/b.vi.md"} {
		p := s.ByFile[f]
		if p.Image != "/images/c.jpg" || p.Article.Author != "Ban biên tập" {
			t.Errorf("%s: image %q, author %q: not the cascade's", f, p.Image, p.Article.Author)
		}
	}
	delete(fsys, "content/articles/_index.vi.md")
	cache.Forget("content/articles/_index.vi.md")
	s, _ = Load(fsys, cfg, Options{Cache: &cache})
	if b := s.ByFile["content/articles/b.vi.md"]; b.Image != "" || b.Article.Author != "" {
		t.Errorf("without the cascade, b keeps image %q, author %q from it", b.Image, b.Article.Author)
	}
}
