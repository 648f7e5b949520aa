package hugoimport

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"sxsh/generator/config"
	"sxsh/generator/content"
)

// otherFormats are the content formats Hugo reads besides Markdown in .md
// files; sxsh reads .md files only.
var otherFormats = map[string]string{
	".markdown": "Markdown", ".mdown": "Markdown", ".html": "HTML", ".htm": "HTML", ".org": "Org",
	".adoc": "AsciiDoc", ".asciidoc": "AsciiDoc", ".ad": "AsciiDoc", ".rst": "reStructuredText",
	".pdc": "Pandoc", ".pandoc": "Pandoc",
}

// sxshShortcodes are the shortcodes sxsh draws itself, Hugo's names.
var sxshShortcodes = []string{"figure", "highlight", "param", "ref", "relref", "vimeo", "youtube"}

// hugoShortcodes are the shortcodes Hugo has of its own.
var hugoShortcodes = []string{"figure", "gist", "highlight", "instagram", "param", "ref", "relref", "tweet", "twitter", "twitter_simple", "vimeo", "vimeo_simple", "youtube"}

// folderNotes say why a folder of a Hugo site is not carried over.
var folderNotes = []struct {
	dir   string
	group Group
	why   string
}{
	{"layouts", Theme, "Hugo templates: sxsh's templates are its own; copy the ones of sxsh's layouts/ you want to change"},
	{"themes", Theme, "themes: their templates, styles and scripts are Hugo's"},
	{"assets", Folders, "Hugo Pipes (Sass, JavaScript bundles, image processing): sxsh has its own CSS and JavaScript in static/"},
	{"data", Folders, "data files: sxsh's templates have no .Site.Data"},
	{"i18n", Folders, "UI strings: sxsh has its own, in layouts/i18n/<lang>.toml"},
	{"archetypes", Folders, "page templates of hugo new: sxsh new makes pages of sxsh's kinds"},
	{"resources", Folders, "Hugo's cache of processed images and styles: not needed"},
	{"public", Folders, "what Hugo built: sxsh builds its own"},
}

// shortcodeRe finds a shortcode's opening or closing tag; an escaped one,
// {{</* x */>}}, has a comment mark.
var shortcodeRe = regexp.MustCompile(`\{\{[<%]\s*(/\*)?\s*/?\s*([A-Za-z0-9_.\-/]+)`)

// planner collects the files to copy.
type planner struct {
	fsys  fs.FS
	r     *report
	files []Copy
	to    map[string]string // destination → source
	roots []string          // the content folders of languages of their own
}

// copy plans to copy from to to; a second file for the same destination
// is left out and noted, unless it is the same file.
func (p *planner) copy(from, to string, g Group) {
	if first, ok := p.to[to]; ok {
		a, errA := fs.ReadFile(p.fsys, first)
		b, errB := fs.ReadFile(p.fsys, from)
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			p.r.add(g, from, 0, "would be %s, as %s is: left out", to, first)
		}
		return
	}
	p.to[to] = from
	p.files = append(p.files, Copy{From: from, To: to})
}

// planFiles lists the content and static files to copy, the shortcode
// templates to write and the keys for site.toml's pageParams, and notes the folders, files, shortcodes and
// front-matter keys that are not carried over.
func planFiles(fsys fs.FS, hc *hugoConfig, langs *languageSet, r *report) ([]Copy, []Write, []string, error) {
	p := &planner{fsys: fsys, r: r, to: map[string]string{}}
	read := map[string]bool{}
	if err := p.content(langs, read); err != nil {
		return nil, nil, nil, err
	}
	staticDirs := []string{"static"}
	if s := hc.get("staticDir"); s != nil {
		staticDirs = nil
		switch v := s.val.(type) {
		case string:
			staticDirs = []string{v}
		case []any:
			for _, d := range v {
				staticDirs = append(staticDirs, fmt.Sprint(d))
			}
		}
	}
	for _, dir := range staticDirs {
		dir = strings.Trim(path.Clean("/"+dir), "/")
		read[strings.Split(dir, "/")[0]] = true
		err := walkFiles(fsys, dir, nil, func(rel string) { p.copy(path.Join(dir, rel), "static/"+rel, Folders) })
		if err != nil {
			return nil, nil, nil, err
		}
	}
	p.noteFolders(read, hc)
	written := p.noteShortcodes(hc)
	return p.files, written, p.pageParams(), nil
}

