// Package markdown turns the Markdown body of a content file into HTML, and
// at the same pass gathers what the rest of the site needs from it: the
// headings for a table of contents, the plain text for summaries and the
// search index, and every link for the link checker.
//
// It is goldmark set up once per site: CommonMark with the GFM extensions
// (tables, strikethrough, autolinks, task lists), footnotes and {#id}
// attributes on headings. The typographer is left out on purpose: it would
// rewrite quotes and dashes in Vietnamese text that editors typed as they
// meant it.
//
// Positions: goldmark reports byte offsets into the body; Render turns them
// into a line in the content file (adding Doc.Line) and a column counted in
// characters (runes) from 1, the way editors count them on a line of
// Vietnamese text. A link's position is that of its opening "[" ("!" for an
// image), as goldmark records it; an autolink's is the first character of its
// URL. Where goldmark records no position, the first character of the link's
// text is used, and failing that the start of the block holding the link.
package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"sxsh/generator/diag"
)

// Options configure a Renderer. A Renderer is built once per site and used
// concurrently by many goroutines.
type Options struct {
	// UnsafeHTML lets raw HTML in Markdown through. When false (the default),
	// raw HTML blocks and inline raw HTML are written escaped as visible text
	// ("&lt;script&gt;"), so that editors see what they typed instead of a
	// silent gap. HTML comments are the exception: an editor writes one to
	// hide a note, so it is left out of the page rather than shown.
	UnsafeHTML bool
	// HeadingID turns a heading's plain text into an id; the site passes its
	// Vietnamese-folding slug ("Kết quả đạt được" -> "ket-qua-dat-duoc"). If
	// nil, an ASCII fallback keeps ASCII letters and digits, lower-cased,
	// drops other letters and joins words with hyphens. Duplicate ids within one document get "-1", "-2"…
	// suffixes; an empty slug becomes "section"; an explicit {#custom-id} on a
	// heading wins over generated ones anywhere in the document.
	HeadingID func(text string) string
}

// Renderer renders Markdown documents with one goldmark set-up. It is safe
// for concurrent use.
type Renderer struct {
	md   goldmark.Markdown
	slug func(string) string
	pool sync.Pool // *scratch, so that busy workers reuse their buffers
}

// scratch holds the buffers one Render call writes into.
type scratch struct {
	out  bytes.Buffer
	bw   *bufio.Writer // wraps out: goldmark writes through a util.BufWriter
	tmp  bytes.Buffer
	tbw  *bufio.Writer // wraps tmp, for decoding text the way goldmark writes it
	line []byte
}

// New builds a Renderer. Building goldmark is costly, so a site builds one
// Renderer and shares it between its workers.
func New(opts Options) *Renderer {
	slug := opts.HeadingID
	if slug == nil {
		slug = asciiSlug
	}
	var htmlOpts []renderer.Option
	if opts.UnsafeHTML {
		htmlOpts = append(htmlOpts, html.WithUnsafe())
	}
	htmlOpts = append(htmlOpts, renderer.WithNodeRenderers(
		// goldmark registers renderers from the highest priority number
		// down, so the lowest number is registered last and wins: these
		// replace the stock table and raw-HTML renderers (500 and 1000).
		util.Prioritized(&siteHTML{unsafe: opts.UnsafeHTML}, 100),
	))
	md := goldmark.New(
		// GFM, with table cells aligned by the align attribute rather than
		// style="", which a Content-Security-Policy without 'unsafe-inline'
		// styles would block.
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough, extension.Linkify, extension.TaskList, extension.Footnote),
		goldmark.WithParserOptions(
			// Only explicit ids are parsed here: generated ids are given
			// after inline parsing (see assignIDs), so the slug sees the
			// heading as readers see it rather than its raw Markdown.
			parser.WithHeadingAttribute(),
		),
		goldmark.WithRendererOptions(htmlOpts...),
	)
	r := &Renderer{md: md, slug: slug}
	r.pool.New = func() any {
		s := &scratch{}
		s.bw = bufio.NewWriterSize(&s.out, 4096)
		s.tbw = bufio.NewWriterSize(&s.tmp, 512)
		return s
	}
	return r
}

