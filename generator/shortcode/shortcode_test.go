package shortcode

import (
	"flag"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sxsh/generator/markdown"
)

var update = flag.Bool("update", false, "rewrite the expected HTML in testdata/*.txt")

// testTemplates stand in for a site's layouts/shortcodes/.
type testTemplates struct {
	src  map[string]string
	tmpl map[string]*template.Template
}

func newTemplates(t testing.TB, src map[string]string) *testTemplates {
	tt := &testTemplates{src: src, tmpl: map[string]*template.Template{}}
	for name, s := range src {
		tt.tmpl[name] = template.Must(template.New("shortcodes/" + name + ".html").Parse(s))
	}
	return tt
}

func (t *testTemplates) Shortcode(name string) (bool, bool) {
	s, ok := t.src[name]
	return ok, strings.Contains(s, ".Inner")
}

func (t *testTemplates) ExecuteShortcode(w io.Writer, lang, name string, data any) error {
	if err := t.tmpl[name].Execute(w, data); err != nil {
		return fmt.Errorf("layouts/%v", strings.TrimPrefix(err.Error(), "template: "))
	}
	return nil
}

// siteShortcodes are the site's own shortcodes of the tests.
var siteShortcodes = map[string]string{
	"notice": `<div class="notice notice-{{ .Get 0 }}">{{ .Inner }}</div>`,
	"hello":  `<span class="hello">Xin chào {{ .Get "name" }} ({{ .Page.Title }}, {{ .Site.Params.org }})</span>`,
	"broken": `<b>{{ index .Params 5 }}</b>`,
	"year":   `{{ .Get 0 }}`,
}

// overrides adds a shortcode named like a built-in.
var overrides = map[string]string{
	"figure": `<img class="own" src="{{ .Get "src" }}">`,
}

type testPage struct {
	Title, Lang string
	Params      map[string]any
}

type testSite struct{ Params map[string]any }

// testResolve stands in for the site's resolver: Markdown files under
// content/ become pretty URLs, images under /images/ get the base path.
func testResolve(file string) func(string, bool) (string, error) {
	pages := map[string]string{
		"content/articles/x.md":           "/sxsh/tin-tuc/x/",
		"content/articles/y.vi.md":        "/sxsh/tin-tuc/y/",
		"content/gioi-thieu.md":           "/sxsh/gioi-thieu/",
		"content/articles/_index.vi.md":   "/sxsh/tin-tuc/",
		"content/articles/nested/z.vi.md": "/sxsh/tin-tuc/z/",
	}
	return func(dest string, image bool) (string, error) {
		if strings.HasPrefix(dest, "https://") {
			return dest, nil
		}
		target, frag, _ := strings.Cut(dest, "#")
		if frag != "" {
			frag = "#" + frag
		}
		if strings.HasSuffix(target, ".md") {
			f := filepath.ToSlash(filepath.Join(filepath.Dir(file), target))
			if strings.HasPrefix(target, "/") {
				f = "content" + target
			}
			u, ok := pages[f]
			if !ok {
				u, ok = pages[strings.TrimSuffix(f, ".md")+".vi.md"]
			}
			if !ok {
				return dest, fmt.Errorf("no published page comes from %s", f)
			}
			return u + frag, nil
		}
		if strings.HasPrefix(target, "/") {
			return "/sxsh" + target + frag, nil
		}
		return dest, nil
	}
}

const testFile = "content/articles/a.vi.md"

func testDoc(src string) Doc {
	return Doc{
		Doc:        markdown.Doc{Source: []byte(src), File: testFile, Line: 5, Resolve: testResolve(testFile)},
		Lang:       "vi",
		Page:       &testPage{Title: "Bài viết", Lang: "vi", Params: map[string]any{"nam": int64(2024), "tinh": "Đồng Nai"}},
		Site:       &testSite{Params: map[string]any{"org": "TTKC", "tinh": "không dùng"}},
		Params:     map[string]any{"nam": int64(2024), "tinh": "Đồng Nai", "lich": map[string]any{"ngay": "28/11"}},
		SiteParams: map[string]any{"org": "TTKC <Đồng Nai>", "tinh": "không dùng"},
		T: func(key string, args ...any) string {
			if key == "videoOn" {
				return fmt.Sprintf("Xem video trên %s", args...)
			}
			return key
		},
	}
}

