package markdown

import (
	"html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Summary returns the first max or so characters (runes) of text, with runs
// of white space made single spaces, cut at a word boundary and ending in
// "…" when anything was cut. A single word longer than max is cut inside.
func Summary(text string, max int) string {
	if max <= 0 {
		return ""
	}
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	// cut is the byte offset of the first rune past max.
	cut, n := 0, 0
	for i := range text {
		if n == max {
			cut = i
			break
		}
		n++
	}
	s := text[:cut]
	if text[cut] != ' ' {
		if sp := strings.LastIndexByte(s, ' '); sp > 0 {
			s = s[:sp]
		}
	}
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—([{", r)
	})
	return s + "…"
}

// TOCHTML renders a table of contents as nested ordered lists inside a nav
// labelled label, the levels nesting as the headings do. With fewer than two
// headings there is nothing to navigate, and it returns "".
func TOCHTML(toc []Heading, label string) template.HTML {
	if len(toc) < 2 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<nav class="toc" aria-label="`)
	b.WriteString(html.EscapeString(label))
	b.WriteString(`">`)
	// levels holds the level of the open list at each depth.
	levels := make([]int, 0, 4)
	for i, h := range toc {
		switch {
		case i == 0 || h.Level > levels[len(levels)-1]:
			b.WriteString("<ol><li>")
			levels = append(levels, h.Level)
		default:
			// Close deeper lists while the one above still sits at or below
			// this level, so that 2, 4, 3 keeps the 3 beside the 4.
			for len(levels) > 1 && levels[len(levels)-2] >= h.Level {
				b.WriteString("</li></ol>")
				levels = levels[:len(levels)-1]
			}
			b.WriteString("</li><li>")
			levels[len(levels)-1] = h.Level
		}
		b.WriteString(`<a href="#`)
		b.WriteString(html.EscapeString(h.ID))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(h.Text))
		b.WriteString("</a>")
	}
	for range levels {
		b.WriteString("</li></ol>")
	}
	b.WriteString("</nav>")
	return template.HTML(b.String())
}
