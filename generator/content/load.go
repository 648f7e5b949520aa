package content

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"sxsh/generator/config"
	"sxsh/generator/diag"
	"sxsh/generator/tomlfile"
	"sxsh/generator/vitext"
)

// Dir is the folder of a site directory that holds its content.
const Dir = "content"

// Options control which pages a load keeps.
type Options struct {
	// Drafts keeps drafts and pages dated in the future.
	Drafts bool
	// Now is the build time that publishDate and expiryDate are compared
	// with; the zero value means time.Now().
	Now time.Time
	// Cache, when set, gives the files read by an earlier Load that have
	// not been forgotten since, and keeps the files read now.
	Cache *Cache
	// Skip names files (slash paths, as in diagnostics) to leave out as if
	// they were not there: a preview builds the site without the files
	// that have errors.
	Skip map[string]bool
}

// Site is the loaded content of a whole site.
type Site struct {
	Config *config.Config
	// Pages holds every page: singles, sections, homes, taxonomies and
	// terms, in a stable order (by path).
	Pages []*Page
	// Home maps a language to its home page.
	Home map[string]*Page
	// Aliases are the redirects that front matter asks for.
	Aliases []Alias
	// ByFile maps a source file's path to its page, for link resolution.
	ByFile map[string]*Page
	// Unpublished are the pages left out: drafts, pages not yet due and
	// expired pages, for sxsh check to mention. Their Path is the one they
	// would have once published, so that a preview can say why that
	// address shows nothing; they are in no list and link to no page.
	Unpublished []*Page
	// Headless are the published bundles without a page of their own
	// (headless = true), by path: their resources are published at Path.
	Headless []*Page
	// resources maps a resource's source file to the pages it is
	// published beside, in path order; published maps the site path of
	// each copy to the resource.
	resources map[string][]*Page
	published map[string]Resource
}

// Alias is an old URL that redirects to a page.
type Alias struct {
	Path string // site path, "/tin-tuc/cu/"
	To   *Page
}

// Load reads every Markdown file under content/ in fsys, the site
// directory, and links the result. All problems are collected: the returned
// list may hold warnings on success; when it holds errors, the Site has the
// pages that could be read, for further checks, and must not be published.
func Load(fsys fs.FS, cfg *config.Config, opts Options) (*Site, diag.List) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	srcs, bundles, diags := walk(fsys, cfg)
	diags = append(diags, checkPageParams(cfg)...)
	// A file the caller skips is as if it were not there.
	srcs = slices.DeleteFunc(srcs, func(src source) bool { return opts.Skip[src.file] })
	files := make([]string, len(srcs))
	for i, src := range srcs {
		files[i] = src.file
	}
	pages := make([]*Page, len(files))
	perFile := make([]diag.List, len(files))
	// The files a Cache holds are taken from it; the workers read the rest.
	missing := opts.Cache.lookup(files, pages, perFile)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				pages[i], perFile[i] = readPage(fsys, srcs[i], cfg)
				opts.Cache.store(files[i], pages[i], perFile[i])
			}
		})
	}
	for _, i := range missing {
		next <- i
	}
	close(next)
	wg.Wait()
	var kept, left []*Page
	for i, p := range pages {
		diags = append(diags, perFile[i]...)
		if p == nil {
			continue
		}
		if p.src.bundle {
			p.Resources = bundles[path.Dir(p.File)]
		}
		if keep(p, opts) {
			kept = append(kept, p)
		} else {
			left = append(left, p)
		}
	}
	s := &Site{Config: cfg, Home: map[string]*Page{}, ByFile: map[string]*Page{}, Unpublished: left}
	diags = append(diags, s.link(kept)...)
	diags.Sort()
	return s, diags
}

// keep decides whether a page is published now: drafts and pages not yet
// due are kept only with Options.Drafts, and expired pages never.
func keep(p *Page, o Options) bool {
	if !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(o.Now) {
		return false
	}
	due := p.PublishDate
	if due.IsZero() {
		due = p.Date
	}
	p.Future = due.After(o.Now)
	if p.Draft || p.Future {
		return o.Drafts
	}
	return true
}

