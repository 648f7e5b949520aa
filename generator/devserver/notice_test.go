package devserver

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"sxsh/generator/diag"
)

// outcome is what a build of a small bilingual site tells: two homes, a
// section, an article in each language, and a draft, a scheduled and an
// expired page in each.
func outcome() Outcome {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	page := func(path, lang, title, file string) Page {
		return Page{Path: path, Lang: lang, Title: title, File: file}
	}
	return Outcome{
		Pages: []Page{
			page("/", "vi", "Trang chủ", ""),
			page("/en/", "en", "Home", ""),
			page("/tin-tuc/", "vi", "Tin tức", "content/articles/_index.vi.md"),
			page("/tin-tuc/tiet-kiem-dien/", "vi", "Tiết kiệm điện", "content/articles/tiet-kiem-dien.vi.md"),
			page("/en/news/saving-power/", "en", "Saving power", "content/articles/tiet-kiem-dien.en.md"),
		},
		Unpublished: []Unpublished{
			{page("/tin-tuc/nhap/", "vi", "Nháp", "content/articles/nhap.vi.md"), Draft, "draft", 4, time.Time{}},
			{page("/en/news/draft/", "en", "Draft", "content/articles/nhap.en.md"), Draft, "draft", 5, time.Time{}},
			{page("/tin-tuc/sap-dang/", "vi", "Sắp đăng", "content/articles/sap-dang.vi.md"), Scheduled, "publishDate", 3, day(2027, 1, 15)},
			{page("/en/news/coming/", "en", "Coming", "content/articles/sap-dang.en.md"), Scheduled, "date", 3, day(2027, 1, 15)},
			{page("/tin-tuc/het-han/", "vi", "Hết hạn", "content/articles/het-han.vi.md"), Expired, "expiryDate", 6, day(2026, 6, 1)},
			{page("/en/news/expired/", "en", "Expired", "content/articles/het-han.en.md"), Expired, "expiryDate", 6, day(2026, 6, 1)},
		},
	}
}

