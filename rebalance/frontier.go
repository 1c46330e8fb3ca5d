package rebalance

// FrontierPoint is the cheapest rebalancing found for one band.
type FrontierPoint struct {
	MinUtilization, MaxUtilization float64
	Disruption                     float64
	Moves                          int
	Feasible                       bool
}

// MaxFrontierPoints bounds the trade-off curve.
const MaxFrontierPoints = 20

// Frontier solves n bands: the given one first, then max_utilization
// tightened in equal steps towards the team's mean utilization (the book's
// hours over the staying CSMs' capacity), min_utilization fixed; the n-th
// band stops one step short of the mean, where every CSM would have to sit
// exactly at it. A narrower band's answer also fits every wider band, so
// each wider band keeps the cheaper of its own and the narrower ones':
// disruption never decreases as the band narrows, whatever the heuristic
// finds. It returns the points and each point's solution, whose bound is
// its own band's.
func Frontier(p Problem, n int) ([]FrontierPoint, []Solution, error) {
	if n <= 0 {
		return nil, nil, nil
	}
	var hours, capacity float64
	for _, a := range p.Accounts {
		if !p.CSMs[a.Owner].Unbanded {
			hours += a.Hours
		}
	}
	for _, c := range p.CSMs {
		if !c.Departing && !c.Unbanded {
			capacity += c.Capacity
		}
	}
	mean := p.MaxUtilization
	if capacity > 0 {
		mean = min(hours/capacity, p.MaxUtilization)
	}
	mean = max(mean, p.MinUtilization)
	step := (p.MaxUtilization - mean) / float64(n)
	out, sols := make([]FrontierPoint, n), make([]Solution, n)
	for i := range out {
		q := p
		q.MaxUtilization = p.MaxUtilization - float64(i)*step
		s, err := Solve(q)
		if err != nil {
			return nil, nil, err
		}
		out[i] = FrontierPoint{MinUtilization: q.MinUtilization, MaxUtilization: q.MaxUtilization, Disruption: s.Disruption, Moves: len(s.Moves), Feasible: s.Feasible}
		sols[i] = s
	}
	for i := n - 2; i >= 0; i-- {
		if next := out[i+1]; next.Feasible && (!out[i].Feasible || next.Disruption < out[i].Disruption-tolerance) {
			bound := sols[i].LowerBound
			out[i].Disruption, out[i].Moves, out[i].Feasible = next.Disruption, next.Moves, true
			sols[i] = sols[i+1]
			sols[i].LowerBound = bound
			sols[i].Optimal = sols[i].Disruption <= bound+tolerance
			sols[i].Reason, sols[i].Proven, sols[i].ShortHours = "", false, 0
		}
	}
	return out, sols, nil
}
