package rebalance

import (
	"cmp"
	"slices"
)

// heuristic moves accounts greedily from the current assignment:
//  1. every account of a departing CSM is released, and each CSM above
//     its maximum releases the cheapest set of its own accounts that
//     covers the excess (for accounts: the fewest, the largest);
//  2. the released accounts of each group cover as many of the group's
//     CSMs below their minimum as they can (the smallest deficits first,
//     each by the smallest account that covers it, else by the largest
//     ones), and the rest go to the roomiest CSMs of the group;
//  3. each CSM still below its minimum takes accounts already moved, then
//     accounts of CSMs above their own minimum, the largest that fit;
//  4. a moved account goes back to its owner wherever both ends stay
//     within the band.
//
// It keeps every guardrail; it may fail to fit the band, which the caller
// reports.
func (s *state) heuristic() {
	p := s.p
	groups := map[string][]int{}
	for c, csm := range p.CSMs {
		if !csm.Departing && !csm.Unbanded {
			groups[csm.Group] = append(groups[csm.Group], c)
		}
	}
	byOwner := make([][]int, len(p.CSMs))
	for a, acc := range p.Accounts {
		byOwner[acc.Owner] = append(byOwner[acc.Owner], a)
	}
	for c := range byOwner {
		byHours(p, byOwner[c])
	}
	s.distribute(groups, s.release(byOwner))
	s.fill(groups, byOwner)
	s.undo()
}

// roomiest is the CSM of group that can take h more hours within its
// maximum, preferring the one furthest below its minimum (an account it
// takes is one move fewer to fill it later), else the one with the most
// room; -1 when none can.
func (s *state) roomiest(group []int, h float64, not int) int {
	best, deficit, room := -1, 0.0, 0.0
	for _, c := range group {
		if c == not {
			continue
		}
		r := s.hi[c] - s.load[c] - h
		if r < -tolerance {
			continue
		}
		d := s.lo[c] - s.load[c]
		if best < 0 || d > deficit+tolerance || d > -tolerance && deficit > -tolerance && d >= deficit-tolerance && r > room || d <= -tolerance && deficit <= -tolerance && r > room {
			best, deficit, room = c, d, r
		}
	}
	return best
}

// release lifts out of their CSMs' loads the accounts that must move: all
// of a departing CSM's, and each overloaded CSM's cheapest set covering
// its excess. They keep their owner until distribute lands them.
func (s *state) release(byOwner [][]int) []int {
	p := s.p
	var out []int
	for c, csm := range p.CSMs {
		if csm.Departing {
			out = append(out, byOwner[c]...)
		}
	}
	for _, c := range s.over() {
		var own []int
		for _, a := range byOwner[c] {
			if !p.Accounts[a].Fixed {
				own = append(own, a)
			}
		}
		for _, a := range s.shedOrder(own, s.load[c]-s.hi[c]) {
			if s.load[c] <= s.hi[c]+tolerance {
				break
			}
			out = append(out, a)
			s.load[c] -= p.Accounts[a].Hours
		}
	}
	for c, csm := range p.CSMs {
		if csm.Departing {
			for _, a := range byOwner[c] {
				s.load[c] -= p.Accounts[a].Hours
			}
		}
	}
	return out
}

// land puts a released account on CSM c.
func (s *state) land(a, c int) {
	s.load[c] += s.p.Accounts[a].Hours
	if c == s.owner[a] {
		return
	}
	s.owner[a] = c
	s.changed[a] = true
	s.moved++
	s.cost += s.p.weight(a)
}

// distribute lands the released accounts, group by group: first covering
// the CSMs below their minimum, as many as possible, then the roomiest.
// An account that fits nowhere goes back to its owner (or, from a
// departing CSM, to the least loaded CSM of its group): the answer then
// does not fit the band, and says so.
func (s *state) distribute(groups map[string][]int, released []int) {
	p := s.p
	items := map[string][]int{}
	for _, a := range released {
		items[p.Accounts[a].Group] = append(items[p.Accounts[a].Group], a)
	}
	for g, list := range items {
		byHours(p, list) // largest first
		used := make([]bool, len(list))
		var short []int
		for _, c := range groups[g] {
			if s.load[c] < s.lo[c]-tolerance {
				short = append(short, c)
			}
		}
		slices.SortFunc(short, func(x, y int) int { return cmp.Compare(s.lo[x]-s.load[x], s.lo[y]-s.load[y]) })
		fits := func(i, c int) bool { return !used[i] && s.load[c]+p.Accounts[list[i]].Hours <= s.hi[c]+tolerance }
		// One account each where one covers: the smallest that does.
		for _, c := range short {
			need := s.lo[c] - s.load[c]
			pick := -1
			for i := range list {
				if fits(i, c) && p.Accounts[list[i]].Hours >= need-tolerance {
					pick = i // largest first: the last that covers is the smallest
				}
			}
			if pick >= 0 {
				used[pick] = true
				s.land(list[pick], c)
			}
		}
		// The rest by the largest, then the smallest that covers.
		for _, c := range short {
			for s.load[c] < s.lo[c]-tolerance {
				need := s.lo[c] - s.load[c]
				pick := -1
				for i := range list {
					if !fits(i, c) {
						continue
					}
					if pick < 0 || p.Accounts[list[i]].Hours >= need-tolerance {
						pick = i
					}
				}
				if pick < 0 {
					break
				}
				used[pick] = true
				s.land(list[pick], c)
			}
		}
		for i, a := range list {
			if used[i] {
				continue
			}
			to := s.roomiest(groups[g], p.Accounts[a].Hours, -1)
			if to < 0 {
				to = p.Accounts[a].Owner
				if p.CSMs[to].Departing {
					for _, c := range groups[g] {
						if to == p.Accounts[a].Owner || s.load[c]/s.hi[c] < s.load[to]/s.hi[to] {
							to = c
						}
					}
				}
			}
			s.land(a, to)
		}
	}
}

