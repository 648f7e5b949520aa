package search

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// This file reads the binary shards and tails as the package comment
// describes them, byte for byte, independently of the encoder: the tests
// check the index through it, and the reference query evaluator runs on
// what it reads.

// tlist is one term's or pair's list as a reader holds it.
type tlist struct {
	pair bool
	// docs are the documents known to have it, ascending, and imps their
	// impacts, 0 for a document whose impact is in the tail: every
	// document of a term, of a whole pair, or of a split pair's head.
	docs []int
	imps []int
	// tail is the number of the tail not merged yet, or -1; tailMax and
	// tailMin bound the impacts in it.
	tail             int
	tailMax, tailMin int
	// forms are a term's exact forms in the shard's order, and formDocs
	// the documents of each.
	forms    []string
	formDocs map[string][]int
}

// whole tells whether every document and impact of the list is known.
func (l *tlist) whole() bool { return l.tail < 0 }

// impact is the impact of document d, 0 if d is not known to be in the
// list or its impact is in the tail.
func (l *tlist) impact(d int) int {
	if i, ok := slices.BinarySearch(l.docs, d); ok {
		return l.imps[i]
	}
	return 0
}

// byteReader reads uvarints and bytes, remembering the first error.
type byteReader struct {
	data []byte
	err  error
}

func (r *byteReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
	r.data = nil
}

func (r *byteReader) uvarint() int {
	v, shift := 0, 0
	for i, c := range r.data {
		if shift > 49 {
			break
		}
		v |= int(c&0x7f) << shift
		if c < 0x80 {
			r.data = r.data[i+1:]
			return v
		}
		shift += 7
	}
	r.fail("truncated or overlong number")
	return 0
}

func (r *byteReader) byte() int {
	if len(r.data) == 0 {
		r.fail("truncated")
		return 0
	}
	c := r.data[0]
	r.data = r.data[1:]
	return int(c)
}

func (r *byteReader) bytes(n int) []byte {
	if n > len(r.data) {
		r.fail("truncated: %d bytes wanted, %d left", n, len(r.data))
		return nil
	}
	b := r.data[:n]
	r.data = r.data[n:]
	return b
}

// docset reads a docset of positions below u.
func (r *byteReader) docset(u int) []int {
	h := r.uvarint()
	var out []int
	switch kind, n := h&3, h>>2; {
	case kind == setBitmap && n == 0:
		for i, b := range r.bytes((u + 7) / 8) {
			for bit := range 8 {
				if b&(1<<bit) != 0 {
					out = append(out, i*8+bit)
				}
			}
		}
	case kind == setList || kind == setComplement:
		if n > len(r.data) {
			r.fail("docset of %d positions in %d bytes", n, len(r.data))
			return nil
		}
		listed := make([]int, n)
		p := 0
		for i := range listed {
			d := r.uvarint()
			if i > 0 && d == 0 {
				r.fail("docset not ascending")
			}
			p += d
			listed[i] = p
		}
		out = listed
		if kind == setComplement {
			out = nil
			j := 0
			for p := range u {
				if j < len(listed) && listed[j] == p {
					j++
					continue
				}
				out = append(out, p)
			}
		}
	default:
		r.fail("docset kind %d", h)
	}
	if len(out) > 0 && out[len(out)-1] >= u {
		r.fail("position %d of %d", out[len(out)-1], u)
	}
	return out
}

// docImp is a document and its impact in a list.
type docImp struct{ doc, imp int }

// segments reads n segments, or all that are left when n < 0, whose
// impacts descend from below under, and appends each document with its
// impact to out, in the order read.
func (r *byteReader) segments(n, nDocs, under int, out []docImp) (_ []docImp, last int) {
	last = under
	for i := 0; n < 0 && len(r.data) > 0 || i < n; i++ {
		imp := r.byte()
		if imp < 1 || imp >= last {
			r.fail("segment impact %d after %d", imp, last)
			return out, last
		}
		last = imp
		for _, d := range r.docset(nDocs) {
			out = append(out, docImp{d, imp})
		}
	}
	return out, last
}

// byDoc sorts what segments read by document, failing when a document is
// in two segments.
func (r *byteReader) byDoc(ps []docImp) []docImp {
	slices.SortFunc(ps, func(a, b docImp) int { return cmp.Compare(a.doc, b.doc) })
	for i := 1; i < len(ps); i++ {
		if ps[i].doc == ps[i-1].doc {
			r.fail("document %d in two segments", ps[i].doc)
			break
		}
	}
	return ps
}

