package site

import (
	"context"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"

	"sxsh/generator/config"
	"sxsh/generator/content"
	"sxsh/generator/diag"
	"sxsh/generator/markdown"
	"sxsh/generator/tomlfile"
	"sxsh/generator/vitext"
)

// links collects, during a check, every page's links and heading ids.
type links struct {
	mu    sync.Mutex
	pages []pageLinks
	ids   map[string]map[string]bool // page site path → ids of its headings
}

type pageLinks struct {
	page  *content.Page
	links []markdown.Link
}

func (l *links) add(p *content.Page, res *markdown.Result) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ids == nil {
		l.ids = map[string]map[string]bool{}
	}
	ids := map[string]bool{}
	for _, h := range res.TOC {
		ids[h.ID] = true
	}
	l.ids[p.Path] = ids
	l.pages = append(l.pages, pageLinks{p, res.Links})
}

// Check runs everything a build validates without publishing anything, and
// adds what only a check looks for: links and heading anchors that lead
// nowhere, menu entries that do, pages without a translation, and pages
// dated in the future (for information). The list holds every finding, of
// every severity; it has errors when a build would fail or a link is broken.
func Check(ctx context.Context, opts Options) diag.List {
	b, res, err := run(ctx, opts, true, nil)
	var all diag.List
	if err != nil {
		all.AddError("", err)
		if b == nil || b.out == nil {
			return all // stopped before rendering: nothing more to check
		}
	} else {
		all = append(all, res.Warnings...)
	}
	all = append(all, b.checkLinks()...)
	all = append(all, b.checkMenus()...)
	all = append(all, b.checkTranslations()...)
	for _, p := range append(b.site.Pages, b.site.Unpublished...) {
		if p.File == "" {
			continue
		}
		var d *diag.Diagnostic
		switch {
		case !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(b.opts.Now):
			d = diag.Errorf(p.File, p.Line("expiryDate"), 0, "expired on %s: not published", vitext.FormatDate("vi", p.ExpiryDate))
		case p.Future:
			due := p.PublishDate
			key := "publishDate"
			if due.IsZero() {
				due, key = p.Date, "date"
			}
			d = diag.Errorf(p.File, p.Line(key), 0, "dated %s, after today: published from that day on", vitext.FormatDate("vi", due))
		case p.Draft:
			d = diag.Errorf(p.File, p.Line("draft"), 0, "a draft: not published until draft = true is removed")
		default:
			continue
		}
		d.Severity = diag.Info
		all.Add(d)
	}
	all = all.Dedupe()
	all.Sort()
	return all
}

// target resolves a URL written in a page to the output file it needs and
// the fragment, or ok=false for URLs outside the site.
func (b *builder) target(u string) (file, frag string, ok bool) {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "" || p.Host != "" || !strings.HasPrefix(p.Path, b.cfg.Base.Path) {
		if err == nil && p.Path == "" && p.Fragment != "" {
			return "", p.Fragment, true // a fragment of the page itself
		}
		return "", "", false
	}
	rel := strings.TrimPrefix(p.Path, b.cfg.Base.Path)
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	return path.Clean(rel), p.Fragment, true
}

func (b *builder) checkLinks() diag.List {
	var errs diag.List
	for _, pl := range b.links.pages {
		for _, l := range pl.links {
			file, frag, ok := b.target(l.URL)
			if !ok {
				continue
			}
			where := pl.page.Path
			if file != "" {
				if !b.out.has(file) {
					if !l.Image {
						errs.Add(diag.Errorf(pl.page.File, l.Line, l.Col, "broken link %q: the site has no page at %s", l.Dest, l.URL))
					} else {
						errs.Add(diag.Errorf(pl.page.File, l.Line, l.Col, "missing image %q: put the file at static/%s", l.Dest, strings.TrimPrefix(file, "/")))
					}
					continue
				}
				where = "/" + strings.TrimSuffix(file, "index.html")
			}
			if frag == "" {
				continue
			}
			ids, known := b.links.ids[where]
			if known && !ids[frag] {
				errs.Add(diag.Errorf(pl.page.File, l.Line, l.Col, "broken link %q: %s has no heading with id %q", l.Dest, where, frag))
			}
		}
	}
	return errs
}

// checkMenus reports menu entries of site.toml that lead to no page.
func (b *builder) checkMenus() diag.List {
	var errs diag.List
	src, _ := fs.ReadFile(b.opts.Source, config.File)
	for _, lang := range b.cfg.Langs() {
		for _, m := range b.cfg.Languages[lang].Menu {
			file, _, ok := b.target(b.rel(m.URL))
			if ok && file != "" && !b.out.has(file) {
				errs.Add(diag.Errorf(config.File, tomlfile.KeyLine(src, []string{"languages", lang, "menu"}), 0, "menu entry %q of %q leads to %s, which is not a page of the site", m.Name, lang, m.URL))
			}
		}
	}
	return errs
}

// checkTranslations lists the written pages that lack a version in one of
// the site's languages, as warnings: a site may publish some pages in one
// language only, but an editor should know which.
func (b *builder) checkTranslations() diag.List {
	var out diag.List
	langs := b.cfg.Langs()
	for _, p := range b.site.Pages {
		if p.File == "" || p.Kind == content.KindTerm {
			continue
		}
		var missing []string
		for _, l := range langs {
			if l != p.Lang && p.Translation(l) == nil {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			out.Add(diag.Warnf(p.File, 0, 0, "no %s translation (add %s)", strings.Join(missing, ", "), content.TranslationPath(b.cfg, p.File, p.Lang, missing[0])))
		}
	}
	return out
}
