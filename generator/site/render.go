package site

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/url"
	"path"
	"strconv"
	"strings"

	"sxsh/generator/content"
	"sxsh/generator/diag"
	"sxsh/generator/feed"
	"sxsh/generator/markdown"
	"sxsh/generator/picture"
	"sxsh/generator/shortcode"
	"sxsh/generator/sitemap"
)

// summaryRunes is how long a summary made from a page's text may be.
const summaryRunes = 200

// feedItems is how many of the newest pages a feed carries.
const feedItems = 50

func (b *builder) writeAssets(ctx context.Context) diag.List {
	var errs diag.List
	var last map[string]*asset // the assets the last build wrote
	if b.prev != nil {
		last = b.mem.assets
		if b.mem.oldAssets != nil {
			last = b.mem.oldAssets
		}
	}
	for _, a := range b.assets {
		if old := last[a.src]; old != nil && old.out == a.out && old.sum == a.sum && b.unchanged(a.out, 0) {
			continue
		}
		if err := b.out.write(a.out, a.data); err != nil {
			errs.Add(diag.Errorf(StaticDir+"/"+a.src, 0, 0, "%v", err))
			continue
		}
		b.record(a.out, 0, nil)
	}
	return errs
}

// writeResources copies the files of page bundles beside their pages, as
// they are: a copy per language the bundle has a page in. Each is read
// again at every build, for its signature: a picture replaced by another
// of the same size is copied again.
func (b *builder) writeResources(ctx context.Context) diag.List {
	type copyOf struct {
		res content.Resource
		rel string
	}
	var copies []copyOf
	for _, list := range [][]*content.Page{b.site.Pages, b.site.Headless} {
		for _, p := range list {
			for _, r := range p.Resources {
				copies = append(copies, copyOf{r, strings.TrimPrefix(p.Path, "/") + r.Name})
			}
		}
	}
	return parallel(ctx, copies, func(c copyOf) diag.List {
		// A picture was read for its copies, and signed then: it is read
		// again only to be written.
		var data []byte
		var dsum uint64
		if pc := b.pics[c.res.File]; pc != nil && pc.key != "" {
			dsum = pc.sum
		} else {
			var err error
			if data, err = fs.ReadFile(b.opts.Source, c.res.File); err != nil {
				return diag.List{diag.Errorf(c.res.File, 0, 0, "cannot read: %v", err)}
			}
			dsum = dataSum(data)
		}
		s := b.base("", c.rel)
		s.str(c.res.File)
		s.num(dsum)
		sum := s.sum()
		if b.unchanged(c.rel, sum) {
			return nil
		}
		if data == nil {
			var err error
			if data, err = fs.ReadFile(b.opts.Source, c.res.File); err != nil {
				return diag.List{diag.Errorf(c.res.File, 0, 0, "cannot read: %v", err)}
			}
		}
		if err := b.out.write(c.rel, picture.Clean(c.res.File, data)); err != nil {
			return diag.List{diag.Errorf(c.res.File, 0, 0, "%v", err)}
		}
		b.record(c.rel, sum, nil)
		return nil
	})
}

// templateFor picks the most specific template that exists for a page.
func (b *builder) templateFor(p *content.Page) string {
	names := templateNames(p)
	for _, n := range names {
		if b.tmpl.Has(n) {
			return n
		}
	}
	return names[len(names)-1]
}

// templateNames are the templates that may draw p, the first that exists
// wins. The front matter's type and layout come first, as in Hugo:
// layouts/TYPE/LAYOUT.html, layouts/LAYOUT.html, layouts/TYPE/single.html
// (list.html for lists), then the kind's own and the default.
func templateNames(p *content.Page) []string {
	var names []string
	kind := "list"
	if p.Kind == content.KindSingle {
		kind = "single"
	}
	if p.Layout != "" {
		if p.LayoutType != "" {
			names = append(names, p.LayoutType+"/"+p.Layout+".html")
		}
		names = append(names, p.Layout+".html")
	}
	if p.LayoutType != "" {
		names = append(names, p.LayoutType+"/"+kind+".html")
	}
	switch p.Kind {
	case content.KindSingle:
		names = append(names, p.Type+".html", "single.html")
	case content.KindSection:
		names = append(names, p.Type+"-list.html", "section.html", "list.html")
	default:
		names = append(names, p.Kind+".html", "list.html")
	}
	return names
}

