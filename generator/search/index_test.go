package search

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"

	"sxsh/generator/vitext"
)

// manifestJSON is the manifest as the client reads it.
type manifestJSON struct {
	V       int      `json:"v"`
	Lang    string   `json:"lang"`
	Docs    int      `json:"docs"`
	Kinds   []string `json:"kinds"`
	Years   []int    `json:"years"`
	Meta    string   `json:"meta"`
	Coded   string   `json:"shards"`
	Sizes   string   `json:"sizes"`
	Tails   string   `json:"tails"`
	Terms   string   `json:"terms"`
	DocFile string   `json:"doc_file"`
	Slot    int      `json:"slot"`
	// Shards maps each key to the name under which unpack puts its data.
	Shards map[string]string `json:"-"`
}

type metaJSON struct {
	K []int `json:"k"`
	Y []int `json:"y"`
}

type docJSON struct {
	T string `json:"t"`
	U string `json:"u"`
	K int    `json:"k"`
	D string `json:"d"`
	S string `json:"s"`
}

func decode[T any](tb testing.TB, fs files, name string) T {
	tb.Helper()
	var v T
	data, ok := fs[name]
	if !ok {
		tb.Fatalf("%s not written", name)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return v
}

// index is a written index, parsed.
type index struct {
	tb       testing.TB
	fs       files
	name     string
	manifest manifestJSON
	meta     metaJSON
	// heads are the shards as the terms pack has them, by key, and
	// shards the same with every tail merged: each list whole.
	heads, shards map[string]map[string]*tlist
	members       map[string][]byte // each shard's bytes in the terms pack, by key
	tails         [][]byte          // each tail's bytes, by number
	tailImps      []map[int]int     // each tail's documents and impacts
}

// unpack reads the packs as the client does: it returns fs with, beside
// the files written, each shard's data inflated as "t/" and its key and
// each document's JSON as "d/" and its number, and each shard's and each
// tail's bytes in the terms pack. It fails the test when the packs are not
// as the manifest says: a size that overruns the pack, bytes left over, a
// slot whose length overruns it or whose padding is not zeros, data that do
// not inflate.
func unpack(tb testing.TB, written files, m *manifestJSON) (fs files, members map[string][]byte, tails [][]byte) {
	tb.Helper()
	fs = maps.Clone(written)
	members = map[string][]byte{}
	packFile := func(rel string) []byte {
		name, v, ok := strings.Cut(rel, "?v=")
		data, written := fs[name]
		if !ok || !written {
			tb.Fatalf("manifest names %q: want a written file and ?v=", rel)
		}
		if v != fingerprint(data) {
			tb.Errorf("%s: fingerprint %s, want %s", rel, v, fingerprint(data))
		}
		return data
	}
	terms, docs := packFile(m.Terms), packFile(m.DocFile)
	keys := frontDecode(tb, m.Coded)
	sizes := strings.Split(m.Sizes, "|")
	if len(sizes) != len(keys) {
		tb.Fatalf("%d sizes for %d shard keys", len(sizes), len(keys))
	}
	var tailSizes []string
	if m.Tails != "" {
		tailSizes = strings.Split(m.Tails, "|")
	}
	m.Shards = map[string]string{}
	off := 0
	member := func(what, size string) []byte {
		n, err := strconv.ParseInt(size, 36, 0)
		if err != nil || n <= 0 || off+int(n) > len(terms) {
			tb.Fatalf("%s: size %q at %d of a %d-byte pack", what, size, off, len(terms))
		}
		off += int(n)
		return terms[off-int(n) : off]
	}
	for i, k := range keys {
		members[k] = member(fmt.Sprintf("shard %q", k), sizes[i])
		m.Shards[k] = "t/" + k
		fs[m.Shards[k]] = inflate(tb, members[k])
	}
	for i, size := range tailSizes {
		tails = append(tails, member(fmt.Sprintf("tail %d", i), size))
	}
	if off != len(terms) {
		tb.Errorf("terms pack of %d bytes, shards and tails of %d", len(terms), off)
	}
	if m.Slot < minSlot || len(docs) != m.Docs*m.Slot {
		tb.Fatalf("docs pack of %d bytes for %d documents in slots of %d", len(docs), m.Docs, m.Slot)
	}
	for n := range m.Docs {
		s := docs[n*m.Slot : (n+1)*m.Slot]
		l := int(s[0])<<8 | int(s[1])
		if 2+l+8 > len(s) || bytes.ContainsFunc(s[2+l+8:], func(r rune) bool { return r != 0 }) {
			tb.Fatalf("document %d: length %d in a slot of %d, or padding not zeros", n, l, m.Slot)
		}
		fs["d/"+strconv.Itoa(n)] = inflate(tb, s[2:2+l])
	}
	return fs, members, tails
}

// inflate decompresses one member of a pack.
func inflate(tb testing.TB, data []byte) []byte {
	tb.Helper()
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(data)))
	if err != nil {
		tb.Fatalf("inflating %d bytes: %v", len(data), err)
	}
	return out
}

