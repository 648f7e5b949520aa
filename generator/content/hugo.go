package content

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"sxsh/generator/diag"
	"sxsh/generator/tomlfile"
)

// Front-matter keys that Hugo sites use are read with Hugo's meaning, so
// that content moves between the two: description and keywords for search
// engines, linkTitle in menus and breadcrumbs, author(s), type and layout
// choosing the template, url, outputs, menu entries, toc, math, build
// options, sitemap settings, and cascade on _index pages.

// BuildMode is a value of Hugo's build options: "always", "never", and for
// lists "local", for rendering "link". Hugo's older true and false read as
// "always" and "never".
type BuildMode string

// Build modes.
const (
	BuildAlways BuildMode = "always"
	BuildNever  BuildMode = "never"
	BuildLocal  BuildMode = "local" // list: only in its own section's list
	BuildLink   BuildMode = "link"  // render: no page, as never in sxsh
)

// UnmarshalTOML implements toml.Unmarshaler.
func (m *BuildMode) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case bool:
		*m = BuildNever
		if v {
			*m = BuildAlways
		}
		return nil
	case string:
		*m = BuildMode(strings.ToLower(strings.TrimSpace(v)))
		return nil
	}
	return fmt.Errorf(`expected "always", "local", "link" or "never", found %T`, v)
}

// BuildOptions say whether a page gets a page of its own and whether lists
// show it.
type BuildOptions struct {
	List   BuildMode `toml:"list"`   // always (default), local, never
	Render BuildMode `toml:"render"` // always (default), link, never
	// PublishResources is read for Hugo's sake; a bundle's files are
	// copied whenever its page is drawn.
	PublishResources *bool `toml:"publishResources"`
}

// Listed reports whether site-wide lists (the home page, categories and
// tags, feeds) show the page.
func (o BuildOptions) Listed() bool { return o.List == "" || o.List == BuildAlways }

// Rendered reports whether the page gets a page of its own.
func (o BuildOptions) Rendered() bool { return o.Render == "" || o.Render == BuildAlways }

// SitemapOptions are a page's entry in sitemap.xml.
type SitemapOptions struct {
	ChangeFreq string  `toml:"changefreq"`
	Priority   float64 `toml:"priority"`
	Disable    bool    `toml:"disable"`
}

// MenuEntry is an entry that a page's front matter adds to a menu.
type MenuEntry struct {
	Menu   string // the menu's name: "main" is the site's main menu
	Name   string // "" for the page's LinkTitle
	Weight int
}

// cascade is what an _index page passes down to every page below it that
// does not set the same key: Hugo's cascade, for the keys that make sense
// on many pages.
type cascade struct {
	Params   map[string]any  `toml:"params"`
	Type     string          `toml:"type"`
	Layout   string          `toml:"layout"`
	Image    string          `toml:"image"`
	Author   string          `toml:"author"`
	Authors  []string        `toml:"authors"`
	Keywords []string        `toml:"keywords"`
	TOC      *bool           `toml:"toc"`
	Math     *bool           `toml:"math"`
	Outputs  []string        `toml:"outputs"`
	Build    *BuildOptions   `toml:"build"`
	Sitemap  *SitemapOptions `toml:"sitemap"`
}

