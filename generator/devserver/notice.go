package devserver

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"sxsh/generator/diag"
	"sxsh/generator/vitext"
)

// NoticePath serves the style sheet of what the server adds to the site's
// own pages: the list of errors and the notes on a missing page.
const NoticePath = "/__sxsh/notice.css"

// Outcome is what a build that published tells the server: besides its
// summary, the errors of the pages it had to leave out, and the site's
// addresses, so that a page that is not found can say why.
type Outcome struct {
	// Summary follows "built" or "rebuilt in N ms (files):" on the
	// command line.
	Summary string
	// Errors are the diagnostics of a build that published every page it
	// could: each page then lists them, and Broken says which addresses
	// show their own instead of a page.
	Errors diag.List
	Broken []Broken
	// Pages are the published pages, homes included, from which the
	// server suggests an address close to one that is not found.
	Pages []Page
	// Unpublished are the pages the build left out on purpose.
	Unpublished []Unpublished
}

// Page is a page of the site as the server tells of it.
type Page struct {
	Path  string // the site path, "/tin-tuc/x/"
	Lang  string // "vi", "en"
	Title string
	File  string // the source, "content/articles/x.vi.md"; "" for a generated page
}

// Broken is a page that a build could not make, with its errors; Path is
// where it was or would be published, "" when not known.
type Broken struct {
	Path, File string
	Errors     diag.List
}

// Held says why a page is not published.
type Held int

// The reasons a page is left out of a build.
const (
	Draft     Held = iota + 1 // draft = true
	Scheduled                 // publishDate, or date, after the build
	Expired                   // expiryDate before the build
)

// Unpublished is a page the build left out, with the front-matter key
// that keeps it out, the line it is on, and the date it names.
type Unpublished struct {
	Page
	Why  Held
	Key  string // "draft", "publishDate", "date", "expiryDate"
	Line int
	Date time.Time
}

// site is what the server knows of the last build that published.
type site struct {
	errors      diag.List
	broken      map[string]Broken
	unpublished map[string]Unpublished
	pages       []Page
	byKey       map[string]Page // by addressKey
	bySlug      map[string]Page // by slugKey
	// moved maps the key of an address a page had in an earlier build
	// to its file, for a page whose slug changed while serving.
	moved map[string]string
	files map[string]Page // by source file
}

// indexOutcome indexes an outcome; last is the site before it, whose addresses
// become the moved ones of pages that changed them.
func indexOutcome(o Outcome, last *site) *site {
	st := &site{
		errors:      o.Errors,
		broken:      map[string]Broken{},
		unpublished: map[string]Unpublished{},
		pages:       o.Pages,
		byKey:       map[string]Page{},
		bySlug:      map[string]Page{},
		moved:       map[string]string{},
		files:       map[string]Page{},
	}
	for _, b := range o.Broken {
		if b.Path != "" {
			st.broken[addressKey(b.Path)] = b
		}
	}
	for _, u := range o.Unpublished {
		st.unpublished[addressKey(u.Path)] = u
	}
	for _, p := range o.Pages {
		st.byKey[addressKey(p.Path)] = p
		st.bySlug[slugKey(p.Path)] = p
		if p.File != "" {
			st.files[p.File] = p
		}
	}
	if last != nil {
		for k, f := range last.moved {
			st.moved[k] = f
		}
		for f, p := range last.files {
			if now, ok := st.files[f]; ok && now.Path != p.Path {
				st.moved[addressKey(p.Path)] = f
			}
		}
	}
	return st
}

// addressKey is an address as the server resolves it: cleaned, without
// index.html or the trailing slash.
func addressKey(p string) string {
	p = path.Clean("/" + p)
	p = strings.TrimSuffix(p, "/index.html")
	if p == "" {
		return "/"
	}
	return p
}

// slugKey is an address as an editor may mistype it: each segment as a
// slug (lower case, no marks), without .html.
func slugKey(p string) string {
	k := addressKey(p)
	for _, ext := range []string{".html", ".htm"} {
		k = strings.TrimSuffix(k, ext)
	}
	segs := strings.Split(strings.Trim(k, "/"), "/")
	for i, s := range segs {
		segs[i] = vitext.Slug(s)
	}
	return "/" + strings.Join(segs, "/")
}

// lang is the language of an address: that of the page with the longest
// path it starts with, the site's homes among them.
func (st *site) lang(addr string) string {
	lang, best := "vi", -1
	if st == nil {
		return lang
	}
	for _, p := range st.pages {
		if len(p.Path) > best && strings.HasPrefix(addr, p.Path) {
			lang, best = p.Lang, len(p.Path)
		}
	}
	return lang
}

