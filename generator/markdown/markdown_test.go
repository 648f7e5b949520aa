package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// viSlug stands in for the site's slug: Vietnamese folded to ASCII, words
// joined by hyphens.
func viSlug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
		default:
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name string
		slug func(string) string
		src  string
		want []string
	}{
		{"vietnamese via HeadingID", viSlug, "## Kết quả đạt được\n### Đánh giá *SXSH*\n", []string{"ket-qua-dat-duoc", "danh-gia-sxsh"}},
		{"duplicates get suffixes", viSlug, "## Mục tiêu\n## Mục tiêu\n## Muc tieu\n", []string{"muc-tieu", "muc-tieu-1", "muc-tieu-2"}},
		{"suffix does not clash with a real heading", viSlug, "## A 1\n## A\n## A\n", []string{"a-1", "a", "a-2"}},
		{"explicit id wins", viSlug, "## Kết quả\n## Khác {#ket-qua}\n", []string{"ket-qua-1", "ket-qua"}},
		{"empty slug", viSlug, "## ???\n## !!!\n", []string{"section", "section-1"}},
		{"fallback", nil, "## Energy Audit, 2024\n", []string{"energy-audit-2024"}},
		{"slug sees text not markup", viSlug, "## [Bộ Công Thương](https://moit.gov.vn) `ISO 50001`\n", []string{"bo-cong-thuong-iso-50001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := New(Options{HeadingID: tt.slug}).Render(Doc{Source: []byte(tt.src)})
			var got []string
			for _, h := range res.TOC {
				got = append(got, h.ID)
				if !bytes.Contains(res.HTML, []byte(` id="`+h.ID+`"`)) {
					t.Errorf("HTML lacks id %q:\n%s", h.ID, res.HTML)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ids = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTOC(t *testing.T) {
	src := "# Tiêu đề\n\n## Một\n\n### Một chấm một\n\n#### Sâu\n\n##### Quá sâu\n\n> ## Trong trích dẫn\n\n## Hai **đậm** &amp; `mã`\n"
	res := New(Options{HeadingID: viSlug}).Render(Doc{Source: []byte(src)})
	want := []Heading{
		{2, "mot", "Một"},
		{3, "mot-cham-mot", "Một chấm một"},
		{4, "sau", "Sâu"},
		{2, "trong-trich-dan", "Trong trích dẫn"},
		{2, "hai-dam-ma", "Hai đậm & mã"},
	}
	if !reflect.DeepEqual(res.TOC, want) {
		t.Errorf("TOC =\n%v\nwant\n%v", res.TOC, want)
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"blocks on lines", "Một *hai*\nba.\n\nBốn.\n", "Một hai ba.\nBốn."},
		{"entities and escapes decoded", "A &amp; B &lt;c&gt; \\*d\\* &#8230; &nbsp;x\n", "A & B <c> *d* … \u00a0x"},
		{"code kept", "Gọi `f(a < b)` rồi\n\n```\nx := 1\ny := 2\n```\n", "Gọi f(a < b) rồi\nx := 1\ny := 2"},
		{"raw html tags dropped", "Chữ <b>đậm</b>.\n\n<div class=\"x\">\n<p>Khối &amp; HTML</p>\n</div>\n\n<script>alert(1)</script>\n\n<!-- ghi chú -->\n", "Chữ đậm.\nKhối & HTML"},
		{"links keep text, images dropped", "[Trang](/a) ![ảnh](/b.png) https://x.vn\n", "Trang https://x.vn"},
		{"headings lists tables", "## Đề mục\n\n- một\n- hai\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "Đề mục\nmột\nhai\na b\n1 2"},
		{"task list and footnote", "- [x] xong[^1]\n\n[^1]: Ghi chú.\n", "xong\nGhi chú."},
		{"empty", "", ""},
	}
	r := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Render(Doc{Source: []byte(tt.src)}).Text; got != tt.want {
				t.Errorf("Text = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSections(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Section
	}{
		{
			"lead, h2, h3, h4 stays inside",
			"Mở đầu.\n\n## Một\n\nA.\n\n### Con\n\nB.\n\n#### Nhỏ\n\nC.\n\n## Hai\n",
			[]Section{
				{Heading{}, "Mở đầu."},
				{Heading{2, "mot", "Một"}, "A."},
				{Heading{3, "con", "Con"}, "B.\nNhỏ\nC."},
				{Heading{2, "hai", "Hai"}, ""},
			},
		},
		{
			"no lead section when the document opens with a heading",
			"## Một\n\nA.\n",
			[]Section{{Heading{2, "mot", "Một"}, "A."}},
		},
		{
			"no headings",
			"A.\n\nB.\n",
			[]Section{{Heading{}, "A.\nB."}},
		},
		{
			"h1 does not split",
			"# Tựa\n\nA.\n",
			[]Section{{Heading{}, "Tựa\nA."}},
		},
		{
			"image alt text follows its block",
			"Xem ![Sơ đồ  **lò hơi**](a.png) đây.\n\n![Đèn LED](b.png)\n\nB.\n",
			[]Section{{Heading{}, "Xem đây.\nSơ đồ lò hơi\nĐèn LED\nB."}},
		},
		{
			"image alt text in a heading stays in its section",
			"## Một ![Đèn LED](a.png)\n\n## Hai\n\nB.\n",
			[]Section{{Heading{2, "mot", "Một"}, "Đèn LED"}, {Heading{2, "hai", "Hai"}, "B."}},
		},
	}
	r := New(Options{HeadingID: viSlug})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := r.Render(Doc{Source: []byte(tt.src)})
			if !reflect.DeepEqual(res.Sections, tt.want) {
				t.Errorf("Sections =\n%q\nwant\n%q", res.Sections, tt.want)
			}
			// Alt text is searched, never summarized.
			if strings.Contains(res.Text, "Sơ đồ") || strings.Contains(res.Text, "LED") {
				t.Errorf("Text %q holds alt text", res.Text)
			}
		})
	}
}

func TestLinks(t *testing.T) {
	src := "Đoạn đầu.\n\n" + // lines 10, 11
		"Xem [bài](a.md) và ![ảnh](b.png).\n" + // line 12
		"> - Trích [dẫn][r] <https://x.vn>\n\n" + // line 13
		"Thư: a@b.vn và https://y.vn\n\n" + // line 15
		"[r]: /c/\n"
	res := New(Options{}).Render(Doc{Source: []byte(src), File: "content/x.vi.md", Line: 10})
	want := []Link{
		{Dest: "a.md", URL: "a.md", Line: 12, Col: 5},
		{Dest: "b.png", URL: "b.png", Image: true, Line: 12, Col: 20},
		{Dest: "/c/", URL: "/c/", Line: 13, Col: 11},
		{Dest: "https://x.vn", URL: "https://x.vn", Line: 13, Col: 21},
		{Dest: "mailto:a@b.vn", URL: "mailto:a@b.vn", Line: 15, Col: 6},
		{Dest: "https://y.vn", URL: "https://y.vn", Line: 15, Col: 16},
	}
	if !reflect.DeepEqual(res.Links, want) {
		t.Errorf("Links =\n%+v\nwant\n%+v", res.Links, want)
	}
}

func TestResolve(t *testing.T) {
	errMissing := errors.New("no such page")
	resolve := func(dest string, image bool) (string, error) {
		switch {
		case strings.HasPrefix(dest, "missing"):
			return "", errMissing
		case image:
			return "/img/" + dest, nil
		case strings.HasSuffix(dest, ".md"):
			return "/" + strings.TrimSuffix(dest, ".md") + "/", nil
		case dest == "https://old.example.com":
			return "https://new.example.com", nil
		}
		return dest, nil
	}
	tests := []struct {
		name     string
		line     int
		src      string
		wantHTML string
		wantDiag []string
	}{
		{"page link", 1, "[x](bai.md)", `<a href="/bai/">x</a>`, nil},
		{"image", 1, "![x](a.png)", `<img src="/img/a.png" alt="x" loading="lazy" decoding="async">`, nil},
		{"autolink rewritten", 1, "<https://old.example.com>", `<a href="https://new.example.com" rel="noopener">https://old.example.com</a>`, nil},
		{"broken link kept and reported", 5, "Một dòng.\nHai [x](missing.md)", `<a href="missing.md">x</a>`,
			[]string{`content/a.vi.md:6:5: broken link "missing.md": no such page`}},
		{"broken image", 3, "\n\n  ![ảnh](missing.png)", `<img src="missing.png"`,
			[]string{`content/a.vi.md:5:3: broken link "missing.png": no such page`}},
		{"column counts characters", 1, "Đường dẫn hỏng [x](missing)", `href="missing"`,
			[]string{`content/a.vi.md:1:16: broken link "missing": no such page`}},
		{"zero Line is line 1", 0, "[x](missing)", `href="missing"`,
			[]string{`content/a.vi.md:1:1: broken link "missing": no such page`}},
		{"every error collected", 1, "[a](missing1) [b](missing2)\n", `href="missing2"`,
			[]string{`content/a.vi.md:1:1: broken link "missing1": no such page`, `content/a.vi.md:1:15: broken link "missing2": no such page`}},
	}
	r := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := r.Render(Doc{Source: []byte(tt.src), File: "content/a.vi.md", Line: tt.line, Resolve: resolve})
			if !bytes.Contains(res.HTML, []byte(tt.wantHTML)) {
				t.Errorf("HTML lacks %s:\n%s", tt.wantHTML, res.HTML)
			}
			var got []string
			for _, d := range res.Diags {
				got = append(got, d.Error())
			}
			if !reflect.DeepEqual(got, tt.wantDiag) {
				t.Errorf("Diags = %q, want %q", got, tt.wantDiag)
			}
			if len(tt.wantDiag) > 0 && res.Diags.Err() == nil {
				t.Error("broken links are not errors")
			}
		})
	}
}

