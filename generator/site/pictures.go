package site

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"sxsh/generator/content"
	"sxsh/generator/diag"
	"sxsh/generator/markdown"
	"sxsh/generator/picture"
)

// Pictures: every JPEG, PNG and WebP file of static/ and of the page
// bundles gets smaller copies (see package picture), published beside it
// as NAME.WIDTHw.KEY.jpg; pages show them through srcset, so that a phone
// fetches the copy its screen needs rather than the camera's file. The
// original is still published at its address, for links to it.
//
// Copies are made once per picture content: a Session keeps them from one
// build to the next, and every build keeps them in a cache folder beside
// the destination (see PictureCache), read back by the next build, or by
// sxsh serve, instead of decoding the photo again.

// pic is one picture of the site that gets copies.
type pic struct {
	file string       // "static/images/x.jpg", "content/articles/x/anh.jpg"
	key  string       // picture.Key of its bytes
	sum  uint64       // dataSum of its bytes, as writeResources signs them
	set  *picture.Set // nil when err is set; copies' Data nil when the cache holds them
	err  error        // why it has no copies
	read func() ([]byte, error)
}

// PictureCache is the folder where builds of dest keep the copies of
// pictures: .public.sxsh-images beside public/. It is not to be published.
func PictureCache(dest string) string {
	abs, err := filepath.Abs(dest)
	if err != nil {
		abs = dest
	}
	return filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".sxsh-images")
}

// pictureCache is the cache this build uses, nil for none (a check that
// was given none).
func (b *builder) pictureCache() *picture.Cache {
	switch {
	case b.opts.PictureCache != "":
		return picture.NewCache(b.opts.PictureCache)
	case b.opts.Destination != "":
		return picture.NewCache(PictureCache(b.opts.Destination))
	}
	return nil
}

// loadPictures reads every picture of static/ and of the page bundles and
// finds or makes its copies. A file that cannot be read as a picture is
// a warning here, published as it is; a page that shows it is an error,
// at the line that names it.
func (b *builder) loadPictures(ctx context.Context) diag.List {
	var list []*pic
	for _, name := range slices.Sorted(maps.Keys(b.assets)) {
		if a := b.assets[name]; picture.Handles(name) {
			list = append(list, &pic{file: StaticDir + "/" + name, read: func() ([]byte, error) { return a.data, nil }})
		}
	}
	seen := map[string]bool{}
	for _, pages := range [][]*content.Page{b.site.Pages, b.site.Headless} {
		for _, p := range pages {
			for _, r := range p.Resources {
				if picture.Handles(r.Name) && !seen[r.File] {
					seen[r.File] = true
					file := r.File
					list = append(list, &pic{file: file, read: func() ([]byte, error) { return fs.ReadFile(b.opts.Source, file) }})
				}
			}
		}
	}
	b.pics = make(map[string]*pic, len(list))
	b.picCache = b.pictureCache()
	known := &sync.Map{} // key → *picture.Set, a Session's from its last build
	if b.mem != nil && b.mem.pictures != nil {
		known = b.mem.pictures
	}
	// Decoding takes about four bytes a pixel: a few at a time, however
	// many cores.
	b.picSlots = make(chan struct{}, min(4, runtime.GOMAXPROCS(0)))
	errs := parallel(ctx, list, func(pc *pic) diag.List {
		data, err := pc.read()
		if err != nil {
			return diag.List{diag.Errorf(pc.file, 0, 0, "cannot read: %v", err)}
		}
		pc.key, pc.sum = picture.Key(data), dataSum(data)
		if s, ok := known.Load(pc.key); ok {
			pc.set = s.(*picture.Set)
			return nil
		}
		pc.set, pc.err = b.makeCopies(pc, data)
		if pc.err != nil {
			return diag.List{diag.Warnf(pc.file, 0, 0, "%v: the file is published as it is, without the smaller copies that phones load", pc.err)}
		}
		return nil
	})
	fresh := &sync.Map{}
	for _, pc := range list {
		b.pics[pc.file] = pc
		if pc.set != nil {
			fresh.Store(pc.key, pc.set)
		}
	}
	if b.mem != nil {
		b.mem.pictures = fresh
	}
	// The pages whose front matter names a picture that cannot be read.
	for _, p := range b.site.Pages {
		for _, f := range frontMatterFiles(p) {
			if f.key == "pdf" || f.key == "media" {
				continue
			}
			if pc := b.pictureAt(f.ref); pc != nil && pc.err != nil {
				errs.Add(diag.Errorf(p.File, p.Line(f.key), 0, "%s %s: %v", f.key, f.ref, pc.err))
			}
		}
	}
	return errs
}