// suggest lists up to three pages whose addresses are close to addr: the
// same but for case, marks or an .html ending; or a letter or two apart.
func (st *site) suggest(addr string) []Page {
	if st == nil {
		return nil
	}
	want := slugKey(addr)
	if p, ok := st.bySlug[want]; ok {
		return []Page{p}
	}
	limit := 1
	switch {
	case len(want) >= 20:
		limit = 3
	case len(want) >= 8:
		limit = 2
	}
	type near struct {
		p Page
		d int
	}
	var found []near
	for k, p := range st.bySlug {
		if n := len(k) - len(want); n > limit || -n > limit {
			continue
		}
		if d := vitext.Distance(k, want); d <= limit {
			found = append(found, near{p, d})
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].d != found[j].d {
			return found[i].d < found[j].d
		}
		return found[i].p.Path < found[j].p.Path
	})
	var out []Page
	for i := 0; i < len(found) && i < 3; i++ {
		out = append(out, found[i].p)
	}
	return out
}

// hint is what a missing page says beside the site's own "not found".
type hint struct {
	Lang  string
	Lines []string // sentences, in order
	Links []Page   // addresses to try
}

// hintFor explains why addr shows nothing, in its language, or returns
// nil when there is nothing more to say than "not found".
func (st *site) hintFor(addr string) *hint {
	if st == nil {
		return nil
	}
	key := addressKey(addr)
	if u, ok := st.unpublished[key]; ok {
		return &hint{Lang: u.Lang, Lines: unpublishedText(u)}
	}
	lang := st.lang(addr)
	en := lang != "vi"
	if f, ok := st.moved[key]; ok {
		if p, ok := st.files[f]; ok {
			old := addressKey(addr)
			if strings.HasSuffix(p.Path, "/") {
				old += "/"
			}
			line := fmt.Sprintf("Trang ở địa chỉ này đã chuyển sang %s (%s). Nếu địa chỉ cũ đã được công bố, thêm aliases = [%q] vào front matter để người đọc vẫn tới được trang.", p.Path, f, old)
			if en {
				line = fmt.Sprintf("The page at this address has moved to %s (%s). If the old address was ever published, add aliases = [%q] to its front matter so that readers still find the page.", p.Path, f, old)
			}
			return &hint{Lang: lang, Lines: []string{line}, Links: []Page{p}}
		}
	}
	if near := st.suggest(addr); len(near) > 0 {
		line := "Không có trang ở địa chỉ này. Có phải bạn muốn tìm:"
		if en {
			line = "There is no page at this address. Did you mean:"
		}
		return &hint{Lang: lang, Lines: []string{line}, Links: near}
	}
	return nil
}

// unpublishedText tells, in the page's language, why it is left out and
// how to see it.
func unpublishedText(u Unpublished) []string {
	where := u.File
	if u.Line > 0 {
		where = fmt.Sprintf("%s:%d", u.File, u.Line)
	}
	day := vitext.FormatDate(u.Lang, u.Date)
	if u.Lang == "vi" {
		switch u.Why {
		case Draft:
			return []string{fmt.Sprintf("Trang này là bản nháp (draft = true trong %s).", where),
				"Để xem trước: sxsh serve --drafts, hoặc xoá dòng draft = true."}
		case Scheduled:
			return []string{fmt.Sprintf("Trang này được hẹn đăng ngày %s (%s trong %s).", day, u.Key, where),
				fmt.Sprintf("Để xem trước: sxsh serve --drafts, hoặc đổi %s thành hôm nay hay một ngày đã qua.", u.Key)}
		case Expired:
			return []string{fmt.Sprintf("Trang này đã hết hạn ngày %s (expiryDate trong %s) nên không được đăng, kể cả với --drafts.", day, where),
				"Để đăng lại: xoá dòng expiryDate, hoặc đổi sang một ngày sau hôm nay."}
		}
	}
	switch u.Why {
	case Draft:
		return []string{fmt.Sprintf("This page is a draft (draft = true in %s).", where),
			"To preview it: sxsh serve --drafts, or remove the line draft = true."}
	case Scheduled:
		return []string{fmt.Sprintf("This page is scheduled for %s (%s in %s).", day, u.Key, where),
			fmt.Sprintf("To preview it: sxsh serve --drafts, or set %s to today or an earlier day.", u.Key)}
	case Expired:
		return []string{fmt.Sprintf("This page expired on %s (expiryDate in %s), so it is not published, not even with --drafts.", day, where),
			"To publish it again: remove the line expiryDate, or set it to a day after today."}
	}
	return nil
}

// bannerShown is how many errors the list on every page shows; the error
// page of a broken address shows them all.
const bannerShown = 10

