package content

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"time"

	"sxsh/generator/vitext"
)

// Kinds lists the kinds `sxsh new` makes, with the folder each lives in.
var Kinds = []struct{ Name, Dir string }{
	{TypeArticle, "articles"},
	{TypeNewsletter, "newsletters"},
	{TypeBroadcast, "broadcasts"},
	{TypeBanner, "banners"},
	{TypeDocument, "documents"},
	{TypePage, ""},
}

// kindFields holds, for each kind, its own front-matter lines as `sxsh new`
// writes them: a working example value and a short hint for the editor.
var kindFields = map[string]string{
	TypeArticle: `author = ""               # tác giả hoặc đơn vị viết bài
source = ""               # nguồn, nếu lấy từ nơi khác
`,
	TypeNewsletter: `publication = "Bản tin Ban Quản lý các KCN Đồng Nai"   # tên ấn phẩm, giống hệt ở mọi số
issue = 1                 # số phát hành
copies = 1000             # số bản in
pages = 16                # số trang
pdf = ""                  # tệp PDF trong static/, ví dụ "/files/newsletters/so-1.pdf"
cover = ""                # ảnh bìa trong static/, ví dụ "/images/newsletters/so-1.svg"

[[contents]]              # mục lục: mỗi bài một khối [[contents]]
title = "Tên bài"
page = 1
`,
	TypeBroadcast: `medium = "radio"          # "radio" (phát thanh) hoặc "tv" (truyền hình)
station = "Đài Phát thanh – Truyền hình Đồng Nai"   # tên đài
series = ""               # chuyên mục, nếu có
episode = 1               # kỳ phát sóng
duration = 10             # thời lượng, phút
airings = [%[1]sT19:45:00]   # các lần phát sóng: ngày và giờ
media = ""                # tệp âm thanh/video trong static/, hoặc địa chỉ https://
`,
	TypeBanner: `form = "banner"           # "banner" (băng rôn) hoặc "panel" (pano)
slogan = "Sản xuất sạch hơn – Vì sự phát triển bền vững"   # khẩu hiệu
district = "Biên Hòa"     # huyện, thành phố (một tên trong districts của site.toml)
zone = ""                 # khu công nghiệp, cụm công nghiệp; bỏ trống nếu ở trung tâm huyện
address = ""              # địa điểm cụ thể
quantity = 1              # số lượng
size = ""                 # kích thước, ví dụ "0,8 × 6 m"
installed = %[1]s     # ngày treo, dựng
photo = ""                # ảnh trong static/, ví dụ "/images/banners/anh.jpg"
`,
	TypeDocument: `number = "1419/QĐ-TTg"    # số, ký hiệu đúng như trên văn bản
docType = "Quyết định"    # loại văn bản: Luật, Nghị định, Quyết định, Thông tư, Kế hoạch, Công văn…
issuer = "Thủ tướng Chính phủ"   # cơ quan ban hành
issued = %[1]s        # ngày ban hành (cũng là ngày của trang)
effective = %[1]s     # ngày có hiệu lực; xóa dòng này nếu không rõ
field = "Sản xuất sạch hơn"   # lĩnh vực; có thể bỏ trống
file = "/files/documents/ten-tep.pdf"   # tệp PDF trong static/
`,
}

// NewFile returns the path (relative to the site directory) and the text of
// a new content file of kind, titled title, in lang; the file name always
// carries the language suffix. Every field of the kind is present with a
// hint; the page is a draft until the editor publishes it.
func NewFile(kind, title, lang string, now time.Time) (string, []byte, error) {
	dir, ok := kindDir(kind)
	if !ok {
		return "", nil, fmt.Errorf("unknown kind %q: use one of %s", kind, kindNames())
	}
	title = vitext.NFC(strings.TrimSpace(title))
	slug := vitext.Slug(title)
	if slug == "" {
		return "", nil, fmt.Errorf("the title %q has no letters or digits to make a file name from", title)
	}
	file := path.Join(Dir, dir, slug+"."+lang+".md")
	var b bytes.Buffer
	fmt.Fprintf(&b, "+++\ntitle = %q\n", title)
	if kind == TypeDocument {
		// A document's date is its issued date, written below.
		b.WriteString(`summary = "Phê duyệt Chiến lược sản xuất sạch hơn trong công nghiệp đến năm 2020"   # trích yếu (bắt buộc)
`)
	} else {
		fmt.Fprintf(&b, "date = %s\n", now.Format("2006-01-02"))
		b.WriteString(`summary = ""              # một hai câu tóm tắt, hiện ở danh sách và kết quả tìm kiếm
`)
	}
	if kind == TypeArticle || kind == TypePage {
		b.WriteString(`categories = []           # chuyên mục, ví dụ ["Sản xuất sạch hơn"]
tags = []                 # từ khóa, ví dụ ["SXSH", "tiết kiệm điện"]
image = ""                # ảnh minh họa trong static/, ví dụ "/images/anh.jpg"
`)
	}
	b.WriteString(`draft = true              # bản nháp: xóa dòng này để đăng bài
`)
	if f := kindFields[kind]; f != "" {
		b.WriteString(strings.ReplaceAll(f, "%[1]s", now.Format("2006-01-02")))
	}
	b.WriteString("+++\n\nViết nội dung ở đây.\n")
	return file, b.Bytes(), nil
}

// TranslationFile returns the path and text of the counterpart of a content
// file in another language: the same base name (which links the two), the
// same fields, the title marked for translation and the body kept to
// translate in place. URL fields (slug, aliases) are left out, since they
// differ between languages, and the translation starts as a draft.
func TranslationFile(file string, src []byte, lang string, cfg interface{ Langs() []string }) (string, []byte, error) {
	m, body, _, err := split(src)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %v", file, err)
	}
	// The translation's front matter is TOML, as a new file's is, whatever
	// the format of the original.
	fm, _, err := m.toTOML()
	if err != nil {
		return "", nil, fmt.Errorf("%s:%d: %v", file, errorLine(err), err)
	}
	dir, name := path.Split(file)
	stem := strings.TrimSuffix(name, ".md")
	for _, l := range cfg.Langs() {
		stem = strings.TrimSuffix(stem, "."+l)
	}
	out := path.Join(dir, stem+"."+lang+".md")
	// The kept lines, with "draft = true" added before the first table so
	// that it stays a top-level key.
	var b bytes.Buffer
	b.WriteString("+++\n")
	inTable, drafted := false, false
	for _, line := range strings.SplitAfter(string(fm), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && !inTable {
			inTable, drafted = true, true
			b.WriteString("draft = true\n\n")
		}
		key, _, _ := strings.Cut(t, "=")
		key = strings.TrimSpace(key)
		switch {
		case inTable:
		case key == "slug" || key == "aliases" || key == "draft":
			continue
		case key == "title":
			line = strings.TrimRight(line, "\r\n") + "   # translate / dịch\nslug = \"\"   # this language's URL segment, e.g. \"saving-power\"\n"
		}
		b.WriteString(line)
	}
	if b.Len() > 0 && !bytes.HasSuffix(b.Bytes(), []byte("\n")) {
		b.WriteByte('\n')
	}
	if !drafted {
		b.WriteString("draft = true\n")
	}
	b.WriteString("+++\n")
	b.Write(body)
	return out, b.Bytes(), nil
}

func kindDir(kind string) (string, bool) {
	for _, k := range Kinds {
		if k.Name == kind {
			return k.Dir, true
		}
	}
	return "", false
}

func kindNames() string {
	var names []string
	for _, k := range Kinds {
		names = append(names, k.Name)
	}
	return strings.Join(names, ", ")
}
