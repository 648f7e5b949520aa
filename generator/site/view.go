package site

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"sxsh/generator/catalog"
	"sxsh/generator/config"
	"sxsh/generator/content"
	"sxsh/generator/vitext"
)

// view is what a template receives as its dot.
type view struct {
	Site *siteView
	Page *content.Page
	// Title is the document's <title>.
	Title string
	// Content and TOC are a single page's rendered body and contents list.
	Content template.HTML
	TOC     template.HTML
	// Summary is the page's summary, from front matter or its text.
	Summary string
	// Items are the pages a list shows on this page of it; Pager links its
	// other pages.
	Items []*content.Page
	Pager *pager
	// Alternates are the page in every language, for hreflang; empty when
	// the page has no translation.
	Alternates []alternate
	// XDefault is the URL of the default language's version, for the
	// x-default alternate.
	XDefault string
	// Languages is the language switcher: every other language, linked to
	// the translation or, where none exists, to that language's home.
	Languages []alternate
	Crumbs    []crumb
	Canonical string
	// Now is the build time, for "upcoming" and the copyright year.
	Now time.Time
	// Feedback is the form of the feedback page; nil elsewhere, and there
	// too without a [counter] endpoint to post it to.
	Feedback *feedbackForm
	// SearchManifest is the URL of the search index's manifest, on the
	// search page.
	SearchManifest string
	// SearchIndex is that manifest's JSON, which the search page carries
	// so that its script has nothing to fetch before the shards.
	SearchIndex string
	catalog     *catalog.Catalog
	// What the render looked up, for a Session's signatures: the
	// catalogue, and the files that Markdown links resolved against.
	usedCatalog bool
	deps        []string
	b           *builder
}

// Description is what search engines and link previews show: the front
// matter's description, or the summary.
func (v *view) Description() string { return cmp.Or(v.Page.Description, v.Summary) }

// Catalog holds the figures computed from newsletters, broadcasts,
// banners and documents of the page's language.
func (v *view) Catalog() *catalog.Catalog {
	v.usedCatalog = true
	return v.catalog
}

// Everywhere is what is the same on every page of the language: the site
// (its menu with no item marked current) and the build time. It is the dot
// of the footer, which is drawn once per language (partialCached), so that
// a footer that reads a page's data fails to build rather than showing
// the first page's on every page.
func (v *view) Everywhere() *everywhere {
	return &everywhere{Site: v.b.sites[v.Page.Lang], Now: v.Now}
}

type everywhere struct {
	Site *siteView
	Now  time.Time
}

type siteView struct {
	Lang, LanguageName, Title, Description, Copyright string
	Menu                                              []menuItem
	Contact                                           config.Contact
	TrustBadge                                        config.TrustBadge
	Zalo                                              string
	Home                                              string // URL of this language's home
	Search                                            string // URL of this language's search page
	Feedback                                          string // URL of this language's feedback page
	Feed                                              string // URL of this language's RSS feed
	Counter                                           string // the visitor counter endpoint, "" for none
	Params                                            map[string]any
	// Portals link other state agencies' portals; Organisation is what
	// the organisation page shows (see config.Organisation).
	Portals      []config.Portal
	Organisation config.Organisation
}

type menuItem struct {
	Name, URL string
	Active    bool
}

type alternate struct {
	Lang, Name, URL string
	// Translated is false when URL is the language's home because the page
	// has no translation into it.
	Translated bool
}

type crumb struct{ Name, URL string }

type pager struct {
	Number, Total int
	Prev, Next    string
	Links         []pagerLink
}

type pagerLink struct {
	Number  int
	URL     string
	Current bool
}

// rel returns the URL path of a site path under the base URL's path:
// "/tin-tuc/" under https://x.gov.vn/sxsh/ is "/sxsh/tin-tuc/".
func (b *builder) rel(sitePath string) string {
	if strings.Contains(sitePath, "://") || strings.HasPrefix(sitePath, "//") {
		return sitePath
	}
	return b.cfg.Base.Path + strings.TrimPrefix(sitePath, "/")
}

