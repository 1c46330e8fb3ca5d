package capacity

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Seed 003: "it could be 5 accounts for each customer success rep. Having
// 200 accounts will then imply getting 40 CSRs."
func TestPlanCoverageSeed003(t *testing.T) {
	got, err := PlanCoverage(CoverageRequest{
		Segments:      []CoverageSegment{{Name: "Strategic", Accounts: 200, ARR: 24_000_000, AccountsPerCSM: capFloat(5)}},
		CSMLoadedCost: 120_000,
	})
	if err != nil {
		t.Fatalf("PlanCoverage: %v", err)
	}
	// 40 reps at $120K are $4.8M, 20% of $24M: within the 15-25% band.
	want := []SegmentCoverage{{Name: "Strategic", AccountsPerCSM: 5, CSMFTE: 40, CSMHeadcount: 40, Cost: 4_800_000, CostShare: 0.2}}
	if diff := cmp.Diff(want, got.Segments, capFloatCmp); diff != "" {
		t.Errorf("segments (-want +got):\n%s", diff)
	}
	if got.TotalCSMHeadcount != 40 || got.TotalCost != 4_800_000 || !capNear(got.CostShare, 0.2) || got.Band != CostBandWithin || len(got.Options) != 0 {
		t.Errorf("totals = %d CSMs, %v, share %v, %v, %d options; want 40, 4.8M, 0.2, WITHIN, none",
			got.TotalCSMHeadcount, got.TotalCost, got.CostShare, got.Band, len(got.Options))
	}
	wantAs := []Assumption{
		{Name: "segments[0].accounts_per_csm", Value: "5", Source: SourceRequest},
		{Name: "csm_loaded_cost", Value: "120000", Source: SourceRequest},
		{Name: "revenue", Value: "24000000", Source: sourceRevenue},
		{Name: "min_cost_share", Value: "0.15", Source: sourceCostShare},
		{Name: "max_cost_share", Value: "0.25", Source: sourceCostShare},
		{Name: "tech_touch_accounts_per_csm", Value: "1000", Source: sourceTechTouch},
	}
	if diff := cmp.Diff(wantAs, got.Assumptions); diff != "" {
		t.Errorf("assumptions (-want +got):\n%s", diff)
	}
}

// TestPlanCoverageBand places one CSM's cost at the band's edges: both
// ends belong to the band.
func TestPlanCoverageBand(t *testing.T) {
	tests := []struct {
		name    string
		cost    float64
		revenue float64
		want    CostBand
	}{
		{"at the minimum", 150_000, 1_000_000, CostBandWithin},
		{"just below the minimum", 150_000, 1_000_001, CostBandBelow},
		{"at the maximum", 250_000, 1_000_000, CostBandWithin},
		{"just above the maximum", 250_000, 999_999, CostBandAbove},
		{"middle", 200_000, 1_000_000, CostBandWithin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PlanCoverage(CoverageRequest{
				Segments:      []CoverageSegment{{Name: "All", Accounts: 10, ARR: 1, AccountsPerCSM: capFloat(10)}},
				CSMLoadedCost: tt.cost,
				Revenue:       capFloat(tt.revenue),
			})
			if err != nil {
				t.Fatal(err)
			}
			if got.Band != tt.want {
				t.Errorf("cost share %v: band %v, want %v", got.CostShare, got.Band, tt.want)
			}
			if wantOptions := tt.want == CostBandAbove; (len(got.Options) > 0) != wantOptions {
				t.Errorf("band %v with %d options, want options only when ABOVE", got.Band, len(got.Options))
			}
		})
	}
}

// overBudget is a company whose coverage costs 28% of revenue:
// Enterprise 40 accounts at 10 per CSM (4 CSMs), Mid-Market 200 at 50 (4)
// and SMB 1,000 at 200 (5), 13 CSMs at $350K = $4.55M on $16M of ARR,
// whose 25% is $4M, 11 whole CSMs.
func overBudget() CoverageRequest {
	return CoverageRequest{
		Segments: []CoverageSegment{
			{Name: "Enterprise", Accounts: 40, ARR: 8_000_000, AccountsPerCSM: capFloat(10)},
			{Name: "Mid-Market", Accounts: 200, ARR: 6_000_000, TouchModel: TouchModelLow, AccountsPerCSM: capFloat(50)},
			{Name: "SMB", Accounts: 1000, ARR: 2_000_000, TouchModel: TouchModelTech, AccountsPerCSM: capFloat(200)},
		},
		CSMLoadedCost: 350_000,
	}
}

