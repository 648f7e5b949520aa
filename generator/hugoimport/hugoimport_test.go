package hugoimport

import (
	"errors"
	"html/template"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"sxsh/generator/config"
	"sxsh/generator/content"
	"sxsh/generator/diag"
	"sxsh/generator/testenv"
)

// txtar makes a file system of a txtar archive: "-- name --" lines start
// each file.
func txtar(archive string) fstest.MapFS { return testenv.Txtar(archive) }

// imported runs Import and checks that sxsh reads the site.toml it makes.
func imported(t *testing.T, archive string) (*Site, *config.Config, string) {
	t.Helper()
	s, err := Import(txtar(archive))
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	c, err := config.Parse(s.Config)
	if err != nil {
		t.Fatalf("site.toml is not one sxsh reads: %v\n%s", err, s.Config)
	}
	var notes []string
	for _, n := range s.Notes {
		notes = append(notes, n.String())
	}
	return s, c, strings.Join(notes, "\n")
}

func copies(s *Site) map[string]string {
	m := map[string]string{}
	for _, c := range s.Files {
		m[c.To] = c.From
	}
	return m
}

func wantNotes(t *testing.T, notes string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(notes, w) {
			t.Errorf("the report lacks %q; it says:\n%s", w, notes)
		}
	}
}

const tomlSite = `
-- hugo.toml --
baseURL = "https://sxsh.example.gov.vn/"
title = "Sản xuất sạch hơn"
defaultContentLanguage = "vi"
theme = "ananke"
paginate = 12
enableEmoji = true

[languages.vi]
languageName = "Tiếng Việt"
weight = 1
[languages.en]
languageName = "English"
title = "Cleaner production"
weight = 2
[languages.en.params]
banner = "x.png"

[menus]
[[menus.main]]
name = "Tin tức"
url = "/tin-tuc/"
weight = 2
[[menus.main]]
name = "Giới thiệu"
pageRef = "/about"
weight = 1
[[menus.footer]]
name = "RSS"
url = "/index.xml"

[params]
hotline = "1900 0000"
[params.social]
zalo = "https://zalo.me/x"

[taxonomies]
category = "categories"
series = "series"

[permalinks]
posts = "/:year/:slug/"

[outputs]
home = ["HTML", "RSS", "JSON"]

[markup.goldmark.renderer]
unsafe = true
-- content/_index.md --
+++
title = "Trang chủ"
+++
-- content/posts/a.md --
+++
title = "A"
+++
{{< youtube id="x" >}} {{< note >}}hi{{< /note >}}
{{</* note */>}}
{{< gist user 1 >}}
-- content/posts/a.en.md --
+++
title = "A"
+++
{{< unknown >}}
-- content/posts/b.html --
<p>b</p>
-- content/posts/photo.jpg --
jpg
-- static/css/x.css --
a{}
-- themes/ananke/layouts/shortcodes/note.html --
<div>{{ .Inner }}</div>
-- themes/ananke/layouts/index.html --
x
-- data/team.yaml --
a: 1
-- i18n/vi.toml --
x = "y"
-- package.json --
{}
`

