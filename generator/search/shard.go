package search

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// shardBudget is the gzipped size a shard is split to stay under.
const shardBudget = 12 * 1024

// gzipRatio is a conservative raw-to-gzipped size ratio of term shards
// (measured ratios on Vietnamese text run from about 2.6 to 4): layout
// estimates instead of compressing, which would cost more than the rest of
// Write.
const gzipRatio = 2.5

// rawBudget is shardBudget in minified JSON bytes.
const rawBudget = shardBudget * gzipRatio

// encoded is every term's shard entry, in term order, in one buffer: entry k
// is the term's "t" member at buf[start[k]:mid[k]] and its pairs' "p"
// members, comma-separated, at buf[mid[k]:end[k]].
type encoded struct {
	buf             []byte
	start, mid, end []int
}

func (e *encoded) size(k int) int {
	n := e.end[k] - e.start[k] + 1
	if e.end[k] > e.mid[k] {
		n++
	}
	return n
}

// writeShards lays out and writes the term shards, returning them in key
// order.
func (inv *inverted) writeShards(termStr, exStr []string, exTerm []uint32, pairKey []uint64, write func(string, []byte) error) (shardSet, error) {
	order := make([]uint32, len(termStr))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(x, y uint32) int { return strings.Compare(termStr[x], termStr[y]) })
	rank := make([]uint32, len(termStr))
	for k, t := range order {
		rank[t] = uint32(k)
	}

	// Pairs and exact forms grouped by (first) term, each group in string
	// order of the second term or of the exact form.
	pairOff, pairs := groupBy(len(termStr), len(pairKey), func(p int) uint32 { return uint32(pairKey[p] >> 32) })
	exOff, exacts := groupBy(len(termStr), len(exStr), func(e int) uint32 { return exTerm[e] })
	for t := range termStr {
		slices.SortFunc(pairs[pairOff[t]:pairOff[t+1]], func(x, y uint32) int {
			return cmp.Compare(rank[uint32(pairKey[x])], rank[uint32(pairKey[y])])
		})
		slices.SortFunc(exacts[exOff[t]:exOff[t+1]], func(x, y uint32) int {
			return strings.Compare(exStr[x], exStr[y])
		})
	}

	enc := &encoded{
		start: make([]int, len(order)),
		mid:   make([]int, len(order)),
		end:   make([]int, len(order)),
	}
	// About 7 bytes a posting: sized once rather than grown by copying.
	enc.buf = make([]byte, 0, 7*(len(inv.termDoc)+len(inv.pairDoc))+2*len(inv.exDoc)+16*(len(termStr)+len(pairKey)))
	buf := enc.buf
	for k, t := range order {
		enc.start[k] = len(buf)
		buf = appendString(buf, termStr[t])
		buf = append(buf, `:{"p":`...)
		lo, hi := inv.termOff[t], inv.termOff[t+1]
		buf = appendPostings(buf, inv.termDoc[lo:hi], inv.termImp[lo:hi])
		if ex := exacts[exOff[t]:exOff[t+1]]; len(ex) > 0 {
			buf = append(buf, `,"x":{`...)
			for i, e := range ex {
				if i > 0 {
					buf = append(buf, ',')
				}
				buf = appendString(buf, exStr[e])
				buf = append(buf, ':')
				buf = appendDocs(buf, inv.exDoc[inv.exOff[e]:inv.exOff[e+1]])
			}
			buf = append(buf, '}')
		}
		buf = append(buf, '}')
		enc.mid[k] = len(buf)
		for i, p := range pairs[pairOff[t]:pairOff[t+1]] {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendPairKey(buf, termStr[t], termStr[uint32(pairKey[p])])
			buf = append(buf, ':')
			lo, hi := inv.pairOff[p], inv.pairOff[p+1]
			buf = appendPostings(buf, inv.pairDoc[lo:hi], inv.pairImp[lo:hi])
		}
		enc.end[k] = len(buf)
	}
	enc.buf = buf

	sorted := make([]string, len(order))
	for k, t := range order {
		sorted[k] = termStr[t]
	}
	l := &layout{terms: sorted, cum: make([]int, len(order)+1)}
	for k := range order {
		l.cum[k+1] = l.cum[k] + enc.size(k)
	}
	l.split("", 0, len(order))
	slices.SortFunc(l.shards, func(x, y shardSpec) int { return strings.Compare(x.key, y.key) })

	// One fingerprint for all shards, so that the manifest lists keys
	// only: the shards are a function of the encoded entries and the
	// layout, both known before any is written.
	h := sha256.New()
	h.Write(enc.buf)
	set := shardSet{keys: make([]string, 0, len(l.shards))}
	for _, sh := range l.shards {
		fmt.Fprintf(h, "\x00%s\x00%v", sh.key, sh.ranges)
		set.keys = append(set.keys, sh.key)
	}
	set.hash = hex.EncodeToString(h.Sum(nil))[:8]
	var out []byte
	for _, sh := range l.shards {
		out = append(out[:0], `{"t":{`...)
		first := true
		for _, r := range sh.ranges {
			for k := r[0]; k < r[1]; k++ {
				if !first {
					out = append(out, ',')
				}
				first = false
				out = append(out, enc.buf[enc.start[k]:enc.mid[k]]...)
			}
		}
		out = append(out, `},"p":{`...)
		first = true
		for _, r := range sh.ranges {
			for k := r[0]; k < r[1]; k++ {
				if enc.end[k] == enc.mid[k] {
					continue
				}
				if !first {
					out = append(out, ',')
				}
				first = false
				out = append(out, enc.buf[enc.mid[k]:enc.end[k]]...)
			}
		}
		out = append(out, "}}"...)
		name := "t/" + shardFileName(sh.key) + "." + set.hash + ".json"
		if err := write(name, out); err != nil {
			return shardSet{}, err
		}
	}
	return set, nil
}

