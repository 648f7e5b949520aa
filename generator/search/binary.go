package search

import (
	"encoding/binary"
	"errors"
)

// AnalysisVersion changes whenever the encoding of an Analyzed, or what
// Analyze makes of a Doc, does: an analysis kept from another version is
// then refused, and a build's memory of analyses not used.
const AnalysisVersion = 3

// MarshalBinary encodes the analysis, so that a build can keep it on disk
// and the next build index an unchanged page without reading it again.
func (a *Analyzed) MarshalBinary() ([]byte, error) {
	buf := make([]byte, 0, 64+len(a.strs)+len(a.url)+len(a.title)+len(a.snippet)+12*(len(a.terms)+len(a.exacts)+len(a.pairs)))
	buf = binary.AppendUvarint(buf, AnalysisVersion)
	buf = appendStrs(buf, a.url, a.title, a.kind, a.date, a.snippet, a.strs)
	buf = binary.AppendVarint(buf, int64(a.year))
	buf = binary.AppendUvarint(buf, a.length)
	buf = binary.AppendUvarint(buf, uint64(len(a.terms)))
	for _, t := range a.terms {
		buf = appendUvarints(buf, t.off, t.end, t.tf)
	}
	buf = binary.AppendUvarint(buf, uint64(len(a.exacts)))
	for _, e := range a.exacts {
		buf = appendUvarints(buf, e.off, e.end, e.term)
	}
	buf = binary.AppendUvarint(buf, uint64(len(a.pairs)))
	for _, p := range a.pairs {
		buf = appendUvarints(buf, p.a, p.b, p.tf)
	}
	return buf, nil
}

// appendStrs appends each string after its length, as decoder.str reads
// it.
func appendStrs(buf []byte, strs ...string) []byte {
	for _, s := range strs {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

// appendList appends the number of strings, then each, as decoder.strs
// reads them.
func appendList(buf []byte, strs []string) []byte {
	return appendStrs(binary.AppendUvarint(buf, uint64(len(strs))), strs...)
}

func appendUvarints(buf []byte, vs ...uint32) []byte {
	for _, v := range vs {
		buf = binary.AppendUvarint(buf, uint64(v))
	}
	return buf
}

var errBadAnalysis = errors.New("search: not an analysis of this version")

// UnmarshalBinary decodes what MarshalBinary encoded. It checks every
// offset and index, so that a damaged file gives an error, never an
// analysis that panics when indexed.
func (a *Analyzed) UnmarshalBinary(data []byte) error {
	d := decoder{data: data}
	if d.uvarint() != AnalysisVersion {
		return errBadAnalysis
	}
	var out Analyzed
	for _, s := range []*string{&out.url, &out.title, &out.kind, &out.date, &out.snippet, &out.strs} {
		*s = d.str()
	}
	out.year = int(d.varint())
	out.length = d.uvarint()
	n := d.count(3)
	out.terms = make([]aTerm, n)
	for i := range out.terms {
		out.terms[i] = aTerm{off: d.u32(), end: d.u32(), tf: d.u32()}
	}
	out.exacts = make([]aExact, d.count(3))
	for i := range out.exacts {
		out.exacts[i] = aExact{off: d.u32(), end: d.u32(), term: d.u32()}
	}
	out.pairs = make([]aPair, d.count(3))
	for i := range out.pairs {
		out.pairs[i] = aPair{a: d.u32(), b: d.u32(), tf: d.u32()}
	}
	if d.err != nil || len(d.data) != 0 {
		return errBadAnalysis
	}
	span := func(off, end uint32) bool { return off <= end && int(end) <= len(out.strs) }
	for _, t := range out.terms {
		if !span(t.off, t.end) {
			return errBadAnalysis
		}
	}
	for _, e := range out.exacts {
		if !span(e.off, e.end) || int(e.term) >= len(out.terms) {
			return errBadAnalysis
		}
	}
	for _, p := range out.pairs {
		if int(p.a) >= len(out.terms) || int(p.b) >= len(out.terms) {
			return errBadAnalysis
		}
	}
	*a = out
	return nil
}

// decoder reads varints and strings, remembering the first error.
type decoder struct {
	data []byte
	err  error
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.data)
	if n <= 0 {
		d.err, d.data = errBadAnalysis, nil
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.data)
	if n <= 0 {
		d.err, d.data = errBadAnalysis, nil
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *decoder) u32() uint32 {
	v := d.uvarint()
	if v > 1<<32-1 {
		d.err = errBadAnalysis
	}
	return uint32(v)
}

// count reads a length of a list whose items take at least per bytes each,
// refusing one longer than the data could hold.
func (d *decoder) count(per int) int {
	n := d.uvarint()
	if n > uint64(len(d.data)/per) {
		d.err, d.data = errBadAnalysis, nil
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.count(1)
	s := string(d.data[:n])
	d.data = d.data[n:]
	return s
}

// strs reads what appendList wrote.
func (d *decoder) strs() []string {
	list := make([]string, d.count(1))
	for i := range list {
		list[i] = d.str()
	}
	return list
}