// parseIndex reads a written index whole: its manifest, meta, every shard
// and every tail, checking that each tail belongs to one list of the
// shards, the one that names it.
func parseIndex(tb testing.TB, fs files, manifest string) *index {
	tb.Helper()
	ix := parseHeads(tb, fs, manifest)
	ix.readTails()
	return ix
}

// parseHeads reads a written index but its tails: its manifest, meta and
// every shard (ix.heads); ix.shards, the lists with their tails, stays
// empty until readTails.
func parseHeads(tb testing.TB, fs files, manifest string) *index {
	tb.Helper()
	ix := &index{tb: tb, name: manifest, heads: map[string]map[string]*tlist{}}
	ix.manifest = decode[manifestJSON](tb, fs, manifest)
	fs, ix.members, ix.tails = unpack(tb, fs, &ix.manifest)
	ix.fs = fs
	ix.meta = decode[metaJSON](tb, fs, ix.manifest.Meta)
	// Read on every core: a large index has thousands of shards.
	keys := slices.Collect(maps.Keys(ix.manifest.Shards))
	heads := make([]map[string]*tlist, len(keys))
	errs := make([]error, len(keys))
	withCompressors(len(keys), func(_ *compressor, i int) {
		heads[i], errs[i] = readShard(fs[ix.manifest.Shards[keys[i]]], ix.manifest.Docs)
		errs[i] = wrapErr(errs[i], "shard %q", keys[i])
	})
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	for i, k := range keys {
		ix.heads[k] = heads[i]
	}
	return ix
}

// readTails reads every tail and merges each into the list that names it,
// giving ix.shards; it fails the test unless each tail belongs to exactly
// one list.
func (ix *index) readTails() {
	tb := ix.tb
	tb.Helper()
	ix.tailImps = make([]map[int]int, len(ix.tails))
	errs := make([]error, len(ix.tails))
	withCompressors(len(ix.tails), func(_ *compressor, t int) {
		data, err := inflateBytes(ix.tails[t])
		if err == nil {
			ix.tailImps[t], err = readTail(data, ix.manifest.Docs)
		}
		errs[t] = wrapErr(err, "tail %d", t)
	})
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	ix.shards = map[string]map[string]*tlist{}
	named := make([]string, len(ix.tails))
	for k, head := range ix.heads {
		ix.shards[k] = map[string]*tlist{}
		for str, l := range head {
			if l.whole() {
				ix.shards[k][str] = l
				continue
			}
			if l.tail >= len(ix.tails) {
				tb.Fatalf("%q names tail %d of %d", str, l.tail, len(ix.tails))
			}
			if named[l.tail] != "" {
				tb.Fatalf("tail %d named by %q and %q", l.tail, named[l.tail], str)
			}
			named[l.tail] = str
			w, err := l.withTail(ix.tailImps[l.tail])
			if err != nil {
				tb.Fatalf("%q, tail %d: %v", str, l.tail, err)
			}
			ix.shards[k][str] = w
		}
	}
	for i, str := range named {
		if str == "" {
			tb.Errorf("tail %d belongs to no list", i)
		}
	}
}

