package search

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"sxsh/generator/vitext"
)

const vectorsFile = "../../testdata/fold.tsv"

// vectorInputs reads the input column of the shared folding vectors.
func vectorInputs(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open(vectorsFile)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var ins []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "input\t") {
			continue
		}
		field, _, _ := strings.Cut(line, "\t")
		ins = append(ins, decodeEscapes(tb, field))
	}
	if len(ins) < 60 {
		tb.Fatalf("%s: %d vectors", vectorsFile, len(ins))
	}
	return ins
}

// decodeEscapes replaces the vectors' \uXXXX escapes.
func decodeEscapes(tb testing.TB, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+6 <= len(s) && s[i+1] == 'u' {
			n, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
			if err != nil {
				tb.Fatalf("bad escape in %q", s)
			}
			b.WriteRune(rune(n))
			i += 5
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// checkWords compares the analyzer's word loop with vitext.Tokenize: the
// same words, folded terms and exact forms.
func checkWords(t *testing.T, z *analyzer, s string) {
	t.Helper()
	nfc, toks := vitext.Tokenize(s)
	if got := vitext.NFC(s); got != nfc {
		t.Fatalf("NFC differs")
	}
	k := 0
	for i := 0; i < len(nfc); k++ {
		start, end, h, ok := nextWord(nfc, i)
		if !ok {
			break
		}
		i = end
		if k >= len(toks) {
			t.Fatalf("%q: extra word %q", s, nfc[start:end])
		}
		tok := toks[k]
		if start != tok.Start || end != tok.End {
			t.Fatalf("%q: word %d at %d:%d, Tokenize says %d:%d", s, k, start, end, tok.Start, tok.End)
		}
		if want := fnv1a(nfc[start:end]); h != want {
			t.Fatalf("%q: hash of %q is %x, want %x", s, nfc[start:end], h, want)
		}
		info := z.learn(nfc[start:end])
		if info.skip != skipWord(tok.Text) {
			t.Fatalf("%q: skip of %q", s, tok.Text)
		}
		if info.skip {
			continue
		}
		fold := z.foldStr[info.fold]
		exact := fold
		if info.exact != noExact {
			exact = z.exactStr[info.exact]
			if exact == fold {
				t.Errorf("%q: exact form %q stored though it equals the term", s, exact)
			}
		}
		if fold != tok.Fold || exact != tok.Exact {
			t.Errorf("%q: word %q gives %q/%q, Tokenize %q/%q", s, tok.Text, fold, exact, tok.Fold, tok.Exact)
		}
	}
	if k != len(toks) {
		t.Errorf("%q: %d words, Tokenize %d", s, k, len(toks))
	}
}

func fnv1a(s string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

func TestWordsMatchTokenize(t *testing.T) {
	z := newAnalyzer()
	t.Run("vectors", func(t *testing.T) {
		for _, in := range vectorInputs(t) {
			checkWords(t, z, in)
		}
	})
	t.Run("content", func(t *testing.T) {
		for _, text := range append(realTexts(t, ".vi.md"), realTexts(t, ".en.md")...) {
			checkWords(t, z, text)
		}
	})
	t.Run("edges", func(t *testing.T) {
		for _, s := range []string{
			"", " ", "\u0301", "a\u0301", "\u0301a", "x\xffy", "\xe1\xba", "e\xcc", "Ωμέγα ΣΊΣΥΦΟΣ", "日本語テキスト", "٣٤٥ ١٢",
			"ﬁ café naïve Ærø", "a\u00a0b\u2028c", "\U0001F600\uFE0F xin chào", "İstanbul ǅemal", strings.Repeat("ạ", 40),
		} {
			checkWords(t, z, s)
		}
	})
}

func FuzzAnalyze(f *testing.F) {
	for _, in := range vectorInputs(f) {
		f.Add(in, in)
	}
	f.Add("", "\xff\xfe")
	f.Fuzz(func(t *testing.T, title, body string) {
		checkWords(t, newAnalyzer(), title+" "+body)
		a := Analyze(Doc{Title: title, Sections: []string{body}, Summary: body})
		if n := utf8.RuneCountInString(a.snippet); n > snippetRunes+2 {
			t.Errorf("snippet of %d runes", n)
		}
		b := NewBuilder("vi", testKinds)
		b.Add(a)
		write(t, b)
	})
}

// counts is an Analyzed in readable form.
type counts struct {
	terms  map[string]uint32
	pairs  map[string]uint32
	exacts map[string]string // exact form → term
	length uint64
}

func countsOf(a *Analyzed) counts {
	c := counts{terms: map[string]uint32{}, pairs: map[string]uint32{}, exacts: map[string]string{}, length: a.length}
	for i, t := range a.terms {
		c.terms[a.term(i)] = t.tf
	}
	for _, p := range a.pairs {
		c.pairs[a.term(int(p.a))+" "+a.term(int(p.b))] = p.tf
	}
	for i, e := range a.exacts {
		c.exacts[a.exact(i)] = a.term(int(e.term))
	}
	return c
}

func TestAnalyzeCounts(t *testing.T) {
	long := strings.Repeat("a", 33)
	tests := []struct {
		name   string
		doc    Doc
		terms  map[string]uint32
		pairs  map[string]uint32
		exacts map[string]string
		length uint64
	}{
		{
			name:   "title weighs 6",
			doc:    Doc{Title: "Sản xuất sạch"},
			terms:  map[string]uint32{"san": 6, "xuat": 6, "sach": 6},
			pairs:  map[string]uint32{"san xuat": 6, "xuat sach": 6},
			exacts: map[string]string{"sản": "san", "xuất": "xuat", "sạch": "sach"},
			length: 18,
		},
		{
			name:   "fields and blocks",
			doc:    Doc{Title: "Điện", Headings: []string{"điện năng"}, Summary: "Năng", Sections: []string{"điện", "năng điện"}},
			terms:  map[string]uint32{"dien": 6 + 3 + 1 + 1, "nang": 3 + 3 + 1},
			pairs:  map[string]uint32{"dien nang": 3, "nang dien": 1},
			exacts: map[string]string{"điện": "dien", "năng": "nang"},
			length: 6 + 6 + 3 + 1 + 2,
		},
		{
			name:   "old and new tone placement and case give one exact form",
			doc:    Doc{Sections: []string{"Hòa hoà HOÀ hoa"}},
			terms:  map[string]uint32{"hoa": 4},
			pairs:  map[string]uint32{"hoa hoa": 3},
			exacts: map[string]string{"hoà": "hoa", "hoa": "hoa"},
			length: 4,
		},
		{
			name:   "an ASCII word is its own exact form",
			doc:    Doc{Sections: []string{"SXSH and LED"}},
			terms:  map[string]uint32{"sxsh": 1, "and": 1, "led": 1},
			pairs:  map[string]uint32{"sxsh and": 1, "and led": 1},
			exacts: map[string]string{"sxsh": "sxsh", "and": "and", "led": "led"},
			length: 3,
		},
		{
			name:   "long words and long numbers are skipped and break pairs",
			doc:    Doc{Sections: []string{"tiết " + long + " kiệm 1234567890123456 điện 123456789012345 x"}},
			terms:  map[string]uint32{"tiet": 1, "kiem": 1, "dien": 1, "123456789012345": 1, "x": 1},
			pairs:  map[string]uint32{"dien 123456789012345": 1, "123456789012345 x": 1},
			exacts: map[string]string{"tiết": "tiet", "kiệm": "kiem", "điện": "dien", "123456789012345": "123456789012345", "x": "x"},
			length: 5,
		},
		{
			name:   "punctuation separates but does not break pairs",
			doc:    Doc{Sections: []string{"năng-lượng, (xanh)"}},
			terms:  map[string]uint32{"nang": 1, "luong": 1, "xanh": 1},
			pairs:  map[string]uint32{"nang luong": 1, "luong xanh": 1},
			exacts: map[string]string{"năng": "nang", "lượng": "luong", "xanh": "xanh"},
			length: 3,
		},
		{
			name:   "no text",
			doc:    Doc{Title: " ", Sections: []string{"", "—"}},
			terms:  map[string]uint32{},
			pairs:  map[string]uint32{},
			exacts: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := countsOf(Analyze(tt.doc))
			if !equalMaps(c.terms, tt.terms) {
				t.Errorf("terms %v, want %v", c.terms, tt.terms)
			}
			if !equalMaps(c.pairs, tt.pairs) {
				t.Errorf("pairs %v, want %v", c.pairs, tt.pairs)
			}
			if !equalMaps(c.exacts, tt.exacts) {
				t.Errorf("exacts %v, want %v", c.exacts, tt.exacts)
			}
			if c.length != tt.length {
				t.Errorf("length %d, want %d", c.length, tt.length)
			}
		})
	}
}

func equalMaps[V comparable](a, b map[string]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestAnalyzeReuse checks that a recycled analyzer, which has learnt other
// pages' words, gives the same result as a new one.
func TestAnalyzeReuse(t *testing.T) {
	c := newCorpus(t, 7)
	docs := []Doc{c.doc(0, 3000), c.doc(1, 3000), c.doc(2, 3000)}
	fresh := func(d Doc) *Analyzed {
		z := newAnalyzer()
		z.startDoc()
		z.block(d.Title, weightTitle, false)
		for _, h := range d.Headings {
			z.block(h, weightHeading, false)
		}
		z.block(d.Summary, weightSummary, true)
		for _, s := range d.Sections {
			z.block(s, weightBody, true)
		}
		a := &Analyzed{length: z.length, snippet: z.snip.text()}
		z.finish(a)
		return a
	}
	z := newAnalyzer()
	for round := 0; round < 2; round++ {
		for i, d := range docs {
			z.startDoc()
			z.block(d.Title, weightTitle, false)
			for _, h := range d.Headings {
				z.block(h, weightHeading, false)
			}
			z.block(d.Summary, weightSummary, true)
			for _, s := range d.Sections {
				z.block(s, weightBody, true)
			}
			got := &Analyzed{length: z.length, snippet: z.snip.text()}
			z.finish(got)
			want := fresh(d)
			if got.strs != want.strs || got.snippet != want.snippet || got.length != want.length ||
				!slicesEqual(got.terms, want.terms) || !slicesEqual(got.pairs, want.pairs) || !slicesEqual(got.exacts, want.exacts) {
				t.Errorf("round %d doc %d: reused analyzer differs from a new one", round, i)
			}
		}
	}
}

func slicesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSnippet(t *testing.T) {
	word := "tiết "
	long := strings.Repeat(word, 1000) // 5,000 runes
	tests := []struct {
		name     string
		summary  string
		sections []string
		want     func(string) bool
	}{
		{"short text kept, spaces collapsed", "  Tóm  tắt\n", []string{"Thân\tbài", "  "}, func(s string) bool { return s == "Tóm tắt Thân bài" }},
		{"long text cut at a word boundary", "", []string{long}, func(s string) bool {
			body, ok := strings.CutSuffix(s, "…")
			n := utf8.RuneCountInString(body)
			return ok && n <= snippetRunes && n > snippetRunes-10 && strings.HasSuffix(body, "tiết") && !strings.HasSuffix(body, " ")
		}},
		{"cut between blocks", "", []string{strings.Repeat("a", 1999), "bcd"}, func(s string) bool {
			return s == strings.Repeat("a", 1999)+"…"
		}},
		{"controls removed", "a\u0000b\u0085c", nil, func(s string) bool { return s == "a b c" }},
		{"no text", "", nil, func(s string) bool { return s == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Analyze(Doc{Summary: tt.summary, Sections: tt.sections})
			if !tt.want(a.snippet) {
				t.Errorf("snippet %q (%d runes)", a.snippet, utf8.RuneCountInString(a.snippet))
			}
		})
	}
}
