package markdown

import (
	"bytes"
	"html"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"

	"sxsh/generator/diag"
)

// walker goes once over a parsed document before it is rendered: it gives
// headings their ids, resolves and records links, marks external links and
// lazy images, and gathers the plain text.
type walker struct {
	src []byte
	doc *Doc
	res *Result
	s   *scratch
	ids *headingIDs
	pos positions
	// marks are the placeholders of Doc.Fragments in src.
	marks []mark

	textBuf []byte          // Result.Text being built
	section strings.Builder // text of the current section
	alt     []byte          // image alt text of the current block, for sections only
	sec     Section         // the current section, Text not yet set
	inSec   bool            // a heading has opened a section
}

func (w *walker) walk(doc ast.Node) {
	w.reserveExplicitIDs(doc)
	w.blocks(doc)
	w.closeSection()
	w.res.Text = string(w.substText(w.textBuf))
}

// reserveExplicitIDs puts every {#id} written on a heading into the id set
// before any id is generated, so that a written id wins even over a heading
// earlier in the document.
func (w *walker) reserveExplicitIDs(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() != ast.TypeBlock {
			continue
		}
		if c.Kind() == ast.KindHeading {
			if id, ok := explicitID(c); ok {
				w.ids.Put(id)
			}
			continue
		}
		w.reserveExplicitIDs(c)
	}
}

func explicitID(n ast.Node) ([]byte, bool) {
	v, ok := n.AttributeString("id")
	if !ok {
		return nil, false
	}
	id, ok := v.([]byte)
	return id, ok && len(id) > 0
}

// blocks walks the block structure under n in document order.
func (w *walker) blocks(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			w.heading(c)
		case *ast.Paragraph, *ast.TextBlock:
			w.s.line = collapseSpaces(w.inline(c, w.s.line[:0]))
			w.emit(w.s.line)
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			w.s.line = w.s.line[:0]
			lines := c.Lines()
			for i := 0; i < lines.Len(); i++ {
				w.s.line = append(w.s.line, segValue(lines.At(i), w.src)...)
			}
			w.emit(w.s.line)
		case *ast.HTMLBlock:
			w.s.line = appendHTMLText(w.s.line[:0], c, w.src)
			w.emit(w.s.line)
		case *east.Table:
			for row := c.FirstChild(); row != nil; row = row.NextSibling() {
				w.s.line = w.s.line[:0]
				for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
					if cell != row.FirstChild() {
						w.s.line = append(w.s.line, ' ')
					}
					w.s.line = w.inline(cell, w.s.line)
				}
				w.emit(collapseSpaces(w.s.line))
			}
		default:
			w.blocks(c)
		}
	}
}

// heading gives h its id and records it in the TOC and sections.
func (w *walker) heading(h *ast.Heading) {
	w.s.line = collapseSpaces(w.inline(h, w.s.line[:0]))
	if len(w.marks) > 0 {
		// The id is made from the heading as readers see it.
		w.s.line = append(w.s.line[:0:0], w.substText(w.s.line)...)
	}
	txt := string(bytes.TrimSpace(w.s.line))
	var id string
	if v, ok := explicitID(h); ok {
		id = string(v)
	} else {
		id = w.ids.generate(txt)
		h.SetAttributeString("id", []byte(id))
	}
	hd := Heading{Level: h.Level, ID: id, Text: txt}
	if h.Level >= 2 && h.Level <= 4 {
		w.res.TOC = append(w.res.TOC, hd)
	}
	if h.Level == 2 || h.Level == 3 {
		w.closeSection()
		w.sec = Section{Heading: hd}
		w.inSec = true
		w.appendText(w.s.line)
		w.emitAlt() // into the section the heading begins
		return
	}
	w.emit(w.s.line)
}

// closeSection ends the current section. The text before the first heading
// is a section only if there is some.
func (w *walker) closeSection() {
	if w.inSec || w.section.Len() > 0 {
		w.sec.Text = string(w.substText([]byte(w.section.String())))
		w.res.Sections = append(w.res.Sections, w.sec)
	}
	w.section.Reset()
}

// emit adds one block's text to the document and the current section,
// and the alt text of its images to the section alone.
func (w *walker) emit(line []byte) {
	if line = bytes.TrimSpace(line); len(line) > 0 {
		w.appendText(line)
		w.sectionLine(line)
	}
	w.emitAlt()
}

// emitAlt adds the alt text of the block's images to the section.
func (w *walker) emitAlt() {
	if alt := bytes.TrimSpace(collapseSpaces(w.alt)); len(alt) > 0 {
		w.sectionLine(alt)
	}
	w.alt = w.alt[:0]
}

func (w *walker) sectionLine(line []byte) {
	if w.section.Len() > 0 {
		w.section.WriteByte('\n')
	}
	w.section.Write(line)
}

func (w *walker) appendText(line []byte) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return
	}
	if len(w.textBuf) > 0 {
		w.textBuf = append(w.textBuf, '\n')
	}
	w.textBuf = append(w.textBuf, line...)
}

