package planning

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/csplan/csplan/capacity"
)

// price turns each segment's bridge into its months and requisitions,
// adds the segments up into the company's months with the company lines
// (managers, other CS cost), and sums the fiscal periods.
func (r *run) price() {
	oneTime := r.hire.OneTimeCost()
	arr0 := r.companyARR(0)
	revenueAt := func(t int) float64 {
		arr := r.companyARR(t)
		if rev := r.p.Finance.Revenue; rev != nil {
			if arr0 == 0 {
				return *rev
			}
			return *rev * arr / arr0
		}
		return arr
	}
	if r.p.Finance.Revenue == nil {
		r.assume("finance.revenue", num(arr0), "default: the book's ARR, moving with it")
	}

	r.r.Months = make([]Month, r.n)
	for t := range r.r.Months {
		r.r.Months[t] = Month{Month: r.month(t), Revenue: revenueAt(t), BandMinCostShare: r.minShare, BandMaxCostShare: r.maxShare}
	}
	for _, s := range r.segs {
		out := &SegmentResult{Name: s.spec.Name, TouchModel: s.touch, Complexity: s.cx, Basis: s.sizing.Basis,
			Capacity: s.sizing.Capacity[0], Accounts: s.accounts, ARR: s.arr, CSMsToday: s.spec.CSMs,
			CSMFTENow: s.acc[0] / s.sizing.Capacity[0], CSMsNeededNow: s.needed(0), CSMsNeededIn12Months: s.needed(r.m12), Calendar: s.calendar}
		peak := 0
		for t := range r.n {
			if s.needed(t) > s.needed(peak) {
				peak = t
			}
		}
		out.PeakMonth, out.CSMsNeededAtPeak = r.month(peak), s.needed(peak)
		for _, u := range s.bridge.UnmetMonths {
			out.UnmetMonths = append(out.UnmetMonths, r.month(u))
		}
		starts := make([]int, r.n)
		for _, q := range s.bridge.Requisitions {
			starts[q.StartMonth]++
			rq := Requisition{Segment: s.spec.Name, Kind: q.Kind, NeededMonth: r.month(q.NeededMonth), OpenByMonth: r.month(q.OpenByMonth),
				StartMonth: r.month(q.StartMonth), RampedMonth: r.month(q.RampedMonth), Status: q.Status, MonthsLate: int32(q.MonthsLate),
				FirstYearCost: r.hire.FirstYearCost, IncrementalCost: r.hire.FirstYearCost, openBy: q.OpenByMonth, ramped: q.RampedMonth}
			if q.Kind == capacity.RequisitionKindBackfill {
				rq.IncrementalCost = oneTime
				r.r.Months[q.StartMonth].backfillStarts++
			} else {
				r.r.Months[q.StartMonth].growthStarts++
			}
			r.r.Requisitions = append(r.r.Requisitions, rq)
		}
		for _, pl := range s.planned {
			starts[pl]++
		}
		out.Months = make([]Month, r.n)
		for t := range r.n {
			b := s.bridge.Months[t]
			today := float64(s.spec.CSMs) * r.decay(t)
			m := Month{Month: r.month(t), Accounts: s.acc[t], ARR: s.arrs[t], Headcount: b.Headcount, EffectiveCSMs: b.EffectiveCSMs,
				NeededCSMs: s.needed(t), AccountsPerEffectiveCSM: b.AccountsPerEffectiveCSM,
				CSMCost:     today*r.todayMonthly + (b.Headcount-today)*r.hire.MonthlyLoadedCost,
				OneTimeCost: float64(starts[t]) * oneTime, HeadcountWithoutPlan: b.HeadcountWithoutPlan,
				EffectiveCSMsWithoutPlan: b.EffectiveCSMsWithoutPlan, AccountsPerEffectiveCSMWithoutPlan: b.AccountsPerEffectiveCSMWithoutPlan,
				Capacity: s.sizing.Capacity[t], BandMinCostShare: r.minShare, BandMaxCostShare: r.maxShare}
			if arr := r.companyARR(t); arr > 0 {
				m.Revenue = r.r.Months[t].Revenue * s.arrs[t] / arr
			}
			m.TotalCost = m.CSMCost + m.OneTimeCost
			m.CostShare = ratio(12*m.CSMCost, m.Revenue)
			out.Months[t] = m

			c := &r.r.Months[t]
			c.Accounts += m.Accounts
			c.ARR += m.ARR
			c.Headcount += m.Headcount
			c.EffectiveCSMs += m.EffectiveCSMs
			c.NeededCSMs += m.NeededCSMs
			c.CSMCost += m.CSMCost
			c.OneTimeCost += m.OneTimeCost
			c.HeadcountWithoutPlan += m.HeadcountWithoutPlan
			c.EffectiveCSMsWithoutPlan += m.EffectiveCSMsWithoutPlan
		}
		s.out = out
	}
	for t := range r.r.Months {
		c := &r.r.Months[t]
		c.AccountsPerEffectiveCSM = ratio(c.Accounts, c.EffectiveCSMs)
		c.AccountsPerEffectiveCSMWithoutPlan = ratio(c.Accounts, c.EffectiveCSMsWithoutPlan)
		c.Managers = r.managers(c.Headcount)
		c.ManagerCost = float64(c.Managers) * r.managerAnnual / 12
		c.OtherCost = r.otherAnnual / 12
		c.TotalCost = c.CSMCost + c.ManagerCost + c.OtherCost + c.OneTimeCost
		c.CostShare = ratio(12*r.runRate(c.CSMCost, c.ManagerCost, c.OtherCost), c.Revenue)
	}
	slices.SortStableFunc(r.r.Requisitions, func(a, b Requisition) int {
		return cmp.Or(cmp.Compare(a.openBy, b.openBy), cmp.Compare(a.Segment, b.Segment), cmp.Compare(a.ramped, b.ramped))
	})
	r.fiscal()
}