// content plans the content of the carried languages. A language alone
// in a content folder of its own keeps it, as sxsh's contentDir: its
// files are copied as they are, with the same path below content/ when
// the folder is inside content/, else under content/<code>. The others
// share content/, where a file's name says its language.
func (p *planner) content(langs *languageSet, read map[string]bool) error {
	codes := map[string]*language{}
	var dirs []string
	users := map[string][]*language{}
	for _, l := range langs.all {
		codes[l.code] = l
		if !slices.Contains(dirs, l.dir) {
			dirs = append(dirs, l.dir)
		}
		users[l.dir] = append(users[l.dir], l)
		read[strings.Split(l.dir, "/")[0]] = true
	}
	skipped := map[string]int{}
	for _, dir := range dirs {
		var carried []*language
		for _, l := range users[dir] {
			if l.carried {
				carried = append(carried, l)
			}
		}
		var inner []string
		for _, d := range dirs {
			if strings.HasPrefix(d, dir+"/") {
				inner = append(inner, d)
			}
		}
		if len(carried) == 0 {
			n := 0
			_ = walkFiles(p.fsys, dir, inner, func(string) { n++ })
			if n > 0 {
				p.r.add(Languages, dir+"/", 0, "%s of language %q: left out", count(n, "file", "files"), users[dir][0].code)
			}
			continue
		}
		to := "content"
		if len(carried) == 1 {
			l := carried[0]
			switch {
			case len(inner) == 0 && ownFolder(dir):
				to = dir
			case l.code != langs.deflt:
				to = "content/" + l.code
			}
			if to != "content" {
				l.to = to
				p.roots = append(p.roots, to)
			}
		}
		err := walkFiles(p.fsys, dir, inner, func(rel string) {
			from := path.Join(dir, rel)
			ext := strings.ToLower(path.Ext(rel))
			stem := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
			fileLang := ""
			if i := strings.LastIndexByte(stem, '.'); i >= 0 {
				if l := codes[strings.ToLower(stem[i+1:])]; l != nil {
					fileLang = l.code
				}
			}
			if fileLang != "" && !codes[fileLang].carried {
				skipped[fileLang]++
				return
			}
			if f, ok := otherFormats[ext]; ok {
				p.r.add(Content, from, 0, "a page in %s: sxsh reads Markdown in .md files only; not carried over", f)
				return
			}
			p.copy(from, to+"/"+rel, Content)
		})
		if err != nil {
			return err
		}
	}
	for _, code := range slices.Sorted(maps.Keys(skipped)) {
		p.r.add(Languages, "", 0, "%s named *.%s.*, of language %q: left out", count(skipped[code], "content file", "content files"), code, code)
	}
	return nil
}

// ownFolder reports whether dir, a language's content folder in the Hugo
// site, can be its content folder in sxsh as it is: a folder inside
// content/ whose names start with neither . nor _.
func ownFolder(dir string) bool {
	rest, ok := strings.CutPrefix(dir, "content/")
	if !ok || rest == "" {
		return false
	}
	for _, seg := range strings.Split(rest, "/") {
		if strings.HasPrefix(seg, ".") || strings.HasPrefix(seg, "_") {
			return false
		}
	}
	return true
}