// renderSingles renders every single page: Markdown, template, minify,
// write, one page per worker at a time. The summary made on the way is kept
// for the lists and feeds rendered after.
func (b *builder) renderSingles(ctx context.Context) diag.List {
	var singles []*content.Page
	for _, p := range b.site.Pages {
		if p.Kind == content.KindSingle && b.renders(p) {
			singles = append(singles, p)
		}
	}
	return parallel(ctx, singles, func(p *content.Page) diag.List {
		s := b.base(b.templateFor(p), outFile(p.Path))
		s.num(b.sigs[p])
		sum := s.sum()
		if b.unchanged(outFile(p.Path), sum) {
			return nil
		}
		v := b.newView(p, p.Path)
		res, errs := b.renderBody(p, v)
		b.indexPage(p, res)
		errs = append(errs, b.page(p, p.Path, v)...)
		if !errs.HasErrors() {
			b.record(outFile(p.Path), sum, v)
		}
		b.broke(p, p.Path, errs)
		// A single's Markdown is needed once: letting it go keeps a large
		// site's build within its memory budget.
		p.Body = nil
		return errs
	})
}

// renders reports whether this build renders p's files.
func (b *builder) renders(p *content.Page) bool { return b.only == nil || b.only[p] }

// renderBody renders a page's Markdown into its view; the result is nil
// for a page without body.
func (b *builder) renderBody(p *content.Page, v *view) (*markdown.Result, diag.List) {
	if err := p.ReadBody(b.opts.Source); err != nil {
		return nil, diag.List{diag.Errorf(p.File, 0, 0, "%v", err)}
	}
	if len(p.Body) == 0 {
		v.Summary = p.Summary
		return nil, nil
	}
	res := b.shortcodes.Render(shortcode.Doc{
		Doc:  markdown.Doc{Source: p.Body, File: p.File, Line: p.BodyLine, Resolve: b.resolver(p, v), Picture: b.pictureHook(p)},
		Lang: p.Lang, Page: p, Site: v.Site, Params: p.Params, SiteParams: b.cfg.Params,
		T:     func(key string, args ...any) string { return b.tmpl.T(p.Lang, key, args...) },
		Named: func(name string) []string { return b.pagesNamed(p.Lang, name, v) },
	})
	v.Content = template.HTML(res.HTML)
	if p.TOC {
		v.TOC = markdown.TOCHTML(res.TOC, b.tmpl.T(p.Lang, "toc"))
	}
	if p.Summary == "" {
		b.summary.Store(p.File, markdown.Summary(res.Text, summaryRunes))
	}
	v.Summary = b.summaryOf(p)
	if b.check {
		b.links.add(p, res)
	}
	return res, res.Diags
}

// page executes a page's template into the file for sitePath.
func (b *builder) page(p *content.Page, sitePath string, v *view) diag.List {
	buf := b.getBuf()
	defer b.putBuf(buf)
	if err := b.tmpl.Execute(buf, p.Lang, b.templateFor(p), v); err != nil {
		return diag.List{b.atPage(p, err)}
	}
	return b.writeHTML(p, sitePath, buf.Bytes())
}

func (b *builder) writeHTML(p *content.Page, sitePath string, html []byte) diag.List {
	min := b.getBuf()
	defer b.putBuf(min)
	html = eagerFirst(html)
	// A Buffer is read in place by the minifier; a Reader would be copied.
	if err := b.min.Minify("text/html", min, bytes.NewBuffer(html)); err != nil {
		return diag.List{b.atPage(p, fmt.Errorf("minifying the HTML: %v", err))}
	}
	if err := b.out.write(outFile(sitePath), min.Bytes()); err != nil {
		return diag.List{b.atPage(p, err)}
	}
	return nil
}

// atPage names the page a template error happened on, since the template's
// own position alone does not say which content broke it.
func (b *builder) atPage(p *content.Page, err error) *diag.Diagnostic {
	var d *diag.Diagnostic
	if de, ok := err.(*diag.Diagnostic); ok {
		d = de
		d.Msg += " (rendering " + describePage(p) + ")"
		return d
	}
	return diag.Errorf(p.File, 0, 0, "%v", err)
}

