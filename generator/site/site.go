// Package site is the build pipeline: it loads a site directory (an
// fs.FS), renders every page in parallel, and publishes the result
// atomically, so that a failed build leaves the last good site in place.
//
// The build reads as a flat list of steps in Build: configuration,
// templates, static files, content, pages, lists, redirects, feeds,
// sitemap, then the swap into place.
package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"

	"sxsh/generator/catalog"
	"sxsh/generator/config"
	"sxsh/generator/content"
	"sxsh/generator/diag"
	"sxsh/generator/layout"
	"sxsh/generator/markdown"
	"sxsh/generator/picture"
	"sxsh/generator/search"
	"sxsh/generator/shortcode"
	"sxsh/generator/vitext"
)

// Defaults are the layouts and static files built into sxsh, which a site's
// own files override one by one.
type Defaults struct {
	Layouts fs.FS // the contents of layouts/
	Static  fs.FS // the contents of static/
}

// Options describe one build.
type Options struct {
	// Source is the site directory: site.toml, content/, layouts/, static/.
	Source fs.FS
	// Dir is Source's real path on disk, when it is a folder there: links
	// by absolute path into it are followed; others are errors.
	Dir      string
	Defaults Defaults
	// Destination is the folder to publish into; it is replaced whole, in
	// one step, and the tree it held becomes the standby that the next
	// build brings up to date (see memfile.go).
	Destination string
	// BaseURL, when set, overrides site.toml's baseURL.
	BaseURL string
	// Drafts includes drafts and pages dated in the future.
	Drafts bool
	// Now is the build time; zero means time.Now().
	Now time.Time
	// Version identifies the sxsh build (the command passes a hash of its
	// executable): a new sxsh may render differently, so it rebuilds.
	Version string
	// Full rebuilds even when nothing changed since the last build.
	Full bool
	// Progress, when set, counts the HTML pages as the build draws (or
	// keeps) them, for a progress line.
	Progress *Progress
	// Waiting, when set, is called if another build of the same
	// destination is running: this one waits for it to finish.
	Waiting func()
	// PictureCache is the folder that keeps the copies of pictures
	// between builds; "" means PictureCache(Destination), and no cache
	// for a check.
	PictureCache string
}

// Progress tells how far a build is, while it runs: Done of Total HTML
// pages are in the new tree. Total is 0 until the content is read.
type Progress struct {
	Done, Total atomic.Int64
}

// Result tells what a build did.
type Result struct {
	// Unchanged is true when nothing changed since the last build, which
	// left the destination as it was.
	Unchanged bool
	Pages     int   // HTML pages written
	Files     int   // files written in all
	Bytes     int64 // bytes written
	// Kept counts the files a build left as they were, since nothing
	// they show changed; KeptPages the HTML pages among them.
	Kept, KeptPages int
	// Changed counts the site's files added, removed or changed since the
	// last build, when a plain build drew only what they changed; 0 or -1
	// otherwise.
	Changed  int
	Duration time.Duration // wall time
	// Pictures counts the pictures whose copies this build made, which
	// neither the cache nor a Session had.
	Pictures int
	Warnings diag.List
	// Partial is set when a Session build that found errors published
	// every page it could (see Session.Build); its error lists them all,
	// and Broken says which pages they kept out.
	Partial bool
	Broken  []Broken
}

