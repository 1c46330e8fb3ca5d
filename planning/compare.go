package planning

// Delta is one figure of a comparison; a side the group is missing from
// is nil.
type Delta struct {
	Group, Measure       string
	Base, WhatIf, Change *float64
}

// TotalGroup names the company's figures in a comparison.
const TotalGroup = "Total"

// measures are the figures a comparison sets side by side, for the
// company and for each segment.
var measures = []struct {
	name    string
	total   func(Result) float64
	segment func(SegmentResult) float64
}{
	{"accounts", func(r Result) float64 { return float64(r.Book.TotalAccounts) }, func(s SegmentResult) float64 { return float64(s.Accounts) }},
	{"arr", func(r Result) float64 { return r.Book.TotalARR }, func(s SegmentResult) float64 { return s.ARR }},
	{"csms_today", func(r Result) float64 { return float64(r.Summary.CSMsToday) }, func(s SegmentResult) float64 { return float64(s.CSMsToday) }},
	{"csms_needed_now", func(r Result) float64 { return float64(r.Summary.CSMsNeededNow) }, func(s SegmentResult) float64 { return float64(s.CSMsNeededNow) }},
	{"csms_needed_in12_months", func(r Result) float64 { return float64(r.Summary.CSMsNeededIn12Months) }, func(s SegmentResult) float64 { return float64(s.CSMsNeededIn12Months) }},
	{"csms_needed_at_peak", func(r Result) float64 { return float64(r.Summary.CSMsNeededAtPeak) }, func(s SegmentResult) float64 { return float64(s.CSMsNeededAtPeak) }},
	{"capacity_accounts_per_csm", nil, func(s SegmentResult) float64 { return s.Capacity }},
	{"requisitions", func(r Result) float64 { return float64(len(r.Requisitions)) }, nil},
	{"requisitions_due_now", func(r Result) float64 { return float64(r.Summary.RequisitionsDueNow) }, nil},
	{"cost_needed", func(r Result) float64 { return r.Summary.CostNeeded }, nil},
	{"cost_share_needed", func(r Result) float64 { return r.Summary.CostShareNeeded }, nil},
	{"horizon_total_cost", func(r Result) float64 { return totalCost(r.Months) }, func(s SegmentResult) float64 { return totalCost(s.Months) }},
}

func totalCost(ms []Month) float64 {
	var t float64
	for _, m := range ms {
		t += m.TotalCost
	}
	return t
}

// Compare sets two results side by side: the company's figures, then
// each segment's, base segments in their order and the what-if's new
// ones after them.
func Compare(base, whatIf Result) []Delta {
	var out []Delta
	for _, m := range measures {
		if m.total != nil {
			out = append(out, delta(TotalGroup, m.name, ptr(m.total(base)), ptr(m.total(whatIf))))
		}
	}
	seen := map[string]bool{}
	var names []string
	for _, s := range base.Segments {
		names, seen[s.Name] = append(names, s.Name), true
	}
	for _, s := range whatIf.Segments {
		if !seen[s.Name] {
			names = append(names, s.Name)
		}
	}
	for _, name := range names {
		b, w := segmentNamed(base, name), segmentNamed(whatIf, name)
		for _, m := range measures {
			if m.segment == nil {
				continue
			}
			var bv, wv *float64
			if b != nil {
				bv = ptr(m.segment(*b))
			}
			if w != nil {
				wv = ptr(m.segment(*w))
			}
			out = append(out, delta(name, m.name, bv, wv))
		}
	}
	return out
}

func delta(group, measure string, b, w *float64) Delta {
	d := Delta{Group: group, Measure: measure, Base: b, WhatIf: w}
	if b != nil && w != nil {
		d.Change = ptr(*w - *b)
	}
	return d
}

func segmentNamed(r Result, name string) *SegmentResult {
	for i := range r.Segments {
		if r.Segments[i].Name == name {
			return &r.Segments[i]
		}
	}
	return nil
}

func ptr(x float64) *float64 { return &x }
