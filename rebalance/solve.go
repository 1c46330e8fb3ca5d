package rebalance

import (
	"fmt"
	"slices"
	"strings"
)

// Solve rebalances p: no moves when the book already fits the band (and
// nobody departs); the exact search when at most ExactAccounts accounts
// can be placed; else the heuristic. Every answer carries a proven lower
// bound. An error means p itself is malformed (a caller's bug).
func Solve(p Problem) (Solution, error) {
	if err := p.check(); err != nil {
		return Solution{}, err
	}
	s := newState(&p)
	if why, short, ok := s.impossible(); !ok {
		sol := s.solution()
		sol.Reason, sol.ShortHours, sol.Proven = why, short, true
		sol.LowerBound = s.lowerBound()
		return sol, nil
	}
	if s.fits() {
		sol := s.solution()
		sol.Feasible, sol.Optimal, sol.Exact = true, true, true
		return sol, nil
	}
	bound := s.lowerBound()
	var movable int
	for a := range p.Accounts {
		if p.movable(a) {
			movable++
		}
	}
	limit := p.ExactAccounts
	if limit == 0 {
		limit = DefaultExactAccounts
	}
	if movable <= limit {
		sol := exact(&p, s)
		sol.LowerBound = max(sol.LowerBound, bound)
		sol.Optimal = sol.Feasible && sol.Disruption <= sol.LowerBound+tolerance
		return sol, nil
	}
	h := newState(&p)
	h.heuristic()
	sol := h.solution()
	sol.Feasible = h.fits() && h.withinMoves()
	sol.LowerBound = bound
	sol.Optimal = sol.Feasible && sol.Disruption <= bound+tolerance
	if !sol.Feasible {
		sol.Reason = "the heuristic found no assignment within the band and the guardrails; the exact search is too large for this book: widen the band, ease the guardrails or split the book"
	}
	return sol, nil
}

// state is an assignment being built.
type state struct {
	p       *Problem
	owner   []int
	load    []float64
	lo, hi  []float64
	moved   int
	cost    float64
	changed []bool // per account: not with its original owner
}

func newState(p *Problem) *state {
	s := &state{p: p, owner: make([]int, len(p.Accounts)), load: make([]float64, len(p.CSMs)), changed: make([]bool, len(p.Accounts))}
	s.lo, s.hi = p.bounds()
	for a, acc := range p.Accounts {
		s.owner[a] = acc.Owner
		s.load[acc.Owner] += acc.Hours
	}
	return s
}

// move puts account a on CSM c, keeping the cost and count of moves.
func (s *state) move(a, c int) {
	from := s.owner[a]
	if from == c {
		return
	}
	acc := &s.p.Accounts[a]
	s.load[from] -= acc.Hours
	s.load[c] += acc.Hours
	s.owner[a] = c
	home := c == acc.Owner
	switch {
	case home && s.changed[a]:
		s.changed[a] = false
		s.moved--
		s.cost -= s.p.weight(a)
	case !home && !s.changed[a]:
		s.changed[a] = true
		s.moved++
		s.cost += s.p.weight(a)
	}
}

func (s *state) inBand(c int) bool {
	return s.load[c] <= s.hi[c]+tolerance && s.load[c] >= s.lo[c]-tolerance
}

// fits reports whether every CSM is in its band and no account is left
// with a departing CSM (a zero-hour account too).
func (s *state) fits() bool {
	for c := range s.p.CSMs {
		if !s.inBand(c) {
			return false
		}
	}
	for _, o := range s.owner {
		if s.p.CSMs[o].Departing {
			return false
		}
	}
	return true
}

func (s *state) withinMoves() bool { return s.p.MaxMoves == 0 || s.moved <= s.p.MaxMoves }

func (s *state) solution() Solution {
	sol := Solution{Owner: slices.Clone(s.owner), Hours: slices.Clone(s.load), Disruption: s.cost}
	for a, o := range s.owner {
		if o != s.p.Accounts[a].Owner {
			sol.Moves = append(sol.Moves, Move{Account: a, From: s.p.Accounts[a].Owner, To: o})
		}
	}
	return sol
}

// impossible finds what no assignment can get past: more hours than the
// staying CSMs' maximum (with the shortfall), fewer than their minimum, a
// CSM whose fixed accounts alone are above its maximum, an account that
// must move and has nowhere to go.
func (s *state) impossible() (reason string, shortHours float64, ok bool) {
	p := s.p
	fixed := make([]float64, len(p.CSMs))
	var total, maxTotal, minTotal float64
	for c, csm := range p.CSMs {
		if !csm.Departing && !csm.Unbanded {
			maxTotal += s.hi[c]
			minTotal += s.lo[c]
		}
	}
	for a, acc := range p.Accounts {
		total += acc.Hours
		if !p.movable(a) {
			fixed[acc.Owner] += acc.Hours
			continue
		}
		if p.forced(a) && !slices.ContainsFunc(p.CSMs, func(c CSM) bool { return !c.Departing && c.Group == acc.Group }) {
			return fmt.Sprintf("account %s must leave departing CSM %s, and no staying CSM of its group (segment and matched attributes) can take it", acc.ID, p.CSMs[acc.Owner].ID), 0, false
		}
	}
	if why, short := s.groupsShort(); short > 0 {
		return why, short, false
	}
	if total > maxTotal+tolerance {
		return fmt.Sprintf("the book's %.1f hours a month are above the %.1f the staying CSMs can carry at %.0f%% utilization", total, maxTotal, 100*p.MaxUtilization), total - maxTotal, false
	}
	if total < minTotal-tolerance {
		return fmt.Sprintf("the book's %.1f hours a month are below the %.1f that would keep every staying CSM at %.0f%% utilization or more: lower min_utilization, or the team is larger than the book", total, minTotal, 100*p.MinUtilization), 0, false
	}
	for c, csm := range p.CSMs {
		if fixed[c] > s.hi[c]+tolerance {
			return fmt.Sprintf("CSM %s's accounts that may not move (frozen before a renewal, or locked) alone take %.1f hours, above the %.1f of the band's maximum", csm.ID, fixed[c], s.hi[c]), 0, false
		}
	}
	return "", 0, true
}

// groupsShort finds the groups whose hours are above what their staying
// CSMs carry at the band's maximum, when every account is of its owner's
// group (none can then leave it): the total short and a reason naming
// each group.
func (s *state) groupsShort() (string, float64) {
	p := s.p
	hours, most := map[string]float64{}, map[string]float64{}
	var order []string
	for c, csm := range p.CSMs {
		if csm.Departing || csm.Unbanded {
			continue
		}
		if _, ok := most[csm.Group]; !ok {
			order = append(order, csm.Group)
		}
		most[csm.Group] += s.hi[c]
	}
	for _, acc := range p.Accounts {
		if acc.Group != p.CSMs[acc.Owner].Group {
			return "", 0
		}
		hours[acc.Group] += acc.Hours
	}
	var parts []string
	var short float64
	for _, g := range order {
		if h := hours[g]; h > most[g]+tolerance {
			short += h - most[g]
			parts = append(parts, fmt.Sprintf("%s: %.1f hours a month against the %.1f its staying CSMs carry", p.groupName(g), h, most[g]))
		}
	}
	if short == 0 || len(parts) == len(order) && len(order) == 1 {
		return "", 0 // one group: the book-wide check says it
	}
	return fmt.Sprintf("accounts move only within their group (segment and matched attributes), and %s at %.0f%% utilization", strings.Join(parts, "; "), 100*p.MaxUtilization), short
}
