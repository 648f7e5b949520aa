package search

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"io"
	"maps"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"unicode/utf8"
)

// A Write after documents were put or removed changes only the shards and
// tails of the lists those documents have or had, when it can: the rest of
// the terms pack is the last Write's, byte for byte. That holds when the
// documents keep their numbers and the scores of the others stay as they
// were: the same number of documents, every put one with the URL of the
// one it replaced, and the same rounded average length (see bm25). A list
// that holds none of the changed documents then has the same postings and
// impacts, so the same bytes. The Write encodes the changed lists again
// from the documents, and takes the shards they live in from the last
// Write's, inflated, with those lists replaced; the layout's choices
// (lnode) must come out the same with the sizes changed (but for a key
// whose strings had all moved to longer keys, which a new string under it
// gives a shard of its own), and no list may become split or whole, which
// would move tails. When any of this does not hold, Write lays out and
// encodes every list, as a new builder does.

// written is what the last Write laid out, for the next.
type written struct {
	nDocs  int
	avg    uint64
	limits listLimits
	root   *lnode
	keys   []string    // the shard keys, in the pack's order
	sums   []memberSum // the sums of the shards' bytes, then the tails'
	// The kinds in manifest order, the slot size, and the sum of each
	// document's slot, in the documents' numbering (see packDocs).
	kinds   []string
	slot    int
	docSums []uint64
}

// changes are the documents put or removed since the last Write: the
// documents it had under their keys (nil for none), the documents under
// them now, and the strings of the terms and pairs of both.
type changes struct {
	since   map[string]*docRec
	docs    map[*docRec]bool
	terms   map[string]bool
	pairs   map[[2]string]bool
	changed [][2]*docRec // each key's document then and now, nil for none
}

// note records, before a put or a removal of the document under key,
// the document the last Write had under it (nil for none). Called with
// b.mu held.
func (b *Builder) note(key string) {
	if b.written == nil {
		return
	}
	if _, ok := b.since[key]; ok {
		return
	}
	if b.since == nil {
		b.since = map[string]*docRec{}
	}
	var old *docRec
	if i, ok := b.keys[key]; ok {
		old = b.docs[i]
	}
	b.since[key] = old
}

// changed returns the changes since the last Write, nil when it cannot
// tell them. Called with b.mu held, before tidy renumbers the terms.
func (b *Builder) changed() *changes {
	if b.written == nil {
		return nil
	}
	ch := &changes{since: b.since, docs: map[*docRec]bool{}, terms: map[string]bool{}, pairs: map[[2]string]bool{}}
	add := func(d *docRec) {
		for _, t := range d.terms {
			ch.terms[b.termStr[t]] = true
		}
		for _, p := range d.pairs {
			key := b.pairKey[p]
			ch.pairs[[2]string{b.termStr[key>>32], b.termStr[uint32(key)]}] = true
		}
	}
	for key, old := range b.since {
		if old != nil {
			add(old)
		}
		var now *docRec
		if i, ok := b.keys[key]; ok {
			now = b.docs[i]
			add(now)
			ch.docs[now] = true
		}
		ch.changed = append(ch.changed, [2]*docRec{old, now})
	}
	return ch
}

// unchanged returns a function that tells whether the list of the term or
// pair s, in df documents, is as the last Write wrote it although the
// changed documents have it: each has it then and now or neither, with
// the same impact, and a term the same exact forms. The other documents'
// postings of it are as they were, since their number (so idf) and the
// scale are. Called with b.mu held, the dictionaries as the changed
// documents' ids have them.
func (b *Builder) unchanged(ch *changes, bm *bm25) func(s string, df uint32) bool {
	type posting struct {
		tf    uint16
		forms string // a term's exact forms in the document, in order
	}
	type version struct {
		lists map[string]posting
		norm  float64
	}
	of := func(d *docRec) version {
		v := version{lists: make(map[string]posting, len(d.terms)+len(d.pairs)), norm: bm.normOf(d.length)}
		forms := map[uint32][]string{}
		for _, e := range d.exacts {
			forms[b.exTerm[e]] = append(forms[b.exTerm[e]], b.exStr[e])
		}
		for i, t := range d.terms {
			f := forms[t]
			slices.Sort(f)
			v.lists[b.termStr[t]] = posting{tf: d.termTF[i], forms: strings.Join(f, "\x00")}
		}
		for i, p := range d.pairs {
			v.lists[b.pairStr(p)] = posting{tf: d.pairTF[i]}
		}
		return v
	}
	var then, now []version
	for _, c := range ch.changed {
		then, now = append(then, of(c[0])), append(now, of(c[1]))
	}
	return func(s string, df uint32) bool {
		w := bm.idf(df)
		for i := range then {
			x, inThen := then[i].lists[s]
			y, inNow := now[i].lists[s]
			if inThen != inNow || inThen && (x.forms != y.forms ||
				bm.impactNorm(w, x.tf, then[i].norm) != bm.impactNorm(w, y.tf, now[i].norm)) {
				return false
			}
		}
		return true
	}
}

