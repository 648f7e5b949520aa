package search

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// BM25 parameters of the contract.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// formatVersion is the manifest's "v".
const formatVersion = 6

// Builder collects the analyzed documents of one language and writes the
// index.
type Builder struct {
	lang  string
	kinds []string

	mu sync.Mutex
	// Terms, exact forms and pairs get dense ids in the order they are first
	// added; ids never reach the output, which is ordered by strings and
	// URLs, so the order of Add calls does not matter.
	termIx  map[string]uint32
	termStr []string
	exIx    map[string]uint32
	exStr   []string
	exTerm  []uint32
	pairIx  map[uint64]uint32
	pairKey []uint64 // first term id << 32 | second term id
	docs    []*docRec

	prevDocs []byte // the docs pack Write replaces, see Replaces

	// The layout of the terms pack; tests change them to try other ones.
	limits listLimits
	// keys holds the index in docs of each document put under a key, and
	// loose says a document was removed since the dictionaries were last
	// tidied (see state.go).
	keys  map[string]int
	loose bool
	// members are the compressed shards and tails of the last Write, by
	// the sums of their bytes, for the next (see memberCache).
	members map[memberSum][]byte
	// written is what the last Write laid out, and since the documents
	// it had under the keys put or removed after it (see local.go).
	written *written
	since   map[string]*docRec
}

// Replaces tells the builder the docs pack ("docs.bin") of the index its
// Write replaces, so that the slots of pages that did not change are taken
// from it rather than compressed again. The output is the same with or
// without it; a pack that is not one, or of another format, is of no use
// but does no harm.
func (b *Builder) Replaces(docsPack []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.prevDocs = docsPack
}

// docRec is one added document: its display data and its postings by id.
type docRec struct {
	key                             string // see Put; "" for none
	url, title, kind, date, snippet string
	year                            int
	length                          uint64

	terms  []uint32 // term ids
	termTF []uint16
	pairs  []uint32 // pair ids
	pairTF []uint16
	exacts []uint32 // exact-form ids
}

// NewBuilder returns a builder for language lang; kinds are the kind names in
// manifest order. A document of a kind not in kinds adds it to the end of the
// manifest's list (in name order), so nothing is lost.
func NewBuilder(lang string, kinds []string) *Builder {
	return &Builder{
		lang:   lang,
		kinds:  slices.Clone(kinds),
		termIx: make(map[string]uint32),
		exIx:   make(map[string]uint32),
		pairIx: make(map[uint64]uint32),
		limits: defaultLimits,
	}
}

// Add adds a document; safe for concurrent use. Document numbers are
// assigned at Write time by sorting on URL, so the output does not depend on
// the order of Add calls.
func (b *Builder) Add(a *Analyzed) { b.add("", a) }

