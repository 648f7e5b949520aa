package search

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"
	"unicode/utf8"
)

// shardBudget is the size a shard is split to stay under, in bytes before
// compression: what a reader's browser inflates and reads for each word of
// a query.
const shardBudget = 10_000

// entry is one member of a shard: a term or a pair, its lookup string (the
// term, or the pair's two terms joined by a space) and its encoded list.
type entry struct {
	str  string
	list encodedList
}

// packShards lays out the term shards and packs them, in key order, and then
// the tails of the lists split. Terms and pairs are laid out together in
// string order, so a pair lives in the shard of the longest key that
// prefixes the pair string: the pairs of a common syllable get shards of
// their own ("kiem d", "kiem n") instead of swelling the syllable's.
func (inv *inverted) packShards(termStr, exStr []string, exTerm []uint32, pairKey []uint64, nDocs int, lim listLimits, reuse *memberCache) shardSet {
	exOff, exacts := groupBy(len(termStr), len(exStr), func(e int) uint32 { return exTerm[e] })
	for t := range termStr {
		slices.SortFunc(exacts[exOff[t]:exOff[t+1]], func(x, y uint32) int {
			return strings.Compare(exStr[x], exStr[y])
		})
	}
	entries := make([]entry, len(termStr)+len(pairKey))
	// Encoded on every core: a large site has millions of postings.
	onEveryCore(len(entries), newListEncoder(nDocs, lim), func(enc *listEncoder, i int) {
		if i >= len(termStr) {
			p := i - len(termStr)
			key := pairKey[p]
			lo, hi := inv.pairOff[p], inv.pairOff[p+1]
			entries[i] = entry{
				str:  pairString(termStr, key),
				list: enc.encode(inv.pairDoc[lo:hi], inv.pairImp[lo:hi], false, nil, nil),
			}
			return
		}
		t := i
		lo, hi := inv.termOff[t], inv.termOff[t+1]
		// The exact forms, the term's own among them, when it has any
		// other: a term that is only ever itself needs none.
		forms, formDocs := termForms(termStr[t], exacts[exOff[t]:exOff[t+1]], exStr, func(e uint32) []uint32 {
			return inv.exDoc[inv.exOff[e]:inv.exOff[e+1]]
		})
		entries[i] = entry{str: termStr[t], list: enc.encode(inv.termDoc[lo:hi], inv.termImp[lo:hi], true, forms, formDocs)}
	})
	slices.SortFunc(entries, func(x, y entry) int { return strings.Compare(x.str, y.str) })

	sorted := make([]string, len(entries))
	l := &layout{terms: sorted, cum: make([]int, len(entries)+1)}
	for k, e := range entries {
		sorted[k] = e.str
		l.cum[k+1] = l.cum[k] + entrySize(e.str, e.list.body)
	}
	root := l.split("", 0, len(entries))
	slices.SortFunc(l.shards, func(x, y shardSpec) int { return strings.Compare(x.key, y.key) })

	// Tails are numbered in the order of their shards and, within a shard,
	// of their entries; firstTail is each shard's first number. A list that
	// comes to be split, or stops being split, renumbers the tails after it
	// and so changes their shards' bytes; an edit seldom moves a list
	// across the limits, the split ones being those of words on most pages.
	set := shardSet{keys: make([]string, 0, len(l.shards))}
	firstTail := make([]int, len(l.shards))
	var tails [][]byte
	for i, sh := range l.shards {
		set.keys = append(set.keys, sh.key)
		firstTail[i] = len(tails)
		for _, r := range sh.ranges {
			for _, e := range entries[r[0]:r[1]] {
				if e.list.tail != nil {
					tails = append(tails, e.list.tail)
				}
			}
		}
	}
	pack, sizes, sums := packMembers(len(l.shards)+len(tails), func(i int) []byte {
		if i >= len(l.shards) {
			return tails[i-len(l.shards)]
		}
		var out []byte
		var prev string
		tail := firstTail[i]
		for _, r := range l.shards[i].ranges {
			for _, e := range entries[r[0]:r[1]] {
				number := 0
				if e.list.tail != nil {
					tail++
					number = tail
				}
				out = appendEntry(out, prev, e.str, number, e.list.body)
				prev = e.str
			}
		}
		return out
	}, reuse)
	set.pack, set.sizes, set.tails = pack, sizes[:len(l.shards)], sizes[len(l.shards):]
	set.root, set.sums = root, sums
	return set
}