func TestPlanCoverageOptions(t *testing.T) {
	got, err := PlanCoverage(overBudget())
	if err != nil {
		t.Fatalf("PlanCoverage: %v", err)
	}
	if got.TotalCSMHeadcount != 13 || got.TotalCost != 4_550_000 || got.Band != CostBandAbove || !capNear(got.CostShare, 4.55/16) {
		t.Fatalf("plan = %d CSMs, %v, share %v, %v; want 13, 4.55M, 0.284, ABOVE", got.TotalCSMHeadcount, got.TotalCost, got.CostShare, got.Band)
	}
	want := []CoverageOption{
		{
			// $4.55M - $4M.
			Kind: OptionKindInvest, ExtraCost: 550_000, CostShare: 4.55 / 16, CoverageFactor: 1,
			KeptSegments: []string{"Enterprise", "Mid-Market", "SMB"}, MovedSegments: []string{},
			Segments: []OptionSegment{
				{"Enterprise", 10, 4, 1_400_000}, {"Mid-Market", 50, 4, 1_400_000}, {"SMB", 200, 5, 1_750_000},
			},
		},
		{
			// ARR per dollar: Enterprise 8/1.4, Mid-Market 6/1.4, SMB
			// 2/1.75. Keeping Enterprise leaves 1,200 pooled accounts (2
			// CSMs): 1.4 + 0.7 = 2.1M fits. Keeping Mid-Market too leaves
			// 1,000 (1 CSM): 2.8 + 0.35 = 3.15M fits. Keeping SMB as well
			// costs 4.55M: moved.
			Kind: OptionKindCoverSubset, ExtraCost: 0, CostShare: 3.15 / 16, CoverageFactor: 1,
			KeptSegments: []string{"Enterprise", "Mid-Market"}, MovedSegments: []string{"SMB"},
			Segments: []OptionSegment{
				{"Enterprise", 10, 4, 1_400_000}, {"Mid-Market", 50, 4, 1_400_000}, {TechTouchPool, 1000, 1, 350_000},
			},
		},
		{
			// 11 CSMs fit. Headcount 4 + 4 + ceil(5/f) is 12 from f = 5/4;
			// at f = 4/3 Enterprise and Mid-Market drop to 3 each and SMB
			// is 4: 10 CSMs. Nothing between gives 11.
			Kind: OptionKindReduceCoverage, ExtraCost: 0, CostShare: 3.5 / 16, CoverageFactor: 4.0 / 3,
			KeptSegments: []string{"Enterprise", "Mid-Market", "SMB"}, MovedSegments: []string{},
			Segments: []OptionSegment{
				{"Enterprise", 40.0 / 3, 3, 1_050_000}, {"Mid-Market", 200.0 / 3, 3, 1_050_000}, {"SMB", 800.0 / 3, 4, 1_400_000},
			},
		},
	}
	if diff := cmp.Diff(want, got.Options, capFloatCmp, cmpopts.IgnoreFields(CoverageOption{}, "Description")); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	for _, o := range got.Options {
		if o.Description == "" {
			t.Errorf("%v has no description", o.Kind)
		}
	}
}

// TestReduceCoverageBreakpoint checks that the factor is the exact
// breakpoint where the headcount first fits, not a point past it.
func TestReduceCoverageBreakpoint(t *testing.T) {
	tests := []struct {
		name       string
		accounts   int32
		ratio      float64
		affordable float64 // whole CSMs the budget pays for
		wantFactor float64
		wantCSMs   int32
	}{
		// 100 accounts at 10: 10 CSMs. 7 fit from f = 100 / (10 x 7).
		{"seven of ten", 100, 10, 7, 100.0 / 70, 7},
		// 200 accounts at 5 (seed 003): 40 CSMs. 25 fit from f = 1.6.
		{"seed 003 on a budget", 200, 5, 25, 1.6, 25},
		// One CSM left: f = accounts / ratio.
		{"down to one", 45, 5, 1, 9, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Revenue such that 25% pays exactly `affordable` CSMs of 100K.
			got, err := PlanCoverage(CoverageRequest{
				Segments:      []CoverageSegment{{Name: "A", Accounts: tt.accounts, ARR: 1, AccountsPerCSM: capFloat(tt.ratio)}},
				CSMLoadedCost: 100_000,
				Revenue:       capFloat(tt.affordable * 100_000 / 0.25),
			})
			if err != nil {
				t.Fatal(err)
			}
			o := findOption(got.Options, OptionKindReduceCoverage)
			if o == nil {
				t.Fatalf("no REDUCE_COVERAGE option in %+v", got.Options)
			}
			if !capNear(o.CoverageFactor, tt.wantFactor) || o.Segments[0].CSMHeadcount != tt.wantCSMs || o.ExtraCost != 0 {
				t.Errorf("factor %v, %d CSMs, extra %v; want %v, %d, 0", o.CoverageFactor, o.Segments[0].CSMHeadcount, o.ExtraCost, tt.wantFactor, tt.wantCSMs)
			}
			if !capNear(o.Segments[0].AccountsPerCSM, tt.ratio*tt.wantFactor) {
				t.Errorf("ratio under the option = %v, want %v", o.Segments[0].AccountsPerCSM, tt.ratio*tt.wantFactor)
			}
		})
	}
}