// builder holds one build's state. Fields set by a step are read-only for
// the steps after it, which lets the render steps run in parallel.
type builder struct {
	opts       Options
	cfg        *config.Config
	tmpl       *layout.Set
	md         *markdown.Renderer
	shortcodes *shortcode.Set
	min        *minify.M
	assets     map[string]*asset
	site       *content.Site
	out        *output
	sites      map[string]*siteView        // per language
	indexes    map[string]*search.Builder  // per language, filled by the render workers
	searchPage map[string]*content.Page    // per language
	feedback   map[string]feedbackSet      // per language
	catalogs   map[string]*catalog.Catalog // per language
	summary    *sync.Map                   // source file → summary, filled by renderBody
	bufs       sync.Pool                   // *bytes.Buffer for rendering and minifying
	// check makes the render workers record links and heading ids.
	check bool
	links links

	// In a Session: what it keeps between builds, the outputs of the last
	// build (nil when this one renders everything) and of this one, and
	// the signatures this build compares (see memory).
	mem                   *memory
	prev, fresh           map[string]*outRec
	gen                   uint64
	outMu                 sync.Mutex
	sigs                  map[*content.Page]uint64
	catalogSig, globalSig uint64
	linkSig               uint64
	linksSame             bool // no page's URL or static file changed
	// only, when set, limits the render steps to these pages (and the
	// aliases of these pages): see Session.refresh.
	only      map[*content.Page]bool
	searchOut map[string]bool // search files written, in a Session
	kept      atomic.Int64    // files left as they were
	keptPages atomic.Int64    // HTML pages among them
	// deferSearch leaves the search index to finishSearch, after the
	// pages are in place.
	deferSearch bool

	// manifests are the manifests of the search indexes, by language, as
	// writeSearch wrote or kept them.
	manifests map[string]string
	// memw writes the memory of a plain build, for the next one.
	memw *memWriter
	// tags, in a plain build, are the stamps of the content files that
	// the memory may keep what this build read of (see scanSources).
	tags map[string]string
	// partial, in a Session, builds the pages that have no errors and sets
	// the errors aside: see partial.go.
	partial  bool
	brokenMu sync.Mutex
	aside    diag.List
	broken   map[[2]string]diag.List // (site path, file) → errors
	leftOut  map[string]string       // content file → its address, or ""
	// The pictures that get copies, by source file (see pictures.go), the
	// cache of their copies, and how many this build made, a few at a
	// time (picSlots).
	pics     map[string]*pic
	picCache *picture.Cache
	picSlots chan struct{}
	picsMade atomic.Int64
}

// Build builds the site and publishes it into opts.Destination. On error
// the destination is untouched and the returned list says why.
func Build(ctx context.Context, opts Options) (*Result, error) {
	if opts.Destination == "" {
		return nil, fmt.Errorf("no destination folder")
	}
	_, res, err := run(ctx, opts, false, nil)
	return res, err
}

