package capacity

import "hash/maphash"

// ownerIndex finds a CSM by the owner column's id, once an account: an
// open-addressed table of hashes and row numbers kept small and dense, so
// that a book of millions of accounts over thousands of CSMs finds each in
// a few neighbouring cache lines, where a map's groups and scattered keys
// cost misses.
type ownerIndex struct {
	seed  maphash.Seed
	slots []ownerSlot // a power of two, at most half full
	ids   []string    // by row
}

// ownerSlot is a row and the high half of its id's hash; row 0 marks an
// empty slot, rows count from 1.
type ownerSlot struct {
	hash uint32
	row  int32
}

func newOwnerIndex(capacity int) ownerIndex {
	n := 16
	for n < 2*capacity {
		n *= 2
	}
	return ownerIndex{seed: maphash.MakeSeed(), slots: make([]ownerSlot, n), ids: make([]string, 0, capacity)}
}

// find returns the row of id, or -1.
func (x *ownerIndex) find(id string) int {
	h := maphash.String(x.seed, id)
	mask := uint64(len(x.slots) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		s := x.slots[j]
		if s.row == 0 {
			return -1
		}
		if s.hash == uint32(h>>32) && x.ids[s.row-1] == id {
			return int(s.row - 1)
		}
	}
}

// add gives id, which the index lacks, the next row, and returns it.
func (x *ownerIndex) add(id string) int {
	x.ids = append(x.ids, id)
	if 2*len(x.ids) > len(x.slots) {
		x.slots = make([]ownerSlot, 2*len(x.slots))
		for row, id := range x.ids {
			x.insert(id, row)
		}
	} else {
		x.insert(id, len(x.ids)-1)
	}
	return len(x.ids) - 1
}

func (x *ownerIndex) insert(id string, row int) {
	h := maphash.String(x.seed, id)
	mask := uint64(len(x.slots) - 1)
	j := h & mask
	for x.slots[j].row != 0 {
		j = (j + 1) & mask
	}
	x.slots[j] = ownerSlot{hash: uint32(h >> 32), row: int32(row + 1)}
}