// readShard reads one shard's entries.
func readShard(data []byte, nDocs int) (map[string]*tlist, error) {
	r := &byteReader{data: data}
	out := map[string]*tlist{}
	var prev string
	for r.err == nil && len(r.data) > 0 {
		shared := r.uvarint()
		rest := r.bytes(r.uvarint())
		if shared > len(prev) {
			return nil, fmt.Errorf("entry after %q shares %d bytes with it", prev, shared)
		}
		str := prev[:shared] + string(rest)
		if str <= prev && len(out) > 0 {
			return nil, fmt.Errorf("entry %q after %q", str, prev)
		}
		prev = str
		l := &tlist{pair: strings.Contains(str, " "), tail: r.uvarint() - 1}
		head := r.uvarint()
		var members []int
		if l.tail >= 0 {
			l.tailMax, l.tailMin = r.byte(), r.byte()
			if l.tailMin < 1 || l.tailMin > l.tailMax {
				return nil, fmt.Errorf("%q: tail impacts %d..%d", str, l.tailMin, l.tailMax)
			}
			if !l.pair {
				members = r.docset(nDocs)
			}
		}
		ps, last := r.segments(head, nDocs, 256, nil)
		ps = r.byDoc(ps)
		if l.tail >= 0 && last <= l.tailMax {
			return nil, fmt.Errorf("%q: head down to impact %d, tail from %d", str, last, l.tailMax)
		}
		if members == nil {
			members = make([]int, len(ps))
			for i, p := range ps {
				members[i] = p.doc
			}
		}
		l.docs = members
		l.imps = make([]int, len(members))
		// Both ascend: walk them side by side.
		i := 0
		for _, p := range ps {
			for i < len(members) && members[i] < p.doc {
				i++
			}
			if i == len(members) || members[i] != p.doc {
				return nil, fmt.Errorf("%q: document %d in the head, not in its documents", str, p.doc)
			}
			l.imps[i] = p.imp
		}
		if !l.pair {
			n := r.uvarint()
			l.formDocs = map[string][]int{}
			for range n {
				f := string(r.bytes(r.uvarint()))
				var docs []int
				for _, p := range r.docset(len(members)) {
					docs = append(docs, members[p])
				}
				if _, dup := l.formDocs[f]; dup || len(docs) == 0 {
					return nil, fmt.Errorf("%q: form %q twice or empty", str, f)
				}
				l.forms = append(l.forms, f)
				l.formDocs[f] = docs
			}
		}
		if r.err == nil {
			out[str] = l
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("after %q: %w", prev, r.err)
	}
	return out, nil
}

// readTail reads a tail: its documents and impacts.
func readTail(data []byte, nDocs int) (map[int]int, error) {
	r := &byteReader{data: data}
	ps, _ := r.segments(-1, nDocs, 256, nil)
	imps := map[int]int{}
	for _, p := range r.byDoc(ps) {
		imps[p.doc] = p.imp
	}
	if r.err == nil && len(imps) == 0 {
		r.err = errors.New("empty tail")
	}
	return imps, r.err
}

// withTail is l with its tail, whose documents and impacts are tail, merged.
func (l *tlist) withTail(tail map[int]int) (*tlist, error) {
	w := *l
	w.tail = -1
	all := map[int]int{}
	for i, d := range l.docs {
		if l.imps[i] != 0 {
			all[d] = l.imps[i]
		}
	}
	for d, imp := range tail {
		if _, dup := all[d]; dup {
			return nil, fmt.Errorf("document %d in the head and the tail", d)
		}
		if imp < l.tailMin || imp > l.tailMax {
			return nil, fmt.Errorf("tail impact %d outside %d..%d", imp, l.tailMin, l.tailMax)
		}
		all[d] = imp
	}
	w.docs = slices.Sorted(maps.Keys(all))
	if !l.pair && !slices.Equal(w.docs, l.docs) {
		return nil, fmt.Errorf("head and tail have %d documents, the list says %d", len(w.docs), len(l.docs))
	}
	w.imps = make([]int, len(w.docs))
	for i, d := range w.docs {
		w.imps[i] = all[d]
	}
	return &w, nil
}