// add adds a document under key, replacing the one added under it
// before; "" is no key.
func (b *Builder) add(key string, a *Analyzed) {
	if a == nil {
		return
	}
	d := &docRec{
		key: key,
		url: a.url, title: a.title, kind: a.kind, date: a.date, snippet: a.snippet,
		year: a.year, length: a.length,
		terms:  make([]uint32, len(a.terms)),
		termTF: make([]uint16, len(a.terms)),
		pairs:  make([]uint32, len(a.pairs)),
		pairTF: make([]uint16, len(a.pairs)),
		exacts: make([]uint32, len(a.exacts)),
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if key == "" {
		b.written = nil // a document with no key cannot be told from another
	}
	b.replace(key)
	for i := range a.terms {
		s := a.term(i)
		id, ok := b.termIx[s]
		if !ok {
			id = uint32(len(b.termStr))
			// Cloned so that the index keeps nothing of a alive.
			s = strings.Clone(s)
			b.termIx[s] = id
			b.termStr = append(b.termStr, s)
		}
		d.terms[i] = id
		d.termTF[i] = a.termTF(i)
	}
	for i, p := range a.pairs {
		key := uint64(d.terms[p.a])<<32 | uint64(d.terms[p.b])
		id, ok := b.pairIx[key]
		if !ok {
			id = uint32(len(b.pairKey))
			b.pairIx[key] = id
			b.pairKey = append(b.pairKey, key)
		}
		d.pairs[i] = id
		d.pairTF[i] = a.pairTF(i)
	}
	for i, e := range a.exacts {
		s := a.exact(i)
		id, ok := b.exIx[s]
		if !ok {
			id = uint32(len(b.exStr))
			// A plain form is its term's string, kept already.
			if t := b.termStr[d.terms[e.term]]; t == s {
				s = t
			} else {
				s = strings.Clone(s)
			}
			b.exIx[s] = id
			b.exStr = append(b.exStr, s)
			b.exTerm = append(b.exTerm, d.terms[e.term])
		}
		d.exacts[i] = id
	}
	b.docs = append(b.docs, d)
}

// Write writes every index file through write (paths relative to
// public/search/<lang>/: "docs.bin", "terms.bin", "meta.1a2b3c4d.json",
// "manifest.1a2b3c4d.json") and returns the manifest's relative path. The
// JSON written is already minified. A language with no
// documents still gets a manifest. The files are written in a fixed order,
// the manifest last, so that every file it names exists before it does.
func (b *Builder) Write(write func(rel string, data []byte) error) (manifest string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// What the last Write laid out is of use only with the changes since;
	// it is back once this one has laid out the terms.
	ch, w := b.changed(), b.written
	b.since, b.written = nil, nil
	userWrite := write
	write = func(rel string, data []byte) error {
		if err := userWrite(rel, data); err != nil {
			return fmt.Errorf("search: writing %s: %w", rel, err)
		}
		return nil
	}

	docs := slices.Clone(b.docs)
	slices.SortFunc(docs, compareDocs)
	kinds := b.allKinds(docs)
	kindIx := make(map[string]int, len(kinds))
	for i, k := range kinds {
		if _, ok := kindIx[k]; !ok {
			kindIx[k] = i
		}
	}

	same := b.sameNumbers(w, docs, ch)
	var known *knownSlots
	if same && slices.Equal(kinds, w.kinds) {
		known = &knownSlots{sums: w.docSums, slot: w.slot, changed: ch.docs}
	}
	docPack, slot, docSums, err := packDocs(docs, kindIx, b.prevDocs, known)
	if err != nil {
		return "", err
	}
	docsRel := "docs.bin?v=" + fingerprint(docPack)
	if err := write("docs.bin", docPack); err != nil {
		return "", err
	}
	shards, ok := b.packLocal(w, docs, ch, same)
	if !ok {
		// The terms, pairs and exact forms no document has are dropped
		// first; a local Write leaves them to the next that is not, or to
		// WriteState, since they do not show.
		b.tidy()
		reuse := &memberCache{old: b.members, now: map[memberSum][]byte{}}
		inv := b.invert(docs)
		shards = inv.packShards(b.termStr, b.exStr, b.exTerm, b.pairKey, len(docs), b.limits, reuse)
		b.members = reuse.now
		w = &written{nDocs: len(docs), avg: inv.avg, limits: b.limits, root: shards.root, keys: shards.keys, sums: shards.sums}
	}
	w.kinds, w.slot, w.docSums = kinds, slot, docSums
	b.written = w
	termsRel := "terms.bin?v=" + fingerprint(shards.pack)
	if err := write("terms.bin", shards.pack); err != nil {
		return "", err
	}

	var meta []byte
	meta = append(meta, `{"k":[`...)
	for i, d := range docs {
		if i > 0 {
			meta = append(meta, ',')
		}
		meta = strconv.AppendInt(meta, int64(kindIx[d.kind]), 10)
	}
	meta = append(meta, `],"y":[`...)
	for i, d := range docs {
		if i > 0 {
			meta = append(meta, ',')
		}
		meta = strconv.AppendInt(meta, int64(d.year), 10)
	}
	meta = append(meta, "]}"...)
	metaName := "meta." + fingerprint(meta) + ".json"
	if err := write(metaName, meta); err != nil {
		return "", err
	}

	var m []byte
	m = append(m, `{"v":`...)
	m = strconv.AppendInt(m, formatVersion, 10)
	m = append(m, `,"lang":`...)
	m = appendString(m, b.lang)
	m = append(m, `,"docs":`...)
	m = strconv.AppendInt(m, int64(len(docs)), 10)
	m = append(m, `,"kinds":[`...)
	for i, k := range kinds {
		if i > 0 {
			m = append(m, ',')
		}
		m = appendString(m, k)
	}
	m = append(m, `],"years":[`...)
	for i, y := range years(docs) {
		if i > 0 {
			m = append(m, ',')
		}
		m = strconv.AppendInt(m, int64(y), 10)
	}
	m = append(m, `],"meta":`...)
	m = appendString(m, metaName)
	m = append(m, `,"shards":`...)
	m = appendString(m, frontCode(shards.keys))
	m = append(m, `,"sizes":"`...)
	m = appendBase36(m, shards.sizes)
	m = append(m, `","tails":"`...)
	m = appendBase36(m, shards.tails)
	m = append(m, `","terms":`...)
	m = appendString(m, termsRel)
	m = append(m, `,"doc_file":`...)
	m = appendString(m, docsRel)
	m = append(m, `,"slot":`...)
	m = strconv.AppendInt(m, int64(slot), 10)
	m = append(m, '}')
	manifest = "manifest." + fingerprint(m) + ".json"
	if err := write(manifest, m); err != nil {
		return "", err
	}
	return manifest, nil
}

// years are the documents' years, latest first, without 0 (no date).
func years(docs []*docRec) []int {
	var ys []int
	for _, d := range docs {
		if d.year != 0 {
			ys = append(ys, d.year)
		}
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	slices.Reverse(ys)
	return ys
}

// compareDocs orders documents by URL; the other fields only break ties
// between documents with one URL (a content error the site reports), so that
// even then the order of Add calls does not show.
func compareDocs(x, y *docRec) int {
	if c := strings.Compare(x.url, y.url); c != 0 {
		return c
	}
	if c := strings.Compare(x.title, y.title); c != 0 {
		return c
	}
	if c := strings.Compare(x.kind, y.kind); c != 0 {
		return c
	}
	if c := strings.Compare(x.date, y.date); c != 0 {
		return c
	}
	if c := cmp.Compare(x.year, y.year); c != 0 {
		return c
	}
	if c := strings.Compare(x.snippet, y.snippet); c != 0 {
		return c
	}
	if c := cmp.Compare(x.length, y.length); c != 0 {
		return c
	}
	return cmp.Compare(len(x.terms), len(y.terms))
}

// allKinds is the builder's kinds followed by any other kind the documents
// use, in name order.
func (b *Builder) allKinds(docs []*docRec) []string {
	kinds := slices.Clone(b.kinds)
	var extra []string
	for _, d := range docs {
		if !slices.Contains(kinds, d.kind) && !slices.Contains(extra, d.kind) {
			extra = append(extra, d.kind)
		}
	}
	slices.Sort(extra)
	return append(kinds, extra...)
}

// fingerprint is the 8-hex content hash in the index's URLs: in the names
// of the manifest and meta, in the ?v= of the packs.
func fingerprint(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:4])
}