func wrapErr(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// inflateBytes is inflate for goroutines other than the test's.
func inflateBytes(data []byte) ([]byte, error) {
	return io.ReadAll(flate.NewReader(bytes.NewReader(data)))
}

// shardKey is the contract's lookup: the longest key that is a prefix.
func (ix *index) shardKey(term string) string {
	// The longest key that prefixes term: try term's prefixes, longest
	// first, rather than every key.
	for n := len(term); n > 0; n-- {
		if _, ok := ix.manifest.Shards[term[:n]]; ok {
			return term[:n]
		}
	}
	return ""
}

// entry is a term's or a pair's whole list.
func (ix *index) entry(str string) (*tlist, bool) {
	e, ok := ix.shards[ix.shardKey(str)][str]
	return e, ok
}

// impact is the impact of term in document d, or 0.
func (ix *index) impact(term string, d int) int {
	e, ok := ix.entry(term)
	if !ok {
		return 0
	}
	return e.impact(d)
}

// docNum finds a document's number by URL.
func (ix *index) docNum(url string) int {
	for n := 0; n < ix.manifest.Docs; n++ {
		if ix.doc(n).U == url {
			return n
		}
	}
	ix.tb.Fatalf("no document %s", url)
	return -1
}

func (ix *index) doc(n int) docJSON {
	return decode[docJSON](ix.tb, ix.fs, "d/"+strconv.Itoa(n))
}

// mixedForm writes text as the Windows Vietnamese keyboard does: letters with
// a vowel mark precomposed, the tone mark combining after them.
func mixedForm(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		d := []rune(norm.NFD.String(string(r)))
		if len(d) == 3 {
			b.WriteString(norm.NFC.String(string(d[:2])))
			b.WriteRune(d[2])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func mapDoc(d Doc, f func(string) string) Doc {
	d.Title, d.Summary, d.Date = f(d.Title), f(d.Summary), f(d.Date)
	d.Headings = slices.Clone(d.Headings)
	for i := range d.Headings {
		d.Headings[i] = f(d.Headings[i])
	}
	d.Sections = slices.Clone(d.Sections)
	for i := range d.Sections {
		d.Sections[i] = f(d.Sections[i])
	}
	return d
}

func TestNormalizationForms(t *testing.T) {
	c := newCorpus(t, 3)
	docs := c.docs(40, 2000)
	docs = append(docs, Doc{Title: "Khoẻ thuỷ hoà", URL: "/x/", Sections: []string{"Biên Hòa, Đồng Nai; người Việt"}})
	nfcFiles, nfcManifest := build(t, "vi", docs)
	forms := map[string]func(string) string{
		"NFD":   norm.NFD.String,
		"mixed": mixedForm,
	}
	for name, f := range forms {
		t.Run(name, func(t *testing.T) {
			var changed bool
			in := make([]Doc, len(docs))
			for i, d := range docs {
				in[i] = mapDoc(d, f)
				changed = changed || in[i].Title != d.Title
			}
			if !changed {
				t.Fatal("the form did not change the text")
			}
			fs, m := build(t, "vi", in)
			if m != nfcManifest {
				t.Errorf("manifest %s, NFC gives %s", m, nfcManifest)
			}
			if len(fs) != len(nfcFiles) {
				t.Fatalf("%d files, NFC gives %d", len(fs), len(nfcFiles))
			}
			for name, data := range nfcFiles {
				if !bytes.Equal(fs[name], data) {
					t.Errorf("%s differs", name)
				}
			}
		})
	}
}

func TestImpacts(t *testing.T) {
	filler := "các doanh nghiệp được hỗ trợ áp dụng giải pháp mới trong năm nay"
	docs := []Doc{
		{URL: "/a/", Title: "Quạt trần", Sections: []string{filler}},
		{URL: "/b/", Title: "Bản tin", Sections: []string{filler + " quạt trần"}},
		{URL: "/c/", Title: "Tin", Headings: []string{"Quạt trần"}, Sections: []string{filler}},
	}
	c := newCorpus(t, 4)
	docs = append(docs, c.docs(50, 1500)...)
	fs, m := build(t, "vi", docs)
	ix := parseIndex(t, fs, m)
	top := 0
	for _, sh := range ix.shards {
		for str, e := range sh {
			for _, v := range e.imps {
				if v < 1 || v > 255 {
					t.Fatalf("%s: impact %d", str, v)
				}
				top = max(top, v)
			}
		}
	}
	// The scale is the best score a posting could have; the best one
	// here, a title word of one page, comes near it.
	if top < 192 {
		t.Errorf("largest impact %d, want at least 192 of 255", top)
	}
	title, body, heading := ix.impact("quat", ix.docNum("/a/")), ix.impact("quat", ix.docNum("/b/")), ix.impact("quat", ix.docNum("/c/"))
	if !(title > heading && heading > body && body > 0) {
		t.Errorf("impacts title %d, heading %d, body %d: want title > heading > body > 0", title, heading, body)
	}
}

// An edit to one page's text leaves every other page's slot, and every
// shard without one of that page's words, byte for byte as it was: a copy
// to the web server with rsync sends only what changed.
func TestEditKeepsOtherFiles(t *testing.T) {
	c := newCorpus(t, 5)
	docs := c.docs(300, 1500)
	docs[7] = Doc{URL: "/quat-tran/", Title: "Quạt trần", Sections: []string{"Quạt trần tiết kiệm điện."}}
	edited := slices.Clone(docs)
	e := &edited[7]
	e.Sections = []string{"Quạt trần tiết kiệm điện năng."}
	// The edited page's words and pairs, before and after.
	words := map[string]bool{}
	for _, d := range []Doc{docs[7], *e} {
		a := Analyze(d)
		for i := range a.terms {
			words[a.term(i)] = true
		}
		for _, p := range a.pairs {
			words[a.term(int(p.a))+" "+a.term(int(p.b))] = true
		}
	}
	for _, lim := range []listLimits{defaultLimits, {split: 40, head: 10}} {
		t.Run(fmt.Sprintf("split %d head %d", lim.split, lim.head), func(t *testing.T) {
			before, m1 := buildWith(t, lim, docs)
			after, m2 := buildWith(t, lim, edited)
			if m1 == m2 {
				t.Fatal("the manifest did not change")
			}
			ix, old := parseIndex(t, after, m2), parseIndex(t, before, m1)
			if old.manifest.Terms == ix.manifest.Terms || old.manifest.DocFile == ix.manifest.DocFile {
				t.Errorf("the addresses of the packs did not both change: %s %s, then %s %s",
					old.manifest.Terms, old.manifest.DocFile, ix.manifest.Terms, ix.manifest.DocFile)
			}
			// The shards that may change: those of the edited page's
			// words and pairs.
			may := map[string]bool{}
			for w := range words {
				may[ix.shardKey(w)] = true
			}
			changed := 0
			for key, data := range ix.members {
				if bytes.Equal(old.members[key], data) {
					continue
				}
				changed++
				if !may[key] {
					t.Errorf("shard %q changed, but has none of the edited page's words", key)
				}
			}
			if changed == 0 {
				t.Error("no shard changed")
			}
			// Likewise the tails, by list.
			tails := func(ix *index) map[string][]byte {
				out := map[string][]byte{}
				for _, sh := range ix.heads {
					for str, l := range sh {
						if !l.whole() {
							out[str] = ix.tails[l.tail]
						}
					}
				}
				return out
			}
			oldTails := tails(old)
			for str, data := range tails(ix) {
				if !words[str] && !bytes.Equal(oldTails[str], data) {
					t.Errorf("the tail of %q changed, but it is none of the edited page's words", str)
				}
			}
			if lim != defaultLimits && len(ix.tails) < 100 {
				t.Errorf("%d lists split: too few to test", len(ix.tails))
			}
			slot := ix.manifest.Slot
			d1, d2 := before["docs.bin"], after["docs.bin"]
			edit := ix.docNum(e.URL)
			for n := range ix.manifest.Docs {
				if same := bytes.Equal(d1[n*slot:(n+1)*slot], d2[n*slot:(n+1)*slot]); same == (n == edit) {
					t.Errorf("document %d (the edited one is %d): slot the same before and after: %v", n, edit, same)
				}
			}
		})
	}
}

func TestPairs(t *testing.T) {
	docs := []Doc{
		{URL: "/lien/", Sections: []string{"Chương trình sản xuất sạch hơn"}},
		{URL: "/roi/", Sections: []string{"Sản phẩm được xuất khẩu"}},
		{URL: "/hai-khoi/", Title: "Về sản", Sections: []string{"xuất khẩu"}},
		{URL: "/dau-cau/", Sections: []string{"Sản. Xuất"}},
	}
	fs, m := build(t, "vi", docs)
	ix := parseIndex(t, fs, m)
	p, ok := ix.entry("san xuat")
	if !ok {
		t.Fatal(`no pair "san xuat"`)
	}
	got := p.docs
	want := []int{ix.docNum("/dau-cau/"), ix.docNum("/lien/")}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf(`"san xuat" in %v, want %v (contiguous words only, never across blocks)`, got, want)
	}
	for _, term := range []string{"san", "xuat"} {
		if docs := mustEntry(t, ix, term).docs; len(docs) != 4 {
			t.Errorf("%s in %d documents, want 4", term, len(docs))
		}
	}
}

func mustEntry(t *testing.T, ix *index, term string) *tlist {
	t.Helper()
	e, ok := ix.entry(term)
	if !ok {
		t.Fatalf("term %q not found", term)
	}
	return e
}

// TestPostingsMatchText checks every term, exact form and pair of the index
// against what vitext.Tokenize finds in each page: the delta lists decode to
// exactly the pages that have them.
func TestPostingsMatchText(t *testing.T) {
	c := newCorpus(t, 5)
	docs := c.docs(120, 1200)
	fs, m := build(t, "vi", docs)
	ix := parseIndex(t, fs, m)
	terms := map[string][]int{}
	exacts := map[string][]int{}
	pairs := map[string][]int{}
	add := func(m map[string][]int, k string, n int) {
		if l := m[k]; len(l) == 0 || l[len(l)-1] != n {
			m[k] = append(l, n)
		}
	}
	for n := 0; n < ix.manifest.Docs; n++ {
		var d Doc
		u := ix.doc(n).U
		for _, x := range docs {
			if x.URL == u {
				d = x
			}
		}
		blocks := append([]string{d.Title}, d.Headings...)
		blocks = append(append(blocks, d.Summary), d.Sections...)
		for _, b := range blocks {
			_, toks := vitext.Tokenize(b)
			for i, tok := range toks {
				add(terms, tok.Fold, n)
				add(exacts, tok.Fold+"\x00"+tok.Exact, n)
				if i > 0 {
					add(pairs, toks[i-1].Fold+" "+tok.Fold, n)
				}
			}
		}
	}
	for _, m := range []map[string][]int{terms, exacts, pairs} {
		for k := range m {
			slices.Sort(m[k])
			m[k] = slices.Compact(m[k])
		}
	}
	// A term's own spelling is listed only beside other spellings.
	marked := map[string]bool{}
	for k := range exacts {
		if term, ex, _ := strings.Cut(k, "\x00"); ex != term {
			marked[term] = true
		}
	}
	for k := range exacts {
		if term, ex, _ := strings.Cut(k, "\x00"); ex == term && !marked[term] {
			delete(exacts, k)
		}
	}
	seen := 0
	for key, sh := range ix.shards {
		for str, e := range sh {
			if got := ix.shardKey(str); got != key {
				t.Errorf("%q is in shard %q, lookup gives %q", str, key, got)
			}
			want := terms[str]
			if e.pair {
				want = pairs[str]
			}
			if !slices.Equal(e.docs, want) {
				t.Errorf("%q in %v, text has it in %v", str, e.docs, want)
			}
			for ex, got := range e.formDocs {
				if want := exacts[str+"\x00"+ex]; !slices.Equal(got, want) {
					t.Errorf("%q/%q in %v, text has it in %v", str, ex, got, want)
				}
				seen++
			}
			seen++
		}
	}
	if want := len(terms) + len(exacts) + len(pairs); seen != want {
		t.Errorf("index has %d terms, exact forms and pairs, the text %d", seen, want)
	}
}

func TestDocsetRoundTrip(t *testing.T) {
	every := func(u, step int) (out []uint32) {
		for p := 0; p < u; p += step {
			out = append(out, uint32(p))
		}
		return out
	}
	tests := []struct {
		pos  []uint32
		u    int
		kind int
	}{
		{nil, 10, setList},
		{[]uint32{0}, 10, setList},
		{[]uint32{0}, 1, setComplement},
		{[]uint32{5}, 100, setList},
		{[]uint32{0, 1, 2}, 1000, setList},
		{[]uint32{3, 10, 11, 4000, 65535}, 70000, setList},
		{every(1000, 1), 1000, setComplement},
		{append(every(500, 1), every(1000, 1)[501:]...), 1000, setComplement},
		{every(1000, 2), 1000, setBitmap},
		{every(1003, 3), 1003, setBitmap},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d of %d", len(tt.pos), tt.u), func(t *testing.T) {
			data := appendDocset(nil, tt.pos, tt.u)
			n, kind := docsetLen(tt.pos, tt.u)
			if n != len(data) || kind != tt.kind {
				t.Errorf("encoded in %d bytes as kind %d; docsetLen says %d, kind %d; want kind %d", len(data), kind, n, kind, tt.kind)
			}
			r := &byteReader{data: data}
			got := r.docset(tt.u)
			if r.err != nil || len(r.data) != 0 {
				t.Fatalf("read: %v, %d bytes left", r.err, len(r.data))
			}
			if len(got) != len(tt.pos) {
				t.Fatalf("%d positions, want %d", len(got), len(tt.pos))
			}
			for i, p := range tt.pos {
				if got[i] != int(p) {
					t.Fatalf("position %d: %d, want %d", i, got[i], p)
				}
			}
		})
	}
}

