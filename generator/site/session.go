package site

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"sxsh/generator/catalog"
	"sxsh/generator/config"
	"sxsh/generator/content"
	"sxsh/generator/diag"
)

// Session builds one site again and again into one folder, as sxsh serve
// does after every save. Its first build is a full one; after that, it
// reads only the content files that changed, renders only the output
// files whose inputs changed (see memory), writes them in place, and
// deletes the files of pages that are gone. The search index follows the
// pages: it is written after Build returns, and Wait waits for it.
//
// Unlike Build, a Session's build publishes what it can: a content file
// with errors is left out of the site, and a page that fails to render is
// not written (or written as far as it went), while every other page is
// built; the result says which pages are broken (see Result.Partial).
// Only errors that concern the whole site (site.toml, a template that
// does not parse, the static files) leave the folder as it was.
//
// A Session is not safe for concurrent use.
type Session struct {
	opts Options
	mem  *memory // nil: the next build is a full one
	// last is the last successful build, which refresh continues; nil
	// after a failure. warnings are its warnings.
	last     *builder
	warnings diag.List
	// site is the content of the last build that published.
	site *content.Site
	// search is closed when the last build's search index is written,
	// or given up: cancelSearch gives it up. searchErrs says how it went.
	search       chan struct{}
	cancelSearch context.CancelFunc
	searchErrs   diag.List
}

// NewSession returns a Session for opts; opts.Full is ignored.
func NewSession(opts Options) (*Session, error) {
	if opts.Destination == "" {
		return nil, fmt.Errorf("no destination folder")
	}
	return &Session{opts: opts}, nil
}

// Build brings the destination up to date after changes to the slash paths
// changed (relative to the site folder, as a watcher reports them); nil
// means anything may have changed, and builds everything. A change to
// site.toml builds everything too. The error lists every error found.
// When the Result says Partial, the destination has every page that could
// be built and Result.Broken names the others; otherwise, on error, the
// destination keeps what it had, except for the files of pages that were
// rendered before the error.
func (s *Session) Build(ctx context.Context, changed []string) (*Result, error) {
	// The editor saved again: the search index of the last save would be
	// out of date, and this build writes a new one.
	if s.cancelSearch != nil {
		s.cancelSearch()
	}
	if err := s.Wait(); err != nil {
		s.mem = nil // the index is not what the records say: start over
	}
	full := s.mem == nil || changed == nil
	for _, c := range changed {
		if c == config.File || c == "." || c == "" {
			full = true
		}
	}
	if !full {
		if res := s.refresh(ctx, changed); res != nil {
			return res, nil
		}
	}
	s.last = nil
	if full {
		var paths map[string]string
		var pictures *sync.Map
		if s.mem != nil {
			paths, pictures = s.mem.paths, s.mem.pictures
		}
		s.mem = newMemory()
		s.mem.paths, s.mem.pictures = paths, pictures
	} else {
		s.mem.pages.Forget(changed...)
		for _, c := range changed {
			if c == StaticDir || strings.HasPrefix(c, StaticDir+"/") {
				if s.mem.assets != nil {
					s.mem.oldAssets = s.mem.assets
				}
				s.mem.assets = nil
			}
		}
	}
	opts := s.opts
	opts.Full = true
	b, res, err := run(ctx, opts, false, s.mem)
	if err != nil && !res.Partial {
		// The files read stay in the cache; with no records of output
		// (a full build failed), the next build is a full one again.
		return res, err
	}
	s.published(b)
	if err != nil {
		// The next save takes the general way, which finds the broken
		// pages again, rather than a refresh of this build's pages.
		s.afterPages(ctx, b)
		return res, err
	}
	s.last, s.warnings = b, res.Warnings
	s.afterPages(ctx, b)
	return res, nil
}

// published notes the site of a build that published, and the address of
// each of its pages' files, which a broken file keeps in the next builds.
func (s *Session) published(b *builder) {
	s.site = b.site
	if s.mem.paths == nil {
		s.mem.paths = map[string]string{}
	}
	for _, p := range b.site.Pages {
		if p.File != "" {
			s.mem.paths[p.File] = p.Path
		}
	}
}

// Site returns the content of the last build that published, nil before
// one did: its pages, and the unpublished ones with the addresses they
// would have.
func (s *Session) Site() *content.Site { return s.site }

