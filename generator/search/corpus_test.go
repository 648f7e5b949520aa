package search

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sxsh/generator/vitext"
)

// contentDir is the site's own content: real Vietnamese and English text for
// the equivalence tests and the vocabulary of the synthetic corpus.
const contentDir = "../../content"

// fallbackText stands in for the content directory if it is missing.
var fallbackText = []string{
	"Chương trình Sản xuất sạch hơn (SXSH) trong công nghiệp giúp doanh nghiệp sử dụng hiệu quả nguyên liệu, năng lượng và nước, giảm phát thải và chất thải, nâng cao năng suất và sức cạnh tranh.",
	"Năm 2023, Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Đồng Nai đã hỗ trợ 2.200 doanh nghiệp tại Biên Hòa, Long Khánh, Trảng Bom và Nhơn Trạch áp dụng giải pháp tiết kiệm điện.",
	"Ông Nguyễn Văn Hoà, Giám đốc công ty, cho biết nhờ thuỷ lực hoá dây chuyền và khoẻ hoá quy trình bảo trì, lượng điện tiêu thụ giảm 18%, tương đương 760.123 kWh mỗi năm.",
}

// realTexts returns the Markdown files of the site's content, or the
// fallback paragraphs.
func realTexts(tb testing.TB, suffix string) []string {
	tb.Helper()
	var texts []string
	err := filepath.WalkDir(contentDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, suffix) {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			texts = append(texts, string(b))
		}
		return nil
	})
	if err != nil || len(texts) == 0 {
		return fallbackText
	}
	return texts
}

// corpus generates synthetic pages from the words of real text: mostly
// following real word sequences (so phrases repeat as in real pages), partly
// random words with a skewed frequency (so there are rare words and pairs).
type corpus struct {
	rnd   *rand.Rand
	words []string
	next  map[string][]string
	extra []string // generated syllables: the long tail of a real vocabulary
	zipf  *rand.Zipf
}

func newCorpus(tb testing.TB, seed uint64) *corpus {
	c := &corpus{rnd: rand.New(rand.NewPCG(seed, 1)), next: make(map[string][]string)}
	seen := make(map[string]bool)
	for _, text := range realTexts(tb, ".vi.md") {
		_, toks := vitext.Tokenize(text)
		for i, t := range toks {
			if !seen[t.Text] {
				seen[t.Text] = true
				c.words = append(c.words, t.Text)
			}
			if i > 0 {
				c.next[toks[i-1].Text] = append(c.next[toks[i-1].Text], t.Text)
			}
		}
	}
	c.extra = syllables(c.rnd, 20000)
	c.zipf = rand.NewZipf(c.rnd, 1.1, 4, uint64(len(c.extra)-1))
	return c
}

// syllables generates n distinct Vietnamese-looking syllables.
func syllables(rnd *rand.Rand, n int) []string {
	initials := strings.Fields("_ b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x")
	nuclei := strings.Fields("a ă â e ê i o ô ơ u ư y ia iê ươ uô oa oe uy ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu")
	finals := strings.Fields("_ c ch m n ng nh p t")
	tones := []string{"", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		ini := strings.TrimPrefix(initials[rnd.IntN(len(initials))], "_")
		nuc := nuclei[rnd.IntN(len(nuclei))]
		fin := strings.TrimPrefix(finals[rnd.IntN(len(finals))], "_")
		r := []rune(nuc)
		at := len(r) - 1
		if fin == "" && len(r) > 1 {
			at = 0
		}
		w := vitext.NFC(ini + string(r[:at+1]) + tones[rnd.IntN(len(tones))] + string(r[at+1:]) + fin)
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func (c *corpus) word(prev string) string {
	switch c.rnd.IntN(20) {
	case 0, 1, 2:
		return c.extra[c.zipf.Uint64()]
	case 3, 4:
	default:
		if nx := c.next[prev]; len(nx) > 0 {
			return nx[c.rnd.IntN(len(nx))]
		}
	}
	// Squaring a uniform number favours the first (earliest seen, most
	// common) words.
	f := c.rnd.Float64()
	return c.words[int(f*f*float64(len(c.words)))]
}

func (c *corpus) sentence(n int) string {
	var b strings.Builder
	prev := ""
	for i := 0; i < n; i++ {
		if i > 0 {
			if c.rnd.IntN(12) == 0 {
				b.WriteByte(',')
			}
			b.WriteByte(' ')
		}
		prev = c.word(prev)
		b.WriteString(prev)
	}
	return b.String()
}

var testKinds = []string{"article", "newsletter", "broadcast", "banner", "page"}

// doc generates page i with about size bytes of body text.
func (c *corpus) doc(i, size int) Doc {
	d := Doc{
		Title:   c.sentence(4 + c.rnd.IntN(8)),
		URL:     "/tin-tuc/bai-" + strings.Repeat("0", 5-len(itoa(i))) + itoa(i) + "/",
		Kind:    testKinds[c.rnd.IntN(len(testKinds))],
		Year:    2010 + c.rnd.IntN(17),
		Summary: c.sentence(20 + c.rnd.IntN(20)),
	}
	d.Date = "28/11/" + itoa(d.Year)
	for j := c.rnd.IntN(4); j > 0; j-- {
		d.Headings = append(d.Headings, c.sentence(3+c.rnd.IntN(6)))
	}
	n := 0
	for n < size {
		s := c.sentence(30 + c.rnd.IntN(90))
		d.Sections = append(d.Sections, s+".")
		n += len(s) + 1
	}
	return d
}

// docs generates pages 0..n-1, each with about size bytes of body text.
func (c *corpus) docs(n, size int) []Doc {
	var out []Doc
	for i := range n {
		out = append(out, c.doc(i, size))
	}
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// docBytes is the text size of a document.
func docBytes(d Doc) int {
	n := len(d.Title) + len(d.Summary)
	for _, h := range d.Headings {
		n += len(h)
	}
	for _, s := range d.Sections {
		n += len(s)
	}
	return n
}

// files collects what Write writes.
type files map[string][]byte

func build(tb testing.TB, lang string, docs []Doc) (files, string) {
	tb.Helper()
	return buildLang(tb, lang, defaultLimits, docs)
}

// buildWith builds the Vietnamese index of docs with lists split at lim.
func buildWith(tb testing.TB, lim listLimits, docs []Doc) (files, string) {
	tb.Helper()
	return buildLang(tb, "vi", lim, docs)
}

func buildLang(tb testing.TB, lang string, lim listLimits, docs []Doc) (files, string) {
	tb.Helper()
	b := NewBuilder(lang, testKinds)
	b.limits = lim
	for _, d := range docs {
		b.Add(Analyze(d))
	}
	return write(tb, b)
}

func write(tb testing.TB, b *Builder) (files, string) {
	tb.Helper()
	fs := make(files)
	m, err := b.Write(func(rel string, data []byte) error {
		if _, dup := fs[rel]; dup {
			tb.Errorf("%s written twice", rel)
		}
		fs[rel] = append([]byte(nil), data...)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return fs, m
}