// over lists the staying CSMs above their maximum, the most over first.
func (s *state) over() []int {
	var out []int
	for c, csm := range s.p.CSMs {
		if !csm.Departing && s.load[c] > s.hi[c]+tolerance {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(x, y int) int { return cmp.Compare(s.load[y]-s.hi[y], s.load[x]-s.hi[x]) })
	return out
}

// shedOrder orders own (largest first) so that taking accounts from the
// front until excess is covered costs the least: for accounts, the fewest
// (the largest); for hours, the
// smallest overshoot; for ARR, the least ARR per hour. The rest follow,
// for when a receiver cannot take one.
func (s *state) shedOrder(own []int, excess float64) []int {
	p := s.p
	out := slices.Clone(own)
	switch p.Weight {
	case WeightARR:
		slices.SortStableFunc(out, func(x, y int) int {
			ax, ay := &p.Accounts[x], &p.Accounts[y]
			return cmp.Compare(ax.ARR*ay.Hours, ay.ARR*ax.Hours)
		})
		return out
	case WeightHours:
		// Largest below what is left, then the smallest that covers it.
		var picked []int
		used := make([]bool, len(out))
		left := excess
		for left > tolerance {
			k := -1
			for i, a := range out {
				if !used[i] && p.Accounts[a].Hours <= left+tolerance {
					k = i
					break
				}
			}
			if k < 0 {
				for i := len(out) - 1; i >= 0; i-- {
					if !used[i] {
						k = i
						break
					}
				}
			}
			if k < 0 {
				break
			}
			used[k] = true
			picked = append(picked, out[k])
			left -= p.Accounts[out[k]].Hours
		}
		for i, a := range out {
			if !used[i] {
				picked = append(picked, a)
			}
		}
		return picked
	}
	// Accounts: the fewest, the largest: the most hours per move, which
	// the CSMs below their minimum take.
	return out
}

func (s *state) fill(groups map[string][]int, byOwner [][]int) {
	p := s.p
	var short []int
	for c, csm := range p.CSMs {
		if !csm.Departing && s.load[c] < s.lo[c]-tolerance {
			short = append(short, c)
		}
	}
	slices.SortFunc(short, func(x, y int) int { return cmp.Compare(s.lo[y]-s.load[y], s.lo[x]-s.load[x]) })
	pools := map[string][]int{} // each group's accounts that may move, largest first
	for a, acc := range p.Accounts {
		if p.movable(a) {
			pools[acc.Group] = append(pools[acc.Group], a)
		}
	}
	for g := range pools {
		byHours(p, pools[g])
	}
	for _, c := range short {
		// Its own accounts moved away come back first: no move at all.
		for _, a := range byOwner[c] {
			if from := s.owner[a]; from != c && s.load[c] < s.lo[c]-tolerance && s.canGive(a, from) && s.load[c]+p.Accounts[a].Hours <= s.hi[c]+tolerance {
				s.move(a, c)
			}
		}
		pool := pools[p.CSMs[c].Group]
		for s.load[c] < s.lo[c]-tolerance {
			need := s.lo[c] - s.load[c]
			// An account already moved is redirected at no cost; else the
			// smallest that covers what is missing, or the largest.
			pick, free := -1, false
			for _, a := range pool {
				from := s.owner[a]
				h := p.Accounts[a].Hours
				if from == c || p.Accounts[a].Owner == c || !s.canGive(a, from) || s.load[c]+h > s.hi[c]+tolerance {
					continue
				}
				if s.changed[a] {
					if !free || h >= need-tolerance && p.Accounts[pick].Hours > h || p.Accounts[pick].Hours < need-tolerance && h > p.Accounts[pick].Hours {
						pick, free = a, true
					}
					continue
				}
				if free {
					continue
				}
				if pick < 0 {
					pick = a // pool is largest first
				}
			}
			if pick < 0 {
				break
			}
			s.move(pick, c)
		}
	}
}

// canGive reports whether CSM from may give up account a: a departing CSM
// always, another only if it stays at or above its minimum.
func (s *state) canGive(a, from int) bool {
	return s.p.CSMs[from].Departing || s.load[from]-s.p.Accounts[a].Hours >= s.lo[from]-tolerance
}

// undo takes back every move that the band does not need.
func (s *state) undo() {
	p := s.p
	for a := range p.Accounts {
		if !s.changed[a] || p.forced(a) {
			continue
		}
		home, at := p.Accounts[a].Owner, s.owner[a]
		h := p.Accounts[a].Hours
		if s.load[home]+h <= s.hi[home]+tolerance && s.load[at]-h >= s.lo[at]-tolerance {
			s.move(a, home)
		}
	}
}
