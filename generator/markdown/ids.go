package markdown

import (
	"strconv"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// headingIDs is the set of ids used in one document. It is goldmark's
// parser.IDs, so that any part of goldmark that asks the parse context for
// an id draws from the same set as the headings.
type headingIDs struct {
	slug func(string) string
	used map[string]struct{}
}

var _ parser.IDs = (*headingIDs)(nil)

func newHeadingIDs(slug func(string) string) *headingIDs {
	return &headingIDs{slug: slug, used: make(map[string]struct{})}
}

// Generate returns an unused id for a heading whose plain text is value.
func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	return []byte(h.generate(string(value)))
}

func (h *headingIDs) generate(text string) string {
	base := h.slug(text)
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; ; i++ {
		if _, taken := h.used[id]; !taken {
			break
		}
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = struct{}{}
	return id
}

// Put reserves an id that an editor wrote explicitly.
func (h *headingIDs) Put(value []byte) {
	h.used[string(value)] = struct{}{}
}

// asciiSlug is the id function used when the site gives none: ASCII letters
// and digits lower-cased, any run of other characters a single hyphen.
// Letters outside ASCII are dropped rather than guessed at; sites with
// Vietnamese headings pass their own folding slug.
func asciiSlug(s string) string {
	b := make([]byte, 0, len(s))
	hyphen := false
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 0x80 && (unicode.IsLetter(c) || unicode.IsMark(c)):
			continue
		default:
			hyphen = len(b) > 0
			continue
		}
		if hyphen {
			b = append(b, '-')
			hyphen = false
		}
		b = append(b, byte(c))
	}
	return string(b)
}
