package content

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"sxsh/generator/diag"
	"sxsh/generator/vitext"
)

// cleanSlug checks a front-matter slug and returns its ASCII form.
func cleanSlug(s string) (string, error) {
	if strings.ContainsAny(s, "/\\") || strings.Contains(s, "..") {
		return "", fmt.Errorf("a slug is one URL segment: no / \\ or .. (write slug = \"ten-bai-viet\")")
	}
	out := vitext.Slug(s)
	if out == "" {
		return "", fmt.Errorf("has no letters or digits to make a URL from")
	}
	return out, nil
}

// link gives every page its path, adds the section, home and taxonomy pages
// that no file defines, links translations, and checks that no two pages
// share a URL.
func (s *Site) link(pages []*Page) diag.List {
	cfg := s.Config
	var errs diag.List
	type secKey struct{ dir, lang string }
	sections := map[secKey]*Page{}
	// isSection holds the folders that are sections in some language:
	// those with an _index file, and the top-level ones with pages.
	isSection := map[string]bool{}
	for _, p := range pages {
		switch {
		case p.Kind == KindHome:
			if prev := s.Home[p.Lang]; prev != nil {
				errs.Add(diag.Errorf(p.File, 0, 0, "a second home page for %q; the first is %s", p.Lang, prev.File))
			}
			s.Home[p.Lang] = p
		case p.Kind == KindSection:
			sections[secKey{p.src.dir, p.Lang}] = p
			isSection[p.src.dir] = true
		case p.Section != "" && !p.Headless:
			isSection[p.Section] = true
		}
	}
	for _, lang := range cfg.Langs() {
		if s.Home[lang] == nil {
			home := &Page{Kind: KindHome, Type: TypePage, Lang: lang, Key: "_index"}
			s.Home[lang] = home
			pages = append(pages, home)
		}
		home := s.Home[lang]
		if home.Title == "" {
			home.Title = cfg.Languages[lang].Title
		}
		home.Path = cfg.LangPrefix(lang)
	}
	// nearest returns the folder of the section that pages in dir belong
	// to: dir or the nearest folder above it that is a section; "" for
	// the home page.
	nearest := func(dir string) string {
		for d := dir; d != ""; d = up(d) {
			if isSection[d] {
				return d
			}
		}
		return ""
	}
	// ensure returns the section of dir in lang, and makes it, and those
	// above it, where no _index file of that language does.
	var ensure func(dir, lang string) *Page
	ensure = func(dir, lang string) *Page {
		if dir == "" {
			return s.Home[lang]
		}
		if sec := sections[secKey{dir, lang}]; sec != nil {
			return sec
		}
		sec := &Page{Kind: KindSection, Lang: lang, Key: dir + "/_index", Title: path.Base(dir), src: source{dir: dir, kind: KindSection}}
		sec.Section = sec.src.section()
		sections[secKey{dir, lang}] = sec
		pages = append(pages, sec)
		ensure(nearest(up(dir)), lang)
		return sec
	}
	for _, p := range pages {
		switch {
		case p.Kind == KindSection:
			ensure(nearest(up(p.src.dir)), p.Lang)
		case p.Kind == KindSingle && !p.Headless:
			ensure(nearest(p.src.dir), p.Lang)
		}
	}
	// Sections take their paths from the top down: each is its parent's,
	// then the folders between the two, then its slug.
	var secs []*Page
	for _, sec := range sections {
		secs = append(secs, sec)
	}
	slices.SortFunc(secs, func(a, b *Page) int {
		if c := cmp.Compare(strings.Count(a.src.dir, "/"), strings.Count(b.src.dir, "/")); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.src.dir, b.src.dir), strings.Compare(a.Lang, b.Lang))
	})
	for _, sec := range secs {
		sec.Type = sectionTypes[sec.Section]
		if sec.Type == "" {
			sec.Type = TypePage
		}
		from := nearest(up(sec.src.dir))
		sec.Parent = ensure(from, sec.Lang)
		sec.Parent.Sections = append(sec.Parent.Sections, sec)
		slug := sec.Slug
		if slug == "" {
			slug = vitext.Slug(path.Base(sec.src.dir))
		}
		mid, err := folderPath(from, up(sec.src.dir))
		if err == nil && slug == "" {
			err = fmt.Errorf("cannot make a URL from the folder name %q; add slug = \"ten-chuyen-muc\" to an _index file in it", path.Base(sec.src.dir))
		}
		if err != nil {
			where := sec.File
			if where == "" { // a folder without _index: name the folder
				where = path.Join(cmp.Or(cfg.ContentDirs()[sec.Lang], Dir), sec.src.dir) + "/"
			}
			errs.Add(diag.Errorf(where, 0, 0, "%v", err))
		}
		sec.Path = sec.Parent.Path + mid + slug + "/"
	}
	// sectionPath returns the path of the section of dir in lang, or the
	// path it would have where it has no pages in lang: a headless
	// bundle's files go there.
	var sectionPath func(dir, lang string) string
	sectionPath = func(dir, lang string) string {
		if dir == "" {
			return s.Home[lang].Path
		}
		if sec := sections[secKey{dir, lang}]; sec != nil {
			return sec.Path
		}
		from := nearest(up(dir))
		mid, _ := folderPath(from, up(dir))
		return sectionPath(from, lang) + mid + vitext.Slug(path.Base(dir)) + "/"
	}
	var ordered []*Page
	for _, p := range pages {
		if p.Kind != KindSingle {
			continue
		}
		slug := p.Slug
		if slug == "" {
			slug = vitext.Slug(p.stem)
			if slug == "" {
				errs.Add(diag.Errorf(p.File, p.fmLine, 0, "cannot make a URL from the file name; add slug = \"ten-trang\""))
				continue
			}
		}
		from := nearest(p.src.dir)
		mid, err := folderPath(from, p.src.dir)
		if err != nil {
			errs.Add(diag.Errorf(p.File, p.fmLine, 0, "%v", err))
			continue
		}
		if p.Headless {
			// No page: its resources go where the page would be, under
			// the section's path, or where that section would be.
			p.Path = sectionPath(from, p.Lang) + mid + slug + "/"
			s.Headless = append(s.Headless, p)
			continue
		}
		p.Parent = ensure(from, p.Lang)
		p.Path = p.Parent.Path + mid + slug + "/"
		ordered = append(ordered, p)
	}
	// Now that every page has its parents, each takes what their cascades
	// pass down; a page that is not to be drawn then leaves the site, as
	// a headless bundle does.
	for _, p := range pages {
		p.inherit()
	}
	pages = slices.DeleteFunc(pages, func(p *Page) bool { return p.Headless || (p.Kind == KindSingle && !p.Build.Rendered()) })
	ordered = slices.DeleteFunc(ordered, func(p *Page) bool { return !p.Build.Rendered() })
	// Lists take their pages in list order: one sort of every single
	// rather than one per list.
	sortPages(ordered)
	for _, sec := range secs {
		sortPages(sec.Parent.Sections)
	}
	for _, p := range ordered {
		if p.Parent.Kind == KindSection && p.Build.List != BuildNever {
			p.Parent.Pages = append(p.Parent.Pages, p)
		}
		// A home lists the latest articles; the other kinds have their own
		// panels there, computed from their records.
		if p.Type == TypeArticle && p.Build.Listed() {
			s.Home[p.Lang].Pages = append(s.Home[p.Lang].Pages, p)
		}
	}
	// An address from the front matter is the page's own; the pages
	// below a section keep theirs, as in Hugo.
	for _, p := range pages {
		if p.url != "" {
			p.Path = p.url
		}
	}
	pages = append(pages, s.taxonomies(pages, ordered)...)
	errs = append(errs, linkTranslations(pages, cfg.Langs())...)

	byPath := map[string]*Page{}
	for _, p := range pages {
		if p.Path == "" {
			continue
		}
		if prev, ok := byPath[p.Path]; ok {
			// The newer page is most likely the one just written, whose
			// editor can choose another address; the other may be
			// published and linked to already.
			blame, other := p, prev
			if newer(prev, p) {
				blame, other = prev, p
			}
			key := "slug"
			if blame.url != "" {
				key = "url"
			}
			errs.Add(diag.Errorf(blame.File, blame.Line(key), 0, "URL %s is also the URL of %s; give one of them another %s", p.Path, describe(other), key))
			continue
		}
		byPath[p.Path] = p
		if p.File != "" {
			s.ByFile[p.File] = p
		}
	}
	slices.SortFunc(pages, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(s.Headless, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
	for _, p := range s.Headless {
		if prev, ok := byPath[p.Path]; ok {
			errs.Add(diag.Errorf(p.File, p.Line("slug"), 0, "URL %s, where this headless bundle's files go, is also the URL of %s; give one of them another slug", p.Path, describe(prev)))
			continue
		}
		byPath[p.Path] = p
	}
	errs = append(errs, s.indexResources(append(slices.Clip(pages), s.Headless...), byPath)...)
	for _, p := range pages {
		s.ResolveFiles(p)
	}
	for _, p := range pages {
		for _, a := range p.Aliases {
			if !strings.HasSuffix(a, "/") && path.Ext(a) == "" {
				a += "/"
			}
			if prev, ok := byPath[a]; ok {
				errs.Add(diag.Errorf(p.File, p.Line("aliases"), 0, "alias %s is already the URL of %s", a, describe(prev)))
				continue
			}
			if r, ok := s.published[a]; ok {
				errs.Add(diag.Errorf(p.File, p.Line("aliases"), 0, "alias %s is already the address of the file %s", a, r.File))
				continue
			}
			byPath[a] = p
			s.Aliases = append(s.Aliases, Alias{Path: a, To: p})
		}
	}
	sort.Slice(s.Aliases, func(i, j int) bool { return s.Aliases[i].Path < s.Aliases[j].Path })
	s.Pages = pages
	// Unpublished pages get the address they would have once published,
	// so that a preview can say why that address shows nothing: sections
	// first, from the top down, as the pages below them take their paths.
	left := slices.Clone(s.Unpublished)
	slices.SortStableFunc(left, func(a, b *Page) int {
		if (a.Kind == KindSection) != (b.Kind == KindSection) {
			if a.Kind == KindSection {
				return -1
			}
			return 1
		}
		return cmp.Compare(strings.Count(a.src.dir, "/"), strings.Count(b.src.dir, "/"))
	})
	for _, p := range left {
		if p.Kind == KindSection {
			isSection[p.src.dir] = true
		}
	}
	for _, p := range left {
		var from, dir, slug string
		switch p.Kind {
		case KindHome:
			p.Path = cfg.LangPrefix(p.Lang)
			continue
		case KindSection:
			dir, slug = up(p.src.dir), cmp.Or(p.Slug, vitext.Slug(path.Base(p.src.dir)))
			from = nearest(dir)
		default:
			dir, slug = p.src.dir, cmp.Or(p.Slug, vitext.Slug(p.stem))
			from = nearest(dir)
		}
		mid, err := folderPath(from, dir)
		if slug == "" || err != nil {
			continue // link reports the name when the page is published
		}
		p.Path = cmp.Or(p.url, sectionPath(from, p.Lang)+mid+slug+"/")
		if k := (secKey{p.src.dir, p.Lang}); p.Kind == KindSection && sections[k] == nil {
			sections[k] = p
		}
	}
	return errs
}

// folderPath is the part of a URL that the folders below the section
// folder from, down to dir, make: "2024/thang-3/" for from "articles" and
// dir "articles/2024/Tháng 3".
func folderPath(from, dir string) (string, error) {
	rest := strings.TrimPrefix(strings.TrimPrefix(dir, from), "/")
	if rest == "" {
		return "", nil
	}
	var b strings.Builder
	for _, seg := range strings.Split(rest, "/") {
		slug := vitext.Slug(seg)
		if slug == "" {
			return "", fmt.Errorf("cannot make a URL from the folder name %q: rename the folder with letters or digits", seg)
		}
		b.WriteString(slug + "/")
	}
	return b.String(), nil
}

// newer reports whether a is newer than b: a page from a file before one
// made up by the build, then the later date, then the later file name.
func newer(a, b *Page) bool {
	if (a.File == "") != (b.File == "") {
		return a.File != ""
	}
	if !a.Date.Equal(b.Date) {
		return a.Date.After(b.Date)
	}
	return a.File > b.File
}

func describe(p *Page) string {
	if p.File != "" {
		return p.File
	}
	return fmt.Sprintf("the %s page %q", p.Kind, p.Title)
}

// taxonomies makes a term page per category and tag used in each language,
// and a taxonomy page listing them. Terms that differ only in case or marks
// ("Tiết kiệm điện", "tiết kiệm điện") are one term: the first spelling, by
// file path, names it. pages are in file order, ordered the singles in
// list order.
func (s *Site) taxonomies(pages, ordered []*Page) []*Page {
	cfg := s.Config
	var out []*Page
	type key struct{ taxonomy, lang, slug string }
	terms := map[key]*Page{}
	taxes := map[[2]string]*Page{}
	names := cfg.TaxonomyNames()
	for _, p := range pages {
		if p.Kind != KindSingle || p.Path == "" || !p.Build.Listed() {
			continue
		}
		for _, name := range names {
			list, slugs := p.Categories, p.termSlugs[0]
			if name == "tags" {
				list, slugs = p.Tags, p.termSlugs[1]
			}
			for i, term := range list {
				slug := slugs[i]
				if slug == "" {
					continue
				}
				k := key{name, p.Lang, slug}
				t := terms[k]
				if t == nil {
					tax := taxes[[2]string{name, p.Lang}]
					if tax == nil {
						tax = &Page{Kind: KindTaxonomy, Type: TypePage, Lang: p.Lang, Taxonomy: name, Key: "taxonomy:" + name,
							Parent: s.Home[p.Lang], Path: cfg.LangPrefix(p.Lang) + cfg.TaxonomySlug(name, p.Lang) + "/"}
						taxes[[2]string{name, p.Lang}] = tax
						out = append(out, tax)
					}
					t = &Page{Kind: KindTerm, Type: TypePage, Lang: p.Lang, Taxonomy: name, Title: term, Slug: slug,
						Key: "term:" + name + ":" + p.Lang + ":" + slug, Parent: tax, Path: tax.Path + slug + "/"}
					terms[k] = t
					tax.Pages = append(tax.Pages, t)
					out = append(out, t)
				}
				if p.Terms == nil {
					p.Terms = map[string][]*Page{}
				}
				p.Terms[name] = append(p.Terms[name], t)
			}
		}
	}
	// A term lists its pages in list order.
	for _, p := range ordered {
		for _, ts := range p.Terms {
			for _, t := range ts {
				if len(t.Pages) == 0 || t.Pages[len(t.Pages)-1] != p {
					t.Pages = append(t.Pages, p)
				}
			}
		}
	}
	for _, tax := range taxes {
		sort.Slice(tax.Pages, func(i, j int) bool { return tax.Pages[i].Slug < tax.Pages[j].Slug })
	}
	return out
}

// linkTranslations joins pages that share a key across languages. Two pages
// of one language with one key are an error; a translationKey set by hand
// that finds no partner is a warning, since it is likely a typing slip.
func linkTranslations(pages []*Page, langs []string) diag.List {
	var errs diag.List
	order := map[string]int{}
	for i, l := range langs {
		order[l] = i
	}
	groups := map[string][]*Page{}
	for _, p := range pages {
		if p.Kind == KindTerm {
			continue // term names differ between languages
		}
		groups[p.Key] = append(groups[p.Key], p)
	}
	for key, group := range groups {
		seen := map[string]*Page{}
		var ok []*Page
		for _, p := range group {
			if prev := seen[p.Lang]; prev != nil {
				errs.Add(diag.Errorf(p.File, p.Line("translationKey"), 0, "%s is already the %s version of this page (same translationKey or file name); change one translationKey", describe(prev), p.Lang))
				continue
			}
			seen[p.Lang] = p
			ok = append(ok, p)
		}
		sort.Slice(ok, func(i, j int) bool { return order[ok[i].Lang] < order[ok[j].Lang] })
		if len(ok) == 1 && strings.HasPrefix(key, "key:") {
			p := ok[0]
			errs.Add(diag.Warnf(p.File, p.Line("translationKey"), 0, "translationKey %q matches no page in another language", strings.TrimPrefix(key, "key:")))
		}
		for _, p := range ok {
			for _, q := range ok {
				if q != p {
					p.Translations = append(p.Translations, q)
				}
			}
		}
	}
	return errs
}
