package search

import "hash/maphash"

// The analyzer's hash tables. Go maps cost a document more in growth and
// hashing than all the rest of the work; these open-addressing tables are
// sized from the text up front and keep the hash beside each slot.

// strIndex maps strings, kept by the caller in a slice, to their positions
// in that slice.
type strIndex struct {
	seed  maphash.Seed
	slots []uint64 // hash<<32 | position+1; 0 is empty
	n     int
}

func newStrIndex(seed maphash.Seed, hint int) strIndex {
	return strIndex{seed: seed, slots: make([]uint64, tableSize(hint))}
}

// tableSize is a power of two at least twice hint, so the load stays under
// a half.
func tableSize(hint int) int {
	n := 16
	for n < 2*hint {
		n <<= 1
	}
	return n
}

func (x *strIndex) hash(s string) uint32 {
	return uint32(maphash.String(x.seed, s))
}

// find returns the position of s in keys, or -1 and the slot to insert at.
func (x *strIndex) find(keys []string, s string, h uint32) (pos int32, slot int) {
	mask := len(x.slots) - 1
	i := int(h) & mask
	for {
		v := x.slots[i]
		if v == 0 {
			return -1, i
		}
		if uint32(v>>32) == h && keys[uint32(v)-1] == s {
			return int32(uint32(v) - 1), i
		}
		i = (i + 1) & mask
	}
}

// insert records that the key with hash h is at pos, in the slot find
// returned.
func (x *strIndex) insert(slot int, h uint32, pos int32) {
	x.slots[slot] = uint64(h)<<32 | uint64(pos+1)
	x.n++
	if 2*x.n > len(x.slots) {
		x.grow()
	}
}

func (x *strIndex) grow() {
	old := x.slots
	x.slots = make([]uint64, 2*len(old))
	mask := len(x.slots) - 1
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := int(uint32(v>>32)) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = v
	}
}

// pairIndex maps pair keys (first<<32 | second) to positions. It is reused
// from document to document: a slot whose gen is not the table's is empty,
// so starting over costs nothing.
type pairIndex struct {
	slots []pairSlot
	n     int
	gen   uint32
}

type pairSlot struct {
	key uint64
	pos uint32
	gen uint32
}

func newPairIndex(hint int) pairIndex {
	return pairIndex{slots: make([]pairSlot, tableSize(hint)), gen: 1}
}

// reset empties the table.
func (x *pairIndex) reset() {
	x.n = 0
	x.gen++
	if x.gen == 0 {
		clear(x.slots)
		x.gen = 1
	}
}

func pairHash(key uint64) uint32 {
	return uint32((key * 0x9E3779B97F4A7C15) >> 32)
}

// find returns the position of key, or -1 and the slot to insert at.
func (x *pairIndex) find(key uint64) (pos int32, slot int) {
	mask := len(x.slots) - 1
	i := int(pairHash(key)) & mask
	for {
		s := &x.slots[i]
		if s.gen != x.gen {
			return -1, i
		}
		if s.key == key {
			return int32(s.pos), i
		}
		i = (i + 1) & mask
	}
}

func (x *pairIndex) insert(slot int, key uint64, pos int32) {
	x.slots[slot] = pairSlot{key: key, pos: uint32(pos), gen: x.gen}
	x.n++
	if 2*x.n > len(x.slots) {
		old := x.slots
		x.slots = make([]pairSlot, 2*len(old))
		mask := len(x.slots) - 1
		for _, s := range old {
			if s.gen != x.gen {
				continue
			}
			i := int(pairHash(s.key)) & mask
			for x.slots[i].gen == x.gen {
				i = (i + 1) & mask
			}
			x.slots[i] = s
		}
	}
}
