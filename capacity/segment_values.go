package capacity

import (
	"math"
	"math/bits"
	"sort"
)

// arrValues keeps the ARR of each account of a segment, for exact
// quantiles. The values sit in chunks of arrChunk: growing a book of 10^7
// accounts then never copies what is kept, and never holds more than one
// partly filled chunk beyond it, where one slice would copy every value
// again at each growth and briefly hold both copies. The first chunk grows
// by append, so that a small book costs a small slice.
type arrValues struct {
	chunks [][]float64
	n      int
}

const (
	arrChunkBits = 13
	arrChunk     = 1 << arrChunkBits // 64 KiB of values
	arrChunkMask = arrChunk - 1
)

func (v *arrValues) add(x float64) {
	last := len(v.chunks) - 1
	if last < 0 || len(v.chunks[last]) == arrChunk {
		var c []float64
		if last >= 0 {
			c = make([]float64, 0, arrChunk)
		}
		v.chunks = append(v.chunks, c)
		last++
	}
	v.chunks[last] = append(v.chunks[last], x)
	v.n++
}

func (v *arrValues) at(i int) float64 { return v.chunks[i>>arrChunkBits][i&arrChunkMask] }

func (v *arrValues) swap(i, j int) {
	a, b := &v.chunks[i>>arrChunkBits][i&arrChunkMask], &v.chunks[j>>arrChunkBits][j&arrChunkMask]
	*a, *b = *b, *a
}

// percentileInc returns what PercentileInc returns for the values in
// order, without sorting them: it moves the value of rank floor(p x (n -
// 1)) into place (introselect, linear on average) and takes the next one
// as the smallest after it. from says that every value before it is
// already at most every value from it on (an earlier call with a smaller
// p left it so), and at is what this call leaves for the next.
func (v *arrValues) percentileInc(p float64, from int) (value float64, at int) {
	n := v.n
	if n == 0 {
		return 0, 0
	}
	rank := p * float64(n-1)
	lo := int(math.Floor(rank))
	if lo >= n-1 {
		v.selectRank(from, n-1, n-1)
		return v.at(n - 1), n - 1
	}
	v.selectRank(from, n-1, lo)
	next := v.at(lo + 1)
	for i := lo + 2; i < n; i++ {
		next = min(next, v.at(i))
	}
	frac := rank - float64(lo)
	x := v.at(lo)
	return x + frac*(next-x), lo
}

// selectRank reorders v[lo..hi] so that v[k] holds the value of rank k in
// it, with none greater before it and none smaller after it. Past a depth
// of about 2 log2(n) partitions, which only chosen inputs reach, it sorts
// what remains instead, so that it never takes more than n log n.
func (v *arrValues) selectRank(lo, hi, k int) {
	budget := 2 * bits.Len(uint(hi-lo+1))
	for hi > lo {
		if budget--; budget < 0 {
			sort.Sort(arrRange{v, lo, hi + 1})
			return
		}
		// The median of three as pivot, which also bounds both scans.
		mid := int(uint(lo+hi) >> 1)
		if v.at(mid) < v.at(lo) {
			v.swap(mid, lo)
		}
		if v.at(hi) < v.at(lo) {
			v.swap(hi, lo)
		}
		if v.at(hi) < v.at(mid) {
			v.swap(hi, mid)
		}
		pivot := v.at(mid)
		i, j := lo, hi
		for i <= j {
			for i < hi && v.at(i) < pivot {
				i++
			}
			for j > lo && v.at(j) > pivot {
				j--
			}
			if i <= j {
				v.swap(i, j)
				i++
				j--
			}
		}
		// Now v[lo..j] <= pivot <= v[i..hi], and what lies between equals
		// the pivot.
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

// arrRange sorts v[lo:hi].
type arrRange struct {
	v      *arrValues
	lo, hi int
}

func (r arrRange) Len() int           { return r.hi - r.lo }
func (r arrRange) Less(i, j int) bool { return r.v.at(r.lo+i) < r.v.at(r.lo+j) }
func (r arrRange) Swap(i, j int)      { r.v.swap(r.lo+i, r.lo+j) }