// collapseSpaces makes each run of spaces and tabs in b one space, in place:
// markup that leaves no text (an image, a comment) would otherwise leave two.
func collapseSpaces(b []byte) []byte {
	if !bytes.Contains(b, []byte("  ")) && bytes.IndexByte(b, '\t') < 0 {
		return b
	}
	out := b[:0]
	space := false
	for _, c := range b {
		if c == ' ' || c == '\t' {
			if !space {
				out = append(out, ' ')
			}
			space = true
			continue
		}
		space = false
		out = append(out, c)
	}
	return out
}

// inline appends the plain text of n's inline children to b, handling the
// links among them on the way.
func (w *walker) inline(n ast.Node, b []byte) []byte {
	var next ast.Node
	// next is taken first because an autolink may be replaced in the tree.
	for c := n.FirstChild(); c != nil; c = next {
		next = c.NextSibling()
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(w.src)
			if c.IsRaw() {
				b = append(b, v...)
			} else {
				b = w.appendDecoded(b, v)
			}
			if c.HardLineBreak() {
				b = append(b, '\n')
			} else if c.SoftLineBreak() {
				b = append(b, ' ')
			}
		case *ast.String:
			if c.IsCode() || c.IsRaw() {
				b = append(b, c.Value...)
			} else {
				b = w.appendDecoded(b, c.Value)
			}
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				switch t := t.(type) {
				case *ast.Text:
					v := t.Segment.Value(w.src)
					if len(v) > 0 && v[len(v)-1] == '\n' {
						v = v[:len(v)-1]
						b = append(b, v...)
						b = append(b, ' ')
					} else {
						b = append(b, v...)
					}
				case *ast.String:
					b = append(b, t.Value...)
				}
			}
		case *ast.AutoLink:
			label := c.Label(w.src)
			w.autoLink(c)
			b = append(b, label...)
		case *ast.Link:
			w.link(c, c.Destination, false, func(u []byte) { c.Destination = u })
			b = w.inline(c, b)
		case *ast.Image:
			// Alt text is for screen readers, not for summaries; but it
			// says what the image shows, so the search finds it (the
			// sections are what the search indexes).
			w.alt = append(w.inline(c, w.alt), ' ')
			ok := w.link(c, c.Destination, true, func(u []byte) { c.Destination = u })
			w.picture(c, ok)
		case *ast.RawHTML, *east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
		default:
			b = w.inline(c, b)
		}
	}
	return b
}

// appendDecoded appends Markdown text with its backslash escapes and
// entities resolved. goldmark's own writer does the resolving, so the text
// says exactly what the HTML shows.
func (w *walker) appendDecoded(b, v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return append(b, v...)
	}
	w.s.tmp.Reset()
	w.s.tbw.Reset(&w.s.tmp)
	ghtml.DefaultWriter.Write(w.s.tbw, v)
	_ = w.s.tbw.Flush()
	return append(b, html.UnescapeString(w.s.tmp.String())...)
}

// link resolves one destination, records it and marks external links. It
// reports whether Doc.Resolve took the destination.
func (w *walker) link(n ast.Node, dest []byte, image bool, set func([]byte)) bool {
	return w.linkAt(n, w.nodePos(n), dest, image, set)
}

// picture gives an image what Doc.Picture says of it, when its destination
// resolved, and lets it load when the reader nears it: a page shows its
// first screen sooner when pictures further down wait.
func (w *walker) picture(n *ast.Image, resolved bool) {
	if l := w.res.Links[len(w.res.Links)-1]; resolved && w.doc.Picture != nil {
		src, attrs, err := w.doc.Picture(l.Dest, l.URL)
		if err != nil {
			w.res.Diags.Add(diag.Errorf(w.doc.File, l.Line, l.Col, "picture %q: %v", l.Dest, err))
		} else {
			if src != "" {
				n.Destination = []byte(src)
			}
			for _, a := range attrs {
				n.SetAttributeString(a.Name, []byte(a.Value))
			}
		}
	}
	n.SetAttributeString("loading", []byte("lazy"))
	n.SetAttributeString("decoding", []byte("async"))
}

func (w *walker) linkAt(n ast.Node, at lineCol, dest []byte, image bool, set func([]byte)) bool {
	ok := true
	line, col := at.line, at.col
	l := Link{Dest: string(dest), URL: string(dest), Image: image, Line: line, Col: col}
	if len(w.marks) > 0 && bytes.Contains(dest, []byte(w.doc.Key)) {
		// A fragment's text is a final URL (a ref's, say): resolving it
		// again would add the base path twice.
		l.Dest = string(w.substText(dest))
		l.URL = l.Dest
		set([]byte(l.URL))
		ok = false // not the editor's destination
	} else if w.doc.Resolve != nil {
		u, err := w.doc.Resolve(l.Dest, image)
		if err != nil {
			w.res.Diags.Add(brokenLink(w.doc.File, line, col, l.Dest, err))
			ok = false
		} else if u != l.Dest {
			l.URL = u
			set([]byte(u))
		}
	}
	w.res.Links = append(w.res.Links, l)
	if !image && IsExternal(l.URL) {
		n.SetAttributeString("rel", []byte("noopener"))
	}
	return ok
}