// Doc is one document to render.
type Doc struct {
	Source []byte // the Markdown body (front matter already removed)
	File   string // path for diagnostics, e.g. "content/articles/x.vi.md"
	// Line is the line number in File of Source's first line, so that
	// diagnostics name the line in the file; zero is taken as 1.
	Line int
	// Resolve maps each link or image destination in the document to the URL
	// to write. It is called for every destination and returns the
	// destination unchanged for URLs it does not manage. A non-nil error
	// becomes a diagnostic at the link's line:col ("broken link ...: err")
	// and the destination is written unchanged. Nil keeps all destinations.
	Resolve func(dest string, image bool) (string, error)
	// Picture, when set, is asked about each image whose destination
	// Resolve took, with the destination as written and the URL Resolve
	// made of it. It returns the src to write instead ("" keeps the URL)
	// and the attributes to add (srcset, sizes, width, height); an error
	// becomes a diagnostic at the image. Every image is written with
	// loading="lazy" and decoding="async" after them.
	Picture func(dest, url string) (src string, attrs []Attr, err error)

	// Fragments are pieces made outside Markdown whose placeholders
	// (Placeholder(Key, i) for Fragments[i]) Source holds. Source is then a
	// rewriting of Origin[Start:], the text the editor wrote, in which each
	// placeholder stands for Origin[From:To] of its fragment; positions are
	// counted in Origin, whose first line is Line.
	Fragments []Fragment
	Key       string
	Origin    []byte
	Start     int
}

// Attr is an attribute of an HTML element.
type Attr struct{ Name, Value string }

// Heading is one heading of a document.
type Heading struct {
	Level int    // 1 to 6
	ID    string // the id attribute written on the heading
	Text  string // plain text, markup stripped
}

// Link is one link or image destination in a document.
type Link struct {
	Dest  string // as written in the Markdown (escapes and entities resolved)
	URL   string // as written to the HTML, after Doc.Resolve
	Image bool
	Line  int // in Doc.File
	Col   int // in characters, from 1
}

// Section is the plain text between one h2 or h3 heading and the next.
type Section struct {
	Heading Heading // zero for the text before the first heading
	Text    string
}

// Result is what Render found in a document.
type Result struct {
	HTML []byte    // the body HTML
	TOC  []Heading // h2..h4 in document order
	// Text is the plain text of the document: block texts separated by
	// "\n", inline markup stripped, code kept, no HTML tags, entities
	// decoded; images contribute nothing. For summaries and the search index.
	Text string
	// Sections is Text split at h2 and h3 headings. Text before the first
	// heading, if any, comes first with a zero Heading.
	Sections []Section
	Links    []Link    // every link and image destination, in document order
	Diags    diag.List // problems found, with File, Line and Col set
}

// Render renders d. It never panics on user input: should goldmark fail on
// some document, the failure is a diagnostic and the HTML is empty.
func (r *Renderer) Render(d Doc) (res *Result) {
	res = &Result{}
	line := d.Line
	if line <= 0 {
		line = 1
	}
	s := r.pool.Get().(*scratch)
	defer func() {
		if p := recover(); p != nil {
			res = &Result{}
			res.Diags.Add(diag.Errorf(d.File, line, 0, "markdown: cannot render this document: %v", p))
			// The scratch buffers may be half-written: drop them.
			return
		}
		r.pool.Put(s)
	}()

	ids := newHeadingIDs(r.slug)
	pc := parser.NewContext(parser.WithIDs(ids))
	doc := r.md.Parser().Parse(text.NewReader(d.Source), parser.WithContext(pc))

	w := &walker{
		src:     d.Source,
		doc:     &d,
		res:     res,
		s:       s,
		ids:     ids,
		pos:     positions{src: d.Source, first: line},
		textBuf: make([]byte, 0, len(d.Source)),
	}
	if d.Origin != nil {
		w.marks = findMarks(d.Source, d.Key, len(d.Fragments))
		w.pos.src = d.Origin
		w.pos.origin = &origin{start: d.Start, marks: w.marks, frags: d.Fragments}
	}
	w.walk(doc)

	s.out.Reset()
	s.bw.Reset(&s.out)
	if err := r.md.Renderer().Render(s.bw, d.Source, doc); err != nil {
		res.Diags.Add(diag.Errorf(d.File, line, 0, "markdown: %v", err))
	}
	if len(w.marks) > 0 {
		var out bytes.Buffer
		out.Grow(s.out.Len())
		writeFragments(&out, s.out.Bytes(), &d)
		res.HTML = out.Bytes()
	} else {
		res.HTML = bytes.Clone(s.out.Bytes())
	}
	if s.out.Cap() > 1<<20 {
		// Keep one huge document from pinning its buffer in the pool.
		s.out = bytes.Buffer{}
		s.bw.Reset(&s.out)
	}
	return res
}

// brokenLink is the diagnostic for a destination that Doc.Resolve rejected.
func brokenLink(file string, line, col int, dest string, err error) *diag.Diagnostic {
	return diag.Errorf(file, line, col, "broken link %q: %v", dest, err)
}

// String describes h for test failures and debugging.
func (h Heading) String() string { return fmt.Sprintf("h%d#%s %q", h.Level, h.ID, h.Text) }
