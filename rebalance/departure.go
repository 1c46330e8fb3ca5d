package rebalance

// DepartureDrill is what a departure costs until a backfill is ramped.
type DepartureDrill struct {
	// MonthsOver are the months (indexes from the first) before the
	// backfill is ramped in which some staying CSM is above the band's
	// maximum, with the accounts as sol places them, month by month.
	MonthsOver []int
	// PeakUtilization is the highest utilization of a staying CSM in
	// those months (0 when there are none).
	PeakUtilization float64
}

// Departure runs the drill on sol: months 0 to ramped-1 (at most as many
// as the accounts' Monthly hours have).
func Departure(p Problem, sol Solution, ramped int) DepartureDrill {
	var d DepartureDrill
	months := 0
	for _, a := range p.Accounts {
		months = max(months, len(a.Monthly))
	}
	months = min(months, ramped)
	load := make([]float64, len(p.CSMs))
	for t := range months {
		clear(load)
		for a, acc := range p.Accounts {
			if t < len(acc.Monthly) {
				load[sol.Owner[a]] += acc.Monthly[t]
			}
		}
		over := false
		for c, csm := range p.CSMs {
			if csm.Departing || csm.Unbanded || csm.Capacity <= 0 {
				continue
			}
			if u := load[c] / csm.Capacity; u > p.MaxUtilization+tolerance {
				over = true
				d.PeakUtilization = max(d.PeakUtilization, u)
			}
		}
		if over {
			d.MonthsOver = append(d.MonthsOver, t)
		}
	}
	return d
}
