package search

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"sxsh/generator/vitext"
)

// This file is a reference implementation of the query steps of the package
// documentation, as the JavaScript client does them, run against written
// indexes: from the whole lists, and from the shards' heads alone with the
// proof that decides when their tails are needed. The browser tests check
// the client against the same expectations.

// queryWord is one word of a query, as the index has it.
type queryWord struct {
	fold, exact string
	marks       bool // the word has marks: its exact form differs from its fold
}

// parsed is a query cut into its words; prefix tells that the last one is
// also a prefix of longer terms.
type parsed struct {
	words  []queryWord
	prefix bool
}

// parseQuery does step 1.
func parseQuery(q string) parsed {
	nfc, toks := vitext.Tokenize(strings.TrimFunc(q, unicode.IsSpace))
	var p parsed
	for _, t := range toks {
		if !skipWord(t.Text) {
			p.words = append(p.words, queryWord{fold: t.Fold, exact: t.Exact, marks: t.Exact != t.Fold})
		}
	}
	open := len(toks) > 0 && toks[len(toks)-1].End == len(nfc) && !strings.HasSuffix(q, " ")
	p.prefix = open && len(p.words) > 0 && utf8.RuneCountInString(p.words[len(p.words)-1].fold) >= 2
	return p
}

// queryResult is a query's answer: the matching documents, best first, of
// which the first known are in their final order; the others follow in an
// order the lists read do not prove.
type queryResult struct {
	docs    []int
	known   int
	partial bool // no document has every term: the most terms are shown
	tails   int  // the tails read
}

// lookup finds a term's or pair's list, nil if the index has none.
type lookup func(str string) *tlist

// query answers q from the whole lists (steps 2 to 6). kind and year
// filter when not "" and not 0.
func (ix *index) query(q string, kind string, year int) queryResult {
	return ix.rank(parseQuery(q), func(s string) *tlist { return ix.shards[ix.shardKey(s)][s] }, kind, year)
}

// queryTiered answers q as the client does: from the shards' heads, reading
// the tails of the query's lists only when the heads cannot prove the order
// of the first need results.
func (ix *index) queryTiered(q string, kind string, year, need int) queryResult {
	p := parseQuery(q)
	heads := func(s string) *tlist { return ix.heads[ix.shardKey(s)][s] }
	r := ix.rank(p, heads, kind, year)
	if r.known >= min(need, len(r.docs)) {
		return r
	}
	tails := 0
	whole := func(s string) *tlist {
		l := heads(s)
		if l == nil || l.whole() {
			return l
		}
		tails++
		w, err := l.withTail(ix.tailImps[l.tail])
		if err != nil {
			ix.tb.Fatal(err)
		}
		return w
	}
	// Each list read once.
	memo := map[string]*tlist{}
	r = ix.rank(p, func(s string) *tlist {
		if l, ok := memo[s]; ok {
			return l
		}
		memo[s] = whole(s)
		return memo[s]
	}, kind, year)
	r.tails = tails
	return r
}