// Doc.Picture gives an image its copies and size after Resolve has taken
// its destination; its errors are diagnostics at the image, and images
// that Resolve refused are not asked about.
func TestPicture(t *testing.T) {
	var asked []string
	doc := Doc{
		Source: []byte("Trước.\n\n![Pano](pano.jpg) ![Hỏng](hong.jpg) ![Mất](mat.jpg) ![Sơ đồ](so-do.svg)\n"),
		File:   "content/a.vi.md", Line: 4,
		Resolve: func(dest string, image bool) (string, error) {
			if dest == "mat.jpg" {
				return "", errors.New("no such file")
			}
			return "/img/" + dest, nil
		},
		Picture: func(dest, url string) (string, []Attr, error) {
			asked = append(asked, dest+" "+url)
			switch dest {
			case "hong.jpg":
				return "", nil, errors.New("the JPEG file ends too soon")
			case "so-do.svg":
				return "", nil, nil
			}
			return "/img/pano.1200w.jpg", []Attr{{"srcset", "/img/pano.480w.jpg 480w, /img/pano.1200w.jpg 1200w"}, {"sizes", "100vw"}, {"width", "1200"}, {"height", "900"}}, nil
		},
	}
	res := New(Options{}).Render(doc)
	for _, want := range []string{
		`<img src="/img/pano.1200w.jpg" alt="Pano" srcset="/img/pano.480w.jpg 480w, /img/pano.1200w.jpg 1200w" sizes="100vw" width="1200" height="900" loading="lazy" decoding="async">`,
		`<img src="/img/hong.jpg" alt="Hỏng" loading="lazy" decoding="async">`,
		`<img src="/img/so-do.svg" alt="Sơ đồ" loading="lazy" decoding="async">`,
	} {
		if !bytes.Contains(res.HTML, []byte(want)) {
			t.Errorf("HTML lacks %s:\n%s", want, res.HTML)
		}
	}
	if want := []string{"pano.jpg /img/pano.jpg", "hong.jpg /img/hong.jpg", "so-do.svg /img/so-do.svg"}; !reflect.DeepEqual(asked, want) {
		t.Errorf("Picture was asked about %q, want %q", asked, want)
	}
	var got []string
	for _, d := range res.Diags {
		got = append(got, d.Error())
	}
	want := []string{`content/a.vi.md:6:19: picture "hong.jpg": the JPEG file ends too soon`, `content/a.vi.md:6:37: broken link "mat.jpg": no such file`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diags = %q, want %q", got, want)
	}
}

