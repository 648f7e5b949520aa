package site

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

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
	if !b.deferSearch && p.Build.List != content.BuildNever {
		ix.Add(a)
	}
	if b.mem == nil {
		return
	}
	data, _ := a.MarshalBinary()
	if b.memw != nil && !b.deferSearch {
		// A full plain build writes the analysis away rather than keep
		// it: the index it needs it for has it already.
		b.memw.analysis(p.File, data)
		return
	}
	b.mem.analyzed.Store(p.File, data)
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
// points to the index's manifest. The languages are written side by side.
func (b *builder) writeSearch(ctx context.Context, langs []string) diag.List {
	return parallel(ctx, langs, func(lang string) diag.List {
		dir := path.Join(searchDir, lang)
		if b.out.inPlace {
			// The tree being updated has the index this one replaces,
			// when it has one: its unchanged pages are not compressed
			// again.
			if old, err := os.ReadFile(filepath.Join(b.out.tmp, filepath.FromSlash(dir), "docs.bin")); err == nil {
				b.indexes[lang].Replaces(old)
			}
		}
		var manifestData []byte
		manifest, err := b.indexes[lang].Write(func(rel string, data []byte) error {
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
		p := b.searchPage[lang]
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

// finishSearch writes the search index of a Session build that left it
// for after the pages, from the analyses kept of every page, for each
// language whose pages changed; then it deletes the old index's files.
// When ctx ends first (the editor saved again), it stops and leaves the
// old index in place, and the next build's index replaces both.
func (b *builder) finishSearch(ctx context.Context) (done bool, errs diag.List) {
	sums := b.searchSigs()
	var langs []string
	for _, lang := range b.cfg.Langs() {
		if sums[lang] != b.mem.searchSigs[lang] {
			langs = append(langs, lang)
		}
	}
	abort := func() (bool, diag.List) {
		b.mem.searchSigs = nil
		for rel := range b.searchOut {
			b.mem.search[rel] = true // deleted with the old index, next time
		}
		return false, nil
	}
	// The files of the languages left as they were stay.
	redo := map[string]bool{}
	for _, lang := range langs {
		redo[lang] = true
		b.indexes[lang] = search.NewBuilder(lang, searchKinds)
	}
	for rel := range b.mem.search {
		if lang := b.searchLang(rel); lang != "" && !redo[lang] {
			b.searchOut[rel] = true
			b.keep(rel)
		}
	}
	if len(langs) == 0 {
		return true, nil
	}
	// The index sorts its documents itself, so they are decoded and added
	// on every core in any order.
	errs = parallel(ctx, b.site.Pages, func(p *content.Page) diag.List {
		if !redo[p.Lang] || p.Kind != content.KindSingle || p.Build.List == content.BuildNever {
			return nil
		}
		data, ok := b.mem.analyzed.Load(p.File)
		if !ok {
			return nil
		}
		a := new(search.Analyzed)
		if err := a.UnmarshalBinary(data.([]byte)); err != nil {
			return diag.List{diag.Errorf(p.File, 0, 0, "the build's memory of this page for the search index is damaged (%v): run sxsh build --full", err)}
		}
		b.indexes[p.Lang].Add(a)
		return nil
	})
	if ctx.Err() != nil {
		return abort()
	}
	if errs.HasErrors() {
		return false, errs
	}
	errs = b.writeSearch(ctx, langs)
	if ctx.Err() != nil {
		return abort()
	}
	if errs.HasErrors() {
		return false, errs
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
