package content

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"sxsh/generator/config"
)

// paramsConfig is testConfig with the site's own front-matter keys.
func paramsConfig(t *testing.T, keys ...string) *config.Config {
	t.Helper()
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = fmt.Sprintf("%q", k)
	}
	cfg, err := config.Parse([]byte("pageParams = [" + strings.Join(q, ", ") + "]\n[languages.vi]\ntitle = \"T\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// readWith reads src as content/dir/x.vi.md with cfg.
func readWith(t *testing.T, cfg *config.Config, dir, src string) (*Page, string) {
	t.Helper()
	file := "content/" + dir + "/x.vi.md"
	fsys := fstest.MapFS{file: {Data: []byte(src)}}
	srcs, _, diags := walk(fsys, cfg)
	if len(srcs) != 1 {
		t.Fatalf("%s is not a content file: %v", file, diags)
	}
	p, errs := readPage(fsys, srcs[0], cfg)
	return p, errs.Error()
}

// The keys site.toml's pageParams names are read into .Params from the
// top level of every front-matter format, a value under [params] wins,
// and every other unknown key stays an error.
func TestPageParams(t *testing.T) {
	cfg := paramsConfig(t, "lead", "images", "source")
	want := map[string]any{"lead": "Dẫn", "images": []any{"a.png"}, "own": int64(1)}
	for name, src := range map[string]string{
		"toml": "+++\ntitle = \"A\"\nlead = \"Dẫn\"\nimages = [\"a.png\"]\n[params]\nown = 1\n+++\n",
		"yaml": "---\ntitle: A\nlead: Dẫn\nimages:\n  - a.png\nparams:\n  own: 1\n---\n",
		"json": "{\"title\": \"A\", \"lead\": \"Dẫn\", \"images\": [\"a.png\"], \"params\": {\"own\": 1}}\n",
	} {
		p, errs := readWith(t, cfg, "docs", src)
		if p == nil {
			t.Fatalf("%s: %s", name, errs)
		}
		if !reflect.DeepEqual(p.Params, want) {
			t.Errorf("%s: Params = %#v, want %#v", name, p.Params, want)
		}
	}

	p, errs := readWith(t, cfg, "docs", "+++\ntitle = \"A\"\nlead = \"top\"\n[params]\nlead = \"params\"\n+++\n")
	if p == nil || p.Params["lead"] != "params" {
		t.Errorf("[params] should win: %v %s", p, errs)
	}
	// A key of a kind's own stays that kind's field on its pages, and is
	// the site's own on the others.
	p, errs = readWith(t, cfg, "articles", "+++\ntitle = \"A\"\ndate = 2024-03-15\nsource = \"Báo\"\n+++\n")
	if p == nil || p.Article.Source != "Báo" || p.Params["source"] != nil {
		t.Errorf("an article's source: %+v %s", p, errs)
	}
	p, _ = readWith(t, cfg, "docs", "+++\ntitle = \"A\"\nsource = \"Báo\"\n+++\n")
	if p == nil || p.Params["source"] != "Báo" {
		t.Errorf("a page's source is not in Params: %+v", p)
	}

	for _, tt := range []struct{ src, want string }{
		{"+++\ntitle = \"A\"\ntittle = \"B\"\n+++\n", `content/docs/x.vi.md:3: unknown key "tittle" (did you mean "title"?)`},
		{"---\ntitle: A\nlaed: B\n---\n", `content/docs/x.vi.md:3: unknown key "laed" (did you mean "lead"?)`},
		{"+++\ntitle = \"A\"\nexcerpt = \"B\"\n+++\n", `content/docs/x.vi.md:3: unknown key "excerpt"; allowed here: title,`},
	} {
		if p, errs := readWith(t, cfg, "docs", tt.src); p != nil || !strings.HasPrefix(errs, tt.want) {
			t.Errorf("%q: %q, want %q", tt.src, errs, tt.want)
		}
	}
	// Without pageParams, the theme's keys are errors as before.
	if p, errs := readWith(t, paramsConfig(t), "docs", "+++\ntitle = \"A\"\nlead = \"B\"\n+++\n"); p != nil || !strings.Contains(errs, `unknown key "lead"`) {
		t.Errorf("lead without pageParams: %q", errs)
	}
}

// A key that every page reads cannot be the site's own.
func TestPageParamsOfSxsh(t *testing.T) {
	cfg := paramsConfig(t, "lead", "title")
	fsys := fstest.MapFS{"content/docs/x.md": {Data: []byte("+++\ntitle = \"A\"\nlead = \"B\"\n+++\n")}}
	_, diags := Load(fsys, cfg, Options{})
	if want := `site.toml:1: pageParams: "title" is a front-matter key that sxsh reads itself`; !strings.Contains(diags.Error(), want) {
		t.Errorf("Load: %v, want %s", diags, want)
	}
}

func TestFrontMatterKeys(t *testing.T) {
	page, article, list := FrontMatterKeys("docs", false), FrontMatterKeys("articles", false), FrontMatterKeys("articles", true)
	for _, k := range []string{"title", "date", "params", "menu", "cascade", "linkTitle"} {
		if !slices.Contains(page, k) || !slices.Contains(article, k) || !slices.Contains(list, k) {
			t.Errorf("%q is not read on every page", k)
		}
	}
	if !slices.Contains(article, "source") || slices.Contains(page, "source") || slices.Contains(list, "source") {
		t.Errorf("source: article %v, page %v, list %v", article, page, list)
	}
	if !slices.Contains(FrontMatterKeys("banners", false), "slogan") || !slices.IsSorted(page) {
		t.Errorf("banners' keys, or not sorted: %v", page)
	}
}

func TestTopKeys(t *testing.T) {
	want := []FrontMatterKey{{"title", 2}, {"lead", 3}, {"menu", 4}}
	for name, src := range map[string]string{
		"toml": "+++\ntitle = \"A\"\nlead = \"B\"\n[menu.docs]\nparent = \"x\"\n+++\nbody\n",
		"yaml": "---\ntitle: A\nlead: B\nmenu:\n  docs:\n    parent: x\n---\nbody\n",
		"json": "{\n\"title\": \"A\",\n\"lead\": \"B\",\n\"menu\": {\"docs\": {\"parent\": \"x\"}}\n}\nbody\n",
	} {
		got, err := TopKeys([]byte(src))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := TopKeys([]byte("no front matter\n")); err == nil {
		t.Error("a file without front matter has keys")
	}
}
