package vitext

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const vectorsFile = "../../testdata/fold.tsv"

// vector is one row of testdata/fold.tsv, escapes decoded.
type vector struct {
	line                          int
	input, nfc, exact, fold, slug string
}

// readVectors reads the shared vectors. The JS client's tests read the same
// file, so the format is kept trivial: a header, '#' comments, five
// tab-separated fields with \uXXXX escapes.
func readVectors(tb testing.TB) []vector {
	tb.Helper()
	f, err := os.Open(vectorsFile)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	header := false
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 5 {
			tb.Fatalf("%s:%d: %d fields, want 5", vectorsFile, line, len(fields))
		}
		if !header {
			if text != "input\tnfc\texact\tfold\tslug" {
				tb.Fatalf("%s:%d: header is %q", vectorsFile, line, text)
			}
			header = true
			continue
		}
		for i, fld := range fields {
			d, err := decodeEscapes(fld)
			if err != nil {
				tb.Fatalf("%s:%d: field %d: %v", vectorsFile, line, i+1, err)
			}
			fields[i] = d
		}
		vs = append(vs, vector{line, fields[0], fields[1], fields[2], fields[3], fields[4]})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(vs) < 60 {
		tb.Fatalf("%s: %d vectors, want at least 60", vectorsFile, len(vs))
	}
	return vs
}

// decodeEscapes replaces each \uXXXX (four hex digits, not a surrogate) by
// its code point. A backslash not starting such an escape is an error, so a
// typo in the vectors cannot pass silently.
func decodeEscapes(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+6 > len(s) || s[i+1] != 'u' {
			return "", fmt.Errorf("bad escape at byte %d of %q", i, s)
		}
		n, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
		if err != nil || (n >= 0xD800 && n <= 0xDFFF) {
			return "", fmt.Errorf("bad escape %q", s[i:i+6])
		}
		b.WriteRune(rune(n))
		i += 5
	}
	return b.String(), nil
}

// exactWords is the vectors' exact column: Exact of each token, joined by
// one space.
func exactWords(s string) string {
	_, toks := Tokenize(s)
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = Exact(t.Text)
	}
	return strings.Join(words, " ")
}

func TestVectors(t *testing.T) {
	for _, v := range readVectors(t) {
		t.Run(fmt.Sprintf("line%d", v.line), func(t *testing.T) {
			check := func(what, got, want string) {
				if got != want {
					t.Errorf("%s(%+q) = %+q, want %+q", what, v.input, got, want)
				}
			}
			check("NFC", NFC(v.input), v.nfc)
			check("Exact", exactWords(v.input), v.exact)
			check("Fold", Fold(v.input), v.fold)
			check("Fold∘NFC", Fold(v.nfc), v.fold)
			check("Slug", Slug(v.input), v.slug)
		})
	}
}