func describePage(p *content.Page) string {
	if p.File != "" {
		return p.File
	}
	return p.Path
}

// outFile maps a site path to the file that serves it, as a slash path
// under the output folder: "/tin-tuc/x/" → "tin-tuc/x/index.html".
func outFile(sitePath string) string {
	rel := strings.TrimPrefix(sitePath, "/")
	if rel == "" || strings.HasSuffix(rel, "/") {
		return rel + "index.html"
	}
	return rel
}

// renderLists renders homes, sections, taxonomies and terms, a file per
// page of each list.
func (b *builder) renderLists(ctx context.Context) diag.List {
	var lists []*content.Page
	for _, p := range b.site.Pages {
		if p.Kind != content.KindSingle && b.renders(p) {
			lists = append(lists, p)
		}
	}
	return parallel(ctx, lists, func(p *content.Page) diag.List {
		var errs diag.List
		items, per, total := b.paginate(p)
		seg := b.tmpl.T(p.Lang, "pageSegment")
		pagePath := func(n int) string {
			if n == 1 {
				return p.Path
			}
			return p.Path + seg + "/" + strconv.Itoa(n) + "/"
		}
		for n := 1; n <= total; n++ {
			lo, hi := (n-1)*per, min(n*per, len(items))
			rel := outFile(pagePath(n))
			s := b.base(b.templateFor(p), rel)
			s.num(b.sigs[p], uint64(n), uint64(total))
			for _, q := range items[lo:hi] {
				s.num(b.sigs[q])
			}
			sum := s.sum()
			if b.unchanged(rel, sum) {
				continue
			}
			v := b.newView(p, pagePath(n))
			var own diag.List // this page's, not the list's others
			if n == 1 {
				_, own = b.renderBody(p, v)
			} else {
				v.Summary = b.summaryOf(p)
			}
			v.Items = items[lo:hi]
			if total > 1 {
				pg := &pager{Number: n, Total: total}
				if n > 1 {
					pg.Prev = b.rel(pagePath(n - 1))
					v.Title += " – " + b.tmpl.T(p.Lang, "pageN", n)
				}
				if n < total {
					pg.Next = b.rel(pagePath(n + 1))
				}
				for _, i := range pagerWindow(n, total) {
					if i == 0 {
						pg.Links = append(pg.Links, pagerLink{}) // a gap, shown as "…"
						continue
					}
					pg.Links = append(pg.Links, pagerLink{Number: i, URL: b.rel(pagePath(i)), Current: i == n})
				}
				v.Pager = pg
			}
			own = append(own, b.page(p, pagePath(n), v)...)
			if !own.HasErrors() {
				b.record(rel, sum, v)
			}
			errs = append(errs, own...)
			b.broke(p, pagePath(n), own)
		}
		return errs
	})
}

// paginate says what list p shows: its items, how many a page, and in how
// many pages.
func (b *builder) paginate(p *content.Page) (items []*content.Page, per, total int) {
	per, items = b.cfg.Paginate, p.Pages
	if p.Kind == content.KindHome || p.Kind == content.KindTaxonomy || isCatalogue(p) {
		per = len(items) // a home shows the latest; a taxonomy all its terms
		if p.Kind == content.KindHome && len(items) > b.cfg.Paginate {
			items = items[:b.cfg.Paginate]
		}
	}
	return items, per, max(1, (len(items)+per-1)/max(per, 1))
}

// htmlTotal counts the HTML files the build publishes: each page, each
// page of each list, the aliases, the search and feedback pages and
// 404.html.
func (b *builder) htmlTotal() int {
	n := len(b.site.Aliases) + len(b.searchPage) + b.feedbackTotal() + 1
	for _, p := range b.site.Pages {
		if p.Kind == content.KindSingle {
			n++
		} else {
			_, _, total := b.paginate(p)
			n += total
		}
	}
	return n
}

