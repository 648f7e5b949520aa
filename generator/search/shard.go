package search

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// shardBudget is the compressed size (in the terms pack) a shard is split
// to stay under.
const shardBudget = 12 * 1024

// rawBudget is shardBudget in minified JSON bytes, by a conservative
// ratio of a shard's JSON to its compressed size, 2.4 (measured ratios on
// Vietnamese text run from about 2.5 to 8): the layout estimates instead of
// compressing each candidate shard, which would cost more than the rest of
// Write.
const rawBudget = shardBudget * 24 / 10

// entry is one member of a shard: a term's "t" member, or a pair's "p"
// member, at buf[from:to] of the encoded buffer, under its lookup string
// (the term, or the pair's two terms joined by a space).
type entry struct {
	str      string
	pair     bool
	from, to int
}

// packShards lays out the term shards and packs them, in key order. Terms
// and pairs are laid out together in string order, so a pair lives in the
// shard of the longest key that prefixes the pair string: the pairs of a common syllable get shards of their own
// ("kiem d", "kiem n") instead of swelling the syllable's.
func (inv *inverted) packShards(termStr, exStr []string, exTerm []uint32, pairKey []uint64, reuse *memberCache) shardSet {
	exOff, exacts := groupBy(len(termStr), len(exStr), func(e int) uint32 { return exTerm[e] })
	for t := range termStr {
		slices.SortFunc(exacts[exOff[t]:exOff[t+1]], func(x, y uint32) int {
			return strings.Compare(exStr[x], exStr[y])
		})
	}
	// About 7 bytes a posting: sized once rather than grown by copying.
	buf := make([]byte, 0, 7*(len(inv.termDoc)+len(inv.pairDoc))+2*len(inv.exDoc)+16*(len(termStr)+len(pairKey)))
	entries := make([]entry, 0, len(termStr)+len(pairKey))
	for t := range termStr {
		from := len(buf)
		buf = appendString(buf, termStr[t])
		buf = append(buf, `:{"p":`...)
		lo, hi := inv.termOff[t], inv.termOff[t+1]
		buf = appendPostings(buf, inv.termDoc[lo:hi], inv.termImp[lo:hi])
		// The exact forms, the term's own among them, when it has any
		// other: a term that is only ever itself needs none.
		if ex := exacts[exOff[t]:exOff[t+1]]; len(ex) > 1 || len(ex) == 1 && exStr[ex[0]] != termStr[t] {
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
		entries = append(entries, entry{str: termStr[t], from: from, to: len(buf)})
	}
	for p, key := range pairKey {
		a, b := termStr[uint32(key>>32)], termStr[uint32(key)]
		from := len(buf)
		buf = appendPairKey(buf, a, b)
		buf = append(buf, ':')
		lo, hi := inv.pairOff[p], inv.pairOff[p+1]
		buf = appendPostings(buf, inv.pairDoc[lo:hi], inv.pairImp[lo:hi])
		entries = append(entries, entry{str: a + " " + b, pair: true, from: from, to: len(buf)})
	}
	slices.SortFunc(entries, func(x, y entry) int { return strings.Compare(x.str, y.str) })

	sorted := make([]string, len(entries))
	l := &layout{terms: sorted, cum: make([]int, len(entries)+1)}
	for k, e := range entries {
		sorted[k] = e.str
		l.cum[k+1] = l.cum[k] + e.to - e.from + 1
	}
	l.split("", 0, len(entries))
	slices.SortFunc(l.shards, func(x, y shardSpec) int { return strings.Compare(x.key, y.key) })

	set := shardSet{keys: make([]string, 0, len(l.shards))}
	for _, sh := range l.shards {
		set.keys = append(set.keys, sh.key)
	}
	set.pack, set.sizes = packMembers(len(l.shards), func(i int) []byte {
		out := []byte(`{"t":{`)
		for _, pairs := range []bool{false, true} {
			if pairs {
				out = append(out, `},"p":{`...)
			}
			first := true
			for _, r := range l.shards[i].ranges {
				for _, e := range entries[r[0]:r[1]] {
					if e.pair != pairs {
						continue
					}
					if !first {
						out = append(out, ',')
					}
					first = false
					out = append(out, buf[e.from:e.to]...)
				}
			}
		}
		return append(out, "}}"...)
	}, reuse)
	return set
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
// parent's shard rather than making a shard each.
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
