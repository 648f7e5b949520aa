// Package layout loads a site's templates: the site's own layouts/ folder
// over the defaults embedded in sxsh, file by file, each template named by
// its path relative to layouts/ ("single.html", "partials/header.html").
// It also holds the UI strings of each language (layouts/i18n/<lang>.toml).
//
// A page template that defines "main" is rendered inside baseof.html;
// one that does not is rendered alone (the redirect page of an alias, say).
// Partials are the files under partials/ and can be used from any template.
// The files under shortcodes/ are the site's shortcodes (see package
// shortcode): shortcodes/notice.html is {{< notice >}} in Markdown.
package layout

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"sxsh/generator/diag"
)

// Dir is the site folder, and the embedded folder, that templates live in.
const Dir = "layouts"

const base = "baseof.html"

// Set is the parsed templates of a site, one copy per language, since the
// functions templates call (T, date, num) speak the page's language.
type Set struct {
	byLang map[string]map[string]*template.Template
	files  map[string]string // template name → file it came from, for errors
	i18n   map[string]map[string]string
	deflt  string
	sums   map[string]uint64 // page template name → Sum
	// shortcodes are the templates of shortcodes/ by language and
	// shortcode name; inner says which read .Inner.
	shortcodes map[string]map[string]*template.Template
	inner      map[string]bool
	// partials are the templates of partials/ by language, which
	// partialCached draws on their own; drawn is what it drew, by
	// language, name and variants (see Partial).
	partials map[string]*template.Template
	drawn    sync.Map
}

// FuncsFor returns the template functions bound to one language.
type FuncsFor func(lang string) template.FuncMap

// Load reads the templates of the site over the defaults. site may be nil.
// langs lists the site's languages, the default first.
func Load(defaults, site fs.FS, langs []string, funcs FuncsFor) (*Set, diag.List) {
	files := map[string][]byte{}
	origin := map[string]string{}
	var errs diag.List
	for _, src := range []struct {
		fsys fs.FS
		name string
	}{{defaults, "(built-in) " + Dir}, {site, Dir}} {
		if src.fsys == nil {
			continue
		}
		err := fs.WalkDir(src.fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return err
			}
			b, err := fs.ReadFile(src.fsys, p)
			if err != nil {
				return err
			}
			files[p] = b
			origin[p] = src.name + "/" + p
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs.Add(diag.Errorf(src.name, 0, 0, "cannot read templates: %v", err))
		}
	}
	s := &Set{byLang: map[string]map[string]*template.Template{}, files: origin, i18n: map[string]map[string]string{},
		shortcodes: map[string]map[string]*template.Template{}, inner: map[string]bool{}, partials: map[string]*template.Template{}}
	if len(langs) > 0 {
		s.deflt = langs[0]
	}
	var partials, pagesT, shortcodes []string
	for name := range files {
		switch {
		case strings.HasPrefix(name, "i18n/") && strings.HasSuffix(name, ".toml"):
			lang := strings.TrimSuffix(path.Base(name), ".toml")
			m := map[string]string{}
			if _, err := toml.Decode(string(files[name]), &m); err != nil {
				errs.Add(diag.Errorf(origin[name], 0, 0, "UI strings: %v (each line is key = \"text\")", err))
				continue
			}
			s.i18n[lang] = m
		case !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".txt"):
		case name == base:
		case strings.HasPrefix(name, "partials/"):
			partials = append(partials, name)
		case strings.HasPrefix(name, "shortcodes/"):
			if strings.HasSuffix(name, ".html") {
				shortcodes = append(shortcodes, name)
				s.inner[shortcodeName(name)] = bytes.Contains(files[name], []byte(".Inner"))
			}
		default:
			pagesT = append(pagesT, name)
		}
	}
	if _, ok := files[base]; !ok {
		errs.Add(diag.Errorf(Dir+"/"+base, 0, 0, "missing: every site needs a %s", base))
		return nil, errs
	}
	sort.Strings(partials)
	sort.Strings(pagesT)
	s.sums = sums(files, pagesT)
	for _, lang := range langs {
		common := template.New(base).Funcs(funcs(lang)).Option("missingkey=error")
		ok := parse(common, base, files[base], origin, &errs)
		for _, p := range partials {
			ok = parse(common.New(p), p, files[p], origin, &errs) && ok
		}
		// Shortcodes see the same functions and partials as pages.
		for _, p := range shortcodes {
			ok = parse(common.New(p), p, files[p], origin, &errs) && ok
		}
		if !ok {
			continue
		}
		s.partials[lang] = common
		s.shortcodes[lang] = map[string]*template.Template{}
		for _, p := range shortcodes {
			s.shortcodes[lang][shortcodeName(p)] = common.Lookup(p)
		}
		set := map[string]*template.Template{}
		for _, p := range pagesT {
			t, err := common.Clone()
			if err != nil {
				errs.Add(diag.Errorf(origin[p], 0, 0, "%v", err))
				continue
			}
			if !parse(t.New(p), p, files[p], origin, &errs) {
				continue
			}
			if t.Lookup("main") != nil && bytes.Contains(files[p], []byte(`define "main"`)) {
				set[p] = t // executes baseof.html with this page's blocks
			} else {
				set[p] = t.Lookup(p)
			}
		}
		s.byLang[lang] = set
	}
	errs.Sort()
	if errs.HasErrors() {
		return nil, errs.Dedupe() // each language parsed the same files
	}
	return s, nil
}

