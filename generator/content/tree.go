package content

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"sxsh/generator/config"
	"sxsh/generator/diag"
)

// The content tree is laid out as Hugo lays it out:
//
//   - A folder with an _index file is a section, at any depth; a top-level
//     folder with pages is one even without. Pages in a folder that is
//     not a section belong to the nearest section above, and their URL
//     keeps the folder's name.
//   - A folder with an index file is a leaf bundle: one page, whose other
//     files (pictures, PDFs, in subfolders too) are its resources,
//     published beside it. The files beside an _index file are the
//     section's resources (a branch bundle).
//   - Each language may have a content folder of its own (contentDir in
//     site.toml), whose file names need no language suffix.

// Resource is a file of a page bundle that is not Markdown: a picture, a
// PDF, …, published beside the bundle's page, in each language the page
// has.
type Resource struct {
	// Name is the file's slash path inside the bundle's folder: "anh.jpg",
	// "hinh/so-do.png". The page's URL followed by Name is the file's.
	Name string
	// File is the source, relative to the site folder.
	File string
	// Size is the file's size in bytes.
	Size int64
}

// source is one Markdown file of a content folder, and what its place in
// the tree says about its page.
type source struct {
	file string // "content/articles/x/index.vi.md"
	// dir is the folder the page is in, relative to its content folder:
	// for a leaf bundle the folder holding the bundle's folder, for a
	// section its own folder, "" at the top.
	dir  string
	stem string // the default slug: the file name, or the bundle's folder name
	lang string
	kind string
	// bundle says the page's folder holds its resources: a leaf bundle's
	// index file or a section's _index file.
	bundle bool
}

// section is the top-level folder the page is under, which decides its
// type; "" at the top.
func (s source) section() string {
	top, _, _ := strings.Cut(s.dir, "/")
	return top
}

// key is what links translations when no translationKey does: the page's
// path inside its content folder, without language.
func (s source) key() string {
	switch s.kind {
	case KindHome, KindSection:
		return s.dir + "/_index"
	}
	return path.Join(s.dir, s.stem)
}

// contentFile is a file found under content/ and the content folder it is
// in.
type contentFile struct {
	file string // relative to the site folder
	rel  string // relative to root
	// entry is the file's entry in its folder; only a resource's size is
	// asked of it, a system call on most file systems.
	entry fs.DirEntry
}

// walk finds the content files under content/ in fsys: the Markdown files
// that are pages, in path order, and the resources of each bundle, by the
// bundle's folder (relative to the site folder). Files that are neither
// get a warning; names that cannot be read, an error.
func walk(fsys fs.FS, cfg *config.Config) ([]source, map[string][]Resource, diag.List) {
	var diags diag.List
	// A content folder's language, or "" for the shared folder, whose
	// file names carry it.
	roots := map[string]string{}
	for lang, dir := range cfg.ContentDirs() {
		if dir == Dir {
			roots[dir] = ""
		} else {
			roots[dir] = lang
		}
	}
	rootOf := func(p string) (string, bool) {
		best, ok := "", false
		for r := range roots {
			if (p == r || strings.HasPrefix(p, r+"/")) && len(r) >= len(best) {
				best, ok = r, true
			}
		}
		return best, ok
	}
	files := map[string][]contentFile{} // root → its files
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Add(diag.Errorf(p, 0, 0, "cannot read: %v", err))
			return nil
		}
		name := d.Name()
		if p != Dir && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // editors' backup and lock files
		}
		if d.IsDir() {
			return nil
		}
		root, ok := rootOf(p)
		if !ok {
			diags.Add(diag.Warnf(p, 0, 0, "not in the content folder of any language (%s), ignored", strings.Join(slices.Sorted(maps.Keys(roots)), ", ")))
			return nil
		}
		files[root] = append(files[root], contentFile{file: p, rel: strings.TrimPrefix(p, root+"/"), entry: d})
		return nil
	})
	if err != nil {
		diags.Add(diag.Errorf(Dir, 0, 0, "cannot read the content folder: %v", err))
		return nil, nil, diags
	}

	var srcs []source
	// The resources of each bundle folder, by content folder and the
	// bundle's folder inside it.
	own := map[string]map[string][]Resource{}
	for _, root := range slices.Sorted(maps.Keys(files)) {
		s, res, ds := classify(files[root], roots[root], cfg)
		srcs = append(srcs, s...)
		diags = append(diags, ds...)
		own[root] = res
	}
	// A bundle shares its resources between its languages: those of the
	// same bundle in another language's content folder are used where its
	// own folder lacks a file of that name.
	bundles := map[string][]Resource{}
	for _, s := range srcs {
		if !s.bundle {
			continue
		}
		folder := path.Dir(s.file)
		if _, done := bundles[folder]; done {
			continue
		}
		root, _ := rootOf(s.file)
		rel := strings.TrimPrefix(strings.TrimPrefix(folder, root), "/")
		list := slices.Clone(own[root][rel])
		for _, other := range slices.Sorted(maps.Keys(own)) {
			if other == root {
				continue
			}
			for _, r := range own[other][rel] {
				if !slices.ContainsFunc(list, func(o Resource) bool { return o.Name == r.Name }) {
					list = append(list, r)
				}
			}
		}
		slices.SortFunc(list, func(a, b Resource) int { return strings.Compare(a.Name, b.Name) })
		bundles[folder] = list
	}
	slices.SortFunc(srcs, func(a, b source) int { return strings.Compare(a.file, b.file) })
	return srcs, bundles, diags
}

