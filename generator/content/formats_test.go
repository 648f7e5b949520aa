package content

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"
)

// readOne reads src as the file content/dir/x.vi.md.
func readOne(t *testing.T, dir, src string) (*Page, string) {
	t.Helper()
	file := "content/" + dir + "/x.vi.md"
	fsys, cfg := fstest.MapFS{file: {Data: []byte(src)}}, testConfig(t)
	srcs, _, diags := walk(fsys, cfg)
	if len(srcs) != 1 {
		t.Fatalf("%s is not a content file: %v", file, diags)
	}
	p, errs := readPage(fsys, srcs[0], cfg)
	return p, errs.Error()
}

// The same mistake, in TOML, YAML or JSON front matter, gives the same
// message at the line of the file where it is.
func TestFormatsSameMistakes(t *testing.T) {
	type written struct {
		src  string
		line int
	}
	tests := []struct {
		name, dir        string
		toml, yaml, json written
		msg              string
	}{
		{"unknown key", "articles",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\ntittle = \"B\"\n+++\n", 4},
			written{"---\ntitle: A\ndate: 2024-03-15\ntittle: B\n---\n", 4},
			written{"{\n  \"title\": \"A\",\n  \"date\": \"2024-03-15\",\n  \"tittle\": \"B\"\n}\n", 4},
			`unknown key "tittle" (did you mean "title"?)`},
		{"unknown table", "articles",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\n[extra]\na = 1\n+++\n", 4},
			written{"---\ntitle: A\ndate: 2024-03-15\nextra:\n  a: 1\n---\n", 4},
			written{"{\"title\": \"A\",\n \"date\": \"2024-03-15\",\n \"extra\": {\n  \"a\": 1}}\n", 3},
			`unknown key "extra"; allowed here: title, date, lastmod, publishDate, expiryDate, summary, slug, translationKey, categories, tags, image, draft, weight, aliases, headless, params, description, keywords, linkTitle, author, authors, type, layout, url, outputs, menu, menus, toc, math, build, _build, sitemap, cascade, source`},
		{"text for a number", "banners",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\n\nquantity = \"nhiều\"\n+++\n", 5},
			written{"---\ntitle: A\ndate: 2024-03-15\n\nquantity: nhiều\n---\n", 5},
			written{"{\"title\": \"A\",\n\"date\": \"2024-03-15\",\n\n\"quantity\": \"nhiều\"}\n", 4},
			`quantity: expected a whole number, found text in quotes`},
		{"a list for text", "articles",
			written{"+++\ntitle = [\"A\"]\ndate = 2024-03-15\n+++\n", 2},
			written{"---\ntitle:\n  - A\ndate: 2024-03-15\n---\n", 2},
			written{"{\"title\": [\"A\"], \"date\": \"2024-03-15\"}\n", 1},
			`title: expected text in quotes, found a list [..]`},
		{"not a date", "articles",
			written{"+++\ntitle = \"A\"\ndate = \"hôm qua\"\n+++\n", 3},
			written{"---\ntitle: A\ndate: hôm qua\n---\n", 3},
			written{"{\n\"title\": \"A\",\n\"date\": \"hôm qua\"\n}\n", 3},
			`date: "hôm qua" is not a date; write it as 2021-03-15 (or 2021-03-15 08:30)`},
		{"curly quotes", "articles",
			written{"+++\ndate = 2024-03-15\ntitle = “Tiêu đề”\n+++\n", 3},
			written{"---\ndate: 2024-03-15\ntitle: “Tiêu đề”\n---\n", 3},
			written{"{\"date\": \"2024-03-15\",\n\"title\": “Tiêu đề”}\n", 2},
			`title: use straight quotes " instead of “ ” around text (curly quotes come from word processors)`},
		{"single curly quotes", "articles",
			written{"+++\ndate = 2024-03-15\ntitle = ‘Tiêu đề’\n+++\n", 3},
			written{"---\ndate: 2024-03-15\ntitle: ‘Tiêu đề’\n---\n", 3},
			written{"{\"date\": \"2024-03-15\",\n\"title\": ‘Tiêu đề’}\n", 2},
			`title: use straight quotes " instead of “ ” around text (curly quotes come from word processors)`},
		{"empty tag", "articles",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\ncategories = [\"C\"]\ntags = [\"a\", \"\"]\n+++\n", 5},
			written{"---\ntitle: A\ndate: 2024-03-15\ncategories:\n  - C\ntags:\n  - a\n  - \"\"\n---\n", 6},
			written{"{\"title\": \"A\", \"date\": \"2024-03-15\",\n\"categories\": [\"C\"],\n\"tags\": [\n\"a\", \"\"]}\n", 3},
			`an empty category or tag: remove the empty ""`},
		{"a key in a text on many lines", "articles",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\nsummary = \"\"\"\nslug = \"b\"\n\"\"\"\nslug = \"a/b\"\n+++\n", 7},
			written{"---\ntitle: A\ndate: 2024-03-15\nsummary: |\n  slug = \"b\"\n  slug: b\nslug: a/b\n---\n", 7},
			written{"{\"title\": \"A\", \"date\": \"2024-03-15\",\n\"summary\": \"slug = \\\"b\\\"\\n\",\n\"slug\": \"a/b\"}\n", 3},
			`slug "a/b": a slug is one URL segment: no / \ or .. (write slug = "ten-bai-viet")`},
		{"missing field", "newsletters",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\npublication = \"P\"\nissue = 1\npages = 8\n+++\n", 2},
			written{"---\ntitle: A\ndate: 2024-03-15\npublication: P\nissue: 1\npages: 8\n---\n", 2},
			written{"{\"title\": \"A\", \"date\": \"2024-03-15\",\n\"publication\": \"P\", \"issue\": 1, \"pages\": 8}\n", 1},
			`copies is missing: add copies = 5000`},
		{"not positive", "newsletters",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\npublication = \"P\"\nissue = 1\ncopies = 0\npages = 8\n+++\n", 6},
			written{"---\ntitle: A\ndate: 2024-03-15\npublication: P\nissue: 1\ncopies: 0\npages: 8\n---\n", 6},
			written{"{\"title\": \"A\", \"date\": \"2024-03-15\",\n\"publication\": \"P\", \"issue\": 1,\n\"copies\": 0,\n\"pages\": 8}\n", 3},
			`copies must be a positive whole number, not 0`},
		{"contents entry", "newsletters",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\npublication = \"P\"\nissue = 1\ncopies = 5\npages = 8\n[[contents]]\ntitle = \"a\"\npage = 1\n[[contents]]\npage = 2\n+++\n", 11},
			written{"---\ntitle: A\ndate: 2024-03-15\npublication: P\nissue: 1\ncopies: 5\npages: 8\ncontents:\n  - title: a\n    page: 1\n  - page: 2\n---\n", 11},
			written{"{\"title\": \"A\", \"date\": \"2024-03-15\", \"publication\": \"P\",\n\"issue\": 1, \"copies\": 5, \"pages\": 8,\n\"contents\": [\n  {\"title\": \"a\", \"page\": 1},\n  {\"page\": 2}\n]}\n", 5},
			`contents entry 2 has no title`},
		{"unknown key in a contents entry", "newsletters",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\n[[contents]]\ntitle = \"a\"\npage = 1\n[[contents]]\ntitle = \"b\"\npgae = 2\n+++\n", 9},
			written{"---\ntitle: A\ndate: 2024-03-15\ncontents:\n  - title: a\n    page: 1\n  - title: b\n    pgae: 2\n---\n", 8},
			written{"{\"title\": \"A\", \"date\": \"2024-03-15\",\n\"contents\": [\n  {\"title\": \"a\", \"page\": 1},\n  {\"title\": \"b\",\n   \"pgae\": 2}\n]}\n", 5},
			`unknown key "contents.pgae" (did you mean "page"?)`},
		{"not one of the words", "broadcasts",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\nmedium = \"tivi\"\nstation = \"S\"\nepisode = 1\nduration = 7\nairings = [2020-01-01T19:45:00]\n+++\n", 4},
			written{"---\ntitle: A\ndate: 2024-03-15\nmedium: tivi\nstation: S\nepisode: 1\nduration: 7\nairings: [2020-01-01T19:45:00]\n---\n", 4},
			written{"{\"title\": \"A\",\n\"date\": \"2024-03-15\",\n\"medium\": \"tivi\", \"station\": \"S\", \"episode\": 1, \"duration\": 7, \"airings\": [\"2020-01-01T19:45:00\"]\n}\n", 3},
			`medium "tivi" is not "radio" or "tv"`},
		{"airing without a time", "broadcasts",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\nmedium = \"tv\"\nstation = \"S\"\nepisode = 1\nduration = 7\nairings = [2020-01-01]\n+++\n", 8},
			written{"---\ntitle: A\ndate: 2024-03-15\nmedium: tv\nstation: S\nepisode: 1\nduration: 7\nairings:\n  - 2020-01-01\n---\n", 8},
			written{"{\"title\": \"A\", \"date\": \"2024-03-15\", \"medium\": \"tv\", \"station\": \"S\",\n\"episode\": 1, \"duration\": 7,\n\"airings\": [\"2020-01-01\"]}\n", 3},
			`airing 2020-01-01 has no time of day: write it as 2020-01-01T19:45:00`},
		{"district", "banners",
			written{"+++\ntitle = \"A\"\ndate = 2024-03-15\nform = \"panel\"\nslogan = \"S\"\ndistrict = \"Bien Hao\"\nquantity = 1\ninstalled = 2019-04-15\n+++\n", 6},
			written{"---\ntitle: A\ndate: 2024-03-15\nform: panel\nslogan: S\ndistrict: Bien Hao\nquantity: 1\ninstalled: 2019-04-15\n---\n", 6},
			written{"{\"title\": \"A\", \"date\": \"2024-03-15\", \"form\": \"panel\", \"slogan\": \"S\",\n\"district\": \"Bien Hao\", \"quantity\": 1, \"installed\": \"2019-04-15\"}\n", 2},
			`district "Bien Hao" is not one of site.toml's districts (did you mean "Biên Hòa"?)`},
	}
	for _, tt := range tests {
		for _, f := range []struct {
			name string
			w    written
		}{{"toml", tt.toml}, {"yaml", tt.yaml}, {"json", tt.json}} {
			t.Run(tt.name+"/"+f.name, func(t *testing.T) {
				_, got := readOne(t, tt.dir, f.w.src)
				want := fmt.Sprintf("content/%s/x.vi.md:%d: %s", tt.dir, f.w.line, tt.msg)
				// A TOML syntax error also names the column.
				if got = columnRe.ReplaceAllString(got, "$1"); got != want {
					t.Errorf("got  %s\nwant %s", got, want)
				}
			})
		}
	}
}

