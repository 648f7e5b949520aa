package site

import (
	"crypto/sha256"
	"encoding/binary"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"

	"sxsh/generator/content"
)

// memory is what a Session keeps from one build to the next. Each output
// file is recorded with a signature of everything it was rendered from;
// the next build renders a file again only when its signature differs,
// and otherwise leaves the file as it is.
//
// The signatures follow what the default layouts show of a page: its own
// file, URL and state; its section and breadcrumbs; its subsections; its
// translations; its categories and tags; the front-matter files it names (their URL and
// size); the pages and files its Markdown links to; and, for a template
// that reads .Catalog, the records behind the figures. A list page's
// signature holds the same of every page it shows, with its page number
// and count. Any change to a template, baseof.html, a partial or the UI
// strings changes the signature of every page rendered with that
// template; a change to site.toml, or to a CSS or JS file whose
// fingerprinted name every page carries, rebuilds everything.
type memory struct {
	pages content.Cache
	// pagesData, in a plain build's memory, is what the build that wrote
	// it read of the content files (content.Cache.Save), and pagesKey
	// signs what reading depends on besides the files: site.toml and the
	// sxsh build. The next build takes from it the files whose stamps say
	// they did not change since.
	pagesData []byte
	pagesKey  uint64
	summary   sync.Map // source file → summary made from its text
	// index is, by language, what the search index was last written from.
	index map[string]*indexState
	// assets are the static files as last loaded; oldAssets, after a
	// change to static/, the ones before it, which the next build compares.
	assets, oldAssets map[string]*asset
	outputs           map[string]*outRec // output path → how it was rendered
	gen               uint64             // counts builds
	// linkSig signs every page's file, URL and bundle files and every
	// static file's URL and size as the last build saw them, 0 when
	// unknown: while it holds, no recorded dependency changed.
	linkSig uint64
	// search holds the output paths of the search index's files and
	// pages; searchSigs what each language's were written from.
	search     map[string]bool
	searchSigs map[string]uint64
	// searchSums are the sums of the search index's files as they are
	// on disk now, by path, for writeSearchFile.
	searchSums map[string]uint64
	// tree says the memory is a plain build's, kept in a file for the
	// next one (see memfile.go), not a Session's: the build writes a new
	// tree or updates the standby, and writes the search index before the
	// swap.
	tree bool
	// paths, in a Session, is the address each content file had in the
	// last build that published it, for when its file cannot be read.
	paths map[string]string
	// pictures, in a Session, are the copies of the last build's
	// pictures, by picture.Key (*picture.Set): a picture is read once.
	pictures *sync.Map
}

// outRec tells what an output file was rendered from.
type outRec struct {
	base    uint64   // what was known before rendering: see builder.base
	deps    []string // what the render looked up: see depInto
	depSig  uint64   // the deps' values then
	catalog bool     // the template read .Catalog
	catSig  uint64   // the catalogue's signature then
	gen     uint64   // the build that last wrote or kept the file
}

// sig accumulates a signature: FNV-1a over what it is given, eight bytes
// at a step where it can (a byte at a step took a tenth of a build after
// an edit), so that a signature means the same in the next process (see
// memfile.go).
type sig struct{ h uint64 }

func (b *builder) newSig() sig { return sig{h: 14695981039346656037} }

func (s *sig) word(w uint64) {
	s.h ^= w
	s.h *= 1099511628211
}

func (s *sig) byte(c byte) { s.word(uint64(c)) }

func (s *sig) str(vs ...string) {
	for _, v := range vs {
		for ; len(v) >= 8; v = v[8:] {
			s.word(uint64(v[0]) | uint64(v[1])<<8 | uint64(v[2])<<16 | uint64(v[3])<<24 |
				uint64(v[4])<<32 | uint64(v[5])<<40 | uint64(v[6])<<48 | uint64(v[7])<<56)
		}
		for i := 0; i < len(v); i++ {
			s.byte(v[i])
		}
		s.byte(0)
	}
}

func (s *sig) num(vs ...uint64) {
	for _, v := range vs {
		s.word(v)
	}
}

func (s *sig) flag(v bool) {
	if v {
		s.byte(1)
	} else {
		s.byte(0)
	}
}

func (s *sig) sum() uint64 { return s.h }

// brief is what a page shows of another page it links to: a parent, a
// translation, a term.
func (s *sig) brief(q *content.Page) {
	s.str(q.Path, q.Title, q.LinkTitle, q.Kind, q.Lang)
}

