package search

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// minSlot is the smallest document slot of the documents pack: it holds
// the display data of a typical page, its snippet text cut to about 1,300
// characters, compressed.
const minSlot = 1024

// deflateLevel is the compression of every member of the packs: raw DEFLATE at
// the speed a web server compresses on the fly, so that the packs cost a
// build little and a reader what a gzipping server would send.
const deflateLevel = flate.BestSpeed

// compressor deflates one member at a time into its own buffer.
type compressor struct {
	w   *flate.Writer
	buf bytes.Buffer
}

func newCompressor() *compressor {
	c := &compressor{}
	c.w, _ = flate.NewWriter(&c.buf, deflateLevel) // the level is valid
	return c
}

// deflate returns src compressed; the result is valid until the next call.
func (c *compressor) deflate(src []byte) []byte {
	c.buf.Reset()
	c.w.Reset(&c.buf)
	c.w.Write(src) // writes to a bytes.Buffer do not fail
	c.w.Close()
	return c.buf.Bytes()
}

// withCompressors calls fn(c, i) for i in 0..n-1 on every core, each
// goroutine with its own compressor.
func withCompressors(n int, fn func(c *compressor, i int)) {
	onEveryCore(n, newCompressor, fn)
}

// inParallel calls fn(i) for i in 0..n-1 on every core.
func inParallel(n int, fn func(i int)) {
	onEveryCore(n, func() struct{} { return struct{}{} }, func(_ struct{}, i int) { fn(i) })
}

// onEveryCore calls fn(s, i) for i in 0..n-1 on every core, each goroutine
// with its own state s, made by newState.
func onEveryCore[S any](n int, newState func() S, fn func(s S, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			s := newState()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(s, i)
			}
		})
	}
	wg.Wait()
}

// packMembers deflates each of n members, the bytes member(i) returns,
// and returns them end to end with each one's compressed size and the sum
// of its bytes. A member that reuse has, by that sum, is taken from there
// rather than compressed again.
func packMembers(n int, member func(i int) []byte, reuse *memberCache) (pack []byte, sizes []int, sums []memberSum) {
	parts := make([][]byte, n)
	sums = make([]memberSum, n)
	withCompressors(n, func(c *compressor, i int) {
		sums[i], parts[i] = reuse.make(c, member(i))
	})
	pack, sizes = concat(parts)
	return pack, sizes, sums
}

// concat returns parts end to end, and each one's size.
func concat(parts [][]byte) (pack []byte, sizes []int) {
	sizes = make([]int, len(parts))
	total := 0
	for i, p := range parts {
		sizes[i] = len(p)
		total += len(p)
	}
	pack = make([]byte, 0, total)
	for _, p := range parts {
		pack = append(pack, p...)
	}
	return pack, sizes
}

// memberSum identifies a member of a pack by its bytes: the first half of
// its SHA-256.
type memberSum [16]byte

func sumOf(raw []byte) memberSum {
	full := sha256.Sum256(raw)
	return memberSum(full[:16])
}

// memberCache is the compressed members of the packs of the last Write,
// by the sums of their bytes (old), and those of this Write (now): since
// the output of DEFLATE depends on its input alone, a member whose bytes
// did not change is the same bytes, and an edit compresses only the
// members it changed. See Builder.members.
type memberCache struct {
	old map[memberSum][]byte
	mu  sync.Mutex
	now map[memberSum][]byte
}

// make returns the sum of a member's bytes raw and the member: the last
// Write's when it had those bytes, or else raw compressed now.
func (r *memberCache) make(c *compressor, raw []byte) (memberSum, []byte) {
	sum := sumOf(raw)
	part, ok := r.old[sum]
	if !ok {
		part = bytes.Clone(c.deflate(raw))
	}
	r.mu.Lock()
	r.now[sum] = part
	r.mu.Unlock()
	return sum, part
}

// packDocs lays out the documents' display data in slots of one size, the
// returned slot: document n's at n·slot, as a 2-byte big-endian length L,
// L bytes of DEFLATE data, the 8-byte sum of what they were made from
// (docSum), and zeros to the end of the slot. A document whose data do not
// fit has its snippet text cut at a word boundary until they do, and then
// its title; the slot grows past minSlot (in steps of 256 bytes, to at most
// 64 KiB) only for a document whose address alone does not fit. A slot of
// prev, the docs pack the index replaces, with the sum a document's slot
// would have is taken as it is: an edit compresses only the pages it
// changed. known, when not nil, tells the sums of the slots of the last
// Write; packDocs returns the sums of the slots it makes.
func packDocs(docs []*docRec, kindIx map[string]int, prev []byte, known *knownSlots) (pack []byte, slot int, sums []uint64, err error) {
	slot = minSlot
	for {
		old := slotsBySum(prev, slot)
		pack = make([]byte, len(docs)*slot)
		sums = make([]uint64, len(docs))
		need, long := 0, ""
		var mu sync.Mutex
		withCompressors(len(docs), func(c *compressor, i int) {
			s, d := pack[i*slot:(i+1)*slot], docs[i]
			// A page that did not change since the last Write, whose
			// sum that Write knew, finds its slot without its JSON.
			if known != nil && slot == known.slot && !known.changed[d] {
				if o, ok := old[known.sums[i]]; ok {
					copy(s, o)
					sums[i] = known.sums[i]
					return
				}
			}
			raw := appendDoc(nil, d, kindIx[d.kind], d.title, d.snippet)
			sum := docSum(raw, slot)
			sums[i] = sum
			if o, ok := old[sum]; ok {
				copy(s, o)
				return
			}
			data, ok := fitDoc(c, raw, d, kindIx[d.kind], slot-slotOverhead)
			if !ok {
				mu.Lock()
				if len(data)+slotOverhead > need {
					need, long = len(data)+slotOverhead, d.url
				}
				mu.Unlock()
				return
			}
			binary.BigEndian.PutUint16(s, uint16(len(data)))
			copy(s[2:], data)
			binary.BigEndian.PutUint64(s[2+len(data):], sum)
		})
		if need == 0 {
			return pack, slot, sums, nil
		}
		// A slot's length must fit in 2 bytes.
		if need > 1<<16 {
			return nil, 0, nil, fmt.Errorf("the address of page %.200s is too long to be a search result", long)
		}
		slot = (need + 255) / 256 * 256
	}
}

