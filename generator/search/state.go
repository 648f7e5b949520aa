package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"slices"
)

// A Builder outlives one Write: a build after an edit puts the documents
// of the pages it drew again into the last build's builder, removes those
// of pages that are gone, and writes the index again, rather than adding
// every page anew. The output is what a new builder given the same
// documents writes. WriteState and ReadState keep a builder on disk
// between two processes.

// stateVersion changes whenever the encoding of WriteState does.
const stateVersion = 1

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

// Retain removes the documents put under a key that keep rejects.
func (b *Builder) Retain(keep func(key string) bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for key := range b.keys {
		if !keep(key) {
			b.remove(key)
		}
	}
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
// and kinds, its terms, pairs and exact forms, and its documents with
// their keys.
func (b *Builder) WriteState(w io.Writer) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tidy()
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf []byte
	num := func(v uint64) { buf = binary.AppendUvarint(buf, v) }
	str := func(s string) {
		num(uint64(len(s)))
		buf = append(buf, s...)
	}
	flush := func() error {
		_, err := bw.Write(buf)
		buf = buf[:0]
		return err
	}
	num(stateVersion)
	num(AnalysisVersion)
	str(b.lang)
	num(uint64(len(b.kinds)))
	for _, k := range b.kinds {
		str(k)
	}
	num(uint64(len(b.termStr)))
	for _, s := range b.termStr {
		str(s)
	}
	num(uint64(len(b.exStr)))
	for e, s := range b.exStr {
		str(s)
		num(uint64(b.exTerm[e]))
	}
	num(uint64(len(b.pairKey)))
	for _, key := range b.pairKey {
		num(key >> 32)
		num(key & (1<<32 - 1))
	}
	num(uint64(len(b.docs)))
	for _, d := range b.docs {
		for _, s := range []string{d.key, d.url, d.title, d.kind, d.date, d.snippet} {
			str(s)
		}
		buf = binary.AppendVarint(buf, int64(d.year))
		num(d.length)
		num(uint64(len(d.terms)))
		for i, t := range d.terms {
			num(uint64(t))
			num(uint64(d.termTF[i]))
		}
		num(uint64(len(d.pairs)))
		for i, p := range d.pairs {
			num(uint64(p))
			num(uint64(d.pairTF[i]))
		}
		num(uint64(len(d.exacts)))
		for _, e := range d.exacts {
			num(uint64(e))
		}
		if len(buf) > 1<<16 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return bw.Flush()
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
	b.kinds = make([]string, d.count(1))
	for i := range b.kinds {
		b.kinds[i] = d.str()
	}
	b.termStr = make([]string, d.count(1))
	for t := range b.termStr {
		s := d.str()
		b.termStr[t] = s
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
	id := func(limit int) uint32 {
		v := d.u32()
		if int(v) >= limit {
			d.err = errBadState
		}
		return v
	}
	tf := func() uint16 {
		v := d.u32()
		if v > maxTF {
			d.err = errBadState
		}
		return uint16(v)
	}
	b.docs = make([]*docRec, d.count(8))
	b.keys = make(map[string]int, len(b.docs))
	for i := range b.docs {
		r := &docRec{key: d.str(), url: d.str(), title: d.str(), kind: d.str(), date: d.str(), snippet: d.str(),
			year: int(d.varint()), length: d.uvarint()}
		n := d.count(2)
		r.terms, r.termTF = make([]uint32, n), make([]uint16, n)
		for j := range n {
			r.terms[j], r.termTF[j] = id(len(b.termStr)), tf()
		}
		n = d.count(2)
		r.pairs, r.pairTF = make([]uint32, n), make([]uint16, n)
		for j := range n {
			r.pairs[j], r.pairTF[j] = id(len(b.pairKey)), tf()
		}
		r.exacts = make([]uint32, d.count(1))
		for j := range r.exacts {
			r.exacts[j] = id(len(b.exStr))
		}
		if d.err != nil {
			return nil, errBadState
		}
		b.docs[i] = r
		if r.key != "" {
			if _, dup := b.keys[r.key]; dup {
				return nil, errBadState
			}
			b.keys[r.key] = i
		}
	}
	if d.err != nil || len(d.data) != 0 {
		return nil, errBadState
	}
	return b, nil
}
