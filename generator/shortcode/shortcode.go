// Package shortcode expands Hugo's shortcodes in the Markdown of a page:
// {{< name args >}}, {{< name >}}inner{{< /name >}}, {{% name %}}Markdown{{% /name %}},
// self-closing {{< name />}}, nesting, and {{</* name */>}} to show one as
// written. Content copied from Hugo sites keeps working, and a site can add
// its own in layouts/shortcodes/NAME.html.
//
// Each shortcode becomes a markdown.Fragment: its place in the Markdown is
// taken by a placeholder word, the document is rendered, and the
// shortcode's HTML is written where the placeholder came out, while its
// plain text goes to the text that summaries and the search index read.
// Positions are counted in what the editor wrote, so that any error after a
// shortcode still names the right line and column.
//
// Shortcodes inside code (`…` and fenced or indented blocks) are left as
// written, escapes included: an editor who documents a shortcode in code
// sees what was typed. (Hugo expands them there; its sites write {{</* */>}}
// in code instead, which sxsh shows as typed and warns about.)
//
// The text between {{% name %}} and {{% /name %}} is Markdown, rendered
// like the rest of the page; between {{< name >}} and {{< /name >}} it is
// text, shown as typed: raw HTML in it is escaped unless the site allows
// raw HTML, as in Markdown. Shortcodes nested in either are expanded.
package shortcode

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io"
	"sort"
	"strings"

	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"sxsh/generator/diag"
	"sxsh/generator/markdown"
)

// Templates are a site's own shortcodes (layouts/shortcodes/NAME.html).
// They must be safe for concurrent use.
type Templates interface {
	// Shortcode reports whether the site has a shortcode of that name,
	// and whether its template reads .Inner, which makes the closing tag
	// required.
	Shortcode(name string) (ok, inner bool)
	// ExecuteShortcode runs the named shortcode for a page in lang with
	// data as its dot. Errors name the template file and line.
	ExecuteShortcode(w io.Writer, lang, name string, data any) error
}

// Options configure a Set.
type Options struct {
	// Markdown renders the pages and the Markdown inside {{% %}}.
	Markdown *markdown.Renderer
	// Templates are the site's shortcodes; nil for none. One named like a
	// built-in replaces it.
	Templates Templates
	// UnsafeHTML lets raw HTML between {{< name >}} and {{< /name >}}
	// through, as markdown.Options.UnsafeHTML does in Markdown.
	UnsafeHTML bool
}

// Set renders documents with shortcodes. It holds no state of its own
// between calls and is safe for concurrent use.
type Set struct {
	opts Options
}

// New returns a Set.
func New(opts Options) *Set { return &Set{opts: opts} }

// Doc is a page's body to render, and what its shortcodes may read of the
// page and the site.
type Doc struct {
	// Doc is the body as the editor wrote it, with its file, line and
	// link resolver. Its fragment fields are filled by Render.
	markdown.Doc
	Lang string
	// Page and Site are .Page and .Site of a site's shortcode templates.
	Page, Site any
	// Params and SiteParams are the page's [params] and site.toml's
	// [params], where {{< param >}} looks, in that order.
	Params, SiteParams map[string]any
	// T returns a UI string in Lang (the links of video shortcodes use
	// "videoOn"); nil uses English.
	T func(key string, args ...any) string
	// Named returns the addresses of the published pages in Lang whose
	// file is named name (name.md, or a bundle's folder name), for a ref
	// by a page's name alone, as Hugo finds it anywhere in the site; nil
	// finds none.
	Named func(name string) []string
}