// run runs the build's steps. With check set nothing is written: the
// output only records its paths, and the builder collects what Check
// verifies afterwards. mem is a Session's, or nil.
func run(ctx context.Context, opts Options, check bool, mem *memory) (*builder, *Result, error) {
	start := time.Now()
	if opts.Now.IsZero() {
		opts.Now = start
	}
	b := &builder{opts: opts, min: newMinifier(), check: check, summary: &sync.Map{}}
	// A Session's preview shows what can be built; a build or a check
	// publishes all or nothing.
	b.partial = mem != nil && !mem.tree
	var warnings diag.List
	step := func(errs diag.List) bool {
		for _, d := range errs {
			if d.Severity != diag.Error {
				warnings.Add(d)
			}
		}
		return !errs.HasErrors()
	}
	fail := func(errs diag.List) (*builder, *Result, error) {
		if b.memw != nil {
			b.memw.abort()
		}
		// What a failed Session build wrote stays, and so do the records
		// of what it did not get to.
		if b.prev != nil {
			b.merge()
			b.mem.linkSig = 0 // the records now mix this build's with the last's
		}
		errs = append(errs.Errors(), warnings...)
		errs.Sort()
		return b, &Result{Warnings: warnings}, errs
	}

	// The stamps of the site's files are taken before anything is read,
	// so that an edit made during the build makes the next one build
	// again.
	plain := !check && mem == nil
	if plain {
		unlock, held, err := lockDestination(opts.Destination, opts.Waiting)
		defer unlock()
		if err != nil {
			warnings.Add(diag.Warnf("", 0, 0, "cannot lock %s (%v): do not start another build of it until this one ends", lockPath(opts.Destination), err))
		}
		if held {
			// No other build is running: what one left half-made
			// when it was stopped (killed, a power cut) goes.
			removeLeftovers(opts.Destination)
		}
	}
	// What a build after an edit needs of the last builds is read while
	// the sources are scanned.
	type standbyRead struct {
		record *buildRecord
		mem    *memory
		check  *treeCheck
	}
	lastPublished, lastStandby := make(chan *buildRecord, 1), make(chan standbyRead, 1)
	if plain {
		go func() { lastPublished <- readRecord(opts.Destination) }()
		go func() {
			var l standbyRead
			if !opts.Full {
				l.record, l.mem, l.check = readStandby(opts.Destination)
			}
			lastStandby <- l
		}()
	}
	in, tags, errs := scanSources(opts.Source, opts.Dir, plain)
	b.tags = tags
	if errs.HasErrors() {
		return fail(errs)
	}

	// An unchanged site is left as it is. Otherwise the last build's
	// memory, when it has one, says which files need drawing again.
	// published is the record of the tree in the destination now, the
	// standby's once this build is published; standby is the record of
	// the standby folder the build updates.
	var published, standby *buildRecord
	var standbyMatches func() bool
	changed := -1
	if plain {
		published = <-lastPublished
		if in != nil && !opts.Full && upToDate(opts, published, in) {
			// The standby's check, started in case the build needed it,
			// stops.
			go func() {
				if l := <-lastStandby; l.check != nil {
					l.check.stop()
				}
			}()
			return b, &Result{Unchanged: true, Duration: time.Since(start)}, nil
		}
		if !opts.Full {
			l := <-lastStandby
			if standby, mem, standbyMatches = loadStandby(opts.Destination, published, l.record, l.mem, l.check); mem != nil {
				changed = changedInputs(published, in)
			}
		}
		if mem == nil {
			mem = newMemory()
		}
		mem.tree = true
	}
	if mem != nil {
		mem.gen++
		b.mem, b.prev, b.fresh, b.gen, b.summary = mem, mem.outputs, map[string]*outRec{}, mem.gen, &mem.summary
		b.deferSearch = b.prev != nil
		b.searchOut, b.manifests = map[string]bool{}, map[string]string{}
	}

	cfg, err := config.Load(opts.Source)
	if err != nil {
		return fail(asList(err))
	}
	if opts.BaseURL != "" {
		if errs := overrideBaseURL(cfg, opts.BaseURL); errs != nil {
			return fail(errs)
		}
	}
	b.cfg = cfg
	b.md = markdown.New(markdown.Options{UnsafeHTML: cfg.UnsafeHTML, HeadingID: vitext.Slug})

	tmpl, errs := layout.Load(opts.Defaults.Layouts, sub(opts.Source, layout.Dir), cfg.Langs(), b.funcs)
	if !step(errs) {
		return fail(errs)
	}
	b.tmpl = tmpl
	b.shortcodes = shortcode.New(shortcode.Options{Markdown: b.md, Templates: tmpl, UnsafeHTML: cfg.UnsafeHTML})
	if mem != nil && mem.assets != nil {
		b.assets = mem.assets
	} else if errs := b.loadAssets(opts.Defaults.Static, sub(opts.Source, StaticDir)); !step(errs) {
		return fail(errs)
	}
	var cache *content.Cache
	if mem != nil {
		cache = &mem.pages
		if mem.tree {
			b.restorePages()
		}
	}
	copts := content.Options{Drafts: opts.Drafts, Now: opts.Now, Cache: cache}
	s, errs := content.Load(opts.Source, cfg, copts)
	if s == nil {
		return fail(errs)
	}
	b.site = s
	// Missing files are reported with the content's other errors, in one run.
	errs = append(errs, b.checkFiles()...)
	errs = append(errs, b.loadPictures(ctx)...)
	if b.partial {
		errs = b.leaveOut(errs, copts)
		s = b.site
	}
	if !step(errs) {
		return fail(errs)
	}
	b.indexes = map[string]*search.Builder{}
	if errs := b.searchPages(); !step(errs) {
		return fail(errs)
	}
	if errs := b.feedbackPages(); !step(errs) {
		return fail(errs)
	}
	b.sites = map[string]*siteView{}
	b.catalogs = map[string]*catalog.Catalog{}
	for _, lang := range cfg.Langs() {
		b.sites[lang] = b.siteView(lang)
		b.catalogs[lang] = catalog.Build(s.Pages, lang, cfg.Districts, opts.Now)
	}
	if mem != nil {
		b.signatures()
		b.linksSame = b.prev != nil && mem.linkSig != 0 && b.linkSig == mem.linkSig
		// The state of each search index that this build writes again is
		// read now: when it cannot be, the build is a full one.
		// A standby changed since its build cannot be brought up to date
		// from its memory either.
		if b.deferSearch && mem.tree {
			var why error
			if standbyMatches != nil && !standbyMatches() {
				why = fmt.Errorf("%s was changed since it was built", standbyPath(opts.Destination))
			} else {
				why = b.loadIndexes()
			}
			if why != nil {
				if !errors.Is(why, errNoIndexState) {
					warnings.Add(diag.Warnf("", 0, 0, "drawing every page again: %v", why))
				}
				b.forget()
				changed = -1
			}
		}
	}

	var out *output
	switch {
	case b.prev != nil && !mem.tree: // a Session's folder
		out, err = inPlace(opts.Destination)
	case b.prev != nil: // the standby, brought up to date
		out, err = standbyOutput(opts.Destination, standby)
	default:
		if out, err = newOutput(opts.Destination, check); err == nil && mem != nil {
			out.standby = standbyPath(out.dest)
		}
	}
	if err != nil {
		return fail(diag.List{diag.Errorf("", 0, 0, "%v", err)})
	}
	b.out = out
	if mem != nil && mem.tree {
		if b.memw, err = newMemWriter(opts.Destination, newMemoryID()); err != nil {
			warnings.Add(diag.Warnf("", 0, 0, "the next build will draw every page again: %v", err))
		}
	}
	if opts.Progress != nil {
		opts.Progress.Total.Store(int64(b.htmlTotal()))
		out.progress = opts.Progress
	}
	errs, ok := b.render(ctx)
	if ok && b.partial {
		errs = b.setAside(errs)
	}
	if !step(errs) || !ok {
		out.abort()
		if ok {
			return fail(errs)
		}
		return fail(diag.List{diag.Errorf("", 0, 0, "build cancelled")})
	}
	kept, memTmp, id := 0, "", "" // id: of the memory of this build's tree
	if mem != nil && mem.tree {
		// The content files as read are put into the memory while the
		// search index is written.
		var saving sync.WaitGroup
		if b.memw != nil {
			saving.Go(b.savePages)
		}
		defer saving.Wait()
		// The search index is written before the swap, from the last
		// index's builder with the pages drawn again put in.
		if b.deferSearch {
			if done, errs := b.finishSearch(ctx); !done || !step(errs) {
				out.abort()
				if done {
					return fail(errs)
				}
				return fail(diag.List{diag.Errorf("", 0, 0, "build cancelled")})
			}
		}
		kept, _ = b.remember(out)
		if b.memw != nil {
			saving.Wait()
			var err error
			if memTmp, err = b.memw.finish(mem); err != nil {
				warnings.Add(diag.Warnf("", 0, 0, "the next build will draw every page again: %v", err))
			} else {
				id = b.memw.id
			}
			b.memw = nil
		}
		if err := out.saveRecord(opts, in, b.site, id); err != nil {
			out.abort()
			os.Remove(memTmp)
			return fail(diag.List{diag.Errorf("", 0, 0, "%v", err)})
		}
	}
	if err := out.commit(); err != nil {
		os.Remove(memTmp)
		return fail(diag.List{diag.Errorf("", 0, 0, "%v", err)})
	}
	if mem != nil && mem.tree {
		var old string // the memory of the tree this one replaced, now the standby
		if published != nil {
			old = published.Memory
		}
		if err := commitMemory(opts.Destination, memTmp, id, old); err != nil {
			warnings.Add(diag.Warnf("", 0, 0, "the next build will draw every page again: %v", err))
		}
	}
	if mem != nil && !mem.tree {
		var err error
		if kept, err = b.remember(out); err != nil {
			warnings.Add(diag.Warnf("", 0, 0, "removing the files of deleted pages: %v", err))
		}
	}
	warnings.Sort()
	if mem != nil && mem.tree && b.picCache != nil {
		// The cache keeps the pictures of the site as it is now; a Session
		// leaves it alone, since a build of the same site may share it.
		if err := b.picCache.Prune(b.usedPictures()); err != nil {
			warnings.Add(diag.Warnf("", 0, 0, "cleaning the pictures' cache %s: %v", b.picCache.Dir(), err))
		}
	}
	res := &Result{Pages: int(out.pages.Load()), Files: int(out.files.Load()), Bytes: out.bytes.Load(), Kept: kept,
		KeptPages: int(b.keptPages.Load()), Changed: changed, Duration: time.Since(start), Pictures: int(b.picsMade.Load()), Warnings: warnings}
	if len(b.aside) > 0 {
		res.Partial, res.Broken = true, b.brokenPages()
		return b, res, b.asideList()
	}
	return b, res, nil
}

