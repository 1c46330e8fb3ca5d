package rebalance

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// book makes a problem of CSMs with capacity 100 and accounts given as
// owner:hours pairs.
func book(csms int, accounts ...[2]float64) Problem {
	p := Problem{MinUtilization: 0, MaxUtilization: 1}
	for i := range csms {
		p.CSMs = append(p.CSMs, CSM{ID: fmt.Sprintf("c%d", i), Capacity: 100})
	}
	for i, a := range accounts {
		p.Accounts = append(p.Accounts, Account{ID: fmt.Sprintf("a%d", i), Owner: int(a[0]), Hours: a[1], ARR: 1000 * a[1]})
	}
	return p
}

func solve(t *testing.T, p Problem) Solution {
	t.Helper()
	s, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	checkSolution(t, p, s)
	return s
}

// checkSolution: every guardrail holds and every figure adds up.
func checkSolution(t *testing.T, p Problem, s Solution) {
	t.Helper()
	lo, hi := p.bounds()
	load := make([]float64, len(p.CSMs))
	var cost float64
	moves := 0
	for a, acc := range p.Accounts {
		to := s.Owner[a]
		load[to] += acc.Hours
		if to == acc.Owner {
			if s.Feasible && p.CSMs[to].Departing {
				t.Errorf("account %s stays with departing %s", acc.ID, p.CSMs[to].ID)
			}
			continue
		}
		moves++
		cost += p.weight(a)
		if acc.Fixed && !p.forced(a) {
			t.Errorf("fixed account %s moved", acc.ID)
		}
		if p.CSMs[to].Departing || p.CSMs[to].Group != acc.Group {
			t.Errorf("account %s moved to %s (departing %v, group %q, its group %q)", acc.ID, p.CSMs[to].ID, p.CSMs[to].Departing, p.CSMs[to].Group, acc.Group)
		}
	}
	if moves != len(s.Moves) || cost-s.Disruption > 1e-6 || s.Disruption-cost > 1e-6 {
		t.Errorf("%d moves listed, %d made; disruption %v, weight %v", len(s.Moves), moves, s.Disruption, cost)
	}
	if s.LowerBound > s.Disruption+1e-6 && s.Feasible {
		t.Errorf("bound %v above the disruption %v", s.LowerBound, s.Disruption)
	}
	if !s.Feasible {
		return
	}
	for c := range p.CSMs {
		if load[c] > hi[c]+1e-6 || load[c] < lo[c]-1e-6 {
			t.Errorf("CSM %s at %v hours, band %v..%v", p.CSMs[c].ID, load[c], lo[c], hi[c])
		}
	}
	if p.MaxMoves > 0 && moves > p.MaxMoves {
		t.Errorf("%d moves, cap %d", moves, p.MaxMoves)
	}
}

func TestBalancedBookHasNoMoves(t *testing.T) {
	s := solve(t, book(2, [2]float64{0, 60}, [2]float64{1, 70}))
	if len(s.Moves) != 0 || !s.Optimal || !s.Feasible || s.Disruption != 0 {
		t.Errorf("a balanced book: %+v", s)
	}
}

// TestFewestMoves: CSM 0 carries 150 hours (60, 50, 40); one move of the
// 60 brings it to 90, and CSM 1 to 90: one move, optimal.
func TestFewestMoves(t *testing.T) {
	s := solve(t, book(2, [2]float64{0, 60}, [2]float64{0, 50}, [2]float64{0, 40}, [2]float64{1, 30}))
	if len(s.Moves) != 1 || !s.Optimal || s.Disruption != 1 {
		t.Fatalf("moves %v, disruption %v, optimal %v", s.Moves, s.Disruption, s.Optimal)
	}
	// By hours the cheapest is the 50 alone (100 and 80).
	p := book(2, [2]float64{0, 60}, [2]float64{0, 50}, [2]float64{0, 40}, [2]float64{1, 30})
	p.Weight = WeightHours
	if s := solve(t, p); s.Disruption != 50 || !s.Optimal {
		t.Errorf("by hours: %+v", s)
	}
}

func TestDepartingCSMsAccountsAllMove(t *testing.T) {
	p := book(4, [2]float64{0, 30}, [2]float64{0, 20}, [2]float64{0, 10}, [2]float64{1, 40}, [2]float64{2, 40}, [2]float64{3, 10})
	p.CSMs[0].Departing, p.CSMs[3].Departing = true, true
	p.Accounts[0].Fixed = true // a guardrail does not keep a leaver's account
	s := solve(t, p)
	if !s.Feasible || !s.Optimal || len(s.Moves) != 4 {
		t.Fatalf("%+v", s)
	}
	for _, m := range s.Moves {
		if p.CSMs[m.To].Departing {
			t.Errorf("an account went to departing %s", p.CSMs[m.To].ID)
		}
	}
}

