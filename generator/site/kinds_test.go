package site

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sxsh/generator/diag"
)

const kindsTOML = `-- site.toml --
baseURL = "https://example.gov.vn/"
districts = ["Biên Hòa", "Long Khánh", "Xuân Lộc"]
[languages.vi]
title = "Thử"
languageName = "Tiếng Việt"
[languages.en]
title = "Test"
languageName = "English"
weight = 2
-- static/files/a.pdf --
%PDF-1.4 tiny
-- static/images/p.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
-- content/newsletters/_index.vi.md --
+++
title = "Bản tin"
slug = "ban-tin"
+++
-- content/newsletters/_index.en.md --
+++
title = "Newsletters"
slug = "newsletters"
+++
-- content/broadcasts/_index.vi.md --
+++
title = "Phát thanh"
slug = "phat-thanh"
+++
-- content/broadcasts/_index.en.md --
+++
title = "Broadcasts"
slug = "broadcasts"
+++
-- content/banners/_index.vi.md --
+++
title = "Băng rôn"
slug = "bang-ron"
+++
-- content/banners/_index.en.md --
+++
title = "Banners"
slug = "banners"
+++
`

// kindsSite writes one newsletter issue, broadcast and banner per given
// value into both languages, so that totals can be checked after a change.
func kindsSite(copies []int, airings []int, quantities []int) string {
	var b strings.Builder
	b.WriteString(kindsTOML)
	for _, lang := range []string{"vi", "en"} {
		for i, c := range copies {
			fmt.Fprintf(&b, "-- content/newsletters/so-%d.%s.md --\n+++\ntitle = \"Số %d\"\ndate = 2019-0%d-01\npublication = \"Bản tin KCN\"\nissue = %d\ncopies = %d\npages = 8\npdf = \"/files/a.pdf\"\n[[contents]]\ntitle = \"SXSH\"\npage = 2\n+++\n", i, lang, i, i+1, i+1, c)
		}
		for i, n := range airings {
			var times []string
			for k := range n {
				times = append(times, fmt.Sprintf("2020-0%d-%02dT19:45:00", i+1, k+1))
			}
			if i == 0 {
				times = append(times, "2027-01-05T20:00:00") // after the build
			}
			fmt.Fprintf(&b, "-- content/broadcasts/ct-%d.%s.md --\n+++\ntitle = \"Chương trình %d\"\ndate = 2020-01-01\nmedium = \"tv\"\nstation = \"ĐNRTV\"\nepisode = %d\nduration = 7\nairings = [%s]\n+++\n", i, lang, i, i+1, strings.Join(times, ", "))
		}
		districts := []string{"Biên Hòa", "Long Khánh", "Xuân Lộc"}
		for i, q := range quantities {
			form := "banner"
			if i%4 == 3 {
				form = "panel"
			}
			fmt.Fprintf(&b, "-- content/banners/br-%d.%s.md --\n+++\ntitle = \"Băng rôn %d\"\ndate = 2019-01-01\nform = %q\nslogan = \"Sản xuất sạch hơn\"\ndistrict = %q\nzone = \"KCN %d\"\nquantity = %d\ninstalled = 2019-04-15\nphoto = \"/images/p.svg\"\n+++\n", i, lang, i, form, districts[i%3], i%2, q)
		}
	}
	return b.String()
}

var spaces = regexp.MustCompile(`\s+`)

// text strips tags from a page so that figures can be looked for as a
// reader sees them.
func text(doc string) string {
	return spaces.ReplaceAllString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(doc, " "), " ")
}

func TestComputedTotalsFollowTheRecords(t *testing.T) {
	tests := []struct {
		name                        string
		copies, airings, quantities []int
		wantVi, wantEn              []string
	}{
		{
			name: "first", copies: []int{5000, 1200}, airings: []int{2, 1}, quantities: []int{1500, 400, 300, 11, 2},
			// 1500+400+300+2 banners = 2202; 11 panels; Biên Hòa has items 0 and 3: 1500 banners, 11 panels.
			wantVi: []string{"2 số đã phát hành, tổng cộng 6.200 bản in", "2.202 băng rôn và 11 pano", "3 chương trình"[:0] + "2 chương trình, 4 lần phát sóng, tổng thời lượng 28 phút", "Biên Hòa 1.500 11"},
			wantEn: []string{"2 issues published, 6,200 copies printed", "2,202 banners and 11 panels", "2 programmes, 4 airings, 28 minutes", "Biên Hòa 1,500 11"},
		},
		{
			name: "changed", copies: []int{5000, 3400}, airings: []int{2, 3}, quantities: []int{1500, 400, 300, 12, 1000},
			wantVi: []string{"2 số đã phát hành, tổng cộng 8.400 bản in", "3.200 băng rôn và 12 pano", "2 chương trình, 6 lần phát sóng, tổng thời lượng 42 phút", "Biên Hòa 1.500 12"},
			wantEn: []string{"2 issues published, 8,400 copies printed", "3,200 banners and 12 panels", "2 programmes, 6 airings, 42 minutes", "Biên Hòa 1,500 12"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dest := mustBuild(t, txtar(kindsSite(tt.copies, tt.airings, tt.quantities)), nil)
			vi := text(read(t, dest, "ban-tin/index.html") + read(t, dest, "bang-ron/index.html") + read(t, dest, "phat-thanh/index.html") + read(t, dest, "index.html"))
			en := text(read(t, dest, "en/newsletters/index.html") + read(t, dest, "en/banners/index.html") + read(t, dest, "en/broadcasts/index.html") + read(t, dest, "en/index.html"))
			for _, w := range tt.wantVi {
				if !strings.Contains(vi, w) {
					t.Errorf("Vietnamese pages lack %q", w)
				}
			}
			for _, w := range tt.wantEn {
				if !strings.Contains(en, w) {
					t.Errorf("English pages lack %q", w)
				}
			}
			// The schedule shows the one future airing as upcoming, in the
			// language's date format, and the home page's panel too.
			if !strings.Contains(vi, "05/01/2027 20:00") || !strings.Contains(en, "5 Jan 2027, 20:00") {
				t.Errorf("the upcoming airing is not shown in both formats")
			}
			// The chart carries every district's figure.
			chart := read(t, dest, "bang-ron/index.html")
			if !strings.Contains(chart, "<svg") || !strings.Contains(chart, `role="img"`) {
				t.Errorf("no accessible chart on the catalogue page")
			}
		})
	}
}