// makeCopies returns the copies of the picture whose bytes are data: the
// cache's, or new ones, which it keeps in the cache. With a cache, the
// copies' bytes are left there until writePictures reads them.
func (b *builder) makeCopies(pc *pic, data []byte) (*picture.Set, error) {
	if b.picCache != nil {
		if s, ok := b.picCache.Get(pc.key); ok {
			return withoutData(s), nil
		}
	}
	s, kept, err := b.makeNew(pc, data)
	if err != nil || !kept {
		return s, err // without a cache, or when it failed, kept in memory
	}
	return withoutData(s), nil
}

// makePicture decodes a picture and makes its copies: picture.Make, which
// this package's tests replace by one that remembers what it made for the
// same bytes (a phone's photo takes half a second of CPU, and the tests'
// builds show the same photos again and again).
var makePicture = picture.Make

// makeNew makes the copies of pc from its bytes, with no more pictures in
// memory at once than picSlots allows, counts them, and puts them in the
// cache; kept says the cache has them.
func (b *builder) makeNew(pc *pic, data []byte) (s *picture.Set, kept bool, err error) {
	b.picSlots <- struct{}{}
	s, err = makePicture(data)
	<-b.picSlots
	if err != nil {
		return nil, false, err
	}
	b.picsMade.Add(1)
	return s, b.picCache != nil && b.picCache.Put(pc.key, s) == nil, nil
}

func withoutData(s *picture.Set) *picture.Set {
	out := &picture.Set{Width: s.Width, Height: s.Height, Copies: make([]picture.Copy, len(s.Copies))}
	for i, c := range s.Copies {
		c.Data = nil
		out.Copies[i] = c
	}
	return out
}

// copiesData returns pc's copies with their bytes: from memory, from the
// cache, or, when the cache lost them (another build pruned it, a disk
// damaged it), made again.
func (b *builder) copiesData(pc *pic) (*picture.Set, error) {
	if len(pc.set.Copies) == 0 || pc.set.Copies[0].Data != nil {
		return pc.set, nil
	}
	if b.picCache != nil {
		if s, ok := b.picCache.Get(pc.key); ok && len(s.Copies) == len(pc.set.Copies) {
			return s, nil
		}
	}
	data, err := pc.read()
	if err != nil {
		return nil, err
	}
	if picture.Key(data) != pc.key {
		return nil, fmt.Errorf("the file changed during the build: build again")
	}
	// Not kept costs the next build the same work, nothing else.
	s, _, err := b.makeNew(pc, data)
	return s, err
}

// pictureAt returns the picture published at a site path: a file of
// static/ ("/images/x.jpg", or "images/x.jpg" as front matter may write
// it) or of a bundle ("/tin-tuc/x/anh.jpg"); nil for any other.
func (b *builder) pictureAt(sitePath string) *pic {
	sitePath, _, _ = strings.Cut(sitePath, "?")
	sitePath, _, _ = strings.Cut(sitePath, "#")
	name := strings.TrimPrefix(sitePath, "/")
	if _, ok := b.assets[name]; ok {
		return b.pics[StaticDir+"/"+name]
	}
	if r, ok := b.site.ResourceAt("/" + name); ok {
		return b.pics[r.File]
	}
	return nil
}

