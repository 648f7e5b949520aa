package search

import (
	"bytes"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"sxsh/generator/vitext"
)

// Doc is one page to index.
type Doc struct {
	Title    string
	URL      string // root-relative URL with the base path, e.g. "/tin-tuc/x/"
	Kind     string // "article", "newsletter", "broadcast", "banner", "document" or "page"
	Date     string // the date as shown in the language, "28/11/2026"; may be ""
	Year     int    // 0 if none
	Summary  string
	Headings []string // h2–h4 texts
	Sections []string // body text blocks (paragraphs or sections), in order; pairs never cross blocks
}

// Field weights: how much one occurrence counts towards the weighted term
// frequency and the document length.
const (
	weightTitle   = 6
	weightHeading = 3
	weightSummary = 3
	weightBody    = 1
)

// Skipping rules of the contract: such words are neither terms nor exact
// forms, and the words on either side of one are not adjacent. Numbers of
// up to 15 digits are words: a tax code (10 or 13 digits) or a telephone
// number written whole is something a reader searches for.
const (
	maxWordBytes  = 32
	maxDigitsWord = 15
)

// snippetRunes is the length the snippet text is cut to, at a word
// boundary; the docs pack may cut it further to fit a slot.
const snippetRunes = 2000

// maxTF bounds a stored weighted frequency; BM25 saturates long before, and
// only a page of megabytes of one word gets near it.
const maxTF = 1<<16 - 1

// Analyzed is a document cut into terms, ready to add to an index. Analyze is
// safe for concurrent use and does all the per-document work (tokenizing,
// folding, counting), so the site calls it from its render workers.
type Analyzed struct {
	url, title, kind, date, snippet string
	year                            int

	// strs holds every term and exact form of the document back to back, so
	// that a document costs a few allocations however many words it has.
	strs   string
	terms  []aTerm
	exacts []aExact
	pairs  []aPair
	length uint64 // weighted word count
}

type aTerm struct {
	off, end uint32 // the folded term is strs[off:end]
	tf       uint32 // weighted
}

type aExact struct {
	off, end uint32 // the exact form is strs[off:end]
	term     uint32 // index into terms of its folded term
}

type aPair struct {
	a, b uint32 // indexes into terms
	tf   uint32 // weighted
}

func (a *Analyzed) term(i int) string   { return a.strs[a.terms[i].off:a.terms[i].end] }
func (a *Analyzed) exact(i int) string  { return a.strs[a.exacts[i].off:a.exacts[i].end] }
func (a *Analyzed) termTF(i int) uint16 { return clampTF(a.terms[i].tf) }
func (a *Analyzed) pairTF(i int) uint16 { return clampTF(a.pairs[i].tf) }

func clampTF(tf uint32) uint16 {
	if tf > maxTF {
		return maxTF
	}
	return uint16(tf)
}

// Analyze cuts d into terms, exact forms and pairs, with their weighted
// counts, and prepares its display data.
func Analyze(d Doc) *Analyzed {
	z := analyzers.Get().(*analyzer)
	defer analyzers.Put(z)
	z.startDoc()
	z.block(d.Title, weightTitle, false)
	for _, h := range d.Headings {
		z.block(h, weightHeading, false)
	}
	z.block(d.Summary, weightSummary, true)
	for _, s := range d.Sections {
		z.block(s, weightBody, true)
	}
	a := &Analyzed{
		url:     d.URL,
		title:   strings.TrimSpace(vitext.NFC(d.Title)),
		kind:    d.Kind,
		date:    strings.TrimSpace(vitext.NFC(d.Date)),
		year:    d.Year,
		snippet: z.snip.text(),
		length:  z.length,
	}
	z.finish(a)
	return a
}

// analyzers recycles analyzers and the vocabulary they have learnt. Folding
// each distinct word of each page again costs more than all the rest of
// Analyze; with the vocabulary kept, a page's words are nearly all known. The
// pool holds no results: an analyzer's output does not depend on what it
// has seen before.
var analyzers = sync.Pool{New: func() any { return newAnalyzer() }}

// Bounds on what a recycled analyzer keeps: past maxVocab words its
// vocabulary starts over, and tables grown for a huge page are dropped.
const (
	maxVocab   = 1 << 18
	pairTable  = 1 << 11
	maxKeepTab = 1 << 16
)