// TestAddOrder adds the same pages in shuffled orders from several
// goroutines: the files must not change.
func TestAddOrder(t *testing.T) {
	c := newCorpus(t, 6)
	docs := c.docs(300, 1500)
	want, wantManifest := build(t, "vi", docs)
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			shuffled := slices.Clone(docs)
			rand.New(rand.NewPCG(seed, 2)).Shuffle(len(shuffled), func(i, j int) {
				shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
			})
			b := NewBuilder("vi", testKinds)
			var wg sync.WaitGroup
			for w := 0; w < 4; w++ {
				wg.Go(func() {
					for i := w; i < len(shuffled); i += 4 {
						b.Add(Analyze(shuffled[i]))
					}
				})
			}
			wg.Wait()
			got, m := write(t, b)
			if m != wantManifest || len(got) != len(want) {
				t.Fatalf("manifest %s with %d files, want %s with %d", m, len(got), wantManifest, len(want))
			}
			for name, data := range want {
				if !bytes.Equal(got[name], data) {
					t.Errorf("%s differs", name)
				}
			}
		})
	}
}

func TestManifest(t *testing.T) {
	docs := []Doc{
		{URL: "/b/", Title: "Bản tin số 3", Kind: "newsletter", Date: "01/02/2024", Year: 2024, Summary: "Tóm tắt", Sections: []string{"Nội dung"}},
		{URL: "/a/", Title: "Bài \"một\"", Kind: "article", Year: 0},
		{URL: "/c/", Title: "Khác", Kind: "gallery", Year: 2020},
	}
	fs, m := build(t, "vi", docs)
	if !strings.HasPrefix(m, "manifest.") || !strings.HasSuffix(m, ".json") {
		t.Fatalf("manifest name %q", m)
	}
	// Four files: the packs under fixed names, the JSON under their
	// fingerprint.
	if len(fs) != 4 || fs["terms.bin"] == nil || fs["docs.bin"] == nil {
		t.Errorf("files %v", slices.Sorted(maps.Keys(fs)))
	}
	for name, data := range fs {
		if strings.HasSuffix(name, ".bin") {
			continue
		}
		if !json.Valid(data) {
			t.Errorf("%s is not JSON", name)
		}
		var compact bytes.Buffer
		json.Compact(&compact, data)
		if !bytes.Equal(compact.Bytes(), data) {
			t.Errorf("%s is not minified", name)
		}
		if want := fingerprint(data); !strings.Contains(name, "."+want+".") {
			t.Errorf("%s: content hash is %s", name, want)
		}
	}
	ix := parseIndex(t, fs, m)
	mf := ix.manifest
	if mf.V != formatVersion || mf.Lang != "vi" || mf.Docs != 3 || mf.Slot != minSlot {
		t.Errorf("manifest %+v", mf)
	}
	wantKinds := append(slices.Clone(testKinds), "gallery")
	if !slices.Equal(mf.Kinds, wantKinds) {
		t.Errorf("kinds %v, want %v", mf.Kinds, wantKinds)
	}
	if mf.Shards[""] == "" {
		t.Error(`no shard for key ""`)
	}
	for _, name := range slices.Sorted(maps.Keys(ix.fs)) {
		if strings.HasPrefix(name, "d/") && !json.Valid(ix.fs[name]) {
			t.Errorf("%s is not JSON: %s", name, ix.fs[name])
		}
	}
	// Documents are numbered by URL.
	wantDocs := []docJSON{
		{T: `Bài "một"`, U: "/a/", K: 0},
		{T: "Bản tin số 3", U: "/b/", K: 1, D: "01/02/2024", S: "Tóm tắt Nội dung"},
		{T: "Khác", U: "/c/", K: 5},
	}
	for n, want := range wantDocs {
		if got := ix.doc(n); got != want {
			t.Errorf("document %d: %+v, want %+v", n, got, want)
		}
	}
	if !slices.Equal(ix.meta.K, []int{0, 1, 5}) || !slices.Equal(ix.meta.Y, []int{0, 2024, 2020}) {
		t.Errorf("meta %+v", ix.meta)
	}
	if !slices.Equal(ix.manifest.Years, []int{2024, 2020}) {
		t.Errorf("years %v, want [2024 2020]", ix.manifest.Years)
	}
}

