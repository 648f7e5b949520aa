package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sxsh/generator/diag"
)

// hugoKeysSite uses the front-matter keys that Hugo sites carry, each once.
const hugoKeysSite = siteTOML + `
-- content/articles/_index.vi.md --
+++
title = "Tin tức và hoạt động"
linkTitle = "Tin tức"
slug = "tin-tuc"
[cascade]
author = "Ban biên tập"
toc = false
[cascade.params]
vung = "Đồng Nai"
+++
-- content/articles/mot.vi.md --
+++
title = "Kết quả sản xuất sạch hơn giai đoạn 2016–2020"
date = 2021-01-20
description = "Năm năm thực hiện kế hoạch sản xuất sạch hơn trong công nghiệp."
keywords = ["sản xuất sạch hơn", "Đồng Nai"]
authors = ["Trung tâm Khuyến công", "Sở Công Thương"]
toc = true
[sitemap]
changefreq = "monthly"
priority = 0.8
[menu.main]
name = "Kết quả"
weight = 5
+++
## Đào tạo

25 lớp tập huấn.

## Truyền thông

2.200 băng rôn.
-- content/articles/hai.vi.md --
+++
title = "Hướng dẫn tiết kiệm năng lượng"
date = 2022-05-18
layout = "landing"
url = "/huong-dan/"
[params]
vung = "Biên Hòa"
+++
## Đo đếm

Lắp công tơ.
-- content/articles/an.vi.md --
+++
title = "Trang ẩn khỏi danh sách"
date = 2022-06-01
categories = ["Tiết kiệm"]
[build]
list = "never"
+++
Nội dung riêng.
-- content/articles/khong-ve.vi.md --
+++
title = "Không vẽ trang"
date = 2022-06-02
_build = { render = "never" }
+++
Chỉ dùng làm dữ liệu.
-- content/articles/bon.vi.md --
+++
title = "Không vào sơ đồ trang"
date = 2022-06-03
sitemap = { disable = true }
+++
Nội dung.
-- layouts/landing.html --
{{ define "main" }}<div class="landing">{{ .Page.Title }} · {{ index .Page.Params "vung" }}</div>{{ end }}
`

func TestHugoFrontMatterKeys(t *testing.T) {
	dest := mustBuild(t, txtar(hugoKeysSite), nil)
	mot := read(t, dest, "tin-tuc/mot/index.html")
	for _, want := range []string{
		// description and keywords for search engines and previews
		`<meta name="description" content="Năm năm thực hiện kế hoạch sản xuất sạch hơn trong công nghiệp.">`,
		`<meta name="keywords" content="sản xuất sạch hơn,Đồng Nai">`, // the minifier drops the space,
		`<meta property="og:description" content="Năm năm thực hiện`,
		// authors: its own, not the cascade's
		`Trung tâm Khuyến công, Sở Công Thương`,
		// linkTitle in the breadcrumbs
		`<a href="/tin-tuc/">Tin tức</a>`,
		// toc = true wins over the cascade's toc = false
		`class="toc-box"`,
		// the menu entry, on every page of the language
		`<a href="/tin-tuc/mot/" aria-current="page">Kết quả</a>`,
	} {
		if !strings.Contains(mot, want) {
			t.Errorf("tin-tuc/mot/index.html lacks %s", want)
		}
	}
	if strings.Contains(mot, "Ban biên tập") {
		t.Errorf("the cascade's author replaced the page's own authors")
	}

	// url moves the page; layout chooses the template; the cascade gives
	// the author and turns the contents list off; own params win.
	hai := read(t, dest, "huong-dan/index.html")
	for _, want := range []string{`<div class="landing">Hướng dẫn tiết kiệm năng lượng · Biên Hòa</div>`, `<a href="/tin-tuc/mot/">Kết quả</a>`} {
		if !strings.Contains(hai, want) {
			t.Errorf("huong-dan/index.html lacks %s:\n%s", want, hai)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "tin-tuc", "hai")); err == nil {
		t.Errorf("the page with url = \"/huong-dan/\" was also written at its section's address")
	}
	an := read(t, dest, "tin-tuc/an/index.html")
	if !strings.Contains(an, "Ban biên tập") || strings.Contains(an, "toc-box") {
		t.Errorf("the cascade did not give author and toc = false to tin-tuc/an/")
	}

	// build.list = "never": drawn, but in no list, term, feed or sitemap.
	for _, f := range []string{"tin-tuc/index.html", "index.html", "index.xml", "tin-tuc/index.xml", "sitemap.xml"} {
		if strings.Contains(read(t, dest, f), "/tin-tuc/an/") {
			t.Errorf("%s shows the page with build.list = \"never\"", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "chuyen-muc", "tiet-kiem")); err == nil {
		t.Errorf("a page kept out of lists made a category page")
	}
	// _build.render = "never": no page at all.
	if _, err := os.Stat(filepath.Join(dest, "tin-tuc", "khong-ve")); err == nil {
		t.Errorf("the page with render = \"never\" was drawn")
	}
	sm := read(t, dest, "sitemap.xml")
	for _, want := range []string{"<loc>https://example.gov.vn/tin-tuc/mot/</loc>", "<changefreq>monthly</changefreq>", "<priority>0.8</priority>"} {
		if !strings.Contains(sm, want) {
			t.Errorf("sitemap.xml lacks %s", want)
		}
	}
	if strings.Contains(sm, "/tin-tuc/bon/") || !strings.Contains(read(t, dest, "tin-tuc/index.html"), "/tin-tuc/bon/") {
		t.Errorf("sitemap.disable should leave the page out of sitemap.xml only")
	}
}

func TestHugoFrontMatterKeyErrors(t *testing.T) {
	tests := []struct{ name, files, want string }{
		{"bad list mode", "-- content/a.vi.md --\n+++\ntitle = \"A\"\n[build]\nlist = \"sometimes\"\n+++\n",
			`content/a.vi.md:4: build.list "sometimes": write one of "always", "local", "never"`},
		{"cascade on a single page", "-- content/a.vi.md --\n+++\ntitle = \"A\"\n[cascade]\ntoc = false\n+++\n",
			`content/a.vi.md:3: cascade passes values to the pages below an _index file`},
		{"unknown cascade key", "-- content/articles/_index.vi.md --\n+++\ntitle = \"A\"\n[cascade]\ntittle = \"B\"\n+++\n",
			`content/articles/_index.vi.md:3: cascade: unknown key "tittle"`},
		{"url with a query", "-- content/a.vi.md --\n+++\ntitle = \"A\"\nurl = \"/x/?a=1\"\n+++\n",
			`content/a.vi.md:3: url "/x/?a=1"`},
		{"url taken", "-- content/a.vi.md --\n+++\ntitle = \"A\"\nurl = \"/b/\"\n+++\n-- content/b.vi.md --\n+++\ntitle = \"B\"\n+++\n",
			`URL /b/ is also the URL of`},
		{"menu entry key", "-- content/a.vi.md --\n+++\ntitle = \"A\"\n[menu.main]\nwieght = 3\n+++\n",
			`content/a.vi.md:4: menu.main: unknown key "wieght" (did you mean "weight"?)`},
		{"bad layout name", "-- content/a.vi.md --\n+++\ntitle = \"A\"\nlayout = \"../x\"\n+++\n",
			`content/a.vi.md:3: layout "../x"`},
		{"sitemap priority", "-- content/a.vi.md --\n+++\ntitle = \"A\"\n[sitemap]\npriority = 3.0\n+++\n",
			`content/a.vi.md:4: sitemap.priority 3`},
		{"output format", "-- content/a.vi.md --\n+++\ntitle = \"A\"\noutputs = [\"html\", \"pdf\"]\n+++\n",
			`content/a.vi.md:3: outputs: "pdf" is not an output format`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build(t, txtar(siteTOML+tt.files), filepath.Join(t.TempDir(), "public"), nil)
			list, ok := err.(diag.List)
			if !ok {
				t.Fatalf("want errors, got %v", err)
			}
			if !strings.Contains(list.Error(), tt.want) {
				t.Errorf("errors lack %q:\n%s", tt.want, list.Error())
			}
		})
	}
}

