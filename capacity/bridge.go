package capacity

import (
	"math"
	"slices"
)

// The headcount bridge of one segment: its team month by month, cohort by
// cohort, and the requisitions that keep its load within capacity. Each
// cohort (today's team at month 0, each planned hire, each requisition's
// hire) decays from its own start, so leavers take their capacity (and,
// in the plan, their cost) with them and a hire is not decayed for the
// months before it joined. Months are offsets from the plan's start month.

// BridgeInput is one segment's book and team over the horizon.
type BridgeInput struct {
	// Accounts and Capacity are the accounts at each month t = 0..horizon
	// and the accounts an effective CSM carries then (unrounded, above 0).
	Accounts []float64
	Capacity []float64
	// CSMs is today's team, fully productive at month 0.
	CSMs int
	// PlannedHires are the start months of hires already planned, each
	// after month 0 (one starting at month 0 belongs in CSMs).
	PlannedHires []int
	// AnnualAttrition is the share of a cohort that leaves in a year, in
	// [0, 1).
	AnnualAttrition float64
	// RampMonths, Curve and TimeToHireMonths are the hiring profile: a
	// requisition opened at month o starts at o + TimeToHireMonths and is
	// ramped RampMonths later.
	RampMonths       int
	Curve            RampCurve
	TimeToHireMonths int
}

// Requisition is one hire the bridge needs.
type Requisition struct {
	Kind RequisitionKind
	// NeededMonth is the first month the load would be above capacity
	// without this hire, every earlier hire counted (as a full CSM before
	// its ramped month).
	NeededMonth int
	// OpenByMonth, StartMonth and RampedMonth: the requisition opens by
	// OpenByMonth, the hire starts at StartMonth and is ramped at
	// RampedMonth.
	OpenByMonth, StartMonth, RampedMonth int
	// MonthsLate is how far the ramped month falls after the needed one.
	MonthsLate int
	Status     TriggerStatus
}

// BridgeMonth is the team at one month, with and without the
// requisitions' hires.
type BridgeMonth struct {
	// Headcount is the expected heads: every cohort decayed, the
	// requisitions' hires counted from their start month.
	Headcount float64
	// EffectiveCSMs is the heads times their productivity on the ramp.
	EffectiveCSMs float64
	// NeededCSMs is ceil(accounts / capacity).
	NeededCSMs              int
	AccountsPerEffectiveCSM float64

	HeadcountWithoutPlan               float64
	EffectiveCSMsWithoutPlan           float64
	AccountsPerEffectiveCSMWithoutPlan float64
}

// Bridge is a segment's bridge over the horizon.
type Bridge struct {
	Months []BridgeMonth
	// Requisitions are in order of ramped month.
	Requisitions []Requisition
	// UnmetMonths are the months whose load is above capacity and that no
	// requisition opened now can be ramped in time for.
	UnmetMonths []int
}

// maxBridgeHires bounds the hires one bridge may need: past it the
// inputs are beyond any plan (10^7 accounts at a few per CSM).
const maxBridgeHires = 10_000_000