// layout chooses the shard keys over the terms in string order, whose
// encoded sizes add up in cum.
type layout struct {
	terms  []string
	cum    []int
	shards []shardSpec
}

// shardSpec is one shard: its key and the ranges of terms (in string order)
// it holds.
type shardSpec struct {
	key    string
	ranges [][2]int
}

// split places the terms lo..hi-1, which all start with key and have no
// longer key, in the shard of key or in shards of longer keys. It moves the
// largest groups of terms sharing the next character to keys of their own
// until what stays is under the budget, so that small groups share their
// parent's shard rather than making a file each.
func (l *layout) split(key string, lo, hi int) {
	total := l.cum[hi] - l.cum[lo]
	if total <= rawBudget {
		l.emit(key, [][2]int{{lo, hi}})
		return
	}
	type group struct{ lo, hi int }
	var groups []group
	j := lo
	own := j < hi && len(l.terms[j]) == len(key)
	if own {
		j++
	}
	for j < hi {
		_, size := nextRune(l.terms[j], len(key))
		next := l.terms[j][len(key) : len(key)+size]
		k := j + 1
		for k < hi && strings.HasPrefix(l.terms[k][len(key):], next) {
			k++
		}
		groups = append(groups, group{j, k})
		j = k
	}
	bySize := make([]int, len(groups))
	for i := range bySize {
		bySize[i] = i
	}
	size := func(g group) int { return l.cum[g.hi] - l.cum[g.lo] }
	slices.SortStableFunc(bySize, func(x, y int) int { return cmp.Compare(size(groups[y]), size(groups[x])) })
	promoted := make([]bool, len(groups))
	rest := total
	for _, i := range bySize {
		if rest <= rawBudget {
			break
		}
		promoted[i] = true
		rest -= size(groups[i])
	}
	var kept [][2]int
	if own {
		kept = append(kept, [2]int{lo, lo + 1})
	}
	for i, g := range groups {
		if promoted[i] {
			continue
		}
		if n := len(kept); n > 0 && kept[n-1][1] == g.lo {
			kept[n-1][1] = g.hi
		} else {
			kept = append(kept, [2]int{g.lo, g.hi})
		}
	}
	l.emit(key, kept)
	for i, g := range groups {
		if promoted[i] {
			_, size := nextRune(l.terms[g.lo], len(key))
			l.split(l.terms[g.lo][:len(key)+size], g.lo, g.hi)
		}
	}
}

// emit adds a shard; a key with no terms is left out, except "", which the
// client always finds.
func (l *layout) emit(key string, ranges [][2]int) {
	if key != "" && len(ranges) == 0 {
		return
	}
	l.shards = append(l.shards, shardSpec{key: key, ranges: ranges})
}

// groupBy returns the items 0..n-1 grouped by key (ids below groups), in
// ascending item order within a group: group g is items[off[g]:off[g+1]].
func groupBy(groups, n int, key func(int) uint32) (off []uint32, items []uint32) {
	off = make([]uint32, groups+1)
	for i := 0; i < n; i++ {
		off[key(i)+1]++
	}
	prefixSum(off)
	pos := slices.Clone(off[:groups])
	items = make([]uint32, n)
	for i := 0; i < n; i++ {
		g := key(i)
		items[pos[g]] = uint32(i)
		pos[g]++
	}
	return off, items
}

// appendPostings appends a JSON array of document deltas and impacts.
func appendPostings(dst []byte, doc []uint32, imp []uint8) []byte {
	dst = append(dst, '[')
	prev := uint32(0)
	for i, d := range doc {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(d-prev), 10)
		dst = append(dst, ',')
		dst = strconv.AppendUint(dst, uint64(imp[i]), 10)
		prev = d
	}
	return append(dst, ']')
}

// appendDocs appends a JSON array of document deltas.
func appendDocs(dst []byte, doc []uint32) []byte {
	dst = append(dst, '[')
	prev := uint32(0)
	for i, d := range doc {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(d-prev), 10)
		prev = d
	}
	return append(dst, ']')
}

// nextRune is the rune of s at byte i and its size.
func nextRune(s string, i int) (rune, int) {
	return utf8.DecodeRuneInString(s[i:])
}
