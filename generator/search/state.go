package search

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"slices"
	"sync/atomic"
)

// A Builder outlives one Write: a build after an edit puts the documents
// of the pages it drew again into the last build's builder, removes those
// of pages that are gone, and writes the index again, rather than adding
// every page anew. The output is what a new builder given the same
// documents writes; when the documents keep their numbers, Write encodes
// again only the lists of the documents put or removed (see local.go).
// WriteState and ReadState keep a builder on disk between two processes.

// stateVersion changes whenever the encoding of WriteState does.
const stateVersion = 4

var errBadState = errors.New("search: not a builder's state of this version")

// Put adds the document a under key (a page's source file), replacing the
// document put under the same key before; safe for concurrent use.
func (b *Builder) Put(key string, a *Analyzed) { b.add(key, a) }

// Remove removes the document put under key, if there is one.
func (b *Builder) Remove(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.remove(key)
}

// Retain removes the documents put under a key that keep rejects, and
// returns how many it removed.
func (b *Builder) Retain(keep func(key string) bool) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for key := range b.keys {
		if !keep(key) {
			b.remove(key)
			n++
		}
	}
	return n
}

// Holds reports whether the document under key is the one Put(key, a)
// would put there: putting it would change nothing.
func (b *Builder) Holds(key string, a *Analyzed) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	i, ok := b.keys[key]
	if !ok || a == nil {
		return false
	}
	d := b.docs[i]
	if d.url != a.url || d.title != a.title || d.kind != a.kind || d.date != a.date || d.snippet != a.snippet ||
		d.year != a.year || d.length != a.length || len(d.terms) != len(a.terms) || len(d.pairs) != len(a.pairs) || len(d.exacts) != len(a.exacts) {
		return false
	}
	for i := range a.terms {
		if id, ok := b.termIx[a.term(i)]; !ok || id != d.terms[i] || d.termTF[i] != a.termTF(i) {
			return false
		}
	}
	for i, p := range a.pairs {
		key := uint64(d.terms[p.a])<<32 | uint64(d.terms[p.b])
		if id, ok := b.pairIx[key]; !ok || id != d.pairs[i] || d.pairTF[i] != a.pairTF(i) {
			return false
		}
	}
	for i := range a.exacts {
		if id, ok := b.exIx[a.exact(i)]; !ok || id != d.exacts[i] {
			return false
		}
	}
	return true
}

// Has reports whether a document was put under key.
func (b *Builder) Has(key string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.keys[key]
	return ok
}

// replace removes the document under key, and gives the key to the
// document that add appends next. Called with b.mu held.
func (b *Builder) replace(key string) {
	if key == "" {
		return
	}
	b.note(key)
	b.remove(key)
	if b.keys == nil {
		b.keys = map[string]int{}
	}
	b.keys[key] = len(b.docs)
}

// remove removes the document under key; the last document takes its
// place, since their order does not matter (Write sorts them). Called with
// b.mu held.
func (b *Builder) remove(key string) {
	i, ok := b.keys[key]
	if !ok {
		return
	}
	b.note(key)
	delete(b.keys, key)
	last := len(b.docs) - 1
	if i != last {
		b.docs[i] = b.docs[last]
		b.keys[b.docs[i].key] = i
	}
	b.docs[last] = nil
	b.docs = b.docs[:last]
	b.loose = true
}