// readPage reads and decodes one file. It returns nil and the errors when the
// file cannot become a page.
func readPage(fsys fs.FS, s source, cfg *config.Config) (*Page, diag.List) {
	file := s.file
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, diag.List{diag.Errorf(file, 0, 0, "cannot read: %v", err)}
	}
	if !utf8.Valid(src) {
		return nil, diag.List{diag.Errorf(file, 0, 0, "not UTF-8 text: save the file as UTF-8 (is it a binary file or an old TCVN3/VNI document?)")}
	}
	m, body, bodyLine, err := split(src)
	if err != nil {
		return nil, diag.List{diag.Errorf(file, errorLine(err), 0, "%v", err)}
	}
	fm, fmLines, err := m.toTOML()
	if err != nil {
		return nil, diag.List{diag.Errorf(file, errorLine(err), 0, "%v", err)}
	}
	p := &Page{File: file, Sum: sum(src), Lang: s.lang, Kind: s.kind, Section: s.section(), Key: s.key(), stem: s.stem,
		Body: body, BodyLine: bodyLine, fm: fm, fmLine: m.line, fmLines: fmLines, src: s}
	p.Type = TypePage
	if t, ok := sectionTypes[p.Section]; ok {
		p.Type = t
	}

	fields, common, store := kindMatter(p)
	errs := p.decode(fields, cfg.PageParams)
	store()
	if errs.HasErrors() {
		return nil, errs
	}
	if err := p.takePageParams(fields, common, cfg.PageParams); err != nil {
		return nil, diag.List{diag.Errorf(file, p.fmLine, 0, "%v", err)}
	}
	p.fill(common, cfg)
	errs = append(errs, p.fillHugo(common)...)
	errs = append(errs, p.check(common)...)
	if !p.Headless {
		errs = append(errs, p.checkKind(cfg.Location, cfg.Districts)...)
	}
	if errs.HasErrors() {
		return nil, errs
	}
	return p, errs
}

func (p *Page) fill(c *Common, cfg *config.Config) {
	loc := cfg.Location
	p.Title = strings.TrimSpace(c.Title)
	p.Summary = strings.TrimSpace(c.Summary)
	p.Slug = c.Slug
	p.Date = c.Date.In(loc)
	if d := p.Document; d != nil && p.Date.IsZero() {
		// A document appears on the site under the day it was issued,
		// unless the editor dates it otherwise.
		p.Date = d.Issued.In(loc)
	}
	p.Lastmod = c.Lastmod.In(loc)
	if p.Lastmod.IsZero() {
		p.Lastmod = p.Date
	}
	p.PublishDate = c.PublishDate.In(loc)
	p.ExpiryDate = c.ExpiryDate.In(loc)
	p.Categories = trimAll(c.Categories)
	p.Tags = trimAll(c.Tags)
	p.termSlugs = [2][]string{slugAll(p.Categories), slugAll(p.Tags)}
	p.Image = c.Image
	p.Draft = c.Draft
	p.Weight = c.Weight
	p.Aliases = c.Aliases
	p.Params = c.Params
	p.Headless = c.Headless
	if c.TranslationKey != "" {
		p.Key = "key:" + c.TranslationKey
	}
}

// decode decodes the front matter into v, with diagnostics at the lines of
// the file. The site's own keys, pageParams, are no errors.
func (p *Page) decode(v any, pageParams []string) diag.List {
	// menu and cascade are checked after decoding, with their Hugo forms.
	free := append([]string{"params", "menu", "menus", "cascade"}, pageParams...)
	if p.fmLines == nil {
		return tomlfile.Decode(p.File, p.fmLine, p.fm, v, free...)
	}
	errs := tomlfile.Decode(p.File, 1, p.fm, v, free...)
	for _, d := range errs {
		// A column of the TOML written from YAML or JSON is none of the file's.
		d.Line, d.Col = p.fileLine(d.Line), 0
	}
	return errs
}

