package site

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sxsh/generator/diag"
	"sxsh/generator/picture"
)

// crumbs returns the links of a page's breadcrumbs, as "URL Name".
func crumbs(t *testing.T, doc string) []string {
	t.Helper()
	i := strings.Index(doc, `class="breadcrumbs`)
	if i < 0 {
		t.Fatalf("no breadcrumbs")
	}
	nav := doc[i:]
	nav = nav[:strings.Index(nav, "</nav>")]
	var out []string
	for _, part := range strings.Split(nav, "<a ")[1:] {
		href := part[strings.Index(part, `href="`)+6:]
		href = href[:strings.IndexByte(href, '"')]
		name := part[strings.IndexByte(part, '>')+1 : strings.Index(part, "</a>")]
		out = append(out, href+" "+name)
	}
	return out
}

// buildWarns builds src, failing the test on error, and returns the
// destination and the warnings.
func buildWarns(t *testing.T, src fs.FS) (dest, warnings string) {
	t.Helper()
	dest = filepath.Join(t.TempDir(), "public")
	res, err := build(t, src, dest, nil)
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return dest, res.Warnings.Error()
}

func exists(dest, rel string) bool {
	_, err := os.Stat(filepath.Join(dest, filepath.FromSlash(rel)))
	return err == nil
}

// buildFails builds src and returns its errors, failing the test if it
// passes.
func buildFails(t *testing.T, archive string) string {
	t.Helper()
	_, err := build(t, txtar(archive), filepath.Join(t.TempDir(), "public"), nil)
	list, ok := err.(diag.List)
	if !ok {
		t.Fatalf("want a diag.List, got %T %v", err, err)
	}
	return list.Error()
}

const nestedSite = siteTOML + `
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
-- content/articles/hoat-dong/_index.vi.md --
+++
title = "Hoạt động"
+++
Các hoạt động của chương trình.
-- content/articles/hoat-dong/_index.en.md --
+++
title = "Activities"
slug = "activities"
+++
-- content/articles/hoat-dong/gioi-thieu.vi.md --
+++
title = "Giới thiệu hoạt động"
date = 2024-01-05
+++
-- content/articles/hoat-dong/2024/_index.vi.md --
+++
title = "Năm 2024"
slug = "nam-2024"
+++
-- content/articles/hoat-dong/2024/tap-huan.vi.md --
+++
title = "Tập huấn SXSH"
date = 2024-03-01
author = "Trung tâm"
+++
Tập huấn.
-- content/articles/hoat-dong/2024/tap-huan.en.md --
+++
title = "Cleaner production training"
slug = "training"
date = 2024-03-01
+++
Training.
-- content/articles/hoat-dong/2024/Tháng 3/hoi-thao.vi.md --
+++
title = "Hội thảo tháng 3"
date = 2024-03-20
+++
`