// sameNumbers reports whether docs, in their numbering, have the numbers
// the Write that laid out w gave them: as many, every document put since
// with the URL of the one it replaced, and no URL twice (which makes the
// order of two documents depend on more). Called with b.mu held.
func (b *Builder) sameNumbers(w *written, docs []*docRec, ch *changes) bool {
	if w == nil || ch == nil || w.nDocs != len(docs) {
		return false
	}
	for key, old := range ch.since {
		if i, ok := b.keys[key]; old == nil || !ok || b.docs[i].url != old.url {
			return false
		}
	}
	for i := 1; i < len(docs); i++ {
		if docs[i].url == docs[i-1].url {
			return false
		}
	}
	return true
}

// emptyShard is the sum of a shard with no lists.
var emptyShard = sumOf(nil)

// changedList is a list to write again: its string, and its encoding, nil
// when no document has it any more.
type changedList struct {
	str  string
	list *encodedList
}

// packLocal packs the terms as packShards would, changing only the shards
// and tails of the lists in ch, and reports whether it could (see the
// comment above). w is what the last Write laid out, which it updates,
// docs the documents in their numbering, same whether they keep their
// numbers. Called with b.mu held, before tidy (the dictionaries still
// hold the changed documents' ids).
func (b *Builder) packLocal(w *written, docs []*docRec, ch *changes, same bool) (shardSet, bool) {
	if !same || w.limits != b.limits {
		return shardSet{}, false
	}
	for _, sum := range w.sums {
		if _, ok := b.members[sum]; !ok {
			return shardSet{}, false
		}
	}
	bm := newBM25(docs)
	if bm.avg != w.avg {
		return shardSet{}, false
	}
	lists, ok := b.encodeChanged(docs, ch, bm)
	if !ok {
		return shardSet{}, false
	}

	// A new list under a key whose terms all moved to longer keys gives
	// that key a shard of its own, as a new layout would (lnode.same
	// says whether it would): it is put in as an empty shard, which the
	// lists are then inserted into.
	for _, c := range lists {
		n := w.root.find(c.str)
		if n.emitted {
			continue
		}
		if c.list == nil {
			return shardSet{}, false
		}
		i, _ := slices.BinarySearch(w.keys, n.key)
		w.keys = slices.Insert(w.keys, i, n.key)
		w.sums = slices.Insert(w.sums, i, emptyShard)
		n.emitted = true
	}
	if _, ok := b.members[emptyShard]; !ok && slices.Contains(w.sums, emptyShard) {
		b.members[emptyShard] = bytes.Clone(newCompressor().deflate(nil))
	}

	// The shards the changed lists live in.
	byShard := map[int][]changedList{}
	for _, c := range lists {
		n := w.root.find(c.str)
		i, found := slices.BinarySearch(w.keys, n.key)
		if !n.emitted || !found {
			return shardSet{}, false
		}
		byShard[i] = append(byShard[i], c)
	}
	nShards := len(w.keys)
	shards := slices.Sorted(maps.Keys(byShard))
	rewritten := make([]rewrite, len(shards))
	inParallel(len(shards), func(j int) {
		i := shards[j]
		rewritten[j] = rewriteShard(b.members[w.sums[i]], byShard[i], len(docs), len(w.sums)-nShards)
	})
	raws := map[int][]byte{} // member → its new bytes
	var deltas []sizeDelta
	for j, r := range rewritten {
		if r.raw == nil {
			return shardSet{}, false
		}
		raws[shards[j]] = r.raw
		for number, tail := range r.tails {
			raws[nShards+number-1] = tail
		}
		deltas = append(deltas, r.deltas...)
	}
	for _, d := range deltas {
		w.root.add(d.str, d.size)
	}
	if !w.root.same() {
		return shardSet{}, false
	}

	// The members: those changed compressed unless their bytes are some
	// member's of the last Write, the others as they were.
	reuse := &memberCache{old: b.members, now: make(map[memberSum][]byte, len(w.sums))}
	sums := slices.Clone(w.sums)
	parts := make([][]byte, len(sums))
	for i, sum := range w.sums {
		if _, changed := raws[i]; !changed {
			parts[i] = b.members[sum]
			reuse.now[sum] = parts[i]
		}
	}
	changedIx := slices.Sorted(maps.Keys(raws))
	withCompressors(len(changedIx), func(c *compressor, j int) {
		i := changedIx[j]
		sums[i], parts[i] = reuse.make(c, raws[i])
	})
	pack, sizes := concat(parts)
	b.members = reuse.now
	w.sums = sums
	return shardSet{keys: w.keys, pack: pack, sizes: sizes[:nShards], tails: sizes[nShards:], root: w.root, sums: sums}, true
}