func asList(err error) diag.List {
	var l diag.List
	l.AddError("", err)
	return l
}

func overrideBaseURL(cfg *config.Config, raw string) diag.List {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "" && u.Host == "") {
		return diag.List{diag.Errorf("--baseURL", 0, 0, "%q is not a URL like https://sxsh.dongnai.gov.vn/", raw)}
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	cfg.BaseURL, cfg.Base = u.String(), u
	return nil
}

// sub returns the named folder of fsys, or nil when it does not exist.
func sub(fsys fs.FS, dir string) fs.FS {
	if fi, err := fs.Stat(fsys, dir); err != nil || !fi.IsDir() {
		return nil
	}
	s, err := fs.Sub(fsys, dir)
	if err != nil {
		return nil
	}
	return s
}

func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("application/json", json.Minify)
	m.AddFunc("application/ld+json", json.Minify)
	m.Add("image/svg+xml", &minifiedOnce{fn: svg.Minify})
	m.Add("application/xml", &xml.Minifier{KeepWhitespace: false})
	return m
}

// minifiedOnce minifies through fn and keeps what it made of each input
// of at most onceMax bytes, the first onceCount of them: the inline SVG of
// a layout's header is the same on every page, and is minified once
// rather than on each.
type minifiedOnce struct {
	fn    minify.MinifierFunc
	made  sync.Map // input → output
	count atomic.Int32
}

