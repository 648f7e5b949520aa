package site

import (
	"strings"
	"testing"
)

// Pages of every kind with YAML or JSON front matter build as TOML ones do:
// translations, aliases, dates, bodies and the catalogue totals.
func TestBuildYAMLAndJSONFrontMatter(t *testing.T) {
	dest := mustBuild(t, txtar(kindsTOML+`
-- content/articles/_index.vi.md --
---
title: Tin tức
slug: tin-tuc
---
-- content/articles/_index.en.md --
{"title": "News", "slug": "news"}
-- content/articles/tiet-kiem.vi.md --
---
title: "Tiết kiệm điện: kết quả"
date: 2024-03-15 10:00:00 +07:00
categories: [Tiết kiệm điện]
tags:
  - khí nén
aliases: [/bai-cu/]
author: Trung tâm
---
Nội dung **YAML**.
-- content/articles/tiet-kiem.en.md --
{
  "title": "Saving power",
  "slug": "saving-power",
  "date": "2024-03-15T10:00:00+07:00",
  "tags": ["compressed air"],
  "author": "Centre"
}
Body in **JSON**.
-- content/newsletters/so-1.vi.md --
---
title: Số 1
date: 2019
publication: Bản tin KCN
issue: 1
copies: 2200
pages: 8
pdf: /files/a.pdf
contents:
  - title: Sản xuất sạch hơn
    page: 2
  - title: Tiết kiệm năng lượng
    page: 5
---
-- content/newsletters/so-1.en.md --
{"title": "Issue 1", "date": 2019, "publication": "KCN newsletter", "issue": 1, "copies": 2200, "pages": 8,
 "contents": [{"title": "Cleaner production", "page": 2}]}
-- content/broadcasts/ct.vi.md --
{"title": "Chương trình", "date": "2020-01-01", "medium": "tv", "station": "ĐNRTV", "episode": 1, "duration": 7,
 "airings": ["2020-05-10T19:45:00", "2020-05-11 19:45"]}
-- content/broadcasts/ct.en.md --
---
title: Programme
date: 2020-01-01
medium: tv
station: ĐNRTV
episode: 1
duration: 7
airings: [2020-05-10T19:45:00, 2020-05-11 19:45:00]
---
-- content/banners/br.vi.md --
---
title: Băng rôn
date: 2019-01-01
form: banner
slogan: Sản xuất sạch hơn
district: Bien Hoa
quantity: 150
installed: 2019-04-15
photo: /images/p.svg
---
-- content/banners/br.en.md --
{"title": "Banner", "date": "2019-01-01", "form": "banner", "slogan": "Cleaner production",
 "district": "Biên Hòa", "quantity": 150, "installed": "15/04/2019", "photo": "/images/p.svg"}
-- content/gioi-thieu.vi.md --
---
title: Giới thiệu
---
`), nil)
	pages := []struct {
		file string
		want []string
	}{
		{"tin-tuc/tiet-kiem/index.html", []string{"Tiết kiệm điện: kết quả", "<strong>YAML</strong>", "15/03/2024", "Trung tâm",
			`hreflang="en" href="https://example.gov.vn/en/news/saving-power/"`}},
		{"en/news/saving-power/index.html", []string{"Saving power", "<strong>JSON</strong>", "15 Mar 2024", "Centre"}},
		{"bai-cu/index.html", []string{"url=/tin-tuc/tiet-kiem/"}},
		{"ban-tin/so-1/index.html", []string{"Sản xuất sạch hơn", "Tiết kiệm năng lượng", "01/01/2019", "/files/a.pdf"}},
		{"en/newsletters/so-1/index.html", []string{"Cleaner production"}},
		{"gioi-thieu/index.html", []string{"Giới thiệu"}},
	}
	for _, p := range pages {
		doc := read(t, dest, p.file)
		for _, w := range p.want {
			if !strings.Contains(doc, w) {
				t.Errorf("%s lacks %s", p.file, w)
			}
		}
	}
	vi := text(read(t, dest, "ban-tin/index.html") + read(t, dest, "phat-thanh/index.html") + read(t, dest, "bang-ron/index.html"))
	en := text(read(t, dest, "en/newsletters/index.html") + read(t, dest, "en/broadcasts/index.html") + read(t, dest, "en/banners/index.html"))
	for _, w := range []string{"tổng cộng 2.200 bản in", "2 lần phát sóng, tổng thời lượng 14 phút", "150 băng rôn", "Biên Hòa 150"} {
		if !strings.Contains(vi, w) {
			t.Errorf("Vietnamese catalogues lack %q", w)
		}
	}
	for _, w := range []string{"2,200 copies printed", "2 airings, 14 minutes", "150 banners"} {
		if !strings.Contains(en, w) {
			t.Errorf("English catalogues lack %q", w)
		}
	}
}
