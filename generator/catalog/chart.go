package catalog

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"sxsh/generator/vitext"
)

// Chart draws the banners per district as a horizontal bar chart in SVG,
// at build time, so that it needs no script. It carries a title and a
// description for screen readers; the page's table holds the same figures.
// The SVG uses presentation attributes only (no style attributes), so it
// passes a strict Content-Security-Policy.
func (b Banners) Chart(lang, title, desc string) template.HTML {
	const (
		width   = 480
		labelW  = 112
		valueW  = 52
		rowH    = 30
		barH    = 20
		top     = 8
		barArea = width - labelW - valueW
	)
	most := 0
	for _, d := range b.Districts {
		most = max(most, d.Banners)
	}
	height := top*2 + rowH*len(b.Districts)
	id := "chart-" + vitext.Slug(title)
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`,
		width, height, width, height, id, id)
	fmt.Fprintf(&s, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(desc))
	for i, d := range b.Districts {
		y := top + i*rowH
		w := 0
		if most > 0 {
			w = d.Banners * barArea / most
		}
		fmt.Fprintf(&s, `<text x="%d" y="%d" text-anchor="end" font-size="15" fill="#1c2421">%s</text>`, labelW-8, y+barH-4, html.EscapeString(d.Name))
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%d" height="%d" rx="2" fill="#0b6b3a"></rect>`, labelW, y, max(w, 1), barH)
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="15" fill="#1c2421">%s</text>`, labelW+w+6, y+barH-4, vitext.FormatInt(lang, int64(d.Banners)))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}