// pageParams returns the top-level front-matter keys of the copied pages
// that sxsh does not read itself on their kind of page, for site.toml's
// pageParams, and notes each at the first page and line that sets it.
// The keys of a front matter that cannot be read are not looked at: sxsh
// check names its mistake.
func (p *planner) pageParams() []string {
	type use struct {
		file        string
		line, pages int
	}
	uses := map[string]*use{}
	for _, c := range p.files {
		if !strings.HasSuffix(c.To, ".md") {
			continue
		}
		src, err := fs.ReadFile(p.fsys, c.From)
		if err != nil {
			continue
		}
		keys, err := content.TopKeys(src)
		if err != nil {
			continue
		}
		rel := p.inContent(c.To)
		section, _, nested := strings.Cut(rel, "/")
		if !nested {
			section = ""
		}
		known := content.FrontMatterKeys(section, strings.HasPrefix(path.Base(rel), "_index."))
		for _, k := range keys {
			// Keys are matched as sxsh matches them, ignoring case.
			if slices.ContainsFunc(known, func(s string) bool { return strings.EqualFold(s, k.Name) }) {
				continue
			}
			u := uses[k.Name]
			if u == nil {
				u = &use{file: c.From, line: k.Line}
				uses[k.Name] = u
			}
			u.pages++
		}
	}
	var keys []string
	for _, k := range slices.Sorted(maps.Keys(uses)) {
		u := uses[k]
		if !config.ValidPageParam(k) {
			p.r.add(FrontMatter, u.file, u.line, "%q (%s): not a name pageParams can hold (letters, digits, - and _): rename it in the front matter, or sxsh check reports it", k, count(u.pages, "page", "pages"))
			continue
		}
		p.r.add(FrontMatter, u.file, u.line, "%s (%s): read into .Params; sxsh's layouts do not show it", k, count(u.pages, "page", "pages"))
		keys = append(keys, k)
	}
	return keys
}

// noteTermPages notes the _index files that give the pages of a taxonomy
// sxsh does not have their text (content/contributors/_index.md, and one
// per term below it): sxsh builds them as sections of their own, at the
// same addresses, which show that text but list no pages.
func noteTermPages(files []Copy, langs *languageSet, dropped map[string]*setting, r *report) {
	p := &planner{}
	for _, l := range langs.all {
		if l.to != "" {
			p.roots = append(p.roots, l.to)
		}
	}
	type found struct {
		first string
		n     int
	}
	byTaxonomy := map[string]*found{}
	for _, c := range files {
		rel := p.inContent(c.To)
		top, _, _ := strings.Cut(rel, "/")
		if _, ok := dropped[top]; !ok || !strings.HasPrefix(path.Base(rel), "_index.") {
			continue
		}
		f := byTaxonomy[top]
		if f == nil {
			f = &found{first: c.From}
			byTaxonomy[top] = f
		}
		f.n++
	}
	for _, name := range slices.Sorted(maps.Keys(byTaxonomy)) {
		f := byTaxonomy[name]
		r.add(Taxonomies, path.Dir(f.first)+"/", 0, "%s of taxonomy %q: sxsh makes them sections at the same addresses, showing their text but listing no pages (Hugo lists the pages of each term)", count(f.n, "_index file", "_index files"), name)
	}
}

// inContent returns the path of a copied content file inside its
// language's content folder, "docs/x.md" for content/en/docs/x.md.
func (p *planner) inContent(to string) string {
	root := "content"
	for _, r := range p.roots {
		if strings.HasPrefix(to, r+"/") && len(r) > len(root) {
			root = r
		}
	}
	return strings.TrimPrefix(to, root+"/")
}

// walkFiles calls f with the path, relative to dir, of every file below
// dir, except in the folders skip. A missing dir has no files.
func walkFiles(fsys fs.FS, dir string, skip []string, f func(rel string)) error {
	if _, err := fs.Stat(fsys, dir); err != nil {
		return nil
	}
	return fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %v", p, err)
		}
		if d.IsDir() {
			if slices.Contains(skip, p) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			f(strings.TrimPrefix(p, dir+"/"))
		}
		return nil
	})
}

// noteFolders notes the folders and files at the top of the Hugo site
// that are not read.
func (p *planner) noteFolders(read map[string]bool, hc *hugoConfig) {
	known := map[string]bool{configDir: true}
	for _, f := range hc.files {
		known[strings.Split(f, "/")[0]] = true
	}
	for _, n := range configNames {
		known[n] = true
	}
	for _, f := range folderNotes {
		known[f.dir] = true
		if read[f.dir] {
			continue
		}
		n := 0
		_ = walkFiles(p.fsys, f.dir, nil, func(string) { n++ })
		if n > 0 {
			p.r.add(f.group, f.dir+"/", 0, "%s, %s", count(n, "file", "files"), f.why)
		}
	}
	entries, _ := fs.ReadDir(p.fsys, ".")
	var other []string
	for _, e := range entries {
		name := e.Name()
		if read[name] || known[name] || strings.HasPrefix(name, ".") {
			continue
		}
		if e.IsDir() {
			name += "/"
		}
		other = append(other, name)
	}
	if len(other) > 0 {
		p.r.add(Folders, "", 0, "not read, as Hugo builds without them: %s", strings.Join(other, ", "))
	}
}