// Folders with an _index file are sections at any depth, with URLs made of
// each level's slug; a folder without one keeps its name in its pages'
// URLs, and its pages belong to the section above. Breadcrumbs go through
// every level; a list shows its own pages and its subsections.
func TestNestedSections(t *testing.T) {
	dest := mustBuild(t, txtar(nestedSite), nil)
	page := read(t, dest, "tin-tuc/hoat-dong/nam-2024/tap-huan/index.html")
	want := []string{"/ Trang chủ", "/tin-tuc/ Tin tức", "/tin-tuc/hoat-dong/ Hoạt động", "/tin-tuc/hoat-dong/nam-2024/ Năm 2024"}
	if got := crumbs(t, page); !slices.Equal(got, want) {
		t.Errorf("breadcrumbs of tap-huan:\n got %q\nwant %q", got, want)
	}
	// The type still comes from the top-level folder: an article's author.
	if !strings.Contains(page, "Trung tâm") {
		t.Errorf("the nested article does not show its author")
	}
	if !strings.Contains(page, `hreflang="en" href="https://example.gov.vn/en/news/activities/2024/training/"`) {
		t.Errorf("tap-huan is not linked to its translation under the English section path")
	}
	// Without an _index.en.md, the English 2024 section is named after its
	// folder, under the English parent's slug.
	en := read(t, dest, "en/news/activities/2024/training/index.html")
	want = []string{"/en/ Home", "/en/news/ News", "/en/news/activities/ Activities", "/en/news/activities/2024/ 2024"}
	if got := crumbs(t, en); !slices.Equal(got, want) {
		t.Errorf("breadcrumbs of training:\n got %q\nwant %q", got, want)
	}
	// A folder that is not a section: in the URL, not in the breadcrumbs.
	hoi := read(t, dest, "tin-tuc/hoat-dong/nam-2024/thang-3/hoi-thao/index.html")
	if got := crumbs(t, hoi); len(got) != 4 || got[3] != "/tin-tuc/hoat-dong/nam-2024/ Năm 2024" {
		t.Errorf("breadcrumbs of hoi-thao: %q, want them to end at Năm 2024", got)
	}

	links := func(rel string) []string {
		var out []string
		for _, a := range find(tags(read(t, dest, rel)), "a") {
			out = append(out, a.attrs["href"])
		}
		return out
	}
	list := links("tin-tuc/hoat-dong/index.html")
	for _, href := range []string{"/tin-tuc/hoat-dong/nam-2024/", "/tin-tuc/hoat-dong/gioi-thieu/"} {
		if !slices.Contains(list, href) {
			t.Errorf("the list of Hoạt động does not link %s", href)
		}
	}
	if slices.Contains(list, "/tin-tuc/hoat-dong/nam-2024/tap-huan/") {
		t.Errorf("the list of Hoạt động shows a page of its subsection")
	}
	if top := read(t, dest, "tin-tuc/index.html"); !strings.Contains(top, `href="/tin-tuc/hoat-dong/"`) || !strings.Contains(top, "Chuyên mục con") {
		t.Errorf("the top section does not show its subsection")
	}
	year := links("tin-tuc/hoat-dong/nam-2024/index.html")
	for _, href := range []string{"/tin-tuc/hoat-dong/nam-2024/tap-huan/", "/tin-tuc/hoat-dong/nam-2024/thang-3/hoi-thao/"} {
		if !slices.Contains(year, href) {
			t.Errorf("the list of Năm 2024 does not link %s", href)
		}
	}
	if !exists(dest, "tin-tuc/hoat-dong/nam-2024/index.xml") {
		t.Errorf("the nested section has no feed")
	}
	// The home's "all news" leads to the top-level section.
	if home := read(t, dest, "index.html"); !strings.Contains(home, `class="more" href="/tin-tuc/"`) {
		t.Errorf("the home's link to all news does not lead to /tin-tuc/")
	}
}

var bundleSite = siteTOML + `
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
-- content/articles/ngay-hoi/index.vi.md --
+++
title = "Ngày hội SXSH"
date = 2024-05-01
image = "anh.jpg"
+++
![Gian hàng](anh.jpg)

[Kế hoạch](tai-lieu/ke-hoach.pdf)
-- content/articles/ngay-hoi/index.en.md --
+++
title = "Cleaner production day"
slug = "open-day"
date = 2024-05-01
image = "anh.jpg"
+++
![Stands](anh.jpg)
-- content/articles/ngay-hoi/anh.jpg --
ảnh JPEG giả
-- content/articles/ngay-hoi/tai-lieu/ke-hoach.pdf --
%PDF kế hoạch
-- content/articles/ngay-hoi/ghi-chu.vi.md --
+++
title = "Ghi chú"
+++
-- content/newsletters/2019-12/index.vi.md --
+++
title = "Bản tin số 12"
date = 2019-12-01
publication = "Bản tin KCN"
issue = 12
copies = 5000
pages = 16
pdf = "ban-tin.pdf"
cover = "bia.svg"
+++
-- content/newsletters/2019-12/ban-tin.pdf --
` + strings.Repeat("PDF ", 500) + `
-- content/newsletters/2019-12/bia.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
`