func TestEmptyAndHuge(t *testing.T) {
	t.Run("no documents", func(t *testing.T) {
		fs, m := build(t, "en", nil)
		ix := parseIndex(t, fs, m)
		if ix.manifest.Docs != 0 || len(ix.manifest.Shards) != 1 || len(ix.meta.K) != 0 {
			t.Errorf("manifest %+v, meta %+v", ix.manifest, ix.meta)
		}
	})
	t.Run("pages without text", func(t *testing.T) {
		fs, m := build(t, "vi", []Doc{{URL: "/x/"}, {URL: "/y/", Title: "…", Sections: []string{" "}}})
		ix := parseIndex(t, fs, m)
		if ix.manifest.Docs != 2 || len(ix.shards[""]) != 0 {
			t.Errorf("manifest %+v", ix.manifest)
		}
	})
	t.Run("10 MB page", func(t *testing.T) {
		c := newCorpus(t, 8)
		huge := c.doc(0, 10<<20)
		huge.Sections = append(huge.Sections, strings.Repeat("và ", 2<<20))
		docs := []Doc{huge, c.doc(1, 2000), c.doc(2, 2000)}
		fs, m := build(t, "vi", docs)
		ix := parseIndex(t, fs, m)
		if e := mustEntry(t, ix, "va"); len(e.docs) == 0 || slices.Min(e.imps) < 1 {
			t.Errorf("postings of va: %v, impacts %v", e.docs, e.imps)
		}
		if n := len([]rune(ix.doc(0).S)); n > snippetRunes+2 {
			t.Errorf("snippet of %d runes", n)
		}
	})
}