// pagerWindow lists the page numbers a pager links from page n of total:
// the first and last, and two either side of n, with 0 where numbers are
// left out. Linking every page would make a long list's pages grow with
// its length, and the whole list quadratic.
func pagerWindow(n, total int) []int {
	var out []int
	for i := 1; i <= total; i++ {
		if i == 1 || i == total || (i >= n-2 && i <= n+2) {
			out = append(out, i)
		} else if len(out) > 0 && out[len(out)-1] != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// isCatalogue reports whether a section lists records that its page
// groups and totals whole (newsletters, broadcasts, banners, documents),
// rather than a paginated stream of articles.
func isCatalogue(p *content.Page) bool {
	switch p.Type {
	case content.TypeNewsletter, content.TypeBroadcast, content.TypeBanner, content.TypeDocument:
		return p.Kind == content.KindSection
	}
	return false
}

// renderAliases writes a small redirecting page at each alias.
func (b *builder) renderAliases(ctx context.Context) diag.List {
	return parallel(ctx, b.site.Aliases, func(a content.Alias) diag.List {
		if !b.renders(a.To) {
			return nil
		}
		s := b.base("alias.html", outFile(a.Path))
		s.num(b.sigs[a.To])
		sum := s.sum()
		if b.unchanged(outFile(a.Path), sum) {
			return nil
		}
		v := b.newView(a.To, a.To.Path)
		buf := b.getBuf()
		defer b.putBuf(buf)
		if err := b.tmpl.Execute(buf, a.To.Lang, "alias.html", v); err != nil {
			errs := diag.List{b.atPage(a.To, err)}
			b.broke(a.To, a.Path, errs)
			return errs
		}
		errs := b.writeHTML(a.To, a.Path, buf.Bytes())
		if errs == nil {
			b.record(outFile(a.Path), sum, v)
		}
		return errs
	})
}

// render404 writes 404.html at the root in the default language, the page
// web servers are told to show for a missing URL.
func (b *builder) render404(ctx context.Context) diag.List {
	lang := b.cfg.DefaultLanguage
	p := &content.Page{Kind: "404", Type: content.TypePage, Lang: lang, Title: b.tmpl.T(lang, "notFound"), Path: "/404.html"}
	s := b.base("404.html", "404.html")
	sum := s.sum()
	if b.unchanged("404.html", sum) {
		return nil
	}
	v := b.newView(p, "/404.html")
	v.Canonical = ""
	buf := b.getBuf()
	defer b.putBuf(buf)
	if err := b.tmpl.Execute(buf, lang, "404.html", v); err != nil {
		errs := diag.List{b.atPage(p, err)}
		b.broke(p, p.Path, errs)
		return errs
	}
	errs := b.writeHTML(p, "/404.html", buf.Bytes())
	if errs == nil {
		b.record("404.html", sum, v)
	}
	return errs
}

// writeFeeds writes an RSS feed per language and per section and term.
func (b *builder) writeFeeds(ctx context.Context) diag.List {
	var lists []*content.Page
	for _, p := range b.site.Pages {
		if (p.Kind == content.KindHome || p.Kind == content.KindSection || p.Kind == content.KindTerm) && b.renders(p) {
			lists = append(lists, p)
		}
	}
	return parallel(ctx, lists, func(p *content.Page) diag.List {
		rel := p.Path + "index.xml"
		s := b.base("", rel)
		s.num(b.sigs[p])
		for _, q := range p.Pages[:min(len(p.Pages), feedItems)] {
			s.num(b.sigs[q])
		}
		sum := s.sum()
		if b.unchanged(strings.TrimPrefix(rel, "/"), sum) {
			return nil
		}
		lang := b.cfg.Languages[p.Lang]
		title := lang.Title
		if p.Kind != content.KindHome {
			title = p.Title + " – " + lang.Title
		}
		ch := &feed.Channel{Title: title, Link: b.abs(p.Path), Description: lang.Description, Language: p.Lang,
			SelfURL: b.abs(p.Path + "index.xml"), Generator: "sxsh"}
		if ch.Description == "" {
			ch.Description = title
		}
		for i, q := range p.Pages {
			if i == feedItems {
				break
			}
			ch.Items = append(ch.Items, feed.Item{Title: q.Title, Link: b.abs(q.Path), GUID: b.abs(q.Path),
				Description: b.summaryOf(q), Published: q.Date, Categories: q.Categories})
		}
		buf := b.getBuf()
		defer b.putBuf(buf)
		if err := feed.Write(buf, ch); err != nil {
			return diag.List{b.atPage(p, err)}
		}
		return b.writeXML(rel, sum, buf.Bytes())
	})
}

// writeXML minifies and writes an XML file rendered from what sum says.
func (b *builder) writeXML(rel string, sum uint64, data []byte) diag.List {
	rel = strings.TrimPrefix(rel, "/")
	min := b.getBuf()
	defer b.putBuf(min)
	if err := b.min.Minify("application/xml", min, bytes.NewBuffer(data)); err != nil {
		return diag.List{diag.Errorf("", 0, 0, "minifying %s: %v", rel, err)}
	}
	if err := b.out.write(rel, min.Bytes()); err != nil {
		return diag.List{diag.Errorf("", 0, 0, "%v", err)}
	}
	b.record(rel, sum, nil)
	return nil
}

// writeSitemap writes sitemap.xml, with every translated page's
// alternates, and robots.txt pointing to it.
func (b *builder) writeSitemap(ctx context.Context) diag.List {
	var errs diag.List
	robots := sitemap.Robots(b.abs("/sitemap.xml"))
	rs := b.base("", "robots.txt")
	robotsSum := rs.sum()
	if !b.unchanged("robots.txt", robotsSum) {
		if err := b.out.write("robots.txt", []byte(robots)); err != nil {
			errs.Add(diag.Errorf("", 0, 0, "%v", err))
		}
		b.record("robots.txt", robotsSum, nil)
	}
	s := b.base("", "sitemap.xml")
	for _, p := range b.site.Pages {
		if !inSitemap(p) {
			continue
		}
		s.str(p.Path, p.Sitemap.ChangeFreq)
		s.num(uint64(p.Lastmod.UnixNano()), math.Float64bits(p.Sitemap.Priority))
		for _, t := range p.Translations {
			s.str(t.Lang, t.Path)
		}
	}
	sum := s.sum()
	if b.unchanged("sitemap.xml", sum) {
		return errs
	}
	var urls []sitemap.URL
	for _, p := range b.site.Pages {
		if !inSitemap(p) {
			continue
		}
		u := sitemap.URL{Loc: b.abs(p.Path), Lastmod: p.Lastmod, ChangeFreq: p.Sitemap.ChangeFreq, Priority: p.Sitemap.Priority}
		if len(p.Translations) > 0 {
			v := b.newView(p, p.Path)
			for _, a := range v.Alternates {
				u.Alternates = append(u.Alternates, sitemap.Alternate{Lang: a.Lang, Href: a.URL})
			}
			u.Alternates = append(u.Alternates, sitemap.Alternate{Lang: "x-default", Href: v.XDefault})
		}
		urls = append(urls, u)
	}
	buf := b.getBuf()
	defer b.putBuf(buf)
	if err := sitemap.Write(buf, urls); err != nil {
		return append(errs, diag.Errorf("", 0, 0, "%v", err))
	}
	return append(errs, b.writeXML("sitemap.xml", sum, buf.Bytes())...)
}

// inSitemap reports whether sitemap.xml lists p: not when its front matter
// says sitemap.disable, nor when it is kept out of every list.
func inSitemap(p *content.Page) bool {
	return !p.Sitemap.Disable && p.Build.List != content.BuildNever
}

// resolver returns the function that rewrites a page's link destinations:
// links to Markdown files become the URL of their page, site paths get the
// base URL's path, and anything else is left as written.
func (b *builder) resolver(p *content.Page, v *view) func(dest string, image bool) (string, error) {
	return func(dest string, image bool) (string, error) {
		if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "//") || hasScheme(dest) {
			return dest, nil
		}
		target, frag, _ := strings.Cut(dest, "#")
		if frag != "" {
			frag = "#" + frag
		}
		target, query, _ := strings.Cut(target, "?")
		if query != "" {
			query = "?" + query
		}
		if strings.HasSuffix(target, ".md") {
			file := path.Join(path.Dir(p.File), target)
			if strings.HasPrefix(target, "/") {
				// From the top of the page's own content folder: content/,
				// or its language's contentDir.
				root := content.Dir
				if l := b.cfg.Languages[p.Lang]; l != nil && l.ContentDir != "" {
					root = l.ContentDir
				}
				file = path.Join(root, target)
			}
			b.dependOn(v, "md:"+file)
			q := b.site.ByFile[file]
			if q == nil {
				other := strings.TrimSuffix(file, ".md") + "." + p.Lang + ".md"
				b.dependOn(v, "md:"+other)
				q = b.site.ByFile[other]
			}
			if q == nil {
				if to, ok := b.leftOutPath(file, p.Lang); ok {
					// The page is broken, and its own errors say
					// so: the link leads to where it will be.
					if to == "" {
						return dest, nil
					}
					return b.rel(to) + query + frag, nil
				}
				return dest, fmt.Errorf("no published page comes from %s (check the file name, or whether it is a draft)", file)
			}
			return b.rel(q.Path) + query + frag, nil
		}
		if strings.HasPrefix(target, "/") {
			file := target // as on disk: /images/%E1%BA%A3nh.jpg is ảnh.jpg
			if u, err := url.PathUnescape(target); err == nil {
				file = u
			}
			// A bundle's file, written from /: its content is what the
			// page's copies of it depend on.
			if r, ok := b.site.ResourceAt(file); ok {
				b.dependOn(v, "res:"+p.Lang+":"+r.File)
			}
			b.dependOn(v, "asset:"+strings.TrimPrefix(file, "/"))
			if a, ok := b.assets[strings.TrimPrefix(file, "/")]; ok {
				return b.rel("/"+a.out) + query + frag, nil
			}
			return b.rel(target) + query + frag, nil
		}
		// A relative path may name a file of a page bundle: the page's
		// own ("anh.jpg") or another's ("../thu-vien/anh.jpg").
		name := target
		if u, err := url.PathUnescape(target); err == nil {
			name = u
		}
		if file := content.LinkedFile(p, name); file != "" {
			b.dependOn(v, "res:"+p.Lang+":"+file)
			if u, ok := b.site.ResourceURL(file, p.Lang); ok {
				return b.rel(u) + query + frag, nil
			}
			if image && p.IsBundle() {
				return dest, fmt.Errorf("no file %s: put the picture beside the page's index file, or in static/ and write its path from / (/images/…)", file)
			}
		}
		if !image {
			return dest, nil
		}
		if hint, ok := b.staticHint(name); ok {
			return dest, fmt.Errorf("%s", hint)
		}
		// A picture the browser would look for beside the page's address:
		// a file of static/ there, or of a bundle published there, is fine.
		at := path.Join(path.Dir(p.Path+"x"), name)
		b.dependOn(v, "asset:"+strings.TrimPrefix(at, "/"))
		if _, ok := b.assets[strings.TrimPrefix(at, "/")]; ok {
			return dest, nil
		}
		if _, ok := b.site.ResourceAt(at); ok {
			return dest, nil
		}
		return dest, fmt.Errorf("no picture at %s, where this relative path leads from the page's address: put the file in static/ and write its path from / (/images/%s), or make the page a bundle (a folder with index.md) with the picture beside it", at, path.Base(name))
	}
}

// pagesNamed returns the addresses of the pages in lang whose file is
// named name: name.md, name.<lang>.md, or the index or _index file of a
// folder of that name. A ref by a bare name that is not beside the page
// is one of them, as Hugo resolves it.
func (b *builder) pagesNamed(lang, name string, v *view) []string {
	var out []string
	for _, q := range b.site.Pages {
		if q.Lang != lang || q.File == "" || q.Kind == content.KindHome {
			continue
		}
		stem := strings.TrimSuffix(strings.TrimSuffix(path.Base(q.File), ".md"), "."+lang)
		if stem == "index" || stem == "_index" {
			stem = path.Base(path.Dir(q.File))
		}
		if stem == name {
			b.dependOn(v, "md:"+q.File)
			out = append(out, b.rel(q.Path))
		}
	}
	return out
}

// dependOn notes that v's render looked dep up (see depInto), for the
// memory that the next build compares with; sxsh check keeps none.
func (b *builder) dependOn(v *view, dep string) {
	if b.mem != nil {
		v.deps = append(v.deps, dep)
	}
}

// hasScheme reports whether s starts with a URL scheme such as https: or
// mailto:.
func hasScheme(s string) bool {
	for i, c := range s {
		switch {
		case c == ':':
			return i > 0
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return false
}
