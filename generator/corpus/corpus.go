// Package corpus writes a synthetic bilingual site for benchmarking builds:
// thousands of Vietnamese articles about cleaner production and energy saving
// in Đồng Nai, each with an English translation, laid out both as an sxsh site
// and as a Hugo site so that the two generators can be timed on the same
// content. The output depends only on the Options: the same seed gives the
// same bytes, so that timings taken on different days compare.
package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// DefaultBytesPerPage is the size aimed at for one Markdown file when
// Options.BytesPerPage is zero: about the length of a real news item, so that
// 10,000 articles make about 100 MB of Markdown.
const DefaultBytesPerPage = 5000

// minBytesPerPage keeps every article long enough to carry its headings,
// list and links; smaller targets are raised to it.
const minBytesPerPage = 2000

// Options says what corpus to write.
type Options struct {
	// Articles is how many articles to write; each is a Vietnamese file and
	// its English translation.
	Articles int
	// Seed selects the corpus: equal seeds give byte-identical output.
	Seed uint64
	// BytesPerPage is the size aimed at for each Markdown file, front matter
	// included; 0 means DefaultBytesPerPage.
	BytesPerPage int
}

// Stats counts what Write wrote.
type Stats struct {
	// Files is the number of files written, configuration and theme included.
	Files int
	// Bytes is their total size.
	Bytes int64
}

// ArticlesDir is where the articles go, relative to the site directory.
const ArticlesDir = "content/articles"

// Write writes a complete site into dir, creating it if needed: site.toml for
// sxsh, hugo.toml and a minimal Hugo theme under themes/bench/ for Hugo, the
// home and section pages, and content/articles/NNNNN-slug.vi.md and .en.md
// for each article. Files already in dir are overwritten, others left alone.
func Write(dir string, o Options) (Stats, error) {
	var st Stats
	err := generate(o, func(name string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
		st.Files++
		st.Bytes += int64(len(data))
		return nil
	})
	return st, err
}

// emitFunc receives one generated file, named by a slash-separated path
// relative to the site directory.
type emitFunc func(name string, data []byte) error

// generate produces the whole site and hands each file to emit, in a fixed
// order, stopping at the first error emit returns.
func generate(o Options, emit emitFunc) error {
	if o.Articles < 0 {
		return fmt.Errorf("corpus: negative article count %d", o.Articles)
	}
	if o.BytesPerPage < 0 {
		return fmt.Errorf("corpus: negative page size %d", o.BytesPerPage)
	}
	target := o.BytesPerPage
	if target == 0 {
		target = DefaultBytesPerPage
	}
	target = max(target, minBytesPerPage)

	if err := emitStatic(emit); err != nil {
		return err
	}
	v := newVocab()
	metas := make([]meta, o.Articles)
	for i := range metas {
		metas[i] = newMeta(v, o.Seed, i+1)
	}
	for i := range metas {
		m := &metas[i]
		g := &gen{r: rand.New(rand.NewPCG(o.Seed, uint64(m.num)<<1|1)), v: v, year: m.year}
		vi, en := g.article(m, metas, target)
		dir := ArticlesDir + "/"
		if err := emit(dir+m.base+".vi.md", vi); err != nil {
			return err
		}
		if err := emit(dir+m.base+".en.md", en); err != nil {
			return err
		}
	}
	return nil
}

// emitStatic writes the files that do not depend on the options:
// configuration, theme, and the home and section pages.
func emitStatic(emit emitFunc) error {
	files := []struct{ name, body string }{
		{"site.toml", siteTOML},
		{"hugo.toml", hugoTOML},
		{"content/_index.vi.md", homeVI},
		{"content/_index.en.md", homeEN},
		{ArticlesDir + "/_index.vi.md", sectionVI},
		{ArticlesDir + "/_index.en.md", sectionEN},
	}
	for _, f := range files {
		if err := emit(f.name, []byte(f.body)); err != nil {
			return err
		}
	}
	return fs.WalkDir(themeFS, themeRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := themeFS.ReadFile(p)
		if err != nil {
			return err
		}
		rel, ok := strings.CutPrefix(p, themeRoot+"/")
		if !ok {
			return errors.New("corpus: theme file outside its root: " + p)
		}
		return emit(path.Join("themes/bench", rel), data)
	})
}