// encodeChanged encodes again the lists in ch, from the documents in
// their numbering, scored by bm.
func (b *Builder) encodeChanged(docs []*docRec, ch *changes, bm *bm25) ([]changedList, bool) {
	var lists []changedList
	terms := newMarks(len(b.termStr))
	for s := range ch.terms {
		if !utf8.ValidString(s) {
			return nil, false // see lnode.find
		}
		if t, ok := b.termIx[s]; ok {
			terms.mark(t)
		} else {
			lists = append(lists, changedList{str: s})
		}
	}
	pairs := newMarks(len(b.pairKey))
	for ab := range ch.pairs {
		str := ab[0] + " " + ab[1]
		if !utf8.ValidString(str) {
			return nil, false
		}
		x, okx := b.termIx[ab[0]]
		y, oky := b.termIx[ab[1]]
		if p, ok := b.pairIx[uint64(x)<<32|uint64(y)]; okx && oky && ok {
			pairs.mark(p)
		} else {
			lists = append(lists, changedList{str: str})
		}
	}
	exacts := newMarks(len(b.exStr))
	for e, t := range b.exTerm {
		if terms.at[t] >= 0 {
			exacts.mark(uint32(e))
		}
	}
	// The lists whose bytes do not change are left as they are: most of
	// them, after an edit that did not move the page's impacts.
	unchanged := b.unchanged(ch, bm)
	termSkip, pairSkip := make([]bool, len(terms.ids)), make([]bool, len(pairs.ids))
	termPost := gather(docs, terms, true, func(d *docRec) ([]uint32, []uint16) { return d.terms, d.termTF }, func(j int, df uint32) bool {
		termSkip[j] = df > 0 && unchanged(b.termStr[terms.ids[j]], df)
		return !termSkip[j]
	})
	pairPost := gather(docs, pairs, true, func(d *docRec) ([]uint32, []uint16) { return d.pairs, d.pairTF }, func(j int, df uint32) bool {
		pairSkip[j] = df > 0 && unchanged(b.pairStr(pairs.ids[j]), df)
		return !pairSkip[j]
	})
	exPost := gather(docs, exacts, false, func(d *docRec) ([]uint32, []uint16) { return d.exacts, nil }, func(k int, _ uint32) bool {
		return !termSkip[terms.at[b.exTerm[exacts.ids[k]]]]
	})

	// Each changed term's exact forms that some document has (the
	// dictionaries are not tidied yet), in string order.
	termEx := make([][]uint32, len(terms.ids))
	for k, e := range exacts.ids {
		if exPost.off[k] < exPost.off[k+1] {
			j := terms.at[b.exTerm[e]]
			termEx[j] = append(termEx[j], e)
		}
	}
	// Encoded on every core, each with its own encoder and impacts.
	type encoder struct {
		*listEncoder
		imp []uint8
	}
	newEncoder := newListEncoder(len(docs), b.limits)
	at := len(lists)
	lists = append(lists, make([]changedList, len(terms.ids)+len(pairs.ids))...)
	onEveryCore(len(terms.ids)+len(pairs.ids), func() *encoder { return &encoder{listEncoder: newEncoder()} }, func(enc *encoder, i int) {
		var doc []uint32
		var tf []uint16
		if i < len(terms.ids) {
			if termSkip[i] {
				return
			}
			doc, tf = termPost.list(i)
		} else {
			if pairSkip[i-len(terms.ids)] {
				return
			}
			doc, tf = pairPost.list(i - len(terms.ids))
		}
		if len(doc) == 0 {
			// No document has it any more: its entry goes.
			if i < len(terms.ids) {
				lists[at+i] = changedList{str: b.termStr[terms.ids[i]]}
			} else {
				lists[at+i] = changedList{str: b.pairStr(pairs.ids[i-len(terms.ids)])}
			}
			return
		}
		w := bm.idf(uint32(len(doc)))
		enc.imp = enc.imp[:0]
		for i, n := range doc {
			enc.imp = append(enc.imp, bm.impact(w, tf[i], n))
		}
		var l encodedList
		var str string
		if i < len(terms.ids) {
			t := terms.ids[i]
			ex := termEx[i]
			slices.SortFunc(ex, func(x, y uint32) int { return strings.Compare(b.exStr[x], b.exStr[y]) })
			forms, formDocs := termForms(b.termStr[t], ex, b.exStr, func(e uint32) []uint32 {
				doc, _ := exPost.list(int(exacts.at[e]))
				return doc
			})
			str, l = b.termStr[t], enc.encode(doc, enc.imp, true, forms, formDocs)
		} else {
			str, l = b.pairStr(pairs.ids[i-len(terms.ids)]), enc.encode(doc, enc.imp, false, nil, nil)
		}
		lists[at+i] = changedList{str: str, list: &l}
	})
	lists = slices.DeleteFunc(lists, func(c changedList) bool { return c.str == "" })
	return lists, true
}

