package content

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"sxsh/generator/config"
	"sxsh/generator/diag"
)

// Cache keeps the files one Load read for the next, so that a site loaded
// again after an edit reads only the files that changed. It holds each
// page as read, before linking, without its body: a page taken from the
// cache reads its body again when asked (ReadBody). A Cache belongs to one
// site folder and one configuration; a Cache's zero value is empty and
// ready.
type Cache struct {
	mu    sync.Mutex
	files map[string]cached
}

type cached struct {
	page  *Page // nil when the file cannot become a page
	diags diag.List
	// saved is the entry as Save wrote it, with its tag, when it was
	// restored from that: Save writes it again as it is.
	saved []byte
	tag   string
}

// Forget drops files (slash paths relative to the site folder, as watched),
// so that the next Load reads them again. Paths outside content/ are
// ignored; a folder drops everything under it.
func (c *Cache) Forget(paths ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range paths {
		delete(c.files, p)
		for f := range c.files {
			if strings.HasPrefix(f, p+"/") {
				delete(c.files, f)
			}
		}
	}
}

// lookup fills pages and diags for the files the cache holds, with pages
// the caller may link and change, and returns the indexes of the others.
// A nil Cache holds nothing.
func (c *Cache) lookup(files []string, pages []*Page, diags []diag.List) (missing []int) {
	if c == nil {
		missing = make([]int, len(files))
		for i := range files {
			missing[i] = i
		}
		return missing
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	all := make([]Page, 0, len(files)) // one allocation for every copy
	for i, f := range files {
		e, ok := c.files[f]
		switch {
		case !ok:
			missing = append(missing, i)
		case e.page != nil:
			all = append(all, *e.page)
			pages[i] = &all[len(all)-1]
			fallthrough
		default:
			diags[i] = e.diags
		}
	}
	return missing
}

// store keeps what reading file gave, the page without its body.
func (c *Cache) store(file string, p *Page, diags diag.List) {
	if c == nil {
		return
	}
	e := cached{diags: diags}
	if p != nil {
		kept := *p
		kept.Body, kept.unread = nil, len(p.Body) > 0
		e.page = &kept
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.files = map[string]cached{}
	}
	c.files[file] = e
}

// ReadBody reads the body of a page taken from a Cache, which keeps pages
// without their bodies. It does nothing for any other page.
func (p *Page) ReadBody(fsys fs.FS) error {
	if !p.unread {
		return nil
	}
	src, err := fs.ReadFile(fsys, p.File)
	if err != nil {
		return fmt.Errorf("cannot read: %v", err)
	}
	_, body, bodyLine, err := split(src)
	if err != nil {
		return err
	}
	p.Body, p.BodyLine, p.unread = body, bodyLine, false
	return nil
}

// sum fingerprints a file's bytes.
func sum(src []byte) uint64 {
	h := sha256.Sum256(src)
	return binary.LittleEndian.Uint64(h[:8])
}

// Refresh reads again the file of p, a page of a linked Site. When what
// linking used of the page is the same (kind, language, key, slug, title,
// dates, weight, draft, categories, tags, aliases, link title, url, menus,
// build and sitemap options, no cascade), it puts the rest into p
// (the body, summary, lastmod, image, parameters and the kind's own
// fields), keeps the new reading in the cache, and returns true. Otherwise,
// or when the file now gives any diagnostic, p and the cache stay as they
// were and it returns false: the site must be loaded and linked again.
func (c *Cache) Refresh(fsys fs.FS, cfg *config.Config, p *Page) bool {
	q, diags := readPage(fsys, p.src, cfg)
	if q == nil || len(diags) > 0 || !sameLinks(p, q) {
		return false
	}
	p.Sum, p.Summary, p.Lastmod, p.Image, p.Params = q.Sum, q.Summary, q.Lastmod, q.Image, q.Params
	p.Article, p.Newsletter, p.Broadcast, p.Banner, p.Document = q.Article, q.Newsletter, q.Broadcast, q.Banner, q.Document
	p.Description, p.Keywords, p.Authors, p.Outputs, p.TOC, p.Math = q.Description, q.Keywords, q.Authors, q.Outputs, q.TOC, q.Math
	p.Layout, p.LayoutType = q.Layout, q.LayoutType
	p.Body, p.BodyLine, p.unread, p.fm, p.fmLine, p.fmLines = q.Body, q.BodyLine, false, q.fm, q.fmLine, q.fmLines
	c.store(p.File, q, diags)
	return true
}

// sameLinks reports whether two readings of a file agree on everything that
// linking, list order and the other pages' views use.
func sameLinks(p, q *Page) bool {
	return p.Kind == q.Kind && p.Type == q.Type && p.Lang == q.Lang && p.Section == q.Section &&
		p.Key == q.Key && p.stem == q.stem && p.Slug == q.Slug && p.Title == q.Title &&
		p.Date.Equal(q.Date) && p.PublishDate.Equal(q.PublishDate) && p.ExpiryDate.Equal(q.ExpiryDate) &&
		p.Weight == q.Weight && p.Draft == q.Draft && p.Headless == q.Headless &&
		slices.Equal(p.Categories, q.Categories) && slices.Equal(p.Tags, q.Tags) && slices.Equal(p.Aliases, q.Aliases) &&
		// What menus, breadcrumbs, lists and the sitemap show of it, and
		// what it passes down or takes from above.
		p.LinkTitle == q.LinkTitle && p.url == q.url && slices.Equal(p.Menus, q.Menus) &&
		p.Build.List == q.Build.List && p.Build.Render == q.Build.Render && p.Sitemap == q.Sitemap &&
		p.cascade == nil && q.cascade == nil && !underCascade(p)
}

// underCascade reports whether a section or home page above p passes
// values down: what p takes from them depends on what it sets itself, so
// an edit of it must be linked again.
func underCascade(p *Page) bool {
	for q := p.Parent; q != nil; q = q.Parent {
		if q.Cascades() {
			return true
		}
	}
	return false
}