// PlanBridge computes the bridge. The hiring plan adds, from the first
// month a requisition opened now can be ramped, a hire ramped at month t
// whenever accounts(t) / E'(t) is above capacity(t), where E' counts the
// team and planned hires on their ramp and each earlier requisition's
// hire fully from its ramped month (decayed), and repeats at t while the
// load is still above. A team exactly at capacity needs nobody.
func PlanBridge(in BridgeInput) (Bridge, error) {
	if err := in.validate(); err != nil {
		return Bridge{}, err
	}
	n := len(in.Accounts)
	decay := decayTable(in.AnnualAttrition, n)
	heads, eff := in.baseTeam(decay)
	ramped, err := in.hires(eff, decay)
	if err != nil {
		return Bridge{}, err
	}
	b := Bridge{Months: make([]BridgeMonth, n)}
	earliest := in.TimeToHireMonths + in.RampMonths
	planned := slices.Clone(eff)
	b.Requisitions = make([]Requisition, 0, len(ramped))
	for _, r := range ramped {
		needed := in.firstAbove(planned, r)
		rq := Requisition{
			NeededMonth: needed,
			StartMonth:  r - in.RampMonths,
			OpenByMonth: r - in.RampMonths - in.TimeToHireMonths,
			RampedMonth: r,
			MonthsLate:  max(0, r-needed),
		}
		switch {
		case rq.MonthsLate > 0:
			rq.Status = TriggerStatusOverdue
		case rq.OpenByMonth == 0:
			rq.Status = TriggerStatusDueNow
		default:
			rq.Status = TriggerStatusUpcoming
		}
		b.Requisitions = append(b.Requisitions, rq)
		addAsNeeded(planned, decay, r, in.RampMonths)
	}
	for t := range min(earliest, n) {
		if in.overloaded(t, eff[t]) {
			b.UnmetMonths = append(b.UnmetMonths, t)
		}
	}
	if err := in.labelKinds(b.Requisitions); err != nil {
		return Bridge{}, err
	}
	starts := make([]int, n)
	for _, r := range ramped {
		starts[r-in.RampMonths]++
	}
	for t := range n {
		m := &b.Months[t]
		m.HeadcountWithoutPlan, m.EffectiveCSMsWithoutPlan = heads[t], eff[t]
		m.Headcount, m.EffectiveCSMs = heads[t], eff[t]
		for s := 0; s <= t; s++ {
			if k := float64(starts[s]); k > 0 {
				m.Headcount += k * decay[t-s]
				m.EffectiveCSMs += k * decay[t-s] * in.Curve.Productivity(t-s, in.RampMonths)
			}
		}
		m.NeededCSMs = NeededCSMs(in.Accounts[t], in.Capacity[t])
		m.AccountsPerEffectiveCSM = ratio(in.Accounts[t], m.EffectiveCSMs)
		m.AccountsPerEffectiveCSMWithoutPlan = ratio(in.Accounts[t], m.EffectiveCSMsWithoutPlan)
	}
	return b, nil
}

func (in *BridgeInput) validate() error {
	var v violations
	n := len(in.Accounts)
	if n == 0 || len(in.Capacity) != n {
		v.add("accounts", "the bridge needs accounts and capacity for each month, got %d and %d months", n, len(in.Capacity))
		return v.err()
	}
	for t := range n {
		if !finite(in.Accounts[t]) || in.Accounts[t] < 0 || in.Accounts[t] > MaxAmount {
			v.add("accounts", "month %d: accounts must be 0 or more, got %s", t, formatFloat(in.Accounts[t]))
		}
		if !finite(in.Capacity[t]) || in.Capacity[t] <= 0 {
			v.add("capacity", "month %d: a CSM's capacity must be above 0 accounts, got %s", t, formatFloat(in.Capacity[t]))
		}
	}
	if in.CSMs < 0 {
		v.add("csms", "must be 0 or more, got %d", in.CSMs)
	}
	for i, p := range in.PlannedHires {
		if p < 1 || p >= n {
			v.add("planned_hires", "planned hire %d starts at month %d: it must start after the start month and within the horizon (1 to %d)", i, p, n-1)
		}
	}
	if !finite(in.AnnualAttrition) || in.AnnualAttrition < 0 || in.AnnualAttrition >= 1 {
		v.add("annual_csm_attrition_rate", "must be a fraction from 0 to below 1, got %s", formatFloat(in.AnnualAttrition))
	}
	if in.RampMonths < 0 || in.RampMonths > MaxTimelineMonths || in.TimeToHireMonths < 0 || in.TimeToHireMonths > MaxTimelineMonths {
		v.add("timeline", "ramp and time to hire must be 0 to %d months, got %d and %d", MaxTimelineMonths, in.RampMonths, in.TimeToHireMonths)
	}
	return v.err()
}

// decayTable holds (1-a)^(k/12), the share of a cohort left k months after
// its start.
func decayTable(attrition float64, n int) []float64 {
	d := make([]float64, n)
	for k := range d {
		d[k] = math.Pow(1-attrition, float64(k)/12)
	}
	return d
}

// baseTeam is the team without the bridge's own hires: today's and the
// planned hires, each cohort decayed from its start; heads and effective
// CSMs.
func (in *BridgeInput) baseTeam(decay []float64) (heads, eff []float64) {
	n := len(decay)
	heads, eff = make([]float64, n), make([]float64, n)
	for t := range n {
		heads[t] = float64(in.CSMs) * decay[t]
		eff[t] = heads[t]
		for _, p := range in.PlannedHires {
			if t >= p {
				heads[t] += decay[t-p]
				eff[t] += decay[t-p] * in.Curve.Productivity(t-p, in.RampMonths)
			}
		}
	}
	return heads, eff
}