func TestImportTOML(t *testing.T) {
	s, c, notes := imported(t, tomlSite)
	if c.DefaultLanguage != "vi" || c.BaseURL != "https://sxsh.example.gov.vn/" || c.Paginate != 12 || !c.UnsafeHTML {
		t.Errorf("top-level keys: %+v", c)
	}
	if got := strings.Join(s.Languages, ","); got != "vi,en" {
		t.Errorf("languages %s", got)
	}
	vi, en := c.Languages["vi"], c.Languages["en"]
	if vi.Title != "Sản xuất sạch hơn" || vi.LanguageName != "Tiếng Việt" || en.Title != "Cleaner production" || en.Weight != 2 {
		t.Errorf("languages: vi %+v, en %+v", vi, en)
	}
	if len(vi.Menu) != 2 || vi.Menu[0].Name != "Giới thiệu" || vi.Menu[0].URL != "/about/" || vi.Menu[1].URL != "/tin-tuc/" || len(en.Menu) != 2 {
		t.Errorf("menu: %+v / %+v", vi.Menu, en.Menu)
	}
	if c.Params["hotline"] != "1900 0000" || c.Params["social"].(map[string]any)["zalo"] != "https://zalo.me/x" {
		t.Errorf("params %v", c.Params)
	}
	if got := strings.Join(c.TaxonomyNames(), ","); got != "categories" || c.TaxonomySlug("categories", "en") != "categories" {
		t.Errorf("taxonomies %s", got)
	}
	files := copies(s)
	for to, from := range map[string]string{
		"content/_index.md": "content/_index.md", "content/posts/a.md": "content/posts/a.md", "content/posts/a.en.md": "content/posts/a.en.md",
		"content/posts/photo.jpg": "content/posts/photo.jpg", "static/css/x.css": "static/css/x.css",
	} {
		if files[to] != from {
			t.Errorf("%s should come from %s, not %q", to, from, files[to])
		}
	}
	if len(files) != 5 {
		t.Errorf("files %v", files)
	}
	wantNotes(t, notes,
		`hugo.toml:4: theme "ananke": its templates`,
		`themes/: 2 files, themes`,
		`content/posts/a.md:4: shortcode "note": its template themes/ananke/layouts/shortcodes/note.html is Hugo's`,
		`content/posts/a.md:6: shortcode "gist": one of Hugo's own`,
		`content/posts/a.en.md:4: shortcode "unknown" is defined nowhere`,
		`used: gist (1 page), note (1 page), unknown (1 page)`,
		`hugo.toml:16: languages.en.params.banner: sxsh's [params] are the whole site's`,
		`hugo.toml:27: menu "footer" of "vi" (1 entry) is left out`,
		`hugo.toml:38: taxonomy "series": sxsh has only categories and tags`,
		`hugo.toml:41: posts = "/:year/:slug/": sxsh has no permalink patterns`,
		`hugo.toml:44: outputs.home: "JSON" not made`,
		`content/posts/b.html: a page in HTML`,
		`data/: 1 file, data files`,
		`i18n/: 1 file, UI strings`,
		`not read, as Hugo builds without them: package.json`,
		`hugo.toml:6: enableEmoji: emoji codes`,
	)
	if strings.Contains(notes, `"youtube"`) || strings.Contains(notes, "a.md:5") {
		t.Errorf("the report names a shortcode sxsh draws, or an escaped one:\n%s", notes)
	}
	// The report's order: by group, then file and line.
	for i := 1; i < len(s.Notes); i++ {
		if s.Notes[i].Group < s.Notes[i-1].Group {
			t.Errorf("note %d (%s) comes after one of a later group", i, s.Notes[i])
		}
	}
}

