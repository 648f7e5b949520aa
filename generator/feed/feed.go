// Package feed writes RSS 2.0 feeds, one per language and per section. It
// only writes: the caller chooses, sorts and limits the items.
package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"time"

	"sxsh/generator/xmltext"
)

// Channel is one RSS 2.0 feed.
type Channel struct {
	Title, Link, Description string
	// Language is written as <language>; "vi" or "en". Empty leaves it out.
	Language string
	// SelfURL is the absolute URL of the feed itself, written as an
	// atom:link with rel="self" because validators and readers use it to
	// identify the feed. Empty leaves it out.
	SelfURL string
	// Updated is the lastBuildDate; zero means the newest item's date, and
	// with no dated item the element is left out.
	Updated time.Time
	// Generator names the program that wrote the feed. Empty leaves it out.
	Generator string
	// Items are written in the given order: the caller sorts them newest
	// first and limits their number.
	Items []Item
}

// Item is one entry of a Channel.
type Item struct {
	Title, Link string
	// GUID identifies the item for readers that track what was read. Empty
	// means Link. Anything other than Link is marked isPermaLink="false" so
	// that readers do not take it for an address.
	GUID string
	// Description is plain text or HTML; either way it is escaped, which is
	// how RSS carries HTML.
	Description string
	// Published is the pubDate, in RFC 1123 with a numeric zone. Zero leaves
	// it out.
	Published  time.Time
	Categories []string
}

const atomNS = "http://www.w3.org/2005/Atom"

// Write writes c to w as an RSS 2.0 document. Every string is made safe for
// XML 1.0, so the output is well formed whatever the input; nothing is
// written to w unless the whole document could be built.
func Write(w io.Writer, c *Channel) error {
	if c == nil {
		return errors.New("feed: nil channel")
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<rss version="2.0" xmlns:atom="` + atomNS + `">` + "\n")
	b.WriteString("  <channel>\n")
	// RSS requires title, link and description, so they are written even
	// when empty.
	element(&b, "    ", "title", c.Title)
	element(&b, "    ", "link", c.Link)
	element(&b, "    ", "description", c.Description)
	optional(&b, "    ", "language", c.Language)
	optional(&b, "    ", "generator", c.Generator)
	if d := lastBuild(c); !d.IsZero() {
		element(&b, "    ", "lastBuildDate", d.Format(time.RFC1123Z))
	}
	if c.SelfURL != "" {
		b.WriteString(`    <atom:link href="`)
		xmltext.Escape(&b, c.SelfURL)
		b.WriteString(`" rel="self" type="application/rss+xml"/>` + "\n")
	}
	for i := range c.Items {
		writeItem(&b, &c.Items[i])
	}
	b.WriteString("  </channel>\n</rss>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func writeItem(b *bytes.Buffer, it *Item) {
	const in = "      "
	b.WriteString("    <item>\n")
	optional(b, in, "title", it.Title)
	optional(b, in, "link", it.Link)
	optional(b, in, "description", it.Description)
	for _, cat := range it.Categories {
		optional(b, in, "category", cat)
	}
	guid := it.GUID
	if guid == "" {
		guid = it.Link
	}
	switch {
	case guid == "":
	case guid == it.Link:
		element(b, in, "guid", guid)
	default:
		b.WriteString(in + `<guid isPermaLink="false">`)
		xmltext.Escape(b, guid)
		b.WriteString("</guid>\n")
	}
	if !it.Published.IsZero() {
		element(b, in, "pubDate", it.Published.Format(time.RFC1123Z))
	}
	b.WriteString("    </item>\n")
}

// lastBuild is c.Updated, or else the newest item's date: items come sorted
// by the caller's rule, which need not put the newest first.
func lastBuild(c *Channel) time.Time {
	if !c.Updated.IsZero() {
		return c.Updated
	}
	var newest time.Time
	for _, it := range c.Items {
		if it.Published.After(newest) {
			newest = it.Published
		}
	}
	return newest
}

func element(b *bytes.Buffer, indent, name, text string) {
	b.WriteString(indent + "<" + name + ">")
	xmltext.Escape(b, text)
	b.WriteString("</" + name + ">\n")
}

func optional(b *bytes.Buffer, indent, name, text string) {
	if text != "" {
		element(b, indent, name, text)
	}
}