var (
	nameRe       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
	changeFreqs  = []string{"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}
	knownOutputs = []string{"html", "rss", "json", "amp", "calendar", "css", "csv", "markdown", "robots", "sitemap"}
)

// fillHugo takes the Hugo keys of c into p and checks them.
func (p *Page) fillHugo(c *Common) diag.List {
	var errs diag.List
	p.Description = strings.TrimSpace(c.Description)
	p.Keywords = nonEmpty(c.Keywords)
	p.LinkTitle = strings.TrimSpace(c.LinkTitle)
	if p.LinkTitle == "" {
		p.LinkTitle = p.Title
	}
	p.Authors = nonEmpty(append([]string{c.Author}, c.Authors...))
	if p.Article != nil && len(p.Authors) > 0 {
		p.Article.Author = p.Authors[0]
	}
	p.LayoutType, p.Layout = strings.TrimSpace(c.Type), strings.TrimSpace(c.Layout)
	for _, f := range badTemplateNames(p.LayoutType, p.Layout) {
		errs.Add(p.errorf(f[0], "%s %q: write a template name like \"landing\" (letters, digits, - and _), the file layouts/landing.html", f[0], f[1]))
	}
	p.TOC = c.TOC || !p.has("toc")
	p.Math = c.Math
	if p.Math {
		errs.Add(diag.Warnf(p.File, p.Line("math"), 0, "math = true: sxsh shows formulas as typed, it has no formula renderer"))
	}
	p.Outputs = c.Outputs
	errs = append(errs, p.checkOutputs()...)

	p.Build = c.Build
	if p.has("_build") {
		if p.has("build") {
			errs.Add(p.errorf("_build", "both build and _build are set: keep build"))
		}
		p.Build = c.OldBuild
	}
	errs = append(errs, p.checkBuild()...)
	p.Sitemap = c.Sitemap
	errs = append(errs, p.checkSitemap()...)

	if u := strings.TrimSpace(c.URL); u != "" {
		clean, err := cleanSitePath(u)
		switch {
		case err != nil:
			errs.Add(p.errorf("url", "url %q: %v", u, err))
		case p.Kind == KindHome:
			errs.Add(p.errorf("url", "the home page's address is set by site.toml's baseURL: remove url"))
		case path.Ext(clean) != "" && path.Ext(clean) != ".html":
			errs.Add(p.errorf("url", "url %q: a page's address ends in / or .html", u))
		default:
			if path.Ext(clean) == "" && !strings.HasSuffix(clean, "/") {
				clean += "/"
			}
			p.url = clean
		}
	}

	for _, key := range []string{"menu", "menus"} {
		v := c.Menu
		if key == "menus" {
			v = c.Menus
		}
		if v == nil {
			continue
		}
		entries, menuErrs := p.readMenus(key, v)
		p.Menus = append(p.Menus, entries...)
		errs = append(errs, menuErrs...)
	}

	if c.Cascade != nil {
		if p.Kind == KindSingle {
			errs.Add(p.errorf("cascade", "cascade passes values to the pages below an _index file; here there are none: move it to the section's _index file"))
		} else {
			errs = append(errs, p.readCascade(c.Cascade)...)
		}
	}
	return errs
}

// badTemplateNames returns the keys and values of type and layout that
// are set but cannot name a template file.
func badTemplateNames(typ, layout string) [][2]string {
	var bad [][2]string
	for _, f := range [][2]string{{"type", typ}, {"layout", layout}} {
		if f[1] != "" && !nameRe.MatchString(f[1]) {
			bad = append(bad, f)
		}
	}
	return bad
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (p *Page) checkOutputs() diag.List {
	var errs diag.List
	for _, o := range p.Outputs {
		switch o := strings.ToLower(strings.TrimSpace(o)); {
		case o == "html" || o == "rss":
		case slices.Contains(knownOutputs, o):
			errs.Add(diag.Warnf(p.File, p.Line("outputs"), 0, "outputs: sxsh makes HTML pages and RSS feeds, not %q; it is left out", o))
		default:
			errs.Add(p.errorf("outputs", "outputs: %q is not an output format; sxsh makes \"html\" pages and \"rss\" feeds", o))
		}
	}
	return errs
}

func (p *Page) checkBuild() diag.List {
	var errs diag.List
	key := "build"
	if p.has("_build") {
		key = "_build"
	}
	check := func(name string, v BuildMode, allowed ...BuildMode) {
		if v != "" && !slices.Contains(allowed, v) {
			var quoted []string
			for _, a := range allowed {
				quoted = append(quoted, fmt.Sprintf("%q", a))
			}
			errs.Add(diag.Errorf(p.File, p.Line(key, name), 0, "%s.%s %q: write one of %s", key, name, v, strings.Join(quoted, ", ")))
		}
	}
	check("list", p.Build.List, BuildAlways, BuildLocal, BuildNever)
	check("render", p.Build.Render, BuildAlways, BuildLink, BuildNever)
	if p.Kind != KindSingle && !p.Build.Rendered() {
		errs.Add(diag.Errorf(p.File, p.Line(key, "render"), 0, "sxsh draws every home and section list: remove %s.render here (to hide the pages below, give them build.render through cascade)", key))
	}
	return errs
}

func (p *Page) checkSitemap() diag.List {
	var errs diag.List
	s := &p.Sitemap
	s.ChangeFreq = strings.ToLower(strings.TrimSpace(s.ChangeFreq))
	if s.ChangeFreq != "" && !slices.Contains(changeFreqs, s.ChangeFreq) {
		errs.Add(diag.Errorf(p.File, p.Line("sitemap", "changefreq"), 0, "sitemap.changefreq %q: write one of %s", s.ChangeFreq, strings.Join(changeFreqs, ", ")))
	}
	if s.Priority < 0 || s.Priority > 1 {
		errs.Add(diag.Errorf(p.File, p.Line("sitemap", "priority"), 0, "sitemap.priority %v: write a number from 0.0 to 1.0", s.Priority))
	}
	return errs
}

// readMenus reads Hugo's three ways of naming menus: menu = "main",
// menu = ["main", "footer"], and a table of entries by menu name.
func (p *Page) readMenus(key string, v any) ([]MenuEntry, diag.List) {
	var out []MenuEntry
	var errs diag.List
	bad := func(at []string, format string, args ...any) {
		errs.Add(diag.Errorf(p.File, p.Line(at...), 0, format, args...))
	}
	switch v := v.(type) {
	case string:
		out = append(out, MenuEntry{Menu: strings.TrimSpace(v)})
	case []any:
		for _, m := range v {
			s, ok := m.(string)
			if !ok {
				bad([]string{key}, "%s: write menu names in quotes, like %s = [\"main\"]", key, key)
				continue
			}
			out = append(out, MenuEntry{Menu: strings.TrimSpace(s)})
		}
	case map[string]any:
		for _, name := range slices.Sorted(maps.Keys(v)) {
			e := MenuEntry{Menu: name}
			fields, ok := v[name].(map[string]any)
			if !ok {
				bad([]string{key, name}, "%s.%s: write the entry as a table, like [%s.%s] with weight = 10", key, name, key, name)
				continue
			}
			for _, f := range slices.Sorted(maps.Keys(fields)) {
				at := []string{key, name, f}
				switch val := fields[f]; f {
				case "name", "title":
					s, ok := val.(string)
					if !ok {
						bad(at, "%s.%s.%s: expected text in quotes", key, name, f)
					} else if f == "name" || e.Name == "" {
						e.Name = strings.TrimSpace(s)
					}
				case "weight":
					n, ok := val.(int64)
					if !ok {
						bad(at, "%s.%s.weight: expected a whole number", key, name)
					}
					e.Weight = int(n)
				case "parent":
					errs.Add(diag.Warnf(p.File, p.Line(at...), 0, "%s.%s.parent: sxsh menus have one level; the entry is shown at the top", key, name))
				case "identifier", "pre", "post", "url", "params":
					// Hugo's, for themes that draw them; the main menu
					// links the page by its title.
				default:
					msg := fmt.Sprintf("%s.%s: unknown key %q", key, name, f)
					allowed := []string{"name", "weight", "title", "parent", "identifier", "pre", "post", "url", "params"}
					if s := tomlfile.Suggest(f, allowed); s != "" {
						msg += fmt.Sprintf(" (did you mean %q?)", s)
					}
					bad(at, "%s", msg)
				}
			}
			out = append(out, e)
		}
	default:
		bad([]string{key}, "%s: write menu = \"main\", or a table [%s.main] with weight = 10", key, key)
	}
	for _, e := range out {
		if e.Menu != "main" && e.Menu != "" {
			errs.Add(diag.Warnf(p.File, p.Line(key), 0, "%s: sxsh has one menu, \"main\"; the entry in menu %q is not shown", key, e.Menu))
		}
	}
	out = slices.DeleteFunc(out, func(e MenuEntry) bool { return e.Menu != "main" })
	return out, errs
}

// readCascade decodes an _index page's cascade table, as strictly as the
// front matter itself.
func (p *Page) readCascade(raw map[string]any) diag.List {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(raw); err != nil {
		return diag.List{p.errorf("cascade", "cascade: %v", err)}
	}
	var c cascade
	errs := tomlfile.Decode(p.File, 1, buf.Bytes(), &c, "params")
	// The lines are those of the table re-encoded: name the cascade's.
	for _, d := range errs {
		d.Line, d.Col = p.Line("cascade"), 0
		d.Msg = "cascade: " + d.Msg
	}
	if errs.HasErrors() {
		return errs
	}
	for _, f := range badTemplateNames(c.Type, c.Layout) {
		errs.Add(p.errorf("cascade", "cascade: %s %q: write a template name like \"landing\"", f[0], f[1]))
	}
	if c.Image != "" && !isRemote(c.Image) {
		if _, err := cleanSitePath(c.Image); err != nil {
			errs.Add(p.errorf("cascade", "cascade: image %q: %v", c.Image, err))
		}
	}
	p.cascade = &c
	return errs
}

// Cascades reports whether the page passes values down to the pages
// below it.
func (p *Page) Cascades() bool { return p.cascade != nil }

// inherit gives p what the nearest of its ancestors pass down, for each
// key that p does not set itself.
func (p *Page) inherit() {
	for q := p.Parent; q != nil; q = q.Parent {
		c := q.cascade
		if c == nil {
			continue
		}
		str := func(key string, dst *string, v string) {
			if v != "" && !p.has(key) && !p.inherited(key) {
				*dst = v
				p.took = append(p.took, key)
			}
		}
		str("type", &p.LayoutType, c.Type)
		str("layout", &p.Layout, c.Layout)
		str("image", &p.Image, c.Image)
		if c.Author != "" || len(c.Authors) > 0 {
			if !p.has("author") && !p.has("authors") && !p.inherited("author") {
				p.Authors = nonEmpty(append([]string{c.Author}, c.Authors...))
				if p.Article != nil && len(p.Authors) > 0 {
					a := *p.Article // a cached reading's: copy it
					a.Author = p.Authors[0]
					p.Article = &a
				}
				p.took = append(p.took, "author")
			}
		}
		if c.Keywords != nil && !p.has("keywords") && !p.inherited("keywords") {
			p.Keywords, p.took = nonEmpty(c.Keywords), append(p.took, "keywords")
		}
		if c.Outputs != nil && !p.has("outputs") && !p.inherited("outputs") {
			p.Outputs, p.took = c.Outputs, append(p.took, "outputs")
		}
		if c.TOC != nil && !p.has("toc") && !p.inherited("toc") {
			p.TOC, p.took = *c.TOC, append(p.took, "toc")
		}
		if c.Math != nil && !p.has("math") && !p.inherited("math") {
			p.Math, p.took = *c.Math, append(p.took, "math")
		}
		if c.Build != nil && !p.has("build") && !p.has("_build") && !p.inherited("build") {
			p.Build, p.took = *c.Build, append(p.took, "build")
		}
		if c.Sitemap != nil && !p.has("sitemap") && !p.inherited("sitemap") {
			p.Sitemap, p.took = *c.Sitemap, append(p.took, "sitemap")
		}
		// Params merge key by key: the page's own, then the nearest
		// ancestor's.
		for k, v := range c.Params {
			if _, ok := p.Params[k]; !ok {
				if !p.inherited("params") {
					// The map may be a cached reading's: copy it.
					p.Params, p.took = maps.Clone(p.Params), append(p.took, "params")
					if p.Params == nil {
						p.Params = map[string]any{}
					}
				}
				p.Params[k] = v
			}
		}
	}
}

// inherited reports whether a nearer ancestor already gave p key.
func (p *Page) inherited(key string) bool { return slices.Contains(p.took, key) }
