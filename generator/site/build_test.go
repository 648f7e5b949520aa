package site

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"sxsh/generator/diag"
)

const siteTOML = `-- site.toml --
baseURL = "https://example.gov.vn/"
paginate = 2
[languages.vi]
title = "Thử"
languageName = "Tiếng Việt"
[languages.en]
title = "Test"
languageName = "English"
weight = 2
[taxonomies.categories]
vi = "chuyen-muc"
en = "categories"
`

const goodSite = siteTOML + `
-- content/articles/_index.vi.md --
+++
title = "Tin tức"
slug = "tin-tuc"
+++
-- content/articles/_index.en.md --
+++
title = "News"
slug = "news"
+++
-- content/articles/mot.vi.md --
+++
title = "Bài một"
date = 2024-01-02
categories = ["Tiết kiệm điện"]
aliases = ["/bai-cu/"]
+++
Xem [bài hai](hai.vi.md#phan-hai) và [giới thiệu](/gioi-thieu/).

<b>đậm</b>
-- content/articles/mot.en.md --
+++
title = "Article one"
slug = "article-one"
date = 2024-01-02
+++
One.
-- content/articles/hai.vi.md --
+++
title = "Bài hai"
date = 2024-02-03
+++
## Phần hai
-- content/articles/ba.vi.md --
+++
title = "Bài ba"
date = "15/03/2024"
+++
Ba.
-- content/articles/nhap.vi.md --
+++
title = "Bản nháp"
date = 2024-01-01
draft = true
+++
-- content/articles/sau.vi.md --
+++
title = "Chưa đến ngày"
date = 2024-01-01
publishDate = 2030-01-01
+++
-- content/articles/het-han.vi.md --
+++
title = "Hết hạn"
date = 2024-01-01
expiryDate = 2025-01-01
+++
-- content/articles/bon.vi.md --
+++
title = "Bài bốn"
date = 2023-01-01
translationKey = "bon"
+++
-- content/articles/four.en.md --
+++
title = "Article four"
date = 2023-01-01
translationKey = "bon"
+++
-- content/gioi-thieu.vi.md --
+++
title = "Giới thiệu"
+++
`

func TestBuildSmallSite(t *testing.T) {
	dest := mustBuild(t, txtar(goodSite), nil)
	mot := read(t, dest, "tin-tuc/mot/index.html")
	for _, want := range []string{
		`href="/tin-tuc/hai/#phan-hai"`, // a link to a Markdown file becomes its page's URL
		`href="/gioi-thieu/"`,
		`&lt;b>đậm&lt;/b>`, // raw HTML is shown, not obeyed
		`href="/chuyen-muc/tiet-kiem-dien/"`,
		`02/01/2024`,
	} {
		if !strings.Contains(mot, want) {
			t.Errorf("tin-tuc/mot/index.html lacks %s", want)
		}
	}
	if strings.Contains(mot, "<b>đậm</b>") {
		t.Errorf("raw HTML was let through")
	}
	if en := read(t, dest, "en/news/article-one/index.html"); !strings.Contains(en, "02 Jan 2024") && !strings.Contains(en, "2 Jan 2024") {
		t.Errorf("English date format missing")
	}
	// A translationKey links files of different names; each keeps its
	// file name as its slug.
	bon := read(t, dest, "tin-tuc/bon/index.html")
	if !strings.Contains(bon, `hreflang="en" href="https://example.gov.vn/en/news/four/"`) {
		t.Errorf("translationKey did not link tin-tuc/bon/ and en/news/four/")
	}
	// Redirect from the alias.
	if a := read(t, dest, "bai-cu/index.html"); !strings.Contains(a, `url=/tin-tuc/mot/`) {
		t.Errorf("alias page does not redirect: %s", a)
	}
	// Drafts, future and expired pages are left out; lists paginate by 2.
	for _, gone := range []string{"tin-tuc/nhap/index.html", "tin-tuc/sau/index.html", "tin-tuc/het-han/index.html"} {
		if _, err := os.Stat(filepath.Join(dest, gone)); err == nil {
			t.Errorf("%s was published", gone)
		}
	}
	list2 := read(t, dest, "tin-tuc/trang/2/index.html")
	if !strings.Contains(list2, "Bài một") || strings.Contains(list2, "Bài ba") {
		t.Errorf("page 2 of the news list should hold the oldest article only")
	}
	if !strings.Contains(read(t, dest, "tin-tuc/index.html"), `href="/tin-tuc/trang/2/"`) {
		t.Errorf("page 1 does not link page 2")
	}
	// With --drafts they are in, and future ones too.
	dest = mustBuild(t, txtar(goodSite), func(o *Options) { o.Drafts = true })
	for _, in := range []string{"tin-tuc/nhap/index.html", "tin-tuc/sau/index.html"} {
		if !strings.Contains(read(t, dest, in), "Bản nháp") && !strings.Contains(read(t, dest, in), "<h1") {
			t.Errorf("%s missing with drafts", in)
		}
	}
}

