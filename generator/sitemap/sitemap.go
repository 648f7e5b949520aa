// Package sitemap writes sitemap.xml, with hreflang alternates that tie each
// page to its translations, and the robots.txt that points crawlers to it.
package sitemap

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"sxsh/generator/xmltext"
)

// MaxURLs is the most URLs one sitemap file may list, by the sitemaps.org
// protocol; search engines ignore files that exceed it.
const MaxURLs = 50000

// MaxBytes is the largest uncompressed sitemap file the protocol allows.
const MaxBytes = 50 << 20

// Alternate is one language version of a page.
type Alternate struct {
	// Lang is the hreflang value: "vi", "en" or "x-default".
	Lang string
	// Href is the absolute URL of that version.
	Href string
}

// URL is one page of the site.
type URL struct {
	// Loc is the page's absolute URL.
	Loc string
	// Lastmod is written as YYYY-MM-DD in its own time zone, the date an
	// editor sees. Zero leaves it out.
	Lastmod time.Time
	// ChangeFreq ("weekly") and Priority (0 to 1) are written when set.
	ChangeFreq string
	Priority   float64
	// Alternates are written as xhtml:link elements. A page that has
	// translations lists all of them, itself and x-default included, as
	// search engines ignore alternates that are not confirmed both ways.
	Alternates []Alternate
}

const (
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	xhtmlNS   = "http://www.w3.org/1999/xhtml"
)

// Write writes urls to w as one sitemap file. Every string is made safe for
// XML 1.0, so the output is well formed whatever the input. It fails, before
// writing anything, if urls exceed MaxURLs or the file would exceed MaxBytes.
func Write(w io.Writer, urls []URL) error {
	if len(urls) > MaxURLs {
		return fmt.Errorf("sitemap: %d URLs, more than the %d one sitemap file may list", len(urls), MaxURLs)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="` + sitemapNS + `" xmlns:xhtml="` + xhtmlNS + `">` + "\n")
	for i := range urls {
		u := &urls[i]
		b.WriteString("  <url>\n    <loc>")
		xmltext.Escape(&b, u.Loc)
		b.WriteString("</loc>\n")
		if !u.Lastmod.IsZero() {
			b.WriteString("    <lastmod>" + u.Lastmod.Format(time.DateOnly) + "</lastmod>\n")
		}
		if u.ChangeFreq != "" {
			b.WriteString("    <changefreq>")
			xmltext.Escape(&b, u.ChangeFreq)
			b.WriteString("</changefreq>\n")
		}
		if u.Priority > 0 {
			b.WriteString("    <priority>" + strconv.FormatFloat(u.Priority, 'f', -1, 64) + "</priority>\n")
		}
		for _, a := range u.Alternates {
			b.WriteString(`    <xhtml:link rel="alternate" hreflang="`)
			xmltext.Escape(&b, a.Lang)
			b.WriteString(`" href="`)
			xmltext.Escape(&b, a.Href)
			b.WriteString(`"/>` + "\n")
		}
		b.WriteString("  </url>\n")
	}
	b.WriteString("</urlset>\n")
	if b.Len() > MaxBytes {
		return fmt.Errorf("sitemap: %d bytes, more than the %d one sitemap file may hold", b.Len(), MaxBytes)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Robots returns robots.txt text that allows every crawler everywhere and
// names the sitemap's absolute URL. Control characters are dropped from the
// URL so that it cannot add lines of its own; an empty URL leaves the
// Sitemap line out.
func Robots(sitemapURL string) string {
	const allowAll = "User-agent: *\nAllow: /\n"
	u := strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, sitemapURL))
	if u == "" {
		return allowAll
	}
	return allowAll + "\nSitemap: " + u + "\n"
}
