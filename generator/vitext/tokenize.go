package vitext

import (
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text.
type Token struct {
	Text       string // the word as it appears, NFC
	Exact      string // Exact(Text)
	Fold       string // Fold(Text)
	Start, End int    // byte offsets of Text in the NFC string Tokenize worked on
}

// Tokenize splits NFC(s) into words: maximal runs of letters, decimal digits
// and nonspacing marks that hold at least one letter or digit. Everything
// else separates words. It returns the NFC string the offsets refer to and
// the tokens.
//
// Text is a substring of nfc, and the Exact and Fold strings of all tokens
// share one allocation, so indexing a large text costs a few allocations, not
// a few per word; keeping any token keeps that memory alive.
func Tokenize(s string) (nfc string, toks []Token) {
	nfc = NFC(s)
	// Counting first costs a fraction of the work below and saves growing
	// (copying) a slice of tens of thousands of tokens several times.
	n := 0
	for i := 0; i < len(nfc); n++ {
		_, end, ok := nextWord(nfc, i)
		if !ok {
			break
		}
		i = end
	}
	if n == 0 {
		return nfc, nil
	}
	toks = make([]Token, 0, n)
	// Exact and Fold forms that differ from Text go into buf; spans records
	// where, since buf's final address is known only at the end.
	var buf []byte
	type span struct{ es, ee, fs, fe int }
	var spans []span
	for i := 0; i < len(nfc); {
		start, end, ok := nextWord(nfc, i)
		if !ok {
			break
		}
		i = end
		text := nfc[start:end]
		sp := span{-1, -1, -1, -1}

		es := len(buf)
		var same bool
		if isASCII(text) {
			buf, same = appendASCIILower(buf, text)
		} else {
			buf, same = appendExact(buf, text)
		}
		if !same {
			sp.es, sp.ee = es, len(buf)
		}

		fs := len(buf)
		buf = appendFold(buf, text)
		switch f := buf[fs:]; {
		case string(f) == text:
			buf = buf[:fs]
		case sp.es >= 0 && string(f) == string(buf[sp.es:sp.ee]):
			buf = buf[:fs]
			sp.fs, sp.fe = sp.es, sp.ee
		default:
			sp.fs, sp.fe = fs, len(buf)
		}

		if sp.es >= 0 || sp.fs >= 0 {
			if spans == nil {
				spans = make([]span, 0, cap(toks))
			}
			for len(spans) < len(toks) {
				spans = append(spans, span{-1, -1, -1, -1})
			}
			spans = append(spans, sp)
		}
		toks = append(toks, Token{Text: text, Exact: text, Fold: text, Start: start, End: end})
	}
	all := string(buf)
	for i, sp := range spans {
		if sp.es >= 0 {
			toks[i].Exact = all[sp.es:sp.ee]
		}
		if sp.fs >= 0 {
			toks[i].Fold = all[sp.fs:sp.fe]
		}
	}
	return nfc, toks
}

// nextWord finds the first word at or after byte i.
func nextWord(s string, i int) (start, end int, ok bool) {
	start = -1
	hasBase := false
	for i < len(s) {
		c := s[i]
		var k wordClass
		size := 1
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				k = classBase
			}
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			k = classify(r)
		}
		switch {
		case k != classNone:
			if start < 0 {
				start = i
			}
			hasBase = hasBase || k == classBase
		case start >= 0 && hasBase:
			return start, i, true
		default:
			start, hasBase = -1, false
		}
		i += size
	}
	if start >= 0 && hasBase {
		return start, len(s), true
	}
	return 0, 0, false
}

type wordClass uint8

const (
	classNone wordClass = iota
	classBase           // a letter or digit: can make a word
	classMark           // a nonspacing mark: joins a word
)

func classify(r rune) wordClass {
	switch {
	case r == utf8.RuneError:
		return classNone
	case r >= 0x100 && r <= 0x24F, r >= 0x1E00 && r <= 0x1EFF:
		// Latin Extended-A/B and Latin Extended Additional (all precomposed
		// Vietnamese letters) are letters throughout.
		return classBase
	case isMn(r):
		return classMark
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return classBase
	}
	return classNone
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendASCIILower appends the lower case of an ASCII word, or nothing and
// same if it has no capitals.
func appendASCIILower(dst []byte, s string) (out []byte, same bool) {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return dst, true
	}
	for j := 0; j < len(s); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, false
}
