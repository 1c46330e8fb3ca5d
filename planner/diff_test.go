package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCompare(t *testing.T) {
	base := &Report{Company: "A", StartMonth: "2027-01",
		Summary: Summary{
			Segments:     []SegmentNeed{{Name: "Core", CSMs: 4, NeededNow: 5, NeededIn12Months: 6}},
			Total:        SegmentNeed{Name: "Total", CSMs: 4, NeededNow: 5, NeededIn12Months: 6},
			Requisitions: []Requisition{{Segment: "Core", RequisitionMonth: "2027-03"}},
			CostShare:    CostShare{CurrentCost: 600000, NeededCost: 750000, Needed: 0.25, In12MonthsCost: 900000, In12Months: 0.2},
			Verdict:      "HIRE_LATER", HireByMonth: "2027-03",
		},
		Forecast: Forecast{Segments: []SegmentForecast{{Name: "Core", Triggers: []Trigger{{Name: "hire", CrossingMonth: "2027-08"}}}}},
		Hiring:   Hiring{Cost: HireCost{FirstYearCost: 160000}},
	}
	whatIf := &Report{Company: "A", StartMonth: "2027-01",
		Summary: Summary{
			Segments: []SegmentNeed{{Name: "Core", CSMs: 4, NeededNow: 6, NeededIn12Months: 8}, {Name: "New", CSMs: 1, NeededNow: 1, NeededIn12Months: 1}},
			Total:    SegmentNeed{Name: "Total", CSMs: 5, NeededNow: 7, NeededIn12Months: 9},
			Requisitions: []Requisition{{Segment: "Core", RequisitionMonth: "2026-12"}, {Segment: "Core", RequisitionMonth: "2027-05"},
				{Segment: "New", RequisitionMonth: "2027-09"}},
			CostShare: CostShare{CurrentCost: 750000, NeededCost: 1050000, Needed: 0.3, In12MonthsCost: 1350000, In12Months: 0.27},
			Verdict:   "HIRE_NOW",
		},
		Forecast: Forecast{Segments: []SegmentForecast{{Name: "Core", Triggers: []Trigger{{Name: "hire", CrossingMonth: "2027-05"}}}}},
		Hiring:   Hiring{Cost: HireCost{FirstYearCost: 160000}},
	}
	d := Compare(base, whatIf)
	want := []Delta{
		{Group: "Core", Measure: "csms", Kind: "count", Base: 4, WhatIf: 4},
		{Group: "Core", Measure: "neededNow", Kind: "count", Base: 5, WhatIf: 6, Change: 1, Changed: true},
		{Group: "Core", Measure: "neededIn12Months", Kind: "count", Base: 6, WhatIf: 8, Change: 2, Changed: true},
		{Group: "Core", Measure: "requisitions", Kind: "count", Base: 1, WhatIf: 2, Change: 1, Changed: true},
		// 2027-03 -> 2026-12 is three months earlier.
		{Group: "Core", Measure: "firstRequisition", Kind: "month", BaseText: "2027-03", WhatIfText: "2026-12", Change: -3, Changed: true},
		{Group: "Core", Measure: "hireCrossing", Kind: "month", BaseText: "2027-08", WhatIfText: "2027-05", Change: -3, Changed: true},
		// A segment only the what-if has compares with nothing.
		{Group: "New", Measure: "csms", Kind: "count", WhatIf: 1, Change: 1, Changed: true},
		{Group: "New", Measure: "neededNow", Kind: "count", WhatIf: 1, Change: 1, Changed: true},
		{Group: "New", Measure: "neededIn12Months", Kind: "count", WhatIf: 1, Change: 1, Changed: true},
		{Group: "New", Measure: "requisitions", Kind: "count", WhatIf: 1, Change: 1, Changed: true},
		{Group: "New", Measure: "firstRequisition", Kind: "month", WhatIfText: "2027-09", Changed: true},
		{Group: "New", Measure: "hireCrossing", Kind: "month"},
		{Group: "Total", Measure: "csms", Kind: "count", Base: 4, WhatIf: 5, Change: 1, Changed: true},
		{Group: "Total", Measure: "neededNow", Kind: "count", Base: 5, WhatIf: 7, Change: 2, Changed: true},
		{Group: "Total", Measure: "neededIn12Months", Kind: "count", Base: 6, WhatIf: 9, Change: 3, Changed: true},
		{Group: "Total", Measure: "requisitions", Kind: "count", Base: 1, WhatIf: 3, Change: 2, Changed: true},
		{Group: "Total", Measure: "firstRequisition", Kind: "month", BaseText: "2027-03", WhatIfText: "2026-12", Change: -3, Changed: true},
		{Group: "Cost", Measure: "currentCost", Kind: "money", Base: 600000, WhatIf: 750000, Change: 150000, Changed: true},
		{Group: "Cost", Measure: "neededCost", Kind: "money", Base: 750000, WhatIf: 1050000, Change: 300000, Changed: true},
		{Group: "Cost", Measure: "neededShare", Kind: "share", Base: 0.25, WhatIf: 0.3, Change: 0.05, Changed: true},
		{Group: "Cost", Measure: "in12MonthsCost", Kind: "money", Base: 900000, WhatIf: 1350000, Change: 450000, Changed: true},
		{Group: "Cost", Measure: "in12MonthsShare", Kind: "share", Base: 0.2, WhatIf: 0.27, Change: 0.07, Changed: true},
		{Group: "Cost", Measure: "firstYearCost", Kind: "money", Base: 160000, WhatIf: 160000},
		{Group: "Hiring", Measure: "verdict", Kind: "text", BaseText: "HIRE_LATER", WhatIfText: "HIRE_NOW", Changed: true},
		{Group: "Hiring", Measure: "hireByMonth", Kind: "month", BaseText: "2027-03", Changed: true},
	}
	if diff := cmp.Diff(want, d.Deltas, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Compare deltas (-want +got):\n%s", diff)
	}
	if d.Base.Company != "A" || d.Reports[1] != whatIf {
		t.Errorf("Compare sides = %+v", d.Base)
	}
}
