package site

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sxsh/generator/diag"
)

const documentsTOML = `-- site.toml --
baseURL = "https://example.gov.vn/"
[languages.vi]
title = "Thử"
languageName = "Tiếng Việt"
[languages.en]
title = "Test"
languageName = "English"
weight = 2
-- static/files/a.pdf --
%PDF-1.4 tóm tắt
-- content/documents/_index.vi.md --
+++
title = "Văn bản"
slug = "van-ban"
+++
-- content/documents/_index.en.md --
+++
title = "Documents"
slug = "documents"
+++
`

// document is the text of a document's file with the given fields.
func document(title, number, docType, issued string, extra string) string {
	return fmt.Sprintf("+++\ntitle = %q\nsummary = \"Trích yếu của %s\"\nnumber = %q\ndocType = %q\nissuer = \"Thủ tướng Chính phủ\"\nissued = %s\nfile = \"/files/a.pdf\"\n%s+++\n", title, number, number, docType, issued, extra)
}

// rowsOf returns the numbers of a list page's table rows, section by
// section, as "year: number number…".
func rowsOf(page string) []string {
	var out []string
	for _, sec := range regexp.MustCompile(`(?s)<section class="doc-year" id="([^"]+)".*?</section>`).FindAllStringSubmatch(page, -1) {
		var nums []string
		for _, m := range regexp.MustCompile(`<tr data-type="([^"]+)"><th scope="row"><a href="[^"]+">([^<]+)</a>`).FindAllStringSubmatch(sec[0], -1) {
			nums = append(nums, m[2]+"/"+m[1])
		}
		out = append(out, sec[1]+": "+strings.Join(nums, " "))
	}
	return out
}

// TestDocumentsListAndPage: the list page groups the documents by the year
// they were issued (newest first, a table each, reached by an anchor) and
// by type (in DocTypes' order), in each language's words; each document has
// a page with its facts and its PDF, whether the PDF is in static/ or in
// the page's bundle; and its date, unless given, is the day it was issued.
func TestDocumentsListAndPage(t *testing.T) {
	files := documentsTOML +
		"-- content/documents/qd-1419.vi.md --\n" + document("Quyết định 1419", "1419/QĐ-TTg", "Quyết định", "2009-09-07", "field = \"Sản xuất sạch hơn\"\n") +
		"-- content/documents/qd-1419.en.md --\n" + document("Decision 1419", "1419/QĐ-TTg", "decision", "2009-09-07", "slug = \"decision-1419\"\n") +
		"-- content/documents/luat-50.vi.md --\n" + document("Luật 50", "50/2010/QH12", "luat", "2010-06-17", "effective = 2011-01-01\n") +
		"-- content/documents/kh-12.vi.md --\n" + document("Kế hoạch 12", "12/KH-UBND", "Kế hoạch", "2010-02-01", "date = 2024-05-02\n") +
		"-- content/documents/nd-42/index.vi.md --\n" + strings.Replace(document("Nghị định 42", "42/2022/NĐ-CP", "Nghị định", "2022-06-24", ""), `"/files/a.pdf"`, `"tom-tat.pdf"`, 1) +
		"-- content/documents/nd-42/tom-tat.pdf --\n%PDF-1.7 bundle\n"
	dest := mustBuild(t, txtar(files), nil)

	vi := read(t, dest, "van-ban/index.html")
	want := []string{"nam-2022: 42/2022/NĐ-CP/nghi-dinh", "nam-2010: 50/2010/QH12/luat 12/KH-UBND/ke-hoach", "nam-2009: 1419/QĐ-TTg/quyet-dinh"}
	if got := rowsOf(vi); !slices.Equal(got, want) {
		t.Errorf("Vietnamese list by year:\n got %q\nwant %q", got, want)
	}
	for _, w := range []string{`href="#nam-2010">2010 <span class="count">2</span>`, `href="#loai-quyet-dinh">Quyết định`, `<h3 id="loai-luat">Luật</h3>`,
		"4 văn bản, ban hành từ năm 2009 đến năm 2022.", `<option value="ke-hoach">Kế hoạch</option>`} {
		if !strings.Contains(vi, w) {
			t.Errorf("the Vietnamese list lacks %q", w)
		}
	}
	// Types follow DocTypes: law, decree, decision, plan.
	if got := regexp.MustCompile(`<h3 id="loai-([a-z-]+)">`).FindAllStringSubmatch(vi, -1); len(got) != 4 || got[0][1] != "luat" || got[1][1] != "nghi-dinh" || got[2][1] != "quyet-dinh" || got[3][1] != "ke-hoach" {
		t.Errorf("types in order: %q", got)
	}
	en := read(t, dest, "en/documents/index.html")
	if got := rowsOf(en); !slices.Equal(got, []string{"year-2009: 1419/QĐ-TTg/decision"}) {
		t.Errorf("English list: %q", got)
	}
	if !strings.Contains(en, `href="#type-decision">Decision`) || !strings.Contains(en, `<script src="/js/documents.`) {
		t.Errorf("the English list lacks its type anchor or its script")
	}

	page := text(read(t, dest, "van-ban/luat-50/index.html"))
	for _, w := range []string{"Số, ký hiệu 50/2010/QH12", "Loại văn bản Luật", "Cơ quan ban hành Thủ tướng Chính phủ", "Ngày ban hành 17/06/2010", "Ngày có hiệu lực 01/01/2011", "Trích yếu Trích yếu của 50/2010/QH12", "Tải văn bản (PDF, 20 B)"} {
		if !strings.Contains(page, w) {
			t.Errorf("the document's page lacks %q:\n%s", w, page)
		}
	}
	if p := read(t, dest, "van-ban/qd-1419/index.html"); !strings.Contains(p, `href="/files/a.pdf" download`) || !strings.Contains(p, `href="/van-ban/#loai-quyet-dinh"`) || strings.Contains(p, "Ngày có hiệu lực") {
		t.Errorf("the decision's page: no PDF link, no link to its type, or an effective date it does not have")
	}
	if p := read(t, dest, "en/documents/decision-1419/index.html"); !strings.Contains(text(p), "Date issued 7 Sept 2009") && !strings.Contains(text(p), "Date issued 7 Sep 2009") {
		t.Errorf("the English page does not give the date issued in English:\n%s", text(p))
	}
	bundled := read(t, dest, "van-ban/nd-42/index.html")
	if !strings.Contains(bundled, `href="/van-ban/nd-42/tom-tat.pdf"`) || read(t, dest, "van-ban/nd-42/tom-tat.pdf") != "%PDF-1.7 bundle\n" {
		t.Errorf("the bundle's PDF is not linked or not published")
	}
	// The plan's own date puts it at 2024 in the feed and the search;
	// the others take their issued date.
	feed := read(t, dest, "van-ban/index.xml")
	if !strings.Contains(feed, "02 May 2024") || !strings.Contains(feed, "24 Jun 2022") {
		t.Errorf("feed dates: %s", feed)
	}
}