// afterPages writes the search index of a build that left it for later,
// then collects the garbage: the editor is reading the page by then, and
// the collector stays out of the next save's build.
func (s *Session) afterPages(ctx context.Context, b *builder) {
	if !b.deferSearch {
		return
	}
	done := make(chan struct{})
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.search, s.cancelSearch = done, cancel
	go func() {
		defer close(done)
		var finished bool
		finished, s.searchErrs = b.finishSearch(sctx)
		if finished {
			runtime.GC()
		}
	}()
}

// refresh is the build of an edit that changes no page's place in the site:
// the same URL, title, dates, order, terms and translations, only other
// words, figures or files. It continues the last build, with its linked
// site, reads only the changed files and renders only their pages, the
// list and feed pages that show them, and the sitemap. It returns nil when
// the edit is not of that kind, or anything goes wrong, so that Build
// takes the general way, which reports the errors.
func (s *Session) refresh(ctx context.Context, changed []string) *Result {
	b := s.last
	if b == nil {
		return nil
	}
	start := time.Now()
	now := s.opts.Now
	if now.IsZero() {
		now = start
	}
	if now.Year() != b.opts.Now.Year() || due(b.site, b.opts.Now, now) {
		return nil
	}
	var pages []*content.Page
	for _, c := range changed {
		p := b.site.ByFile[c]
		if p == nil {
			return nil // a new, deleted, unpublished or other file
		}
		pages = append(pages, p)
	}
	s.last = nil // from here on, the pages change: no way back
	b.tmpl.Forget()
	for _, p := range pages {
		if !s.mem.pages.Refresh(s.opts.Source, b.cfg, p) {
			return nil
		}
		b.site.ResolveFiles(p)
	}
	if b.checkPages(pages).HasErrors() {
		return nil
	}
	b.opts.Now = now
	for _, lang := range b.cfg.Langs() {
		b.catalogs[lang] = catalog.Build(b.site.Pages, lang, b.cfg.Districts, now)
	}
	only := map[*content.Page]bool{}
	for _, p := range pages {
		b.sigs[p] = b.pageSig(p)
		only[p] = true
		if p.Parent != nil {
			only[p.Parent] = true
		}
		if p.Type == content.TypeArticle {
			only[b.site.Home[p.Lang]] = true
		}
		for _, terms := range p.Terms {
			for _, t := range terms {
				only[t] = true
			}
		}
	}
	if b.catalogSignature() != b.catalogSig {
		return nil // the figures changed: the pages that show them are not known here
	}
	out, err := inPlace(s.opts.Destination)
	if err != nil {
		return nil
	}
	s.mem.gen++
	b.out, b.only, b.prev, b.fresh, b.gen = out, only, s.mem.outputs, map[string]*outRec{}, s.mem.gen
	b.searchOut, b.deferSearch, b.linksSame = map[string]bool{}, true, true
	b.kept.Store(0)
	if errs, ok := b.render(ctx); len(errs) > 0 || !ok {
		b.merge()
		s.mem.linkSig = 0
		return nil
	}
	kept, err := b.remember(out)
	b.only = nil
	if err != nil {
		return nil
	}
	s.last, s.site = b, b.site // a refresh moves no page
	s.afterPages(ctx, b)
	return &Result{Pages: int(out.pages.Load()), Files: int(out.files.Load()), Bytes: out.bytes.Load(), Kept: kept,
		Duration: time.Since(start), Warnings: s.warnings}
}

// due reports whether a page of s is published or expires between the
// times from and to, which makes the site change with the clock alone.
func due(s *content.Site, from, to time.Time) bool {
	between := func(t time.Time) bool { return t.After(from) && !t.After(to) }
	for _, list := range [][]*content.Page{s.Pages, s.Unpublished} {
		for _, p := range list {
			at := p.PublishDate
			if at.IsZero() {
				at = p.Date
			}
			if between(at) || between(p.ExpiryDate) {
				return true
			}
		}
	}
	return false
}

// Close gives up the search index being written, if any, and returns
// once it has stopped. The Session may still build afterwards.
func (s *Session) Close() error {
	if s.cancelSearch != nil {
		s.cancelSearch()
	}
	return s.Wait()
}

// Wait waits until the search index of the last build is written and
// returns what went wrong writing it.
func (s *Session) Wait() error {
	if s.search == nil {
		return nil
	}
	<-s.search
	s.cancelSearch()
	s.search, s.cancelSearch = nil, nil
	errs := s.searchErrs
	s.searchErrs = nil
	return errs.Err()
}