// prefixTerms are the terms other than p's last word that start with it,
// in the shards the client reads for it: its term's shard and those whose
// key starts with it.
func (ix *index) prefixTerms(p parsed) []string {
	if !p.prefix {
		return nil
	}
	last := p.words[len(p.words)-1].fold
	var out []string
	for key, sh := range ix.heads {
		if key != ix.shardKey(last) && (!strings.HasPrefix(key, last) || strings.Contains(key, " ")) {
			continue
		}
		for s, l := range sh {
			if !l.pair && s != last && strings.HasPrefix(s, last) {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

// rank does steps 3 to 6 with the lists get returns. A list not whole
// leaves the impacts in its tail unknown: each document's score is then a
// range, and the order is proven as far as the ranges keep it.
func (ix *index) rank(p parsed, get lookup, kind string, year int) queryResult {
	n := ix.manifest.Docs
	if len(p.words) == 0 {
		return queryResult{}
	}
	count := make([]int, n)
	tier := make([]int, n)
	lo := make([]float64, n)
	hi := make([]float64, n)
	has := make([]uint64, n) // bit i: the document has word i's term
	for i, w := range p.words {
		wlo := make([]float64, n)
		whi := make([]float64, n)
		found := make([]bool, n)
		// bound is a score from a list: its impact, or the range of its
		// tail's impacts, times f.
		bound := func(l *tlist, j int, f float64) (float64, float64) {
			if v := l.imps[j]; v > 0 {
				return f * float64(v), f * float64(v)
			}
			return f * float64(l.tailMin), f * float64(l.tailMax)
		}
		if e := get(w.fold); e != nil {
			var exact map[int]bool
			if e.forms != nil {
				exact = map[int]bool{}
				for _, d := range e.formDocs[w.exact] {
					exact[d] = true
				}
			}
			for j, d := range e.docs {
				is := !w.marks
				if exact != nil {
					is = exact[d]
				}
				f := 1.0
				if is {
					tier[d]++
					if w.marks {
						f = 2
					}
				}
				found[d] = true
				has[d] |= 1 << i
				wlo[d], whi[d] = bound(e, j, f)
			}
		}
		if p.prefix && i == len(p.words)-1 {
			for _, s := range ix.prefixTerms(p) {
				l := get(s)
				// Pages whose spelling continues the marks typed rank
				// first.
				var cont map[int]bool
				if w.marks && l.forms != nil {
					cont = map[int]bool{}
					for _, f := range l.forms {
						if strings.HasPrefix(f, w.exact) {
							for _, d := range l.formDocs[f] {
								cont[d] = true
							}
						}
					}
				}
				for j, d := range l.docs {
					f := 0.5
					if cont[d] {
						f = 1
					}
					a, b := bound(l, j, f)
					if !found[d] {
						found[d], wlo[d], whi[d] = true, a, b
					} else {
						wlo[d], whi[d] = max(wlo[d], a), max(whi[d], b)
					}
				}
			}
		}
		for d := range n {
			if found[d] {
				count[d]++
				lo[d] += wlo[d]
				hi[d] += whi[d]
			}
		}
	}
	for i := 0; i+1 < len(p.words); i++ {
		l := get(p.words[i].fold + " " + p.words[i+1].fold)
		if l == nil {
			continue
		}
		both := uint64(3) << i
		for d := range n {
			if has[d]&both != both {
				continue
			}
			if v := l.impact(d); v > 0 {
				lo[d] += 2 * float64(v)
				hi[d] += 2 * float64(v)
			} else if !l.whole() {
				hi[d] += 2 * float64(l.tailMax)
			}
		}
	}
	most := 0
	var docs []int
	for d := range n {
		if count[d] == 0 || kind != "" && ix.manifest.Kinds[ix.meta.K[d]] != kind || year != 0 && ix.meta.Y[d] != year {
			continue
		}
		if count[d] > most {
			most, docs = count[d], docs[:0]
		}
		if count[d] == most {
			docs = append(docs, d)
		}
	}
	slices.SortFunc(docs, func(a, b int) int {
		if c := cmp.Compare(tier[b], tier[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(lo[b], lo[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	// before tells that a ranks before b whatever the impacts not read.
	before := func(a, b int) bool {
		if tier[a] != tier[b] {
			return tier[a] > tier[b]
		}
		return lo[a] > hi[b] || lo[a] == hi[b] && a < b
	}
	// The first k are proven when each ranks before the next, and the
	// k-th before every later one: before the strongest of them, the one
	// with the best tier, highest possible score, lowest number.
	stronger := func(a, b int) bool {
		if tier[a] != tier[b] {
			return tier[a] > tier[b]
		}
		return hi[a] > hi[b] || hi[a] == hi[b] && a < b
	}
	strongest := make([]int, len(docs)+1)
	strongest[len(docs)] = -1
	for i := len(docs) - 1; i >= 0; i-- {
		strongest[i] = docs[i]
		if b := strongest[i+1]; b >= 0 && stronger(b, docs[i]) {
			strongest[i] = b
		}
	}
	known := 0
	for k := 1; k <= len(docs); k++ {
		if k > 1 && !before(docs[k-2], docs[k-1]) {
			break
		}
		if k == len(docs) || before(docs[k-1], strongest[k]) {
			known = k
		}
	}
	return queryResult{docs: docs, known: known, partial: most < len(p.words)}
}

// urls is the result's pages by URL, best first.
func (ix *index) urls(r queryResult) []string {
	var out []string
	for _, d := range r.docs {
		out = append(out, ix.doc(d).U)
	}
	return out
}

func TestQueryRanking(t *testing.T) {
	filler := []string{
		"Các doanh nghiệp trong tỉnh tham gia chương trình hằng năm với nhiều hoạt động.",
		"Hội thảo được tổ chức tại trung tâm với sự tham gia của nhiều đơn vị.",
	}
	page := func(url, kind string, year int, text string) Doc {
		return Doc{URL: url, Title: "Tin", Kind: kind, Year: year, Sections: append([]string{text}, filler...)}
	}
	docs := []Doc{
		page("/ban-nang/", "article", 2020, "Người bán hàng mở cửa sớm."),
		page("/ban-nang-2/", "article", 2021, "Tôi là bạn của anh ấy."),
		page("/ban-khong-dau/", "article", 2022, "Ban tổ chức họp sáng nay."),
		page("/lien/", "newsletter", 2023, "Sản xuất sạch hơn giúp giảm chi phí."),
		page("/roi/", "newsletter", 2023, "Sản lượng điện tăng; hàng xuất khẩu giảm chi phí."),
		page("/tiet-kiem/", "broadcast", 2024, "Giải pháp tiết kiệm năng lượng cho nhà máy."),
		page("/tiet-lo/", "broadcast", 2024, "Thông tin được tiết lộ hôm qua."),
		page("/mat-troi/", "page", 2025, "Điện mặt trời trên mái nhà."),
		page("/gio/", "page", 2025, "Điện gió ven biển."),
	}
	fs, m := build(t, "vi", docs)
	ix := parseIndex(t, fs, m)

	tests := []struct {
		name    string
		query   string
		kind    string
		year    int
		want    []string // the first results, in order
		all     []string // if set, exactly these results in any order
		partial bool
	}{
		{name: "exact spelling first", query: "bạn ", want: []string{"/ban-nang-2/"}, all: []string{"/ban-nang/", "/ban-nang-2/", "/ban-khong-dau/"}},
		{name: "other exact spelling first", query: "bán ", want: []string{"/ban-nang/"}},
		{name: "old tone placement is the same spelling", query: "Bạn ", want: []string{"/ban-nang-2/"}},
		{name: "no marks: the plain spelling first", query: "ban ", want: []string{"/ban-khong-dau/"}, all: []string{"/ban-nang/", "/ban-nang-2/", "/ban-khong-dau/"}},
		{name: "phrase above scattered words", query: "sản xuất ", want: []string{"/lien/", "/roi/"}, all: []string{"/lien/", "/roi/"}},
		{name: "phrase without marks", query: "san xuat", want: []string{"/lien/", "/roi/"}},
		{name: "prefix of the last word", query: "tiết ki", all: []string{"/tiet-kiem/"}},
		{name: "prefix of the only word", query: "tiế", all: []string{"/tiet-kiem/", "/tiet-lo/"}},
		{name: "no prefix after a space", query: "tiết ki ", all: []string{"/tiet-kiem/", "/tiet-lo/"}, partial: true},
		{name: "every term required", query: "điện mặt trời", all: []string{"/mat-troi/"}},
		{name: "most terms when none has all", query: "điện gió mặt trời", want: []string{"/mat-troi/"}, all: []string{"/mat-troi/"}, partial: true},
		{name: "kind filter", query: "chi phí", kind: "newsletter", all: []string{"/lien/", "/roi/"}},
		{name: "year filter", query: "điện", year: 2025, all: []string{"/mat-troi/", "/gio/"}},
		{name: "no words", query: " … ", all: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ix.query(tt.query, tt.kind, tt.year)
			if r.known != len(r.docs) {
				t.Errorf("whole lists prove %d of %d results", r.known, len(r.docs))
			}
			got := ix.urls(r)
			if len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want) {
				t.Errorf("results %v, want first %v", got, tt.want)
			}
			if tt.all != nil || tt.want == nil {
				a, b := slices.Clone(got), slices.Clone(tt.all)
				slices.Sort(a)
				slices.Sort(b)
				if !slices.Equal(a, b) {
					t.Errorf("results %v, want %v", got, tt.all)
				}
			}
			if r.partial != tt.partial && len(got) > 0 {
				t.Errorf("partial %v, want %v", r.partial, tt.partial)
			}
		})
	}
}

// sampleQueries picks n queries from the pages' own text, as readers would
// type them: one to four words in a row, with their marks or without, the
// last word whole or cut short while typing, or a word of one page beside a
// word of another; some with a filter.
func sampleQueries(docs []Doc, n int, seed uint64) []sampled {
	rnd := rand.New(rand.NewPCG(seed, 7))
	var out []sampled
	for len(out) < n {
		d := docs[rnd.IntN(len(docs))]
		blocks := append([]string{d.Title}, d.Sections...)
		_, toks := vitext.Tokenize(blocks[rnd.IntN(len(blocks))])
		if len(toks) == 0 {
			continue
		}
		from := rnd.IntN(len(toks))
		to := min(len(toks), from+1+rnd.IntN(4))
		var words []string
		for _, t := range toks[from:to] {
			words = append(words, t.Text)
		}
		if rnd.IntN(8) == 0 {
			o := docs[rnd.IntN(len(docs))]
			_, more := vitext.Tokenize(o.Title)
			if len(more) > 0 {
				words = append(words, more[rnd.IntN(len(more))].Text)
			}
		}
		q := strings.Join(words, " ")
		switch rnd.IntN(3) {
		case 0:
			q = vitext.Fold(q)
		case 1:
			q = strings.ToLower(q)
		}
		switch rnd.IntN(4) {
		case 0:
			q += " "
		case 1:
			r := []rune(q)
			q = string(r[:max(len(r)-rnd.IntN(4), 1)])
		}
		s := sampled{q: q}
		switch rnd.IntN(8) {
		case 0:
			s.kind = testKinds[rnd.IntN(len(testKinds))]
		case 1:
			s.year = 2010 + rnd.IntN(17)
		}
		out = append(out, s)
	}
	return out
}

type sampled struct {
	q    string
	kind string
	year int
}

// TestTieredMatchesWhole: over many queries on pages whose common words have
// long lists, split into heads and tails far more than the default
// limits would, the answer read from the heads (and the tails the proof
// asks for) is the answer of the whole lists: the same documents, the first
// 10 and 20 in the same order.
func TestTieredMatchesWhole(t *testing.T) {
	c := newCorpus(t, 11)
	docs := c.docs(400, 1500)
	// (At the default limits, no list of these 400 pages is split.)
	for _, lim := range []listLimits{{split: 200, head: 100}, {split: 40, head: 10}} {
		t.Run(fmt.Sprintf("split %d head %d", lim.split, lim.head), func(t *testing.T) {
			fs, m := buildWith(t, lim, docs)
			ix := parseIndex(t, fs, m)
			if len(ix.tails) < 100 {
				t.Fatalf("%d lists split: too few to test", len(ix.tails))
			}
			read := map[int]int{}
			for _, s := range sampleQueries(docs, 600, 1) {
				want := ix.query(s.q, s.kind, s.year)
				for _, need := range []int{10, 20} {
					got := ix.queryTiered(s.q, s.kind, s.year, need)
					read[need] += min(got.tails, 1)
					n := min(need, len(want.docs))
					if len(got.docs) != len(want.docs) || got.partial != want.partial || got.known < n || !slices.Equal(got.docs[:n], want.docs[:n]) {
						t.Fatalf("%+v, first %d: tiered %d results (partial %v, %d known) %v…; whole lists %d (partial %v) %v…",
							s, need, len(got.docs), got.partial, got.known, got.docs[:min(n, len(got.docs))], len(want.docs), want.partial, want.docs[:n])
					}
				}
			}
			t.Logf("%d lists split; tails read for the first 10 results of %d of 600 queries, for the first 20 of %d", len(ix.tails), read[10], read[20])
			// The heads spare some queries their tails, and some need them:
			// both paths were taken.
			if read[10] == 0 || read[10] == 600 {
				t.Errorf("tails read for %d of 600 queries: want some, not all", read[10])
			}
		})
	}
}
