package content

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io/fs"
	"sync"

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
}

// Forget drops files (slash paths relative to the site folder, as watched),
// so that the next Load reads them again. Paths outside content/ are
// ignored; a folder drops everything under it.
func (c *Cache) Forget(paths ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range paths {
		delete(c.files, p)
		prefix := p + "/"
		for f := range c.files {
			if len(f) > len(prefix) && f[:len(prefix)] == prefix {
				delete(c.files, f)
			}
		}
	}
}

// read returns file's page and diagnostics, from the cache when it holds
// them. A page returned is the caller's to link and change.
func (c *Cache) read(file string, read func() (*Page, diag.List)) (*Page, diag.List) {
	if c == nil {
		return read()
	}
	c.mu.Lock()
	e, ok := c.files[file]
	c.mu.Unlock()
	if !ok {
		p, diags := read()
		e = cached{diags: diags}
		if p != nil {
			kept := *p
			kept.Body, kept.unread = nil, len(p.Body) > 0
			e.page = &kept
		}
		c.mu.Lock()
		if c.files == nil {
			c.files = map[string]cached{}
		}
		c.files[file] = e
		c.mu.Unlock()
		return p, diags
	}
	if e.page == nil {
		return nil, e.diags
	}
	p := *e.page
	return &p, e.diags
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
	_, _, body, bodyLine, err := split(src)
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