// analyzer counts the words of one document at a time.
//
// Its vocabulary outlives documents: every distinct word as written (wordStr)
// with its folded term (fold id) and exact form (exact id), each interned
// once, so vitext.Fold and vitext.Exact run once per word form, not once per
// word. Within a document, stamps equal to gen mark the terms and exact forms
// seen so far, and the document's local numbering is the order of first
// occurrence, so output never depends on the vocabulary's history.
type analyzer struct {
	seed     maphash.Seed
	words    strIndex
	wordStr  []string
	wordInfo []wordInfo
	folds    strIndex
	foldStr  []string
	exactIx  strIndex
	exactStr []string
	exactOf  []uint32 // fold id of each exact form

	gen        uint32
	foldStamp  []uint32
	foldLocal  []uint32 // a seen fold's index in terms
	exactStamp []uint32

	terms  []uint32 // fold ids in order of first occurrence
	termTF []uint32
	// plain tells, for each of terms, that the term itself occurs as a
	// word (its exact form is the folded one: "ban" as well as "bán").
	plain  []bool
	exacts []uint32 // exact ids in order of first occurrence
	pairIx pairIndex
	pairs  []aPair
	length uint64
	lower  []byte
	snip   snippet
}

// wordInfo is what a word form gives: its fold id and exact id (noExact if
// the exact form equals the term), or skip.
type wordInfo struct {
	fold, exact uint32
	skip        bool
}

const noExact = ^uint32(0)

func newAnalyzer() *analyzer {
	z := &analyzer{seed: maphash.MakeSeed()}
	z.resetVocab()
	return z
}

func (z *analyzer) resetVocab() {
	z.words = newStrIndex(z.seed, 1<<12)
	z.folds = newStrIndex(z.seed, 1<<11)
	z.exactIx = newStrIndex(z.seed, 1<<11)
	z.wordStr, z.wordInfo = nil, nil
	z.foldStr, z.exactStr, z.exactOf = nil, nil, nil
	z.foldStamp, z.foldLocal, z.exactStamp = nil, nil, nil
	z.gen = 0
}

// startDoc clears the per-document state.
func (z *analyzer) startDoc() {
	if len(z.wordStr) > maxVocab {
		z.resetVocab()
	}
	z.gen++
	if z.gen == 0 {
		clear(z.foldStamp)
		clear(z.exactStamp)
		z.gen = 1
	}
	z.terms, z.termTF, z.plain, z.exacts, z.pairs = z.terms[:0], z.termTF[:0], z.plain[:0], z.exacts[:0], z.pairs[:0]
	if len(z.pairIx.slots) == 0 || len(z.pairIx.slots) > maxKeepTab {
		z.pairIx = newPairIndex(pairTable)
	} else {
		z.pairIx.reset()
	}
	if cap(z.pairs) > maxKeepTab {
		z.terms, z.termTF, z.plain, z.exacts, z.pairs = nil, nil, nil, nil, nil
	}
	z.length = 0
	z.snip.reset()
}

// block counts the words of one block of text with weight w; pairs never
// cross blocks. If snip, the text also goes into the snippet.
func (z *analyzer) block(text string, w uint32, snip bool) {
	if text == "" {
		return
	}
	nfc := vitext.NFC(text)
	if snip {
		z.snip.add(nfc)
	}
	prev := noExact
	for i := 0; i < len(nfc); {
		start, end, h, ok := nextWord(nfc, i)
		if !ok {
			break
		}
		i = end
		word := nfc[start:end]
		pos, slot := z.words.find(z.wordStr, word, h)
		var info wordInfo
		if pos >= 0 {
			info = z.wordInfo[pos]
		} else {
			info = z.learn(word)
			z.words.insert(slot, h, int32(len(z.wordStr)))
			z.wordStr = append(z.wordStr, strings.Clone(word))
			z.wordInfo = append(z.wordInfo, info)
		}
		if info.skip {
			prev = noExact
			continue
		}
		z.length += uint64(w)
		f := info.fold
		if z.foldStamp[f] != z.gen {
			z.foldStamp[f] = z.gen
			z.foldLocal[f] = uint32(len(z.terms))
			z.terms = append(z.terms, f)
			z.termTF = append(z.termTF, 0)
			z.plain = append(z.plain, false)
		}
		t := z.foldLocal[f]
		z.termTF[t] += w
		if e := info.exact; e == noExact {
			z.plain[t] = true
		} else if z.exactStamp[e] != z.gen {
			z.exactStamp[e] = z.gen
			z.exacts = append(z.exacts, e)
		}
		if prev != noExact {
			key := uint64(prev)<<32 | uint64(t)
			p, slot := z.pairIx.find(key)
			if p < 0 {
				p = int32(len(z.pairs))
				z.pairIx.insert(slot, key, p)
				z.pairs = append(z.pairs, aPair{a: prev, b: t})
			}
			z.pairs[p].tf += w
		}
		prev = t
	}
}