func TestRawHTML(t *testing.T) {
	tests := []struct {
		name   string
		unsafe bool
		src    string
		want   string
		reject string
	}{
		{"inline escaped", false, "A <script>alert(1)</script> B", "A &lt;script&gt;alert(1)&lt;/script&gt; B", "<script"},
		{"block escaped", false, "<iframe src=\"https://x\"></iframe>\n", "&lt;iframe src=&quot;https://x&quot;&gt;&lt;/iframe&gt;", "<iframe"},
		{"comment left out", false, "A <!-- bí mật --> B\n\n<!-- nháp -->\n", "<p>A  B</p>", "bí mật"},
		{"inline allowed", true, "A <kbd>Ctrl</kbd> B", "A <kbd>Ctrl</kbd> B", "&lt;"},
		{"block allowed", true, "<figure>\n<img src=\"a.png\">\n</figure>\n", "<figure>\n<img src=\"a.png\">\n</figure>", "&lt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := string(New(Options{UnsafeHTML: tt.unsafe}).Render(Doc{Source: []byte(tt.src)}).HTML)
			if !strings.Contains(html, tt.want) {
				t.Errorf("HTML lacks %q:\n%s", tt.want, html)
			}
			if strings.Contains(html, tt.reject) {
				t.Errorf("HTML has %q:\n%s", tt.reject, html)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want string
	}{
		{"short kept", "Sản xuất sạch hơn", 50, "Sản xuất sạch hơn"},
		{"exact length kept", "Sản xuất", 8, "Sản xuất"},
		{"cut at word", "Sản xuất sạch hơn tại Đồng Nai", 12, "Sản xuất…"},
		{"cut right before a space", "Sản xuất sạch hơn", 8, "Sản xuất…"},
		{"cut right after a word", "Sản xuất sạch hơn", 9, "Sản xuất…"},
		{"white space folded", "Một\nhai\t\tba  bốn năm", 11, "Một hai ba…"},
		{"trailing comma dropped", "Điện, nước, khí đốt", 13, "Điện, nước…"},
		{"long word cut inside", "Siêuuuuuuuuuuuudài", 5, "Siêuu…"},
		{"zero", "abc", 0, ""},
		{"empty", "", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summary(tt.text, tt.max); got != tt.want {
				t.Errorf("Summary(%q, %d) = %q, want %q", tt.text, tt.max, got, tt.want)
			}
		})
	}
}

func TestTOCHTML(t *testing.T) {
	h := func(level int, id string) Heading { return Heading{level, id, strings.ToUpper(id)} }
	tests := []struct {
		name string
		toc  []Heading
		want string
	}{
		{"none", nil, ""},
		{"one is not worth a toc", []Heading{h(2, "a")}, ""},
		{"flat", []Heading{h(2, "a"), h(2, "b")},
			`<ol><li><a href="#a">A</a></li><li><a href="#b">B</a></li></ol>`},
		{"nested and back", []Heading{h(2, "a"), h(3, "b"), h(4, "c"), h(2, "d")},
			`<ol><li><a href="#a">A</a><ol><li><a href="#b">B</a><ol><li><a href="#c">C</a></li></ol></li></ol></li><li><a href="#d">D</a></li></ol>`},
		{"skipped level then middle", []Heading{h(2, "a"), h(4, "b"), h(3, "c")},
			`<ol><li><a href="#a">A</a><ol><li><a href="#b">B</a></li><li><a href="#c">C</a></li></ol></li></ol>`},
		{"starts deep", []Heading{h(3, "a"), h(2, "b"), h(3, "c")},
			`<ol><li><a href="#a">A</a></li><li><a href="#b">B</a><ol><li><a href="#c">C</a></li></ol></li></ol>`},
		{"escaped", []Heading{{2, `a"b`, "<Tôi & bạn>"}, h(2, "c")},
			`<ol><li><a href="#a&#34;b">&lt;Tôi &amp; bạn&gt;</a></li><li><a href="#c">C</a></li></ol>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(TOCHTML(tt.toc, `Mục "lục"`))
			want := tt.want
			if want != "" {
				want = `<nav class="toc" aria-label="Mục &#34;lục&#34;">` + want + `</nav>`
			}
			if got != want {
				t.Errorf("TOCHTML =\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestConcurrent renders documents from many goroutines with one Renderer,
// as the site's workers do; run it with -race.
func TestConcurrent(t *testing.T) {
	bench, err := os.ReadFile("testdata/bench.vi.md")
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(dest string, image bool) (string, error) {
		if strings.HasSuffix(dest, ".vi.md") {
			return "", errors.New("not found")
		}
		return dest, nil
	}
	r := New(Options{HeadingID: viSlug})
	docs := make([]Doc, 8)
	want := make([]*Result, len(docs))
	for i := range docs {
		src := fmt.Sprintf("## Bài %d\n\n%s\n\n## Bài %d\n", i, bench[:len(bench)*(i+1)/len(docs)], i)
		docs[i] = Doc{Source: []byte(src), File: fmt.Sprintf("f%d.md", i), Line: i + 1, Resolve: resolve}
		want[i] = r.Render(docs[i])
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				i := (g + k) % len(docs)
				if got := r.Render(docs[i]); !reflect.DeepEqual(got, want[i]) {
					select {
					case errs <- fmt.Sprintf("doc %d rendered differently under concurrency", i):
					default:
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// BenchmarkRender renders a typical 5 KB Vietnamese article, one at a time
// and from as many goroutines as there are cores, as the site build does.
func BenchmarkRender(b *testing.B) {
	src, err := os.ReadFile("testdata/bench.vi.md")
	if err != nil {
		b.Fatal(err)
	}
	r := New(Options{HeadingID: viSlug})
	doc := Doc{Source: src, File: "content/articles/x.vi.md", Line: 12,
		Resolve: func(dest string, image bool) (string, error) { return dest, nil }}
	b.Run("serial", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			r.Render(doc)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				r.Render(doc)
			}
		})
	})
}