// pictureFor returns the picture a Markdown image of p names, found as
// the resolver finds it; nil for any other destination.
func (b *builder) pictureFor(p *content.Page, dest string) *pic {
	if strings.HasPrefix(dest, "//") || hasScheme(dest) {
		return nil
	}
	target, _, _ := strings.Cut(dest, "#")
	target, _, _ = strings.Cut(target, "?")
	// A name with marks may come escaped, as editors copy it from a
	// browser: /images/%E1%BA%A3nh.jpg is static/images/ảnh.jpg.
	name := target
	if u, err := url.PathUnescape(target); err == nil {
		name = u
	}
	if strings.HasPrefix(name, "/") {
		return b.pictureAt(name)
	}
	if file := content.LinkedFile(p, name); file != "" {
		if pc := b.pics[file]; pc != nil {
			return pc
		}
	}
	return b.pictureAt(path.Join(path.Dir(p.Path+"x"), name))
}

// copyURL is the URL of a copy of pc, beside the original's URL orig.
func copyURL(pc *pic, c picture.Copy, orig string) string {
	orig, _, _ = strings.Cut(orig, "?")
	orig, _, _ = strings.Cut(orig, "#")
	u := url.URL{Path: path.Join(path.Dir(orig), c.Name(pc.file, pc.key))}
	return u.EscapedPath()
}

// imgSet is what an <img> of a picture says: the src, the copies for
// srcset, and the size for width and height, which lets the browser keep
// the picture's room before it loads, so that the text does not jump.
type imgSet struct {
	Src, Srcset, Sizes string
	Width, Height      int
}

// Attrs writes the set as the attributes of an <img>, for templates.
func (s imgSet) Attrs() template.HTMLAttr {
	var b strings.Builder
	b.WriteString(`src="` + html.EscapeString(s.Src) + `"`)
	for _, a := range s.list() {
		b.WriteString(" " + a.Name + `="` + html.EscapeString(a.Value) + `"`)
	}
	return template.HTMLAttr(b.String())
}

// list is the set's attributes besides src.
func (s imgSet) list() []markdown.Attr {
	var out []markdown.Attr
	if s.Srcset != "" {
		out = append(out, markdown.Attr{Name: "srcset", Value: s.Srcset}, markdown.Attr{Name: "sizes", Value: s.Sizes})
	}
	if s.Width > 0 && s.Height > 0 {
		out = append(out, markdown.Attr{Name: "width", Value: strconv.Itoa(s.Width)}, markdown.Attr{Name: "height", Value: strconv.Itoa(s.Height)})
	}
	return out
}

// imgSetOf is the set of the picture pc whose original is at the URL
// orig; a picture without copies is the original alone.
func imgSetOf(pc *pic, orig, sizes string) imgSet {
	s := imgSet{Src: orig}
	if pc == nil || pc.set == nil || len(pc.set.Copies) == 0 {
		return s
	}
	var srcset []string
	for _, c := range pc.set.Copies {
		u := copyURL(pc, c, orig)
		srcset = append(srcset, u+" "+strconv.Itoa(c.Width)+"w")
		s.Src, s.Width, s.Height = u, c.Width, c.Height
	}
	s.Srcset, s.Sizes = strings.Join(srcset, ", "), sizes
	return s
}