// A language with its content folder of its own keeps it as its
// contentDir, its files where they are, and a disabled language and a
// code sxsh rejects are left out.
func TestImportContentDirs(t *testing.T) {
	s, c, notes := imported(t, `
-- config/_default/hugo.yaml --
defaultContentLanguage: en
disableLanguages: [nl]
-- config/_default/languages.yaml --
en:
  title: Doks
  contentDir: content/en
  weight: 1
vi:
  title: "Tài liệu"
  contentDir: content/vi
  weight: 2
nl:
  title: Doks
  contentDir: content/nl
zh_CN:
  title: "文档"
-- config/_default/params.yaml --
description: Docs
empty:
-- config/_default/menus.vi.yaml --
main:
  - name: "Tài liệu"
    url: /vi/docs/
    parent: top
-- config/development/hugo.yaml --
baseURL: http://localhost/
-- content/en/docs/_index.md --
-- content/en/docs/a/index.md --
-- content/en/docs/a/pic.png --
same
-- content/vi/docs/_index.md --
-- content/vi/docs/a/index.md --
-- content/vi/docs/a/pic.png --
same
-- content/vi/docs/a/other.png --
x
-- content/en/docs/a/other.png --
y
-- content/nl/docs/_index.md --
-- content/x.zh_cn.md --
`)
	if c.DefaultLanguage != "en" || c.Languages["vi"].Title != "Tài liệu" || c.Languages["en"].Description != "Docs" || len(c.Languages) != 2 {
		t.Errorf("config: %+v", c)
	}
	if m := c.Languages["vi"].Menu; len(m) != 1 || m[0].URL != "/vi/docs/" {
		t.Errorf("vi menu: %+v", m)
	}
	if c.Languages["en"].ContentDir != "content/en" || c.Languages["vi"].ContentDir != "content/vi" {
		t.Errorf("contentDir: en %q, vi %q", c.Languages["en"].ContentDir, c.Languages["vi"].ContentDir)
	}
	files := copies(s)
	for _, f := range []string{"content/en/docs/_index.md", "content/en/docs/a/index.md", "content/en/docs/a/pic.png", "content/en/docs/a/other.png",
		"content/vi/docs/_index.md", "content/vi/docs/a/index.md", "content/vi/docs/a/pic.png", "content/vi/docs/a/other.png"} {
		if files[f] != f {
			t.Errorf("%s should be copied as it is, not from %q", f, files[f])
		}
	}
	if len(files) != 8 {
		t.Errorf("files %v", files)
	}
	wantNotes(t, notes,
		`config/_default/hugo.yaml:2: language "nl" is disabled: left out`,
		`config/_default/languages.yaml:13: language code "zh_cn": sxsh's codes are`,
		`content/nl/: 1 file of language "nl": left out`,
		`config/_default/menus.vi.yaml:1: menu entry "Tài liệu" of "vi" is under "top"`,
		`config/_default/params.yaml:2: params.empty is empty (null)`,
		`config/development/: the settings of Hugo's environment "development"`,
	)
	if want := map[string]string{"content/en/docs/a/index.md": "en /docs/a/", "content/vi/docs/a/index.md": "vi /vi/docs/a/"}; !reflect.DeepEqual(loaded(t, s, want), want) {
		t.Errorf("the new site's pages: %v, want %v", loaded(t, s, want), want)
	}
	if strings.Contains(notes, "pic.png") || strings.Contains(notes, "other.png") {
		t.Errorf("the same bundle file in two languages is reported:\n%s", notes)
	}
}

// The default language in Hugo's content/, another in a folder inside it
// and a third in a folder outside it: each but the default gets a content
// folder of its own inside content/.
func TestImportContentDirNested(t *testing.T) {
	s, c, _ := imported(t, `
-- hugo.toml --
defaultContentLanguage = "en"
[languages.en]
title = "E"
[languages.vi]
title = "V"
contentDir = "content/vi"
[languages.fr]
title = "F"
contentDir = "fr-content"
-- content/a.md --
+++
title = "A"
+++
-- content/vi/a.md --
+++
title = "A vi"
+++
-- fr-content/a.md --
+++
title = "A fr"
+++
`)
	if c.Languages["en"].ContentDir != "" || c.Languages["vi"].ContentDir != "content/vi" || c.Languages["fr"].ContentDir != "content/fr" {
		t.Errorf("contentDir: en %q, vi %q, fr %q", c.Languages["en"].ContentDir, c.Languages["vi"].ContentDir, c.Languages["fr"].ContentDir)
	}
	want := map[string]string{"content/a.md": "en /a/", "content/vi/a.md": "vi /vi/a/", "content/fr/a.md": "fr /fr/a/"}
	if got := loaded(t, s, want); !reflect.DeepEqual(got, want) {
		t.Errorf("the new site's pages: %v, want %v", got, want)
	}
}

