package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// siteHTML renders the nodes whose HTML the site wants different from
// goldmark's: tables wrapped so that they scroll sideways on phones, and raw
// HTML shown as text unless the site allows it.
type siteHTML struct {
	unsafe bool
}

// RegisterFuncs implements renderer.NodeRenderer.
func (h *siteHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, h.renderTable)
	if !h.unsafe {
		reg.Register(ast.KindHTMLBlock, h.renderHTMLBlock)
		reg.Register(ast.KindRawHTML, h.renderRawHTML)
	}
}

func (h *siteHTML) renderTable(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<div class="table-wrap"><table`)
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, extension.TableAttributeFilter)
		}
		_, _ = w.WriteString(">\n")
	} else {
		_, _ = w.WriteString("</table></div>\n")
	}
	return ast.WalkContinue, nil
}

// renderHTMLBlock writes a raw HTML block as an escaped paragraph.
func (h *siteHTML) renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if n.HTMLBlockType == ast.HTMLBlockType2 { // <!-- comment -->
		return ast.WalkSkipChildren, nil
	}
	if entering {
		_, _ = w.WriteString("<p>")
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			v := segValue(lines.At(i), src)
			if i == lines.Len()-1 && !n.HasClosure() {
				v = bytes.TrimRight(v, "\r\n")
			}
			_, _ = w.Write(util.EscapeHTML(v))
		}
		return ast.WalkContinue, nil
	}
	if n.HasClosure() {
		closure := n.ClosureLine
		_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(closure.Value(src), "\r\n")))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

// renderRawHTML writes inline raw HTML as escaped text.
func (h *siteHTML) renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	if isComment(n, src) {
		return ast.WalkSkipChildren, nil
	}
	for i := 0; i < n.Segments.Len(); i++ {
		_, _ = w.Write(util.EscapeHTML(segValue(n.Segments.At(i), src)))
	}
	return ast.WalkSkipChildren, nil
}

func isComment(n *ast.RawHTML, src []byte) bool {
	return n.Segments.Len() > 0 && bytes.HasPrefix(segValue(n.Segments.At(0), src), []byte("<!--"))
}

// segValue returns the bytes of a segment, which goldmark hands out by value.
func segValue(s text.Segment, src []byte) []byte { return s.Value(src) }
