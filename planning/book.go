package planning

import "github.com/csplan/csplan/capacity"

// bookResult describes the book the plan ran on: the segmenter's summary,
// or the segments' own totals (whose statistics are unknown, not 0).
func (r *run) bookResult() {
	b := &r.r.Book
	b.Tiers = r.book.Tiers
	if sr := r.book.Segmented; sr != nil {
		b.Source, b.TotalAccounts, b.TotalARR = "accounts", sr.TotalAccounts, sr.TotalARR
		for _, s := range sr.Segments {
			b.Segments = append(b.Segments, bookSegment(s))
		}
		b.Unassigned = bookSegment(sr.Unassigned)
		b.Excluded = bookSegment(sr.Excluded)
		return
	}
	b.Source = "totals"
	for _, s := range r.segs {
		b.TotalAccounts += s.accounts
		b.TotalARR += s.arr
	}
	for _, s := range r.segs {
		b.Segments = append(b.Segments, BookSegment{Name: s.spec.Name, Accounts: s.accounts, ARR: s.arr,
			AccountShare: ratio(float64(s.accounts), float64(b.TotalAccounts)), ARRShare: ratio(s.arr, b.TotalARR)})
	}
	b.Unassigned = BookSegment{Name: capacity.UnassignedSegment}
	b.Excluded = BookSegment{Name: capacity.ExcludedSegment}
}

func bookSegment(s capacity.SegmentSummary) BookSegment {
	out := BookSegment{Name: s.Name, Accounts: s.Accounts, ARR: s.ARR, AccountShare: s.AccountShare, ARRShare: s.ARRShare, StageCounts: s.StageCounts}
	if s.Accounts > 0 {
		mean, median, p90 := s.ARRMean, s.ARRMedian, s.ARRP90
		out.ARRMean, out.ARRMedian, out.ARRP90 = &mean, &median, &p90
	}
	return out
}

// coverage staffs each segment at its own capacity and, when the need is
// above the band, asks for seed 003's ways out. The options price CSMs
// at a hire's loaded cost; the need's cost in scope is the summary's.
func (r *run) coverage() error {
	if r.r.Summary.Revenue <= 0 {
		return nil
	}
	req := capacity.CoverageRequest{CSMTime: r.p.CSMTime, CSMLoadedCost: r.hire.AnnualLoadedCost, Revenue: &r.r.Summary.Revenue,
		MinCostShare: &r.minShare, MaxCostShare: &r.maxShare, TechTouchAccountsPerCSM: r.p.Finance.TechTouchAccountsPerCSM, Currency: r.r.Currency}
	for _, s := range r.segs {
		c := s.sizing.Capacity[0]
		req.Segments = append(req.Segments, capacity.CoverageSegment{Name: s.spec.Name, Accounts: s.accounts, ARR: s.arr, TouchModel: s.touch, AccountsPerCSM: &c})
	}
	plan, err := capacity.PlanCoverage(req)
	if err != nil {
		c := &checker{}
		c.merge(err, "")
		return c.err()
	}
	for i, s := range r.segs {
		if i < len(plan.Segments) {
			s.out.Coverage = plan.Segments[i]
		}
	}
	if r.r.Summary.BandNeeded == capacity.CostBandAbove {
		r.r.CoverageOptions = plan.Options
	}
	return nil
}
