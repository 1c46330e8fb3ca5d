package rebalance

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// largeBook is a book of n accounts over m CSMs in four segments, the
// team at 90% on average with books uneven enough that about a third of
// the CSMs are above 100%.
func largeBook(n, m int, seed uint64) Problem {
	rng := rand.New(rand.NewPCG(seed, 1))
	p := Problem{MinUtilization: 0.8, MaxUtilization: 1}
	groups := []string{"Enterprise", "Mid-Market", "SMB", "Scale"}
	weights := make([]float64, m)
	var capacity, wsum float64
	for i := range m {
		c := CSM{ID: fmt.Sprintf("csm-%03d", i), Capacity: float64(100 + rng.IntN(41)), Group: groups[i%len(groups)]}
		p.CSMs = append(p.CSMs, c)
		capacity += c.Capacity
		weights[i] = c.Capacity * (0.75 + 0.5*rng.Float64())
		wsum += weights[i]
	}
	// Accounts' hours are log-normal; owners drawn in proportion to the
	// uneven weights.
	cum := make([]float64, m)
	acc := 0.0
	for i, w := range weights {
		acc += w / wsum
		cum[i] = acc
	}
	total := 0.9 * capacity
	mean := total / float64(n)
	for i := range n {
		u := rng.Float64()
		owner := 0
		for owner < m-1 && cum[owner] < u {
			owner++
		}
		h := mean * math.Exp(rng.NormFloat64()*0.6-0.18)
		p.Accounts = append(p.Accounts, Account{ID: fmt.Sprintf("a-%06d", i), Owner: owner, Hours: h, ARR: 20000 * h, Group: p.CSMs[owner].Group})
	}
	return p
}

// TestLargeBookWithinOnePercentOfTheBound: the heuristic's disruption on a
// large book is within 1% of the proven bound.
func TestLargeBookWithinOnePercentOfTheBound(t *testing.T) {
	n, m := 100_000, 500
	if testing.Short() {
		n, m = 20_000, 100
	}
	p := largeBook(n, m, 1)
	s, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	checkSolution(t, p, s)
	if !s.Feasible || s.LowerBound <= 0 || s.Disruption > 1.01*s.LowerBound {
		t.Errorf("feasible %v, disruption %v, bound %v (gap %.2f%%)", s.Feasible, s.Disruption, s.LowerBound, 100*(s.Disruption/s.LowerBound-1))
	}
	t.Logf("%d moves, bound %v, gap %.3f%%", len(s.Moves), s.LowerBound, 100*(s.Disruption/s.LowerBound-1))
}