const (
	onceMax   = 16 << 10
	onceCount = 256
)

func (o *minifiedOnce) Minify(m *minify.M, w io.Writer, r io.Reader, params map[string]string) error {
	if params != nil {
		return o.fn(m, w, r, params)
	}
	in, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(in) > onceMax {
		return o.fn(m, w, bytes.NewReader(in), params)
	}
	if out, ok := o.made.Load(string(in)); ok {
		_, err := w.Write(out.([]byte))
		return err
	}
	var out bytes.Buffer
	if err := o.fn(m, &out, bytes.NewReader(in), params); err != nil {
		return err
	}
	if o.count.Add(1) <= onceCount {
		o.made.Store(string(in), out.Bytes())
	}
	_, err = w.Write(out.Bytes())
	return err
}

// mediaType names the minifier for a file extension, "" for none.
func mediaType(ext string) string {
	switch ext {
	case ".html", ".htm":
		return "text/html"
	case ".css":
		return "text/css"
	case ".js", ".mjs":
		return "application/javascript"
	case ".json", ".webmanifest":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".xml":
		return "application/xml"
	}
	return ""
}

// render runs the render steps, listed here once for every kind of build:
// singles first, since lists, feeds and the search index need what
// rendering them yields (summaries, indexed text); the steps of a group are
// independent and run side by side. A refresh (b.only set) draws pages
// only: the static files and the 404 page stay as they are. The search
// index is left out when a later step writes it (see finishSearch). It
// stops after the first group that reports an error, and reports ok false
// if ctx ended first.
func (b *builder) render(ctx context.Context) (errs diag.List, ok bool) {
	first := []renderStep{b.renderSingles}
	second := []renderStep{b.renderLists, b.renderAliases, b.writeFeeds, b.writeSitemap}
	// A Session's refresh (only set) draws its pages' files alone: the
	// site-wide files are left to the next whole build.
	if b.only == nil {
		first = append(first, b.writeAssets, b.writeResources, b.writePictures)
		second = append(second, b.render404, b.renderFeedback)
	}
	if !b.deferSearch {
		second = append(second, func(ctx context.Context) diag.List { return b.writeSearch(ctx, b.cfg.Langs(), nil) })
	}
	for _, group := range [][]renderStep{first, second} {
		errs = append(errs, together(ctx, group)...)
		if ctx.Err() != nil {
			return errs, false
		}
		if errs.HasErrors() && !b.partial {
			break
		}
	}
	return errs, true
}