// A leaf bundle is the page of its folder; its other files are copied
// beside the page in each language, and its text and front matter name
// them relative to the folder.
func TestLeafBundle(t *testing.T) {
	src := txtar(bundleSite)
	src["content/articles/ngay-hoi/anh.jpg"] = photoFile(400, 300, 6, 1)
	dest, warnings := buildWarns(t, src)
	// The picture is shown by its copy beside it: as wide as the
	// original, which is narrower than the copies' widths, and upright.
	anh := copyName(src["content/articles/ngay-hoi/anh.jpg"].Data, "anh.jpg", 400)
	for rel, from := range map[string]string{
		"tin-tuc/ngay-hoi/anh.jpg":               "content/articles/ngay-hoi/anh.jpg",
		"tin-tuc/ngay-hoi/tai-lieu/ke-hoach.pdf": "content/articles/ngay-hoi/tai-lieu/ke-hoach.pdf",
		"en/news/open-day/anh.jpg":               "content/articles/ngay-hoi/anh.jpg",
		"en/news/open-day/tai-lieu/ke-hoach.pdf": "content/articles/ngay-hoi/tai-lieu/ke-hoach.pdf",
		"newsletters/2019-12/ban-tin.pdf":        "content/newsletters/2019-12/ban-tin.pdf",
		"newsletters/2019-12/bia.svg":            "content/newsletters/2019-12/bia.svg",
	} {
		// A photo is published without its hidden details.
		if got := read(t, dest, rel); got != string(picture.Clean(from, src[from].Data)) {
			t.Errorf("%s is not a copy of %s", rel, from)
		}
	}
	for _, dir := range []string{"tin-tuc/ngay-hoi/", "en/news/open-day/"} {
		if !exists(dest, dir+anh) {
			t.Errorf("no copy %s beside the page's copy of anh.jpg", dir+anh)
		}
	}
	vi := tags(read(t, dest, "tin-tuc/ngay-hoi/index.html"))
	if len(find(vi, "img", "src", "/tin-tuc/ngay-hoi/"+anh, "width", "400", "height", "300")) != 2 {
		t.Errorf("the page does not show anh.jpg from its front matter and its text")
	}
	if len(find(vi, "a", "href", "/tin-tuc/ngay-hoi/tai-lieu/ke-hoach.pdf")) != 1 {
		t.Errorf("the link to the bundle's PDF does not lead to its copy")
	}
	if en := tags(read(t, dest, "en/news/open-day/index.html")); len(find(en, "img", "src", "/en/news/open-day/"+anh)) != 2 {
		t.Errorf("the English page does not show its own copy of anh.jpg")
	}
	if len(find(tags(read(t, dest, "tin-tuc/index.html")), "img", "src", "/tin-tuc/ngay-hoi/"+anh)) != 1 {
		t.Errorf("the list's card does not show the bundle's picture")
	}
	issue := read(t, dest, "newsletters/2019-12/index.html")
	if !strings.Contains(issue, `href="/newsletters/2019-12/ban-tin.pdf"`) || !strings.Contains(issue, "(PDF, 2 KB)") {
		t.Errorf("the issue does not link its PDF with its size")
	}
	if !strings.Contains(issue, `src="/newsletters/2019-12/bia.svg"`) {
		t.Errorf("the issue does not show its cover")
	}
	// Only the index file is a page; another Markdown file in the bundle
	// is not published, and the build says so.
	for _, gone := range []string{"tin-tuc/ngay-hoi/index/index.html", "tin-tuc/ngay-hoi/ghi-chu/index.html"} {
		if exists(dest, gone) {
			t.Errorf("%s was published", gone)
		}
	}
	if !strings.Contains(warnings, "content/articles/ngay-hoi/ghi-chu.vi.md: warning: inside the page bundle") {
		t.Errorf("no warning about the Markdown file inside the bundle:\n%s", warnings)
	}
}

// A bundle's missing files are errors naming the file and line.
func TestBundleMissingFiles(t *testing.T) {
	errs := buildFails(t, siteTOML+`
-- content/articles/x/index.vi.md --
+++
title = "X"
date = 2024-01-01
image = "khong-co.jpg"
+++
-- content/articles/x/anh.jpg --
x
`)
	if want := `content/articles/x/index.vi.md:4: image khong-co.jpg is neither a file of a page bundle (content/articles/x/khong-co.jpg) nor in static/`; !strings.Contains(errs, want) {
		t.Errorf("errors lack %q:\n%s", want, errs)
	}
	errs = buildFails(t, siteTOML+`
-- content/articles/x/index.vi.md --
+++
title = "X"
date = 2024-01-01
+++

Xem ![sơ đồ](so-do.png).
-- content/articles/x/anh.jpg --
x
`)
	if want := `content/articles/x/index.vi.md:6:5: broken link "so-do.png": no file content/articles/x/so-do.png`; !strings.Contains(errs, want) {
		t.Errorf("errors lack %q:\n%s", want, errs)
	}
}