// A title too long for a slot is cut, like the snippet text, rather than
// growing the slot past what its 2-byte length can say.
func TestHugeTitle(t *testing.T) {
	c := newCorpus(t, 3)
	title := strings.Join(c.doc(0, 60000).Sections, " ")
	fs, m := build(t, "vi", []Doc{{URL: "/dai/", Title: title, Sections: []string{"Nội dung."}}})
	ix := parseIndex(t, fs, m)
	got := ix.doc(0)
	if got.T == "" || !strings.HasPrefix(title, got.T) || got.S != "" || ix.manifest.Slot != minSlot {
		t.Errorf("slot %d, title of %d bytes (a prefix: %t), snippet %q", ix.manifest.Slot, len(got.T), strings.HasPrefix(title, got.T), got.S)
	}
}

func TestWriteError(t *testing.T) {
	b := NewBuilder("vi", testKinds)
	b.Add(Analyze(Doc{URL: "/a/", Title: "Tin"}))
	boom := errors.New("disk full")
	for _, prefix := range []string{"docs.bin", "terms.bin", "meta.", "manifest."} {
		t.Run(prefix, func(t *testing.T) {
			_, err := b.Write(func(rel string, data []byte) error {
				if strings.HasPrefix(rel, prefix) {
					return boom
				}
				return nil
			})
			if !errors.Is(err, boom) || !strings.Contains(err.Error(), prefix) {
				t.Errorf("error %v", err)
			}
		})
	}
}