// inverted holds the postings of one language by term, pair and exact form,
// each list in ascending document order, in flat arrays indexed by offsets.
type inverted struct {
	termOff []uint32 // postings of term t: [termOff[t], termOff[t+1])
	termDoc []uint32
	termImp []uint8
	pairOff []uint32
	pairDoc []uint32
	pairImp []uint8
	exOff   []uint32
	exDoc   []uint32
	avg     uint64 // the average document length, rounded (see bm25)
}

// bm25 scores the postings of one set of documents.
type bm25 struct {
	avg   uint64    // the average document length, rounded to 5 bits
	norm  []float64 // BM25's k1·(1−b+b·dl/avgdl) of each document
	nDocs float64
	top   float64 // the largest score a posting could have
}

// newBM25 returns the scorer of docs, in their numbering.
func newBM25(docs []*docRec) *bm25 {
	// The average is rounded to 5 significant bits, so that editing one
	// page of many rarely moves it: the impacts of pages the edit did not
	// touch, and so their shards, stay as they were.
	var total float64
	for _, d := range docs {
		total += float64(d.length)
	}
	bm := &bm25{avg: roundBits(total/float64(max(len(docs), 1)), 5), norm: make([]float64, len(docs)), nDocs: float64(len(docs))}
	for n, d := range docs {
		bm.norm[n] = bm.normOf(d.length)
	}
	// The scale is the largest score any posting could have, a term in one
	// document only: it depends on the number of documents and nothing
	// else, for the same reason.
	bm.top = bm.idf(1) * (bm25K1 + 1)
	return bm
}

// idf is the inverse document frequency of a list of df documents.
func (bm *bm25) idf(df uint32) float64 {
	return math.Log(1 + (bm.nDocs-float64(df)+0.5)/(float64(df)+0.5))
}

// normOf is BM25's k1·(1−b+b·dl/avgdl) of a document of length dl.
func (bm *bm25) normOf(dl uint64) float64 {
	r := 1.0
	if avg := float64(bm.avg); avg > 0 {
		r = float64(dl) / avg
	}
	return bm25K1 * (float64(1-bm25B) + float64(bm25B*r))
}

// impact is the impact of a posting of term frequency tf in document n,
// in a list whose idf is w.
func (bm *bm25) impact(w float64, tf uint16, n uint32) uint8 {
	return bm.impactNorm(w, tf, bm.norm[n])
}

// impactNorm is the impact of a posting of term frequency tf in a
// document whose normOf is norm, in a list whose idf is w.
func (bm *bm25) impactNorm(w float64, tf uint16, norm float64) uint8 {
	f := float64(tf)
	// The explicit conversions keep the compiler from fusing
	// multiply-adds, which would change results by platform.
	s := float64(w*float64(f*(bm25K1+1))) / float64(f+norm)
	v := math.Ceil(float64(s*255) / bm.top)
	return uint8(min(max(v, 1), 255))
}