// The files beside a section's _index file are the section's; a file in
// a folder that is no bundle is left out with a warning.
func TestBranchBundle(t *testing.T) {
	src := txtar(siteTOML + `
-- content/articles/_index.vi.md --
+++
title = "Tin tức"
slug = "tin-tuc"
image = "bia.svg"
+++
![Sơ đồ](so-do.svg)
-- content/articles/_index.en.md --
+++
title = "News"
slug = "news"
+++
![Chart](so-do.svg)
-- content/articles/so-do.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
-- content/articles/bia.svg --
<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>
-- content/articles/2019/mot.vi.md --
+++
title = "Một"
date = 2019-01-01
+++
-- content/articles/2019/anh.png --
png
`)
	dest, warnings := buildWarns(t, src)
	for _, rel := range []string{"tin-tuc/so-do.svg", "tin-tuc/bia.svg", "en/news/so-do.svg", "en/news/bia.svg"} {
		if !exists(dest, rel) {
			t.Errorf("%s was not published", rel)
		}
	}
	if !strings.Contains(read(t, dest, "tin-tuc/index.html"), `src="/tin-tuc/so-do.svg"`) {
		t.Errorf("the section's text does not show its picture")
	}
	if !strings.Contains(read(t, dest, "en/news/index.html"), `src="/en/news/so-do.svg"`) {
		t.Errorf("the English section's text does not show its copy of the picture")
	}
	if exists(dest, "tin-tuc/2019/anh.png") {
		t.Errorf("a file outside any bundle was published")
	}
	if !strings.Contains(warnings, "content/articles/2019/anh.png: warning: not a Markdown file and not in a page bundle") {
		t.Errorf("no warning about the file outside a bundle:\n%s", warnings)
	}
}

// A headless bundle has no page, but its files are published for other
// pages, which name them by a path relative to their own file.
func TestHeadlessBundle(t *testing.T) {
	src := txtar(siteTOML + `
-- content/thu-vien/index.md --
+++
headless = true
+++
-- content/thu-vien/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>
-- content/articles/mot.vi.md --
+++
title = "Một"
date = 2024-01-01
image = "../thu-vien/logo.svg"
+++
![Logo](../thu-vien/logo.svg)
-- content/articles/mot.en.md --
+++
title = "One"
date = 2024-01-01
+++
![Logo](../thu-vien/logo.svg)
`)
	dest := mustBuild(t, src, nil)
	if read(t, dest, "thu-vien/logo.svg") != string(src["content/thu-vien/logo.svg"].Data) {
		t.Errorf("the headless bundle's file was not published")
	}
	if exists(dest, "thu-vien/index.html") {
		t.Errorf("a headless bundle has a page")
	}
	if strings.Contains(read(t, dest, "sitemap.xml"), "thu-vien") {
		t.Errorf("the sitemap lists the headless bundle")
	}
	if len(find(tags(read(t, dest, "articles/mot/index.html")), "img", "src", "/thu-vien/logo.svg")) != 2 {
		t.Errorf("the page does not show the headless bundle's file from its front matter and text")
	}
	// The bundle has no English version: English pages use the copy there is.
	if len(find(tags(read(t, dest, "en/articles/mot/index.html")), "img", "src", "/thu-vien/logo.svg")) != 1 {
		t.Errorf("the English page does not show the headless bundle's file")
	}
	errs := buildFails(t, siteTOML+"-- content/a.vi.md --\n+++\ntitle = \"A\"\nheadless = true\n+++\n")
	if !strings.Contains(errs, "content/a.vi.md:3: headless = true is for the index file of a page bundle") {
		t.Errorf("headless on a plain page: %s", errs)
	}
}