func testSets(t testing.TB) map[string]*Set {
	md := markdown.New(markdown.Options{})
	own := map[string]string{}
	for k, v := range siteShortcodes {
		own[k] = v
	}
	withOverride := map[string]string{}
	for k, v := range own {
		withOverride[k] = v
	}
	for k, v := range overrides {
		withOverride[k] = v
	}
	return map[string]*Set{
		"":         New(Options{Markdown: md, Templates: newTemplates(t, own)}),
		"unsafe":   New(Options{Markdown: markdown.New(markdown.Options{UnsafeHTML: true}), Templates: newTemplates(t, own), UnsafeHTML: true}),
		"override": New(Options{Markdown: md, Templates: newTemplates(t, withOverride)}),
		"none":     New(Options{Markdown: md}),
	}
}

const (
	caseSep = "//- - - - - - - - -//"
	caseEnd = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
)

type specCase struct{ name, options, markdown, html string }

func parseSpec(t *testing.T, data string) []specCase {
	var cases []specCase
	for _, block := range strings.Split(data, caseEnd+"\n") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		parts := strings.Split(block, caseSep+"\n")
		if len(parts) != 3 {
			t.Fatalf("case %q: want a header, Markdown and HTML separated by %s", strings.TrimSpace(block)[:20], caseSep)
		}
		c := specCase{markdown: parts[1], html: parts[2]}
		for _, l := range strings.Split(strings.TrimSpace(parts[0]), "\n") {
			if o, ok := strings.CutPrefix(l, "options:"); ok {
				c.options = strings.TrimSpace(o)
			} else if c.name == "" {
				c.name = strings.TrimSpace(l)
			}
		}
		cases = append(cases, c)
	}
	return cases
}

func formatSpec(cases []specCase) string {
	var b strings.Builder
	for _, c := range cases {
		b.WriteString(c.name + "\n")
		if c.options != "" {
			b.WriteString("options: " + c.options + "\n")
		}
		b.WriteString(caseSep + "\n" + c.markdown + caseSep + "\n" + c.html + caseEnd + "\n\n")
	}
	return b.String()
}