func parse(t *template.Template, name string, src []byte, origin map[string]string, errs *diag.List) bool {
	if _, err := t.Parse(string(src)); err != nil {
		errs.Add(templateError(err, origin))
		return false
	}
	return true
}

var tmplErrRe = regexp.MustCompile(`^template: ([^:]+):(\d+)(?::(\d+))?: (.*)$`)

// templateError converts html/template's "template: name:line:col: msg"
// into a diagnostic naming the file.
func templateError(err error, origin map[string]string) *diag.Diagnostic {
	// A partial drawn by partialCached has named its own file and line.
	if d := (*diag.Diagnostic)(nil); errors.As(err, &d) {
		return d
	}
	msg := err.Error()
	if m := tmplErrRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		file := origin[m[1]]
		if file == "" {
			file = Dir + "/" + m[1]
		}
		inner := m[4]
		// Execution errors repeat the template position; keep the message.
		if i := strings.LastIndex(inner, ": "); i >= 0 && strings.HasPrefix(inner, "executing") {
			inner = inner[i+2:]
		}
		return diag.Errorf(file, line, col, "%s", inner)
	}
	return diag.Errorf(Dir, 0, 0, "%s", strings.TrimPrefix(msg, "template: "))
}

// sums fingerprints each page template together with every file that is
// not a page template (baseof.html, the partials, the UI strings), which
// any page may use.
func sums(files map[string][]byte, pages []string) map[string]uint64 {
	isPage := map[string]bool{}
	for _, p := range pages {
		isPage[p] = true
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	shared := sha256.New()
	for _, name := range names {
		if !isPage[name] {
			fmt.Fprintf(shared, "%s\x00%d\x00", name, len(files[name]))
			shared.Write(files[name])
		}
	}
	out := map[string]uint64{}
	for _, p := range pages {
		h := sha256.New()
		h.Write(shared.Sum(nil))
		h.Write([]byte(p))
		h.Write(files[p])
		out[p] = binary.LittleEndian.Uint64(h.Sum(nil))
	}
	return out
}

// Sum fingerprints what rendering with the named page template reads of
// the layouts: the template's file, baseof.html, the partials and the UI
// strings. It changes whenever one of them does, and is 0 for a name that
// is not a page template.
func (s *Set) Sum(name string) uint64 { return s.sums[name] }

// Has reports whether a template of that name exists.
func (s *Set) Has(name string) bool {
	for _, set := range s.byLang {
		_, ok := set[name]
		return ok
	}
	return false
}

// Execute renders the named template for a page in lang. Errors name the
// template file and line.
func (s *Set) Execute(w io.Writer, lang, name string, data any) error {
	t := s.byLang[lang][name]
	if t == nil {
		return diag.Errorf(Dir+"/"+name, 0, 0, "no such template (language %q)", lang)
	}
	if err := t.Execute(w, data); err != nil {
		return templateError(err, s.files)
	}
	return nil
}

// Partial draws the partial name ("partials/footer.html" or
// "footer.html") for lang once for each list of variants, and returns
// that drawing every time after: the partialCached of templates, for what
// is the same on many pages, such as a footer that shows only the site's
// data, or a page's card in every list that shows it (with the page as
// variant). Which data it was drawn with is the caller's promise: the
// first caller's, for all. Forget starts over.
func (s *Set) Partial(lang, name string, data any, variants ...any) (template.HTML, error) {
	if !strings.HasPrefix(name, "partials/") {
		name = "partials/" + name
	}
	key := drawnKey{lang, name, variantKey(variants)}
	if html, ok := s.drawn.Load(key); ok {
		return html.(template.HTML), nil
	}
	t := s.partials[lang].Lookup(name)
	if t == nil {
		return "", fmt.Errorf("partialCached: there is no %s (give the name of a file in %s/partials/, such as \"footer.html\")", Dir+"/"+name, Dir)
	}
	var buf strings.Builder
	if err := t.Execute(&buf, data); err != nil {
		d := templateError(err, s.files)
		return "", diag.Errorf(d.File, d.Line, d.Col, "%s (partialCached draws this partial once for many pages: it sees only what they share)", d.Msg)
	}
	html, _ := s.drawn.LoadOrStore(key, template.HTML(buf.String()))
	return html.(template.HTML), nil
}

// drawnKey is what Partial keeps a drawing under.
type drawnKey struct {
	lang, name string
	variants   any
}

// variantList is the variants of a drawing that are not one comparable
// value, as text.
type variantList string

// variantKey is the variants as a map key: the one variant itself when it
// can be compared (a page pointer, a string: the usual cases, and cheap),
// else their text, where a pointer, map or slice is its address (the same
// page, not a page that prints the same) and a slice its length too.
func variantKey(vs []any) any {
	if len(vs) == 0 {
		return nil
	}
	if len(vs) == 1 && reflect.ValueOf(vs[0]).Comparable() {
		return vs[0]
	}
	var b strings.Builder
	for _, v := range vs {
		b.WriteByte(0)
		switch rv := reflect.ValueOf(v); rv.Kind() {
		case reflect.Slice:
			fmt.Fprintf(&b, "%p:%d", v, rv.Len())
		case reflect.Pointer, reflect.Map:
			fmt.Fprintf(&b, "%p", v)
		default:
			fmt.Fprint(&b, v)
		}
	}
	return variantList(b.String())
}

// Forget forgets what Partial drew, for a build that draws the pages again
// with changed data.
func (s *Set) Forget() { s.drawn.Clear() }

// shortcodeName is the name Markdown calls the shortcode in file by.
func shortcodeName(file string) string {
	return strings.TrimSuffix(strings.TrimPrefix(file, "shortcodes/"), ".html")
}

// Shortcode reports whether the site has layouts/shortcodes/NAME.html, and
// whether it reads .Inner (so that Markdown must close it).
func (s *Set) Shortcode(name string) (ok, inner bool) {
	inner, ok = s.inner[name]
	return ok, inner
}

// ExecuteShortcode renders the named shortcode for a page in lang. Errors
// name the template file and line.
func (s *Set) ExecuteShortcode(w io.Writer, lang, name string, data any) error {
	t := s.shortcodes[lang][name]
	if t == nil {
		return diag.Errorf(Dir+"/shortcodes/"+name+".html", 0, 0, "no such shortcode (language %q)", lang)
	}
	if err := t.Execute(w, data); err != nil {
		return templateError(err, s.files)
	}
	return nil
}

// T returns the UI string key in lang, falling back to the default
// language and then to the key itself, so a missing string shows but never
// breaks a page. Extra arguments fill %s / %d verbs in the string.
func (s *Set) T(lang, key string, args ...any) string {
	msg, ok := s.i18n[lang][key]
	if !ok {
		msg, ok = s.i18n[s.deflt][key]
	}
	if !ok {
		msg = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}