func TestDocumentBadInput(t *testing.T) {
	good := document("Quyết định 1419", "1419/QĐ-TTg", "Quyết định", "2009-09-07", "")
	tests := []struct{ name, fm, want string }{
		{"missing number", strings.Replace(good, "number = \"1419/QĐ-TTg\"\n", "", 1), "content/documents/x.vi.md:2: number is missing: add number = \"1419/QĐ-TTg\""},
		{"missing issued", strings.Replace(good, "issued = 2009-09-07\n", "", 1), "content/documents/x.vi.md:2: issued is missing: add issued = 2009-09-07"},
		{"missing summary", strings.Replace(good, "summary = \"Trích yếu của 1419/QĐ-TTg\"\n", "", 1), "content/documents/x.vi.md:2: summary is missing"},
		{"missing file", strings.Replace(good, "file = \"/files/a.pdf\"\n", "", 1), "content/documents/x.vi.md:2: file is missing"},
		{"misspelt type", strings.Replace(good, `"Quyết định"`, `"Quyết địn"`, 1), `content/documents/x.vi.md:5: docType "Quyết địn" is not a type of document (did you mean "Quyết định"?); write one of Luật, Nghị quyết, Nghị định, Quyết định`},
		{"unknown type", strings.Replace(good, `"Quyết định"`, `"Tờ trình"`, 1), `docType "Tờ trình" is not a type of document; write one of`},
		{"English name misspelt", strings.Replace(good, `"Quyết định"`, `"Decison"`, 1), `docType "Decison" is not a type of document (did you mean "Quyết định"?)`},
		{"issued as text", strings.Replace(good, "issued = 2009-09-07", `issued = "7/9/09"`, 1), "content/documents/x.vi.md:7:"},
		{"effective before issued", strings.TrimSuffix(good, "+++\n") + "effective = 2009-01-01\n+++\n", "content/documents/x.vi.md:9: effective 2009-01-01 is before issued 2009-09-07"},
		{"number with Số", strings.Replace(good, `"1419/QĐ-TTg"`, `"Số 1419/QĐ-TTg"`, 1), `content/documents/x.vi.md:4: number "Số 1419/QĐ-TTg": leave out "Số"`},
		{"not a PDF", strings.Replace(good, "/files/a.pdf", "/files/a.docx", 1), "content/documents/x.vi.md:8: file /files/a.docx is not a PDF"},
		{"file elsewhere", strings.Replace(good, "/files/a.pdf", "https://vanban.chinhphu.vn/a.pdf", 1), "content/documents/x.vi.md:8: file https://vanban.chinhphu.vn/a.pdf is an address elsewhere"},
		{"missing PDF", strings.Replace(good, "/files/a.pdf", "/files/khong-co.pdf", 1), "content/documents/x.vi.md:8: file /files/khong-co.pdf is not in static/ (put the file at static/files/khong-co.pdf)"},
		{"misspelt key", strings.Replace(good, "issuer", "isuer", 1), `content/documents/x.vi.md:6: unknown key "isuer" (did you mean "issuer"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build(t, txtar(documentsTOML+"-- content/documents/x.vi.md --\n"+tt.fm), filepath.Join(t.TempDir(), "public"), nil)
			list, ok := err.(diag.List)
			if !ok {
				t.Fatalf("want diagnostics, got %v", err)
			}
			if !strings.Contains(list.Error(), tt.want) {
				t.Errorf("errors lack %q:\n%s", tt.want, list.Error())
			}
		})
	}
}
