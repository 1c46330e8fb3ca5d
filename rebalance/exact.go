package rebalance

import (
	"cmp"
	"math"
	"slices"
)

// exact searches every assignment of the accounts that may move, largest
// first, by depth-first branch and bound: staying first, then the CSMs of
// the account's group with the most room. A branch is cut when a CSM is
// above its maximum (loads only grow as accounts are placed), when the
// bound of what remains cannot beat the best found, or when the moves
// would pass MaxMoves. The heuristic's answer, when it fits, is the first
// incumbent. Run to the end, the best found is optimal and the bound is
// its disruption; with no assignment found, none exists.
func exact(p *Problem, start *state) Solution {
	var order []int
	base := make([]float64, len(p.CSMs))
	for a, acc := range p.Accounts {
		if p.movable(a) {
			order = append(order, a)
		} else {
			base[acc.Owner] += acc.Hours
		}
	}
	byHours(p, order)
	x := &search{p: p, order: order, base: base, b: newBounder(p), best: math.Inf(1), owner: slices.Clone(start.owner),
		limit: cmp.Or(p.NodeLimit, DefaultNodeLimit)}
	x.lo, x.hi = x.b.lo, x.b.hi
	x.pure = true
	for _, acc := range p.Accounts {
		if acc.Group != p.CSMs[acc.Owner].Group {
			x.pure = false
		}
	}
	x.choices = make([][]int, len(order))
	for i, a := range order {
		if !p.forced(a) {
			x.choices[i] = append(x.choices[i], p.Accounts[a].Owner)
		}
		for c := range p.CSMs {
			if p.eligible(a, c) {
				x.choices[i] = append(x.choices[i], c)
			}
		}
	}
	root := x.b.bound(order, base)

	if h := newState(p); true {
		h.heuristic()
		if h.fits() && h.withinMoves() {
			x.best, x.bestOwner = h.cost, slices.Clone(h.owner)
		}
	}
	if root.feasible {
		if p.Weight == WeightAccounts {
			// Costs are whole moves: deepen the number allowed from the
			// bound up, so that the first assignment found is optimal and
			// each pass before it proves that fewer moves cannot do.
			for k := math.Ceil(root.weight - tolerance); k < x.best-tolerance && !x.cut; k++ {
				x.cap, x.capped = k, false
				x.dfs(0, 0, 0)
				if !x.capped {
					break // the whole tree fitted under the cap: nothing more to find
				}
			}
		} else {
			x.cap = math.Inf(1)
			x.dfs(0, 0, 0)
		}
	}

	s := newState(p)
	sol := Solution{LowerBound: root.weight, Exact: !x.cut}
	if x.bestOwner == nil {
		sol = s.solution()
		sol.LowerBound, sol.Exact = root.weight, !x.cut
		if !x.cut {
			sol.Proven = true
			sol.Reason = "no assignment keeps every staying CSM within the band under the guardrails (frozen and locked accounts, segments, matched attributes, the cap on moves)"
		} else {
			sol.Reason = "the search ended at its node limit without an assignment within the band"
		}
		return sol
	}
	for a, c := range x.bestOwner {
		s.move(a, c)
	}
	sol = s.solution()
	sol.Feasible = true
	sol.Exact = !x.cut
	sol.LowerBound = root.weight
	if !x.cut {
		sol.LowerBound = s.cost // proven optimal: nothing cheaper exists
	}
	return sol
}

type search struct {
	p         *Problem
	order     []int
	choices   [][]int
	base      []float64
	lo, hi    []float64
	b         *bounder
	owner     []int
	best      float64
	bestOwner []int
	nodes     int
	limit     int
	cut       bool
	// pure: every account is of its owner's group, so groups fill apart.
	pure bool
	// cap is the most this pass may spend (iterative deepening); capped
	// says the pass cut a branch for it.
	cap    float64
	capped bool
}

// dfs places order[i:], with cost and moves spent so far.
func (x *search) dfs(i int, cost float64, moves int) {
	if x.nodes++; x.nodes > x.limit {
		x.cut = true
		return
	}
	p := x.p
	if i == len(x.order) {
		for c := range p.CSMs {
			if x.base[c] < x.lo[c]-tolerance {
				return
			}
		}
		if cost < x.best-tolerance {
			x.best, x.bestOwner = cost, slices.Clone(x.owner)
		}
		return
	}
	if !x.roomFor(i) {
		return
	}
	r := x.b.bound(x.order[i:], x.base)
	if r.feasible && cost+r.weight > x.cap+tolerance && cost+r.weight < x.best-tolerance {
		x.capped = true
	}
	if !r.feasible || cost+r.weight >= x.best-tolerance || cost+r.weight > x.cap+tolerance || p.MaxMoves > 0 && moves+r.moves > p.MaxMoves {
		return
	}
	a := x.order[i]
	acc := &p.Accounts[a]
	choices := x.choices[i]
	// The owner first (free), then the roomiest CSMs.
	slices.SortStableFunc(choices, func(c, d int) int {
		if (c == acc.Owner) != (d == acc.Owner) {
			if c == acc.Owner {
				return -1
			}
			return 1
		}
		return cmp.Compare(x.hi[d]-x.base[d], x.hi[c]-x.base[c])
	})
	for _, c := range choices {
		if x.base[c]+acc.Hours > x.hi[c]+tolerance {
			continue
		}
		w, m := 0.0, 0
		if c != acc.Owner {
			w, m = p.weight(a), 1
		}
		x.base[c] += acc.Hours
		x.owner[a] = c
		x.dfs(i+1, cost+w, moves+m)
		x.base[c] -= acc.Hours
		x.owner[a] = acc.Owner
		if x.cut {
			return
		}
	}
}

// roomFor checks, group by group, that the accounts left (order[i:]) fit
// in the room the CSMs have below their maxima and can make up their
// deficits below their minima, and that each one fits somewhere: the
// relaxation in which accounts split.
func (x *search) roomFor(i int) bool {
	p := x.p
	left := map[string]float64{}
	for k, a := range x.order[i:] {
		acc := &p.Accounts[a]
		left[acc.Group] += acc.Hours
		fits := false
		for _, c := range x.choices[i+k] {
			if x.base[c]+acc.Hours <= x.hi[c]+tolerance {
				fits = true
				break
			}
		}
		if !fits {
			return false
		}
	}
	room, deficit := map[string]float64{}, map[string]float64{}
	for c, csm := range p.CSMs {
		if csm.Departing || csm.Unbanded {
			continue
		}
		room[csm.Group] += max(0, x.hi[c]-x.base[c])
		deficit[csm.Group] += max(0, x.lo[c]-x.base[c])
	}
	// An account of one group may stay with an owner of another: those
	// hours need no room of their group, so only the book-wide sums are
	// sure when groups mix.
	var l, r, d float64
	for g, h := range left {
		l += h
		if x.pure && h > room[g]+tolerance {
			return false
		}
	}
	for g := range room {
		r += room[g]
		d += deficit[g]
		if x.pure && deficit[g] > left[g]+tolerance {
			return false
		}
	}
	return l <= r+tolerance && d <= l+tolerance
}