// sizesFor is the sizes attribute of a placement in the default layouts,
// as wide as the site's stylesheet shows it: the widths of its columns
// at each breakpoint. A sizes value of the template's own is taken as
// it is.
func sizesFor(name string) (string, error) {
	switch name {
	case "article": // the article's column: 46rem, the page less its margins on phones
		return "(min-width: 48rem) 46rem, calc(100vw - 2rem)", nil
	case "card": // a card of a list: one column on phones, two or three beyond
		return "(min-width: 46rem) 32rem, calc(100vw - 2rem)", nil
	case "cover": // a newsletter's cover, 15rem wide
		return "15rem", nil
	case "photo": // a banner's photo, beside its facts from 40rem
		return "(min-width: 40rem) 16rem, calc(100vw - 2rem)", nil
	case "full":
		return "100vw", nil
	}
	if strings.ContainsAny(name, "0123456789") && (strings.Contains(name, "vw") || strings.Contains(name, "px") || strings.Contains(name, "em")) {
		return name, nil
	}
	return "", fmt.Errorf("%q is neither article, card, cover, photo nor full, nor a sizes value such as \"(min-width: 40rem) 20rem, 100vw\"", name)
}

// imgFor is the set of the picture at a site path (as front matter names
// it) for a template. A picture sxsh cannot read, which the build has
// reported, shows as its original.
func (b *builder) imgFor(p, sizes string) (imgSet, error) {
	sz, err := sizesFor(sizes)
	if err != nil {
		return imgSet{}, fmt.Errorf("img %s: %v", p, err)
	}
	if p == "" {
		return imgSet{}, fmt.Errorf("img: no picture (wrap the call in {{ with .Image }}…{{ end }})")
	}
	if strings.Contains(p, "://") || strings.HasPrefix(p, "//") {
		return imgSet{Src: p}, nil
	}
	s := imgSetOf(b.pictureAt(p), b.assetURL(p), sz)
	if s.Width == 0 {
		s.Width, s.Height = b.svgSize(p)
	}
	return s, nil
}

// svgSize is the size an SVG file of static/ says it is shown at (its
// width and height, or its viewBox), for the width and height of an <img>
// of it; zeros when it says none in plain numbers.
func (b *builder) svgSize(p string) (w, h int) {
	name := strings.TrimPrefix(p, "/")
	a, ok := b.assets[name]
	if !ok || !strings.EqualFold(path.Ext(name), ".svg") {
		return 0, 0
	}
	m := svgRoot.FindSubmatch(a.data)
	if m == nil {
		return 0, 0
	}
	attrs := map[string]string{}
	for _, a := range svgAttr.FindAllSubmatch(m[1], -1) {
		attrs[string(a[1])] = strings.TrimSpace(string(a[2]))
	}
	attr := func(name string) string { return attrs[name] }
	num := func(s string) int {
		f, err := strconv.ParseFloat(strings.TrimSuffix(s, "px"), 64)
		if err != nil || f <= 0 || f > 1e5 {
			return 0
		}
		return int(f + 0.5)
	}
	if w, h = num(attr("width")), num(attr("height")); w > 0 && h > 0 {
		return w, h
	}
	if f := strings.Fields(strings.ReplaceAll(attr("viewBox"), ",", " ")); len(f) == 4 {
		if w, h = num(f[2]), num(f[3]); w > 0 && h > 0 {
			return w, h
		}
	}
	return 0, 0
}

// svgRoot finds the attributes of an SVG file's root element, and
// svgAttr those of them that tell its size.
var (
	svgRoot = regexp.MustCompile(`(?s)<svg(\s[^>]*)>`)
	svgAttr = regexp.MustCompile(`\s(width|height|viewBox)\s*=\s*["']([^"']*)["']`)
)

// pictureHook is the Doc.Picture of p's Markdown: the copies of the
// picture an image names, at the width of the article's column.
func (b *builder) pictureHook(p *content.Page) func(dest, u string) (string, []markdown.Attr, error) {
	return func(dest, u string) (string, []markdown.Attr, error) {
		pc := b.pictureFor(p, dest)
		if pc == nil {
			s := imgSet{}
			if target, _, _ := strings.Cut(dest, "?"); strings.HasPrefix(target, "/") {
				s.Width, s.Height = b.svgSize(target)
			}
			return "", s.list(), nil
		}
		if pc.err != nil {
			return "", nil, pc.err
		}
		sizes, _ := sizesFor("article")
		s := imgSetOf(pc, u, sizes)
		return s.Src, s.list(), nil
	}
}