// autoLink handles a bare URL or <URL>. Its node cannot take a new
// destination, so a resolved one replaces it with an ordinary link.
func (w *walker) autoLink(n *ast.AutoLink) {
	url := n.URL(w.src)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(url), []byte("mailto:")) {
		url = append([]byte("mailto:"), url...)
	}
	var repl *ast.Link
	w.linkAt(n, w.labelPos(n), url, false, func(u []byte) {
		repl = ast.NewLink()
		repl.Destination = u
		repl.AppendChild(repl, ast.NewString(n.Label(w.src)))
	})
	if repl == nil {
		return
	}
	if v, ok := n.AttributeString("rel"); ok {
		repl.SetAttributeString("rel", v)
	}
	n.Parent().ReplaceChild(n.Parent(), n, repl)
}

// IsExternal reports whether u is an absolute http(s) or scheme-relative URL;
// the site's own pages are linked by path, so any such URL leaves the site.
func IsExternal(u string) bool {
	if strings.HasPrefix(u, "//") {
		return true
	}
	i := strings.IndexByte(u, ':')
	if i < 0 {
		return false
	}
	scheme := strings.ToLower(u[:i])
	return (scheme == "http" || scheme == "https") && strings.HasPrefix(u[i+1:], "//")
}

type lineCol struct{ line, col int }

// nodePos returns the line and column of an inline node: its own position
// where goldmark records one, else its first text, else its block's first
// line.
func (w *walker) nodePos(n ast.Node) lineCol {
	if p := n.Pos(); p >= 0 {
		return w.pos.at(p)
	}
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return w.pos.at(t.Segment.Start)
		}
	}
	return w.blockPos(n)
}

// blockPos returns the start of the first line of the block holding n.
func (w *walker) blockPos(n ast.Node) lineCol {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return w.pos.at(p.Lines().At(0).Start)
		}
	}
	return lineCol{w.pos.first, 1}
}

// labelPos returns the position of an autolink's first character. goldmark
// records a bare URL's position at the space before it, and keeps the
// label's segment to itself; but the label is a slice of the source, which
// gives its offset.
func (w *walker) labelPos(n *ast.AutoLink) lineCol {
	label := n.Label(w.src)
	if len(label) > 0 {
		off := cap(w.src) - cap(label)
		if off >= 0 && off < len(w.src) && &w.src[off] == &label[0] {
			return w.pos.at(off)
		}
	}
	return w.blockPos(n)
}

// appendHTMLText appends the text of a raw HTML block: tags and comments
// removed, entities decoded, script and style content left out.
func appendHTMLText(b []byte, n *ast.HTMLBlock, src []byte) []byte {
	if n.HTMLBlockType == ast.HTMLBlockType2 {
		return b
	}
	var raw []byte
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		raw = append(raw, segValue(lines.At(i), src)...)
	}
	if n.HasClosure() {
		closure := n.ClosureLine
		raw = append(raw, closure.Value(src)...)
	}
	if n.HTMLBlockType == ast.HTMLBlockType1 {
		lower := bytes.ToLower(raw[:min(len(raw), 8)])
		if bytes.Contains(lower, []byte("<script")) || bytes.Contains(lower, []byte("<style")) {
			return b
		}
	}
	start := len(b)
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '<')
		if i < 0 {
			b = append(b, raw...)
			break
		}
		b = append(b, raw[:i]...)
		raw = raw[i:]
		end := []byte(">")
		if bytes.HasPrefix(raw, []byte("<!--")) {
			end = []byte("-->")
		}
		j := bytes.Index(raw, end)
		if j < 0 {
			break
		}
		raw = raw[j+len(end):]
		b = append(b, ' ')
	}
	text := html.UnescapeString(string(b[start:]))
	return append(b[:start], strings.Join(strings.Fields(text), " ")...)
}

// positions turns byte offsets in a document's body into lines and columns
// in its file.
type positions struct {
	src    []byte
	first  int   // line in the file of src's first line
	starts []int // offsets at which lines start, built on first use
	// origin, when set, maps offsets in the body to offsets in src, the
	// text the editor wrote (see Doc.Fragments).
	origin *origin
}

// at returns the line in the file and the column, in characters from 1, of
// the byte at offset off.
func (p *positions) at(off int) lineCol {
	if p.starts == nil {
		p.starts = make([]int, 1, 64)
		for i := 0; ; {
			j := bytes.IndexByte(p.src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			p.starts = append(p.starts, i)
		}
	}
	if p.origin != nil {
		off = p.origin.at(off)
	}
	off = max(0, min(off, len(p.src)))
	i := sort.Search(len(p.starts), func(i int) bool { return p.starts[i] > off }) - 1
	return lineCol{p.first + i, utf8.RuneCount(p.src[p.starts[i]:off]) + 1}
}