// invert turns the per-document postings into per-term postings and computes
// the impacts.
func (b *Builder) invert(docs []*docRec) *inverted {
	inv := &inverted{
		termOff: make([]uint32, len(b.termStr)+1),
		pairOff: make([]uint32, len(b.pairKey)+1),
		exOff:   make([]uint32, len(b.exStr)+1),
	}
	for _, d := range docs {
		for _, t := range d.terms {
			inv.termOff[t+1]++
		}
		for _, p := range d.pairs {
			inv.pairOff[p+1]++
		}
		for _, e := range d.exacts {
			inv.exOff[e+1]++
		}
	}
	prefixSum(inv.termOff)
	prefixSum(inv.pairOff)
	prefixSum(inv.exOff)
	inv.termDoc = make([]uint32, inv.termOff[len(b.termStr)])
	termTF := make([]uint16, len(inv.termDoc))
	inv.pairDoc = make([]uint32, inv.pairOff[len(b.pairKey)])
	pairTF := make([]uint16, len(inv.pairDoc))
	inv.exDoc = make([]uint32, inv.exOff[len(b.exStr)])

	termPos := slices.Clone(inv.termOff[:len(b.termStr)])
	pairPos := slices.Clone(inv.pairOff[:len(b.pairKey)])
	exPos := slices.Clone(inv.exOff[:len(b.exStr)])
	for n, d := range docs {
		for i, t := range d.terms {
			inv.termDoc[termPos[t]] = uint32(n)
			termTF[termPos[t]] = d.termTF[i]
			termPos[t]++
		}
		for i, p := range d.pairs {
			inv.pairDoc[pairPos[p]] = uint32(n)
			pairTF[pairPos[p]] = d.pairTF[i]
			pairPos[p]++
		}
		for _, e := range d.exacts {
			inv.exDoc[exPos[e]] = uint32(n)
			exPos[e]++
		}
	}

	bm := newBM25(docs)
	inv.avg = bm.avg
	score := func(off []uint32, doc []uint32, tf []uint16) []uint8 {
		imp := make([]uint8, len(doc))
		for t := 0; t+1 < len(off); t++ {
			lo, hi := off[t], off[t+1]
			w := bm.idf(hi - lo)
			for i := lo; i < hi; i++ {
				imp[i] = bm.impact(w, tf[i], doc[i])
			}
		}
		return imp
	}
	inv.termImp = score(inv.termOff, inv.termDoc, termTF)
	inv.pairImp = score(inv.pairOff, inv.pairDoc, pairTF)
	return inv
}

// roundBits rounds x ≥ 0 to an integer with at most bits significant
// bits: to 5 bits, 950 is 960, 1000 is 992 and 1010 is 1024.
func roundBits(x float64, bits int) uint64 {
	v := uint64(math.Round(x))
	shift := 0
	for v>>shift >= 1<<bits {
		shift++
	}
	if shift == 0 {
		return v
	}
	half := uint64(1) << (shift - 1)
	return (v + half) >> shift << shift
}

func prefixSum(off []uint32) {
	for i := 1; i < len(off); i++ {
		off[i] += off[i-1]
	}
}

// shardSet is the packed term shards: their keys in order, the pack and
// each one's size in it, then the size of each tail after them.
type shardSet struct {
	keys  []string
	pack  []byte
	sizes []int
	tails []int
	// root is the layout's choices, sums the sums of the shards' bytes,
	// then of the tails' (see written).
	root *lnode
	sums []memberSum
}

// frontCode writes the sorted shard keys as one string, each key as the
// number of code points it shares with the one before (one base-36 digit,
// at most 35) and the rest of it, separated by "|", which no key contains:
// ["", "a", "an", "ang"] is "0|0a|1n|2g". The keys of a large site share
// long prefixes, so this keeps the manifest a few kilobytes.
func frontCode(keys []string) string {
	var b strings.Builder
	var prev []rune
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('|')
		}
		r := []rune(k)
		n := 0
		for n < len(r) && n < len(prev) && n < 35 && r[n] == prev[n] {
			n++
		}
		b.WriteString(strconv.FormatInt(int64(n), 36))
		b.WriteString(string(r[n:]))
		prev = r
	}
	return b.String()
}

// appendBase36 appends sizes in base 36, separated by "|".
func appendBase36(m []byte, sizes []int) []byte {
	for i, n := range sizes {
		if i > 0 {
			m = append(m, '|')
		}
		m = strconv.AppendInt(m, int64(n), 36)
	}
	return m
}
