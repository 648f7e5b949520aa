// Package content reads a site's content/ folder from an fs.FS: it splits
// each Markdown file's front matter (TOML, YAML or JSON) from its body,
// builds typed pages of each kind, gives every page its URL, links
// translations, and collects sections and taxonomy terms. It renders
// nothing.
package content

import (
	"time"
)

// Page kinds, as templates see them in .Page.Kind.
const (
	KindHome     = "home"     // a language's home page
	KindSection  = "section"  // a section's list, from _index.<lang>.md
	KindSingle   = "single"   // one article, newsletter issue, broadcast, banner, document or page
	KindTaxonomy = "taxonomy" // the list of a taxonomy's terms
	KindTerm     = "term"     // the pages of one category or tag
)

// Types of single pages, decided by the top-level folder under content/.
const (
	TypeArticle    = "article"
	TypeNewsletter = "newsletter"
	TypeBroadcast  = "broadcast"
	TypeBanner     = "banner"
	TypeDocument   = "document"
	TypePage       = "page"
)

// sectionTypes maps a top-level content folder to the type of its pages.
var sectionTypes = map[string]string{
	"articles":    TypeArticle,
	"newsletters": TypeNewsletter,
	"broadcasts":  TypeBroadcast,
	"banners":     TypeBanner,
	"documents":   TypeDocument,
}

// Common is the front matter that every page may have.
type Common struct {
	Title          string         `toml:"title"`
	Date           Date           `toml:"date"`
	Lastmod        Date           `toml:"lastmod"`
	PublishDate    Date           `toml:"publishDate"`
	ExpiryDate     Date           `toml:"expiryDate"`
	Summary        string         `toml:"summary"`
	Slug           string         `toml:"slug"`
	TranslationKey string         `toml:"translationKey"`
	Categories     []string       `toml:"categories"`
	Tags           []string       `toml:"tags"`
	Image          string         `toml:"image"`
	Draft          bool           `toml:"draft"`
	Weight         int            `toml:"weight"`
	Aliases        []string       `toml:"aliases"`
	Headless       bool           `toml:"headless"`
	Params         map[string]any `toml:"params"`

	// Keys that Hugo sites use, with Hugo's meaning (see hugo.go).
	Description string         `toml:"description"`
	Keywords    []string       `toml:"keywords"`
	LinkTitle   string         `toml:"linkTitle"`
	Author      string         `toml:"author"`
	Authors     []string       `toml:"authors"`
	Type        string         `toml:"type"`
	Layout      string         `toml:"layout"`
	URL         string         `toml:"url"`
	Outputs     []string       `toml:"outputs"`
	Menu        any            `toml:"menu"`
	Menus       any            `toml:"menus"`
	TOC         bool           `toml:"toc"`
	Math        bool           `toml:"math"`
	Build       BuildOptions   `toml:"build"`
	OldBuild    BuildOptions   `toml:"_build"`
	Sitemap     SitemapOptions `toml:"sitemap"`
	Cascade     map[string]any `toml:"cascade"`
}

// Article is the front matter of a news or guidance article.
type Article struct {
	// Author is the front matter's author (a key every page may have),
	// or the first of its authors.
	Author string `toml:"-"`
	Source string `toml:"source"`
}