// classify sorts the files of one content folder, whose files are in lang
// ("" when their names say), into pages and bundle resources, keyed by the
// bundle's folder relative to the content folder.
func classify(files []contentFile, lang string, cfg *config.Config) ([]source, map[string][]Resource, diag.List) {
	var diags diag.List
	type md struct {
		f          contentFile
		dir, base  string
		lang, kind string
	}
	var mds []md
	leaves, branches := map[string]bool{}, map[string]bool{}
	var others []contentFile
	for _, f := range files {
		if !strings.HasSuffix(f.rel, ".md") {
			others = append(others, f)
			continue
		}
		dir, name := path.Split(f.rel)
		dir = strings.TrimSuffix(dir, "/")
		base, l, err := fileLang(name, cfg, lang)
		if err != nil {
			diags.Add(diag.Errorf(f.file, 0, 0, "%v", err))
			continue
		}
		switch base {
		case "index":
			if dir == "" {
				diags.Add(diag.Errorf(f.file, 0, 0, "an index file at the top of the content folder would be the home page: name it _index%s", strings.TrimPrefix(name, "index")))
				continue
			}
			leaves[dir] = true
		case "_index":
			branches[dir] = true
		}
		mds = append(mds, md{f: f, dir: dir, base: base, lang: l})
	}
	// leafOf returns the leaf bundle a folder is in: the outermost folder
	// with an index file, the folder itself or one above it.
	leafOf := func(dir string) string {
		found := ""
		for d := dir; d != ""; d = up(d) {
			if leaves[d] {
				found = d
			}
		}
		return found
	}
	var srcs []source
	for _, m := range mds {
		leaf := leafOf(m.dir)
		switch {
		case m.base == "index" && branches[m.dir]:
			diags.Add(diag.Errorf(m.f.file, 0, 0, "this folder has an _index file, which makes it a section: a section cannot be a page bundle too; rename this file or move it into a folder of its own"))
			continue
		case leaf != "" && !(m.base == "index" && m.dir == leaf):
			diags.Add(diag.Warnf(m.f.file, 0, 0, "inside the page bundle of %s, whose index file is its only page: this file is not published", leaf))
			continue
		}
		s := source{file: m.f.file, dir: m.dir, stem: m.base, lang: m.lang}
		switch {
		case m.base == "_index" && m.dir == "":
			s.kind, s.bundle = KindHome, true
		case m.base == "_index":
			s.kind, s.bundle = KindSection, true
		case m.base == "index":
			s.kind, s.bundle = KindSingle, true
			s.dir, s.stem = up(m.dir), path.Base(m.dir)
		default:
			s.kind = KindSingle
		}
		srcs = append(srcs, s)
	}
	resources := map[string][]Resource{}
	for _, f := range others {
		dir := up(f.rel)
		bundle := leafOf(dir)
		if bundle == "" && branches[dir] {
			bundle = dir
		}
		if bundle == "" && !branches[dir] {
			diags.Add(diag.Warnf(f.file, 0, 0, "not a Markdown file and not in a page bundle, ignored: put pictures and PDFs in static/, or beside the index.md of the page that shows them"))
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(f.rel, bundle), "/")
		if name == "index.html" || name == "index.xml" {
			diags.Add(diag.Errorf(f.file, 0, 0, "%s is the name of the page's own file: rename this file", name))
			continue
		}
		var size int64
		if info, err := f.entry.Info(); err == nil {
			size = info.Size()
		}
		resources[bundle] = append(resources[bundle], Resource{Name: name, File: f.file, Size: size})
	}
	return srcs, resources, diags
}