// abs returns the absolute URL of a site path.
func (b *builder) abs(sitePath string) string {
	r := b.rel(sitePath)
	if strings.Contains(r, "://") || b.cfg.Base.Host == "" {
		return r
	}
	return b.cfg.Base.Scheme + "://" + b.cfg.Base.Host + r
}

// siteViews is built once per language per build.
func (b *builder) siteView(lang string) *siteView {
	l := b.cfg.Languages[lang]
	sv := &siteView{Lang: lang, LanguageName: l.LanguageName, Title: l.Title, Description: l.Description,
		Copyright: l.Copyright, Contact: l.Contact, TrustBadge: b.cfg.TrustBadge, Zalo: b.cfg.Zalo,
		Home: b.rel(b.cfg.LangPrefix(lang)), Feed: b.rel(b.cfg.LangPrefix(lang) + "index.xml"),
		Search: b.rel(b.searchPage[lang].Path), Feedback: b.rel(b.feedback[lang].form.Path),
		Counter: b.cfg.Counter.Endpoint, Params: b.cfg.Params, Portals: l.Portals, Organisation: l.Organisation}
	if sv.TrustBadge.Image != "" {
		sv.TrustBadge.Image = b.assetURL(sv.TrustBadge.Image)
	}
	for _, m := range b.menu(lang) {
		sv.Menu = append(sv.Menu, menuItem{Name: m.Name, URL: b.rel(m.URL)})
	}
	return sv
}

// newView fills what every page's view has.
func (b *builder) newView(p *content.Page, sitePath string) *view {
	sv := *b.sites[p.Lang]
	sv.Menu = make([]menuItem, len(sv.Menu))
	here := b.rel(sitePath)
	best := -1
	for i, m := range b.sites[p.Lang].Menu {
		sv.Menu[i] = m
		if strings.HasPrefix(here, m.URL) && (best < 0 || len(m.URL) > len(sv.Menu[best].URL)) {
			best = i
		}
	}
	if best >= 0 {
		sv.Menu[best].Active = true
	}
	v := &view{Site: &sv, Page: p, Canonical: b.abs(sitePath), Now: b.opts.Now, catalog: b.catalogs[p.Lang], b: b}
	v.Title = p.Title
	if p.Kind != content.KindHome && sv.Title != "" {
		v.Title = p.Title + " – " + sv.Title
	}
	if len(p.Translations) > 0 {
		all := append([]*content.Page{p}, p.Translations...)
		for _, lang := range b.cfg.Langs() {
			for _, q := range all {
				if q.Lang == lang {
					v.Alternates = append(v.Alternates, alternate{Lang: lang, URL: b.abs(q.Path), Translated: true})
					if lang == b.cfg.DefaultLanguage {
						v.XDefault = b.abs(q.Path)
					}
				}
			}
		}
		if v.XDefault == "" {
			v.XDefault = v.Alternates[0].URL
		}
	}
	for _, lang := range b.cfg.Langs() {
		if lang == p.Lang {
			continue
		}
		a := alternate{Lang: lang, Name: b.cfg.Languages[lang].LanguageName}
		if t := p.Translation(lang); t != nil {
			a.URL, a.Translated = b.rel(t.Path), true
		} else {
			a.URL = b.rel(b.cfg.LangPrefix(lang))
		}
		v.Languages = append(v.Languages, a)
	}
	for q := p.Parent; q != nil; q = q.Parent {
		v.Crumbs = append([]crumb{{Name: b.crumbName(q), URL: b.rel(q.Path)}}, v.Crumbs...)
	}
	return v
}

func (b *builder) crumbName(p *content.Page) string {
	if p.Kind == content.KindHome {
		return b.tmpl.T(p.Lang, "home")
	}
	if p.Kind == content.KindTaxonomy && p.Title == "" {
		return b.tmpl.T(p.Lang, p.Taxonomy)
	}
	return cmp.Or(p.LinkTitle, p.Title)
}