// learn works out the term and exact form of a word form not in the
// vocabulary.
func (z *analyzer) learn(word string) wordInfo {
	if skipWord(word) {
		return wordInfo{skip: true}
	}
	var fold, exact string
	if isASCII(word) {
		// ASCII words: Fold and Exact are both the lower case.
		fold = z.asciiLower(word)
		exact = fold
	} else {
		fold = vitext.Fold(word)
		exact = vitext.Exact(word)
	}
	h := z.folds.hash(fold)
	f, slot := z.folds.find(z.foldStr, fold, h)
	if f < 0 {
		f = int32(len(z.foldStr))
		z.folds.insert(slot, h, f)
		z.foldStr = append(z.foldStr, strings.Clone(fold))
		z.foldStamp = append(z.foldStamp, 0)
		z.foldLocal = append(z.foldLocal, 0)
	}
	info := wordInfo{fold: uint32(f), exact: noExact}
	if exact != fold {
		h := z.exactIx.hash(exact)
		e, slot := z.exactIx.find(z.exactStr, exact, h)
		if e < 0 {
			e = int32(len(z.exactStr))
			z.exactIx.insert(slot, h, e)
			z.exactStr = append(z.exactStr, strings.Clone(exact))
			z.exactOf = append(z.exactOf, uint32(f))
			z.exactStamp = append(z.exactStamp, 0)
		}
		info.exact = uint32(e)
	}
	return info
}

// asciiLower lower-cases an ASCII word, allocating only if it has capitals.
func (z *analyzer) asciiLower(w string) string {
	if !hasUpperASCII(w) {
		return w
	}
	z.lower = append(z.lower[:0], w...)
	for i, c := range z.lower {
		if 'A' <= c && c <= 'Z' {
			z.lower[i] = c + 'a' - 'A'
		}
	}
	return string(z.lower)
}

// finish copies the document's counts into a, with every string in one
// buffer.
func (z *analyzer) finish(a *Analyzed) {
	n := 0
	for _, f := range z.terms {
		n += len(z.foldStr[f])
	}
	for _, e := range z.exacts {
		n += len(z.exactStr[e])
	}
	var b strings.Builder
	b.Grow(n)
	a.terms = make([]aTerm, len(z.terms))
	for i, f := range z.terms {
		off := uint32(b.Len())
		b.WriteString(z.foldStr[f])
		a.terms[i] = aTerm{off: off, end: uint32(b.Len()), tf: z.termTF[i]}
	}
	a.exacts = make([]aExact, len(z.exacts), len(z.exacts)+len(z.terms))
	for i, e := range z.exacts {
		off := uint32(b.Len())
		b.WriteString(z.exactStr[e])
		a.exacts[i] = aExact{off: off, end: uint32(b.Len()), term: z.foldLocal[z.exactOf[e]]}
	}
	// A term that occurs as itself is its own exact form too: the index
	// lists it where the term has other forms, so that "ban" typed plain
	// finds the pages that have "ban" first.
	for i, t := range a.terms {
		if z.plain[i] {
			a.exacts = append(a.exacts, aExact{off: t.off, end: t.end, term: uint32(i)})
		}
	}
	a.strs = b.String()
	a.pairs = slices.Clone(z.pairs)
}