// A missing page says why, in the language of its address, on the site's
// own 404 page, under its Content-Security-Policy.
func TestNotFoundSaysWhy(t *testing.T) {
	srv := NewServer(builtSite(t), NewBroker(time.Hour), diag.Translator{})
	srv.SetOutcome(outcome())
	tests := []struct {
		name, path string
		want       []string
		not        []string
	}{
		{"draft", "/tin-tuc/nhap/", []string{
			`lang="vi"`,
			"Trang này là bản nháp (draft = true trong content/articles/nhap.vi.md:4).",
			"Để xem trước: sxsh serve --drafts, hoặc xoá dòng draft = true.",
		}, []string{"This page"}},
		{"draft without the slash", "/tin-tuc/nhap", []string{"Trang này là bản nháp"}, nil},
		{"draft in English", "/en/news/draft/", []string{
			`lang="en"`,
			"This page is a draft (draft = true in content/articles/nhap.en.md:5).",
			"To preview it: sxsh serve --drafts, or remove the line draft = true.",
		}, []string{"Trang này"}},
		{"scheduled", "/tin-tuc/sap-dang/", []string{
			"Trang này được hẹn đăng ngày 15/01/2027 (publishDate trong content/articles/sap-dang.vi.md:3).",
			"Để xem trước: sxsh serve --drafts, hoặc đổi publishDate thành hôm nay hay một ngày đã qua.",
		}, nil},
		{"scheduled in English", "/en/news/coming/", []string{
			"This page is scheduled for 15 Jan 2027 (date in content/articles/sap-dang.en.md:3).",
			"To preview it: sxsh serve --drafts, or set date to today or an earlier day.",
		}, nil},
		{"expired", "/tin-tuc/het-han/", []string{
			"Trang này đã hết hạn ngày 01/06/2026 (expiryDate trong content/articles/het-han.vi.md:6) nên không được đăng, kể cả với --drafts.",
			"Để đăng lại: xoá dòng expiryDate, hoặc đổi sang một ngày sau hôm nay.",
		}, []string{"Để xem trước"}},
		{"expired in English", "/en/news/expired/", []string{
			"This page expired on 1 Jun 2026 (expiryDate in content/articles/het-han.en.md:6), so it is not published, not even with --drafts.",
			"To publish it again: remove the line expiryDate, or set it to a day after today.",
		}, []string{"To preview it"}},
		{"a typing slip", "/tin-tuc/tiet-kiem-dein/", []string{
			"Không có trang ở địa chỉ này. Có phải bạn muốn tìm:",
			`<a href="/tin-tuc/tiet-kiem-dien/">Tiết kiệm điện</a>`,
		}, nil},
		{"marks and capitals", "/Tin-Tức/Tiết-Kiệm-Điện/", []string{`<a href="/tin-tuc/tiet-kiem-dien/">`}, nil},
		{"an .html ending", "/tin-tuc/tiet-kiem-dien.html", []string{`<a href="/tin-tuc/tiet-kiem-dien/">`}, nil},
		{"a typing slip in English", "/en/news/saving-powr/", []string{
			"There is no page at this address. Did you mean:",
			`<a href="/en/news/saving-power/">Saving power</a>`,
		}, nil},
		{"nothing close", "/hoan-toan-khac/", nil, []string{"sxsh-hint", NoticePath}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, srv, http.MethodGet, tt.path)
			if r.status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", r.status)
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("Content-Security-Policy %q", csp)
			}
			// The site's own 404 page, with the note at its top.
			if !strings.Contains(r.body, "Không tìm thấy trang") {
				t.Errorf("not the site's 404 page:\n%s", r.body)
			}
			if tt.want != nil && !strings.Contains(r.body, `<link rel="stylesheet" href="`+NoticePath+`">`) {
				t.Errorf("the note's style sheet is not linked:\n%s", r.body)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("lacks %q:\n%s", w, r.body)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(r.body, n) {
					t.Errorf("has %q:\n%s", n, r.body)
				}
			}
			if strings.Count(r.body, "<script") != 1 || strings.Contains(r.body, "<style") || strings.Contains(r.body, " style=") {
				t.Errorf("inline script or style breaks under the site's Content-Security-Policy:\n%s", r.body)
			}
		})
	}
	if r := get(t, srv, http.MethodGet, NoticePath); r.status != 200 || r.header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(r.body, ".sxsh-hint") {
		t.Errorf("%s: %d %q", NoticePath, r.status, r.body)
	}
}

// A page whose slug changed while serving: its old address says where it
// went and how to keep the old address working.
func TestNotFoundAfterSlugChange(t *testing.T) {
	srv := NewServer(builtSite(t), NewBroker(time.Hour), diag.Translator{})
	o := outcome()
	srv.SetOutcome(o)
	o.Pages[3].Path = "/tin-tuc/tiet-kiem-nang-luong/"
	srv.SetOutcome(o)
	srv.SetOutcome(o) // the build after still knows
	r := get(t, srv, http.MethodGet, "/tin-tuc/tiet-kiem-dien/")
	for _, want := range []string{
		"Trang ở địa chỉ này đã chuyển sang /tin-tuc/tiet-kiem-nang-luong/ (content/articles/tiet-kiem-dien.vi.md).",
		`thêm aliases = [&#34;/tin-tuc/tiet-kiem-dien/&#34;] vào front matter`,
		`<a href="/tin-tuc/tiet-kiem-nang-luong/">`,
	} {
		if r.status != 404 || !strings.Contains(r.body, want) {
			t.Errorf("status %d, lacks %q:\n%s", r.status, want, r.body)
		}
	}
}