// tidy drops the terms, pairs and exact forms that no document has any
// more, after documents were removed: the index has no entry without
// postings. Called with b.mu held.
func (b *Builder) tidy() {
	if !b.loose {
		return
	}
	b.loose = false
	termUsed := make([]bool, len(b.termStr))
	pairUsed := make([]bool, len(b.pairKey))
	exUsed := make([]bool, len(b.exStr))
	for _, d := range b.docs {
		for _, t := range d.terms {
			termUsed[t] = true
		}
		for _, p := range d.pairs {
			pairUsed[p] = true
		}
		for _, e := range d.exacts {
			exUsed[e] = true
		}
	}
	if !slices.Contains(termUsed, false) && !slices.Contains(pairUsed, false) && !slices.Contains(exUsed, false) {
		return
	}
	// New ids, in the order of the old; an exact form's and a pair's
	// terms are the document's own, so used too.
	renumber := func(used []bool) []uint32 {
		ids := make([]uint32, len(used))
		n := uint32(0)
		for i, u := range used {
			if u {
				ids[i] = n
				n++
			}
		}
		return ids
	}
	termID, pairID, exID := renumber(termUsed), renumber(pairUsed), renumber(exUsed)
	termStr := b.termStr[:0:0]
	b.termIx = make(map[string]uint32, len(b.termIx))
	for t, s := range b.termStr {
		if termUsed[t] {
			b.termIx[s] = uint32(len(termStr))
			termStr = append(termStr, s)
		}
	}
	exStr, exTerm := b.exStr[:0:0], b.exTerm[:0:0]
	b.exIx = make(map[string]uint32, len(b.exIx))
	for e, s := range b.exStr {
		if exUsed[e] {
			b.exIx[s] = uint32(len(exStr))
			exStr = append(exStr, s)
			exTerm = append(exTerm, termID[b.exTerm[e]])
		}
	}
	pairKey := b.pairKey[:0:0]
	b.pairIx = make(map[uint64]uint32, len(b.pairIx))
	for p, key := range b.pairKey {
		if pairUsed[p] {
			key = uint64(termID[uint32(key>>32)])<<32 | uint64(termID[uint32(key)])
			b.pairIx[key] = uint32(len(pairKey))
			pairKey = append(pairKey, key)
		}
	}
	b.termStr, b.exStr, b.exTerm, b.pairKey = termStr, exStr, exTerm, pairKey
	for _, d := range b.docs {
		for i, t := range d.terms {
			d.terms[i] = termID[t]
		}
		for i, p := range d.pairs {
			d.pairs[i] = pairID[p]
		}
		for i, e := range d.exacts {
			d.exacts[i] = exID[e]
		}
	}
}

