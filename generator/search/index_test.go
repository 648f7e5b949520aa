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
	Terms   string   `json:"terms"`
	DocFile string   `json:"doc_file"`
	Slot    int      `json:"slot"`
	// Shards maps each key to the name under which unpack puts its JSON.
	Shards map[string]string `json:"-"`
}

type metaJSON struct {
	K []int `json:"k"`
	Y []int `json:"y"`
}

type entryJSON struct {
	P []int            `json:"p"`
	X map[string][]int `json:"x"`
}

type shardJSON struct {
	T map[string]entryJSON `json:"t"`
	P map[string][]int     `json:"p"`
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
	v, err := decodeFile[T](fs, name)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// decodeFile is decode for goroutines other than the test's.
func decodeFile[T any](fs files, name string) (T, error) {
	var v T
	data, ok := fs[name]
	if !ok {
		return v, fmt.Errorf("%s not written", name)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, fmt.Errorf("%s: %v", name, err)
	}
	return v, nil
}

// undelta turns the contract's delta lists back into document numbers.
// stride is 2 for postings (delta, impact) and 1 for exact-form lists.
func undelta(tb testing.TB, list []int, stride int) (docs, impacts []int) {
	tb.Helper()
	if len(list)%stride != 0 {
		tb.Fatalf("list of odd length %d", len(list))
	}
	d := 0
	for i := 0; i < len(list); i += stride {
		if list[i] < 0 || i > 0 && list[i] == 0 {
			tb.Fatalf("delta %d at %d: documents not ascending", list[i], i)
		}
		d += list[i]
		docs = append(docs, d)
		if stride == 2 {
			impacts = append(impacts, list[i+1])
		}
	}
	return docs, impacts
}

// index is a written index, parsed.
type index struct {
	tb       testing.TB
	fs       files
	name     string
	manifest manifestJSON
	meta     metaJSON
	shards   map[string]shardJSON // by key
	members  map[string][]byte    // each shard's bytes in the terms pack, by key
}

// unpack reads the packs as the client does: it returns fs with, beside
// the files written, each shard's JSON as "t/" and its key and each
// document's as "d/" and its number, and each shard's bytes in the terms
// pack by key. It fails the test when the packs are not as the manifest
// says: a size that overruns the pack, bytes left over, a slot whose length
// overruns it or whose padding is not zeros, data that do not inflate.
func unpack(tb testing.TB, written files, m *manifestJSON) (files, map[string][]byte) {
	tb.Helper()
	fs := maps.Clone(written)
	members := map[string][]byte{}
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
	m.Shards = map[string]string{}
	off := 0
	for i, k := range keys {
		n, err := strconv.ParseInt(sizes[i], 36, 0)
		if err != nil || n <= 0 || off+int(n) > len(terms) {
			tb.Fatalf("shard %q: size %q at %d of a %d-byte pack", k, sizes[i], off, len(terms))
		}
		members[k] = terms[off : off+int(n)]
		m.Shards[k] = "t/" + k
		fs[m.Shards[k]] = inflate(tb, members[k])
		off += int(n)
	}
	if off != len(terms) {
		tb.Errorf("terms pack of %d bytes, shards of %d", len(terms), off)
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
	return fs, members
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

func parseIndex(tb testing.TB, fs files, manifest string) *index {
	tb.Helper()
	return parseIndexWith(tb, fs, manifest, decodeFile[shardJSON])
}

// parseKeys is parseIndex for a test that needs each shard's terms but
// not their postings: it decodes no posting list, which on a large index
// is most of the work.
func parseKeys(tb testing.TB, fs files, manifest string) *index {
	tb.Helper()
	return parseIndexWith(tb, fs, manifest, func(fs files, name string) (shardJSON, error) {
		raw, err := decodeFile[struct {
			T map[string]json.RawMessage `json:"t"`
			P map[string]json.RawMessage `json:"p"`
		}](fs, name)
		sh := shardJSON{T: make(map[string]entryJSON, len(raw.T)), P: make(map[string][]int, len(raw.P))}
		for k := range raw.T {
			sh.T[k] = entryJSON{}
		}
		for k := range raw.P {
			sh.P[k] = nil
		}
		return sh, err
	})
}

func parseIndexWith(tb testing.TB, fs files, manifest string, decodeShard func(files, string) (shardJSON, error)) *index {
	tb.Helper()
	ix := &index{tb: tb, name: manifest, shards: map[string]shardJSON{}}
	ix.manifest = decode[manifestJSON](tb, fs, manifest)
	fs, ix.members = unpack(tb, fs, &ix.manifest)
	ix.fs = fs
	ix.meta = decode[metaJSON](tb, fs, ix.manifest.Meta)
	// Decoded on every core: a large index has thousands of shards.
	keys := slices.Collect(maps.Keys(ix.manifest.Shards))
	shards := make([]shardJSON, len(keys))
	errs := make([]error, len(keys))
	withCompressors(len(keys), func(_ *compressor, i int) {
		shards[i], errs[i] = decodeShard(fs, ix.manifest.Shards[keys[i]])
	})
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	for i, k := range keys {
		ix.shards[k] = shards[i]
	}
	return ix
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

func (ix *index) entry(term string) (entryJSON, bool) {
	e, ok := ix.shards[ix.shardKey(term)].T[term]
	return e, ok
}

func (ix *index) pair(a, b string) ([]int, bool) {
	p, ok := ix.shards[ix.shardKey(a+" "+b)].P[a+" "+b]
	return p, ok
}

// impact is the impact of term in document d, or 0.
func (ix *index) impact(term string, d int) int {
	e, ok := ix.entry(term)
	if !ok {
		return 0
	}
	docs, imps := undelta(ix.tb, e.P, 2)
	if i, ok := slices.BinarySearch(docs, d); ok {
		return imps[i]
	}
	return 0
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
	var docs []Doc
	for i := 0; i < 40; i++ {
		docs = append(docs, c.doc(i, 2000))
	}
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
	for i := 0; i < 50; i++ {
		docs = append(docs, c.doc(i, 1500))
	}
	fs, m := build(t, "vi", docs)
	ix := parseIndex(t, fs, m)
	top := 0
	for _, sh := range ix.shards {
		for term, e := range sh.T {
			_, imps := undelta(t, e.P, 2)
			for _, v := range imps {
				if v < 1 || v > 255 {
					t.Fatalf("%s: impact %d", term, v)
				}
				top = max(top, v)
			}
		}
		for pair, p := range sh.P {
			_, imps := undelta(t, p, 2)
			for _, v := range imps {
				if v < 1 || v > 255 {
					t.Fatalf("%s: impact %d", pair, v)
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
	var docs []Doc
	for i := range 300 {
		docs = append(docs, c.doc(i, 1500))
	}
	docs[7] = Doc{URL: "/quat-tran/", Title: "Quạt trần", Sections: []string{"Quạt trần tiết kiệm điện."}}
	before, m1 := build(t, "vi", docs)
	edited := slices.Clone(docs)
	e := &edited[7]
	e.Sections = []string{"Quạt trần tiết kiệm điện năng."}
	after, m2 := build(t, "vi", edited)
	if m1 == m2 {
		t.Fatal("the manifest did not change")
	}
	ix, old := parseIndex(t, after, m2), parseIndex(t, before, m1)
	if old.manifest.Terms == ix.manifest.Terms || old.manifest.DocFile == ix.manifest.DocFile {
		t.Errorf("the addresses of the packs did not both change: %s %s, then %s %s",
			old.manifest.Terms, old.manifest.DocFile, ix.manifest.Terms, ix.manifest.DocFile)
	}
	// The shards that may change: those of the edited page's words and
	// pairs, before and after.
	may := map[string]bool{}
	for _, d := range []Doc{docs[7], *e} {
		a := Analyze(d)
		for i := range a.terms {
			may[ix.shardKey(a.term(i))] = true
		}
		for _, p := range a.pairs {
			may[ix.shardKey(a.term(int(p.a))+" "+a.term(int(p.b)))] = true
		}
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
	slot := ix.manifest.Slot
	d1, d2 := before["docs.bin"], after["docs.bin"]
	edit := ix.docNum(e.URL)
	for n := range ix.manifest.Docs {
		if same := bytes.Equal(d1[n*slot:(n+1)*slot], d2[n*slot:(n+1)*slot]); same == (n == edit) {
			t.Errorf("document %d (the edited one is %d): slot the same before and after: %v", n, edit, same)
		}
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
	p, ok := ix.pair("san", "xuat")
	if !ok {
		t.Fatal(`no pair "san xuat"`)
	}
	got, _ := undelta(t, p, 2)
	want := []int{ix.docNum("/dau-cau/"), ix.docNum("/lien/")}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf(`"san xuat" in %v, want %v (contiguous words only, never across blocks)`, got, want)
	}
	for _, term := range []string{"san", "xuat"} {
		docs, _ := undelta(t, mustEntry(t, ix, term).P, 2)
		if len(docs) != 4 {
			t.Errorf("%s in %d documents, want 4", term, len(docs))
		}
	}
}

func mustEntry(t *testing.T, ix *index, term string) entryJSON {
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
	var docs []Doc
	for i := 0; i < 120; i++ {
		docs = append(docs, c.doc(i, 1200))
	}
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
		for term, e := range sh.T {
			if got := ix.shardKey(term); got != key {
				t.Errorf("%q is in shard %q, lookup gives %q", term, key, got)
			}
			got, _ := undelta(t, e.P, 2)
			if !slices.Equal(got, terms[term]) {
				t.Errorf("%q in %v, text has it in %v", term, got, terms[term])
			}
			for ex, l := range e.X {
				got, _ := undelta(t, l, 1)
				if want := exacts[term+"\x00"+ex]; !slices.Equal(got, want) {
					t.Errorf("%q/%q in %v, text has it in %v", term, ex, got, want)
				}
				seen++
			}
			seen++
		}
		for pair, p := range sh.P {
			if got := ix.shardKey(pair); got != key {
				t.Errorf("pair %q is in shard %q, lookup gives %q", pair, key, got)
			}
			got, _ := undelta(t, p, 2)
			if !slices.Equal(got, pairs[pair]) {
				t.Errorf("%q in %v, text has it in %v", pair, got, pairs[pair])
			}
			seen++
		}
	}
	if want := len(terms) + len(exacts) + len(pairs); seen != want {
		t.Errorf("index has %d terms, exact forms and pairs, the text %d", seen, want)
	}
}

func TestDeltaRoundTrip(t *testing.T) {
	tests := [][]uint32{nil, {0}, {5}, {0, 1, 2}, {3, 10, 11, 4000, 65535}}
	for _, docs := range tests {
		t.Run(fmt.Sprint(docs), func(t *testing.T) {
			imps := make([]uint8, len(docs))
			for i := range imps {
				imps[i] = uint8(1 + i*50)
			}
			var p []int
			if err := json.Unmarshal(appendPostings(nil, docs, imps), &p); err != nil {
				t.Fatal(err)
			}
			gotDocs, gotImps := undelta(t, p, 2)
			for i := range docs {
				if gotDocs[i] != int(docs[i]) || gotImps[i] != int(imps[i]) {
					t.Fatalf("posting %d: %d,%d want %d,%d", i, gotDocs[i], gotImps[i], docs[i], imps[i])
				}
			}
			var x []int
			if err := json.Unmarshal(appendDocs(nil, docs), &x); err != nil {
				t.Fatal(err)
			}
			got, _ := undelta(t, x, 1)
			if len(got) != len(docs) {
				t.Fatalf("%d documents, want %d", len(got), len(docs))
			}
			for i := range docs {
				if got[i] != int(docs[i]) {
					t.Fatalf("document %d: %d want %d", i, got[i], docs[i])
				}
			}
		})
	}
}

// TestAddOrder adds the same pages in shuffled orders from several
// goroutines: the files must not change.
func TestAddOrder(t *testing.T) {
	c := newCorpus(t, 6)
	var docs []Doc
	for i := 0; i < 300; i++ {
		docs = append(docs, c.doc(i, 1500))
	}
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
	if mf.V != 5 || mf.Lang != "vi" || mf.Docs != 3 || mf.Slot != minSlot {
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
		if (strings.HasPrefix(name, "t/") || strings.HasPrefix(name, "d/")) && !json.Valid(ix.fs[name]) {
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
		if ix.manifest.Docs != 2 || len(ix.shards[""].T) != 0 {
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
		e := mustEntry(t, ix, "va")
		got, imps := undelta(t, e.P, 2)
		if len(got) == 0 || slices.Min(imps) < 1 {
			t.Errorf("postings of va: %v", e.P)
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
	docs := make([]Doc, 10000)
	for i := range docs {
		docs[i] = c.doc(i, 5000)
	}
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := w; i < len(docs); i += 2 {
				b.Add(Analyze(docs[i]))
			}
		})
	}
	wg.Wait()
	fs, m := write(t, b)
	ix := parseKeys(t, fs, m)
	var total, shardRaw, shardGz, maxGz, over, singles int
	for _, data := range fs {
		total += len(data)
	}
	for key, sh := range ix.shards {
		n := len(ix.members[key])
		shardRaw += len(ix.fs[ix.manifest.Shards[key]])
		shardGz += n
		maxGz = max(maxGz, n)
		if len(sh.T) == 1 {
			singles++
		}
		if n > shardBudget {
			if len(sh.T) > 1 {
				t.Errorf("shard %q: %d bytes compressed, %d terms", key, n, len(sh.T))
			}
			over++
		}
		for term := range sh.T {
			if got := ix.shardKey(term); got != key {
				t.Errorf("%q is in shard %q, lookup gives %q", term, key, got)
			}
		}
	}
	for _, d := range docs[:200] {
		_, toks := vitext.Tokenize(d.Title + " " + strings.Join(d.Sections, " "))
		for _, tok := range toks {
			if _, ok := ix.entry(tok.Fold); !ok && !skipWord(tok.Text) {
				t.Errorf("term %q not found", tok.Fold)
			}
		}
	}
	n := len(ix.manifest.Shards)
	t.Logf("%d files, %.1f MB; %d shards: %.1f MB, %.1f MB compressed, largest %d B, average %d B compressed; %d single-term shards, %d of them over budget; manifest %d B",
		len(fs), float64(total)/1e6, n, float64(shardRaw)/1e6, float64(shardGz)/1e6, maxGz, shardGz/n, singles, over, len(fs[m]))
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
	var docs []Doc
	for i := range 50 {
		docs = append(docs, c.doc(i, 3000))
	}
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