// After a build that published all but a broken page, every page lists
// the errors at its top, and the broken page's address shows its own.
func TestServerBrokenPages(t *testing.T) {
	srv := NewServer(builtSite(t), NewBroker(time.Hour), diag.Translator{})
	o := outcome()
	bad := diag.Errorf("content/articles/hong.vi.md", 3, 1, "front matter: unknown key %q", "tittle")
	other := diag.Errorf("content/articles/anh.vi.md", 5, 0, "image /images/x.png is not in static/")
	o.Errors = diag.List{other, bad}
	o.Broken = []Broken{
		{Path: "/tin-tuc/hong/", File: "content/articles/hong.vi.md", Errors: diag.List{bad}},
		{Path: "/tin-tuc/", File: "content/articles/anh.vi.md", Errors: diag.List{other}},
	}
	srv.SetOutcome(o)
	for _, p := range []string{"/", "/bare.html", "/khong-co/"} {
		t.Run("page "+p, func(t *testing.T) {
			r := get(t, srv, http.MethodGet, p)
			if r.status == http.StatusInternalServerError {
				t.Fatalf("status %d: a good page must show", r.status)
			}
			for _, want := range []string{
				`<link rel="stylesheet" href="` + NoticePath + `">`,
				`<aside class="sxsh-errors" role="alert"`,
				"<strong>2 errors</strong>",
				"content/articles/hong.vi.md:3:1: front matter: unknown key &#34;tittle&#34;",
				"content/articles/anh.vi.md:5: image /images/x.png is not in static/",
				`<a href="/tin-tuc/hong/">/tin-tuc/hong/</a>`,
			} {
				if !strings.Contains(r.body, want) {
					t.Errorf("lacks %q:\n%s", want, r.body)
				}
			}
			if strings.Count(r.body, "<script") != 1 {
				t.Errorf("inline script:\n%s", r.body)
			}
		})
	}
	if r := get(t, srv, http.MethodGet, "/"); !strings.Contains(r.body, "Trang chủ") || strings.Index(r.body, "sxsh-errors") > strings.Index(r.body, "Trang chủ") {
		t.Errorf("the list is not at the top of the page:\n%s", r.body)
	}
	for _, tt := range []struct{ path, file string }{
		{"/tin-tuc/hong/", "content/articles/hong.vi.md"}, // gone from the folder
		{"/tin-tuc/hong", "content/articles/hong.vi.md"},
		{"/tin-tuc/", "content/articles/anh.vi.md"}, // still in the folder, from the last good build
	} {
		t.Run("broken "+tt.path, func(t *testing.T) {
			r := get(t, srv, http.MethodGet, tt.path)
			if r.status != http.StatusInternalServerError {
				t.Errorf("status %d, want 500", r.status)
			}
			mine, others := bad, other
			if tt.file != bad.File {
				mine, others = other, bad
			}
			for _, want := range []string{errorTitle, "This page (" + tt.file + ") is not built",
				strings.ReplaceAll(mine.Error(), `"`, "&#34;"), "Errors elsewhere", strings.ReplaceAll(others.Error(), `"`, "&#34;")} {
				if !strings.Contains(r.body, want) {
					t.Errorf("lacks %q:\n%s", want, r.body)
				}
			}
			if strings.Index(r.body, "Errors elsewhere") < strings.Index(r.body, strings.ReplaceAll(mine.Error(), `"`, "&#34;")) {
				t.Error("the page's own errors must come first")
			}
		})
	}
	if r := get(t, srv, http.MethodGet, "/css/site.abc.css"); r.status != 200 || strings.Contains(r.body, "sxsh") {
		t.Errorf("a style sheet: %d %q", r.status, r.body)
	}

	o.Errors, o.Broken = nil, nil
	srv.SetOutcome(o)
	for _, p := range []string{"/", "/tin-tuc/"} {
		if r := get(t, srv, http.MethodGet, p); r.status != 200 || strings.Contains(r.body, "sxsh-errors") {
			t.Errorf("%s after the fix: %d\n%s", p, r.status, r.body)
		}
	}
}

func TestAddressKeys(t *testing.T) {
	for _, tt := range []struct{ in, key, slug string }{
		{"/", "/", "/"},
		{"/index.html", "/", "/"},
		{"/tin-tuc/x/", "/tin-tuc/x", "/tin-tuc/x"},
		{"/tin-tuc/x/index.html", "/tin-tuc/x", "/tin-tuc/x"},
		{"/tin-tuc//x", "/tin-tuc/x", "/tin-tuc/x"},
		{"/Tin-Tức/X.html", "/Tin-Tức/X.html", "/tin-tuc/x"},
		{"/../x/", "/x", "/x"},
	} {
		if got := addressKey(tt.in); got != tt.key {
			t.Errorf("addressKey(%q) = %q, want %q", tt.in, got, tt.key)
		}
		if got := slugKey(tt.in); got != tt.slug {
			t.Errorf("slugKey(%q) = %q, want %q", tt.in, got, tt.slug)
		}
	}
}
