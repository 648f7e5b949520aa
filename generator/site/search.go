package site

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"sxsh/generator/content"
	"sxsh/generator/diag"
	"sxsh/generator/markdown"
	"sxsh/generator/search"
	"sxsh/generator/vitext"
)

// searchPages makes each language's search page; they are translations of
// one another. A content page already at that URL is an error.
func (b *builder) searchPages() diag.List {
	var errs diag.List
	b.searchPage = map[string]*content.Page{}
	taken := map[string]*content.Page{}
	for _, p := range b.site.Pages {
		taken[p.Path] = p
	}
	var all []*content.Page
	for _, lang := range b.cfg.Langs() {
		p := &content.Page{Kind: "search", Type: content.TypePage, Lang: lang, Title: b.tmpl.T(lang, "search"),
			Path: b.cfg.LangPrefix(lang) + b.tmpl.T(lang, "searchSlug") + "/", Parent: b.site.Home[lang]}
		if q := taken[p.Path]; q != nil {
			errs.Add(diag.Errorf(q.File, q.Line("slug"), 0, "URL %s is the search page's; give this page another slug", p.Path))
		}
		b.searchPage[lang] = p
		b.indexes[lang] = search.NewBuilder(lang, searchKinds)
		all = append(all, p)
	}
	for _, p := range all {
		for _, q := range all {
			if q != p {
				p.Translations = append(p.Translations, q)
			}
		}
	}
	return errs
}

// searchKinds are the kinds of the search index, in the order of the
// manifest's "kinds".
var searchKinds = []string{content.TypeArticle, content.TypeNewsletter, content.TypeBroadcast, content.TypeBanner, content.TypeDocument, content.TypePage}

// searchDir is the output folder of the index files.
const searchDir = "search"

// indexPage adds a single page to its language's search index. It runs in
// the render workers, so the per-document work is spread over the cores.
func (b *builder) indexPage(p *content.Page, res *markdown.Result) {
	ix := b.indexes[p.Lang]
	if ix == nil {
		return
	}
	var st *indexState
	if b.deferSearch {
		if st = b.mem.index[p.Lang]; st == nil || st.ix == nil {
			return // the language's index is kept: nothing to analyse for
		}
	}
	d := search.Doc{Title: p.Title, URL: b.rel(p.Path), Kind: p.Type, Summary: p.Summary}
	if !p.Date.IsZero() {
		d.Date, d.Year = vitext.FormatDate(p.Lang, p.Date), p.Date.Year()
	}
	if res != nil {
		for _, h := range res.TOC {
			d.Headings = append(d.Headings, h.Text)
		}
		for _, s := range res.Sections {
			if s.Text != "" {
				d.Sections = append(d.Sections, s.Text)
			}
		}
	}
	// A record's fields come after its text, so that the snippet, which
	// is cut from the start, shows what the editor wrote first.
	d.Sections = append(d.Sections, recordText(p)...)
	a := search.Analyze(d)
	if !b.deferSearch {
		if indexed(p) {
			ix.Put(p.File, a)
		}
		return
	}
	// The index is written after the pages, from what the last one was
	// written from with this build's pages put in.
	st.put(p.File, a, indexed(p), b.mem.tree)
}

// indexed reports whether the search index has a document for p: a
// single page that lists may show.
func indexed(p *content.Page) bool {
	return p.Kind == content.KindSingle && p.Build.List != content.BuildNever
}

// indexState is what a language's search index is written from: the
// search.Builder of the build that last wrote it, holding every page's
// document under the page's file, with the pages drawn since put in. A
// plain build's memory keeps it in a file of its own, base, read only
// when the index must be written again; delta holds the documents of the
// pages drawn since base was written, encoded, which the memory keeps
// itself (see memfile.go).
type indexState struct {
	ix       *search.Builder // nil until read from base
	base     string          // the file of the builder's state, "" for none yet
	baseSize int64
	mu       sync.Mutex
	delta    map[string][]byte // source file → search.Analyzed
	size     int               // of delta's documents
	// manifest, "" once a page's document changed, is the manifest of
	// the index files in the tree, which the state is what they were
	// written from: a build whose pages change none of the documents
	// keeps them.
	manifest string
}

// put puts the document a of the page of file into the state; listed is
// false for a page the index does not show, whose document is removed.
// In a plain build's memory, the document goes into delta too. The
// state's builder is read already (see loadIndexes). Safe for concurrent
// use.
func (st *indexState) put(file string, a *search.Analyzed, listed, keep bool) {
	switch {
	case listed && st.ix.Holds(file, a), !listed && !st.ix.Has(file):
		return // the same document as before, or none as before
	case listed:
		st.ix.Put(file, a)
	default:
		st.ix.Remove(file)
	}
	st.mu.Lock()
	st.manifest = ""
	st.mu.Unlock()
	if !keep || st.rebase() {
		return
	}
	var data []byte
	if listed {
		data, _ = a.MarshalBinary()
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.delta == nil {
		st.delta = map[string][]byte{}
	}
	st.size += len(data) - len(st.delta[file])
	if listed {
		st.delta[file] = data
	} else {
		delete(st.delta, file)
	}
}

// rebase is how much larger than its delta an index file may be: past
// that, the builder is written into a new index file.
const rebase = 8

// rebase reports whether the memory writes a new index file for the
// state: it has none yet, or its builder is read and the delta has grown
// too large. The delta is then of no more use, and not kept.
func (st *indexState) rebase() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.base == "" || st.ix != nil && int64(st.size)*rebase > st.baseSize {
		st.delta, st.size = nil, 0
		st.base = ""
		return true
	}
	return false
}