// Render renders d's Markdown with its shortcodes expanded. Mistakes in
// shortcodes are diagnostics in the result, at the file, line and column
// of the shortcode.
func (s *Set) Render(d Doc) *markdown.Result {
	src := d.Source
	if !bytes.Contains(src, []byte("{{<")) && !bytes.Contains(src, []byte("{{%")) {
		return s.opts.Markdown.Render(d.Doc)
	}
	e := &expander{set: s, doc: &d, src: src, key: markdown.PlaceholderKey(src), line: max(d.Line, 1)}
	code := s.opts.Markdown.CodeRanges(src)
	e.warnEscapesInCode(code)
	tags, errs := scan(src, code)
	for _, err := range errs {
		e.errorAt(err.at, "%s", err.msg)
	}
	nodes, errs := build(tags, e.needsInner)
	for _, err := range errs {
		e.errorAt(err.at, "%s", err.msg)
	}
	res := e.render(0, len(src), nodes)
	res.Diags = append(res.Diags, e.diags...)
	res.Links = append(res.Links, e.links...)
	sort.SliceStable(res.Links, func(i, j int) bool {
		a, b := res.Links[i], res.Links[j]
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	res.Diags.Sort()
	return res
}

// expander holds what one Render call gathers.
type expander struct {
	set   *Set
	doc   *Doc
	src   []byte // the body as written
	key   string // placeholders' key
	line  int    // the body's first line in the file
	diags diag.List
	links []markdown.Link
}

func (e *expander) pos(off int) (line, col int) { return markdown.Position(e.src, e.line, off) }

func (e *expander) errorAt(off int, format string, args ...any) {
	line, col := e.pos(off)
	e.diags.Add(diag.Errorf(e.doc.File, line, col, format, args...))
}

// warnEscapesInCode tells about {{</* inside code, which Hugo sites write
// to show a shortcode there and which sxsh shows as typed.
func (e *expander) warnEscapesInCode(code [][2]int) {
	for _, r := range code {
		part := e.src[r[0]:r[1]]
		for _, esc := range []string{"{{</*", "{{%/*"} {
			if i := bytes.Index(part, []byte(esc)); i >= 0 {
				line, col := e.pos(r[0] + i)
				e.diags.Add(diag.Warnf(e.doc.File, line, col, "%s in code is shown as typed: write %s name %s in code to show a shortcode", esc, esc[:3], map[byte]string{'<': ">}}", '%': "%}}"}[esc[2]]))
				break
			}
		}
	}
}

// needsInner reports whether a shortcode must have a closing tag.
func (e *expander) needsInner(name string) bool {
	if t := e.set.opts.Templates; t != nil {
		if ok, inner := t.Shortcode(name); ok {
			return inner
		}
	}
	return name == "highlight"
}

// rewrite returns the Markdown of src[from:to] with each node in it
// replaced by a placeholder, and the fragments they stand for.
func (e *expander) rewrite(from, to int, nodes []*node) ([]byte, []markdown.Fragment) {
	var out []byte
	frags := make([]markdown.Fragment, 0, len(nodes))
	last := from
	for i, n := range nodes {
		if i >= markdown.MaxFragments {
			e.errorAt(n.from, "more than %d shortcodes in one page: split the page", markdown.MaxFragments)
			break
		}
		out = append(out, e.src[last:n.from]...)
		out = append(out, markdown.Placeholder(e.key, i)...)
		f := e.expand(n)
		f.From, f.To = n.from, n.to
		frags = append(frags, f)
		last = n.to
	}
	return append(out, e.src[last:to]...), frags
}

// render renders src[from:to] as Markdown with the shortcodes in nodes.
func (e *expander) render(from, to int, nodes []*node) *markdown.Result {
	source, frags := e.rewrite(from, to, nodes)
	md := e.doc.Doc
	md.Source, md.Fragments, md.Key, md.Origin, md.Start, md.Line = source, frags, e.key, e.src, from, e.line
	return e.set.opts.Markdown.Render(md)
}

// expand renders one shortcode. A shortcode in error becomes nothing; the
// error is reported.
func (e *expander) expand(n *node) markdown.Fragment {
	if n.literal != "" {
		return markdown.Fragment{HTML: esc(n.literal), Text: n.literal}
	}
	c := &call{e: e, n: n}
	if t := e.set.opts.Templates; t != nil {
		if ok, _ := t.Shortcode(n.name); ok {
			return e.template(c)
		}
	}
	b := builtinFor(n.name)
	if b == nil {
		e.errorAt(n.from, "unknown shortcode %q: add layouts/shortcodes/%s.html or remove it", n.name, n.name)
		return markdown.Fragment{}
	}
	f, err := b(c)
	if err != nil {
		e.errorAt(n.from, "%s: %v", n.name, err)
		return markdown.Fragment{}
	}
	return f
}

// inner returns a closed shortcode's inner content as HTML, and its text.
func (e *expander) inner(n *node) (template.HTML, string) {
	if !n.closed {
		return "", ""
	}
	if n.markdown {
		res := e.render(n.innerFrom, n.innerTo, n.children)
		e.diags = append(e.diags, res.Diags...)
		e.links = append(e.links, res.Links...)
		return template.HTML(res.HTML), res.Text
	}
	var h, t strings.Builder
	last := n.innerFrom
	raw := func(b []byte) {
		t.Write(b)
		if e.set.opts.UnsafeHTML {
			h.Write(b)
		} else {
			h.WriteString(esc(string(b)))
		}
	}
	for _, c := range n.children {
		raw(e.src[last:c.from])
		f := e.expand(c)
		h.WriteString(f.HTML)
		t.WriteString(f.Text)
		last = c.to
	}
	raw(e.src[last:n.innerTo])
	return template.HTML(h.String()), t.String()
}

// template runs a site's own shortcode.
func (e *expander) template(c *call) markdown.Fragment {
	inner, _ := e.inner(c.n) // its text is in the output's, where the template shows it
	data := &Call{Name: c.n.name, Inner: inner, Page: e.doc.Page, Site: e.doc.Site, IsNamedParams: c.n.isNamed, c: c}
	if c.n.isNamed {
		data.Params = c.n.named
	} else {
		data.Params = c.n.pos
	}
	var buf bytes.Buffer
	if err := e.set.opts.Templates.ExecuteShortcode(&buf, e.doc.Lang, c.n.name, data); err != nil {
		e.errorAt(c.n.from, "shortcode %q: %v", c.n.name, err)
		return markdown.Fragment{}
	}
	out := buf.String()
	return markdown.Fragment{HTML: out, Text: htmlText(out), Block: isBlock(out)}
}

// Call is the dot of a site's shortcode template.
type Call struct {
	// Name is the shortcode's name.
	Name string
	// Inner is what stands between the opening and closing tags, as HTML:
	// for {{% %}} the Markdown rendered; for {{< >}} the text, escaped
	// unless the site allows raw HTML. Nested shortcodes are expanded.
	Inner template.HTML
	// Page is the page being rendered; Site the site in its language
	// (.Site.Params and the rest, as page templates see it).
	Page, Site any
	// Params are the arguments: a list of strings, or a map of them when
	// they are named (IsNamedParams).
	Params        any
	IsNamedParams bool
	c             *call
}

// Get returns an argument by position (.Get 0) or by name (.Get "src"),
// "" when there is none.
func (c *Call) Get(key any) (string, error) {
	switch k := key.(type) {
	case int:
		if k >= 0 && k < len(c.c.n.pos) {
			return c.c.n.pos[k], nil
		}
		return "", nil
	case string:
		return c.c.n.named[k], nil
	}
	return "", fmt.Errorf("Get takes a position (.Get 0) or a name (.Get \"src\"), not %T", key)
}

// call is one shortcode being expanded, as the built-ins see it.
type call struct {
	e *expander
	n *node
}

// arg returns the named argument, or else the positional one at pos (-1
// for none).
func (c *call) arg(name string, pos int) string {
	if c.n.isNamed {
		return c.n.named[name]
	}
	if pos >= 0 && pos < len(c.n.pos) {
		return c.n.pos[pos]
	}
	return ""
}

// only checks that the shortcode has no named arguments but these, and
// no more than max positional ones.
func (c *call) only(max int, names ...string) error {
	for k := range c.n.named {
		found := false
		for _, n := range names {
			found = found || n == k
		}
		if !found {
			return fmt.Errorf("unknown argument %q (it takes %s)", k, strings.Join(names, ", "))
		}
	}
	if len(c.n.pos) > max {
		return fmt.Errorf("takes at most %d unnamed arguments, got %d: name them (%s)", max, len(c.n.pos), strings.Join(names, ", "))
	}
	return nil
}

// resolve resolves a destination as the page's Markdown links are, and
// records it as a link of the page.
func (c *call) resolve(dest string, image bool) (string, error) {
	// A script in an address would run when a reader follows it: only
	// the site's own unsafeHTML lets such raw markup through.
	if !c.e.set.opts.UnsafeHTML && gmhtml.IsDangerousURL([]byte(strings.TrimSpace(dest))) {
		return dest, fmt.Errorf("an address that runs a script is not allowed: link to a page or a file")
	}
	u := dest
	if r := c.e.doc.Resolve; r != nil {
		var err error
		if u, err = r(dest, image); err != nil {
			return dest, err
		}
	}
	line, col := c.e.pos(c.n.from)
	c.e.links = append(c.e.links, markdown.Link{Dest: dest, URL: u, Image: image, Line: line, Col: col})
	return u, nil
}

// blockTags are the elements that make a shortcode's output a block of its
// own rather than a part of a paragraph.
var blockTags = map[string]bool{"address": true, "article": true, "aside": true, "blockquote": true, "details": true,
	"div": true, "dl": true, "fieldset": true, "figure": true, "footer": true, "form": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hr": true, "nav": true, "ol": true, "p": true,
	"pre": true, "section": true, "table": true, "ul": true, "video": true, "audio": true, "iframe": true}

// isBlock reports whether HTML starts with a block element.
func isBlock(h string) bool {
	h = strings.TrimSpace(h)
	if !strings.HasPrefix(h, "<") {
		return false
	}
	end := strings.IndexAny(h[1:], " \t\n>/")
	if end < 0 {
		return false
	}
	return blockTags[strings.ToLower(h[1:1+end])]
}

// esc escapes text for HTML as goldmark does, so that a shortcode's code
// block is the same as a fenced one.
func esc(s string) string { return string(util.EscapeHTML([]byte(s))) }

// htmlText returns the text of HTML: tags removed (each leaving a space),
// entities decoded, runs of white space made one.
func htmlText(h string) string {
	var b strings.Builder
	for len(h) > 0 {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			b.WriteString(h)
			break
		}
		b.WriteString(h[:i])
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		h = h[i+j+1:]
		b.WriteByte(' ')
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}