var columnRe = regexp.MustCompile(`^([^:]+:\d+):\d+`)

// Mistakes that only one format allows are named in its own terms.
func TestFormatOwnMistakes(t *testing.T) {
	tests := []struct {
		name, src string
		want      string
	}{
		{"toml: day-first date", "+++\ntitle = \"A\"\ndate = 15/03/2024\n+++\n",
			`:3:10: date: write the date year first, date = 2024-03-15, or put it in quotes: date = "15/03/2024"`},
		{"toml: offset after a space", "+++\ntitle = \"A\"\ndate = 2024-03-15 10:00:00 +07:00\n+++\n",
			`:3:8: date: put this date in quotes, date = "2024-03-15 10:00:00 +07:00", or write it as date = 2021-03-15T08:30:00+07:00`},
		{"yaml: tab", "---\ntitle: A\ncategories:\n\t- C\ndate: 2024-03-15\n---\n",
			`:4: a tab indents this line: YAML indents with spaces only; replace the tab with spaces`},
		{"yaml: key set twice", "---\ntitle: A\ndate: 2024-03-15\ntitle: B\n---\n",
			`:4: title is set twice (also on line 2): keep one`},
		{"yaml: key set twice in params", "---\ntitle: A\ndate: 2024-03-15\nparams:\n  a: 1\n  a: 2\n---\n",
			`:6: params.a is set twice (also on line 5): keep one`},
		{"yaml: no space after the colon", "---\ntitle: A\nauthor:Nguyen\ndate: 2024-03-15\n---\n",
			`:3: author: write a space after the colon, author: Nguyen`},
		{"yaml: no space on the first line", "---\ntitle:A\ndate: 2024-03-15\n---\n",
			`:2: title: write a space after the colon, title: A`},
		{"yaml: only key:value", "---\ntitle:A\n---\n",
			`:2: title: write a space after the colon, title: A`},
		{"yaml: colon in a value", "---\ndate: 2024-03-15\ntitle: Hội thảo: SXSH\n---\n",
			`:3: title: put the value in quotes, title: "Hội thảo: SXSH", since it holds ": "`},
		{"yaml: colon in the first value", "---\ntitle: Hội thảo: SXSH\n---\n",
			`:2: title: put the value in quotes, title: "Hội thảo: SXSH", since it holds ": "`},
		{"yaml: no value", "---\ntitle: A\ndate: 2024-03-15\nimage:\n---\n",
			`:4: image has no value: write one, or remove the line`},
		{"yaml: alias", "---\ntitle: &t A\ndate: 2024-03-15\nsummary: *t\n---\n",
			`:4: summary: YAML aliases (*t) are not read in front matter: write the value out`},
		{"yaml: not fields", "---\n- a\n- b\n---\n",
			`:2: front matter must be fields, one a line, written key: value`},
		{"json: key set twice", "{\"title\": \"A\", \"date\": \"2024-03-15\",\n\"title\": \"B\"}\n",
			`:2: title is set twice (also on line 1): keep one`},
		{"json: comma after the last item", "{\"title\": \"A\",\n\"date\": \"2024-03-15\",\n}\n",
			`:3: remove the comma before }: JSON allows none after the last item`},
		{"json: single quotes", "{\"title\": \"A\",\n'date': \"2024-03-15\"}\n",
			`:2: JSON text goes in double quotes "…", not single ones`},
		{"json: null", "{\"title\": \"A\", \"date\": \"2024-03-15\",\n\"image\": null}\n",
			`:2: image has no value: write one, or remove the line`},
		{"json: syntax", "{\"title\": \"A\"\n\"date\": \"2024-03-15\"}\n",
			`:2: JSON: invalid character '"' after object key:value pair`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := readOne(t, "articles", tt.src)
			if want := "content/articles/x.vi.md" + tt.want; got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// One page's front matter written in each format reads the same.
func TestFormatsReadAlike(t *testing.T) {
	tests := []struct {
		dir              string
		toml, yaml, json string
	}{
		{"articles", `+++
title = "Tiết kiệm điện: kết quả"
date = 2024-03-15
lastmod = 2024-03-16T10:00:00+07:00
publishDate = "2024-03-15 08:00:00 +0700"
expiryDate = 2030
summary = """Dòng một
Dòng hai"""
slug = "tiet-kiem"
categories = ["SXSH"]
tags = ["điện", "nén"]
draft = false
weight = 3
aliases = ["/cu/"]
author = "An"
[params]
rating = 4.5
count = 2
flags = [true, false]
[params.nested]
name = "x"
+++
`, `---
title: "Tiết kiệm điện: kết quả"
date: 2024-03-15
lastmod: 2024-03-16T10:00:00+07:00
publishDate: 2024-03-15 08:00:00 +0700
expiryDate: 2030
summary: |-
  Dòng một
  Dòng hai
slug: tiet-kiem
categories: [SXSH]
tags:
  - điện
  - nén
draft: false
weight: 3
aliases: ["/cu/"]
author: An
params:
  nested:
    name: x
  rating: 4.5
  count: 2
  flags: [true, false]
---
`, `{
  "title": "Tiết kiệm điện: kết quả",
  "date": "2024-03-15",
  "lastmod": "2024-03-16T10:00:00+07:00",
  "publishDate": "2024-03-15 08:00:00 +0700",
  "expiryDate": 2030,
  "summary": "Dòng một\nDòng hai",
  "slug": "tiet-kiem",
  "categories": ["SXSH"],
  "tags": ["điện", "nén"],
  "draft": false,
  "weight": 3,
  "aliases": ["/cu/"],
  "author": "An",
  "params": {"rating": 4.5, "count": 2, "flags": [true, false], "nested": {"name": "x"}}
}
`},
		{"newsletters", `+++
title = "Số 3"
date = 2019-03-01
publication = "Bản tin KCN"
issue = 3
copies = 2200
pages = 8
[[contents]]
title = "SXSH"
page = 2
[[contents]]
title = "TKNL"
page = 5
+++
`, `---
title: Số 3
date: 2019-03-01
publication: Bản tin KCN
issue: 3
copies: 2200
pages: 8
contents:
  - title: SXSH
    page: 2
  - {title: TKNL, page: 5}
---
`, `{"title": "Số 3", "date": "2019-03-01", "publication": "Bản tin KCN",
 "issue": 3, "copies": 2200, "pages": 8,
 "contents": [{"title": "SXSH", "page": 2}, {"title": "TKNL", "page": 5}]}
`},
		{"broadcasts", `+++
title = "Chương trình"
date = 2020-01-01
medium = "radio"
station = "ĐNRTV"
episode = 2
duration = 7
airings = [2020-05-10T19:45:00, "11/05/2020 06:30", 2020-05-12T19:45:00.5+07:00]
media = "https://example.org/a.mp3"
+++
`, `---
title: Chương trình
date: 2020-01-01
medium: radio
station: ĐNRTV
episode: 2
duration: 7
airings:
  - 2020-05-10 19:45:00
  - 11/05/2020 06:30
  - 2020-05-12T19:45:00.5+07:00
media: https://example.org/a.mp3
---
`, `{"title": "Chương trình", "date": "2020-01-01", "medium": "radio", "station": "ĐNRTV",
 "episode": 2, "duration": 7,
 "airings": ["2020-05-10T19:45:00", "11/05/2020 06:30", "2020-05-12T19:45:00.5+07:00"],
 "media": "https://example.org/a.mp3"}
`},
		{"banners", `+++
title = "Pano"
date = 2019-04-15
form = "panel"
slogan = "Sản xuất sạch hơn"
district = "Bien Hoa"
quantity = 2
installed = 2019-04-15
+++
`, `---
title: Pano
date: 2019-04-15
form: panel
slogan: Sản xuất sạch hơn
district: Bien Hoa
quantity: 2
installed: 2019-04-15
---
`, `{"title": "Pano", "date": "2019-04-15", "form": "panel", "slogan": "Sản xuất sạch hơn",
 "district": "Bien Hoa", "quantity": 2, "installed": "2019-04-15"}
`},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			want, errs := readOne(t, tt.dir, tt.toml)
			if want == nil {
				t.Fatalf("toml: %s", errs)
			}
			for name, src := range map[string]string{"yaml": tt.yaml, "json": tt.json} {
				got, errs := readOne(t, tt.dir, src)
				if got == nil {
					t.Fatalf("%s: %s", name, errs)
				}
				for _, p := range []*Page{got, want} {
					p.Sum, p.fm, p.fmLine, p.fmLines, p.Body, p.BodyLine = 0, nil, 0, nil, nil, 0
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s reads differently:\n got %+v\nwant %+v", name, got, want)
				}
			}
		})
	}
}

// The TOML that YAML and JSON front matter become always parses, and has
// a file line for each of its lines.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: A\ndate: 2024-03-15 10:00:00\ntags: [a, b]\nparams:\n  x: {y: [1, 2.5, {z: true}]}\n---\n",
		"---\ncontents:\n  - title: \"a\\\"b\"\n    page: 1\n  - title: b\n\"weird key.x\": 1\n---\n",
		"{\"a\": [{\"b\": [{\"c\": 1e3}]}, [1, \"x\"]], \"k\\n\": \"\\u0001\"}\n",
		"---\nd: [2024-03-15, 2024-03-15T10:00:00Z, 2001-12-14 21:59:43.10 -5]\nn: .inf\nm: -.Inf\no: .nan\n---\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		m, _, _, err := split([]byte(src))
		if err != nil {
			return
		}
		text, lines, err := m.toTOML()
		if err != nil || lines == nil {
			return
		}
		var v map[string]any
		if _, err := toml.Decode(string(text), &v); err != nil {
			t.Fatalf("%q became TOML that does not parse: %v\n%s", src, err, text)
		}
		if n := strings.Count(string(text), "\n"); n != len(lines) {
			t.Fatalf("%d lines of TOML, %d file lines", n, len(lines))
		}
		for _, l := range lines {
			if l < m.line || l > m.line+strings.Count(string(m.text), "\n") {
				t.Fatalf("file line %d outside the front matter", l)
			}
		}
	})
}