// up returns the folder above dir, "" above a top-level folder.
func up(dir string) string {
	if i := strings.LastIndexByte(dir, '/'); i >= 0 {
		return dir[:i]
	}
	return ""
}

// fileLang splits "x.vi.md" into "x" and "vi". A name without a language
// suffix is in rootLang, the language of its content folder, or else in
// the default language. A dot in a name is part of it ("bao-cao-2.0.md")
// unless what follows the last one is a site language, or looks like a
// language code mistyped (two letters: "x.vn.md").
func fileLang(name string, cfg *config.Config, rootLang string) (base, lang string, err error) {
	stem := strings.TrimSuffix(name, ".md")
	lang = cfg.DefaultLanguage
	if rootLang != "" {
		lang = rootLang
	}
	i := strings.LastIndexByte(stem, '.')
	if i <= 0 {
		return stem, lang, nil
	}
	base, code := stem[:i], stem[i+1:]
	if _, ok := cfg.Languages[code]; ok {
		if j := strings.LastIndexByte(base, '.'); j > 0 {
			if _, twice := cfg.Languages[base[j+1:]]; twice {
				return "", "", fmt.Errorf("the file name ends in two language suffixes, .%s.%s.md: keep one", base[j+1:], code)
			}
		}
		if rootLang != "" && code != rootLang {
			return "", "", fmt.Errorf("the file is in the content folder of %q but its name ends in .%s.md: move it to the content folder of %q, or remove .%s from its name", rootLang, code, code, code)
		}
		return base, code, nil
	}
	if !looksLikeCode(code) {
		return stem, lang, nil
	}
	langs := cfg.Langs()
	msg := fmt.Sprintf("the file name ends in .%s.md, but %q is not a language of the site (%s)", code, code, strings.Join(langs, ", "))
	if near := nearCode(code, langs); near != "" {
		return "", "", fmt.Errorf("%s: did you mean .%s.md?", msg, near)
	}
	return "", "", fmt.Errorf("%s; name it x.%s.md", msg, lang)
}

