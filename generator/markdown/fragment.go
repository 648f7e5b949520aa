package markdown

import (
	"bytes"
	"html"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Fragment is a piece of a document made outside Markdown, such as a
// shortcode's output. The Source given to Render holds its placeholder (see
// Placeholder), a word of ASCII letters and digits that goldmark leaves as
// plain text wherever it stands; Render writes the fragment in its place.
type Fragment struct {
	// From and To are the bytes of Doc.Origin that the placeholder stands
	// for, so that positions after it are counted in what the editor wrote.
	From, To int
	// HTML is written in place of the placeholder in text. Inside a tag (an
	// image's alt, say) the escaped Text is written instead.
	HTML string
	// Text is the fragment's plain text: it stands in for the placeholder
	// in Result.Text, sections, headings and their ids, and link
	// destinations (which are then written as given, not resolved again).
	Text string
	// Block says HTML is a block of its own (a figure, a code block): when
	// the placeholder is alone in a paragraph, it replaces the paragraph
	// rather than sitting inside <p>.
	Block bool
}

// placeholderDigits is the width of a fragment's number in its placeholder:
// fixed, so that letters or digits right after a placeholder cannot change
// which fragment it names.
const placeholderDigits = 6

// MaxFragments is how many fragments one document may have.
const MaxFragments = 999999

// PlaceholderKey returns the word that placeholders for src begin with:
// one that src does not contain, so that no text an editor wrote is taken
// for a placeholder. No suffix of the key is a prefix of it, so text next
// to a placeholder cannot make a false one either.
func PlaceholderKey(src []byte) string {
	key := "sxshph"
	for bytes.Contains(src, []byte(key)) {
		key += "q"
	}
	return key
}

// Placeholder returns the placeholder of fragment i under key.
func Placeholder(key string, i int) string {
	s := strconv.Itoa(i)
	for len(s) < placeholderDigits {
		s = "0" + s
	}
	return key + s
}

// Position returns the line and column, in characters from 1, of byte off
// of src whose first line is line firstLine: the way Render counts them.
func Position(src []byte, firstLine, off int) (line, col int) {
	off = max(0, min(off, len(src)))
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return firstLine + bytes.Count(src[:off], []byte{'\n'}), utf8.RuneCount(src[start:off]) + 1
}

// mark is one placeholder found in Source.
type mark struct {
	at, end int // its bytes in Source
	frag    int // index in Doc.Fragments
}

// findMarks finds the placeholders of key in src, in order. Numbers that
// name no fragment are left as text.
func findMarks(src []byte, key string, n int) []mark {
	if key == "" || n == 0 {
		return nil
	}
	var marks []mark
	for off := 0; ; {
		i := bytes.Index(src[off:], []byte(key))
		if i < 0 {
			return marks
		}
		at := off + i
		end := at + len(key) + placeholderDigits
		off = at + len(key)
		if end > len(src) {
			return marks
		}
		k, err := strconv.Atoi(string(src[at+len(key) : end]))
		if err != nil || k < 0 || k >= n {
			continue
		}
		marks = append(marks, mark{at, end, k})
		off = end
	}
}

// substText replaces the placeholders in b with their fragments' text.
func (w *walker) substText(b []byte) []byte {
	if len(w.marks) == 0 || !bytes.Contains(b, []byte(w.doc.Key)) {
		return b
	}
	var out []byte
	marks := findMarks(b, w.doc.Key, len(w.doc.Fragments))
	last := 0
	for _, m := range marks {
		out = append(out, b[last:m.at]...)
		out = append(out, w.doc.Fragments[m.frag].Text...)
		last = m.end
	}
	return append(out, b[last:]...)
}

// writeFragments writes the HTML rendered from a document with fragments
// into out: each placeholder in text becomes the fragment's HTML (a block
// fragment alone in a paragraph replacing the paragraph), and each inside a
// tag its escaped text.
func writeFragments(out *bytes.Buffer, h []byte, d *Doc) {
	marks := findMarks(h, d.Key, len(d.Fragments))
	inTag := false
	last := 0
	for _, m := range marks {
		inTag = tagState(h[last:m.at], inTag)
		f := &d.Fragments[m.frag]
		switch {
		case inTag:
			out.Write(h[last:m.at])
			out.WriteString(html.EscapeString(f.Text))
		case f.Block && bytes.HasSuffix(h[last:m.at], []byte("<p>")) && bytes.HasPrefix(h[m.end:], []byte("</p>")):
			out.Write(h[last : m.at-len("<p>")])
			out.WriteString(f.HTML)
			m.end += len("</p>")
		default:
			out.Write(h[last:m.at])
			out.WriteString(f.HTML)
		}
		last = m.end
	}
	out.Write(h[last:])
}

// tagState says whether the HTML after b is inside a tag, given whether b
// starts inside one. Text and attribute values in goldmark's output have
// their < and > escaped, so each one seen opens or closes a tag.
func tagState(b []byte, in bool) bool {
	i := bytes.LastIndexAny(b, "<>")
	if i < 0 {
		return in
	}
	return b[i] == '<'
}

// origin maps byte offsets of a document's Source to offsets in the text
// the editor wrote.
type origin struct {
	start int // Source's first byte in Origin
	marks []mark
	frags []Fragment
}

// at returns the offset in Origin of Source's byte off: a byte of a
// placeholder is the start of what it stands for.
func (o *origin) at(off int) int {
	i := sort.Search(len(o.marks), func(i int) bool { return o.marks[i].at > off }) - 1
	if i < 0 {
		return o.start + off
	}
	m := o.marks[i]
	f := o.frags[m.frag]
	if off < m.end {
		return f.From
	}
	return f.To + off - m.end
}

// CodeRanges returns the byte ranges of src that Markdown shows as code:
// fenced and indented code blocks and code spans, in order. Text there is
// shown as written, so whoever rewrites src before rendering leaves them
// alone.
func (r *Renderer) CodeRanges(src []byte) [][2]int {
	doc := r.md.Parser().Parse(text.NewReader(src))
	var out [][2]int
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			if l := n.Lines(); l.Len() > 0 {
				out = append(out, [2]int{l.At(0).Start, l.At(l.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			first, last := n.FirstChild(), n.LastChild()
			if ft, ok := first.(*ast.Text); ok {
				if lt, ok := last.(*ast.Text); ok {
					out = append(out, [2]int{ft.Segment.Start, lt.Segment.Stop})
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