// pairStr is the string of pair p: its terms joined by a space.
func (b *Builder) pairStr(p uint32) string { return pairString(b.termStr, b.pairKey[p]) }

// marks are some of the ids of one kind (terms, pairs or exact forms):
// ids in the order marked, at each id's index in ids or -1, and bits
// the ids marked, which a scan of every posting reads first, being small.
type marks struct {
	ids  []uint32
	at   []int32
	bits []uint64
}

func newMarks(n int) *marks {
	m := &marks{at: make([]int32, n), bits: make([]uint64, (n+63)/64)}
	for i := range m.at {
		m.at[i] = -1
	}
	return m
}

func (m *marks) mark(id uint32) {
	m.at[id] = int32(len(m.ids))
	m.ids = append(m.ids, id)
	m.bits[id/64] |= 1 << (id % 64)
}

// postings are the lists of the ids of marks: list j is [off[j],
// off[j+1]) of doc and tf, in ascending document order.
type postings struct {
	off []uint32
	doc []uint32
	tf  []uint16
}

func (p *postings) list(j int) ([]uint32, []uint16) {
	lo, hi := p.off[j], p.off[j+1]
	if p.tf == nil {
		return p.doc[lo:hi], nil
	}
	return p.doc[lo:hi], p.tf[lo:hi]
}

// gather collects the postings of the ids m marks from the documents, in
// their numbering, of which of returns the ids of one kind and, withTF,
// their term frequencies: of the lists that keep(j, df) keeps, the others
// being left empty. The documents are shared out among the cores, each
// counting its postings of each list, then placing them.
func gather(docs []*docRec, m *marks, withTF bool, of func(d *docRec) ([]uint32, []uint16), keep func(j int, df uint32) bool) postings {
	parts := min(runtime.GOMAXPROCS(0), len(docs)/256+1)
	part := func(i int) []*docRec { return docs[len(docs)*i/parts : len(docs)*(i+1)/parts] }
	counts := make([][]uint32, parts)
	inParallel(parts, func(i int) {
		c := make([]uint32, len(m.ids))
		for _, d := range part(i) {
			ids, _ := of(d)
			for _, id := range ids {
				if m.bits[id/64]&(1<<(id%64)) != 0 {
					c[m.at[id]]++
				}
			}
		}
		counts[i] = c
	})
	// Each part's postings of list j go after the earlier parts'.
	p := postings{off: make([]uint32, len(m.ids)+1)}
	for j, id := range m.ids {
		df := uint32(0)
		for i := range counts {
			df += counts[i][j]
		}
		if !keep(j, df) {
			m.bits[id/64] &^= 1 << (id % 64)
			for i := range counts {
				counts[i][j] = 0
			}
		}
		n := p.off[j]
		for i := range counts {
			n, counts[i][j] = n+counts[i][j], n
		}
		p.off[j+1] = n
	}
	total := p.off[len(m.ids)]
	p.doc = make([]uint32, total)
	if withTF {
		p.tf = make([]uint16, total)
	}
	inParallel(parts, func(i int) {
		at, from := counts[i], len(docs)*i/parts
		for k, d := range part(i) {
			ids, tf := of(d)
			for x, id := range ids {
				if m.bits[id/64]&(1<<(id%64)) != 0 {
					j := m.at[id]
					p.doc[at[j]] = uint32(from + k)
					if p.tf != nil {
						p.tf[at[j]] = tf[x]
					}
					at[j]++
				}
			}
		}
	})
	return p
}