func findOption(options []CoverageOption, kind OptionKind) *CoverageOption {
	for i := range options {
		if options[i].Kind == kind {
			return &options[i]
		}
	}
	return nil
}

// TestReduceCoverageOmittedWhenNothingFits: three segments need at least
// one CSM each, and the budget pays for two.
func TestReduceCoverageOmittedWhenNothingFits(t *testing.T) {
	req := CoverageRequest{
		Segments: []CoverageSegment{
			{Name: "A", Accounts: 10, ARR: 1_000_000, AccountsPerCSM: capFloat(5)},
			{Name: "B", Accounts: 10, ARR: 1_000_000, AccountsPerCSM: capFloat(5)},
			{Name: "C", Accounts: 10, ARR: 1_000_000, AccountsPerCSM: capFloat(5)},
		},
		CSMLoadedCost: 300_000,
	}
	got, err := PlanCoverage(req)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []OptionKind
	for _, o := range got.Options {
		kinds = append(kinds, o.Kind)
	}
	if diff := cmp.Diff([]OptionKind{OptionKindInvest, OptionKindCoverSubset}, kinds); diff != "" {
		t.Errorf("option kinds (-want +got):\n%s", diff)
	}
	// 6 CSMs at $300K against a $750K budget; moving everything leaves 30
	// pooled accounts, one CSM: $300K, 10% of $3M. No segment can be kept
	// beside the pool (2 x 300K + 300K > 750K).
	cover := findOption(got.Options, OptionKindCoverSubset)
	want := CoverageOption{
		Kind: OptionKindCoverSubset, CostShare: 0.1, CoverageFactor: 1,
		KeptSegments: []string{}, MovedSegments: []string{"A", "B", "C"},
		Segments: []OptionSegment{{TechTouchPool, 1000, 1, 300_000}},
	}
	if diff := cmp.Diff(want, *cover, capFloatCmp, cmpopts.IgnoreFields(CoverageOption{}, "Description")); diff != "" {
		t.Errorf("COVER_SUBSET (-want +got):\n%s", diff)
	}
}