// pairString is the string of the pair whose key (its terms' ids, first
// in the high half) is key: its terms joined by a space.
func pairString(termStr []string, key uint64) string {
	return termStr[uint32(key>>32)] + " " + termStr[uint32(key)]
}

// entrySize is the size of an entry in its shard, at most: its string
// whole (the shard shares a prefix with the entry before), its tail
// number and its list.
func entrySize(str string, body []byte) int { return 2 + len(str) + 3 + len(body) }

// promote says which groups of a node whose strings weigh total (sizes
// each group's) get a key of their own: the largest first, until what
// is left is within shardBudget.
func promote(sizes []int, total int) []bool {
	bySize := make([]int, len(sizes))
	for i := range bySize {
		bySize[i] = i
	}
	slices.SortStableFunc(bySize, func(x, y int) int { return cmp.Compare(sizes[y], sizes[x]) })
	promoted := make([]bool, len(sizes))
	for _, i := range bySize {
		if total <= shardBudget {
			break
		}
		promoted[i] = true
		total -= sizes[i]
	}
	return promoted
}

// appendEntry appends an entry of a shard whose string is str, after one
// whose string is prev: number is 0, or 1 + its tail's number, and body
// its list.
func appendEntry(out []byte, prev, str string, number int, body []byte) []byte {
	shared := 0
	for shared < len(prev) && shared < len(str) && prev[shared] == str[shared] {
		shared++
	}
	out = binary.AppendUvarint(out, uint64(shared))
	out = binary.AppendUvarint(out, uint64(len(str)-shared))
	out = append(out, str[shared:]...)
	out = binary.AppendUvarint(out, uint64(number))
	return append(out, body...)
}

// layout chooses the shard keys over the terms in string order, whose
// encoded sizes add up in cum.
type layout struct {
	terms  []string
	cum    []int
	shards []shardSpec
}

// lnode is a key that layout.split placed terms under, with the sizes
// its choices were made from, so that a later Write can tell whether
// changed sizes would make the same choices (see written).
type lnode struct {
	key     string
	leaf    bool // all its terms in its shard, being under the budget
	emitted bool // it has a shard
	// size is a leaf's terms' sizes, or else the size of the term that is
	// the key itself, 0 when there is none.
	size   int
	groups []lgroup // of a node that is not a leaf
}

// lgroup is the terms of a node that share the character after its key.
type lgroup struct {
	next string // that character
	size int
	node *lnode // when the group moved to a key of its own
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
func (l *layout) split(key string, lo, hi int) *lnode {
	total := l.cum[hi] - l.cum[lo]
	if total <= shardBudget {
		l.emit(key, [][2]int{{lo, hi}})
		return &lnode{key: key, leaf: true, emitted: true, size: total}
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
	size := func(g group) int { return l.cum[g.hi] - l.cum[g.lo] }
	sizes := make([]int, len(groups))
	for i, g := range groups {
		sizes[i] = size(g)
	}
	promoted := promote(sizes, total)
	node := &lnode{key: key}
	var kept [][2]int
	if own {
		kept = append(kept, [2]int{lo, lo + 1})
		node.size = l.cum[lo+1] - l.cum[lo]
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
	node.emitted = l.emit(key, kept)
	for i, g := range groups {
		_, size := nextRune(l.terms[g.lo], len(key))
		lg := lgroup{next: l.terms[g.lo][len(key) : len(key)+size], size: l.cum[g.hi] - l.cum[g.lo]}
		if promoted[i] {
			lg.node = l.split(key+lg.next, g.lo, g.hi)
		}
		node.groups = append(node.groups, lg)
	}
	return node
}

// emit adds a shard, and reports whether it did; a key with no terms is
// left out, except "", which the client always finds.
func (l *layout) emit(key string, ranges [][2]int) bool {
	if key != "" && len(ranges) == 0 {
		return false
	}
	l.shards = append(l.shards, shardSpec{key: key, ranges: ranges})
	return true
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

// nextRune is the rune of s at byte i and its size.
func nextRune(s string, i int) (rune, int) {
	return utf8.DecodeRuneInString(s[i:])
}
