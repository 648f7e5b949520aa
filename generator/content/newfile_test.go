package content

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"sxsh/generator/config"
)

func testConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte("districts = [\"Biên Hòa\"]\n[languages.vi]\ntitle = \"T\"\n[languages.en]\ntitle = \"E\"\nweight = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Every kind's new file is a valid page of that kind, so that an editor's
// first build after `sxsh new` passes.
func TestNewFileLoads(t *testing.T) {
	cfg := testConfig(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	for _, k := range Kinds {
		t.Run(k.Name, func(t *testing.T) {
			file, src, err := NewFile(k.Name, "Tiêu đề mới: Đồng Nai", "vi", now)
			if err != nil {
				t.Fatal(err)
			}
			want := "content/" + k.Dir + "/tieu-de-moi-dong-nai.vi.md"
			if k.Dir == "" {
				want = "content/tieu-de-moi-dong-nai.vi.md"
			}
			if file != want {
				t.Errorf("file = %s, want %s", file, want)
			}
			fsys := fstest.MapFS{file: {Data: src}}
			s, errs := Load(fsys, cfg, Options{Drafts: true, Now: now})
			if errs.HasErrors() {
				t.Fatalf("a new %s does not load:\n%v\n%s", k.Name, errs, src)
			}
			p := s.ByFile[file]
			if p == nil || !p.Draft || p.Title != "Tiêu đề mới: Đồng Nai" || p.Type != k.Name {
				t.Fatalf("page = %+v", p)
			}
		})
	}
	if _, _, err := NewFile("poster", "x", "vi", now); err == nil || !strings.Contains(err.Error(), "article, newsletter") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, _, err := NewFile(TypeArticle, "!!! ???", "vi", now); err == nil {
		t.Errorf("a title without letters should be refused")
	}
}

// The file names of new pages follow the shared slug vectors.
func TestNewFileSlugsFollowVectors(t *testing.T) {
	f, err := os.Open("../../testdata/fold.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || strings.HasPrefix(cols[0], "#") || cols[0] == "input" || cols[4] == "" || strings.Contains(sc.Text(), `\u`) {
			continue
		}
		file, _, err := NewFile(TypeArticle, cols[0], "vi", time.Now())
		if err != nil {
			t.Errorf("%q: %v", cols[0], err)
			continue
		}
		if want := "content/articles/" + cols[4] + ".vi.md"; file != want {
			t.Errorf("NewFile(%q) = %s, want %s", cols[0], file, want)
		}
		n++
	}
	if n < 20 {
		t.Errorf("only %d vectors used", n)
	}
}

func TestTranslationFile(t *testing.T) {
	cfg := testConfig(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	for _, k := range Kinds {
		t.Run(k.Name, func(t *testing.T) {
			file, src, _ := NewFile(k.Name, "Bản tin số một", "vi", now)
			src = []byte(strings.Replace(string(src), "draft = true", "slug = \"ban-tin-so-mot\"\naliases = [\"/cu/\"]", 1))
			out, tr, err := TranslationFile(file, src, "en", cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(out, "/ban-tin-so-mot.en.md") {
				t.Errorf("out = %s", out)
			}
			fsys := fstest.MapFS{file: {Data: src}, out: {Data: tr}}
			s, errs := Load(fsys, cfg, Options{Drafts: true, Now: now})
			if errs.HasErrors() {
				t.Fatalf("translation does not load:\n%v\n%s", errs, tr)
			}
			en := s.ByFile[out]
			if en == nil || !en.Draft || en.Translation("vi") == nil || len(en.Aliases) != 0 || strings.Contains(string(tr), "ban-tin-so-mot\"") {
				t.Errorf("translation page wrong: %+v\n%s", en, tr)
			}
			if !strings.Contains(string(tr), "Viết nội dung ở đây.") {
				t.Errorf("the body was not kept to translate")
			}
		})
	}
}

// A translation of a page with YAML or JSON front matter is a TOML file
// with the same fields, as sxsh new writes them.
func TestTranslationFileOfYAMLAndJSON(t *testing.T) {
	cfg := testConfig(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	for name, src := range map[string]string{
		"yaml": "---\ntitle: Bản tin\ndate: 2024-03-15\nslug: ban-tin\npublication: P\nissue: 1\ncopies: 5\npages: 8\ncontents:\n  - title: SXSH\n    page: 2\n---\nNội dung.\n",
		"json": "{\"title\": \"Bản tin\", \"date\": \"2024-03-15\", \"slug\": \"ban-tin\", \"publication\": \"P\",\n\"issue\": 1, \"copies\": 5, \"pages\": 8, \"contents\": [{\"title\": \"SXSH\", \"page\": 2}]}\nNội dung.\n",
	} {
		t.Run(name, func(t *testing.T) {
			file := "content/newsletters/ban-tin.vi.md"
			out, tr, err := TranslationFile(file, []byte(src), "en", cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(tr), "+++\n") || !strings.HasSuffix(string(tr), "+++\nNội dung.\n") {
				t.Errorf("not a TOML front matter and the body:\n%s", tr)
			}
			s, errs := Load(fstest.MapFS{file: {Data: []byte(src)}, out: {Data: tr}}, cfg, Options{Drafts: true, Now: now})
			if errs.HasErrors() {
				t.Fatalf("translation does not load:\n%v\n%s", errs, tr)
			}
			en := s.ByFile[out]
			if en == nil || !en.Draft || en.Slug != "" || en.Translation("vi") == nil || en.Newsletter.Copies != 5 || len(en.Newsletter.Contents) != 1 {
				t.Errorf("translation page wrong: %+v\n%s", en, tr)
			}
		})
	}
}
