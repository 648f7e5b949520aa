package search

import (
	"encoding/binary"
	"slices"
)

// The binary encoding of the shards' lists: see the package comment, "Term
// shards", for the format these functions write.

// Docset kinds: the low two bits of a docset's first number.
const (
	setList       = 0
	setComplement = 1
	setBitmap     = 2
)

// listLimits decide which lists are split into a head and a tail: a list
// whose encoding is over split bytes keeps in its shard the segments of its
// highest impacts that fit in head bytes (one at least), and the rest goes
// to a tail of its own in the terms pack.
type listLimits struct {
	split, head int
}

// defaultLimits keep a first query's lists small: a list of a few
// kilobytes, most of them, is read whole; a long one with many impacts
// sends its low-impact documents, which rarely reach the first results,
// to a tail.
var defaultLimits = listLimits{split: 4000, head: 2000}

// uvarintLen is the length of the uvarint encoding of v.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// docsetLen is the length of the docset encoding of pos, ascending positions
// below u, and the kind it uses: the shortest of a list of the positions, a
// list of the positions not in it, and a bitmap.
func docsetLen(pos []uint32, u int) (n, kind int) {
	bitmap := uvarintLen(setBitmap) + (u+7)/8
	n, kind = bitmap, setBitmap
	if len(pos) < bitmap {
		l := uvarintLen(uint64(len(pos))<<2) + gapsLen(pos)
		if l <= n {
			n, kind = l, setList
		}
	}
	if u-len(pos) < bitmap {
		l := uvarintLen(uint64(u-len(pos))<<2|setComplement) + complementGapsLen(pos, u)
		if l < n || l == n && kind == setBitmap {
			n, kind = l, setComplement
		}
	}
	return n, kind
}

// gapsLen is the length of pos as uvarints: the first position, then the
// difference of each from the one before.
func gapsLen(pos []uint32) int {
	n, prev := 0, uint32(0)
	for _, p := range pos {
		n += uvarintLen(uint64(p - prev))
		prev = p
	}
	return n
}

// eachMissing calls fn for each position below u not in pos, ascending.
func eachMissing(pos []uint32, u int, fn func(p uint32)) {
	next := uint32(0)
	for _, p := range pos {
		for ; next < p; next++ {
			fn(next)
		}
		next = p + 1
	}
	for ; int(next) < u; next++ {
		fn(next)
	}
}

func complementGapsLen(pos []uint32, u int) int {
	n, prev := 0, uint32(0)
	eachMissing(pos, u, func(p uint32) {
		n += uvarintLen(uint64(p - prev))
		prev = p
	})
	return n
}

// appendDocset appends the docset encoding of pos, ascending positions
// below u.
func appendDocset(dst []byte, pos []uint32, u int) []byte {
	_, kind := docsetLen(pos, u)
	switch kind {
	case setList:
		dst = binary.AppendUvarint(dst, uint64(len(pos))<<2)
		prev := uint32(0)
		for _, p := range pos {
			dst = binary.AppendUvarint(dst, uint64(p-prev))
			prev = p
		}
	case setComplement:
		dst = binary.AppendUvarint(dst, uint64(u-len(pos))<<2|setComplement)
		prev := uint32(0)
		eachMissing(pos, u, func(p uint32) {
			dst = binary.AppendUvarint(dst, uint64(p-prev))
			prev = p
		})
	default:
		dst = binary.AppendUvarint(dst, setBitmap)
		at := len(dst)
		dst = append(dst, make([]byte, (u+7)/8)...)
		for _, p := range pos {
			dst[at+int(p>>3)] |= 1 << (p & 7)
		}
	}
	return dst
}

// segment is the documents of a list that have one impact.
type segment struct {
	impact uint8
	docs   []uint32
}

// listEncoder encodes lists, reusing its buffers from one list to the next;
// the encodings it returns are kept in chunks it allocates a megabyte at a
// time, since a large site has a million lists.
type listEncoder struct {
	nDocs int
	lim   listLimits

	keys   []uint64
	count  [256]int
	sorted []uint32
	segs   []segment
	lens   []int // the encoded sizes of segs
	pos    []uint32
	out    []byte
	chunk  []byte
}

func newListEncoder(nDocs int, lim listLimits) func() *listEncoder {
	return func() *listEncoder { return &listEncoder{nDocs: nDocs, lim: lim} }
}

// keep returns a copy of b that stays valid.
func (e *listEncoder) keep(b []byte) []byte {
	if cap(e.chunk)-len(e.chunk) < len(b) {
		e.chunk = make([]byte, 0, max(len(b), 1<<20))
	}
	n := len(e.chunk)
	e.chunk = append(e.chunk, b...)
	return e.chunk[n:len(e.chunk):len(e.chunk)]
}

