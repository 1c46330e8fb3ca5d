package capacity

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Helpers are prefixed hc so they cannot clash with other test files of the
// package.

func hcInt(x int32) *int32 { return &x }

// hcToday is the "current month" the hiring tests pass in.
var hcToday = Month(2026*12 + 11) // 2026-12

func hcWorkedPlaybook() *Playbook {
	p := workedPlaybook()
	return &p
}

func hcEstimate(t *testing.T, req HireRequest) HireCost {
	t.Helper()
	c, err := EstimateHireCost(req)
	if err != nil {
		t.Fatalf("EstimateHireCost(%+v): %v", req, err)
	}
	return c
}

func hcEvaluate(t *testing.T, req HireEvaluationRequest) HireEvaluation {
	t.Helper()
	e, err := EvaluateHire(req, hcToday)
	if err != nil {
		t.Fatalf("EvaluateHire(%+v): %v", req, err)
	}
	return e
}

// hcSeed004 is seed 004's team: $4M ARR, 5 busy CSMs on high touch (the
// book needs 5.5 FTE), weighing a CSM on a $100K salary.
func hcSeed004() HireEvaluationRequest {
	return HireEvaluationRequest{
		ARR:        4_000_000,
		CSMCount:   5,
		TouchModel: TouchModelHigh,
		Hire:       HireRequest{BaseSalary: 100_000},
		Load:       HireLoad{WorkloadCSMFTE: capFloat(5.5)},
	}
}

func TestEstimateHireCostSeed004(t *testing.T) {
	// "If you hire a CSM with an annual salary of $100K, you will spend
	// about $150K per year ... that is $12K in expenses [a month]. The
	// ramp-up period would be around 3 months, so you would be spending at
	// least $36K": exactly $12,500 a month and 3 x $12,500 = $37,500.
	got := hcEstimate(t, HireRequest{BaseSalary: 100_000})
	want := HireCost{
		AnnualLoadedCost:          150_000,
		MonthlyLoadedCost:         12_500,
		RampCost:                  37_500,
		FirstYearCost:             150_000,
		ProductiveMonthsFirstYear: 9,
		Assumptions: []Assumption{
			{Name: "loaded_cost_multiplier", Value: "1.5", Source: "seed 004 ($100K salary -> about $150K a year)"},
			{Name: "recruiting_fee_share", Value: "0", Source: "assumption: in-house recruiting (agencies charge 15-35% of salary)"},
			{Name: "ramp_months", Value: "3", Source: "seed 004"},
			{Name: "ramp_curve", Value: "RAMP_CURVE_ZERO", Source: "seed 004"},
			// 150,000 / 1,880 working hours.
			{Name: "trainer_hourly_cost", Value: formatFloat(150_000.0 / 1880), Source: "default: the hire's annual loaded cost over 1880 working hours"},
			{Name: "time_to_hire_months", Value: "2", Source: "assumption: about 42 days to fill, rounded up to whole months"},
		},
	}
	if diff := cmp.Diff(want, got, capFloatCmp); diff != "" {
		t.Errorf("EstimateHireCost($100K) (-want +got):\n%s", diff)
	}
	if WorkingHoursPerYear != 1880 {
		t.Errorf("WorkingHoursPerYear = %v, want 40 x (52 - 25/5) = 1880", WorkingHoursPerYear)
	}
}

