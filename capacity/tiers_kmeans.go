package capacity

import (
	"math"
	"slices"
)

// This file holds the exact 1-D k-means behind SuggestTiers: the dynamic
// programme of Ckmeans.1d.dp (Wang & Song, "Ckmeans.1d.dp: optimal k-means
// clustering in one dimension by dynamic programming", 2011), each layer
// solved by SMAWK as in Grønlund et al., "Fast exact k-means, k-medians and
// Bregman divergence clustering in 1D" (2017).
//
// Over sorted points x[0..m) with weights w, D[q][i] is the least weighted
// within-cluster sum of squares of x[0..i] in q clusters:
//
//	D[q][i] = min over j <= i of D[q-1][j-1] + sse(j, i)
//
// where j starts the last cluster. sse comes from prefix sums in O(1) and
// satisfies the quadrangle inequality, so each layer's matrix
// A[i][j] = D[q-1][j-1] + sse(j, i) (+Inf past the diagonal) is totally
// monotone and SMAWK finds all its row minima in O(m). k layers: O(k m).

// reduceRatio is how many columns per row a SMAWK level tolerates before it
// runs REDUCE. Scanning columns in order is cheap and predictable; REDUCE's
// comparisons are data-dependent branches that cost several times more
// each. Skipping REDUCE until a level has more than 32 columns per row keeps
// the work linear (at most log2(32)+1 = 6 full scans of the columns between
// two REDUCEs, a geometric series overall) and measured about 35% faster
// than REDUCE at every level on a million log-normal values.
const reduceRatio = 32

// point holds the running sums of the points before index j, and
// D[q-1][j-1]: everything matrix column j needs, in one 32-byte record.
type point struct {
	w   float64 // total weight
	sx  float64 // sum of w x
	sxx float64 // sum of w x^2
	d   float64 // D[q-1][j-1] of the layer being filled
}

// kmeans1D is the working state of one clustering.
type kmeans1D struct {
	pts         []point   // m+1 records
	cur         []float64 // D[q][i] of the layer being filled
	arg         []int32   // its argmins, from row base on
	base        int
	cols        []int32 // column lists of the SMAWK levels
	reduceRatio int
}

// kmeansResult is an optimal clustering: cluster c holds points
// starts[c] .. starts[c+1]-1, the last one running to the end.
type kmeansResult struct {
	starts []int
	// within is the weighted within-cluster sum of squares, total the sum
	// of squares about the overall mean.
	within, total float64
}

// posInf is a matrix entry past the diagonal: a cluster cannot end before
// it starts.
var posInf = math.Inf(1)

// cluster clusters the strictly increasing points x, of positive weights w,
// into min(k, len(x)) contiguous clusters with the least weighted
// within-cluster sum of squares. It is deterministic: the same points give
// the same clusters.
func cluster(x, w []float64, k int) kmeansResult {
	return clusterWith(x, w, k, reduceRatio)
}

func clusterWith(x, w []float64, k, ratio int) kmeansResult {
	m := len(x)
	if m == 0 {
		return kmeansResult{}
	}
	k = min(k, m)
	km := &kmeans1D{pts: make([]point, m+1), reduceRatio: ratio}
	// Centring on the middle point keeps the prefix sums small, so that the
	// subtraction in sse loses little.
	shift := x[m/2]
	var acc point
	for i, xi := range x {
		d := xi - shift
		acc.w += w[i]
		acc.sx += w[i] * d
		acc.sxx += w[i] * d * d
		km.pts[i+1] = acc
	}
	res := kmeansResult{starts: make([]int, k), total: km.sse(0, m-1)}
	if k > 1 {
		km.layers(k, res.starts)
	}
	for c, j := range res.starts {
		end := m - 1
		if c+1 < k {
			end = res.starts[c+1] - 1
		}
		res.within += km.sse(j, end)
	}
	return res
}

// layers runs the dynamic programme for k >= 2 clusters and writes where
// each cluster starts.
func (km *kmeans1D) layers(k int, starts []int) {
	m := len(km.pts) - 1
	// Layer q (1-based) needs rows i in [q-1, m-k+q-1]: its q clusters end
	// at i, and k-q clusters of at least one point each follow.
	span := m - k + 1
	for i := range span {
		km.pts[i+1].d = km.sse(0, i)
	}
	// The argmins of layers 2..k-1, for the backtrack; layer k needs only
	// its last row.
	args := make([]int32, (k-2)*span)
	km.cur = make([]float64, m)
	km.cols = make([]int32, 2*span)
	for q := 2; q < k; q++ {
		lo := q - 1
		top := km.cols[:span]
		for t := range top {
			top[t] = int32(lo + t)
		}
		km.arg, km.base = args[(q-2)*span:(q-1)*span], lo
		km.smawk(lo, 1, span, top, km.cols[span:])
		// Row i of this layer is column i+1 of the next.
		for i := lo; i < lo+span; i++ {
			km.pts[i+1].d = km.cur[i]
		}
	}

	// Layer k: only the row of the last point.
	last := m - 1
	best, bestJ := posInf, k-1
	for j := k - 1; j <= last; j++ {
		if v := km.at(last, int32(j)); v < best {
			best, bestJ = v, j
		}
	}
	starts[k-1] = bestJ
	i := bestJ - 1
	for q := k - 1; q >= 2; q-- {
		j := int(args[(q-2)*span+i-(q-1)])
		starts[q-1] = j
		i = j - 1
	}
	starts[0] = 0
}