// rewrite is a shard with some lists changed: its bytes, nil when it
// cannot be rewritten alone, the tails of the lists changed by their
// numbers + 1, and how the sizes of its entries changed.
type rewrite struct {
	raw    []byte
	tails  map[int][]byte
	deltas []sizeDelta
}

// sizeDelta is how the size of an entry in the layout changed.
type sizeDelta struct {
	str  string
	size int
}

// rewriteShard rewrites the shard old, compressed, of an index of nDocs
// documents and nTails tails, with the lists cs changed. No list may come
// to be split or whole, nor a split one come or go: the tails would move.
func rewriteShard(old []byte, cs []changedList, nDocs, nTails int) (r rewrite) {
	slices.SortFunc(cs, func(x, y changedList) int { return strings.Compare(x.str, y.str) })
	entries, ok := shardEntries(old, nDocs)
	if !ok {
		return rewrite{}
	}
	var out []byte
	prev := ""
	put := func(str string, number int, body []byte) {
		out = appendEntry(out, prev, str, number, body)
		prev = str
	}
	// A list new to the shard: it must not be split.
	insert := func(c changedList) bool {
		if c.list == nil || c.list.tail != nil {
			return false
		}
		r.deltas = append(r.deltas, sizeDelta{c.str, entrySize(c.str, c.list.body)})
		put(c.str, 0, c.list.body)
		return true
	}
	k := 0
	for _, e := range entries {
		for ; k < len(cs) && cs[k].str < e.str; k++ {
			if !insert(cs[k]) {
				return rewrite{}
			}
		}
		if k == len(cs) || cs[k].str != e.str {
			put(e.str, e.number, e.body)
			continue
		}
		l := cs[k].list
		k++
		switch {
		case l == nil && e.number != 0, l != nil && (e.number != 0) != (l.tail != nil), e.number > nTails:
			return rewrite{}
		case l == nil:
			r.deltas = append(r.deltas, sizeDelta{e.str, -entrySize(e.str, e.body)})
			continue
		case l.tail != nil:
			if r.tails == nil {
				r.tails = map[int][]byte{}
			}
			r.tails[e.number] = l.tail
		}
		r.deltas = append(r.deltas, sizeDelta{e.str, entrySize(e.str, l.body) - entrySize(e.str, e.body)})
		put(e.str, e.number, l.body)
	}
	for ; k < len(cs); k++ {
		if !insert(cs[k]) {
			return rewrite{}
		}
	}
	if out == nil {
		out = []byte{}
	}
	r.raw = out
	return r
}

// termForms returns the exact forms of term and their documents, ex being
// its forms' ids in string order: none when the term is only ever itself.
func termForms(term string, ex []uint32, exStr []string, docs func(e uint32) []uint32) (forms []string, formDocs [][]uint32) {
	if len(ex) > 1 || len(ex) == 1 && exStr[ex[0]] != term {
		for _, e := range ex {
			forms = append(forms, exStr[e])
			formDocs = append(formDocs, docs(e))
		}
	}
	return forms, formDocs
}

// shardEntry is an entry of a shard as read back: its string, 0 or 1 +
// its tail's number, and its list.
type shardEntry struct {
	str    string
	number int
	body   []byte
}