const noticeHTML = `{{define "hint"}}<link rel="stylesheet" href="{{.Style}}">
<div class="sxsh-hint" role="note" lang="{{.Hint.Lang}}">
{{range .Hint.Lines}}<p>{{.}}</p>
{{end}}{{with .Hint.Links}}<ul>
{{range .}}<li><a href="{{.Path}}">{{if .Title}}{{.Title}}{{else}}{{.Path}}{{end}}</a> <code>{{.Path}}</code></li>
{{end}}</ul>
{{end}}</div>
{{end}}{{define "banner"}}<link rel="stylesheet" href="{{.Style}}">
<aside class="sxsh-errors" role="alert" lang="{{.Lang}}">
{{if eq .Lang "vi"}}<p><strong>{{len .Errors}} lỗi</strong>: các trang có lỗi chưa được dựng; sửa rồi lưu tệp để xem lại.</p>
{{else}}<p><strong>{{len .Errors}} {{if eq (len .Errors) 1}}error{{else}}errors{{end}}</strong>: the pages that have them are not built; fix and save to see them again.</p>
{{end}}<ol>
{{range .Shown}}<li><code>{{.}}</code></li>
{{end}}</ol>
{{with .More}}<p>{{if eq $.Lang "vi"}}… và {{.}} lỗi khác{{else}}… and {{.}} more{{end}}</p>
{{end}}{{with .Broken}}<p>{{if eq $.Lang "vi"}}Trang lỗi{{else}}Broken pages{{end}}:{{range .}} <a href="{{.}}">{{.}}</a>{{end}}</p>
{{end}}</aside>
{{end}}`

// banner is the list of a build's errors that every page shows at its top.
func (s *Server) banner(st *site) []byte {
	if st == nil || len(st.errors) == 0 {
		return nil
	}
	msgs := make([]string, len(st.errors))
	for i, d := range st.errors {
		msgs[i] = s.tr.Diagnostic(d)
	}
	shown := msgs[:min(len(msgs), bannerShown)]
	var broken []string
	for _, b := range st.broken {
		broken = append(broken, b.Path)
	}
	sort.Strings(broken)
	var buf bytes.Buffer
	err := s.notice.ExecuteTemplate(&buf, "banner", struct {
		Lang, Style   string
		Errors, Shown []string
		More          int
		Broken        []string
	}{s.tr.Lang(), NoticePath, msgs, shown, len(msgs) - len(shown), broken})
	if err != nil {
		return nil
	}
	return buf.Bytes()
}

// hintHTML renders h for the top of the site's 404 page.
func (s *Server) hintHTML(h *hint) []byte {
	var buf bytes.Buffer
	if err := s.notice.ExecuteTemplate(&buf, "hint", struct {
		Style string
		Hint  *hint
	}{NoticePath, h}); err != nil {
		return nil
	}
	return buf.Bytes()
}

// insertTop puts html right after the first of the start tags ("<main")
// that page has, or at its start.
func insertTop(page, html []byte, tags ...string) []byte {
	at := 0
	for _, tag := range tags {
		if i := indexTag(page, tag); i >= 0 {
			if j := bytes.IndexByte(page[i:], '>'); j >= 0 {
				at = i + j + 1
				break
			}
		}
	}
	out := make([]byte, 0, len(page)+len(html))
	out = append(out, page[:at]...)
	out = append(out, html...)
	return append(out, page[at:]...)
}

// indexTag finds the first start tag named like tag ("<main"), ignoring
// ASCII case and longer names such as <mainx>.
func indexTag(page []byte, tag string) int {
	for i := 0; i+len(tag) < len(page); i++ {
		if bytes.EqualFold(page[i:i+len(tag)], []byte(tag)) {
			switch page[i+len(tag)] {
			case '>', ' ', '\t', '\n', '\r', '/':
				return i
			}
		}
	}
	return -1
}

// brokenAt returns the broken page whose address is upath.
func (st *site) brokenAt(upath string) (Broken, bool) {
	if st == nil {
		return Broken{}, false
	}
	b, ok := st.broken[addressKey(upath)]
	return b, ok
}

// where names a broken page for its error page: its file, else its address.
func (b Broken) where() string {
	if b.File != "" {
		return b.File
	}
	return b.Path
}

// othersThan is the build's errors that are not b's.
func (st *site) othersThan(b Broken) diag.List {
	mine := map[string]bool{}
	for _, d := range b.Errors {
		mine[d.Error()] = true
	}
	var out diag.List
	for _, d := range st.errors {
		if !mine[d.Error()] {
			out = append(out, d)
		}
	}
	return out
}