func TestHugoFrontMatterKeyWarnings(t *testing.T) {
	src := txtar(siteTOML + "-- content/a.vi.md --\n+++\ntitle = \"A\"\nlayout = \"khong-co\"\nmath = true\nmenu = \"footer\"\n+++\n")
	res, err := build(t, src, filepath.Join(t.TempDir(), "public"), nil)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, want := range []string{
		`content/a.vi.md:3: warning: layout "khong-co": there is no layouts/khong-co.html, so the page is drawn with single.html`,
		`content/a.vi.md:4: warning: math = true`,
		`content/a.vi.md:5: warning: menu: sxsh has one menu, "main"`,
	} {
		if !strings.Contains(res.Warnings.Error(), want) {
			t.Errorf("warnings lack %q:\n%s", want, res.Warnings.Error())
		}
	}
}

// Hugo sites write these keys in YAML mostly: the same meaning there.
func TestHugoFrontMatterKeysInYAML(t *testing.T) {
	dest := mustBuild(t, txtar(siteTOML+`
-- content/docs/_index.md --
---
title: Tài liệu
linkTitle: Tài liệu
cascade:
  toc: false
  params:
    nguon: Sở Công Thương
---
-- content/docs/huong-dan.md --
---
title: Hướng dẫn đo đếm điện năng
description: Cách lắp công tơ phụ cho từng dây chuyền.
categories: [Đo đếm]
menu:
  main:
    weight: 3
    name: Hướng dẫn
_build:
  list: local
---
## Công tơ

Lắp công tơ phụ.
`), nil)
	doc := read(t, dest, "docs/huong-dan/index.html")
	for _, want := range []string{`<a href="/docs/huong-dan/" aria-current="page">Hướng dẫn</a>`, `<meta name="description" content="Cách lắp công tơ phụ cho từng dây chuyền.">`} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/huong-dan/index.html lacks %s", want)
		}
	}
	if strings.Contains(doc, "toc-box") {
		t.Errorf("the YAML cascade's toc: false was not taken")
	}
	if !strings.Contains(read(t, dest, "docs/index.html"), "/docs/huong-dan/") {
		t.Errorf("list: local should show the page in its section")
	}
	if _, err := os.Stat(filepath.Join(dest, "chuyen-muc", "do-dem")); err == nil {
		t.Errorf("list: local should keep the page out of its category")
	}
}
