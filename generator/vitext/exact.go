package vitext

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxSyllable bounds the letters of a Vietnamese syllable ("nghiêng" has 7);
// longer words are not syllables.
const maxSyllable = 8

// letter is one Vietnamese letter taken apart, in the codes of tables.go.
type letter struct {
	base rune // lower-case a-z or đ
	mark byte // '-' or a vowel mark code
	tone byte // '0' or a tone code
}

// Exact returns the lower-cased NFC form of one word with its tone mark in
// the new-style position, so that old and new tone placement compare equal:
// Exact("hoà") == Exact("hòa") == Exact("Hòa") == "hoà", Exact("thủy") ==
// "thuỷ", Exact("khỏe") == "khoẻ". Words that are not Vietnamese syllables
// are only NFC'd and lower-cased. See the package doc for the exact rule.
func Exact(word string) string {
	if s, ok := asciiLower(word); ok {
		return s
	}
	w := NFC(word)
	out, same := appendExact(nil, w)
	if same {
		return w
	}
	return string(out)
}

// asciiLower lower-cases an ASCII word, allocating only if it has capitals.
// ok is false if word is not ASCII.
func asciiLower(word string) (s string, ok bool) {
	upper := false
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= utf8.RuneSelf {
			return "", false
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		return word, true
	}
	b := []byte(word)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b), true
}

// appendExact appends Exact(w) to dst for an NFC word w. If the result equals
// w it appends nothing and reports same, which saves Tokenize a copy for
// most words.
func appendExact(dst []byte, w string) (out []byte, same bool) {
	var ls [maxSyllable]letter
	n := 0
	upper := false
	syllable := true
	for i := 0; i < len(w); {
		r, size := utf8.DecodeRuneInString(w[i:])
		if isUpper(r) {
			upper = true
		}
		if syllable {
			if n == maxSyllable {
				syllable = false
			} else if l, ok := parseLetter(r); ok {
				ls[n] = l
				n++
			} else {
				syllable = false
			}
		}
		i += size
	}
	if syllable {
		if from, to, ok := tonePosition(ls[:n]); ok {
			if from == to && !upper {
				return dst, true
			}
			ls[from].tone, ls[to].tone = '0', ls[from].tone
			return appendLetters(dst, ls[:n]), false
		}
	}
	if !upper {
		return dst, true
	}
	start := len(dst)
	for _, r := range w {
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	if !norm.NFC.IsNormal(dst[start:]) {
		composed := norm.NFC.Bytes(dst[start:])
		dst = append(dst[:start], composed...)
	}
	return dst, false
}

// isUpper reports whether lower-casing changes r; in the Vietnamese block
// capitals and small letters alternate, which spares the case tables.
func isUpper(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'A' <= r && r <= 'Z'
	case r >= viFirst && r <= viLast:
		return r%2 == 0
	}
	return unicode.ToLower(r) != r
}

// parseLetter takes apart r, reporting false if it is not a Vietnamese
// letter.
func parseLetter(r rune) (letter, bool) {
	l := letter{mark: '-', tone: '0'}
	switch {
	case r == dStroke || r == capitalD:
		l.base = dStroke
		return l, true
	case r < utf8.RuneSelf:
		l.base = unicode.ToLower(r)
		return l, isConsonant(l.base) || isVowel(l.base)
	}
	f, mark, tone, ok := tableEntry(r)
	if !ok || mark == '!' || !isVowel(rune(f)) {
		return l, false
	}
	l.base, l.mark, l.tone = rune(f), mark, tone
	switch l.mark {
	case '-':
		return l, true
	case '^':
		return l, l.base == 'a' || l.base == 'e' || l.base == 'o'
	case '(':
		return l, l.base == 'a'
	default: // '+', the horn
		return l, l.base == 'o' || l.base == 'u'
	}
}

func isVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func isConsonant(r rune) bool {
	switch r {
	case 'b', 'c', 'd', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'q', 'r', 's', 't', 'v', 'x', dStroke:
		return true
	}
	return false
}

// tonePosition finds where the one tone mark of a syllable is and where it
// belongs. ok is false if ls is not a syllable or has no tone mark or more
// than one.
func tonePosition(ls []letter) (from, to int, ok bool) {
	from = -1
	for i, l := range ls {
		if l.tone != '0' {
			if from >= 0 {
				return 0, 0, false
			}
			from = i
		}
	}
	if from < 0 {
		return 0, 0, false
	}
	v0 := 0
	for v0 < len(ls) && isConsonant(ls[v0].base) {
		if ls[v0].tone != '0' {
			return 0, 0, false
		}
		v0++
	}
	v1 := v0
	for v1 < len(ls) && isVowel(ls[v1].base) {
		v1++
	}
	if v1 == v0 {
		return 0, 0, false
	}
	for _, l := range ls[v1:] {
		if !isConsonant(l.base) || l.tone != '0' {
			return 0, 0, false
		}
	}
	final := v1 < len(ls)
	if v1-v0 >= 2 && ls[v0].mark == '-' {
		qu := v0 > 0 && ls[v0-1].base == 'q' && ls[v0].base == 'u'
		gi := v0 == 1 && ls[0].base == 'g' && ls[v0].base == 'i'
		if qu || gi {
			v0++
		}
	}
	nucleus := ls[v0:v1]
	k := len(nucleus)
	if k > 3 {
		return 0, 0, false
	}
	to = -1
	for i, l := range nucleus {
		if l.mark != '-' {
			to = v0 + i
		}
	}
	switch {
	case to >= 0:
	case k == 1:
		to = v0
	case final:
		to = v1 - 1
	case k == 3:
		to = v0 + 1
	case isNewStylePair(nucleus[0].base, nucleus[1].base):
		to = v0 + 1
	default:
		to = v0
	}
	return from, to, true
}

// isNewStylePair reports whether a toneless-final pair takes the tone on its
// second vowel under the new-style rule.
func isNewStylePair(a, b rune) bool {
	return (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y')
}

// appendLetters appends a syllable's letters, composed.
func appendLetters(dst []byte, ls []letter) []byte {
	for _, l := range ls {
		if isVowel(l.base) {
			dst = utf8.AppendRune(dst, composeVowel(l.base, l.mark, l.tone))
		} else {
			dst = utf8.AppendRune(dst, l.base)
		}
	}
	return dst
}