func TestEstimateHireCostFigures(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  HireRequest
		want HireCost
	}{
		{
			// LINEAR over 4 months: productivity 0, 1/4, 1/2, 3/4, then 1;
			// 9.5 productive months, 2.5 months of cost unproductive.
			name: "linear ramp over 4 months",
			req:  HireRequest{BaseSalary: 100_000, RampMonths: hcInt(4), RampCurve: RampCurveLinear},
			want: HireCost{AnnualLoadedCost: 150_000, MonthlyLoadedCost: 12_500, RampCost: 31_250,
				FirstYearCost: 150_000, ProductiveMonthsFirstYear: 9.5},
		},
		{
			name: "no ramp",
			req:  HireRequest{BaseSalary: 100_000, RampMonths: hcInt(0)},
			want: HireCost{AnnualLoadedCost: 150_000, MonthlyLoadedCost: 12_500, FirstYearCost: 150_000, ProductiveMonthsFirstYear: 12},
		},
		{
			// A ramp past the first year: nothing productive in it, and the
			// ramp cost counts all 24 months.
			name: "zero ramp over 24 months",
			req:  HireRequest{BaseSalary: 120_000, LoadedCostMultiplier: capFloat(1), RampMonths: hcInt(24)},
			want: HireCost{AnnualLoadedCost: 120_000, MonthlyLoadedCost: 10_000, RampCost: 240_000, FirstYearCost: 120_000},
		},
		{
			// sum k/24 for k < 12 = 66/24 = 2.75 productive months; over the
			// ramp sum (1 - k/24) for k < 24 = 24 - 276/24 = 12.5 months.
			name: "linear ramp over 24 months",
			req:  HireRequest{BaseSalary: 120_000, LoadedCostMultiplier: capFloat(1), RampMonths: hcInt(24), RampCurve: RampCurveLinear},
			want: HireCost{AnnualLoadedCost: 120_000, MonthlyLoadedCost: 10_000, RampCost: 125_000, FirstYearCost: 120_000, ProductiveMonthsFirstYear: 2.75},
		},
		{
			// 100,000 x (1 + 0.20 + 0.0765) + 6,000 + 16,350 = 150,000.
			name: "itemized with default shares",
			req:  HireRequest{BaseSalary: 100_000, Itemized: &ItemizedCost{ToolsPerYear: 6_000, OtherPerYear: 16_350}},
			want: HireCost{AnnualLoadedCost: 150_000, MonthlyLoadedCost: 12_500, RampCost: 37_500, FirstYearCost: 150_000, ProductiveMonthsFirstYear: 9},
		},
		{
			// 80,000 x (1 + 0.1 + 0.05) + 0 = 92,000.
			name: "itemized with given shares",
			req:  HireRequest{BaseSalary: 80_000, Itemized: &ItemizedCost{BenefitsShare: capFloat(0.1), PayrollTaxShare: capFloat(0.05)}},
			want: HireCost{AnnualLoadedCost: 92_000, MonthlyLoadedCost: 92_000.0 / 12, RampCost: 23_000, FirstYearCost: 92_000, ProductiveMonthsFirstYear: 9},
		},
		{
			// Loaded 140,000; fee 0.2 x 100,000; training 40 h at
			// 140,000 / 1,880 = 74.47 an hour = 2,978.72; over 4 h per
			// account per month 40 h are 10 account-months.
			name: "one-time costs with default trainer cost",
			req: HireRequest{BaseSalary: 100_000, LoadedCostMultiplier: capFloat(1.4), RecruitingFeeShare: capFloat(0.2),
				SignOnBonus: 5_000, TrainerHours: 40, HoursPerAccountMonth: capFloat(4)},
			want: HireCost{AnnualLoadedCost: 140_000, MonthlyLoadedCost: 140_000.0 / 12, RampCost: 35_000,
				RecruitingFee: 20_000, SignOnBonus: 5_000, TrainingCost: 40 * 140_000.0 / 1880,
				FirstYearCost: 140_000 + 20_000 + 5_000 + 40*140_000.0/1880, ProductiveMonthsFirstYear: 9,
				TrainingCapacityHours: 40, TrainingCapacityAccountMonths: 10},
		},
		{
			// 60 h of training at $55 = $3,300; no hours per account, so no
			// account-months.
			name: "trainer hourly cost given",
			req:  HireRequest{BaseSalary: 100_000, TrainerHours: 60, TrainerHourlyCost: capFloat(55)},
			want: HireCost{AnnualLoadedCost: 150_000, MonthlyLoadedCost: 12_500, RampCost: 37_500, TrainingCost: 3_300,
				FirstYearCost: 153_300, ProductiveMonthsFirstYear: 9, TrainingCapacityHours: 60},
		},
		{
			// The worked playbook needs 3.6111 h per account per month:
			// 65 h are 18 account-months.
			name: "training in account-months from a playbook",
			req:  HireRequest{BaseSalary: 100_000, TrainerHours: 65, TrainerHourlyCost: capFloat(0), Playbook: hcWorkedPlaybook()},
			want: HireCost{AnnualLoadedCost: 150_000, MonthlyLoadedCost: 12_500, RampCost: 37_500, FirstYearCost: 150_000,
				ProductiveMonthsFirstYear: 9, TrainingCapacityHours: 65, TrainingCapacityAccountMonths: 65 / (3.5 + 4.0/36)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := hcEstimate(t, tc.req)
			if diff := cmp.Diff(tc.want, got, capFloatCmp, cmpopts.IgnoreFields(HireCost{}, "Assumptions")); diff != "" {
				t.Errorf("EstimateHireCost (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEstimateHireCostAssumptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  HireRequest
		want []Assumption
	}{
		{
			name: "itemized defaults and a playbook",
			req: HireRequest{BaseSalary: 100_000, Itemized: &ItemizedCost{}, RampCurve: RampCurveLinear,
				Playbook: &Playbook{Touchpoints: []Touchpoint{{Name: "kick-off", Hours: 3.6, Cadence: CadenceOneTime}, {Name: "check-in", Hours: 2, Cadence: CadenceMonthly}}}},
			want: []Assumption{
				{Name: "itemized.benefits_share", Value: "0.2", Source: "assumption: US benefits"},
				{Name: "itemized.payroll_tax_share", Value: "0.0765", Source: "assumption: US payroll taxes (FICA)"},
				{Name: "recruiting_fee_share", Value: "0", Source: "assumption: in-house recruiting (agencies charge 15-35% of salary)"},
				{Name: "ramp_months", Value: "3", Source: "seed 004"},
				{Name: "ramp_curve", Value: "RAMP_CURVE_LINEAR", Source: SourceRequest},
				{Name: "trainer_hourly_cost", Value: formatFloat(127_650.0 / 1880), Source: "default: the hire's annual loaded cost over 1880 working hours"},
				{Name: "time_to_hire_months", Value: "2", Source: "assumption: about 42 days to fill, rounded up to whole months"},
				// The kick-off is amortised over 36 months: 0.1 + 2 = 2.1 h.
				{Name: "customer_lifetime_months", Value: "36", Source: "assumption"},
				{Name: "hours_per_account_month", Value: formatFloat(3.6/36 + 2), Source: "playbook"},
			},
		},
		{
			name: "everything given",
			req: HireRequest{BaseSalary: 90_000, LoadedCostMultiplier: capFloat(1.3), RecruitingFeeShare: capFloat(0.25),
				RampMonths: hcInt(6), RampCurve: RampCurveZero, TrainerHourlyCost: capFloat(70), TimeToHireMonths: hcInt(1),
				HoursPerAccountMonth: capFloat(2.5)},
			want: []Assumption{
				{Name: "loaded_cost_multiplier", Value: "1.3", Source: SourceRequest},
				{Name: "recruiting_fee_share", Value: "0.25", Source: SourceRequest},
				{Name: "ramp_months", Value: "6", Source: SourceRequest},
				{Name: "ramp_curve", Value: "RAMP_CURVE_ZERO", Source: SourceRequest},
				{Name: "trainer_hourly_cost", Value: "70", Source: SourceRequest},
				{Name: "time_to_hire_months", Value: "1", Source: SourceRequest},
				{Name: "hours_per_account_month", Value: "2.5", Source: SourceRequest},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := hcEstimate(t, tc.req)
			if diff := cmp.Diff(tc.want, got.Assumptions); diff != "" {
				t.Errorf("assumptions (-want +got):\n%s", diff)
			}
		})
	}
}

// hcBadHire has every scalar field of a hire wrong at once.
func hcBadHire() HireRequest {
	return HireRequest{
		BaseSalary:           -1,
		RecruitingFeeShare:   capFloat(1.5),
		SignOnBonus:          math.Inf(1),
		RampMonths:           hcInt(25),
		RampCurve:            RampCurve(9),
		TrainerHours:         -2,
		TrainerHourlyCost:    capFloat(math.NaN()),
		TimeToHireMonths:     hcInt(-1),
		HoursPerAccountMonth: capFloat(0),
	}
}

// hcBadHireFields are hcBadHire's violations under prefix.
func hcBadHireFields(prefix string) []string {
	var out []string
	for _, f := range []string{"base_salary", "recruiting_fee_share", "sign_on_bonus", "ramp_months", "ramp_curve",
		"trainer_hours", "trainer_hourly_cost", "time_to_hire_months", "hours_per_account_month"} {
		out = append(out, path(prefix, f))
	}
	return sortedFields(out...)
}

func TestEstimateHireCostValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		req    HireRequest
		fields []string
	}{
		{"every scalar at once", hcBadHire(), hcBadHireFields("")},
		{
			name: "multiplier and itemization together, itemization bad",
			req: HireRequest{BaseSalary: 100_000, LoadedCostMultiplier: capFloat(1.5),
				Itemized: &ItemizedCost{BenefitsShare: capFloat(1.5), PayrollTaxShare: capFloat(-0.1), ToolsPerYear: -1, OtherPerYear: math.NaN()}},
			fields: sortedFields("loaded_cost_multiplier", "itemized.benefits_share", "itemized.payroll_tax_share",
				"itemized.tools_per_year", "itemized.other_per_year"),
		},
		{"multiplier and itemization together", HireRequest{BaseSalary: 100_000, LoadedCostMultiplier: capFloat(1.5), Itemized: &ItemizedCost{}},
			[]string{"loaded_cost_multiplier"}},
		{"multiplier below 1", HireRequest{BaseSalary: 100_000, LoadedCostMultiplier: capFloat(0.9)}, []string{"loaded_cost_multiplier"}},
		{"absurd multiplier", HireRequest{BaseSalary: 100_000, LoadedCostMultiplier: capFloat(150)}, []string{"loaded_cost_multiplier"}},
		{"no salary", HireRequest{}, []string{"base_salary"}},
		{"NaN salary", HireRequest{BaseSalary: math.NaN()}, []string{"base_salary"}},
		{"absurd salary", HireRequest{BaseSalary: 1e16}, []string{"base_salary"}},
		{"absurd trainer hours", HireRequest{BaseSalary: 100_000, TrainerHours: 1e7}, []string{"trainer_hours"}},
		{"share 1.5", HireRequest{BaseSalary: 100_000, RecruitingFeeShare: capFloat(1.5)}, []string{"recruiting_fee_share"}},
		{"ramp 25 months", HireRequest{BaseSalary: 100_000, RampMonths: hcInt(25)}, []string{"ramp_months"}},
		{
			name: "hours and a bad playbook together",
			req: HireRequest{BaseSalary: 100_000, HoursPerAccountMonth: capFloat(3),
				Playbook: &Playbook{Touchpoints: []Touchpoint{{Name: "check-in", Hours: -1, Cadence: CadenceMonthly}}}},
			fields: sortedFields("hours_per_account_month", "playbook.touchpoints[0].hours"),
		},
		{"empty playbook", HireRequest{BaseSalary: 100_000, Playbook: &Playbook{}}, []string{"playbook"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EstimateHireCost(tc.req)
			if diff := cmp.Diff(tc.fields, violationFields(t, err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEstimateHireCostValidBoundaries(t *testing.T) {
	for _, req := range []HireRequest{
		{BaseSalary: 1, LoadedCostMultiplier: capFloat(1)},
		{BaseSalary: 1e15, LoadedCostMultiplier: capFloat(MaxLoadedCostMultiplier)},
		{BaseSalary: 1e15, Itemized: &ItemizedCost{BenefitsShare: capFloat(1), PayrollTaxShare: capFloat(1), ToolsPerYear: 1e15, OtherPerYear: 1e15},
			RecruitingFeeShare: capFloat(1), SignOnBonus: 1e15, TrainerHours: 1e6, TrainerHourlyCost: capFloat(1e15)},
		{BaseSalary: 100_000, RampMonths: hcInt(MaxTimelineMonths), TimeToHireMonths: hcInt(0), RecruitingFeeShare: capFloat(0)},
	} {
		c, err := EstimateHireCost(req)
		if err != nil {
			t.Errorf("EstimateHireCost(%+v): %v", req, err)
			continue
		}
		if !finite(c.FirstYearCost) || !finite(c.RampCost) || !finite(c.TrainingCost) {
			t.Errorf("EstimateHireCost(%+v) = %+v, not finite", req, c)
		}
	}
}

func TestEvaluateHireSeed004(t *testing.T) {
	// "If you have 5 CSMs with an ARR$4M and you hire a 6th CSM because
	// the all 5 CSMs are super busy, the ARR per CSM will be $0.66M":
	// below the $1M milestone, so hold off and go tech touch first.
	got := hcEvaluate(t, hcSeed004())
	want := HireEvaluation{
		ARRPerCSMBefore:    800_000,
		ARRPerCSMAfter:     4_000_000.0 / 6,
		ARRPerCSMMilestone: 1_000_000,
		// 5 x $150K = $750K of $4M today; $900K with the hire.
		CostShareBefore: 0.1875,
		CostShareAfter:  0.225,
		FirstYearCost:   150_000,
		PaybackARR:      187_500, // 150,000 / 0.8
		Verdict:         VerdictHold,
		// No load.accounts, so no volume factor.
		Factors: []FactorResult{
			{Factor: FactorARR, Value: 800_000, HealthyMin: 1e6, HealthyMax: 2e6, Limit: 2e6, Status: LoadStatusUnder, CSMsNeeded: 2},
			{Factor: FactorWorkload, Value: 1.1, HealthyMin: 0.7, HealthyMax: 1, Limit: 1, Status: LoadStatusOver, CSMsNeeded: 6},
		},
		Alternative: AlternativeComparison{HireCostPerFTE: 150_000},
		// The playbook (the workload) sets the need: 6 CSMs for a team of 5.
		Basis:  SizingBasisPlaybook,
		Policy: SizingPolicyPlaybookFirst,
	}
	if diff := cmp.Diff(want, got, capFloatCmp, cmpopts.IgnoreFields(HireEvaluation{}, "Reasons", "Assumptions")); diff != "" {
		t.Errorf("EvaluateHire(seed 004) (-want +got):\n%s", diff)
	}
	if !hcReasonWith(got.Reasons, "$667K", "$1.00M") {
		t.Errorf("reasons %q do not name ARR per CSM after the hire ($667K) against the $1.00M milestone", got.Reasons)
	}
	if hcReasonWith(got.Reasons, "22.5%") {
		t.Errorf("reasons %q name the cost share, which is within its maximum", got.Reasons)
	}
	wantAs := []Assumption{
		{Name: "touch_model", Value: "TOUCH_MODEL_HIGH", Source: SourceRequest},
		{Name: "complexity", Value: "PRODUCT_COMPLEXITY_MODERATE", Source: "assumption: the benchmarks' own accounts ranges"},
		{Name: "hire.loaded_cost_multiplier", Value: "1.5", Source: "seed 004 ($100K salary -> about $150K a year)"},
		{Name: "hire.recruiting_fee_share", Value: "0", Source: "assumption: in-house recruiting (agencies charge 15-35% of salary)"},
		{Name: "hire.ramp_months", Value: "3", Source: "seed 004"},
		{Name: "hire.ramp_curve", Value: "RAMP_CURVE_ZERO", Source: "seed 004"},
		{Name: "hire.trainer_hourly_cost", Value: formatFloat(150_000.0 / 1880), Source: "default: the hire's annual loaded cost over 1880 working hours"},
		{Name: "hire.time_to_hire_months", Value: "2", Source: "assumption: about 42 days to fill, rounded up to whole months"},
		{Name: "current_cs_cost", Value: "750000", Source: "default: csm_count x the hire's annual loaded cost"},
		{Name: "revenue", Value: "4000000", Source: "default: arr"},
		{Name: "max_cost_share", Value: "0.25", Source: "seed 003 (CS cost at 15-25% of revenue)"},
		{Name: "gross_margin", Value: "0.8", Source: "assumption: a typical SaaS gross margin"},
	}
	if diff := cmp.Diff(wantAs, got.Assumptions); diff != "" {
		t.Errorf("assumptions (-want +got):\n%s", diff)
	}
}

// hcReasonWith reports whether one reason contains every part.
func hcReasonWith(reasons []string, parts ...string) bool {
	for _, r := range reasons {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(r, p)
		}
		if all {
			return true
		}
	}
	return false
}

func TestEvaluateHireVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		req    HireEvaluationRequest
		want   Verdict
		hireBy string
		// reasons each name these figures; absent those must not appear.
		reasons [][]string
		absent  []string
	}{
		{
			// $12M over 5 is $2.4M, past the $2M ceiling: a need. After the
			// hire $2M per CSM and (750K + 150K) / 12M = 7.5%.
			name:    "hire now: ARR over the ceiling",
			req:     HireEvaluationRequest{ARR: 12_000_000, CSMCount: 5, Hire: HireRequest{BaseSalary: 100_000}},
			want:    VerdictHireNow,
			reasons: [][]string{{"$2.40M", "$2.00M"}, {"$2.00M", "$1.00M", "7.5%", "25%"}},
		},
		{
			// 300 accounts over 5 CSMs is 60, past the cap of 50. After the
			// hire $6M / 6 = $1M: at the milestone counts.
			name: "hire now: accounts past the cap, ARR at the milestone",
			req: HireEvaluationRequest{ARR: 6_000_000, CSMCount: 5, Hire: HireRequest{BaseSalary: 100_000},
				Load: HireLoad{Accounts: hcInt(300)}},
			want:    VerdictHireNow,
			reasons: [][]string{{"60 accounts", "50"}},
			absent:  []string{"below the"},
		},
		{
			// No CSMs and $1M of ARR: load with no one to carry it. After
			// the hire $1M per CSM and 150K / 1M = 15%.
			name:    "hire now: no CSMs",
			req:     HireEvaluationRequest{ARR: 1_000_000, Hire: HireRequest{BaseSalary: 100_000}},
			want:    VerdictHireNow,
			reasons: [][]string{{"no CSMs"}},
		},
		{
			name:    "hold: ARR per CSM below the milestone",
			req:     hcSeed004(),
			want:    VerdictHold,
			reasons: [][]string{{"110%"}, {"$667K", "$1.00M"}, {"tech touch"}},
		},
		{
			// (2.9M + 150K) / 12M = 25.42%, above 25%.
			name: "hold: cost share above its maximum",
			req: HireEvaluationRequest{ARR: 12_000_000, CSMCount: 5, Hire: HireRequest{BaseSalary: 100_000},
				CurrentCSCost: capFloat(2_900_000)},
			want:    VerdictHold,
			reasons: [][]string{{"25.42%", "25%"}, {"tech touch"}},
			absent:  []string{"below the"},
		},
		{
			// Revenue $3M: (750K + 150K) / 3M = 30%, and $667K per CSM.
			name: "hold: both fail",
			req: func() HireEvaluationRequest {
				r := hcSeed004()
				r.Revenue = capFloat(3_000_000)
				return r
			}(),
			want:    VerdictHold,
			reasons: [][]string{{"$667K", "$1.00M"}, {"30%", "25%"}},
		},
		{
			// A lower maximum share: 22.5% > 20%.
			name: "hold: a given maximum share",
			req: func() HireEvaluationRequest {
				r := hcSeed004()
				r.MaxCostShare = capFloat(0.2)
				return r
			}(),
			want:    VerdictHold,
			reasons: [][]string{{"22.5%", "20%"}},
		},
		{
			// $6M over 5 is $1.2M (healthy), 0.9 utilisation (healthy): no
			// need, and the forecast calls for the hire in 2027-06.
			name: "hire later",
			req: HireEvaluationRequest{ARR: 6_000_000, CSMCount: 5, Hire: HireRequest{BaseSalary: 100_000},
				Load: HireLoad{WorkloadCSMFTE: capFloat(4.5)}, TriggerMonth: "2027-06", AsOfMonth: "2027-01"},
			want:    VerdictHireLater,
			hireBy:  "2027-06",
			reasons: [][]string{{"no capacity need"}, {"2027-06"}},
			absent:  []string{"below the"},
		},
		{
			// Without as_of_month the evaluation is made today, 2026-12.
			name: "hire later from today",
			req: HireEvaluationRequest{ARR: 6_000_000, CSMCount: 5, Hire: HireRequest{BaseSalary: 100_000},
				TriggerMonth: "2027-01"},
			want:   VerdictHireLater,
			hireBy: "2027-01",
		},
		{
			name: "hold: trigger month not after as_of_month",
			req: HireEvaluationRequest{ARR: 6_000_000, CSMCount: 5, Hire: HireRequest{BaseSalary: 100_000},
				TriggerMonth: "2027-01", AsOfMonth: "2027-01"},
			want:    VerdictHold,
			reasons: [][]string{{"2027-01", "not after"}},
		},
		{
			name: "hold: trigger month passed today",
			req: HireEvaluationRequest{ARR: 6_000_000, CSMCount: 5, Hire: HireRequest{BaseSalary: 100_000},
				TriggerMonth: "2026-11"},
			want: VerdictHold,
		},
		{
			// No need and no trigger; $5M / 6 = $833K is still named.
			name:    "hold: no need, no trigger",
			req:     HireEvaluationRequest{ARR: 5_000_000, CSMCount: 5, Hire: HireRequest{BaseSalary: 100_000}},
			want:    VerdictHold,
			reasons: [][]string{{"no capacity need"}, {"$833K", "$1.00M"}, {"trigger_month"}},
		},
		{
			// Low touch: the milestone is $2M. $9M over 4 is $2.25M, within
			// the $5M ceiling, but the workload of 4.4 FTE is 110%. After
			// the hire $9M / 5 = $1.8M, below $2M.
			name: "hold: low-touch milestone",
			req: HireEvaluationRequest{ARR: 9_000_000, CSMCount: 4, TouchModel: TouchModelLow, Hire: HireRequest{BaseSalary: 100_000},
				Load: HireLoad{WorkloadCSMFTE: capFloat(4.4)}},
			want:    VerdictHold,
			reasons: [][]string{{"$1.80M", "$2.00M", "low-touch"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := hcEvaluate(t, tc.req)
			if got.Verdict != tc.want {
				t.Errorf("verdict = %v, want %v; reasons:\n%s", got.Verdict, tc.want, strings.Join(got.Reasons, "\n"))
			}
			gotBy := ""
			if got.HireByMonth != nil {
				gotBy = got.HireByMonth.String()
			}
			if gotBy != tc.hireBy {
				t.Errorf("hire by %q, want %q", gotBy, tc.hireBy)
			}
			for _, parts := range tc.reasons {
				if !hcReasonWith(got.Reasons, parts...) {
					t.Errorf("no reason names %q:\n%s", parts, strings.Join(got.Reasons, "\n"))
				}
			}
			for _, s := range tc.absent {
				if hcReasonWith(got.Reasons, s) {
					t.Errorf("a reason names %q:\n%s", s, strings.Join(got.Reasons, "\n"))
				}
			}
		})
	}
}

func TestEvaluateHireAsOfAssumption(t *testing.T) {
	for _, tc := range []struct {
		asOf string
		want Assumption
	}{
		{"", Assumption{Name: "as_of_month", Value: "2026-12", Source: "current month (UTC)"}},
		{"2027-03", Assumption{Name: "as_of_month", Value: "2027-03", Source: SourceRequest}},
	} {
		got := hcEvaluate(t, HireEvaluationRequest{ARR: 6e6, CSMCount: 5, Hire: HireRequest{BaseSalary: 1e5}, TriggerMonth: "2027-06", AsOfMonth: tc.asOf})
		var found *Assumption
		for i, a := range got.Assumptions {
			if a.Name == "as_of_month" {
				found = &got.Assumptions[i]
			}
		}
		if found == nil || *found != tc.want {
			t.Errorf("as_of %q: as_of_month assumption = %v, want %v", tc.asOf, found, tc.want)
		}
	}
}

func TestEvaluateHireEconomics(t *testing.T) {
	// The hire: loaded 150,000 (12,500 a month); one-time 20,000 fee +
	// 10,000 bonus + 40 h x $50 = 32,000; first year 182,000.
	hire := HireRequest{BaseSalary: 100_000, RecruitingFeeShare: capFloat(0.2), SignOnBonus: 10_000, TrainerHours: 40, TrainerHourlyCost: capFloat(50)}
	for _, tc := range []struct {
		name                  string
		cash, burn, margin    *float64
		current, revenue      *float64
		wantBefore, wantAfter float64
		wantPayback           float64
		wantShare             [2]float64
	}{
		{
			// 3,000,000 / 200,000 = 15; (3,000,000 - 32,000) / 212,500.
			name: "runway", cash: capFloat(3_000_000), burn: capFloat(200_000),
			wantBefore: 15, wantAfter: 2_968_000.0 / 212_500, wantPayback: 182_000 / 0.8,
			wantShare: [2]float64{0.1875, 0.225},
		},
		{
			// The one-time costs overdraw 20,000 of cash: no runway left.
			name: "cash short of the one-time costs", cash: capFloat(20_000), burn: capFloat(10_000),
			wantBefore: 2, wantAfter: 0, wantPayback: 182_000 / 0.8,
			wantShare: [2]float64{0.1875, 0.225},
		},
		{
			// Burn without cash: no runway figures.
			name: "no cash", burn: capFloat(10_000), wantPayback: 182_000 / 0.8,
			wantShare: [2]float64{0.1875, 0.225},
		},
		{
			// 182,000 / 0.7 = 260,000; 600,000 / 5,000,000 = 12%, 750,000 /
			// 5,000,000 = 15%.
			name: "given margin, cost and revenue", margin: capFloat(0.7), current: capFloat(600_000), revenue: capFloat(5_000_000),
			wantPayback: 260_000, wantShare: [2]float64{0.12, 0.15},
		},
		{
			// Revenue 0: a zero divisor gives 0.
			name: "no revenue", revenue: capFloat(0), wantPayback: 182_000 / 0.8,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := hcSeed004()
			req.Hire = hire
			req.Cash, req.MonthlyBurn, req.GrossMargin = tc.cash, tc.burn, tc.margin
			req.CurrentCSCost, req.Revenue = tc.current, tc.revenue
			got := hcEvaluate(t, req)
			gotFigures := []float64{got.RunwayMonthsBefore, got.RunwayMonthsAfter, got.PaybackARR, got.FirstYearCost, got.CostShareBefore, got.CostShareAfter}
			want := []float64{tc.wantBefore, tc.wantAfter, tc.wantPayback, 182_000, tc.wantShare[0], tc.wantShare[1]}
			if diff := cmp.Diff(want, gotFigures, capFloatCmp); diff != "" {
				t.Errorf("runway before, after, payback, first year, share before, after (-want +got):\n%s", diff)
			}
			if named := hcReasonWith(got.Reasons, "Runway"); named != (tc.cash != nil) {
				t.Errorf("a reason names runway: %v, want %v", named, tc.cash != nil)
			}
		})
	}
}

func TestEvaluateHireAlternative(t *testing.T) {
	for _, tc := range []struct {
		name    string
		time    CSMTime
		alt     TechTouchAlternative
		want    AlternativeComparison
		cheaper string
	}{
		{
			// Default month: 104.44 customer hours. 60 accounts x 1.5 h = 90
			// h = 0.8617 FTE for $40K: $46,420 per FTE against $150K.
			name: "tech touch cheaper",
			alt:  TechTouchAlternative{AccountsMoved: 60, HoursSavedPerAccountMonth: 1.5, PlatformCostPerYear: 40_000},
			want: AlternativeComparison{CSMFTEFreed: 90 / (40 * 47.0 / 12 * 2 / 3), Cost: 40_000,
				CostPerFTEFreed: 40_000 / (90 / (40 * 47.0 / 12 * 2 / 3)), HireCostPerFTE: 150_000},
			cheaper: "tech touch is cheaper per FTE",
		},
		{
			// Half the month customer-facing: 156.67 x 0.5 = 78.33 h. 100 x
			// 0.5 h = 50 h = 0.6383 FTE for $200K: $313,333 per FTE.
			name: "hiring cheaper",
			time: CSMTime{CustomerFacingShare: capFloat(0.5)},
			alt:  TechTouchAlternative{AccountsMoved: 100, HoursSavedPerAccountMonth: 0.5, PlatformCostPerYear: 200_000},
			want: AlternativeComparison{CSMFTEFreed: 50 / (40 * 47.0 / 12 / 2), Cost: 200_000,
				CostPerFTEFreed: 200_000 / (50 / (40 * 47.0 / 12 / 2)), HireCostPerFTE: 150_000},
			cheaper: "hiring is cheaper per FTE",
		},
		{
			// One FTE for exactly the hire's cost: 104.44 h freed.
			name:    "same cost",
			alt:     TechTouchAlternative{AccountsMoved: 1, HoursSavedPerAccountMonth: 40 * 47.0 / 12 * 2 / 3, PlatformCostPerYear: 150_000},
			want:    AlternativeComparison{CSMFTEFreed: 1, Cost: 150_000, CostPerFTEFreed: 150_000, HireCostPerFTE: 150_000},
			cheaper: "both cost the same per FTE",
		},
		{
			// A platform that frees nothing: cost per FTE 0, not infinite.
			name:    "nothing freed",
			alt:     TechTouchAlternative{PlatformCostPerYear: 10_000},
			want:    AlternativeComparison{Cost: 10_000, HireCostPerFTE: 150_000},
			cheaper: "frees no CSM time",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := hcSeed004()
			req.CSMTime, req.Alternative = tc.time, tc.alt
			got := hcEvaluate(t, req)
			if diff := cmp.Diff(tc.want, got.Alternative, capFloatCmp); diff != "" {
				t.Errorf("alternative (-want +got):\n%s", diff)
			}
			if !hcReasonWith(got.Reasons, tc.cheaper) {
				t.Errorf("no reason says %q:\n%s", tc.cheaper, strings.Join(got.Reasons, "\n"))
			}
			// The CSM's month is echoed once it prices the alternative.
			if !hcHasAssumption(got.Assumptions, "csm_time.weekly_hours") {
				t.Errorf("assumptions lack csm_time.weekly_hours: %v", got.Assumptions)
			}
			if got.Verdict != VerdictHold {
				t.Errorf("verdict = %v, want the alternative to leave seed 004's HOLD alone", got.Verdict)
			}
		})
	}
	// Without an alternative the CSM's month is not an input.
	if got := hcEvaluate(t, hcSeed004()); hcHasAssumption(got.Assumptions, "csm_time.weekly_hours") {
		t.Errorf("assumptions name csm_time without an alternative: %v", got.Assumptions)
	}
}

func hcHasAssumption(as []Assumption, name string) bool {
	for _, a := range as {
		if a.Name == name {
			return true
		}
	}
	return false
}

func TestEvaluateHireValidation(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name   string
		req    HireEvaluationRequest
		fields []string
	}{
		{
			name: "every field at once",
			req: HireEvaluationRequest{
				ARR: -1, CSMCount: -1, TouchModel: TouchModel(9), Complexity: Complexity(-1),
				Hire:          hcBadHire(),
				CurrentCSCost: capFloat(nan), Revenue: capFloat(-1), MaxCostShare: capFloat(1.5), GrossMargin: capFloat(0),
				Cash:         capFloat(-1),
				Load:         HireLoad{Accounts: hcInt(-1), WorkloadCSMFTE: capFloat(nan)},
				CSMTime:      CSMTime{WeeklyHours: capFloat(0)},
				TriggerMonth: "2027-13", AsOfMonth: "soon",
				Alternative: TechTouchAlternative{AccountsMoved: -1, HoursSavedPerAccountMonth: nan, PlatformCostPerYear: -1},
			},
			fields: sortedFields(append(hcBadHireFields("hire"),
				"arr", "csm_count", "touch_model", "complexity",
				"current_cs_cost", "revenue", "max_cost_share", "gross_margin", "cash", "monthly_burn",
				"load.accounts", "load.workload_csm_fte", "csm_time.weekly_hours", "trigger_month", "as_of_month",
				"tech_touch_alternative.accounts_moved", "tech_touch_alternative.hours_saved_per_account_month",
				"tech_touch_alternative.platform_cost_per_year")...),
		},
		{"no hire", HireEvaluationRequest{ARR: 4e6, CSMCount: 5}, []string{"hire.base_salary"}},
		{
			name:   "hire with multiplier and itemization",
			req:    HireEvaluationRequest{ARR: 4e6, CSMCount: 5, Hire: HireRequest{BaseSalary: 1e5, LoadedCostMultiplier: capFloat(1.5), Itemized: &ItemizedCost{}}},
			fields: []string{"hire.loaded_cost_multiplier"},
		},
		{
			name:   "cash with a burn of 0",
			req:    HireEvaluationRequest{ARR: 4e6, CSMCount: 5, Hire: HireRequest{BaseSalary: 1e5}, Cash: capFloat(1e6), MonthlyBurn: capFloat(0)},
			fields: []string{"monthly_burn"},
		},
		{
			name:   "cash without burn",
			req:    HireEvaluationRequest{ARR: 4e6, CSMCount: 5, Hire: HireRequest{BaseSalary: 1e5}, Cash: capFloat(1e6)},
			fields: []string{"monthly_burn"},
		},
		{
			name:   "negative burn",
			req:    HireEvaluationRequest{ARR: 4e6, CSMCount: 5, Hire: HireRequest{BaseSalary: 1e5}, MonthlyBurn: capFloat(-5)},
			fields: []string{"monthly_burn"},
		},
		{
			name: "more accounts moved than the book has",
			req: HireEvaluationRequest{ARR: 4e6, CSMCount: 5, Hire: HireRequest{BaseSalary: 1e5}, Load: HireLoad{Accounts: hcInt(100)},
				Alternative: TechTouchAlternative{AccountsMoved: 101, HoursSavedPerAccountMonth: 1}},
			fields: []string{"tech_touch_alternative.accounts_moved"},
		},
		{
			name:   "gross margin above 1",
			req:    HireEvaluationRequest{ARR: 4e6, CSMCount: 5, Hire: HireRequest{BaseSalary: 1e5}, GrossMargin: capFloat(80)},
			fields: []string{"gross_margin"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EvaluateHire(tc.req, hcToday)
			if diff := cmp.Diff(tc.fields, violationFields(t, err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHireAmountText(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "$0"},
		{999.5, "$1,000"},
		{187_500, "$187,500"},
		{46_419.75, "$46,420"},
		{1_234_567, "$1,234,567"},
		{-12_500, "-$12,500"},
	} {
		if got := hireAmountText(tc.in, "USD"); got != tc.want {
			t.Errorf("hireAmountText(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