// takePageParams puts the site's own keys (site.toml's pageParams) that
// the front matter sets at its top level into c.Params, as if written
// under [params], where a value of the same name wins. A key that the
// page's kind reads itself (an article's source) stays that field.
func (p *Page) takePageParams(fields any, c *Common, pageParams []string) error {
	var keys []string
	for _, k := range pageParams {
		if p.has(k) && !slices.Contains(tomlfile.Keys(fields), k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var raw map[string]any
	if _, err := toml.Decode(string(p.fm), &raw); err != nil {
		return err // decoded once already: not expected
	}
	for _, k := range keys {
		v, ok := raw[k]
		if !ok {
			continue
		}
		if _, set := c.Params[k]; set {
			continue
		}
		if c.Params == nil {
			c.Params = map[string]any{}
		}
		c.Params[k] = v
	}
	return nil
}

// checkPageParams checks site.toml's pageParams against the front-matter
// keys that every page reads: such a key is sxsh's, never the site's own.
func checkPageParams(cfg *config.Config) diag.List {
	var errs diag.List
	common := tomlfile.Keys(&Common{})
	for _, k := range cfg.PageParams {
		if slices.Contains(common, k) {
			errs.Add(diag.Errorf(config.File, cfg.Line("pageParams"), 0, "pageParams: %q is a front-matter key that sxsh reads itself: remove it from pageParams", k))
		}
	}
	return errs
}

// fileLine returns the line of File of line l (1-based) of the front
// matter as TOML, or the front matter's first line for 0.
func (p *Page) fileLine(l int) int {
	switch {
	case l <= 0:
		return p.fmLine
	case p.fmLines == nil:
		return p.fmLine + l - 1
	case l <= len(p.fmLines):
		return p.fmLines[l-1]
	}
	return p.fmLine
}

// Line returns the line in File on which a front-matter key is set, or the
// first line of the front matter when the key is not found.
func (p *Page) Line(key ...string) int {
	return p.fileLine(tomlfile.KeyLine(p.fm, key))
}

func (p *Page) errorf(key string, format string, args ...any) *diag.Diagnostic {
	return diag.Errorf(p.File, p.Line(key), 0, format, args...)
}

// check validates values that decoding alone cannot.
func (p *Page) check(c *Common) diag.List {
	var errs diag.List
	if p.Headless && !(p.Kind == KindSingle && p.src.bundle) {
		errs.Add(p.errorf("headless", "headless = true is for the index file of a page bundle (a folder with an index.md), which then has no page of its own"))
	}
	if p.Title == "" && p.Kind != KindHome && !p.Headless {
		errs.Add(diag.Errorf(p.File, p.fmLine, 0, "title is missing: add title = \"...\" to the front matter"))
	}
	// A document's date is its issued date, which checkDocument asks for.
	if p.Kind == KindSingle && p.Type != TypePage && p.Date.IsZero() && !p.Headless && p.Document == nil {
		errs.Add(diag.Errorf(p.File, p.fmLine, 0, "date is missing: add date = %s to the front matter", time.Now().Format("2006-01-02")))
	}
	if !p.ExpiryDate.IsZero() && !p.Date.IsZero() && p.ExpiryDate.Before(p.Date) {
		errs.Add(p.errorf("expiryDate", "expiryDate %s is before date %s", p.ExpiryDate.Format("2006-01-02"), p.Date.Format("2006-01-02")))
	}
	if p.Slug != "" {
		if s, err := cleanSlug(p.Slug); err != nil {
			errs.Add(p.errorf("slug", "slug %q: %v", p.Slug, err))
		} else {
			p.Slug = s
		}
	}
	for i, a := range p.Aliases {
		clean, err := cleanSitePath(a)
		if err != nil {
			errs.Add(p.errorf("aliases", "alias %q: %v", a, err))
			continue
		}
		p.Aliases[i] = clean
	}
	if p.Image != "" && !isRemote(p.Image) {
		if err := checkFileRef(p.Image); err != nil {
			errs.Add(p.errorf("image", "image %q: %v", p.Image, err))
		}
	}
	for i, list := range [][]string{p.Categories, p.Tags} {
		if slices.Contains(list, "") {
			errs.Add(p.errorf([]string{"categories", "tags"}[i], "an empty category or tag: remove the empty \"\""))
		}
	}
	return errs
}

func slugAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = vitext.Slug(s)
	}
	return out
}

func trimAll(list []string) []string {
	out := list[:0:0]
	for _, s := range list {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func isRemote(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "//")
}

// cleanSitePath checks a site path an editor wrote (an alias, an image) and
// returns it cleaned, always starting with "/". Paths that would climb out
// of the site, or that are not paths, are errors.
func cleanSitePath(p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("empty path")
	}
	if strings.ContainsAny(p, "\\:?#*\"<>|\x00") || strings.Contains(p, "//") {
		return "", fmt.Errorf("write a site path like /tin-tuc/ten-cu/, without \\ : ? # or //")
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return "", fmt.Errorf("must not contain . or .. segments: it would point outside the site")
		}
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p, nil
}

// checkFileRef checks a file path that front matter gives: a site path
// ("/images/x.jpg", a file of static/) or a path relative to the page's
// file ("anh.jpg", a file of its bundle, or "../thu-vien/anh.jpg"). Where
// a relative path leads is checked by the site, which knows the bundles'
// files: one that leaves content/ names none of them.
func checkFileRef(ref string) error {
	if strings.HasPrefix(ref, "/") {
		_, err := cleanSitePath(ref)
		return err
	}
	if strings.ContainsAny(ref, "\\:?#*\"<>|\x00") || strings.Contains(ref, "//") {
		return fmt.Errorf("write a path like anh.jpg (beside the page's file) or /images/anh.jpg (in static/), without \\ : ? # or //")
	}
	return nil
}

// sortPages orders list pages' members: by weight when set, then newest
// first, then by title, then by path, which no two pages share.
func sortPages(ps []*Page) {
	slices.SortFunc(ps, func(a, b *Page) int {
		if a.Weight != b.Weight {
			switch {
			case a.Weight == 0:
				return 1
			case b.Weight == 0:
				return -1
			}
			return cmp.Compare(a.Weight, b.Weight)
		}
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		if c := strings.Compare(a.Title, b.Title); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
}