// overloaded reports whether month t's load is above capacity with e
// effective CSMs.
func (in *BridgeInput) overloaded(t int, e float64) bool {
	a := in.Accounts[t]
	if a <= 0 {
		return false
	}
	return e <= 0 || above(a/e, in.Capacity[t])
}

// firstAbove is the first month up to t whose load is above capacity with
// the effective CSMs e.
func (in *BridgeInput) firstAbove(e []float64, t int) int {
	for m := range t {
		if in.overloaded(m, e[m]) {
			return m
		}
	}
	return t
}

// hires returns the ramped months of the requisitions' hires, in order.
func (in *BridgeInput) hires(base, decay []float64) ([]int, error) {
	e := slices.Clone(base)
	var ramped []int
	for t := in.TimeToHireMonths + in.RampMonths; t < len(e); t++ {
		if !in.overloaded(t, e[t]) {
			continue
		}
		// Each hire ramped at t adds decay[ramp] at t: add the fewest that
		// bring the load within capacity, found from the quotient and
		// checked against the rule itself.
		step := decay[in.RampMonths]
		k := max(1, int(math.Ceil((in.Accounts[t]/in.Capacity[t]-e[t])/step))-1)
		for in.overloaded(t, e[t]+float64(k)*step) {
			k++
		}
		for k > 1 && !in.overloaded(t, e[t]+float64(k-1)*step) {
			k--
		}
		if len(ramped)+k > maxBridgeHires {
			var v violations
			v.add("accounts", "the book needs more than %d hires: check the accounts and the capacity", maxBridgeHires)
			return nil, v.err()
		}
		for range k {
			ramped = append(ramped, t)
			addFromRamped(e, decay, t, in.RampMonths)
		}
	}
	return ramped, nil
}

// addFromRamped adds one hire ramped at r to e: fully productive from r,
// decayed from its start.
func addFromRamped(e, decay []float64, r, ramp int) {
	for m := r; m < len(e); m++ {
		e[m] += decay[m-r+ramp]
	}
}

// addAsNeeded adds one earlier hire ramped at r to e, for judging when a
// later hire is needed: as one full CSM before r (had it been there), and
// fully productive from r, decayed from its start. So a later hire is
// needed only when the load passes what the earlier ones together carry,
// not in the months before they could be ramped.
func addAsNeeded(e, decay []float64, r, ramp int) {
	for m := range r {
		e[m]++
	}
	addFromRamped(e, decay, r, ramp)
}

// labelKinds marks each requisition GROWTH or BACKFILL. The growth
// requisitions are as many as the plan needs without attrition; each of
// those hires is paired with the latest unpaired requisition ramped no
// later than it (the earliest later one if none), and the requisitions
// left unpaired replace leavers: backfills.
func (in *BridgeInput) labelKinds(reqs []Requisition) error {
	for i := range reqs {
		reqs[i].Kind = RequisitionKindBackfill
	}
	if in.AnnualAttrition == 0 {
		for i := range reqs {
			reqs[i].Kind = RequisitionKindGrowth
		}
		return nil
	}
	still := *in
	still.AnnualAttrition = 0
	decay := decayTable(0, len(in.Accounts))
	_, eff := still.baseTeam(decay)
	growth, err := still.hires(eff, decay)
	if err != nil {
		return err
	}
	// Both lists are in ramped order: the requisitions ramped by g wait on
	// a stack, the latest on top; with none waiting, the next one is the
	// earliest later.
	var waiting []int
	next := 0
	for _, g := range growth {
		for next < len(reqs) && reqs[next].RampedMonth <= g {
			waiting = append(waiting, next)
			next++
		}
		switch {
		case len(waiting) > 0:
			reqs[waiting[len(waiting)-1]].Kind = RequisitionKindGrowth
			waiting = waiting[:len(waiting)-1]
		case next < len(reqs):
			reqs[next].Kind = RequisitionKindGrowth
			next++
		default:
			return nil // more growth hires than hires: none left to pair
		}
	}
	return nil
}