// TestSpec renders each case of testdata/*.txt: Markdown with shortcodes,
// then the HTML expected. A case must render without diagnostics, and its
// text must hold no placeholder. -update rewrites the expected HTML.
func TestSpec(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no spec files: %v", err)
	}
	sets := testSets(t)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cases := parseSpec(t, string(data))
		for i := range cases {
			c := &cases[i]
			t.Run(filepath.Base(file)+"/"+c.name, func(t *testing.T) {
				set, ok := sets[c.options]
				if !ok {
					t.Fatalf("unknown options %q", c.options)
				}
				res := set.Render(testDoc(c.markdown))
				for _, d := range res.Diags {
					t.Errorf("diagnostic: %v", d)
				}
				assertNoPlaceholder(t, res)
				if *update {
					c.html = string(res.HTML)
					return
				}
				if strings.TrimSpace(string(res.HTML)) != strings.TrimSpace(c.html) {
					t.Errorf("Markdown:\n%s\ngot:\n%s\nwant:\n%s", c.markdown, res.HTML, c.html)
				}
			})
		}
		if *update {
			if err := os.WriteFile(file, []byte(formatSpec(cases)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// assertNoPlaceholder fails if anything a reader or the search sees still
// holds a placeholder.
func assertNoPlaceholder(t *testing.T, res *markdown.Result) {
	t.Helper()
	key := markdown.PlaceholderKey(nil)
	check := func(what, s string) {
		if strings.Contains(s, key) {
			t.Errorf("%s holds a placeholder: %q", what, s)
		}
	}
	check("HTML", string(res.HTML))
	check("Text", res.Text)
	for _, s := range res.Sections {
		check("section", s.Heading.Text+" "+s.Heading.ID+" "+s.Text)
	}
	for _, h := range res.TOC {
		check("TOC", h.Text+" "+h.ID)
	}
	for _, l := range res.Links {
		check("link", l.Dest+" "+l.URL)
	}
}

// TestErrors checks each mistake's message and position: the body starts
// on line 5 of the file, as after four lines of front matter.
func TestErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		set       string // of testSets
	}{
		{"unknown", "Mở đầu\n\nĐồng {{< notice2 x >}}", []string{
			`content/articles/a.vi.md:7:6: unknown shortcode "notice2": add layouts/shortcodes/notice2.html or remove it`}, ""},
		{"unknown without site shortcodes", "{{% notice %}}a{{% /notice %}}", []string{
			`content/articles/a.vi.md:5:1: unknown shortcode "notice": add layouts/shortcodes/notice.html or remove it`}, "none"},
		{"unclosed", "a\n{{< highlight go >}}\nx := 1\n", []string{
			`content/articles/a.vi.md:6:1: shortcode "highlight" is not closed: add {{< /highlight >}} after its content (or end it with />}} if it has none)`}, ""},
		{"unclosed site shortcode that reads Inner", "{{% notice info %}}\nx\n", []string{
			`content/articles/a.vi.md:5:1: shortcode "notice" is not closed: add {{% /notice %}} after its content (or end it with /%}} if it has none)`}, ""},
		{"closing without opening", "x {{< /figure >}}", []string{
			`content/articles/a.vi.md:5:3: {{< /figure >}} closes no shortcode: remove it, or open it with {{< figure >}} before`}, ""},
		{"mismatched closing", "{{< notice a >}}x{{< /highlight >}}{{< /notice >}}", []string{
			`content/articles/a.vi.md:5:18: {{< /highlight >}} closes no shortcode: remove it, or open it with {{< highlight >}} before`}, ""},
		{"wrong delimiter", "x {{< param nam %}}", []string{
			`content/articles/a.vi.md:5:3: shortcode "param" opens with {{< but ends with %}}: end it with >}}`}, ""},
		{"not ended", "x\n  {{< figure src=\"a.jpg\"\n\nmore", []string{
			`content/articles/a.vi.md:6:3: shortcode "figure" is not ended: close it with >}}`}, ""},
		{"open quote", `{{< figure src="a.jpg >}}`, []string{
			`content/articles/a.vi.md:5:12: shortcode "figure": a quoted argument has no closing "`}, ""},
		{"mixed arguments", `{{< hello "Lan" name="x" >}}`, []string{
			`content/articles/a.vi.md:5:1: shortcode "hello" mixes positional and named arguments: name them all (name="…")`}, ""},
		{"no name", `{{<  >}}`, []string{
			`content/articles/a.vi.md:5:1: a shortcode needs a name after {{<, as in {{< figure src="/images/x.jpg" >}}`}, ""},
		{"broken ref", "Xem [bài]({{< ref \"khong-co.md\" >}}).", []string{
			`content/articles/a.vi.md:5:11: ref: "khong-co.md": no published page comes from content/articles/khong-co.md`}, ""},
		{"broken ref from content", `{{< relref "/tin-tuc/x" >}}`, []string{
			`content/articles/a.vi.md:5:1: relref: "/tin-tuc/x": no published page comes from content/tin-tuc/x/_index.md`}, ""},
		{"figure without src", `{{< figure caption="x" >}}`, []string{
			`content/articles/a.vi.md:5:1: figure: needs src="/images/…", the image to show`}, ""},
		{"figure typo", `{{< figure src="/images/a.jpg" captoin="x" >}}`, []string{
			`content/articles/a.vi.md:5:1: figure: unknown argument "captoin" (it takes src, alt, caption, title, link, width, height, class, target, rel, attr, attrlink, loading)`}, ""},
		{"figure broken link", `{{< figure src="/images/a.jpg" link="khong-co.md" >}}`, []string{
			`content/articles/a.vi.md:5:1: figure: broken link "khong-co.md": no published page comes from content/articles/khong-co.md`}, ""},
		{"bad youtube id", `{{< youtube "https://youtu.be/x" >}}`, []string{
			`content/articles/a.vi.md:5:1: youtube: "https://youtu.be/x" is not a YouTube video id (the last part of the video's address)`}, ""},
		{"unknown param", "a {{< param \"nam.thang\" >}} {{< param khong >}}", []string{
			`content/articles/a.vi.md:5:3: param: no "nam.thang" in the page's [params] nor in site.toml's [params]: add it to one of them`,
			`content/articles/a.vi.md:5:29: param: no "khong" in the page's [params] nor in site.toml's [params]: add it to one of them`}, ""},
		{"param table", `{{< param lich >}}`, []string{
			`content/articles/a.vi.md:5:1: param: "lich" is a table or a list, not one value: name one of its values (lich.name)`}, ""},
		{"template error", "\n{{< broken >}}", []string{
			`content/articles/a.vi.md:6:1: shortcode "broken": layouts/shortcodes/broken.html:1:6: executing "shortcodes/broken.html" at <index .Params 5>: error calling index: index out of range: 5`}, ""},
		{"link after multi-line shortcode", "{{< figure\n  src=\"/images/a.jpg\" >}} và [x](khong-co.md)\n\n[y](mat.md)", []string{
			`content/articles/a.vi.md:6:30: broken link "khong-co.md": no published page comes from content/articles/khong-co.md`,
			`content/articles/a.vi.md:8:1: broken link "mat.md": no published page comes from content/articles/mat.md`}, ""},
		{"link inside markdown inner", "{{% notice a %}}\nĐây [x](khong-co.md)\n{{% /notice %}}", []string{
			`content/articles/a.vi.md:6:5: broken link "khong-co.md": no published page comes from content/articles/khong-co.md`}, ""},
		{"error inside inner", "{{< notice a >}}\nĐây {{< nope >}}\n{{< /notice >}}", []string{
			`content/articles/a.vi.md:6:5: unknown shortcode "nope": add layouts/shortcodes/nope.html or remove it`}, ""},
		{"escape in code warns", "```\n{{</* figure */>}}\n```", []string{
			`content/articles/a.vi.md:6:1: warning: {{</* in code is shown as typed: write {{< name >}} in code to show a shortcode`}, ""},
	}
	sets := testSets(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := sets[tt.set].Render(testDoc(tt.src))
			var got []string
			for _, d := range res.Diags {
				got = append(got, d.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			assertNoPlaceholder(t, res)
		})
	}
}

// TestText checks that the text for summaries and the search holds what
// shortcodes show, and the links of the page what they link.
func TestText(t *testing.T) {
	src := "Mở đầu năm {{< param nam >}}.\n\n" +
		"## Hình {{< param tinh >}}\n\n" +
		"{{< figure src=\"/images/a.jpg\" caption=\"Lò hơi tiết kiệm\" >}}\n\n" +
		"{{% notice info %}}\nGhi **chú** [x](x.md)\n{{% /notice %}}\n\n" +
		"{{< highlight go >}}\nfmt.Println(1)\n{{< /highlight >}}\n\n" +
		"Xem {{< youtube dQw4w9WgXcQ >}} và `{{< param nam >}}`\n"
	res := testSets(t)[""].Render(testDoc(src))
	if len(res.Diags) > 0 {
		t.Fatalf("diagnostics: %v", res.Diags)
	}
	assertNoPlaceholder(t, res)
	wantText := "Mở đầu năm 2024.\nHình Đồng Nai\nLò hơi tiết kiệm\nGhi chú x\nfmt.Println(1)\nXem Xem video trên YouTube và {{< param nam >}}"
	if res.Text != wantText {
		t.Errorf("Text = %q\nwant %q", res.Text, wantText)
	}
	if len(res.TOC) != 1 || res.TOC[0].Text != "Hình Đồng Nai" {
		t.Errorf("TOC = %v", res.TOC)
	}
	if len(res.Sections) != 2 || !strings.Contains(res.Sections[1].Text, "Lò hơi tiết kiệm") {
		t.Errorf("Sections = %q", res.Sections)
	}
	var links []string
	for _, l := range res.Links {
		links = append(links, fmt.Sprintf("%d:%d %s %s %v", l.Line, l.Col, l.Dest, l.URL, l.Image))
	}
	wantLinks := []string{
		"9:1 /images/a.jpg /sxsh/images/a.jpg true",
		"12:13 x.md /sxsh/tin-tuc/x/ false",
		"19:5 https://www.youtube.com/watch?v=dQw4w9WgXcQ https://www.youtube.com/watch?v=dQw4w9WgXcQ false",
	}
	if strings.Join(links, "\n") != strings.Join(wantLinks, "\n") {
		t.Errorf("links:\n%s\nwant:\n%s", strings.Join(links, "\n"), strings.Join(wantLinks, "\n"))
	}
}

// TestConcurrent renders from many goroutines with one Set, as a build
// does; run with -race it shows the Set keeps no state between calls.
func TestConcurrent(t *testing.T) {
	set := testSets(t)[""]
	src := "{{% notice a %}}\n{{< param nam >}} [x]({{< ref \"x.md\" >}})\n{{% /notice %}}\n"
	want := string(set.Render(testDoc(src)).HTML)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := string(set.Render(testDoc(src)).HTML); got != want {
					t.Errorf("got %q, want %q", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// A ref by a bare name found neither beside the page nor at the top is
// the one page of that name in the site, as in Hugo; two of that name are
// an error that lists them.
func TestRefByName(t *testing.T) {
	set := testSets(t)[""]
	named := map[string][]string{"cap-nhat": {"/sxsh/huong-dan/cap-nhat/"}, "hai": {"/sxsh/a/hai/", "/sxsh/b/hai/"}}
	for _, tt := range []struct{ src, html, diag string }{
		{`[x]({{< relref "cap-nhat" >}})`, `<a href="/sxsh/huong-dan/cap-nhat/">x</a>`, ""},
		{`[x]({{< ref "cap-nhat.md#muc" >}})`, `<a href="/sxsh/huong-dan/cap-nhat/#muc">x</a>`, ""},
		{`[x]({{< ref "x" >}})`, `<a href="/sxsh/tin-tuc/x/">x</a>`, ""}, // beside the page first
		{`{{< ref "hai" >}}`, "", `ref: "hai": 2 pages are named hai (/sxsh/a/hai/, /sxsh/b/hai/): write the path`},
		{`{{< ref "khac/cap-nhat" >}}`, "", `no published page comes from`},
	} {
		d := testDoc(tt.src)
		d.Named = func(name string) []string { return named[name] }
		res := set.Render(d)
		if tt.diag != "" {
			if !strings.Contains(res.Diags.Error(), tt.diag) {
				t.Errorf("%s: diagnostics %v, want %q", tt.src, res.Diags, tt.diag)
			}
			continue
		}
		if len(res.Diags) > 0 || !strings.Contains(string(res.HTML), tt.html) {
			t.Errorf("%s: %s %v, want %s", tt.src, res.HTML, res.Diags, tt.html)
		}
	}
}

// figure asks Doc.Picture about its picture as Markdown images do: the
// copies and size come with it, a width the editor gave wins, and an
// error names the picture at the shortcode.
func TestFigurePicture(t *testing.T) {
	set := New(Options{Markdown: markdown.New(markdown.Options{})})
	for _, tc := range []struct {
		name, src, want, err string
	}{
		{"copies", `{{< figure src="/images/a.jpg" alt="Lò hơi" >}}`,
			`<img src="/sxsh/images/a.1200w.jpg" alt="Lò hơi" srcset="/sxsh/images/a.480w.jpg 480w" sizes="100vw" width="1200" height="800" loading="lazy" decoding="async">`, ""},
		{"the editor's width", `{{< figure src="/images/a.jpg" width="300" >}}`,
			`<img src="/sxsh/images/a.1200w.jpg" alt="" srcset="/sxsh/images/a.480w.jpg 480w" sizes="100vw" width="300" loading="lazy" decoding="async">`, ""},
		{"a bad picture", "Trước.\n\n{{< figure src=\"/images/hong.jpg\" >}}", "", `content/articles/a.vi.md:7:1: figure: picture "/images/hong.jpg": cut short`},
	} {
		d := testDoc(tc.src)
		d.Picture = func(dest, url string) (string, []markdown.Attr, error) {
			if dest == "/images/hong.jpg" {
				return "", nil, fmt.Errorf("cut short")
			}
			return strings.TrimSuffix(url, ".jpg") + ".1200w.jpg", []markdown.Attr{{Name: "srcset", Value: strings.TrimSuffix(url, ".jpg") + ".480w.jpg 480w"},
				{Name: "sizes", Value: "100vw"}, {Name: "width", Value: "1200"}, {Name: "height", Value: "800"}}, nil
		}
		res := set.Render(d)
		if tc.want != "" && !strings.Contains(string(res.HTML), tc.want) {
			t.Errorf("%s: HTML lacks\n%s\nin\n%s", tc.name, tc.want, res.HTML)
		}
		if got := res.Diags.Error(); tc.err != "" && !strings.Contains(got, tc.err) || tc.err == "" && got != "" {
			t.Errorf("%s: errors %q, want %q", tc.name, got, tc.err)
		}
	}
}

// A figure's link cannot run a script: the address is refused at the
// shortcode, as goldmark leaves such an address out of a Markdown link.
func TestFigureLinkNoScript(t *testing.T) {
	set := New(Options{Markdown: markdown.New(markdown.Options{})})
	for _, src := range []string{
		`{{< figure src="/images/a.jpg" link="javascript:alert(1)" >}}`,
		`{{< figure src="/images/a.jpg" attr="Ảnh" attrlink=" JavaScript:alert(1)" >}}`,
	} {
		res := set.Render(testDoc(src))
		if strings.Contains(strings.ToLower(string(res.HTML)), "javascript:") || !strings.Contains(res.Diags.Error(), "runs a script") {
			t.Errorf("%s: %s %v", src, res.HTML, res.Diags)
		}
	}
}