func TestFixedAccountsNeverMove(t *testing.T) {
	p := book(2, [2]float64{0, 60}, [2]float64{0, 50}, [2]float64{1, 10})
	p.Accounts[0].Fixed = true
	s := solve(t, p)
	if !s.Feasible || len(s.Moves) != 1 || s.Moves[0].Account != 1 {
		t.Fatalf("%+v", s)
	}
	p.Accounts[1].Fixed = true
	s = solve(t, p)
	if s.Feasible || !s.Proven || !strings.Contains(s.Reason, "may not move") {
		t.Errorf("both fixed: %+v", s)
	}
}

func TestGroupsHold(t *testing.T) {
	p := book(3, [2]float64{0, 60}, [2]float64{0, 50}, [2]float64{1, 10}, [2]float64{2, 0})
	p.CSMs[1].Group, p.CSMs[2].Group = "EMEA", ""
	s := solve(t, p)
	if !s.Feasible || s.Owner[0] == 1 || s.Owner[1] == 1 {
		t.Errorf("an account went to another group: %+v", s)
	}
}

func TestTooManyHoursIsInfeasible(t *testing.T) {
	p := book(2, [2]float64{0, 120}, [2]float64{1, 110})
	s := solve(t, p)
	if s.Feasible || !s.Proven || s.ShortHours != 30 || !strings.Contains(s.Reason, "above the 200.0") {
		t.Errorf("%+v", s)
	}
}

func TestMaxMoves(t *testing.T) {
	p := book(2, [2]float64{0, 40}, [2]float64{0, 40}, [2]float64{0, 40}, [2]float64{0, 40}, [2]float64{1, 0})
	p.MinUtilization = 0.5
	if s := solve(t, p); !s.Feasible || len(s.Moves) != 2 {
		t.Errorf("%+v", s)
	}
	p.MaxMoves = 1
	if s := solve(t, p); s.Feasible || !s.Proven {
		t.Errorf("one move cannot do it: %+v", s)
	}
}

// TestHeuristicAgainstExact: on random small books the heuristic's answer,
// when it has one, is never better than the exact optimum (which would
// make the optimum wrong), and the bound is never above the optimum.
func TestHeuristicAgainstExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for round := range 300 {
		p := randomProblem(rng, 4+rng.IntN(4), 8+rng.IntN(10))
		ex, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		checkSolution(t, p, ex)
		p.ExactAccounts = -1 // the heuristic
		he, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		checkSolution(t, p, he)
		if ex.Feasible && !ex.Optimal && ex.Exact {
			t.Fatalf("round %d: the exact search ended but is not optimal: %+v", round, ex)
		}
		if he.Feasible && ex.Feasible && he.Disruption < ex.Disruption-1e-9 {
			t.Fatalf("round %d: the heuristic (%v) beats the optimum (%v)", round, he.Disruption, ex.Disruption)
		}
		if he.Feasible && !ex.Feasible && ex.Proven {
			t.Fatalf("round %d: the heuristic found what the exact search proves impossible", round)
		}
		if ex.Feasible && he.LowerBound > ex.Disruption+1e-9 {
			t.Fatalf("round %d: bound %v above the optimum %v", round, he.LowerBound, ex.Disruption)
		}
	}
}

func randomProblem(rng *rand.Rand, csms, accounts int) Problem {
	p := Problem{MinUtilization: []float64{0, 0.5, 0.7}[rng.IntN(3)], MaxUtilization: []float64{0.9, 1, 1.1}[rng.IntN(3)], Weight: Weight(rng.IntN(3))}
	for i := range csms {
		c := CSM{ID: fmt.Sprintf("c%d", i), Capacity: float64(60 + rng.IntN(60))}
		if rng.IntN(3) == 0 {
			c.Group = "g"
		}
		c.Departing = rng.IntN(8) == 0
		p.CSMs = append(p.CSMs, c)
	}
	for i := range accounts {
		a := Account{ID: fmt.Sprintf("a%d", i), Owner: rng.IntN(csms), Hours: float64(1 + rng.IntN(40)), ARR: float64(1000 * (1 + rng.IntN(50)))}
		a.Group = p.CSMs[a.Owner].Group
		if rng.IntN(6) == 0 {
			a.Group = "g"
		}
		a.Fixed = rng.IntN(7) == 0
		p.Accounts = append(p.Accounts, a)
	}
	if rng.IntN(4) == 0 {
		p.MaxMoves = 1 + rng.IntN(4)
	}
	return p
}