// menu is a language's main menu: site.toml's items and the pages whose
// front matter adds them to menu "main", by weight, site.toml's first
// among equals.
func (b *builder) menu(lang string) []config.MenuItem {
	items := slices.Clone(b.cfg.Languages[lang].Menu)
	for _, p := range b.site.Pages {
		for _, e := range p.Menus {
			if p.Lang == lang {
				items = append(items, config.MenuItem{Name: cmp.Or(e.Name, p.LinkTitle, p.Title), URL: p.Path, Weight: e.Weight})
			}
		}
	}
	slices.SortStableFunc(items, func(x, y config.MenuItem) int { return cmp.Compare(x.Weight, y.Weight) })
	return items
}

// funcs returns the template functions for one language.
func (b *builder) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"T": func(key string, args ...any) string { return b.tmpl.T(lang, key, args...) },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return vitext.FormatDate(lang, t)
		},
		"datetime": func(t time.Time) string { return vitext.FormatDateTime(lang, t) },
		"iso":      func(t time.Time) string { return t.Format(time.RFC3339) },
		"num":      func(n any) (string, error) { return formatNum(lang, n) },
		"url":      func(p *content.Page) string { return b.rel(p.Path) },
		"absurl":   func(p *content.Page) string { return b.abs(p.Path) },
		"relURL":   b.rel,
		"absURL":   b.abs,
		"asset":    b.assetURLErr,
		"summary":  b.summaryOf,
		"lower":    strings.ToLower,
		"delimit":  func(list []string, sep string) string { return strings.Join(list, sep) },
		"add":      func(a, c int) int { return a + c },
		"urlquery": template.URLQueryEscaper,
		"filesize": func(p string) string { return b.fileSize(lang, p) },
		"img": func(p, sizes string) (template.HTMLAttr, error) {
			s, err := b.imgFor(p, sizes)
			return s.Attrs(), err
		},
		"imgset": b.imgFor,
		"partialCached": func(name string, data any, variants ...any) (template.HTML, error) {
			return b.tmpl.Partial(lang, name, data, variants...)
		},
	}
}

func formatNum(lang string, n any) (string, error) {
	switch n := n.(type) {
	case int:
		return vitext.FormatInt(lang, int64(n)), nil
	case int64:
		return vitext.FormatInt(lang, n), nil
	case float64:
		return vitext.FormatInt(lang, int64(n)), nil
	}
	return "", fmt.Errorf("num: %v is not a number", n)
}

// assetPath is the site path of the published copy of a static file, or p.
func (b *builder) assetPath(p string) string {
	if a, ok := b.assets[strings.TrimPrefix(p, "/")]; ok {
		return "/" + a.out
	}
	return p
}

func (b *builder) assetURL(p string) string { return b.rel(b.assetPath(p)) }

func (b *builder) assetURLErr(p string) (string, error) {
	if _, ok := b.assets[strings.TrimPrefix(p, "/")]; !ok {
		return "", fmt.Errorf("asset %q is not in static/", p)
	}
	return b.assetURL(p), nil
}

func (b *builder) summaryOf(p *content.Page) string {
	if p.Summary != "" {
		return p.Summary
	}
	if s, ok := b.summary.Load(p.File); ok && p.File != "" {
		return s.(string)
	}
	return ""
}

// fileSize tells the size of a static file or a bundle's file for a
// download link, in the language's number format: "18 KB", "1,2 MB" (vi)
// / "1.2 MB" (en).
func (b *builder) fileSize(lang, p string) string {
	var n int
	if r, ok := b.site.ResourceAt(p); ok {
		n = int(r.Size)
	} else if a, ok := b.assets[strings.TrimPrefix(p, "/")]; ok {
		n = len(a.data)
	} else {
		return ""
	}
	switch {
	case n < 1000:
		return vitext.FormatInt(lang, int64(n)) + " B"
	case n < 1000*1000:
		return vitext.FormatInt(lang, int64((n+500)/1000)) + " KB"
	}
	tenths := (n + 50_000) / 100_000
	sep := "."
	if lang == "vi" {
		sep = ","
	}
	return fmt.Sprintf("%s%s%d MB", vitext.FormatInt(lang, int64(tenths/10)), sep, tenths%10)
}