// segments groups the postings doc, imp (ascending documents) by impact,
// highest first, each group's documents ascending. They are valid until the
// next call.
func (e *listEncoder) segments(doc []uint32, imp []uint8) []segment {
	if cap(e.sorted) < len(doc) {
		e.sorted = make([]uint32, len(doc))
	}
	sorted := e.sorted[:len(doc)]
	e.segs = e.segs[:0]
	add := func(v uint8, from, to int) {
		e.segs = append(e.segs, segment{impact: v, docs: sorted[from:to:to]})
	}
	if len(doc) <= 64 {
		// Few postings: sorted by impact, highest first, then document.
		e.keys = e.keys[:0]
		for i, d := range doc {
			e.keys = append(e.keys, uint64(255-imp[i])<<32|uint64(d))
		}
		slices.Sort(e.keys)
		from := 0
		for i, k := range e.keys {
			sorted[i] = uint32(k)
			if i > 0 && k>>32 != e.keys[i-1]>>32 {
				add(255-uint8(e.keys[i-1]>>32), from, i)
				from = i
			}
		}
		if len(doc) > 0 {
			add(255-uint8(e.keys[len(doc)-1]>>32), from, len(doc))
		}
		return e.segs
	}
	// Many: counted by impact, then placed.
	for _, v := range imp {
		e.count[v]++
	}
	at := 0
	for v := 255; v >= 1; v-- {
		if n := e.count[v]; n > 0 {
			add(uint8(v), at, at+n)
			e.count[v] = at
			at += n
		}
	}
	for i, d := range doc {
		sorted[e.count[imp[i]]] = d
		e.count[imp[i]]++
	}
	clear(e.count[:])
	return e.segs
}

// segmentLen is the length of a segment's encoding.
func segmentLen(s segment, nDocs int) int {
	n, _ := docsetLen(s.docs, nDocs)
	return 1 + n
}

func appendSegments(dst []byte, segs []segment, nDocs int) []byte {
	for _, s := range segs {
		dst = append(dst, s.impact)
		dst = appendDocset(dst, s.docs, nDocs)
	}
	return dst
}

// encodedList is one list, encoded but for its tail number, which the
// shards' order decides: body follows the number in the shard, and tail,
// when the list is split, is the tail's data.
type encodedList struct {
	body, tail []byte
}

// encode encodes the postings doc, imp (ascending documents) of a list, a
// term's when term is true (its split lists carry their documents), and
// then, for a term, its exact forms (forms in string order, each with its
// documents, ascending).
func (e *listEncoder) encode(doc []uint32, imp []uint8, term bool, forms []string, formDocs [][]uint32) encodedList {
	segs := e.segments(doc, imp)
	total := 0
	e.lens = e.lens[:0]
	for _, s := range segs {
		n := segmentLen(s, e.nDocs)
		e.lens = append(e.lens, n)
		total += n
	}
	// The head: the leading segments that fit, one at least, and never
	// all of them.
	keep := len(segs)
	if total > e.lim.split && len(segs) > 1 {
		n := e.lens[0]
		keep = 1
		for keep < len(segs)-1 {
			l := e.lens[keep]
			if n+l > e.lim.head {
				break
			}
			n += l
			keep++
		}
		if term {
			l, _ := docsetLen(doc, e.nDocs)
			n += l
		}
		if n+2 >= total {
			keep = len(segs)
		}
	}
	var l encodedList
	if keep < len(segs) {
		e.out = appendSegments(e.out[:0], segs[keep:], e.nDocs)
		l.tail = e.keep(e.out)
	}
	e.out = e.list(e.out[:0], segs, keep, doc, term, forms, formDocs)
	l.body = e.keep(e.out)
	return l
}

// list appends what follows a list's tail number: its head and, for a term,
// its forms.
func (e *listEncoder) list(dst []byte, segs []segment, keep int, doc []uint32, term bool, forms []string, formDocs [][]uint32) []byte {
	dst = binary.AppendUvarint(dst, uint64(keep))
	if keep < len(segs) {
		dst = append(dst, segs[keep].impact, segs[len(segs)-1].impact)
		if term {
			dst = appendDocset(dst, doc, e.nDocs)
		}
	}
	dst = appendSegments(dst, segs[:keep], e.nDocs)
	if !term {
		return dst
	}
	dst = binary.AppendUvarint(dst, uint64(len(forms)))
	for i, f := range forms {
		dst = binary.AppendUvarint(dst, uint64(len(f)))
		dst = append(dst, f...)
		// A form's documents, as positions among the term's. Both lists
		// ascend, and a form's documents are all the term's.
		e.pos = e.pos[:0]
		j := 0
		for _, d := range formDocs[i] {
			for doc[j] != d {
				j++
			}
			e.pos = append(e.pos, uint32(j))
		}
		dst = appendDocset(dst, e.pos, len(doc))
	}
	return dst
}