// TestShards10k builds 10,000 synthetic pages: every shard is under the
// budget unless it holds a single term, and the lookup finds every term.
func TestShards10k(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 pages")
	}
	t.Parallel()
	c := newCorpus(t, 9)
	b := NewBuilder("vi", testKinds)
	var wg sync.WaitGroup
	docs := c.docs(10000, 5000)
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := w; i < len(docs); i += 2 {
				b.Add(Analyze(docs[i]))
			}
		})
	}
	wg.Wait()
	fs, m := write(t, b)
	// The shards are what this test is about; the tails are read and
	// merged by the tests of tiered lists.
	ix := parseHeads(t, fs, m)
	var total, shardRaw, shardGz, maxRaw, over, singles, tailGz int
	for _, data := range fs {
		total += len(data)
	}
	for key, sh := range ix.heads {
		n := len(ix.fs[ix.manifest.Shards[key]])
		shardRaw += n
		shardGz += len(ix.members[key])
		maxRaw = max(maxRaw, n)
		if len(sh) == 1 {
			singles++
		}
		if n > shardBudget {
			if len(sh) > 1 {
				t.Errorf("shard %q: %d bytes, %d terms and pairs", key, n, len(sh))
			}
			over++
		}
		for str := range sh {
			if got := ix.shardKey(str); got != key {
				t.Errorf("%q is in shard %q, lookup gives %q", str, key, got)
			}
		}
	}
	for _, tl := range ix.tails {
		tailGz += len(tl)
	}
	for _, d := range docs[:200] {
		_, toks := vitext.Tokenize(d.Title + " " + strings.Join(d.Sections, " "))
		for _, tok := range toks {
			if _, ok := ix.heads[ix.shardKey(tok.Fold)][tok.Fold]; !ok && !skipWord(tok.Text) {
				t.Errorf("term %q not found", tok.Fold)
			}
		}
	}
	n := len(ix.manifest.Shards)
	t.Logf("%d files, %.1f MB; %d shards: %.1f MB, %.1f MB compressed, largest %d B, average %d B; %d single-entry shards, %d of them over budget; %d tails, %.1f MB compressed; manifest %d B",
		len(fs), float64(total)/1e6, n, float64(shardRaw)/1e6, float64(shardGz)/1e6, maxRaw, shardRaw/n, singles, over, len(ix.tails), float64(tailGz)/1e6, len(fs[m]))
}

