// Package rebalance moves accounts between CSMs so that every CSM's
// workload falls within a utilization band, with the least disruption:
// the fewest accounts moved (or hours, or ARR), never an account the
// guardrails hold, never to a CSM of another group. Small books are
// solved exactly by branch and bound; large ones by a greedy heuristic
// whose answer comes with a proven lower bound, so that the gap is known.
// It knows accounts as hours and groups only: how hours and groups come
// from playbooks, dates, segments and attributes is the caller's.
package rebalance

import (
	"fmt"
	"math"
)

// Weight is what one moved account costs.
type Weight int

const (
	// WeightAccounts counts each moved account as 1 (the default).
	WeightAccounts Weight = iota
	// WeightHours counts its hours a month.
	WeightHours
	// WeightARR counts its ARR.
	WeightARR
)

// CSM is one CSM of the book.
type CSM struct {
	ID string
	// Capacity is the CSM's customer hours a month; utilization is hours
	// over it.
	Capacity float64
	// Group: an account moves only to a CSM of its own group (its segment
	// and matching attributes, as the caller composes them).
	Group string
	// Departing CSMs must give up every account and receive none; the band
	// does not apply to them.
	Departing bool
	// GroupName names the group in answers ("Mid-Market"); "" leaves the
	// CSM's id to name it.
	GroupName string
	// Unbanded CSMs keep what they have and receive nothing, outside the
	// band: the book gives their accounts no hours (a segment sized by a
	// ratio rather than a playbook), so their load says nothing.
	Unbanded bool
}

// Account is one account of the book.
type Account struct {
	ID string
	// Owner is the index of its CSM in Problem.CSMs.
	Owner int
	// Hours a month it takes; ARR, for WeightARR.
	Hours, ARR float64
	Group      string
	// Fixed accounts stay where they are (frozen before a renewal, or
	// locked), unless their owner departs.
	Fixed bool
	// Monthly is its hours month by month, for the departure drill
	// (optional; Hours is their mean).
	Monthly []float64
}

// Problem is a book to rebalance.
type Problem struct {
	CSMs     []CSM
	Accounts []Account
	// MinUtilization and MaxUtilization are the band, each CSM's hours
	// over its capacity.
	MinUtilization, MaxUtilization float64
	Weight                         Weight
	// MaxMoves caps the moves (0: no cap).
	MaxMoves int
	// ExactAccounts is how many accounts may be placed (moved or kept)
	// for the exact search to run (0: DefaultExactAccounts; negative:
	// never); past it the heuristic answers.
	ExactAccounts int
	// NodeLimit bounds the exact search (0: DefaultNodeLimit); past it the
	// best assignment found is answered with its bound, not proven.
	NodeLimit int
}

const (
	// DefaultExactAccounts is the size up to which the search is exact.
	DefaultExactAccounts = 40
	// DefaultNodeLimit bounds the exact search's nodes.
	DefaultNodeLimit = 2_000_000
)

// Move is one account moving from one CSM to another, by index.
type Move struct {
	Account, From, To int
}

// Solution is a rebalanced book.
type Solution struct {
	// Moves are in account order.
	Moves []Move
	// Owner is each account's CSM after the moves.
	Owner []int
	// Hours is each CSM's load after the moves.
	Hours []float64
	// Disruption is the moves' total weight; LowerBound a proven lower
	// bound on the disruption of any assignment within the band and the
	// guardrails; Optimal says the two are equal.
	Disruption, LowerBound float64
	Optimal                bool
	// Feasible is false when no assignment was found; Reason says why
	// (and is proven when Proven is set).
	Feasible bool
	Reason   string
	Proven   bool
	// ShortHours is, when the book's hours exceed the band's maximum over
	// the staying CSMs, by how many hours a month.
	ShortHours float64
	// Exact says the exact search ran to the end (not the heuristic, not
	// cut by NodeLimit).
	Exact bool
}

// tolerance absorbs floating-point noise in load sums.
const tolerance = 1e-9

func (p *Problem) weight(a int) float64 {
	switch p.Weight {
	case WeightHours:
		return p.Accounts[a].Hours
	case WeightARR:
		return p.Accounts[a].ARR
	}
	return 1
}

// bounds are each CSM's band in hours: departing CSMs have none (they end
// with nothing).
func (p *Problem) bounds() (lo, hi []float64) {
	lo, hi = make([]float64, len(p.CSMs)), make([]float64, len(p.CSMs))
	for i, c := range p.CSMs {
		if c.Departing {
			lo[i], hi[i] = 0, 0
			continue
		}
		if c.Unbanded {
			lo[i], hi[i] = 0, math.Inf(1)
			continue
		}
		lo[i], hi[i] = p.MinUtilization*c.Capacity, p.MaxUtilization*c.Capacity
	}
	return lo, hi
}

// check refuses what no solver should see: the caller validates the
// request, so these are programming errors, said plainly.
func (p *Problem) check() error {
	if !(p.MinUtilization >= 0) || !(p.MaxUtilization > 0) || p.MinUtilization > p.MaxUtilization || math.IsInf(p.MaxUtilization, 0) {
		return fmt.Errorf("rebalance: band %v..%v", p.MinUtilization, p.MaxUtilization)
	}
	for i, a := range p.Accounts {
		if a.Owner < 0 || a.Owner >= len(p.CSMs) || !(a.Hours >= 0) || math.IsInf(a.Hours, 0) {
			return fmt.Errorf("rebalance: account %d (%s): owner %d, hours %v", i, a.ID, a.Owner, a.Hours)
		}
	}
	return nil
}

// eligible reports whether account a may move to CSM c.
func (p *Problem) eligible(a, c int) bool {
	acc := &p.Accounts[a]
	return c != acc.Owner && !p.CSMs[c].Departing && !p.CSMs[c].Unbanded && p.CSMs[c].Group == acc.Group
}

// forced reports whether account a must move: its owner departs.
func (p *Problem) forced(a int) bool { return p.CSMs[p.Accounts[a].Owner].Departing }

// movable reports whether account a may move at all.
func (p *Problem) movable(a int) bool {
	return p.forced(a) || !p.Accounts[a].Fixed && !p.CSMs[p.Accounts[a].Owner].Unbanded
}

// groupName names group g by the first CSM of it that has a name for it.
func (p *Problem) groupName(g string) string {
	first := ""
	for _, c := range p.CSMs {
		if c.Group != g {
			continue
		}
		if c.GroupName != "" {
			return c.GroupName
		}
		if first == "" {
			first = "the group of " + c.ID
		}
	}
	return first
}