// renderStep is one render step of a build.
type renderStep = func(context.Context) diag.List

// together runs the steps at the same time and collects what they report.
func together(ctx context.Context, steps []renderStep) diag.List {
	return parallel(ctx, steps, func(run func(context.Context) diag.List) diag.List { return run(ctx) })
}

// parallel runs fn over the items on every core and collects what they
// report. Work stops being handed out once the context is done.
func parallel[T any](ctx context.Context, items []T, fn func(T) diag.List) diag.List {
	var mu sync.Mutex
	var all diag.List
	next := make(chan T)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var mine diag.List
			for it := range next {
				mine = append(mine, fn(it)...)
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		})
	}
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		next <- it
	}
	close(next)
	wg.Wait()
	return all
}

func (b *builder) getBuf() *bytes.Buffer {
	if buf, ok := b.bufs.Get().(*bytes.Buffer); ok {
		buf.Reset()
		return buf
	}
	return new(bytes.Buffer)
}

func (b *builder) putBuf(buf *bytes.Buffer) {
	if buf.Cap() < 1<<20 {
		b.bufs.Put(buf)
	}
}

// checkFiles reports files that front matter names (images, PDFs, covers,
// media, photos) and that are not among the static files.
func (b *builder) checkFiles() diag.List {
	var errs diag.List
	for _, f := range []struct {
		key  []string
		file string
	}{{[]string{"shareImage"}, b.cfg.ShareImage}, {[]string{"trustBadge", "image"}, b.cfg.TrustBadge.Image}} {
		if f.file != "" && !strings.Contains(f.file, "://") {
			if _, ok := b.assets[strings.TrimPrefix(f.file, "/")]; !ok {
				errs.Add(diag.Errorf(config.File, b.cfg.Line(f.key...), 0, "%s %s is not in static/ (put the file at static/%s)", strings.Join(f.key, "."), f.file, strings.TrimPrefix(f.file, "/")))
			}
		}
	}
	return append(errs, b.checkPages(b.site.Pages)...)
}