// frontDecode reads the manifest's keys as the client does.
func frontDecode(tb testing.TB, coded string) []string {
	tb.Helper()
	var keys []string
	var prev []rune
	for _, e := range strings.Split(coded, "|") {
		n, err := strconv.ParseInt(e[:1], 36, 0)
		if err != nil || int(n) > len(prev) {
			tb.Fatalf("bad key entry %q after %q", e, string(prev))
		}
		k := string(prev[:n]) + e[1:]
		keys = append(keys, k)
		prev = []rune(k)
	}
	return keys
}

func TestFrontCode(t *testing.T) {
	for _, keys := range [][]string{
		{""},
		{"", "a", "an", "ang", "b", "kiem", "kiem d", "kiem n", "x", "đ", "đa"},
		{"", strings.Repeat("a", 40), strings.Repeat("a", 41)},
	} {
		coded := frontCode(keys)
		if got := frontDecode(t, coded); !slices.Equal(got, keys) {
			t.Errorf("%q coded as %q decodes to %q", keys, coded, got)
		}
	}
	if got := frontCode([]string{"", "a", "an", "ang"}); got != "0|0a|1n|2g" {
		t.Errorf("frontCode = %q", got)
	}
}

// TestReplaces: given the docs pack it replaces, Write takes the slots of
// unchanged pages from it, and the packs come out as they would without it.
func TestReplaces(t *testing.T) {
	c := newCorpus(t, 6)
	docs := c.docs(50, 3000)
	before, _ := build(t, "vi", docs)
	docs[7].Title += " (sửa)"
	docs = append(docs, Doc{URL: "/000-moi/", Title: "Trang mới", Sections: []string{"Đứng đầu theo địa chỉ."}})
	fresh, m := build(t, "vi", docs)
	with := func(prev []byte) files {
		b := NewBuilder("vi", testKinds)
		for _, d := range docs {
			b.Add(Analyze(d))
		}
		b.Replaces(prev)
		fs, _ := write(t, b)
		return fs
	}
	if got := with(before["docs.bin"]); !bytes.Equal(got["docs.bin"], fresh["docs.bin"]) || !bytes.Equal(got["terms.bin"], fresh["terms.bin"]) {
		t.Fatal("the packs differ from those of a Write without Replaces")
	}
	if got := with([]byte("not a pack")); !bytes.Equal(got["docs.bin"], fresh["docs.bin"]) {
		t.Fatal("a bad pack changed the docs pack")
	}
	// A slot is taken by its sum, as it is: a mark in the old slot's
	// data shows in the new pack, at the page's new number.
	slot := parseIndex(t, fresh, m).manifest.Slot
	marked := bytes.Clone(before["docs.bin"])
	marked[3*slot+2] ^= 0xff
	got := with(marked)["docs.bin"]
	if !bytes.Equal(got[4*slot:5*slot], marked[3*slot:4*slot]) {
		t.Error("the slot of page 3, page 4 once a page comes first, was compressed again")
	}
	if !bytes.Equal(got[8*slot:9*slot], fresh["docs.bin"][8*slot:9*slot]) {
		t.Error("the edited page's slot is not new")
	}
}