// searchRedo lists the languages whose search index this build writes
// again, and the signatures of what each one's shows (see searchSigs).
func (b *builder) searchRedo() (langs []string, sums map[string]uint64) {
	sums = b.searchSigs()
	for _, lang := range b.cfg.Langs() {
		if sums[lang] != b.mem.searchSigs[lang] {
			langs = append(langs, lang)
		}
	}
	return langs, sums
}

// recordText is what a record's fields say, so that a newsletter is found by
// its publication, a broadcast by its station, a banner by its district,
// zone or slogan, a document by its number, type, issuer or field.
func recordText(p *content.Page) []string {
	var out []string
	add := func(s ...string) {
		for _, x := range s {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	switch {
	case p.Newsletter != nil:
		add(p.Newsletter.Publication, fmt.Sprintf("%d", p.Newsletter.Issue))
		for _, c := range p.Newsletter.Contents {
			add(c.Title)
		}
	case p.Broadcast != nil:
		add(p.Broadcast.Station, p.Broadcast.Series)
	case p.Banner != nil:
		add(p.Banner.Slogan, p.Banner.District, p.Banner.Zone, p.Banner.Address)
	case p.Document != nil:
		d := p.Document
		add(d.Number, d.Type.Name(p.Lang), d.Issuer, d.Field)
	}
	return out
}

// writeSearch writes each language's index and its search page, which
// points to the index's manifest; kept names the manifests of the indexes
// whose files the tree has already, by language. The languages are
// written side by side.
func (b *builder) writeSearch(ctx context.Context, langs []string, kept map[string]string) diag.List {
	return parallel(ctx, langs, func(lang string) diag.List {
		dir := path.Join(searchDir, lang)
		p := b.searchPage[lang]
		manifest, keep := kept[lang]
		var manifestData []byte
		if keep {
			// The tree has the files of this index already (finishSearch
			// kept them); the search page carries the manifest's JSON.
			var err error
			if manifestData, err = os.ReadFile(filepath.Join(b.out.tmp, filepath.FromSlash(dir), manifest)); err != nil {
				return diag.List{diag.Errorf("", 0, 0, "search index (%s): %v", lang, err)}
			}
		} else {
			if b.out.inPlace {
				// The tree being updated has the index this one
				// replaces, when it has one: its unchanged pages are not
				// compressed again.
				if old, err := os.ReadFile(filepath.Join(b.out.tmp, filepath.FromSlash(dir), "docs.bin")); err == nil {
					b.indexes[lang].Replaces(old)
				}
			}
			var err error
			manifest, err = b.indexes[lang].Write(func(rel string, data []byte) error {
				if err := ctx.Err(); err != nil {
					return err // a Session's next build has begun
				}
				if strings.HasPrefix(rel, "manifest.") {
					manifestData = data
				}
				rel = path.Join(dir, rel)
				if err := b.writeSearchFile(rel, data); err != nil {
					return err
				}
				b.searchFile(rel)
				return nil
			})
			if err != nil {
				return diag.List{diag.Errorf("", 0, 0, "search index (%s): %v", lang, err)}
			}
		}
		if b.mem != nil {
			b.outMu.Lock()
			b.manifests[lang] = manifest
			b.outMu.Unlock()
		}
		v := b.newView(p, p.Path)
		v.SearchManifest = b.rel("/" + path.Join(dir, manifest))
		v.SearchIndex = string(manifestData)
		errs := b.page(p, p.Path, v)
		b.searchFile(outFile(p.Path))
		return errs
	})
}

// writeSearchFile writes a file of the search index, unless the tree
// being updated has it with this content already (the manifest and meta
// carry their fingerprint in their names, the packs have the same names
// in every build): an edit to a page of one language leaves the other's
// index as it is.
func (b *builder) writeSearchFile(rel string, data []byte) error {
	if b.mem == nil {
		return b.out.write(rel, data)
	}
	sum := dataSum(data)
	b.outMu.Lock()
	old, ok := b.mem.searchSums[rel]
	b.outMu.Unlock()
	var err error
	if b.deferSearch && ok && old == sum {
		_, err = b.out.claim(rel)
	} else if err = b.out.write(rel, data); err == nil {
		b.outMu.Lock()
		b.mem.searchSums[rel] = sum
		b.outMu.Unlock()
	}
	return err
}

// searchFile notes a file of the search index, in a build with a memory.
func (b *builder) searchFile(rel string) {
	if b.mem == nil {
		return
	}
	b.outMu.Lock()
	b.searchOut[rel] = true
	b.outMu.Unlock()
}

// searchSigs signs, for each language, what its search index and search
// page show: every single page of the language as lists show it, and the
// search page's template.
func (b *builder) searchSigs() map[string]uint64 {
	sigs := map[string]sig{}
	for _, lang := range b.cfg.Langs() {
		s := b.base("search.html", "")
		p := b.searchPage[lang]
		s.brief(p)
		s.brief(p.Parent)
		sigs[lang] = s
	}
	for _, p := range b.site.Pages {
		if s, ok := sigs[p.Lang]; ok && p.Kind == content.KindSingle {
			s.num(b.sigs[p])
			sigs[p.Lang] = s
		}
	}
	out := make(map[string]uint64, len(sigs))
	for lang, s := range sigs {
		out[lang] = s.sum()
	}
	return out
}

// finishSearch writes the search index of a build that left it for after
// the pages (a Session's, or a plain build's that brings the standby up to
// date) for each language whose pages changed, from the builder of the
// last index with the pages drawn since put in (see indexState); then it
// deletes the old index's files.
// When ctx ends first (the editor saved again), it stops and leaves the
// old index in place, and the next build's index replaces both.
func (b *builder) finishSearch(ctx context.Context) (done bool, errs diag.List) {
	langs, sums := b.searchRedo()
	abort := func() (bool, diag.List) {
		b.mem.searchSigs = nil
		for rel := range b.searchOut {
			b.mem.search[rel] = true // deleted with the old index, next time
		}
		return false, nil
	}
	// The files of the languages left as they were stay. The others are
	// written from the last index's builder, which has this build's
	// pages already, less the pages the index no longer shows.
	// A language whose documents are all as the index files in the tree
	// were written from keeps those files, and gets its search page
	// alone (a title of another language's page changed, say).
	redo := map[string]bool{}
	kept := map[string]string{}
	for _, lang := range langs {
		redo[lang] = true
		st := b.mem.index[lang]
		if st == nil || st.ix == nil {
			return false, diag.List{diag.Errorf("", 0, 0, "search index (%s): %v", lang, errNoIndexState)}
		}
		removed := st.ix.Retain(func(file string) bool {
			p := b.site.ByFile[file]
			return p != nil && p.Lang == lang && indexed(p)
		})
		if removed > 0 {
			st.manifest = ""
		}
		if st.manifest != "" {
			kept[lang] = st.manifest
		}
		b.indexes[lang] = st.ix
	}
	// The index files of a language kept, less its search page.
	for rel := range b.mem.search {
		if lang := b.searchLang(rel); lang != "" && (!redo[lang] || kept[lang] != "" && rel != outFile(b.searchPage[lang].Path)) {
			b.searchOut[rel] = true
			b.keep(rel)
		}
	}
	if len(langs) == 0 {
		return true, nil
	}
	errs = b.writeSearch(ctx, langs, kept)
	if ctx.Err() != nil {
		return abort()
	}
	if errs.HasErrors() {
		return false, errs
	}
	for _, lang := range langs {
		st := b.mem.index[lang]
		st.manifest = b.manifests[lang]
	}
	var stale []string
	for rel := range b.mem.search {
		if !b.searchOut[rel] {
			stale = append(stale, rel)
			// Gone from the tree: a later index with this file
			// must write it again.
			delete(b.mem.searchSums, rel)
		}
	}
	b.mem.search, b.mem.searchSigs = b.searchOut, sums
	if err := b.out.remove(stale); err != nil {
		return true, diag.List{diag.Errorf("", 0, 0, "removing the old search index: %v", err)}
	}
	return true, nil
}

// searchLang is the language of a file of the search index or of a
// search page, "" for any other path.
func (b *builder) searchLang(rel string) string {
	for _, lang := range b.cfg.Langs() {
		if strings.HasPrefix(rel, searchDir+"/"+lang+"/") || rel == outFile(b.searchPage[lang].Path) {
			return lang
		}
	}
	return ""
}

// errNoIndexState says a build has no record of what a language's search
// index was written from, which a build that writes the index again
// needs: loadIndexes makes it a full build.
var errNoIndexState = errors.New("the build's memory has no record of its pages: run sxsh build --full")

// loadIndexes reads, in a plain build that brings the standby up to date,
// the state of each search index it writes again, which its memory keeps
// in a file of its own (see memfile.go): the builder of the standby's
// index, with the documents of the pages drawn since put in. It fails
// when a language has no state, or its file is missing or damaged.
func (b *builder) loadIndexes() error {
	langs, _ := b.searchRedo()
	for _, lang := range b.cfg.Langs() {
		if b.mem.index[lang] == nil {
			return errNoIndexState
		}
	}
	for _, lang := range langs {
		if err := b.mem.index[lang].load(b.opts.Destination); err != nil {
			return err
		}
	}
	return nil
}

// forget makes a build that was to bring the standby up to date from its
// memory a full build after all: the memory cannot say how to (see
// loadIndexes). What it took of the content files stays: each was checked
// against its file.
func (b *builder) forget() {
	b.prev, b.deferSearch, b.linksSame = nil, false, false
	b.mem.outputs, b.mem.search, b.mem.searchSigs = nil, nil, nil
	b.mem.index = map[string]*indexState{}
}
