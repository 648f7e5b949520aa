package search

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"sxsh/generator/vitext"
)

// This file is a reference implementation of the query steps of the package
// documentation, as the JavaScript client does them, run against written
// indexes. The browser tests check the client against the same expectations.

type hit struct {
	doc   int
	score float64
}

type queryResult struct {
	hits    []hit
	partial bool // no document has every term: the most terms are shown
}

// query runs steps 1 to 5. kind and year filter when not "" and not 0.
func (ix *index) query(q string, kind string, year int) queryResult {
	// 1. NFC and tokenize; skipped words are not query words either.
	_, toks := vitext.Tokenize(q)
	var words []vitext.Token
	for _, t := range toks {
		if !skipWord(t.Text) {
			words = append(words, t)
		}
	}
	if len(words) == 0 {
		return queryResult{}
	}
	// The last word is also a prefix unless the query ends in a space.
	prefix := !strings.HasSuffix(q, " ") && len(words[len(words)-1].Fold) >= 2

	// 2. The shards: one per query term; for a prefix, also every shard
	// whose key starts with it.
	shards := map[string]shardJSON{}
	for i, w := range words {
		k := ix.shardKey(w.Fold)
		shards[k] = ix.shards[k]
		if i > 0 {
			k = ix.shardKey(words[i-1].Fold + " " + w.Fold)
			shards[k] = ix.shards[k]
		}
	}
	if prefix {
		last := words[len(words)-1].Fold
		for k := range ix.manifest.Shards {
			if strings.HasPrefix(k, last) {
				shards[k] = ix.shards[k]
			}
		}
	}

	// 3 and 4. Per query word, the score each document gets from it.
	scores := map[int]float64{}
	matched := map[int]int{}
	for i, w := range words {
		per := map[int]float64{}
		marks := w.Exact != w.Fold
		if e, ok := shards[ix.shardKey(w.Fold)].T[w.Fold]; ok {
			docs, imps := undelta(ix.tb, e.P, 2)
			exact := map[int]bool{}
			if marks {
				if l, ok := e.X[w.Exact]; ok {
					xs, _ := undelta(ix.tb, l, 1)
					for _, d := range xs {
						exact[d] = true
					}
				}
			}
			for j, d := range docs {
				s := float64(imps[j])
				if exact[d] {
					s *= 2
				}
				per[d] = s
			}
		}
		if prefix && i == len(words)-1 {
			for _, sh := range shards {
				for term, e := range sh.T {
					if term == w.Fold || !strings.HasPrefix(term, w.Fold) {
						continue
					}
					docs, imps := undelta(ix.tb, e.P, 2)
					for j, d := range docs {
						per[d] = max(per[d], float64(imps[j])/2)
					}
				}
			}
		}
		for d, s := range per {
			scores[d] += s
			matched[d]++
		}
		if i > 0 {
			pair := words[i-1].Fold + " " + w.Fold
			if p, ok := shards[ix.shardKey(pair)].P[pair]; ok {
				docs, imps := undelta(ix.tb, p, 2)
				for j, d := range docs {
					if _, ok := scores[d]; ok {
						scores[d] += 2 * float64(imps[j])
					}
				}
			}
		}
	}

	// 3. All terms, or else the most terms.
	most := 0
	for _, n := range matched {
		most = max(most, n)
	}
	res := queryResult{partial: most < len(words)}
	for d, s := range scores {
		if matched[d] != most {
			continue
		}
		// 5. Filters from meta.
		if kind != "" && ix.manifest.Kinds[ix.meta.K[d]] != kind || year != 0 && ix.meta.Y[d] != year {
			continue
		}
		res.hits = append(res.hits, hit{d, s})
	}
	slices.SortFunc(res.hits, func(a, b hit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	})
	return res
}

// urls is the result's pages by URL, best first.
func (ix *index) urls(r queryResult) []string {
	var out []string
	for _, h := range r.hits {
		out = append(out, ix.doc(h.doc).U)
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
		{name: "no marks: every spelling", query: "ban ", all: []string{"/ban-nang/", "/ban-nang-2/", "/ban-khong-dau/"}},
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
