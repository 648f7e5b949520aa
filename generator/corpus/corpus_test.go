package corpus

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/unicode/norm"
)

// generated runs the generator into memory.
func generated(t *testing.T, o Options) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := generate(o, func(name string, data []byte) error {
		if _, dup := files[name]; dup {
			t.Errorf("%s written twice", name)
		}
		files[name] = data
		return nil
	})
	if err != nil {
		t.Fatalf("generate(%+v): %v", o, err)
	}
	return files
}

// articleFiles lists the generated article files, section pages excluded.
func articleFiles(files map[string][]byte) []string {
	var names []string
	for name := range files {
		base := strings.TrimPrefix(name, ArticlesDir+"/")
		if base != name && !strings.HasPrefix(base, "_index") {
			names = append(names, name)
		}
	}
	return names
}

func TestWriteIsDeterministic(t *testing.T) {
	o := Options{Articles: 30, Seed: 7, BytesPerPage: 3000}
	dirA, dirB := t.TempDir(), t.TempDir()
	stA, err := Write(dirA, o)
	if err != nil {
		t.Fatal(err)
	}
	stB, err := Write(dirB, o)
	if err != nil {
		t.Fatal(err)
	}
	if stA != stB {
		t.Errorf("stats differ: %+v and %+v", stA, stB)
	}
	a, b := readTree(t, dirA), readTree(t, dirB)
	if len(a) != stA.Files {
		t.Errorf("Stats.Files = %d, but %d files are on disk", stA.Files, len(a))
	}
	var total int64
	for name, data := range a {
		total += int64(len(data))
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	if total != stA.Bytes {
		t.Errorf("Stats.Bytes = %d, but the files hold %d", stA.Bytes, total)
	}

	other := generated(t, Options{Articles: 30, Seed: 8, BytesPerPage: 3000})
	same := 0
	for _, name := range articleFiles(other) {
		if bytes.Equal(other[name], a[name]) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d article files are identical for seeds 7 and 8", same)
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestArticlesDoNotDependOnCorpusSize(t *testing.T) {
	// Links point anywhere in the corpus, so only the metadata (and with
	// it the file names) is stable across sizes: the same seed must name
	// the first articles alike, whatever the count.
	small := generated(t, Options{Articles: 10, Seed: 3})
	large := generated(t, Options{Articles: 50, Seed: 3})
	for _, name := range articleFiles(small) {
		if _, ok := large[name]; !ok {
			t.Errorf("%s is in the 10-article corpus but not in the 50-article one", name)
		}
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		name   string
		bytes  int
		target int
	}{
		{"default", 0, DefaultBytesPerPage},
		{"small", 2000, 2000},
		{"large", 12000, 12000},
		{"below minimum", 10, minBytesPerPage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const n = 60
			files := generated(t, Options{Articles: n, Seed: 11, BytesPerPage: tt.bytes})
			names := articleFiles(files)
			if len(names) != 2*n {
				t.Fatalf("%d article files, want %d", len(names), 2*n)
			}
			var total int
			for _, name := range names {
				size := len(files[name])
				total += size
				if size < tt.target*7/10 || size > tt.target*3/2+600 {
					t.Errorf("%s is %d bytes, target %d", name, size, tt.target)
				}
			}
			mean := total / len(names)
			if mean < tt.target*9/10 || mean > tt.target*6/5+300 {
				t.Errorf("mean file size %d, target %d", mean, tt.target)
			}
		})
	}
}

func TestOptionsErrors(t *testing.T) {
	tests := []struct {
		name string
		o    Options
	}{
		{"negative articles", Options{Articles: -1}},
		{"negative size", Options{Articles: 1, BytesPerPage: -5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := generate(tt.o, func(string, []byte) error { return nil })
			if err == nil {
				t.Errorf("generate(%+v) succeeded", tt.o)
			}
		})
	}
}

// frontMatter is an article's front matter as the tests read it.
type frontMatter struct {
	Title      string
	Date       time.Time
	Summary    string
	Slug       string
	Categories []string
	Tags       []string
}

// splitFrontMatter returns the TOML between the +++ lines and the body.
func splitFrontMatter(t *testing.T, name string, data []byte) (string, string) {
	t.Helper()
	s := string(data)
	if !strings.HasPrefix(s, "+++\n") {
		t.Fatalf("%s does not open with +++", name)
	}
	fm, body, ok := strings.Cut(s[4:], "\n+++\n")
	if !ok {
		t.Fatalf("%s: front matter is not closed", name)
	}
	return fm, body
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestFrontMatter(t *testing.T) {
	files := generated(t, Options{Articles: 80, Seed: 5, BytesPerPage: 2000})
	cats := map[string]map[string]bool{"vi": {}, "en": {}}
	slugs := map[string]string{}
	years := map[int]bool{}
	for name, data := range files {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		fmText, _ := splitFrontMatter(t, name, data)
		var fm frontMatter
		md, err := toml.Decode(fmText, &fm)
		if err != nil {
			t.Errorf("%s: front matter: %v", name, err)
			continue
		}
		if und := md.Undecoded(); len(und) > 0 {
			t.Errorf("%s: unexpected keys %v", name, und)
		}
		if fm.Title == "" {
			t.Errorf("%s: no title", name)
		}
		if strings.Contains(name, "/_index.") || strings.HasPrefix(name, "content/_index") {
			continue
		}
		lang := name[len(name)-len("vi.md") : len(name)-len(".md")]
		d := time.Date(fm.Date.Year(), fm.Date.Month(), fm.Date.Day(), 0, 0, 0, 0, time.UTC)
		if first, last := dateRange(); d.Before(first) || d.After(last) {
			t.Errorf("%s: date %v outside %v..%v", name, fm.Date, first, last)
		}
		years[d.Year()] = true
		if fm.Summary == "" {
			t.Errorf("%s: no summary", name)
		}
		if !slugRE.MatchString(fm.Slug) {
			t.Errorf("%s: slug %q is not lower-case ASCII words", name, fm.Slug)
		}
		if prev, dup := slugs[lang+"/"+fm.Slug]; dup {
			t.Errorf("%s and %s share slug %q", prev, name, fm.Slug)
		}
		slugs[lang+"/"+fm.Slug] = name
		if len(fm.Categories) != 1 {
			t.Errorf("%s: %d categories, want 1", name, len(fm.Categories))
		} else {
			cats[lang][fm.Categories[0]] = true
		}
		if len(fm.Tags) < 2 || len(fm.Tags) > 4 {
			t.Errorf("%s: %d tags, want 2 to 4", name, len(fm.Tags))
		}
	}
	if len(years) < 8 {
		t.Errorf("80 articles are dated in only %d distinct years", len(years))
	}
	for lang, set := range cats {
		if len(set) < 4 || len(set) > 8 {
			t.Errorf("%s: %d categories in use, want about 6", lang, len(set))
		}
	}
	// Each translation has a slug of its own language.
	for _, name := range articleFiles(files) {
		if !strings.HasSuffix(name, ".vi.md") {
			continue
		}
		en := strings.TrimSuffix(name, ".vi.md") + ".en.md"
		if _, ok := files[en]; !ok {
			t.Errorf("%s has no translation", name)
			continue
		}
		var vi, e frontMatter
		viFM, _ := splitFrontMatter(t, name, files[name])
		enFM, _ := splitFrontMatter(t, en, files[en])
		toml.Decode(viFM, &vi)
		toml.Decode(enFM, &e)
		if vi.Slug == e.Slug || vi.Title == e.Title {
			t.Errorf("%s and %s share slug or title: %q, %q", name, en, vi.Slug, vi.Title)
		}
		if vi.Date != e.Date {
			t.Errorf("%s and %s have different dates", name, en)
		}
	}
}

var linkRE = regexp.MustCompile(`\]\(([^)]+)\)`)

func TestLinksResolve(t *testing.T) {
	files := generated(t, Options{Articles: 40, Seed: 9, BytesPerPage: 2500})
	for _, name := range articleFiles(files) {
		_, body := splitFrontMatter(t, name, files[name])
		matches := linkRE.FindAllStringSubmatch(body, -1)
		if len(matches) < 2 || len(matches) > 4 {
			t.Errorf("%s: %d links, want 2 to 4", name, len(matches))
		}
		lang := name[len(name)-len("vi.md"):]
		for _, m := range matches {
			target := m[1]
			if strings.Contains(target, "/") || !strings.HasSuffix(target, lang) {
				t.Errorf("%s: link %q is not a sibling file of the same language", name, target)
			}
			if _, ok := files[ArticlesDir+"/"+target]; !ok {
				t.Errorf("%s: link target %q does not exist", name, target)
			}
			if ArticlesDir+"/"+target == name {
				t.Errorf("%s links to itself", name)
			}
		}
	}
}

func TestMarkdownStructure(t *testing.T) {
	files := generated(t, Options{Articles: 40, Seed: 2})
	tables, bolds := 0, 0
	for _, name := range articleFiles(files) {
		_, body := splitFrontMatter(t, name, files[name])
		h := strings.Count(body, "\n## ")
		if h < 3 || h > 5 {
			t.Errorf("%s: %d headings, want 3 to 5", name, h)
		}
		if !strings.Contains(body, "\n- ") {
			t.Errorf("%s: no bullet list", name)
		}
		if strings.Contains(body, "\n| --- |") {
			tables++
		}
		if strings.Contains(body, "**") {
			bolds++
		}
		if strings.ContainsAny(body, "{}") {
			t.Errorf("%s: unfilled placeholder in %q", name, body)
		}
	}
	n := len(articleFiles(files))
	if tables == 0 || tables == n {
		t.Errorf("%d of %d articles have a table, want some but not all", tables, n)
	}
	if bolds == 0 || bolds == n {
		t.Errorf("%d of %d articles have bold text, want some but not all", bolds, n)
	}
}

func TestVietnameseText(t *testing.T) {
	files := generated(t, Options{Articles: 40, Seed: 4})
	for name, data := range files {
		if !norm.NFC.IsNormal(data) {
			t.Errorf("%s is not NFC", name)
		}
		if !strings.HasSuffix(name, ".vi.md") {
			continue
		}
		_, body := splitFrontMatter(t, name, data)
		letters, marked := 0, 0
		for _, r := range body {
			if !unicode.IsLetter(r) {
				continue
			}
			letters++
			if r > unicode.MaxASCII {
				marked++
			}
		}
		// Vietnamese prose has a diacritic on about one letter in six.
		if letters == 0 || marked*100/letters < 8 {
			t.Errorf("%s: %d of %d letters carry diacritics", name, marked, letters)
		}
		for _, w := range []string{"lorem", "ipsum"} {
			if strings.Contains(strings.ToLower(body), w) {
				t.Errorf("%s contains %q", name, w)
			}
		}
	}
}

func TestVocabulary(t *testing.T) {
	v := newVocab()
	g := &gen{v: v, year: 2020}
	g.r = newTestRand()
	var all []pair
	for _, s := range v.sentences {
		all = append(all, s.p)
		if s.cats == "" || strings.Trim(s.cats, categoryLetters+"G") != "" {
			t.Errorf("sentence %q has categories %q", s.p.vi, s.cats)
		}
	}
	for _, l := range v.titles {
		all = append(all, l...)
	}
	for _, l := range v.leads {
		all = append(all, l...)
	}
	all = append(all, v.headings...)
	all = append(all, v.results...)
	if len(v.titles) != len(v.categories) || len(v.leads) != len(v.categories) || len(categoryLetters) != len(v.categories) {
		t.Errorf("titles, leads and category letters do not cover the %d categories", len(v.categories))
	}
	if len(v.tags) < 35 || len(v.tags) > 45 {
		t.Errorf("%d tags, want about 40", len(v.tags))
	}
	for _, p := range all {
		f := g.fill(p, true)
		for _, s := range []string{f.vi, f.en} {
			if strings.ContainsAny(s, "{}") {
				t.Errorf("unknown slot left in %q", s)
			}
			if !norm.NFC.IsNormalString(s) {
				t.Errorf("not NFC: %q", s)
			}
		}
	}
	words := map[string]bool{}
	for _, p := range all {
		for _, w := range strings.Fields(strings.ToLower(p.vi)) {
			words[strings.Trim(w, ".,:;“”")] = true
		}
	}
	if len(words) < 300 {
		t.Errorf("templates use %d distinct Vietnamese words, want a few hundred", len(words))
	}
}

func TestSiteConfig(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"site.toml", siteTOML, []string{"baseURL", "defaultLanguage", "paginate", "languages.vi.title", "languages.en.weight", "taxonomies.categories.vi", "taxonomies.tags.en"}},
		{"hugo.toml", hugoTOML, []string{"theme", "defaultContentLanguage", "paginate", "taxonomies.tag", "languages.en.title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v map[string]any
			md, err := toml.Decode(tt.text, &v)
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range tt.want {
				if !md.IsDefined(strings.Split(key, ".")...) {
					t.Errorf("%s has no %s", tt.name, key)
				}
			}
		})
	}
}

func TestHugoBuild(t *testing.T) {
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		t.Skip("hugo is not installed (apt-get install -y hugo); skipping the Hugo build of the corpus")
	}
	if testing.Short() {
		t.Skip("skipping the Hugo build in -short mode")
	}
	dir := t.TempDir()
	if _, err := Write(dir, Options{Articles: 20, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "public")
	out, err := exec.Command(hugo, "--quiet", "-s", dir, "-d", dest).CombinedOutput()
	if err != nil {
		t.Fatalf("hugo failed: %v\n%s", err, out)
	}
	html := 0
	err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		html++
		data, err := os.ReadFile(p)
		if bytes.Contains(data, []byte(`.md"`)) {
			t.Errorf("%s keeps a link to a .md file", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if html < 40 {
		t.Errorf("hugo wrote %d HTML files for 20 articles in two languages", html)
	}
	for _, f := range []string{"index.xml", "sitemap.xml", "en/index.html"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Errorf("hugo output lacks %s: %v", f, err)
		}
	}
}
