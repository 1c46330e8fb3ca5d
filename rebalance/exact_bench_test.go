package rebalance

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// smallBook is 40 accounts over 5 CSMs, two of them above the band and
// one below it: the harness's exact workload.
func smallBook(seed uint64) Problem {
	rng := rand.New(rand.NewPCG(seed, 3))
	p := Problem{MinUtilization: 0.8, MaxUtilization: 1}
	load := []float64{1.25, 1.15, 0.95, 0.7, 0.85}
	for i := range 5 {
		p.CSMs = append(p.CSMs, CSM{ID: fmt.Sprintf("csm-%d", i), Capacity: 100})
	}
	for c := range 5 {
		target := load[c] * 100
		for k := range 8 {
			h := target / 8 * (0.5 + rng.Float64())
			p.Accounts = append(p.Accounts, Account{ID: fmt.Sprintf("a-%d-%d", c, k), Owner: c, Hours: h, ARR: 1000 * h})
		}
	}
	return p
}

func TestSmallBookIsSolvedExactly(t *testing.T) {
	for seed := range uint64(20) {
		p := smallBook(seed)
		s, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		checkSolution(t, p, s)
		if total := sumHours(p); total > 500 {
			if s.Feasible || !s.Proven {
				t.Errorf("seed %d: %v hours over 500 of capacity, yet %+v", seed, total, s)
			}
			continue
		}
		if !s.Feasible || !s.Optimal || !s.Exact {
			t.Errorf("seed %d: feasible %v optimal %v exact %v, %d moves, bound %v", seed, s.Feasible, s.Optimal, s.Exact, len(s.Moves), s.LowerBound)
		}
	}
}

func BenchmarkSmallBookExact(b *testing.B) {
	p := smallBook(1)
	for b.Loop() {
		if _, err := Solve(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLargeBookHeuristic(b *testing.B) {
	p := largeBook(100_000, 500, 1)
	for b.Loop() {
		if _, err := Solve(p); err != nil {
			b.Fatal(err)
		}
	}
}

func sumHours(p Problem) float64 {
	var h float64
	for _, a := range p.Accounts {
		h += a.Hours
	}
	return h
}