// pageSig is what a page's own render reads of the content, and what a
// list shows of it: the page's file and state, its breadcrumbs,
// translations, subsections, terms and front-matter files; for a term,
// how many pages it has.
func (b *builder) pageSig(q *content.Page) uint64 {
	s := b.newSig()
	s.brief(q)
	s.str(q.File)
	s.num(q.Sum)
	s.flag(q.Draft)
	s.flag(q.Future)
	if q.Kind == content.KindTerm {
		s.num(uint64(len(q.Pages)))
	}
	for p := q.Parent; p != nil; p = p.Parent {
		s.brief(p)
		if p.Cascades() {
			s.num(p.Sum) // what it passes down is in its file
		}
	}
	for _, t := range q.Translations {
		s.brief(t)
	}
	for _, name := range slices.Sorted(maps.Keys(q.Terms)) {
		s.str(name)
		for _, t := range q.Terms[name] {
			s.brief(t)
		}
	}
	for _, sub := range q.Sections {
		s.brief(sub)
	}
	for _, f := range frontMatterFiles(q) {
		if r, ok := b.site.ResourceAt(f.ref); ok {
			s.str(f.ref)
			s.num(uint64(r.Size))
			b.pictureInto(&s, r.File)
			continue
		}
		b.assetInto(&s, strings.TrimPrefix(f.ref, "/"))
	}
	return s.sum()
}

// depInto adds what a dependency recorded during a render is now: the URL
// a Markdown link resolves to, a static file's URL and size, or the URL
// of a bundle's file.
func (b *builder) depInto(s *sig, dep string) {
	s.str(dep)
	kind, name, _ := strings.Cut(dep, ":")
	switch kind {
	case "asset":
		b.assetInto(s, name)
		return
	case "res":
		lang, file, _ := strings.Cut(name, ":")
		if u, ok := b.site.ResourceURL(file, lang); ok {
			s.str(u)
			b.pictureInto(s, file)
			return
		}
		s.str("\x00missing")
		return
	}
	if q := b.site.ByFile[name]; q != nil {
		s.str(q.Path)
		return
	}
	s.str("\x00missing")
}

func (b *builder) assetInto(s *sig, name string) {
	if a, ok := b.assets[name]; ok {
		s.str(a.out)
		s.num(uint64(len(a.data)))
		b.pictureInto(s, StaticDir+"/"+name)
		return
	}
	s.str("\x00missing")
}

// pictureInto adds what a page shows of a picture's copies, which change
// with its content: their names, and its size.
func (b *builder) pictureInto(s *sig, file string) {
	if pc := b.pics[file]; pc != nil {
		s.str(pc.key)
		s.flag(pc.err == nil)
	}
}

func (b *builder) depSig(deps []string) uint64 {
	s := b.newSig()
	for _, d := range deps {
		b.depInto(&s, d)
	}
	return s.sum()
}

// signatures computes the signature of every page as others show it, once
// per build, before the render steps read them.
func (b *builder) signatures() {
	pages := b.site.Pages
	sums := make([]uint64, len(pages))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(pages); i += workers {
				sums[i] = b.pageSig(pages[i])
			}
		})
	}
	l := b.newSig()
	for _, list := range [][]*content.Page{pages, b.site.Headless} {
		for _, p := range list {
			l.str(p.File, p.Path)
			for _, r := range p.Resources {
				l.str(r.File, r.Name)
				b.pictureInto(&l, r.File)
			}
		}
	}
	names := slices.Sorted(maps.Keys(b.assets))
	for _, name := range names {
		l.str(name)
		b.assetInto(&l, name)
	}
	b.linkSig = l.sum()
	wg.Wait()
	b.sigs = make(map[*content.Page]uint64, len(pages))
	for i, p := range pages {
		b.sigs[p] = sums[i]
	}
	b.catalogSig = b.catalogSignature()
	g := b.newSig()
	// site.toml says what every page shows around its content: menus,
	// titles, contacts, the counter. A Session starts again when it
	// changes; the memory of the last sxsh build must not outlive it.
	g.str(string(b.cfg.Sum[:]), b.opts.Version, b.cfg.BaseURL)
	g.flag(b.opts.Drafts)
	// Every page shows the menus, which front matter adds to.
	for _, lang := range b.cfg.Langs() {
		for _, m := range b.sites[lang].Menu {
			g.str(m.Name, m.URL)
		}
	}
	g.num(uint64(b.opts.Now.Year()))
	for _, name := range names {
		if a := b.assets[name]; a.out != a.src {
			g.str(name, a.out)
		}
		// A template may show any picture of static/ (img), and what it
		// shows changes with the picture's content, as a stylesheet's
		// name does.
		b.pictureInto(&g, StaticDir+"/"+name)
	}
	b.globalSig = g.sum()
}