// noteShortcodes notes, for each copied page, the shortcodes it uses that
// sxsh does not draw, and where Hugo's template of each is. It returns the
// templates it writes for those it has an equivalent of, noted once each
// instead.
func (p *planner) noteShortcodes(hc *hugoConfig) []Write {
	defs := map[string]string{}
	dirs := []string{"layouts/shortcodes"}
	if s := hc.get("theme"); s != nil {
		for _, t := range strings.Fields(strings.Trim(fmt.Sprint(s.val), "[]")) {
			dirs = append(dirs, "themes/"+t+"/layouts/shortcodes")
		}
	}
	for _, dir := range dirs {
		_ = walkFiles(p.fsys, dir, nil, func(rel string) {
			name := strings.TrimSuffix(rel, path.Ext(rel))
			name = strings.Split(name, ".")[0] // alert.amp.html is alert's
			if _, ok := defs[name]; !ok {
				defs[name] = dir + "/" + rel
			}
		})
	}
	files := map[string][]string{}      // shortcode → files using it
	written := map[string]*equivalent{} // shortcode → its equivalent, nil for none
	for _, c := range p.files {
		if !strings.HasSuffix(c.To, ".md") || !strings.HasPrefix(c.To, "content/") {
			continue
		}
		src, err := fs.ReadFile(p.fsys, c.From)
		if err != nil {
			continue
		}
		seen := map[string]bool{}
		for _, m := range shortcodeRe.FindAllSubmatchIndex(src, -1) {
			if m[2] >= 0 {
				continue // {{</* escaped */>}}
			}
			name := string(src[m[4]:m[5]])
			if seen[name] {
				continue
			}
			seen[name] = true
			_, own := defs[name]
			if slices.Contains(sxshShortcodes, name) && !own {
				continue
			}
			line := bytes.Count(src[:m[0]], []byte("\n")) + 1
			files[name] = append(files[name], c.From)
			if _, ok := written[name]; !ok && own {
				hugo, _ := fs.ReadFile(p.fsys, defs[name])
				if e, ok := equivalentOf(name, hugo); ok {
					written[name] = &e
				} else {
					written[name] = nil
				}
			}
			if written[name] != nil {
				continue
			}
			var why string
			switch {
			case own:
				why = fmt.Sprintf("shortcode %q: its template %s is Hugo's, not carried over; sxsh needs one of its own in layouts/shortcodes/%s.html", name, defs[name], name)
			case slices.Contains(hugoShortcodes, name):
				why = fmt.Sprintf("shortcode %q: one of Hugo's own, which sxsh does not have", name)
			default:
				why = fmt.Sprintf("shortcode %q is defined nowhere in the site or its theme", name)
			}
			p.r.add(Shortcodes, c.From, line, "%s", why)
		}
	}
	var out []Write
	for _, name := range slices.Sorted(maps.Keys(written)) {
		e := written[name]
		if e == nil {
			continue
		}
		to := "layouts/shortcodes/" + name + ".html"
		out = append(out, Write{To: to, Data: []byte(e.text)})
		p.r.add(Shortcodes, defs[name], 0, "shortcode %q (%s): the import wrote sxsh's own %s, which reads the same arguments as this template; unlike it, %s", name, count(len(files[name]), "page", "pages"), to, e.unlike)
	}
	if len(files) > 0 {
		var list []string
		for _, name := range slices.Sorted(maps.Keys(files)) {
			list = append(list, fmt.Sprintf("%s (%s)", name, count(len(files[name]), "page", "pages")))
		}
		p.r.add(Shortcodes, "", 0, "used: %s", strings.Join(list, ", "))
	}
	return out
}