// TestCoverSubsetStillOver: when even the pool is over budget, the option
// says by how much.
func TestCoverSubsetStillOver(t *testing.T) {
	got, err := PlanCoverage(CoverageRequest{
		Segments:                []CoverageSegment{{Name: "A", Accounts: 100, ARR: 100_000, AccountsPerCSM: capFloat(10)}},
		CSMLoadedCost:           100_000,
		TechTouchAccountsPerCSM: capFloat(50),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Budget $25K. The pool of 100 accounts at 50 is 2 CSMs, $200K.
	cover := findOption(got.Options, OptionKindCoverSubset)
	if cover == nil || cover.ExtraCost != 175_000 || !capNear(cover.CostShare, 2) || len(cover.MovedSegments) != 1 {
		t.Errorf("COVER_SUBSET = %+v, want A moved, extra cost 175000, share 2", cover)
	}
	// A single CSM already costs $100K: no factor fits.
	if o := findOption(got.Options, OptionKindReduceCoverage); o != nil {
		t.Errorf("REDUCE_COVERAGE = %+v, want none", o)
	}
}

func TestPlanCoveragePlaybookAndDefaults(t *testing.T) {
	pb := workedPlaybook()
	got, err := PlanCoverage(CoverageRequest{
		Segments: []CoverageSegment{
			{Name: "Core", Accounts: 200, ARR: 5_000_000, Playbook: &pb},
			{Name: "Digital", Accounts: 2500, ARR: 2_500_000, TouchModel: TouchModelTech},
			{Name: "Named"},
		},
		CSMTime:       CSMTime{WeeklyHours: capFloat(40)},
		CSMLoadedCost: 100_000,
		Revenue:       capFloat(10_000_000),
		MinCostShare:  capFloat(0.05),
		MaxCostShare:  capFloat(0.2),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Worked check: 104.44 customer hours over 3.611 h per account, 28.92
	// accounts per CSM unrounded; 200 accounts need 6.915 FTE, 7 CSMs.
	// Digital: 2,500 accounts at the TECH ideal max of 1,000, 3 CSMs.
	want := []SegmentCoverage{
		{Name: "Core", AccountsPerCSM: 104.44444444444444 / 3.6111111111111111, CSMFTE: 200 * 3.6111111111111111 / 104.44444444444444, CSMHeadcount: 7, Cost: 700_000, CostShare: 0.07},
		{Name: "Digital", AccountsPerCSM: 1000, CSMFTE: 2.5, CSMHeadcount: 3, Cost: 300_000, CostShare: 0.03},
		{Name: "Named", AccountsPerCSM: 30},
	}
	if diff := cmp.Diff(want, got.Segments, capFloatCmp); diff != "" {
		t.Errorf("segments (-want +got):\n%s", diff)
	}
	if got.Band != CostBandWithin || !capNear(got.CostShare, 0.1) {
		t.Errorf("band %v at %v, want WITHIN at 0.1", got.Band, got.CostShare)
	}
	wantAs := []Assumption{
		{Name: "csm_time.weekly_hours", Value: "40", Source: SourceRequest},
		{Name: "csm_time.time_off_days_per_year", Value: "25", Source: sourceTimeOff},
		{Name: "csm_time.customer_facing_share", Value: formatFloat(2.0 / 3), Source: sourceCustomerFacing},
		{Name: "csm_time.target_utilization", Value: "1", Source: sourceUtilization},
		{Name: "segments[0].customer_lifetime_months", Value: "36", Source: sourceCustomerLifetime},
		{Name: "segments[1].accounts_per_csm", Value: "1000", Source: "assumption: the ideal accounts per CSM of TOUCH_MODEL_TECH"},
		{Name: "segments[2].touch_model", Value: "TOUCH_MODEL_HIGH", Source: sourceDefaultTouchModel},
		{Name: "segments[2].accounts_per_csm", Value: "30", Source: "seeds 000/001: the ideal accounts per CSM of TOUCH_MODEL_HIGH"},
		{Name: "csm_loaded_cost", Value: "100000", Source: SourceRequest},
		{Name: "revenue", Value: "10000000", Source: SourceRequest},
		{Name: "min_cost_share", Value: "0.05", Source: SourceRequest},
		{Name: "max_cost_share", Value: "0.2", Source: SourceRequest},
		{Name: "tech_touch_accounts_per_csm", Value: "1000", Source: sourceTechTouch},
	}
	if diff := cmp.Diff(wantAs, got.Assumptions); diff != "" {
		t.Errorf("assumptions (-want +got):\n%s", diff)
	}
}

func TestPlanCoverageValidation(t *testing.T) {
	one := []CoverageSegment{{Name: "A", Accounts: 10, ARR: 100, AccountsPerCSM: capFloat(5)}}
	tests := []struct {
		name string
		req  CoverageRequest
		want []string
	}{
		{"no segments", CoverageRequest{CSMLoadedCost: 1}, []string{"segments"}},
		{"no loaded cost", CoverageRequest{Segments: one}, []string{"csm_loaded_cost"}},
		{"NaN loaded cost", CoverageRequest{Segments: one, CSMLoadedCost: math.NaN()}, []string{"csm_loaded_cost"}},
		{"negative revenue", CoverageRequest{Segments: one, CSMLoadedCost: 1, Revenue: capFloat(-1)}, []string{"revenue"}},
		{"no ARR and no revenue", CoverageRequest{Segments: []CoverageSegment{{Name: "A", Accounts: 1}}, CSMLoadedCost: 1}, []string{"revenue"}},
		{"band inverted", CoverageRequest{Segments: one, CSMLoadedCost: 1, MinCostShare: capFloat(0.3), MaxCostShare: capFloat(0.2)}, []string{"min_cost_share"}},
		{"share as a percentage", CoverageRequest{Segments: one, CSMLoadedCost: 1, MaxCostShare: capFloat(25)}, []string{"max_cost_share"}},
		{"zero max share", CoverageRequest{Segments: one, CSMLoadedCost: 1, MinCostShare: capFloat(0), MaxCostShare: capFloat(0)}, []string{"max_cost_share"}},
		{"tech-touch ratio", CoverageRequest{Segments: one, CSMLoadedCost: 1, TechTouchAccountsPerCSM: capFloat(0)}, []string{"tech_touch_accounts_per_csm"}},
		{"segment fields", CoverageRequest{Segments: []CoverageSegment{
			{Name: "A", Accounts: -1, ARR: math.Inf(1), AccountsPerCSM: capFloat(5), Playbook: &Playbook{}},
			{Name: " a ", TouchModel: 9},
			{Name: "B", AccountsPerCSM: capFloat(-3)},
		}, CSMLoadedCost: 1}, []string{"segments[0].accounts", "segments[0].accounts_per_csm", "segments[0].arr", "segments[1].name", "segments[1].touch_model", "segments[2].accounts_per_csm"}},
		{"headcount past a count", CoverageRequest{Segments: []CoverageSegment{{Name: "A", Accounts: math.MaxInt32, ARR: 1, AccountsPerCSM: capFloat(0.01)}}, CSMLoadedCost: 1}, []string{"segments[0].accounts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanCoverage(tt.req)
			if diff := cmp.Diff(sortedFields(tt.want...), violationFields(t, err)); diff != "" {
				t.Errorf("PlanCoverage violations (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzPlanCoverage checks invariants of any plan: no panic; headcount and
// cost add up; options appear only above the band; REDUCE_COVERAGE fits
// and no smaller breakpoint would; COVER_SUBSET costs what it staffs.
func FuzzPlanCoverage(f *testing.F) {
	f.Add(int32(40), 10.0, int32(200), 50.0, int32(1000), 200.0, 350_000.0, 0.25, 1000.0)
	f.Add(int32(200), 5.0, int32(0), 1.0, int32(7), 0.5, 120_000.0, 0.2, 50.0)
	f.Add(int32(1), 0.01, int32(2147483647), 1e9, int32(3), 3.0, 1e12, 0.0001, 0.01)
	f.Fuzz(func(t *testing.T, a1 int32, r1 float64, a2 int32, r2 float64, a3 int32, r3 float64, cost, maxShare, pool float64) {
		req := CoverageRequest{
			Segments: []CoverageSegment{
				{Name: "A", Accounts: a1, ARR: float64(a1) * 50_000, AccountsPerCSM: &r1},
				{Name: "B", Accounts: a2, ARR: float64(a2) * 10_000, AccountsPerCSM: &r2},
				{Name: "C", Accounts: a3, ARR: float64(a3) * 1_000, AccountsPerCSM: &r3},
			},
			CSMLoadedCost:           cost,
			Revenue:                 capFloat(10_000_000),
			MinCostShare:            capFloat(0),
			MaxCostShare:            &maxShare,
			TechTouchAccountsPerCSM: &pool,
		}
		plan, err := PlanCoverage(req)
		if err != nil {
			return
		}
		budget := maxShare * 10_000_000
		var total int64
		for _, s := range plan.Segments {
			total += int64(s.CSMHeadcount)
		}
		if total != int64(plan.TotalCSMHeadcount) {
			t.Fatalf("segments add up to %d CSMs, total says %d", total, plan.TotalCSMHeadcount)
		}
		if (len(plan.Options) > 0) != (plan.Band == CostBandAbove) {
			t.Fatalf("%d options in band %v", len(plan.Options), plan.Band)
		}
		for _, o := range plan.Options {
			var sum float64
			for _, s := range o.Segments {
				sum += s.Cost
			}
			if !capNear(o.CostShare*10_000_000, sum) {
				t.Fatalf("%v: cost share %v, segments cost %v", o.Kind, o.CostShare, sum)
			}
			if o.Kind != OptionKindReduceCoverage {
				continue
			}
			// The option sums its segments' costs, the plan multiplies
			// the headcount by the cost: equal up to rounding.
			if o.CoverageFactor < 1 || (above(sum, budget) && !capNear(sum, budget)) {
				t.Fatalf("REDUCE_COVERAGE factor %v costs %v over a budget of %v", o.CoverageFactor, sum, budget)
			}
			// Just below the factor the plan must not fit.
			if f := o.CoverageFactor * (1 - 1e-7); f > 1 {
				var h float64
				for i, s := range req.Segments {
					if s.Accounts > 0 {
						h += ceilTol(float64(s.Accounts) / (*req.Segments[i].AccountsPerCSM * f))
					}
				}
				if !above(h*cost, budget) {
					t.Fatalf("REDUCE_COVERAGE factor %v is not the smallest: %v fits too", o.CoverageFactor, f)
				}
			}
		}
	})
}