// catalogSignature signs what the catalogues are computed from.
func (b *builder) catalogSignature() uint64 {
	s := b.newSig()
	for _, lang := range b.cfg.Langs() {
		c := b.catalogs[lang]
		s.num(uint64(len(c.Upcoming)))
	}
	for _, p := range b.site.Pages {
		if p.Newsletter != nil || p.Broadcast != nil || p.Banner != nil || p.Document != nil {
			s.num(b.sigs[p])
		}
	}
	return s.sum()
}

// base starts the signature of an output file rendered with a template:
// the build's settings, the template, and the file's path.
func (b *builder) base(tmpl, rel string) sig {
	s := b.newSig()
	s.num(b.globalSig, b.tmpl.Sum(tmpl))
	s.str(tmpl, rel)
	return s
}

// unchanged reports whether the last build wrote rel from what base and
// the recorded dependencies say now; if so, the file stays as it is and
// counts as this build's. Each output path is asked about by one render
// worker, and the records are only read while they run.
func (b *builder) unchanged(rel string, base uint64) bool {
	if b.prev == nil {
		return false
	}
	r := b.prev[rel]
	if r == nil || r.base != base || r.catalog && r.catSig != b.catalogSig {
		return false
	}
	if len(r.deps) > 0 && !b.linksSame && r.depSig != b.depSig(r.deps) {
		return false
	}
	r.gen = b.gen
	b.keep(rel)
	return true
}

// keep counts the file rel as kept as it was, and a page among the pages.
func (b *builder) keep(rel string) {
	b.kept.Add(1)
	if strings.HasSuffix(rel, ".html") {
		b.keptPages.Add(1)
		b.out.step()
	}
}

// record notes that rel was written from base and what the render (v, nil
// for none) looked up.
func (b *builder) record(rel string, base uint64, v *view) {
	if b.mem == nil {
		return
	}
	r := &outRec{base: base, gen: b.gen}
	if v != nil {
		r.deps, r.catalog = v.deps, v.usedCatalog
		if len(r.deps) > 0 {
			r.depSig = b.depSig(r.deps)
		}
		if r.catalog {
			r.catSig = b.catalogSig
		}
	}
	b.outMu.Lock()
	b.fresh[rel] = r
	b.outMu.Unlock()
}

// merge adds the records of the files this build wrote to the Session's.
func (b *builder) merge() {
	if b.prev == nil {
		b.mem.outputs = b.fresh
		return
	}
	for rel, r := range b.fresh {
		b.prev[rel] = r
	}
}

// remember keeps this build's records in the memory and, when the tree
// was updated rather than new, deletes the files the last build wrote and
// this one did not:
// the pages of deleted content, the list pages a shorter list no longer
// has. It returns how many files were kept as they were.
func (b *builder) remember(out *output) (kept int, err error) {
	b.merge()
	var stale []string
	if b.only == nil { // a refresh renders few files and deletes none
		for rel, r := range b.mem.outputs {
			if r.gen != b.gen {
				stale = append(stale, rel)
				delete(b.mem.outputs, rel)
			}
		}
		// What was kept of pages that are gone goes too.
		b.mem.summary.Range(func(file, _ any) bool {
			if b.site.ByFile[file.(string)] == nil {
				b.mem.summary.Delete(file)
			}
			return true
		})
	}
	if len(stale) > 0 {
		err = out.remove(stale)
	}
	for lang := range b.mem.index {
		if !slices.Contains(b.cfg.Langs(), lang) {
			delete(b.mem.index, lang) // site.toml no longer has it
		}
	}
	b.mem.linkSig = b.linkSig
	b.mem.oldAssets = nil
	b.mem.assets = b.assets
	if !b.deferSearch {
		b.mem.search, b.mem.searchSigs = b.searchOut, b.searchSigs()
		// The builders of the index just written are where the next
		// build's pages go.
		b.mem.index = make(map[string]*indexState, len(b.indexes))
		for lang, ix := range b.indexes {
			m := b.manifests[lang]
			b.mem.index[lang] = &indexState{ix: ix, manifest: m}
		}
	}
	return int(b.kept.Load()), err
}

func newMemory() *memory {
	return &memory{searchSums: map[string]uint64{}, index: map[string]*indexState{}}
}

// dataSum fingerprints a file's bytes.
func dataSum(data []byte) uint64 {
	h := sha256.Sum256(data)
	return binary.LittleEndian.Uint64(h[:8])
}