// companyARR is the book's ARR at month t, every segment.
func (r *run) companyARR(t int) float64 {
	var arr float64
	for _, s := range r.segs {
		arr += s.arrs[t]
	}
	return arr
}

// managers is ceil(heads / span), none when no span is modelled.
func (r *run) managers(heads float64) int32 {
	if r.span <= 0 || heads <= 0 {
		return 0
	}
	return int32(min(math.Ceil(heads/r.span-tolerance), math.MaxInt32))
}

// runRate is the cost in scope: one-time costs never count.
func (r *run) runRate(csm, manager, other float64) float64 {
	if r.r.Scope == CostScopeCSMPayroll {
		return csm
	}
	return csm + manager + other
}

// fiscal sums the company's months by fiscal quarter and year; a fiscal
// year is named by the calendar year it starts in.
func (r *run) fiscal() {
	fs := int32(1)
	if m := r.p.Finance.FiscalYearStartMonth; m != nil {
		fs = *m
	} else {
		r.assume("finance.fiscal_year_start_month", "1", "default: the fiscal year is the calendar year")
	}
	add := func(list *[]PeriodCost, name string, m Month, size int32) {
		if n := len(*list); n == 0 || (*list)[n-1].Period != name {
			*list = append(*list, PeriodCost{Period: name})
		}
		p := &(*list)[len(*list)-1]
		p.TotalCost += m.TotalCost
		p.GrowthHires += int32(m.growthStarts)
		p.BackfillHires += int32(m.backfillStarts)
		p.Months++
		p.Partial = p.Months < size
	}
	for t, m := range r.r.Months {
		cm := r.start.Add(t)
		year, idx := int32(cm)/12, int32(cm)%12
		into := (idx - (fs - 1) + 12) % 12
		fy := year
		if idx < fs-1 {
			fy--
		}
		add(&r.r.CostByQuarter, fmt.Sprintf("FY%d-Q%d", fy, into/3+1), m, 3)
		add(&r.r.CostByFiscalYear, fmt.Sprintf("FY%d", fy), m, 12)
	}
}

// band places a cost share against the plan's band.
func (r *run) band(share float64) capacity.CostBand {
	switch {
	case above(share, r.maxShare):
		return capacity.CostBandAbove
	case above(r.minShare, share):
		return capacity.CostBandBelow
	default:
		return capacity.CostBandWithin
	}
}

// summarize adds the segments up: the company is their sum.
func (r *run) summarize() error {
	s := &r.r.Summary
	s.In12MonthsMonth = r.month(r.m12)
	s.MinCostShare, s.MaxCostShare = r.minShare, r.maxShare
	for _, sg := range r.segs {
		s.CSMsToday += sg.spec.CSMs
		s.CSMsNeededNow += sg.out.CSMsNeededNow
		s.CSMsNeededIn12Months += sg.out.CSMsNeededIn12Months
	}
	for _, q := range r.r.Requisitions {
		if q.Status == capacity.TriggerStatusDueNow || q.Status == capacity.TriggerStatusOverdue {
			s.RequisitionsDueNow++
		}
	}
	if len(r.r.Requisitions) > 0 {
		s.FirstRequisitionMonth = r.r.Requisitions[0].OpenByMonth
	}
	peak := 0
	for t, m := range r.r.Months {
		if m.NeededCSMs > r.r.Months[peak].NeededCSMs {
			peak = t
		}
	}
	s.PeakMonth, s.CSMsNeededAtPeak = r.month(peak), r.r.Months[peak].NeededCSMs
	r.r.Calendar = r.book.Calendar
	m0 := r.r.Months[0]
	s.Revenue = m0.Revenue
	s.CostNow = 12 * r.runRate(m0.CSMCost, m0.ManagerCost, m0.OtherCost)
	// The needed team: today's CSMs at their cost, the rest at a hire's.
	kept := min(s.CSMsNeededNow, s.CSMsToday)
	csm := float64(kept)*r.todayMonthly + float64(s.CSMsNeededNow-kept)*r.hire.MonthlyLoadedCost
	mgr := float64(r.managers(float64(s.CSMsNeededNow))) * r.managerAnnual / 12
	s.CostNeeded = 12 * r.runRate(csm, mgr, r.otherAnnual/12)
	s.CostShareNow, s.CostShareNeeded = ratio(s.CostNow, s.Revenue), ratio(s.CostNeeded, s.Revenue)
	s.BandNow, s.BandNeeded = r.band(s.CostShareNow), r.band(s.CostShareNeeded)
	r.bookResult()
	return r.coverage()
}