// loaded loads the imported site with sxsh and returns, for the files
// named in want, their page's language and address.
func loaded(t *testing.T, s *Site, want map[string]string) map[string]string {
	t.Helper()
	cfg, err := config.Parse(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, c := range s.Files {
		fsys[c.To] = &fstest.MapFile{Data: []byte("+++\ntitle = \"x\"\n+++\n")}
	}
	site, _ := content.Load(fsys, cfg, content.Options{})
	got := map[string]string{}
	for f := range want {
		if p := site.ByFile[f]; p != nil {
			got[f] = p.Lang + " " + p.Path
		}
	}
	return got
}

func TestImportJSON(t *testing.T) {
	_, c, _ := imported(t, `
-- config.json --
{"baseURL": "/", "languageCode": "vi", "title": "T", "defaultContentLanguage": "vi", "paginate": 5,
 "taxonomies": {"tag": "tags"}, "params": {"n": 3, "f": 1.5}}
`)
	if c.Languages["vi"].Title != "T" || c.Paginate != 5 || c.Params["n"] != int64(3) || c.Params["f"] != 1.5 || c.TaxonomyNames()[0] != "tags" {
		t.Errorf("config: %+v", c)
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct{ archive, want string }{
		{"-- hugo.toml --\ntitle = \"T\"\n\nbaseURL = \n", "hugo.toml:3: cannot read Hugo's configuration"},
		{"-- config.json --\n{\n\"title\": \"T\",\n}\n", "config.json:3: cannot read Hugo's configuration"},
		{"-- README.md --\nhi\n", "no Hugo configuration"},
		{"-- hugo.toml --\ndefaultContentLanguage = \"pt_BR\"\n[languages.pt_BR]\ntitle = \"T\"\n", `hugo.toml:3: the default language's code "pt_br" is not one sxsh reads`},
		{"-- hugo.toml --\ndefaultContentLanguage = \"fr\"\n[languages.vi]\ntitle = \"T\"\n", `hugo.toml:1: defaultContentLanguage "fr" is not one of the site's languages "vi"`},
		{"-- hugo.toml --\ndisableLanguages = [\"en\"]\n", `hugo.toml:1: the default language "en" is disabled`},
	}
	for _, tt := range tests {
		_, err := Import(txtar(tt.archive))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Import(%q) = %v, want %q", tt.archive, err, tt.want)
		}
		// An error about a place in a file is a diagnostic, for the
		// command to print as sxsh prints every such error.
		var d *diag.Diagnostic
		if strings.Contains(tt.want, ".toml:") || strings.Contains(tt.want, ".json:") {
			if !errors.As(err, &d) && !errors.As(err, new(diag.List)) {
				t.Errorf("Import(%q): %T is not a diagnostic", tt.archive, err)
			}
		}
	}
}

// FuzzImport: whatever Hugo's configuration holds, Import makes a site.toml
// that sxsh reads, or returns an error; it never panics.
func FuzzImport(f *testing.F) {
	f.Add([]byte("title = \"T\"\n[languages.vi]\nweight = 1\n[[menu.main]]\nname = \"A\"\nurl = \"/\"\n"), []byte("en:\n  title: x\n"))
	f.Add([]byte("timeZone = \"Mars\"\npaginate = -3\nbaseURL = \"http://\"\n"), []byte("- 1\n"))
	f.Fuzz(func(t *testing.T, hugoTOML, langYAML []byte) {
		s, err := Import(fstest.MapFS{
			"hugo.toml":                      {Data: hugoTOML},
			"config/_default/languages.yaml": {Data: langYAML},
			"content/_index.md":              {Data: []byte("{{< x >}}")},
		})
		if err != nil {
			return
		}
		if _, err := config.Parse(s.Config); err != nil {
			t.Fatalf("site.toml that sxsh does not read: %v\n%s", err, s.Config)
		}
	})
}

// The top-level front-matter keys that sxsh does not read on a page of
// that kind go into site.toml's pageParams, each noted once; a key an
// article reads is the site's own on other pages; a name pageParams
// cannot hold is noted and left out.
func TestImportPageParams(t *testing.T) {
	_, c, notes := imported(t, `
-- hugo.toml --
title = "T"
-- content/_index.md --
---
title: Home
lead: Welcome
images: []
---
-- content/docs/a.md --
+++
Title = "A"
lead = "A page"
source = "Báo"
[params]
x = 1
+++
-- content/articles/b.md --
+++
title = "B"
date = 2024-01-01
source = "Báo"
+++
-- content/docs/c.md --
{"title": "C", "my key": 1, "lead": "C"}
-- content/docs/broken.md --
no front matter
`)
	if got := strings.Join(c.PageParams, ","); got != "images,lead,source" {
		t.Errorf("pageParams = %s, want images,lead,source", got)
	}
	wantNotes(t, notes,
		`content/_index.md:4: images (1 page): read into .Params; sxsh's layouts do not show it`,
		`content/_index.md:3: lead (3 pages): read into .Params`,
		`content/docs/a.md:4: source (1 page): read into .Params`,
		`content/docs/c.md:1: "my key" (1 page): not a name pageParams can hold`,
	)
	if strings.Contains(strings.ToLower(notes), "title") || strings.Contains(notes, "broken") {
		t.Errorf("a key sxsh reads, or a broken file, is noted:\n%s", notes)
	}
}

// A theme shortcode whose Hugo template reads what an equivalent reads
// gets that equivalent, written and noted once; one that reads more
// (Docsy's alert has a title and a color) is noted at each use, as
// before.
func TestImportShortcodeEquivalents(t *testing.T) {
	s, _, notes := imported(t, `
-- hugo.toml --
title = "T"
theme = "docsy"
-- layouts/shortcodes/details.html --
<details{{ with .Get 1 }} {{ . | safeHTML }}{{ end }}><summary>{{ .Get 0 }}</summary>{{ .Inner | markdownify }}</details>
-- themes/docsy/layouts/shortcodes/alert.html --
<div class="alert alert-{{ .Get "color" }}">{{ with .Get "title" }}<h4>{{ . }}</h4>{{ end }}{{ .Inner }}</div>
-- content/a.md --
+++
title = "A"
+++
{{< details "Vì sao?" >}}x{{< /details >}}
{{< alert title="Chú ý" >}}y{{< /alert >}}
-- content/b.md --
+++
title = "B"
+++
{{< details "Nữa" >}}z{{< /details >}}
`)
	if len(s.Written) != 1 || s.Written[0].To != "layouts/shortcodes/details.html" || !strings.Contains(string(s.Written[0].Data), `<summary>{{ .Get 0 }}</summary>`) {
		t.Fatalf("written: %+v", s.Written)
	}
	wantNotes(t, notes,
		`layouts/shortcodes/details.html: shortcode "details" (2 pages): the import wrote sxsh's own layouts/shortcodes/details.html`,
		`content/a.md:5: shortcode "alert": its template themes/docsy/layouts/shortcodes/alert.html is Hugo's`,
		`used: alert (1 page), details (2 pages)`,
	)
	if strings.Contains(notes, `content/a.md:4`) || strings.Contains(notes, `content/b.md`) {
		t.Errorf("a use of a written shortcode is noted as missing:\n%s", notes)
	}
}

// Each equivalent parses as a template, and reads what it says it reads.
func TestEquivalentsRead(t *testing.T) {
	for _, e := range equivalents {
		if _, ok := equivalentOf(e.name, []byte(e.text)); !ok {
			t.Errorf("%s: its own template does not match its arguments %v (inner %v)", e.name, e.args, e.inner)
		}
		if _, err := template.New(e.name).Parse(e.text); err != nil {
			t.Errorf("%s: %v", e.name, err)
		}
	}
}

// The _index files of a taxonomy sxsh does not have are noted: they build
// as sections that list no pages.
func TestImportTermPages(t *testing.T) {
	_, _, notes := imported(t, `
-- hugo.toml --
title = "T"
[taxonomies]
tag = "tags"
contributor = "contributors"
-- content/contributors/_index.md --
+++
title = "Contributors"
+++
-- content/contributors/lan/_index.md --
+++
title = "Lan"
+++
-- content/tags/_index.md --
+++
title = "Tags"
+++
`)
	wantNotes(t, notes, `content/contributors/: 2 _index files of taxonomy "contributors": sxsh makes them sections at the same addresses, showing their text but listing no pages`)
	if strings.Contains(notes, "content/tags/") {
		t.Errorf("a carried taxonomy's _index file is noted:\n%s", notes)
	}
}
