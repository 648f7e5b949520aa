package vitext

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Code points NFC and Exact treat specially.
const (
	eth        = 'ð'
	capitalEth = 'Ð'
	dStroke    = 'đ'
	capitalD   = 'Đ'

	markGrave      = '\u0300'
	markAcute      = '\u0301'
	markCircumflex = '\u0302'
	markTilde      = '\u0303'
	markBreve      = '\u0306'
	markHook       = '\u0309'
	markHorn       = '\u031B'
	markDotBelow   = '\u0323'

	softHyphen = '\u00AD'
)

// invisible are the code points NFC removes: invisible, they come inside
// words and would cut them in two.
const invisible = "\u00AD\u2060\uFEFF"

// NFC returns s in Unicode NFC, after fixing what Vietnamese keyboards and
// old fonts produce: U+00D0 Ð and U+00F0 ð become Đ and đ, and a tone mark
// typed before a circumflex or breve is moved after it so that the letter
// composes. The Windows keyboard's mixed form (precomposed ê followed by a
// combining tone mark) ends up fully composed. See the package doc for the
// exact steps.
func NFC(s string) string {
	if !needsNFC(s) {
		return s
	}
	return nfcSlow(s)
}

// needsNFC reports whether NFC could change s. Its fast path accepts text
// made only of code points that are NFC on their own and never compose with
// a neighbour (ASCII, Latin letters including all of Vietnamese, common
// punctuation), which is nearly all real text; anything else goes to the
// full quick check.
func needsNFC(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isInertNFC(r) {
			return needsNFCSlow(s)
		}
		i += size
	}
	return false
}

// isInertNFC reports whether r is a starter that is NFC on its own and never
// composes with what precedes it, so that a run of such code points is NFC
// (TestInertNFC checks this against the normalisation tables). Ð and ð are
// left out: NFC replaces them.
func isInertNFC(r rune) bool {
	switch {
	case r >= 0xA0 && r <= 0x24F:
		return r != capitalEth && r != eth && r != softHyphen
	case r >= 0x1E00 && r <= 0x1EFF, r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205E:
		return true
	}
	return false
}

// needsNFCSlow is needsNFC for text outside the fast path: anything with
// an eth, a circumflex or breve that a misordered tone mark may have left
// uncomposed, or that the NFC quick check does not accept.
func needsNFCSlow(s string) bool {
	if strings.ContainsAny(s, invisible) {
		return true
	}
	for i := 0; i+1 < len(s); i++ {
		c, n := s[i], s[i+1]
		if c == 0xC3 && (n == 0x90 || n == 0xB0) { // Ð ð
			return true
		}
		if c == 0xCC && (n == 0x82 || n == 0x86) { // U+0302 U+0306
			return true
		}
	}
	return !norm.NFC.IsNormalString(s)
}

// nfcFixes puts the Vietnamese Đ for the look-alike Icelandic Ð and
// drops the invisible characters.
var nfcFixes = func() *strings.Replacer {
	pairs := []string{"Ð", "Đ", "ð", "đ"}
	for _, r := range invisible {
		pairs = append(pairs, string(r), "")
	}
	return strings.NewReplacer(pairs...)
}()

func nfcSlow(s string) string {
	d := norm.NFD.String(nfcFixes.Replace(s))
	return norm.NFC.String(reorderTones(d))
}

// reorderTones applies step 3 of NFC to an NFD string.
func reorderTones(d string) string {
	if !strings.Contains(d, "\u0302") && !strings.Contains(d, "\u0306") {
		return d
	}
	var b strings.Builder
	b.Grow(len(d))
	var marks []rune
	for i := 0; i < len(d); {
		r, size := utf8.DecodeRuneInString(d[i:])
		b.WriteString(d[i : i+size])
		i += size
		switch r {
		case 'a', 'e', 'o', 'A', 'E', 'O':
		default:
			continue
		}
		marks = marks[:0]
		for i < len(d) {
			p := norm.NFD.PropertiesString(d[i:])
			if p.CCC() == 0 {
				break
			}
			m, msize := utf8.DecodeRuneInString(d[i:])
			marks = append(marks, m)
			i += msize
		}
		for _, m := range orderMarks(marks) {
			b.WriteRune(m)
		}
	}
	return b.String()
}

// orderMarks returns the marks of one combining run with the tone marks that
// precede the last circumflex or breve moved to just after it. It reorders
// in place.
func orderMarks(marks []rune) []rune {
	last := -1
	for i, m := range marks {
		if m == markCircumflex || m == markBreve {
			last = i
		}
	}
	if last < 0 {
		return marks
	}
	var tones, others []rune
	for _, m := range marks[:last] {
		if isUpperTone(m) {
			tones = append(tones, m)
		} else {
			others = append(others, m)
		}
	}
	if len(tones) == 0 {
		return marks
	}
	out := make([]rune, 0, len(marks))
	out = append(out, others...)
	out = append(out, marks[last])
	out = append(out, tones...)
	return append(out, marks[last+1:]...)
}

// isUpperTone reports whether m is a tone mark of combining class 230, the
// class shared with the circumflex and the breve.
func isUpperTone(m rune) bool {
	return m == markGrave || m == markAcute || m == markTilde || m == markHook
}