// sse is the weighted sum of squared deviations of points j..i from their
// weighted mean: 0 for a single point, and never negative despite rounding.
func (km *kmeans1D) sse(j, i int) float64 {
	if j == i {
		return 0
	}
	a, b := &km.pts[j], &km.pts[i+1]
	s := b.sx - a.sx
	return max((b.sxx-a.sxx)-s*s/(b.w-a.w), 0)
}

// at is the matrix entry A[i][j] of the layer being filled.
func (km *kmeans1D) at(i int, j int32) float64 {
	if int(j) > i {
		return posInf
	}
	a, b := &km.pts[j], &km.pts[i+1]
	s := b.sx - a.sx
	return a.d + (b.sxx - a.sxx) - s*s/(b.w-a.w)
}

// smawk sets cur[r] and arg[r-base] to the leftmost minimum of each of the
// nr rows r0, r0+step, ..., searching cols, which hold every one of those
// minima in increasing order. buf is scratch for the deeper levels' column
// lists.
func (km *kmeans1D) smawk(r0, step, nr int, cols, buf []int32) {
	if nr == 0 {
		return
	}
	s := cols
	if len(cols) > km.reduceRatio*nr {
		s = km.reduce(r0, step, nr, cols, buf)
		buf = buf[len(s):]
	}

	// The odd rows first, on the same columns.
	km.smawk(r0+step, 2*step, nr/2, s, buf)

	// Then each even row, between the minima of its odd neighbours.
	k := 0
	for t := 0; t < nr; t += 2 {
		r := r0 + t*step
		hi := s[len(s)-1]
		if t+1 < nr {
			hi = km.arg[r+step-km.base]
		}
		b := km.pts[r+1]
		bestC := s[k]
		a := &km.pts[bestC]
		d := b.sx - a.sx
		best := a.d + (b.sxx - a.sxx) - d*d/(b.w-a.w)
		for c := bestC; c != hi; {
			k++
			c = s[k]
			if int(c) > r {
				// Past the diagonal; the next row starts its search here,
				// which is at or before its lower bound.
				break
			}
			a := &km.pts[c]
			d := b.sx - a.sx
			// x < best, with x = a.d + dxx - d*d/n, without dividing.
			if n := b.w - a.w; (a.d+(b.sxx-a.sxx)-best)*n < d*d {
				best, bestC = a.d+(b.sxx-a.sxx)-d*d/n, c
			}
		}
		km.cur[r] = best
		km.arg[r-km.base] = bestC
	}
}

// reduce keeps at most nr of cols, dropping those that cannot hold the
// minimum of any of the rows r0, r0+step, ...: the t-th column on the stack
// is one that no later column beats at the t-th row.
func (km *kmeans1D) reduce(r0, step, nr int, cols, buf []int32) []int32 {
	s := buf[:0]
	for _, c := range cols {
		a := &km.pts[c]
		for len(s) > 0 {
			r := r0 + (len(s)-1)*step
			if int(c) > r {
				break
			}
			// Keep the top when A[r][top] <= A[r][c]; with
			// A = p - s^2/n, cross-multiplied so as not to divide.
			b, t := &km.pts[r+1], &km.pts[s[len(s)-1]]
			nt, nc := b.w-t.w, b.w-a.w
			st, sc := b.sx-t.sx, b.sx-a.sx
			pt, pc := t.d+(b.sxx-t.sxx), a.d+(b.sxx-a.sxx)
			if (pt-pc)*nt*nc <= st*st*nc-sc*sc*nt {
				break
			}
			s = s[:len(s)-1]
		}
		if len(s) < nr {
			s = append(s, c)
		}
	}
	return s
}

// radixMin is the length from which sortPositive uses a radix sort; below
// it the standard library's sort is as fast.
const radixMin = 1 << 12

// sortPositive sorts positive finite values in increasing order. Their
// IEEE 754 bit patterns order as the values do, so a least-significant-digit
// radix sort on 11-bit digits does it in six linear passes (fewer when a
// digit is the same throughout, as the exponent's high bits usually are):
// several times faster than a comparison sort on a million values.
func sortPositive(v []float64) {
	if len(v) < radixMin {
		slices.Sort(v)
		return
	}
	const (
		digitBits = 11
		buckets   = 1 << digitBits
		digits    = (64 + digitBits - 1) / digitBits
	)
	var counts [digits][buckets]int
	for _, x := range v {
		u := math.Float64bits(x)
		for d := range digits {
			counts[d][(u>>(digitBits*d))&(buckets-1)]++
		}
	}
	tmp := make([]float64, len(v))
	src, dst := v, tmp
	for d := range digits {
		c := &counts[d]
		shift := uint(digitBits * d)
		if c[(math.Float64bits(src[0])>>shift)&(buckets-1)] == len(v) {
			continue
		}
		sum := 0
		for b := range c {
			c[b], sum = sum, sum+c[b]
		}
		for _, x := range src {
			b := (math.Float64bits(x) >> shift) & (buckets - 1)
			dst[c[b]] = x
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &v[0] {
		copy(v, src)
	}
}