func TestDecodeEscapes(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{in: "plain", want: "plain"},
		{in: `ho\u0300a`, want: "ho\u0300a"},
		{in: `\u00D0\u00f0`, want: "Ðð"},
		{in: `\u0009x`, want: "\tx"},
		{in: `\u00`, err: true},
		{in: `\x41`, err: true},
		{in: `\uD83D`, err: true},
		{in: `a\`, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := decodeEscapes(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("decodeEscapes(%q) error = %v, want error %v", tt.in, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("decodeEscapes(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestExactEquivalence(t *testing.T) {
	tests := []struct {
		a, b  string
		equal bool
	}{
		{"hoà", "hòa", true},
		{"thuỷ", "thủy", true},
		{"khoẻ", "khỏe", true},
		{"Hòa", "hoà", true},
		{"QÚY", "quý", true},
		{"hoàn", "hòan", true},
		{"ngừơi", "người", true},
		// Different tones or letters must stay apart: only placement is forgiven.
		{"hòa", "hóa", false},
		{"hoà", "hoa", false},
		{"mà", "ma", false},
		{"đa", "da", false},
		{"hơn", "hon", false},
		{"tuỳ", "tùng", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"_"+tt.b, func(t *testing.T) {
			ea, eb := Exact(tt.a), Exact(tt.b)
			if (ea == eb) != tt.equal {
				t.Errorf("Exact(%q) = %q, Exact(%q) = %q; equal = %v, want %v", tt.a, ea, tt.b, eb, ea == eb, tt.equal)
			}
		})
	}
}

func TestExactNotSyllable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Café", "café"},
		{"XYZ", "xyz"},
		{"2016", "2016"},
		{"ÒÒ", "òò"},         // two tone marks: not a syllable, only lower-cased
		{"hoàhoà", "hoàhoà"}, // two syllables run together
		{"ṁà", "ṁà"},         // a consonant with a mark
		{"ngoằoằ", "ngoằoằ"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Exact(tt.in); got != tt.want {
				t.Errorf("Exact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in    string
		words []string
		spans [][2]int
	}{
		{in: "", words: nil},
		{in: "  ,. ", words: nil},
		{in: "Hòa Bình", words: []string{"Hòa", "Bình"}, spans: [][2]int{{0, 4}, {5, 10}}},
		{in: "Ho\u0300a-Bi\u0300nh!", words: []string{"Hòa", "Bình"}, spans: [][2]int{{0, 4}, {5, 10}}},
		{in: "2016–2020", words: []string{"2016", "2020"}, spans: [][2]int{{0, 4}, {7, 11}}},
		{in: "❤\ufe0f x\u0301y", words: []string{"x\u0301y"}, spans: [][2]int{{7, 11}}},
		{in: "\u0301a", words: []string{"\u0301a"}, spans: [][2]int{{0, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			nfc, toks := Tokenize(tt.in)
			if nfc != NFC(tt.in) {
				t.Errorf("nfc = %q, want %q", nfc, NFC(tt.in))
			}
			if len(toks) != len(tt.words) {
				t.Fatalf("Tokenize(%q) gave %d tokens %v, want %q", tt.in, len(toks), toks, tt.words)
			}
			for i, tok := range toks {
				if tok.Text != tt.words[i] || tok.Start != tt.spans[i][0] || tok.End != tt.spans[i][1] {
					t.Errorf("token %d = %q [%d,%d), want %q %v", i, tok.Text, tok.Start, tok.End, tt.words[i], tt.spans[i])
				}
			}
		})
	}
}

// TestTokenizeFields checks every token of every vector against the
// functions it stands for, since Tokenize computes them through its own
// shared buffer.
func TestTokenizeFields(t *testing.T) {
	for _, v := range readVectors(t) {
		t.Run(fmt.Sprintf("line%d", v.line), func(t *testing.T) {
			checkTokens(t, v.input)
		})
	}
}

func checkTokens(t *testing.T, s string) {
	t.Helper()
	nfc, toks := Tokenize(s)
	prev := 0
	for i, tok := range toks {
		if tok.Start < prev || tok.End <= tok.Start || nfc[tok.Start:tok.End] != tok.Text {
			t.Fatalf("token %d %q at [%d,%d) does not match nfc %q", i, tok.Text, tok.Start, tok.End, nfc)
		}
		prev = tok.End
		if want := Exact(tok.Text); tok.Exact != want {
			t.Errorf("token %q: Exact = %q, want %q", tok.Text, tok.Exact, want)
		}
		if want := Fold(tok.Text); tok.Fold != want {
			t.Errorf("token %q: Fold = %q, want %q", tok.Text, tok.Fold, want)
		}
	}
}

func TestSlugCut(t *testing.T) {
	word := strings.Repeat("x", 39)
	tests := []struct{ in, want string }{
		{strings.Repeat("a", 80), strings.Repeat("a", 80)},
		{strings.Repeat("a", 81), strings.Repeat("a", 80)},
		{strings.Repeat("a", 80) + " b", strings.Repeat("a", 80)},
		{word + " " + word + " " + word, word + "-" + word},                   // 79 bytes
		{word + " " + word + "x yz", word + "-" + word + "x"},                 // "-" at byte 80
		{word + " " + word + "xx yz", word},                                   // the next "-" is at byte 81
		{"   " + strings.Repeat("ab ", 40), strings.Repeat("ab-", 26) + "ab"}, // 80 bytes
	}
	for i, tt := range tests {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			got := Slug(tt.in)
			if got != tt.want {
				t.Errorf("Slug(%q) = %q (%d bytes), want %q", tt.in, got, len(got), tt.want)
			}
		})
	}
}

// vietnameseLetters is every precomposed letter of the Vietnamese alphabet,
// written out here rather than derived so the property tests do not share
// the code they test.
const vietnameseLetters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ" +
	"AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ"

// isVietnameseText reports whether s uses only ASCII, Vietnamese letters
// (also as Ð/ð) and the Vietnamese combining marks.
func isVietnameseText(s string) bool {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf, r == 'ð', r == 'Ð', strings.ContainsRune(vietnameseLetters, r):
		case strings.ContainsRune("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031B\u0340\u0341", r):
		default:
			return false
		}
	}
	return true
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// checkProperties checks what must hold for every input; fuzz tests and
// property tests share it.
func checkProperties(t *testing.T, s string) {
	t.Helper()
	f := Fold(s)
	if isVietnameseText(s) && !isASCIIString(f) {
		t.Errorf("Fold(%+q) = %+q is not ASCII", s, f)
	}
	if !utf8.ValidString(f) {
		t.Errorf("Fold(%+q) = %+q is not valid UTF-8", s, f)
	}
	if ff := Fold(f); ff != f {
		t.Errorf("Fold(Fold(%+q)) = %+q, want %+q", s, ff, f)
	}
	slug := Slug(s)
	if slug != "" && !slugPattern.MatchString(slug) || len(slug) > MaxSlugLen {
		t.Errorf("Slug(%+q) = %q: not a slug", s, slug)
	}
	if ss := Slug(slug); ss != slug {
		t.Errorf("Slug(Slug(%+q)) = %q, want %q", s, ss, slug)
	}
	if !utf8.ValidString(s) {
		return // normalisation of invalid UTF-8 is the replacement char's business
	}
	n := NFC(s)
	if nn := NFC(n); nn != n {
		t.Errorf("NFC(NFC(%+q)) = %+q, want %+q", s, nn, n)
	}
	if !norm.NFC.IsNormalString(n) {
		t.Errorf("NFC(%+q) = %+q is not in NFC", s, n)
	}
	e := Exact(s)
	if ed := Exact(norm.NFD.String(s)); ed != e {
		t.Errorf("Exact(NFD(%+q)) = %+q, want Exact = %+q", s, ed, e)
	}
	if ee := Exact(e); ee != e {
		t.Errorf("Exact(Exact(%+q)) = %+q, want %+q", s, ee, e)
	}
	if fe := Fold(e); fe != Fold(n) {
		t.Errorf("Fold(Exact(%+q)) = %+q, want Fold(NFC) = %+q", s, fe, Fold(n))
	}
	checkTokens(t, s)
}

func TestProperties(t *testing.T) {
	var inputs []string
	for _, v := range readVectors(t) {
		inputs = append(inputs, v.input, v.nfc, v.exact)
	}
	// Random words over Vietnamese letters and marks, to reach tone positions
	// and mark orders the vectors do not spell out.
	alphabet := []rune(vietnameseLetters + "bcdghklmnpqrstvx \u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031BðÐ-")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + rng.IntN(12)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		inputs = append(inputs, string(rs))
	}
	for _, s := range inputs {
		checkProperties(t, s)
	}
}

// TestInertNFC checks NFC's fast path: every code point it accepts must be
// NFC alone and a starter that never composes with what precedes it, so
// that no sequence of such code points can compose or reorder.
func TestInertNFC(t *testing.T) {
	for r := rune(0); r <= 0x2FFFF; r++ {
		if !isInertNFC(r) {
			continue
		}
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		if p.CCC() != 0 || !p.BoundaryBefore() || norm.NFC.String(s) != s {
			t.Errorf("U+%04X is on NFC's fast path but is not inert", r)
		}
	}
}

// TestLetterTables checks tables.go against the normalisation tables: the
// letter codes used by Exact and the fast path of Fold.
func TestLetterTables(t *testing.T) {
	vowelMarks := map[rune]byte{0x302: '^', 0x306: '(', 0x31B: '+'}
	tones := map[rune]byte{0x300: '1', 0x301: '2', 0x309: '3', 0x303: '4', 0x323: '5'}
	for _, rg := range [][2]rune{{latinFirst, latinLast}, {viFirst, viLast}} {
		for r := rg[0]; r <= rg[1]; r++ {
			fold, mark, tone, ok := tableEntry(r)
			if !ok {
				t.Fatalf("U+%04X: no table entry", r)
			}
			d := []rune(norm.NFD.String(string(r)))
			wantFold := byte('.')
			switch {
			case r == 'đ' || r == 'Đ':
				wantFold = 'd'
			case d[0] < utf8.RuneSelf && unicode.IsLetter(d[0]):
				wantFold = byte(unicode.ToLower(d[0]))
			}
			wantMark, wantTone := byte('-'), byte('0')
			for _, m := range d[1:] {
				if !unicode.Is(unicode.Mn, m) {
					wantFold = '.'
				}
				switch {
				case vowelMarks[m] != 0 && wantMark == '-':
					wantMark = vowelMarks[m]
				case tones[m] != 0 && wantTone == '0':
					wantTone = tones[m]
				default:
					wantMark = '!'
				}
			}
			if fold != wantFold || mark != wantMark || (mark != '!' && tone != wantTone) {
				t.Errorf("U+%04X %c: table %c%c%c, want %c%c%c", r, r, fold, mark, tone, wantFold, wantMark, wantTone)
			}
			if mark != '!' && isVowel(rune(fold)) && unicode.IsLower(r) && validVowel(fold, mark) {
				if c := composeVowel(rune(fold), mark, tone); c != r {
					t.Errorf("composeVowel(%c, %c, %c) = %c, want %c", fold, mark, tone, c, r)
				}
			}
		}
	}
}

func validVowel(base, mark byte) bool {
	switch mark {
	case '-':
		return true
	case '^':
		return base == 'a' || base == 'e' || base == 'o'
	case '(':
		return base == 'a'
	case '+':
		return base == 'o' || base == 'u'
	}
	return false
}

// foldReference is Fold as the package doc specifies it, step by step,
// with no fast paths.
func foldReference(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\u00AD', r == '\u2060', r == '\uFEFF':
		case r == 'đ' || r == 'Đ' || r == 'ð' || r == 'Ð':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return norm.NFC.String(b.String())
}

// TestFoldEveryCodePoint compares Fold with its specification on every code
// point of the first plane and on each Vietnamese letter after a capital.
func TestFoldEveryCodePoint(t *testing.T) {
	for r := rune(0); r <= 0xFFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		for _, s := range []string{string(r), "A" + string(r) + "x"} {
			if got, want := Fold(s), foldReference(s); got != want {
				t.Errorf("Fold(%+q) = %+q, want %+q", s, got, want)
			}
		}
	}
	for _, r := range vietnameseLetters {
		s := "Ð" + string(r) + "\u0301"
		if got, want := Fold(s), foldReference(s); got != want {
			t.Errorf("Fold(%+q) = %+q, want %+q", s, got, want)
		}
	}
}

func TestIsUpper(t *testing.T) {
	for r := rune(0); r <= 0x2FFFF; r++ {
		if got, want := isUpper(r), unicode.ToLower(r) != r; got != want {
			t.Errorf("isUpper(U+%04X) = %v, want %v", r, got, want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"title", "title", 0}, {"tittle", "title", 1}, {"titel", "title", 2}, {"", "abc", 3}, {"weight", "wieght", 2}, {"kitten", "sitting", 3}} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Distance(c.b, c.a); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.b, c.a, got, c.want)
		}
	}
}