// knownSlots are the sums of the slots of the last Write, of a size,
// which hold for the documents of the same numbers but those changed.
type knownSlots struct {
	sums    []uint64
	slot    int
	changed map[*docRec]bool
}

// slotOverhead is a slot's bytes besides its data: length and sum.
const slotOverhead = 2 + 8

// docSum is the sum a document's slot carries: of the document's whole
// JSON, before any cut, and of the slot size, which decide the slot.
func docSum(raw []byte, slot int) uint64 {
	h := fnv.New64a()
	h.Write(raw)
	binary.Write(h, binary.BigEndian, uint32(slot))
	return h.Sum64()
}

// slotsBySum indexes the slots of a docs pack by their sums, reading it
// in slots of the given size; a pack of another slot size yields nothing
// useful, since the size is in every sum.
func slotsBySum(pack []byte, slot int) map[uint64][]byte {
	if len(pack)%slot != 0 {
		return nil
	}
	m := make(map[uint64][]byte, len(pack)/slot)
	for off := 0; off < len(pack); off += slot {
		s := pack[off : off+slot]
		if n := int(binary.BigEndian.Uint16(s)); n+slotOverhead <= slot {
			m[binary.BigEndian.Uint64(s[2+n:])] = s
		}
	}
	return m
}

// fitDoc compresses document d's display data, whose whole JSON is raw,
// into at most room bytes, cutting its snippet text as needed and then its
// title, and reports whether it fits.
//
// Deflate makes a snippet of this length about two thirds of its size,
// so the first try cuts the snippet to firstTry times the room: most
// documents then fit in one deflate, where cutting from the whole snippet
// took three. A first try that leaves much of the room empty is grown once.
func fitDoc(c *compressor, raw []byte, d *docRec, kind, room int) ([]byte, bool) {
	title, snippet := d.title, d.snippet
	n := int(firstTry * float64(room))
	cut := len(snippet) > n
	if cut {
		snippet = cutWords(snippet, n)
		raw = appendDoc(raw[:0], d, kind, title, snippet)
	}
	data := c.deflate(raw)
	if len(data) > room {
		return fitCut(c, raw, data, d, kind, room, title, snippet)
	}
	if !cut || float64(len(data)) >= fullEnough*float64(room) {
		return data, true
	}
	fits := bytes.Clone(data)
	grown := d.snippet
	if keep := scaled(len(snippet), room, len(data)); keep < len(grown) {
		grown = cutWords(grown, keep)
	}
	if data := c.deflate(appendDoc(raw[:0], d, kind, title, grown)); len(data) <= room {
		return data, true
	}
	return fits, true
}

// scaled is the length of text, of which n bytes deflated to got, that
// would about fill room: n in proportion, a little less, so that one or
// two tries usually suffice.
func scaled(n, room, got int) int { return int(float64(n) * float64(room) / float64(got) * 0.97) }

// firstTry is the length of fitDoc's first snippet, in bytes per byte of
// room; fullEnough is the part of the room a first try must fill not to
// be grown.
const (
	firstTry   = 1.4
	fullEnough = 0.8
)

// fitCut cuts the title and snippet of raw, whose deflated data is too
// long for room, until the data fits.
func fitCut(c *compressor, raw, data []byte, d *docRec, kind, room int, title, snippet string) ([]byte, bool) {
	for {
		if len(data) <= room || title == "" && snippet == "" {
			return data, len(data) <= room
		}
		cut := func(s string) string { return cutWords(s, min(scaled(len(s), room, len(data)), len(s)-1)) }
		if snippet != "" {
			snippet = cut(snippet)
		} else {
			title = cut(title)
		}
		raw = appendDoc(raw[:0], d, kind, title, snippet)
		data = c.deflate(raw)
	}
}

// appendDoc appends the JSON of a document's display data, with the
// title and snippet text given.
func appendDoc(f []byte, d *docRec, kind int, title, snippet string) []byte {
	f = append(f, `{"t":`...)
	f = appendString(f, title)
	f = append(f, `,"u":`...)
	f = appendString(f, d.url)
	f = append(f, `,"k":`...)
	f = strconv.AppendInt(f, int64(kind), 10)
	f = append(f, `,"d":`...)
	f = appendString(f, d.date)
	f = append(f, `,"s":`...)
	f = appendString(f, snippet)
	return append(f, '}')
}

// cutWords cuts s to at most n bytes, at the last space within them when
// there is one, and never inside a character.
func cutWords(s string, n int) string {
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	s = s[:n]
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	return s
}