// skipWord applies the contract's skipping rules to one word.
func skipWord(w string) bool {
	if len(w) > maxWordBytes {
		return true
	}
	digits := 0
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
		digits++
	}
	return digits > maxDigitsWord
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// nextWord finds the first word of the NFC text s at or after byte i, as
// vitext.Tokenize does: a maximal run of letters, decimal digits and
// nonspacing marks holding at least one letter or digit. It also returns the
// word's hash (FNV-1a over its bytes), computed on the way.
func nextWord(s string, i int) (start, end int, h uint32, ok bool) {
	start = -1
	hasBase := false
	for i < len(s) {
		c := s[i]
		var k wordClass
		size := 1
		switch {
		case c < utf8.RuneSelf:
			k = asciiClass[c]
		case c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			// Two-byte sequences, most Vietnamese vowels with one mark.
			k = classify(rune(c&0x1F)<<6 | rune(s[i+1]&0x3F))
			size = 2
		case (c >= 0xE1 && c <= 0xEC || c == 0xEE || c == 0xEF) && i+2 < len(s) &&
			s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			// Three-byte sequences other than E0 and ED (which have
			// narrower second bytes): Latin Extended Additional, the
			// vowels with two marks, lives here.
			k = classify(rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F))
			size = 3
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			k = classify(r)
		}
		switch {
		case k != classNone:
			if start < 0 {
				start = i
				h = fnvOffset
			}
			hasBase = hasBase || k == classBase
			for j := i; j < i+size; j++ {
				h = (h ^ uint32(s[j])) * fnvPrime
			}
		case start >= 0 && hasBase:
			return start, i, h, true
		default:
			start, hasBase = -1, false
		}
		i += size
	}
	if start >= 0 && hasBase {
		return start, len(s), h, true
	}
	return 0, 0, 0, false
}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// asciiClass classifies the ASCII bytes.
var asciiClass = func() (t [utf8.RuneSelf]wordClass) {
	for c := range t {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			t[c] = classBase
		}
	}
	return t
}()

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
	case r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7, r >= 0x1E00 && r <= 0x1EFF:
		// Latin-1 letters, Latin Extended-A/B and Latin Extended Additional
		// (every precomposed Vietnamese letter) are letters throughout.
		return classBase
	case r >= 0x300 && r <= 0x36F:
		return classMark
	case unicode.Is(unicode.Mn, r):
		return classMark
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return classBase
	}
	return classNone
}

// snippet collects the summary and body text for the docs pack: spaces
// collapsed, cut at a word boundary near snippetRunes runes.
type snippet struct {
	b     []byte
	runes int
	full  bool // the text went past the limit
	space bool // a space is pending before the next non-space
}

func (s *snippet) add(text string) {
	if s.full {
		return
	}
	if s.b == nil {
		s.b = make([]byte, 0, 3*snippetRunes)
	}
	s.space = s.runes > 0
	for i := 0; i < len(text); {
		c := text[i]
		if n := spaceLen(text[i:]); n > 0 {
			s.space = s.runes > 0
			i += n
			continue
		}
		if c&0xC0 != 0x80 {
			// The first byte of a character: count it.
			if s.runes >= snippetRunes {
				s.full = true
				if !s.space {
					s.cut()
				}
				return
			}
			if s.space {
				s.b = append(s.b, ' ')
				s.runes++
				s.space = false
			}
			s.runes++
		}
		// Invalid bytes are kept: appendString makes them U+FFFD.
		s.b = append(s.b, c)
		i++
	}
}

// spaceLen is the length in bytes of the white space (unicode.IsSpace) or
// control character (unicode.IsControl) s starts with, or 0.
func spaceLen(s string) int {
	c := s[0]
	switch {
	case c <= ' ' || c == 0x7F:
		return 1
	case c < 0xC2:
		return 0
	case c == 0xC2:
		// U+0080–U+009F controls, U+0085 next line, U+00A0 no-break space.
		if len(s) > 1 && s[1] >= 0x80 && s[1] <= 0xA0 {
			return 2
		}
	case c == 0xE1:
		if strings.HasPrefix(s, "\u1680") {
			return 3
		}
	case c == 0xE2:
		if len(s) > 2 && (s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF) ||
			s[1] == 0x81 && s[2] == 0x9F) {
			// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F.
			return 3
		}
	case c == 0xE3:
		if strings.HasPrefix(s, "\u3000") {
			return 3
		}
	}
	return 0
}

// cut drops the partial word at the end of a full snippet, unless the text
// has no space near the end to cut at (a language written without spaces).
func (s *snippet) cut() {
	i := bytes.LastIndexByte(s.b, ' ')
	if i < 0 || len(s.b)-i > 200 {
		return
	}
	s.b = s.b[:i]
}

func (s *snippet) reset() {
	s.b, s.runes, s.full, s.space = s.b[:0], 0, false, false
}

func (s *snippet) text() string {
	if s.full {
		return string(s.b) + "…"
	}
	return string(s.b)
}
