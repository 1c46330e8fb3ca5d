package rebalance

import (
	"cmp"
	"slices"
)

// The lower bound. Accounts not yet placed (remaining) either stay with
// their owner or move, at their weight; every other account sits where
// base says. Three things no assignment escapes:
//   - an account whose owner departs moves;
//   - a CSM whose base plus its own remaining accounts is above its
//     maximum sheds the excess, and shedding E hours takes at least the
//     least weight of its own accounts that covers E (for accounts, the
//     fewest of its largest; for hours, E; for ARR, the fractional
//     knapsack at the best ARR per hour);
//   - a CSM below its minimum with all its own accounts receives the
//     deficit from accounts of its group, at the same least weight.
// Sheds are disjoint across CSMs and so are receipts, and the departing
// CSMs shed outside both sums, so the larger of (forced + sheds) and
// receipts bounds the weight of any assignment, and the same sums in
// accounts bound the number of moves.

// boundResult is a bound on what remains: its weight and moves, or
// infeasible when some CSM can never reach its band.
type boundResult struct {
	weight   float64
	moves    int
	feasible bool
}

// bounder holds the scratch the bound reuses from one call to the next.
type bounder struct {
	p       *Problem
	lo, hi  []float64
	stay    []float64
	byOwner [][]int
	byGroup map[string][]int
}

func newBounder(p *Problem) *bounder {
	b := &bounder{p: p, stay: make([]float64, len(p.CSMs)), byOwner: make([][]int, len(p.CSMs)), byGroup: map[string][]int{}}
	b.lo, b.hi = p.bounds()
	return b
}

// bound bounds the cost of placing remaining (sorted by hours, largest
// first) on top of base.
func (b *bounder) bound(remaining []int, base []float64) boundResult {
	p := b.p
	clear(b.stay)
	for c := range b.byOwner {
		b.byOwner[c] = b.byOwner[c][:0]
	}
	for g := range b.byGroup {
		b.byGroup[g] = b.byGroup[g][:0]
	}
	var out boundResult
	out.feasible = true
	var forcedW float64
	var forcedN int
	for _, a := range remaining {
		acc := &p.Accounts[a]
		if p.forced(a) {
			forcedW += p.weight(a)
			forcedN++
		} else {
			b.stay[acc.Owner] += acc.Hours
			b.byOwner[acc.Owner] = append(b.byOwner[acc.Owner], a)
		}
		b.byGroup[acc.Group] = append(b.byGroup[acc.Group], a)
	}
	var shedW, inW float64
	var shedN, inN int
	for c, csm := range p.CSMs {
		if csm.Departing {
			continue
		}
		if e := base[c] + b.stay[c] - b.hi[c]; e > tolerance {
			w, n, ok := b.cover(b.byOwner[c], -1, e)
			if !ok {
				return boundResult{}
			}
			shedW, shedN = shedW+w, shedN+n
		}
		if d := b.lo[c] - base[c] - b.stay[c]; d > tolerance {
			w, n, ok := b.cover(b.byGroup[csm.Group], c, d)
			if !ok {
				return boundResult{}
			}
			inW, inN = inW+w, inN+n
		}
	}
	out.weight = max(forcedW+shedW, inW)
	out.moves = max(forcedN+shedN, inN)
	if n, ok := b.combined(remaining, base); !ok {
		return boundResult{}
	} else if n > out.moves {
		out.moves = n
		if p.Weight == WeightAccounts {
			out.weight = float64(n)
		}
	}
	return out
}

