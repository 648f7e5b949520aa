package diag

import (
	"errors"
	"strings"
	"testing"
)

func TestTranslate(t *testing.T) {
	tr := NewTranslator("vi")
	tests := []struct{ en, vi string }{
		// A message inside a message, each translated.
		{`installed: "5/3/18" is not a date; write it as 2021-03-15 (or 2021-03-15 08:30)`,
			`installed: "5/3/18" không phải là ngày hợp lệ; hãy viết theo dạng 2021-03-15 (hoặc 2021-03-15 08:30)`},
		// A piece appended to a message.
		{`unknown key "tittle" (did you mean "title"?)`, `không có khóa "tittle" (có phải ý bạn là "title"?)`},
		// Quoted values come through as they are, even when they read
		// like a message of the catalog.
		{`unknown key "permission denied"`, `không có khóa "permission denied"`},
		{`slug "a/b": a slug is one URL segment: no / \ or .. (write slug = "ten-bai-viet")`,
			`slug "a/b": slug là một đoạn của địa chỉ: không có / \ hoặc .. (hãy viết slug = "ten-bai-viet")`},
		// Arguments in another order, and an English plural left out.
		{`the article page "Tiết kiệm"`, `trang "Tiết kiệm" (loại article)`},
		{`3 errors, 1 warning, 0 notes`, `3 lỗi, 1 cảnh báo, 0 lưu ý`},
		{"1,234 pages, 56 files, 2.5 MB in 1.2s (3 unchanged files kept)", "1,234 trang, 56 tệp, 2.5 MB trong 1.2s (giữ nguyên 3 tệp không đổi)"},
		// A message the catalog does not know stays English.
		{`something new happened`, `something new happened`},
		{``, ``},
	}
	for _, tt := range tests {
		if got := tr.Msg(tt.en); got != tt.vi {
			t.Errorf("Msg(%q)\n got %q\nwant %q", tt.en, got, tt.vi)
		}
		if got := NewTranslator("en").Msg(tt.en); got != tt.en {
			t.Errorf("English changed %q to %q", tt.en, got)
		}
	}
}

func TestTranslateDiagnostics(t *testing.T) {
	tr := NewTranslator("vi")
	l := List{
		Errorf("content/a.vi.md", 3, 0, "unknown key %q", "tittle"),
		Warnf("content/b.vi.md", 0, 0, "no %s translation (add %s.%s.md)", "en", "content/b", "en"),
	}
	want := "content/a.vi.md:3: không có khóa \"tittle\"\ncontent/b.vi.md: cảnh báo: chưa có bản dịch en (hãy thêm content/b.en.md)"
	if got := tr.Error(l); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := tr.Error(errors.New("cannot read: permission denied")); got != "không đọc được tệp: không có quyền truy cập" {
		t.Errorf("a plain error: %q", got)
	}
	if got := (Translator{}).Error(l); got != l.Error() {
		t.Errorf("the zero Translator changed the list: %q", got)
	}
	if NewTranslator("vi").Lang() != "vi" || NewTranslator("fr").Lang() != "en" || (Translator{}).Lang() != "en" {
		t.Error("Lang")
	}
}

func TestCompileRefuses(t *testing.T) {
	errs := CheckCatalog([]Entry{
		{`file %q is missing`, `thiếu tệp`},
		{`%d pages`, `%[2]d trang`},
		{`page %d of %q`, `trang %q của %d`},
		{`%s`, `%s`},
		{`twice`, `hai lần`}, {`twice`, `hai lần`},
		{`bad %`, `xấu`},
	})
	if len(errs) != 6 {
		var s []string
		for _, e := range errs {
			s = append(s, e.Error())
		}
		t.Errorf("%d errors, want 6:\n%s", len(errs), strings.Join(s, "\n"))
	}
}

type summary string

func (s summary) String() string { return string(s) }

// A caller that knows its format gets that format's translation, even
// where another entry, more specific, would match the finished message.
func TestFormatLooksUpItsFormat(t *testing.T) {
	tr := NewTranslator("vi")
	res := summary("9 pages, 12 files, 0.1 MB in 40ms")
	want := tr.Msg(string(res))
	if want == string(res) {
		t.Fatalf("the summary %q has no translation to test with", res)
	}
	if got := tr.Format("built %s into %s", res, "public"); got != "đã dựng "+want+" vào public" {
		t.Errorf("Format = %q, want %q", got, "đã dựng "+want+" vào public")
	}
	if got := tr.Format("no such format %s", "x"); got != "no such format x" {
		t.Errorf("Format of an unknown format = %q", got)
	}
	if got := (Translator{}).Format("built %s into %s", res, "public"); got != "built "+string(res)+" into public" {
		t.Errorf("English Format = %q", got)
	}
}
