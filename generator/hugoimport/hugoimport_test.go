package hugoimport

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"sxsh/generator/config"
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

// A language with its content folder of its own: its pages get its code
// in their names in the shared content/, its files stay where they are,
// and a disabled language and a code sxsh rejects are left out.
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
	files := copies(s)
	for to, from := range map[string]string{
		"content/docs/_index.md": "content/en/docs/_index.md", "content/docs/a/index.md": "content/en/docs/a/index.md",
		"content/docs/_index.vi.md": "content/vi/docs/_index.md", "content/docs/a/index.vi.md": "content/vi/docs/a/index.md",
		"content/docs/a/pic.png": "content/en/docs/a/pic.png", "content/docs/a/other.png": "content/en/docs/a/other.png",
	} {
		if files[to] != from {
			t.Errorf("%s should come from %s, not %q", to, from, files[to])
		}
	}
	if len(files) != 6 {
		t.Errorf("files %v", files)
	}
	wantNotes(t, notes,
		`config/_default/hugo.yaml:2: language "nl" is disabled: left out`,
		`config/_default/languages.yaml:13: language code "zh_cn": sxsh's codes are`,
		`content/nl/: 1 file of language "nl": left out`,
		`content/vi/docs/a/other.png: would be content/docs/a/other.png, as content/en/docs/a/other.png is: left out`,
		`config/_default/menus.vi.yaml:1: menu entry "Tài liệu" of "vi" is under "top"`,
		`config/_default/params.yaml:2: params.empty is empty (null)`,
		`config/development/: the settings of Hugo's environment "development"`,
	)
	if strings.Contains(notes, "pic.png") {
		t.Errorf("the same bundle file in two languages is reported:\n%s", notes)
	}
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