// combined counts moves from both ends at once. The CSMs below their
// minimum must gain their deficits net, and only accounts of CSMs not
// below theirs can bring them; the forced moves and each CSM above its
// maximum's fewest sheds (its largest accounts at most) bring some, and
// each further account is one more move, at most as large as the largest
// left. So the moves are at least the forced, the sheds, and the fewest of
// the largest other accounts that make up what is still missing. Groups
// count apart when every account is of its owner's group (no account can
// then cross from one to another); else the book counts as one group.
func (b *bounder) combined(remaining []int, base []float64) (int, bool) {
	p := b.p
	split := true
	for _, a := range remaining {
		if p.Accounts[a].Group != p.CSMs[p.Accounts[a].Owner].Group {
			split = false
			break
		}
	}
	key := func(g string) string {
		if split {
			return g
		}
		return ""
	}
	type tally struct {
		brought, deficit float64
		moves            int
		pool             []int
	}
	groups := map[string]*tally{}
	at := func(g string) *tally {
		k := key(g)
		if groups[k] == nil {
			groups[k] = &tally{}
		}
		return groups[k]
	}
	under := make([]bool, len(p.CSMs))
	top := make([]int, len(p.CSMs)) // how many of each CSM's largest it sheds
	for c, csm := range p.CSMs {
		if csm.Departing {
			continue
		}
		if d := b.lo[c] - base[c] - b.stay[c]; d > tolerance {
			under[c] = true
			at(csm.Group).deficit += d
		}
		if e := base[c] + b.stay[c] - b.hi[c]; e > tolerance {
			var sum float64
			for _, a := range b.byOwner[c] {
				if sum >= e-tolerance {
					break
				}
				sum += p.Accounts[a].Hours
				top[c]++
			}
			t := at(csm.Group)
			t.brought += sum
			t.moves += top[c]
		}
	}
	seen := make([]int, len(p.CSMs))
	for _, a := range remaining {
		acc := &p.Accounts[a]
		t := at(acc.Group)
		switch {
		case p.forced(a):
			t.brought += acc.Hours
			t.moves++
		case under[acc.Owner]:
		default:
			if seen[acc.Owner] < top[acc.Owner] {
				seen[acc.Owner]++ // among its sheds, counted above
				continue
			}
			t.pool = append(t.pool, a) // largest first, as remaining is
		}
	}
	total := 0
	for _, t := range groups {
		missing := t.deficit - t.brought
		for _, a := range t.pool {
			if missing <= tolerance {
				break
			}
			missing -= p.Accounts[a].Hours
			t.moves++
		}
		if missing > tolerance {
			return 0, false
		}
		total += t.moves
	}
	return total, true
}

// cover is the least weight, and the fewest accounts, of list (largest
// hours first) whose hours reach need, leaving out those owned by skip
// (-1: none). ok is false when all of them fall short.
func (b *bounder) cover(list []int, skip int, need float64) (weight float64, count int, ok bool) {
	p := b.p
	var sum float64
	var candidates []int
	for _, a := range list {
		if p.Accounts[a].Owner == skip {
			continue
		}
		if sum < need-tolerance {
			count++
		}
		sum += p.Accounts[a].Hours
		if p.Weight == WeightARR {
			candidates = append(candidates, a)
		} else if sum >= need-tolerance {
			break
		}
	}
	if sum < need-tolerance {
		return 0, 0, false
	}
	switch p.Weight {
	case WeightHours:
		return need, count, true
	case WeightARR:
		// The fractional knapsack: the cheapest ARR per hour first.
		slices.SortFunc(candidates, func(x, y int) int {
			ax, ay := &p.Accounts[x], &p.Accounts[y]
			return cmp.Compare(ax.ARR*ay.Hours, ay.ARR*ax.Hours)
		})
		left := need
		for _, a := range candidates {
			acc := &p.Accounts[a]
			if left <= tolerance {
				break
			}
			if acc.Hours <= 0 {
				continue
			}
			take := min(acc.Hours, left)
			weight += acc.ARR * take / acc.Hours
			left -= take
		}
		return weight, count, true
	}
	return float64(count), count, true
}

// byHours sorts account indexes by hours, largest first, ties by index.
func byHours(p *Problem, as []int) {
	slices.SortStableFunc(as, func(x, y int) int { return cmp.Compare(p.Accounts[y].Hours, p.Accounts[x].Hours) })
}

// lowerBound is the bound on the whole book: every account that may move
// not yet placed, the rest where they are.
func (s *state) lowerBound() float64 {
	p := s.p
	base := make([]float64, len(p.CSMs))
	var remaining []int
	for a, acc := range p.Accounts {
		if p.movable(a) {
			remaining = append(remaining, a)
		} else {
			base[acc.Owner] += acc.Hours
		}
	}
	byHours(p, remaining)
	r := newBounder(p).bound(remaining, base)
	return r.weight
}