func (b *builder) checkPages(pages []*content.Page) diag.List {
	var errs diag.List
	for _, p := range pages {
		if p.Layout != "" {
			if n := b.templateFor(p); n != p.Layout+".html" && n != p.LayoutType+"/"+p.Layout+".html" {
				errs.Add(diag.Warnf(p.File, p.Line("layout"), 0, "layout %q: there is no layouts/%s.html, so the page is drawn with %s", p.Layout, p.Layout, n))
			}
		}
		for _, f := range frontMatterFiles(p) {
			if f.ref == "" || strings.Contains(f.ref, "://") || strings.HasPrefix(f.ref, "//") {
				continue
			}
			if _, ok := b.site.ResourceAt(f.ref); ok {
				continue
			}
			if _, ok := b.assets[strings.TrimPrefix(f.ref, "/")]; ok {
				continue
			}
			if hint, ok := b.staticHint(f.ref); ok {
				errs.Add(diag.Errorf(p.File, p.Line(f.key), 0, "%s %s: %s", f.key, f.ref, hint))
				continue
			}
			if file := content.LinkedFile(p, f.ref); file != "" {
				errs.Add(diag.Errorf(p.File, p.Line(f.key), 0, "%s %s is neither a file of a page bundle (%s) nor in static/ (/%s)", f.key, f.ref, file, strings.TrimPrefix(f.ref, "/")))
				continue
			}
			errs.Add(diag.Errorf(p.File, p.Line(f.key), 0, "%s %s is not in static/ (put the file at static/%s)", f.key, f.ref, strings.TrimPrefix(f.ref, "/")))
		}
	}
	return errs
}

// staticHint tells an editor who wrote a static file's path as it is on
// disk ("static/images/x.jpg", "../static/images/x.jpg") how to write it:
// from /, without static/. ok is false for other paths.
func (b *builder) staticHint(ref string) (string, bool) {
	rest := strings.TrimLeft(ref, "./")
	name, ok := strings.CutPrefix(rest, StaticDir+"/")
	if !ok {
		return "", false
	}
	if _, exists := b.assets[name]; exists {
		return fmt.Sprintf("write %q: the path of a file in static/ starts with / and leaves static/ out", "/"+name), true
	}
	return fmt.Sprintf("write the path of a file in static/ from /, without static/ (%q), and put the file at static/%s", "/"+name, name), true
}

// fmFile is a file that a page's front matter names under key.
type fmFile struct{ key, ref string }

// frontMatterFiles are the files a page's front matter names: its image,
// and a record's PDF, cover, media, photo or file.
func frontMatterFiles(p *content.Page) []fmFile {
	out := []fmFile{{"image", p.Image}}
	if n := p.Newsletter; n != nil {
		out = append(out, fmFile{"pdf", n.PDF}, fmFile{"cover", n.Cover})
	}
	if bc := p.Broadcast; bc != nil {
		out = append(out, fmFile{"media", bc.Media})
	}
	if bn := p.Banner; bn != nil {
		out = append(out, fmFile{"photo", bn.Photo})
	}
	if d := p.Document; d != nil {
		out = append(out, fmFile{"file", d.File})
	}
	return out
}

// String describes a result in one line for the command line.
func (r *Result) String() string {
	if r.Unchanged {
		return fmt.Sprintf("nothing changed since the last build (checked in %v)", r.Duration.Round(time.Millisecond))
	}
	took := r.Duration.Round(time.Millisecond)
	made := ""
	if r.Pictures > 0 {
		// Making copies is most of a first build's time where there are
		// photos: saying so tells why this one took longer.
		made = fmt.Sprintf(", %s %s made smaller", vitext.FormatInt("en", int64(r.Pictures)), plural(r.Pictures, "picture", "pictures"))
	}
	if r.KeptPages > 0 || r.Changed > 0 {
		changed := ""
		if r.Changed > 0 {
			changed = fmt.Sprintf(" (%s changed %s)", vitext.FormatInt("en", int64(r.Changed)), plural(r.Changed, "file", "files"))
		}
		return fmt.Sprintf("%s of %s pages%s, %.1f MB%s in %v", vitext.FormatInt("en", int64(r.Pages)),
			vitext.FormatInt("en", int64(r.Pages+r.KeptPages)), changed, float64(r.Bytes)/1e6, made, took)
	}
	kept := ""
	if r.Kept > 0 {
		kept = fmt.Sprintf(" (%d unchanged files kept)", r.Kept)
	}
	return fmt.Sprintf("%s pages, %s files, %.1f MB%s in %v%s", vitext.FormatInt("en", int64(r.Pages)), vitext.FormatInt("en", int64(r.Files)),
		float64(r.Bytes)/1e6, made, took, kept)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