// TestFrontierNeverCheaperAsTheBandNarrows: over random books, each
// narrower band's disruption is at least the wider one's, and the first
// point is the given band.
func TestFrontierNeverCheaperAsTheBandNarrows(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 2))
	for round := range 100 {
		p := randomProblem(rng, 4+rng.IntN(4), 8+rng.IntN(10))
		for _, exact := range []int{0, -1} {
			p.ExactAccounts = exact
			pts, sols, err := Frontier(p, 5)
			if err != nil {
				t.Fatal(err)
			}
			if pts[0].MaxUtilization != p.MaxUtilization {
				t.Fatalf("round %d: first band %v, given %v", round, pts[0].MaxUtilization, p.MaxUtilization)
			}
			for i := range pts {
				q := p
				q.MaxUtilization = pts[i].MaxUtilization
				checkSolution(t, q, sols[i])
				if i > 0 && pts[i].MaxUtilization > pts[i-1].MaxUtilization {
					t.Fatalf("round %d: bands widen: %v", round, pts)
				}
				if i > 0 && pts[i-1].Feasible && pts[i].Feasible && pts[i].Disruption < pts[i-1].Disruption-1e-9 {
					t.Fatalf("round %d: narrowing the band cut the disruption: %v", round, pts)
				}
				if i > 0 && pts[i].Feasible && !pts[i-1].Feasible {
					t.Fatalf("round %d: a narrower band fits and a wider one does not: %v", round, pts)
				}
			}
		}
	}
}

// TestDepartureDrill: CSM 0 leaves; its 50-hour account goes to CSM 1
// (40 + 50 = 90 on average), whose own account peaks at 80 in month 2:
// 130% in month 2, the only month over before the backfill in month 3.
func TestDepartureDrill(t *testing.T) {
	p := book(2, [2]float64{0, 50}, [2]float64{1, 40})
	p.CSMs[0].Departing = true
	p.Accounts[0].Monthly = []float64{50, 50, 50, 50, 50}
	p.Accounts[1].Monthly = []float64{30, 30, 80, 30, 80}
	s := solve(t, p)
	d := Departure(p, s, 3)
	if len(d.MonthsOver) != 1 || d.MonthsOver[0] != 2 || d.PeakUtilization < 1.3-1e-9 || d.PeakUtilization > 1.3+1e-9 {
		t.Errorf("drill %+v", d)
	}
}

// TestUnbandedCSMsStayAsTheyAre: CSM 2 is unbanded (its accounts take no
// hours); the band does not apply to it, and nothing moves to or from it.
func TestUnbandedCSMsStayAsTheyAre(t *testing.T) {
	p := book(3, [2]float64{0, 60}, [2]float64{0, 50}, [2]float64{1, 40}, [2]float64{2, 0}, [2]float64{2, 0})
	p.MinUtilization = 0.5
	p.CSMs[2].Unbanded = true
	s := solve(t, p)
	if !s.Feasible || !s.Optimal || len(s.Moves) != 1 || s.Owner[3] != 2 || s.Owner[4] != 2 || s.Moves[0].To != 1 {
		t.Errorf("%+v", s)
	}
}

// TestGroupShortIsNamed: the book fits the team's total, but one group's
// accounts cannot leave it and are above its CSMs' maximum: infeasible,
// proven, with that group's shortfall.
func TestGroupShortIsNamed(t *testing.T) {
	p := book(3, [2]float64{0, 90}, [2]float64{0, 80}, [2]float64{1, 10}, [2]float64{2, 10})
	for _, c := range []int{0, 1} {
		p.CSMs[c].Group, p.CSMs[c].GroupName = "mm", "Mid-Market"
	}
	p.Accounts[0].Group, p.Accounts[1].Group, p.Accounts[2].Group = "mm", "mm", "mm"
	// 180 hours fit Mid-Market's 200; 40 more do not, though the team's
	// 300 would carry them.
	if s := solve(t, p); !s.Feasible {
		t.Errorf("180 of 200 hours: %+v", s)
	}
	p.Accounts = append(p.Accounts, Account{ID: "x", Owner: 1, Hours: 40, Group: "mm"})
	s := solve(t, p)
	if s.Feasible || !s.Proven || s.ShortHours != 20 || !strings.Contains(s.Reason, "Mid-Market: 220.0 hours a month against the 200.0") {
		t.Errorf("%+v", s)
	}
}