// WriteState writes what the builder holds, for ReadState: its language
// and kinds, its terms, pairs and exact forms, its documents with their
// keys, and the compressed shards of its last Write and what it laid out
// (written), unless documents were put or removed since.
func (b *Builder) WriteState(w io.Writer) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.since) > 0 {
		// The documents changed since the last Write are not kept, so
		// the next Write lays out every list.
		b.written, b.since = nil, nil
	}
	b.tidy()
	var buf []byte
	num := func(v uint64) { buf = binary.AppendUvarint(buf, v) }
	flush := func() error {
		_, err := w.Write(buf)
		buf = buf[:0]
		return err
	}
	num(stateVersion)
	num(AnalysisVersion)
	buf = appendStrs(buf, b.lang)
	buf = appendList(buf, b.kinds)
	buf = appendList(buf, b.termStr)
	num(uint64(len(b.exStr)))
	for e, s := range b.exStr {
		buf = appendStrs(buf, s)
		num(uint64(b.exTerm[e]))
	}
	num(uint64(len(b.pairKey)))
	for _, key := range b.pairKey {
		num(key >> 32)
		num(key & (1<<32 - 1))
	}
	// Each document is written after its length, so that ReadState can
	// share them out among the cores.
	num(uint64(len(b.docs)))
	var doc []byte
	for _, d := range b.docs {
		doc = appendDocState(doc[:0], d)
		num(uint64(len(doc)))
		buf = append(buf, doc...)
		if len(buf) > 1<<16 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	// The compressed shards of the last Write, so that the next after
	// ReadState compresses only those that change.
	// In the order of their sums: the same builder, the same bytes.
	num(uint64(len(b.members)))
	for _, sum := range slices.SortedFunc(maps.Keys(b.members), func(x, y memberSum) int { return bytes.Compare(x[:], y[:]) }) {
		data := b.members[sum]
		buf = append(buf, sum[:]...)
		num(uint64(len(data)))
		buf = append(buf, data...)
		if len(buf) > 1<<16 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	// What the last Write laid out, for the next (see written).
	if wr := b.written; wr == nil {
		num(0)
	} else {
		num(1)
		num(uint64(wr.nDocs))
		num(wr.avg)
		num(uint64(wr.limits.split))
		num(uint64(wr.limits.head))
		buf = appendNode(buf, wr.root)
		buf = appendList(buf, wr.keys)
		num(uint64(len(wr.sums)))
		for _, sum := range wr.sums {
			buf = append(buf, sum[:]...)
		}
		buf = appendList(buf, wr.kinds)
		num(uint64(wr.slot))
		for _, sum := range wr.docSums {
			buf = binary.BigEndian.AppendUint64(buf, sum)
		}
	}
	return flush()
}

// appendNode appends a layout's node and those under it.
func appendNode(buf []byte, n *lnode) []byte {
	flags := uint64(0)
	if n.leaf {
		flags |= 1
	}
	if n.emitted {
		flags |= 2
	}
	buf = appendStrs(buf, n.key)
	buf = binary.AppendUvarint(buf, flags)
	buf = binary.AppendUvarint(buf, uint64(n.size))
	if n.leaf {
		return buf
	}
	buf = binary.AppendUvarint(buf, uint64(len(n.groups)))
	for _, g := range n.groups {
		buf = appendStrs(buf, g.next)
		buf = binary.AppendUvarint(buf, uint64(g.size))
		if g.node == nil {
			buf = append(buf, 0)
		} else {
			buf = append(buf, 1)
			buf = appendNode(buf, g.node)
		}
	}
	return buf
}

// readNode reads what appendNode wrote, a node whose key is key; nil when
// it is not one.
func (d *decoder) readNode(key string, depth int) *lnode {
	n := &lnode{key: d.str()}
	flags := d.uvarint()
	n.size = int(d.u32())
	if d.err != nil || n.key != key || flags > 3 || depth > 1000 {
		return nil
	}
	n.leaf, n.emitted = flags&1 != 0, flags&2 != 0
	if n.leaf {
		return n
	}
	n.groups = make([]lgroup, d.count(3))
	for i := range n.groups {
		g := &n.groups[i]
		g.next = d.str()
		g.size = int(d.u32())
		if d.err != nil || g.next == "" || i > 0 && n.groups[i-1].next >= g.next {
			return nil
		}
		switch d.uvarint() {
		case 0:
		case 1:
			if g.node = d.readNode(key+g.next, depth+1); g.node == nil {
				return nil
			}
		default:
			return nil
		}
	}
	return n
}

// emittedKeys appends the keys of the nodes under n that have a shard.
func (n *lnode) emittedKeys(keys []string) []string {
	if n.emitted {
		keys = append(keys, n.key)
	}
	for _, g := range n.groups {
		if g.node != nil {
			keys = g.node.emittedKeys(keys)
		}
	}
	return keys
}

// ReadState returns the builder whose state WriteState wrote. It checks
// every length and id, so that damaged data gives an error, never a
// builder that panics or writes a wrong index.
func ReadState(data []byte) (*Builder, error) {
	d := decoder{data: data}
	if d.uvarint() != stateVersion || d.uvarint() != AnalysisVersion {
		return nil, errBadState
	}
	b := NewBuilder(d.str(), nil)
	b.kinds = d.strs()
	b.termStr = d.strs()
	for t, s := range b.termStr {
		b.termIx[s] = uint32(t)
	}
	n := d.count(2)
	b.exStr, b.exTerm = make([]string, n), make([]uint32, n)
	for e := range b.exStr {
		s := d.str()
		b.exStr[e], b.exTerm[e] = s, d.u32()
		b.exIx[s] = uint32(e)
		if int(b.exTerm[e]) >= len(b.termStr) {
			return nil, errBadState
		}
	}
	b.pairKey = make([]uint64, d.count(2))
	for p := range b.pairKey {
		x, y := d.u32(), d.u32()
		if int(x) >= len(b.termStr) || int(y) >= len(b.termStr) {
			return nil, errBadState
		}
		key := uint64(x)<<32 | uint64(y)
		b.pairKey[p] = key
		b.pairIx[key] = uint32(p)
	}
	if d.err != nil || len(b.termIx) != len(b.termStr) || len(b.exIx) != len(b.exStr) || len(b.pairIx) != len(b.pairKey) {
		return nil, errBadState
	}
	docs := make([][]byte, d.count(8))
	for i := range docs {
		n := d.count(1)
		docs[i] = d.data[:n]
		d.data = d.data[n:]
	}
	if d.err != nil {
		return nil, errBadState
	}
	b.docs = make([]*docRec, len(docs))
	var bad atomic.Bool
	inParallel(len(docs), func(i int) {
		r, ok := readDocState(docs[i], len(b.termStr), len(b.pairKey), len(b.exStr))
		if !ok {
			bad.Store(true)
		}
		b.docs[i] = r
	})
	if bad.Load() {
		return nil, errBadState
	}
	b.keys = make(map[string]int, len(b.docs))
	for i, r := range b.docs {
		if r.key != "" {
			if _, dup := b.keys[r.key]; dup {
				return nil, errBadState
			}
			b.keys[r.key] = i
		}
	}
	n = d.count(len(memberSum{}) + 1)
	b.members = make(map[memberSum][]byte, n)
	for range n {
		if len(d.data) < len(memberSum{}) {
			return nil, errBadState
		}
		sum := memberSum(d.data[:len(memberSum{})])
		d.data = d.data[len(memberSum{}):]
		size := d.count(1)
		b.members[sum] = bytes.Clone(d.data[:size])
		d.data = d.data[size:]
	}
	switch d.uvarint() {
	case 0:
	case 1:
		if b.written = d.readWritten(b.members); b.written == nil {
			return nil, errBadState
		}
	default:
		return nil, errBadState
	}
	if d.err != nil || len(d.data) != 0 {
		return nil, errBadState
	}
	return b, nil
}

// readWritten reads what WriteState wrote of the last Write, checking
// that its keys are its layout's and that members has each of its sums;
// nil when it is not one.
func (d *decoder) readWritten(members map[memberSum][]byte) *written {
	w := &written{nDocs: int(d.u32()), avg: d.uvarint()}
	w.limits.split, w.limits.head = int(d.u32()), int(d.u32())
	if d.err != nil {
		return nil
	}
	if w.root = d.readNode("", 0); w.root == nil {
		return nil
	}
	w.keys = d.strs()
	w.sums = make([]memberSum, d.count(len(memberSum{})))
	for i := range w.sums {
		if len(d.data) < len(memberSum{}) {
			return nil
		}
		w.sums[i] = memberSum(d.data[:len(memberSum{})])
		d.data = d.data[len(memberSum{}):]
		if _, ok := members[w.sums[i]]; !ok {
			return nil
		}
	}
	w.kinds = d.strs()
	w.slot = int(d.u32())
	if d.err != nil || len(d.data) < 8*w.nDocs {
		return nil
	}
	w.docSums = make([]uint64, w.nDocs)
	for i := range w.docSums {
		w.docSums[i] = binary.BigEndian.Uint64(d.data[8*i:])
	}
	d.data = d.data[8*w.nDocs:]
	keys := w.root.emittedKeys(nil)
	slices.Sort(keys)
	if d.err != nil || !slices.Equal(keys, w.keys) || len(w.sums) < len(keys) {
		return nil
	}
	return w
}

// appendDocState appends a document as WriteState writes it.
func appendDocState(buf []byte, d *docRec) []byte {
	buf = appendStrs(buf, d.key, d.url, d.title, d.kind, d.date, d.snippet)
	buf = binary.AppendVarint(buf, int64(d.year))
	buf = binary.AppendUvarint(buf, d.length)
	buf = binary.AppendUvarint(buf, uint64(len(d.terms)))
	for i, t := range d.terms {
		buf = binary.AppendUvarint(buf, uint64(t))
		buf = binary.AppendUvarint(buf, uint64(d.termTF[i]))
	}
	buf = binary.AppendUvarint(buf, uint64(len(d.pairs)))
	for i, p := range d.pairs {
		buf = binary.AppendUvarint(buf, uint64(p))
		buf = binary.AppendUvarint(buf, uint64(d.pairTF[i]))
	}
	buf = binary.AppendUvarint(buf, uint64(len(d.exacts)))
	for _, e := range d.exacts {
		buf = binary.AppendUvarint(buf, uint64(e))
	}
	return buf
}

// readDocState reads what appendDocState wrote, checking each id against
// the number of terms, pairs and exact forms.
func readDocState(data []byte, terms, pairs, exacts int) (*docRec, bool) {
	d := decoder{data: data}
	r := &docRec{key: d.str(), url: d.str(), title: d.str(), kind: d.str(), date: d.str(), snippet: d.str(),
		year: int(d.varint()), length: d.uvarint()}
	n := d.count(2)
	r.terms, r.termTF = make([]uint32, n), make([]uint16, n)
	ok := d.err == nil && d.ids(r.terms, r.termTF, terms)
	n = d.count(2)
	r.pairs, r.pairTF = make([]uint32, n), make([]uint16, n)
	ok = ok && d.err == nil && d.ids(r.pairs, r.pairTF, pairs)
	r.exacts = make([]uint32, d.count(1))
	ok = ok && d.err == nil && d.ids(r.exacts, nil, exacts)
	return r, ok && d.err == nil && len(d.data) == 0
}

// ids reads len(ids) ids below limit, each followed by a term frequency
// when tf is not nil: the bulk of a builder's state, so read in one loop.
func (d *decoder) ids(ids []uint32, tf []uint16, limit int) bool {
	data, i := d.data, 0
	next := func() (uint64, bool) {
		if i < len(data) && data[i] < 0x80 {
			i++
			return uint64(data[i-1]), true
		}
		v, n := binary.Uvarint(data[i:])
		i += n
		return v, n > 0
	}
	for j := range ids {
		v, ok := next()
		if !ok || v >= uint64(limit) {
			return false
		}
		ids[j] = uint32(v)
		if tf != nil {
			if v, ok = next(); !ok || v > maxTF {
				return false
			}
			tf[j] = uint16(v)
		}
	}
	d.data = data[i:]
	return true
}
