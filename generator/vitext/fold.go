package vitext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and removes every diacritic: tone marks and vowel marks
// (ă â ê ô ơ ư → a a e o o u), and đ → d. Folding Vietnamese gives ASCII.
// Other letters are folded by NFD and dropping nonspacing marks (é → e). See
// the package doc for the exact steps.
func Fold(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			break
		}
		i++
	}
	if i == len(s) {
		return s
	}
	buf := make([]byte, 0, len(s))
	buf = append(buf, s[:i]...)
	return string(appendFold(buf, s[i:]))
}

// appendFold appends Fold(s) to dst. It allocates nothing beyond growing dst,
// so that Tokenize can fold a whole text into one buffer.
func appendFold(dst []byte, s string) []byte {
	start := len(dst)
	ascii := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
			ascii = false
			i++
			continue
		}
		if f, _, _, ok := tableEntry(r); ok && f != '.' {
			dst = append(dst, f)
			i += size
			continue
		}
		// Not a Vietnamese letter: perhaps an invisible character, which
		// the table's ranges do not hold.
		if strings.ContainsRune(invisible, r) {
			i += size
			continue
		}
		dec := norm.NFD.PropertiesString(s[i : i+size]).Decomposition()
		i += size
		if dec == nil {
			var a bool
			dst, a = appendFoldRune(dst, r)
			ascii = ascii && a
			continue
		}
		for j := 0; j < len(dec); {
			dr, dsize := utf8.DecodeRune(dec[j:])
			j += dsize
			var a bool
			dst, a = appendFoldRune(dst, dr)
			ascii = ascii && a
		}
	}
	if !ascii && !norm.NFC.IsNormal(dst[start:]) {
		composed := norm.NFC.Bytes(dst[start:])
		dst = append(dst[:start], composed...)
	}
	return dst
}

// appendFoldRune appends the folded form of one code point of an NFD string
// and reports whether what it appended is ASCII.
func appendFoldRune(dst []byte, r rune) ([]byte, bool) {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, byte(r)), true
	case r == dStroke || r == capitalD || r == eth || r == capitalEth:
		return append(dst, 'd'), true
	case isMn(r):
		return dst, true
	}
	return utf8.AppendRune(dst, unicode.ToLower(r)), false
}

// isMn reports whether r is a nonspacing mark, checking the block every
// Vietnamese diacritic lives in before the general table.
func isMn(r rune) bool {
	if r >= 0x300 && r <= 0x36F {
		return true
	}
	return r >= 0x300 && unicode.Is(unicode.Mn, r)
}