func TestUnsafeHTMLOptIn(t *testing.T) {
	src := txtar(strings.Replace(goodSite, "paginate = 2", "paginate = 2\nunsafeHTML = true", 1))
	dest := mustBuild(t, src, nil)
	if mot := read(t, dest, "tin-tuc/mot/index.html"); !strings.Contains(mot, "<b>đậm</b>") {
		t.Errorf("raw HTML should pass with unsafeHTML = true")
	}
}

func TestBadInputAllReported(t *testing.T) {
	tests := []struct {
		name  string
		files string
		want  []string // substrings, each expected in one diagnostic
	}{
		{"broken toml", "-- content/a.vi.md --\n+++\ntitle = \"A\n+++\n", []string{"content/a.vi.md:2:"}},
		{"unknown key", "-- content/a.vi.md --\n+++\ntitle = \"A\"\ntittle = \"B\"\n+++\n", []string{`content/a.vi.md:3: unknown key "tittle" (did you mean "title"?)`}},
		{"bad date", "-- content/articles/a.vi.md --\n+++\ntitle = \"A\"\ndate = \"2024-13-45\"\n+++\n", []string{`content/articles/a.vi.md:3:`, `"2024-13-45" is not a date`}},
		{"no front matter", "-- content/a.vi.md --\n# Hello\n", []string{"content/a.vi.md:1: no front matter"}},
		{"same URL", "-- content/a.vi.md --\n+++\ntitle = \"A\"\nslug = \"x\"\n+++\n-- content/b.vi.md --\n+++\ntitle = \"B\"\nslug = \"x\"\n+++\n",
			[]string{"content/b.vi.md:3: URL /x/ is also the URL of content/a.vi.md"}},
		{"slug leaves the site", "-- content/a.vi.md --\n+++\ntitle = \"A\"\nslug = \"../../etc\"\n+++\n", []string{`content/a.vi.md:3: slug "../../etc"`}},
		{"alias leaves the site", "-- content/a.vi.md --\n+++\ntitle = \"A\"\naliases = [\"/ok/\", \"/../../x/\"]\n+++\n", []string{`content/a.vi.md:3: alias "/../../x/"`}},
		{"unknown language suffix", "-- content/a.fr.md --\n+++\ntitle = \"A\"\n+++\n", []string{`content/a.fr.md: the file name ends in .fr.md`}},
		{"broken link", "-- content/a.vi.md --\n+++\ntitle = \"A\"\n+++\n\nXem [b](b.vi.md).\n", []string{`content/a.vi.md:5:5: broken link "b.vi.md"`}},
		{"missing image", "-- content/a.vi.md --\n+++\ntitle = \"A\"\nimage = \"/images/khong-co.png\"\n+++\n", []string{`content/a.vi.md:3: image /images/khong-co.png is not in static/`}},
		{"template error", "-- content/a.vi.md --\n+++\ntitle = \"A\"\n+++\n-- layouts/single.html --\n{{ define \"main\" }}{{ .Nope }}{{ end }}\n", []string{`layouts/single.html:1:`}},
		// The footer is drawn once per language: one that shows the page
		// it is on would show the first page's on all of them.
		{"footer reads the page", "-- content/a.vi.md --\n+++\ntitle = \"A\"\n+++\n-- layouts/partials/footer.html --\n<footer>\n{{ .Page.Title }}</footer>\n", []string{`layouts/partials/footer.html:2:`, `can't evaluate field Page`}},
		{"static path written from the folder", "-- content/a.vi.md --\n+++\ntitle = \"A\"\nimage = \"static/images/x.svg\"\n+++\n-- static/images/x.svg --\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n", []string{`content/a.vi.md:3: image static/images/x.svg: write "/images/x.svg": the path of a file in static/ starts with / and leaves static/ out`}},
		{"relative picture outside a bundle", "-- content/a.vi.md --\n+++\ntitle = \"A\"\n+++\n\n![Sơ đồ](so-do.png)\n", []string{`content/a.vi.md:5:1: broken link "so-do.png": no picture at /a/so-do.png`, `put the file in static/ and write its path from / (/images/so-do.png)`}},
		{"newer page blamed for a taken URL", "-- content/articles/a.vi.md --\n+++\ntitle = \"A\"\ndate = 2024-09-01\nslug = \"x\"\n+++\n-- content/articles/b.vi.md --\n+++\ntitle = \"B\"\ndate = 2020-01-01\nslug = \"x\"\n+++\n",
			[]string{"content/articles/a.vi.md:4: URL /articles/x/ is also the URL of content/articles/b.vi.md; give one of them another slug"}},
		{"share image missing", "-- site.toml --\nbaseURL = \"https://x.gov.vn/\"\nshareImage = \"/images/khong-co.jpg\"\n[languages.vi]\ntitle = \"T\"\n", []string{`site.toml:2: shareImage /images/khong-co.jpg is not in static/`}},
		{"config unknown key", "-- site.toml --\nbaseURL = \"https://x.gov.vn/\"\npaginat = 3\n[languages.vi]\ntitle = \"T\"\n", []string{`site.toml:2: unknown key "paginat" (did you mean "paginate"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			archive := siteTOML + tt.files
			if strings.HasPrefix(tt.files, "-- site.toml") {
				archive = tt.files
			}
			_, err := build(t, txtar(archive), filepath.Join(t.TempDir(), "public"), nil)
			list, ok := err.(diag.List)
			if !ok {
				t.Fatalf("want a diag.List, got %T %v", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(list.Error(), w) {
					t.Errorf("errors lack %q:\n%s", w, list.Error())
				}
			}
		})
	}
	// All at once: every file's problem in one run.
	var all strings.Builder
	all.WriteString(siteTOML)
	for _, tt := range tests[:8] {
		all.WriteString(strings.ReplaceAll(tt.files, "content/", "content/"+strings.ReplaceAll(tt.name, " ", "-")+"/"))
	}
	_, err := build(t, txtar(all.String()), filepath.Join(t.TempDir(), "public"), nil)
	list, _ := err.(diag.List)
	files := map[string]bool{}
	for _, d := range list.Errors() {
		files[strings.SplitN(d.File, "/", 3)[1]] = true
	}
	if len(files) < 7 {
		t.Errorf("one run reported problems in %d folders, want all of them:\n%v", len(files), err)
	}
}

func TestTranslationKeyWithoutPartnerWarns(t *testing.T) {
	src := txtar(siteTOML + "-- content/a.vi.md --\n+++\ntitle = \"A\"\ntranslationKey = \"khong-co\"\n+++\n")
	res, err := build(t, src, filepath.Join(t.TempDir(), "public"), nil)
	if err != nil {
		t.Fatalf("a lone translationKey must not fail the build: %v", err)
	}
	if !strings.Contains(res.Warnings.Error(), `content/a.vi.md:3: warning: translationKey "khong-co" matches no page`) {
		t.Errorf("warnings = %q", res.Warnings.Error())
	}
}

func TestFailedBuildLeavesDestinationUntouched(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, txtar(goodSite), dest, nil); err != nil {
		t.Fatal(err)
	}
	before := treeHash(t, dest)
	broken := goodSite + "-- content/hong.vi.md --\n+++\ntitle = \"Hỏng\"\ndate = 2024-99-99\n+++\n"
	_, err := build(t, txtar(broken), dest, nil)
	if err == nil || !strings.Contains(err.Error(), "content/hong.vi.md:3:") {
		t.Fatalf("want an error naming content/hong.vi.md:3, got %v", err)
	}
	if after := treeHash(t, dest); after != before {
		t.Errorf("the failed build changed the published site")
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	for _, e := range entries {
		if e.Name() != "public" && !strings.HasPrefix(e.Name(), memoryPrefix(dest)) && e.Name() != filepath.Base(standbyPath(dest)) {
			t.Errorf("the failed build left %s beside the destination", e.Name())
		}
	}
}

func TestRemovedPagesDoNotLinger(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, txtar(goodSite), dest, nil); err != nil {
		t.Fatal(err)
	}
	read(t, dest, "tin-tuc/ba/index.html")
	src := txtar(goodSite)
	delete(src, "content/articles/ba.vi.md")
	if _, err := build(t, src, dest, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "tin-tuc/ba/index.html")); !os.IsNotExist(err) {
		t.Errorf("the removed page is still published")
	}
}

func TestPagerWindow(t *testing.T) {
	tests := []struct {
		n, total int
		want     string
	}{
		{1, 1, "[1]"},
		{1, 3, "[1 2 3]"},
		{1, 10, "[1 2 3 0 10]"},
		{5, 10, "[1 0 3 4 5 6 7 0 10]"},
		{4, 10, "[1 2 3 4 5 6 0 10]"},
		{10, 10, "[1 0 8 9 10]"},
		{500, 1000, "[1 0 498 499 500 501 502 0 1000]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(pagerWindow(tt.n, tt.total)); got != tt.want {
			t.Errorf("pagerWindow(%d, %d) = %s, want %s", tt.n, tt.total, got, tt.want)
		}
	}
}

func TestUnchangedSiteIsNotRebuilt(t *testing.T) {
	dir := t.TempDir()
	src := txtar(goodSite)
	full := filepath.Join(dir, "full")
	if _, err := build(t, src, full, nil); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "public")
	res, err := build(t, src, dest, nil)
	if err != nil || res.Unchanged {
		t.Fatalf("first build: %v, unchanged %v", err, res != nil && res.Unchanged)
	}
	before := treeHash(t, dest)
	// The same site again: nothing is rewritten, and the output is the
	// full build's, byte for byte.
	res, err = build(t, src, dest, nil)
	if err != nil || !res.Unchanged {
		t.Fatalf("second build: %v, unchanged %v", err, res != nil && res.Unchanged)
	}
	if treeHash(t, dest) != before || treeHash(t, full) != before {
		t.Errorf("the unchanged build's output differs from a full build's")
	}
	// Any change is seen: a content file, a layout, an option, the clock
	// crossing a publish date, a file removed from the output.
	changes := []struct {
		name string
		mod  func(fsys map[string][]byte, o *Options)
	}{
		{"content edited", func(f map[string][]byte, o *Options) {
			f["content/articles/hai.vi.md"] = append(f["content/articles/hai.vi.md"], "\nThêm.\n"...)
		}},
		{"draft edited", func(f map[string][]byte, o *Options) {
			f["content/articles/nhap.vi.md"] = append(f["content/articles/nhap.vi.md"], "x"...)
		}},
		{"layout added", func(f map[string][]byte, o *Options) { f["layouts/partials/extra.html"] = []byte("x") }},
		{"static edited", func(f map[string][]byte, o *Options) { f["static/css/extra.css"] = []byte("a{}") }},
		{"option", func(f map[string][]byte, o *Options) { o.BaseURL = "https://other.gov.vn/" }},
		{"version", func(f map[string][]byte, o *Options) { o.Version = "next" }},
		{"time passes a publish date", func(f map[string][]byte, o *Options) { o.Now = time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC) }},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range src {
				files[k] = append([]byte(nil), v.Data...)
			}
			var opt Options
			c.mod(files, &opt)
			fsys := fstest.MapFS{}
			for k, v := range files {
				fsys[k] = &fstest.MapFile{Data: v}
			}
			res, err := build(t, fsys, dest, func(o *Options) {
				if opt.BaseURL != "" {
					o.BaseURL = opt.BaseURL
				}
				if opt.Version != "" {
					o.Version = opt.Version
				}
				if !opt.Now.IsZero() {
					o.Now = opt.Now
				}
			})
			if err != nil || res.Unchanged {
				t.Errorf("a change went unseen: %v", err)
			}
			// Back to the original for the next case.
			if _, err := build(t, src, dest, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
	os.Remove(filepath.Join(dest, "robots.txt"))
	if res, _ := build(t, src, dest, nil); res == nil || res.Unchanged {
		t.Errorf("a file missing from the output went unseen")
	}
	if _, err := os.Stat(filepath.Join(dest, "robots.txt")); err != nil {
		t.Errorf("the rebuild did not restore the missing file")
	}
}

func TestDraftBadge(t *testing.T) {
	dest := mustBuild(t, txtar(goodSite), func(o *Options) { o.Drafts = true })
	for _, f := range []string{"tin-tuc/nhap/index.html", "tin-tuc/sau/index.html"} {
		if !strings.Contains(read(t, dest, f), `<span class="badge">Bản nháp</span>`) {
			t.Errorf("%s: no draft badge", f)
		}
	}
	if strings.Contains(read(t, dest, "tin-tuc/mot/index.html"), `<span class="badge">Bản nháp</span>`) {
		t.Errorf("a published page has the draft badge")
	}
}