// Each language may have a content folder of its own, whose files need no
// language suffix; pages at the same place in two folders are
// translations.
func TestContentDirPerLanguage(t *testing.T) {
	const langs = `-- site.toml --
baseURL = "https://example.gov.vn/"
[languages.vi]
title = "Thử"
contentDir = "content/vi"
[languages.en]
title = "Test"
weight = 2
contentDir = "content/en"
`
	src := txtar(langs + `
-- content/vi/_index.md --
+++
title = "Trang chủ"
+++
-- content/vi/articles/_index.md --
+++
title = "Tin tức"
slug = "tin-tuc"
+++
-- content/vi/articles/tiet-kiem.md --
+++
title = "Tiết kiệm điện"
date = 2024-01-01
+++
Xem [bài khác](khac.md).
-- content/vi/articles/khac.md --
+++
title = "Bài khác"
date = 2024-01-02
+++
-- content/en/articles/_index.md --
+++
title = "News"
slug = "news"
+++
-- content/en/articles/tiet-kiem.md --
+++
title = "Saving power"
slug = "saving-power"
date = 2024-01-01
+++
See [the English-only page](/articles/english-only.md).
-- content/en/articles/english-only.md --
+++
title = "English only"
date = 2024-01-03
+++
-- content/ghi-chu.md --
+++
title = "Ghi chú"
+++
`)
	dest, warnings := buildWarns(t, src)
	vi := read(t, dest, "tin-tuc/tiet-kiem/index.html")
	if !strings.Contains(vi, `hreflang="en" href="https://example.gov.vn/en/news/saving-power/"`) {
		t.Errorf("the pages of the two content folders are not linked as translations")
	}
	if !strings.Contains(vi, `href="/tin-tuc/khac/"`) {
		t.Errorf("a link between files of one content folder does not resolve")
	}
	enPage := read(t, dest, "en/news/saving-power/index.html")
	if !strings.Contains(enPage, `hreflang="vi" href="https://example.gov.vn/tin-tuc/tiet-kiem/"`) {
		t.Errorf("the English page is not linked to the Vietnamese one")
	}
	if !strings.Contains(enPage, `href="/en/news/english-only/"`) {
		t.Errorf("a link from / does not start at the English content folder")
	}
	// sxsh check names the file a missing translation belongs in.
	findings := Check(context.Background(), Options{Source: src, Defaults: defaults(), Now: testNow}).Error()
	for _, want := range []string{
		"content/vi/articles/khac.md: warning: no en translation (add content/en/articles/khac.md)",
		"content/en/articles/english-only.md: warning: no vi translation (add content/vi/articles/english-only.md)",
	} {
		if !strings.Contains(findings, want) {
			t.Errorf("sxsh check lacks %q:\n%s", want, findings)
		}
	}
	if !strings.Contains(warnings, "content/ghi-chu.md: warning: not in the content folder of any language (content/en, content/vi)") {
		t.Errorf("no warning about a file outside the languages' folders:\n%s", warnings)
	}
	errs := buildFails(t, langs+"-- content/vi/sai.en.md --\n+++\ntitle = \"A\"\n+++\n")
	if !strings.Contains(errs, `content/vi/sai.en.md: the file is in the content folder of "vi" but its name ends in .en.md`) {
		t.Errorf("a suffix of another language in a language's folder: %s", errs)
	}
}

// A dot in a file name is part of the name, unless a language follows it;
// a two-letter suffix that is no language of the site is a slip.
func TestDottedFileNames(t *testing.T) {
	dest := mustBuild(t, txtar(siteTOML+`
-- content/articles/bao-cao-2.0.md --
+++
title = "Báo cáo 2.0"
date = 2024-01-01
+++
-- content/articles/v1.2.3.vi.md --
+++
title = "Phiên bản 1.2.3"
date = 2024-01-01
+++
-- content/articles/v1.2.3.en.md --
+++
title = "Version 1.2.3"
date = 2024-01-01
+++
`), nil)
	if !exists(dest, "articles/bao-cao-2-0/index.html") {
		t.Errorf("bao-cao-2.0.md was not published at /articles/bao-cao-2-0/")
	}
	if !strings.Contains(read(t, dest, "articles/v1-2-3/index.html"), `hreflang="en" href="https://example.gov.vn/en/articles/v1-2-3/"`) {
		t.Errorf("v1.2.3.vi.md and v1.2.3.en.md are not translations of each other")
	}
	for name, want := range map[string]string{
		"x.vn.md":    `content/x.vn.md: the file name ends in .vn.md, but "vn" is not a language of the site (vi, en): did you mean .vi.md?`,
		"x.EN.md":    `did you mean .en.md?`,
		"x.fr.md":    `content/x.fr.md: the file name ends in .fr.md, but "fr" is not a language of the site (vi, en); name it x.vi.md`,
		"x.en.vi.md": `content/x.en.vi.md: the file name ends in two language suffixes, .en.vi.md: keep one`,
	} {
		if errs := buildFails(t, siteTOML+"-- content/"+name+" --\n+++\ntitle = \"X\"\n+++\n"); !strings.Contains(errs, want) {
			t.Errorf("%s: errors lack %q:\n%s", name, want, errs)
		}
	}
}