// shareCopy is the absolute URL of the largest JPEG copy of the picture
// at a site path, for link previews; "" when it has none.
func (b *builder) shareCopy(p string) string {
	pc := b.pictureAt(p)
	if pc == nil || pc.set == nil {
		return ""
	}
	c, ok := pc.set.Largest()
	if !ok || c.Ext != ".jpg" {
		return ""
	}
	return b.abs(copyURL(pc, c, b.assetPath(p)))
}

// writePictures writes the copies of every picture beside each published
// copy of it: a static file's, and a bundle's file beside the bundle's
// page in each language.
func (b *builder) writePictures(ctx context.Context) diag.List {
	places := map[*pic][]string{} // the folders each picture is published in
	for _, name := range slices.Sorted(maps.Keys(b.assets)) {
		if pc := b.pics[StaticDir+"/"+name]; pc != nil && pc.set != nil {
			places[pc] = append(places[pc], path.Dir(b.assets[name].out))
		}
	}
	for _, pages := range [][]*content.Page{b.site.Pages, b.site.Headless} {
		for _, p := range pages {
			for _, r := range p.Resources {
				if pc := b.pics[r.File]; pc != nil && pc.set != nil {
					places[pc] = append(places[pc], path.Join(strings.TrimPrefix(p.Path, "/"), path.Dir(r.Name)))
				}
			}
		}
	}
	var list []*pic
	for _, pc := range b.pics {
		if len(places[pc]) > 0 {
			list = append(list, pc)
		}
	}
	return parallel(ctx, list, func(pc *pic) diag.List {
		var full *picture.Set
		done := map[string]bool{}
		for _, dir := range places[pc] {
			for i, c := range pc.set.Copies {
				rel := path.Join(dir, c.Name(pc.file, pc.key))
				if done[rel] {
					continue
				}
				done[rel] = true
				s := b.base("", rel)
				s.str(pc.key)
				sum := s.sum()
				if b.unchanged(rel, sum) {
					continue
				}
				if full == nil {
					var err error
					if full, err = b.copiesData(pc); err != nil {
						return diag.List{diag.Errorf(pc.file, 0, 0, "%v", err)}
					}
				}
				if err := b.out.write(rel, full.Copies[i].Data); err != nil {
					return diag.List{diag.Errorf(pc.file, 0, 0, "%v", err)}
				}
				b.record(rel, sum, nil)
			}
		}
		return nil
	})
}

// usedPictures are the keys of this build's pictures, which the cache
// keeps.
func (b *builder) usedPictures() map[string]bool {
	keep := map[string]bool{}
	for _, pc := range b.pics {
		if pc.set != nil {
			keep[pc.key] = true
		}
	}
	return keep
}

// eagerFirst lets the first picture of a page's main content load at once:
// it is most likely on the first screen, where waiting for the layout to
// place it would show the reader an empty box. Templates and Markdown
// write every picture lazy; this takes loading="lazy" and
// decoding="async" off the first <img> after <main.
func eagerFirst(page []byte) []byte {
	m := bytes.Index(page, []byte("<main"))
	if m < 0 {
		return page
	}
	i := bytes.Index(page[m:], []byte("<img"))
	if i < 0 {
		return page
	}
	i += m
	end := bytes.IndexByte(page[i:], '>')
	if end < 0 {
		return page
	}
	end += i
	tag := string(page[i:end])
	eager := strings.Replace(strings.Replace(tag, ` loading="lazy"`, "", 1), ` decoding="async"`, "", 1)
	if eager == tag {
		return page
	}
	out := make([]byte, 0, len(page))
	out = append(out, page[:i]...)
	out = append(out, eager...)
	return append(out, page[end:]...)
}