// looksLikeCode reports whether a name's last dot segment has the shape of
// a language code: two letters.
func looksLikeCode(s string) bool {
	if len(s) != 2 {
		return false
	}
	for i := range len(s) {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// nearCode returns the language among langs that code is a slip for: the
// same in other case, or one letter off, keeping the first letter where
// one does ("vn", Vietnam's country code, is vi, not en); "" for none.
func nearCode(code string, langs []string) string {
	code = strings.ToLower(code)
	found := ""
	for _, l := range langs {
		if l == code {
			return l
		}
		if len(l) != len(code) {
			continue
		}
		diff := 0
		for i := range len(l) {
			if l[i] != code[i] {
				diff++
			}
		}
		if diff == 1 && (found == "" || l[0] == code[0] && found[0] != code[0]) {
			found = l
		}
	}
	return found
}

// indexResources records where the resources of pages (in path order) are
// published: beside each page of their bundle. A copy may not land where
// a page is (byPath) or another file goes.
func (s *Site) indexResources(pages []*Page, byPath map[string]*Page) diag.List {
	var errs diag.List
	s.resources, s.published = map[string][]*Page{}, map[string]Resource{}
	for _, p := range pages {
		for _, r := range p.Resources {
			at := p.Path + r.Name
			if prev, ok := s.published[at]; ok {
				errs.Add(diag.Errorf(r.File, 0, 0, "published at %s, as %s is", at, prev.File))
				continue
			}
			if q, ok := byPath[at+"/"]; ok {
				errs.Add(diag.Errorf(r.File, 0, 0, "published at %s, which is the address of %s: rename the file", at, describe(q)))
				continue
			}
			s.published[at] = r
			s.resources[r.File] = append(s.resources[r.File], p)
		}
	}
	return errs
}

// ResourceURL returns the site path of the resource file (relative to the
// site folder) for a page in lang: the copy beside the bundle's page in
// lang, or, where the bundle has no page in lang, in the site's default
// language when it has a page in that, else in the first language it has.
func (s *Site) ResourceURL(file, lang string) (string, bool) {
	ps := s.resources[file]
	if len(ps) == 0 {
		return "", false
	}
	best := ps[0]
	for _, p := range ps {
		if p.Lang == lang {
			best = p
			break
		}
		if p.Lang == s.Config.DefaultLanguage && best.Lang != lang {
			best = p
		}
	}
	for _, r := range best.Resources {
		if r.File == file {
			return best.Path + r.Name, true
		}
	}
	return "", false
}

// ResourceAt returns the resource published at a site path.
func (s *Site) ResourceAt(sitePath string) (Resource, bool) {
	r, ok := s.published[sitePath]
	return r, ok
}

// LinkedFile returns the file of the site folder that a relative link or
// front-matter path in p names: "anh.jpg" in content/articles/x/index.md
// is content/articles/x/anh.jpg. It returns "" for site paths, addresses
// and paths that climb out of content/.
func LinkedFile(p *Page, ref string) string {
	if ref == "" || strings.HasPrefix(ref, "/") || isRemote(ref) || p.File == "" {
		return ""
	}
	file := path.Join(path.Dir(p.File), ref)
	if !strings.HasPrefix(file, Dir+"/") {
		return ""
	}
	return file
}

// ResolveFiles turns the front-matter paths of p that name a resource of
// a bundle (image = "anh.jpg" beside an index.md, or a path to another
// bundle's file) into the site path the file is published at, as
// templates need them. Other paths stay as written: they name files of
// static/. The kind's fields are copied first: a Cache shares them.
func (s *Site) ResolveFiles(p *Page) {
	refs := []*string{&p.Image}
	if p.Newsletter != nil {
		n := *p.Newsletter
		p.Newsletter = &n
		refs = append(refs, &n.PDF, &n.Cover)
	}
	if p.Broadcast != nil {
		b := *p.Broadcast
		p.Broadcast = &b
		refs = append(refs, &b.Media)
	}
	if p.Banner != nil {
		b := *p.Banner
		p.Banner = &b
		refs = append(refs, &b.Photo)
	}
	if p.Document != nil {
		d := *p.Document
		p.Document = &d
		refs = append(refs, &d.File)
	}
	for _, ref := range refs {
		if u, ok := s.ResourceURL(LinkedFile(p, *ref), p.Lang); ok {
			*ref = u
		}
	}
}

// FileLang returns the language of the content file (a slash path from the
// site folder) as Load reads it: its content folder's, or its name's
// suffix, or the default language.
func FileLang(cfg *config.Config, file string) string {
	best, lang := "", ""
	for l, dir := range cfg.ContentDirs() {
		if dir != Dir && strings.HasPrefix(file, dir+"/") && len(dir) > len(best) {
			best, lang = dir, l
		}
	}
	if lang != "" {
		return lang
	}
	if _, l, err := fileLang(path.Base(file), cfg, ""); err == nil {
		return l
	}
	return cfg.DefaultLanguage
}

// TranslationPath returns where the version in lang of the content file
// (in from) goes: beside it with lang's suffix, or at the same place in
// lang's content folder, without one.
func TranslationPath(cfg *config.Config, file, from, lang string) string {
	dirs := cfg.ContentDirs()
	rel := strings.TrimSuffix(file, ".md")
	switch {
	case strings.HasPrefix(rel, dirs[from]+"/"):
		rel = strings.TrimPrefix(rel, dirs[from]+"/")
	default:
		rel = strings.TrimPrefix(rel, Dir+"/")
	}
	for _, l := range cfg.Langs() {
		rel = strings.TrimSuffix(rel, "."+l)
	}
	if dirs[lang] != Dir {
		return dirs[lang] + "/" + rel + ".md"
	}
	return Dir + "/" + rel + "." + lang + ".md"
}