func TestKindBadInput(t *testing.T) {
	item := func(kind, fm string) string {
		return fmt.Sprintf("-- content/%s/x.vi.md --\n+++\ntitle = \"X\"\ndate = 2020-01-01\n%s+++\n", kind, fm)
	}
	nl := "publication = \"P\"\nissue = 1\ncopies = 10\npages = 4\n"
	bc := "medium = \"radio\"\nstation = \"S\"\nepisode = 1\nduration = 10\nairings = [2020-01-01T08:00:00]\n"
	bn := "form = \"banner\"\nslogan = \"S\"\ndistrict = \"Biên Hòa\"\nquantity = 5\ninstalled = 2020-01-01\n"
	tests := []struct {
		name, files string
		want        string
	}{
		{"missing required field", item("newsletters", strings.Replace(nl, "copies = 10\n", "", 1)), "content/newsletters/x.vi.md:2: copies is missing"},
		{"wrong type", item("banners", strings.Replace(bn, "quantity = 5", `quantity = "nhiều"`, 1)), `content/banners/x.vi.md:7: quantity: expected a whole number, found text in quotes`},
		{"unknown enum medium", item("broadcasts", strings.Replace(bc, `"radio"`, `"tivi"`, 1)), `content/broadcasts/x.vi.md:4: medium "tivi" is not "radio" or "tv"`},
		{"unknown enum form", item("banners", strings.Replace(bn, `"banner"`, `"poster"`, 1)), `content/banners/x.vi.md:4: form "poster" is not "banner" or "panel"`},
		{"malformed airing", item("broadcasts", strings.Replace(bc, "[2020-01-01T08:00:00]", `["2020-01-01 8h sáng"]`, 1)), `content/broadcasts/x.vi.md:8:`},
		{"airing without time", item("broadcasts", strings.Replace(bc, "[2020-01-01T08:00:00]", `[2020-01-01]`, 1)), `content/broadcasts/x.vi.md:8: airing 2020-01-01 has no time of day`},
		{"missing pdf", item("newsletters", nl+"pdf = \"/files/khong-co.pdf\"\n"), `content/newsletters/x.vi.md:8: pdf /files/khong-co.pdf is not in static/`},
		{"missing photo", item("banners", bn+"photo = \"/images/khong-co.jpg\"\n"), `content/banners/x.vi.md:9: photo /images/khong-co.jpg is not in static/`},
		{"misspelt key", item("newsletters", strings.Replace(nl, "publication", "publicaton", 1)), `content/newsletters/x.vi.md:4: unknown key "publicaton" (did you mean "publication"?)`},
		{"negative copies", item("newsletters", strings.Replace(nl, "copies = 10", "copies = -3", 1)), `content/newsletters/x.vi.md:6: copies must be a positive whole number, not -3`},
		{"contents page out of range", item("newsletters", nl+"[[contents]]\ntitle = \"A\"\npage = 9\n"), `content/newsletters/x.vi.md:8: contents entry 1: page 9 is not between 1 and pages (4)`},
		{"unknown district", item("banners", strings.Replace(bn, "Biên Hòa", "Bien Hoaa", 1)), `district "Bien Hoaa" is not one of site.toml's districts (did you mean "Biên Hòa"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build(t, txtar(kindsTOML+tt.files), filepath.Join(t.TempDir(), "public"), nil)
			list, ok := err.(diag.List)
			if !ok {
				t.Fatalf("want diagnostics, got %v", err)
			}
			if !strings.Contains(list.Error(), tt.want) {
				t.Errorf("errors lack %q:\n%s", tt.want, list.Error())
			}
		})
	}
	// All in one run, never a panic.
	var all strings.Builder
	all.WriteString(kindsTOML)
	for i, tt := range tests {
		all.WriteString(strings.Replace(tt.files, "/x.vi.md", fmt.Sprintf("/x%d.vi.md", i), 1))
	}
	_, err := build(t, txtar(all.String()), filepath.Join(t.TempDir(), "public"), nil)
	if list, _ := err.(diag.List); len(list.Errors()) < len(tests) {
		t.Errorf("one run reported %d errors for %d bad files:\n%v", len(list.Errors()), len(tests), err)
	}
}