// shardEntries inflates a compressed shard and reads its entries, in a pack
// of nDocs documents; false when it is not one.
func shardEntries(member []byte, nDocs int) ([]shardEntry, bool) {
	data, err := io.ReadAll(flate.NewReader(bytes.NewReader(member)))
	if err != nil {
		return nil, false
	}
	r := shardReader{data: data, ok: true}
	var entries []shardEntry
	prev := ""
	for r.ok && r.at < len(data) {
		shared := r.num()
		rest := r.bytes(r.num())
		if !r.ok || shared > len(prev) {
			return nil, false
		}
		e := shardEntry{str: prev[:shared] + string(rest), number: r.num()}
		from := r.at
		term := !strings.Contains(e.str, " ")
		segs := r.num()
		df := 0
		if e.number != 0 {
			r.bytes(2)
			if term {
				df = r.docset(nDocs)
			}
		}
		for range segs {
			r.bytes(1)
			n := r.docset(nDocs)
			if e.number == 0 {
				df += n
			}
		}
		if term {
			for range r.num() {
				r.bytes(r.num())
				r.docset(df)
			}
		}
		if !r.ok {
			return nil, false
		}
		e.body = data[from:r.at]
		entries = append(entries, e)
		prev = e.str
	}
	return entries, r.ok
}

// shardReader reads the numbers and sets of a shard; ok turns false at
// the first that is not one.
type shardReader struct {
	data []byte
	at   int
	ok   bool
}

func (r *shardReader) num() int {
	v, n := binary.Uvarint(r.data[min(r.at, len(r.data)):])
	if n <= 0 || v > 1<<31 {
		r.ok = false
		return 0
	}
	r.at += n
	return int(v)
}

func (r *shardReader) bytes(n int) []byte {
	if !r.ok || n > len(r.data)-r.at {
		r.ok = false
		return nil
	}
	r.at += n
	return r.data[r.at-n : r.at]
}

// docset skips a set of positions below u and returns its size.
func (r *shardReader) docset(u int) int {
	h := r.num()
	switch {
	case h == setBitmap:
		n := 0
		for _, c := range r.bytes((u + 7) / 8) {
			n += bits.OnesCount8(c)
		}
		return n
	case h&3 == setList || h&3 == setComplement:
		for range h >> 2 {
			r.num()
			if !r.ok {
				return 0
			}
		}
		if h&3 == setComplement {
			return u - h>>2
		}
		return h >> 2
	}
	r.ok = false
	return 0
}

// find returns the node whose shard holds the string s, or would.
func (n *lnode) find(s string) *lnode {
	for !n.leaf && s != n.key {
		g := n.group(s)
		if g < 0 || n.groups[g].node == nil {
			return n
		}
		n = n.groups[g].node
	}
	return n
}

// group returns the index of the group of s, a string under n's key and
// longer, or -1. A group is the strings whose next character is its own,
// as split makes them (the strings written being valid UTF-8).
func (n *lnode) group(s string) int {
	next := s[len(n.key):]
	i, found := slices.BinarySearchFunc(n.groups, next, func(g lgroup, next string) int {
		if strings.HasPrefix(next, g.next) {
			return 0
		}
		return strings.Compare(g.next, next)
	})
	if !found {
		return -1
	}
	return i
}

// add adds size to the sizes of the nodes and groups that hold s, which
// makes a group for it when it is new.
func (n *lnode) add(s string, size int) {
	for {
		if n.leaf || s == n.key {
			n.size += size
			return
		}
		g := n.group(s)
		if g < 0 {
			_, l := nextRune(s, len(n.key))
			next := s[len(n.key) : len(n.key)+l]
			g, _ = slices.BinarySearchFunc(n.groups, next, func(g lgroup, next string) int { return strings.Compare(g.next, next) })
			n.groups = slices.Insert(n.groups, g, lgroup{next: next})
		}
		n.groups[g].size += size
		if n.groups[g].node == nil {
			return
		}
		n = n.groups[g].node
	}
}

// same reports whether split, given the sizes the tree holds now, would
// make the choices it holds: the same nodes, each a leaf or not, with
// the same groups moved to keys of their own, the same keys with shards.
// A group left with no strings is dropped.
func (n *lnode) same() bool {
	if n.leaf {
		return n.size <= shardBudget && (n.size > 0 || n.key == "")
	}
	n.groups = slices.DeleteFunc(n.groups, func(g lgroup) bool { return g.size == 0 && g.node == nil })
	total := n.size
	for _, g := range n.groups {
		total += g.size
	}
	if total <= shardBudget {
		return false
	}
	sizes := make([]int, len(n.groups))
	for i, g := range n.groups {
		sizes[i] = g.size
	}
	promoted := promote(sizes, total)
	emitted := n.key == "" || n.size > 0
	for i, g := range n.groups {
		if promoted[i] != (g.node != nil) {
			return false
		}
		if g.node == nil {
			emitted = true
		} else if !g.node.same() {
			return false
		}
	}
	return emitted == n.emitted
}
