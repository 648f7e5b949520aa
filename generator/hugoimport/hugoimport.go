// Package hugoimport turns a Hugo site into an sxsh site. It reads the Hugo
// site through io/fs and returns what the new site is made of: a site.toml
// made from Hugo's configuration, the content and static files to copy as
// they are, and a report of everything it could not carry over and why.
// Writing is left to the caller, so that nothing here can write into the
// Hugo site it reads.
package hugoimport

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Site is the sxsh site that a Hugo site becomes.
type Site struct {
	// Config is the text of the new site's site.toml.
	Config []byte
	// Files are the files to copy from the Hugo site, content/ and
	// static/, in a stable order.
	Files []Copy
	// Written are the files the import writes of its own, with what they
	// hold: the shortcode templates it has equivalents of.
	Written []Write
	// Languages are the new site's language codes, the default first.
	Languages []string
	// Notes report what was left behind, ordered by group, file and line.
	Notes []Note
}

// Copy is one file to copy: From in the Hugo site, To in the new site,
// both slash-separated paths relative to their site's folder.
type Copy struct {
	From, To string
}

// Write is a file the import writes: To in the new site, a slash path.
type Write struct {
	To   string
	Data []byte
}

// Group is a kind of thing an import leaves behind; a report lists its
// notes group by group, in the order of the constants.
type Group int

// The groups of a report.
const (
	Theme       Group = iota // the theme, layouts and Hugo modules
	Shortcodes               // shortcodes the content uses that sxsh does not draw
	FrontMatter              // the theme's front-matter keys, read into .Params
	Languages                // languages left out, and language settings
	Menus                    // menus and menu entries sxsh has no place for
	Taxonomies               // taxonomies other than categories and tags
	Permalinks               // permalink patterns
	Outputs                  // output formats and media types
	Content                  // content files sxsh does not read
	Folders                  // data/, assets/, i18n/, archetypes/ and other folders
	Settings                 // configuration keys with no sxsh meaning
)

var groupTitles = [...]string{
	Theme:       "theme and layouts: sxsh draws pages with its own templates",
	Shortcodes:  "shortcodes that the content uses and sxsh does not draw",
	FrontMatter: "front-matter keys that sxsh does not read, listed in site.toml's pageParams",
	Languages:   "languages",
	Menus:       "menus: sxsh has one menu, main, of one level",
	Taxonomies:  "taxonomies: sxsh has categories and tags",
	Permalinks:  "permalinks: a page's address is its section and slug (or its url)",
	Outputs:     "output formats: sxsh makes HTML pages, RSS feeds, sitemap.xml and its search index",
	Content:     "content",
	Folders:     "folders sxsh does not read",
	Settings:    "settings with no meaning in sxsh",
}

// String returns the group's heading in a report.
func (g Group) String() string {
	if g >= 0 && int(g) < len(groupTitles) {
		return groupTitles[g]
	}
	return fmt.Sprintf("group %d", int(g))
}

// Note is one thing left behind: the file of the Hugo site it is in, the
// line where known, and why.
type Note struct {
	Group Group
	File  string // slash-separated, relative to the Hugo site; "" for the site as a whole
	Line  int    // 0 when unknown
	Msg   string
}

// String formats the note as sxsh's messages are: "hugo.toml:12: msg".
func (n Note) String() string {
	switch {
	case n.File == "":
		return n.Msg
	case n.Line > 0:
		return fmt.Sprintf("%s:%d: %s", n.File, n.Line, n.Msg)
	}
	return n.File + ": " + n.Msg
}

// report collects notes.
type report struct{ notes []Note }

func (r *report) add(g Group, file string, line int, format string, args ...any) {
	r.notes = append(r.notes, Note{Group: g, File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// addAt adds a note about a setting.
func (r *report) addAt(g Group, s *setting, format string, args ...any) {
	r.add(g, s.file, s.line, format, args...)
}

func (r *report) sorted() []Note {
	sort.SliceStable(r.notes, func(i, j int) bool {
		a, b := r.notes[i], r.notes[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return r.notes
}

// Import reads the Hugo site in fsys and returns the sxsh site it becomes.
// The error is a diag.List naming the file and line when Hugo's
// configuration cannot be read, or says why fsys is no Hugo site.
func Import(fsys fs.FS) (*Site, error) {
	r := &report{}
	hc, err := readConfig(fsys, r)
	if err != nil {
		return nil, err
	}
	conf, langs, err := makeConfig(hc, r)
	if err != nil {
		return nil, err
	}
	files, written, pageParams, err := planFiles(fsys, hc, langs, r)
	if err != nil {
		return nil, err
	}
	conf.PageParams = pageParams
	noteTermPages(files, langs, conf.dropped, r)
	for _, l := range langs.all {
		if l.carried {
			conf.Languages[l.code].ContentDir = l.to
		}
	}
	text, err := conf.encode(hc.files)
	if err != nil {
		return nil, err
	}
	return &Site{Config: text, Files: files, Written: written, Languages: langs.codes(), Notes: r.sorted()}, nil
}

// count says "1 file" or "3 files".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// quoteList writes names as "a", "b" and "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
