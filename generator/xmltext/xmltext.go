// Package xmltext writes text into the XML files a site publishes (the
// feeds and the sitemap), within what XML 1.0 can carry.
package xmltext

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// Escape writes s as XML character data, safe in attributes too.
// Characters that XML 1.0 cannot carry, even as references, are dropped
// rather than replaced, since they are never meant to be seen.
func Escape(b *bytes.Buffer, s string) {
	// EscapeText writes to a bytes.Buffer, which cannot fail.
	_ = xml.EscapeText(b, []byte(strings.Map(xmlChar, s)))
}

// xmlChar keeps r if it is in XML 1.0's Char production and drops it
// otherwise. Invalid UTF-8 reaches it as U+FFFD and is kept as that.
func xmlChar(r rune) rune {
	switch {
	case r == '\t', r == '\n', r == '\r',
		r >= 0x20 && r <= 0xD7FF,
		r >= 0xE000 && r <= 0xFFFD,
		r >= 0x10000 && r <= 0x10FFFF:
		return r
	}
	return -1
}