// Page is one page of the built site, written or generated.
type Page struct {
	Kind string // KindHome, KindSection, …
	Type string // TypeArticle, …, for singles; the section's type for lists
	Lang string
	// File is the source's slash path relative to the site directory
	// ("content/articles/x.vi.md"); empty for generated pages.
	File string
	// Sum fingerprints the source file's bytes: a page whose Sum is the
	// same says the same.
	Sum uint64
	// Section is the top-level content folder ("articles"), empty at the
	// root: it decides the type of the pages under it, at any depth.
	Section string
	// Key links translations: the translationKey, or the file's path without
	// language suffix.
	Key string

	Title       string
	Summary     string // from front matter; the site fills it from the text when empty
	Slug        string
	Date        time.Time
	Lastmod     time.Time // Date when not set
	PublishDate time.Time
	ExpiryDate  time.Time
	Categories  []string
	Tags        []string
	Image       string
	Draft       bool
	Future      bool // publishDate or date after the build time (built with --drafts)
	Weight      int
	Aliases     []string
	Params      map[string]any
	// Headless is set on a page bundle that has no page of its own: its
	// resources are published, for other pages to show.
	Headless bool
	// Resources are the files of the page's bundle that are not Markdown,
	// by name; the translations of a bundle share them.
	Resources []Resource

	// Description is for search engines and link previews; empty, the
	// summary serves.
	Description string
	Keywords    []string
	// LinkTitle is the short title that menus and breadcrumbs show: the
	// front matter's linkTitle, or Title.
	LinkTitle string
	// Authors are the front matter's author and authors, in that order.
	Authors []string
	// Layout and LayoutType choose the page's template (see the README's
	// "Templates"); both are empty for the usual one.
	Layout, LayoutType string
	// Outputs are the formats the front matter asks for, as written.
	Outputs []string
	// Menus are the menu entries the front matter adds.
	Menus []MenuEntry
	// TOC is false when the front matter turns the contents list off.
	TOC bool
	// Math is set when the front matter asks for formulas, which sxsh
	// shows as typed.
	Math    bool
	Build   BuildOptions
	Sitemap SitemapOptions
	// url is the address the front matter gives, "" for none.
	url string
	// cascade holds what an _index page passes down to the pages below;
	// took names the keys a page took from its ancestors' cascades.
	cascade *cascade
	took    []string

	// The kind's own front matter: one is set for a single page of that
	// type, the others are nil.
	Article    *Article
	Newsletter *Newsletter
	Broadcast  *Broadcast
	Banner     *Banner
	Document   *Document

	// Body is the Markdown after the front matter; BodyLine its first line.
	Body     []byte
	BodyLine int

	// Path is the page's site path, "/tin-tuc/x/", without the base URL's
	// path; Path of the 404 page is "/404.html".
	Path string
	// Translations are the same page in the site's other languages, in
	// language order.
	Translations []*Page
	// Parent is the section or home page above this one: for a page, the
	// section of its folder or of the nearest folder above that is one.
	Parent *Page
	// Sections are the sections right below a home or section page, in
	// list order.
	Sections []*Page
	// Pages are the pages listed by a home, section or term page, newest
	// first; for a taxonomy page, its term pages by name.
	Pages []*Page
	// Terms maps a taxonomy name to this page's term pages.
	Terms map[string][]*Page
	// Taxonomy names the taxonomy of a taxonomy or term page.
	Taxonomy string

	// src is where the page's file is in the content tree.
	src source
	// stem is the file name without language suffix and extension, or a
	// leaf bundle's folder name: the default slug.
	stem string
	// meta lines for diagnostics about values found after decoding
	fm []byte
	// fmLine is the line in File where the front matter starts
	fmLine int
	// fmLines, for YAML and JSON front matter, which fm holds as TOML, is
	// the line in File of each line of fm.
	fmLines []int
	// termSlugs are the slugs of Categories and Tags.
	termSlugs [2][]string
	// unread is set on a page taken from a Cache whose body is not in
	// memory: ReadBody reads it.
	unread bool
}

// IsTranslated reports whether the page has a translation.
func (p *Page) IsTranslated() bool { return len(p.Translations) > 0 }

// Translation returns the page's translation into lang, or nil.
func (p *Page) Translation(lang string) *Page {
	for _, t := range p.Translations {
		if t.Lang == lang {
			return t
		}
	}
	return nil
}

// FirstSection returns the top-level section the page is in, or nil for
// a page outside every section: the "all news" of an article in
// articles/2024/ is articles/.
func (p *Page) FirstSection() *Page {
	var top *Page
	for q := p; q != nil; q = q.Parent {
		if q.Kind == KindSection {
			top = q
		}
	}
	return top
}

// IsBundle reports whether the page's folder holds its resources: the
// page is a bundle's index or _index file.
func (p *Page) IsBundle() bool { return p.src.bundle }

// IsList reports whether the page lists other pages.
func (p *Page) IsList() bool { return p.Kind != KindSingle }
