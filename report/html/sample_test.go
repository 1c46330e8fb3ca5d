package html

import (
	"fmt"

	"github.com/csplan/csplan/planner"
)

// sampleReport is a hand-built report of a believable company: three
// segments, a growing mid-market book that needs hires, a cost share above
// the band with the three ways out.
func sampleReport() *planner.Report {
	r := &planner.Report{
		Version:       planner.ReportVersion,
		Company:       "Northwind Analytics",
		Currency:      "USD",
		StartMonth:    "2026-01",
		HorizonMonths: 18,
		Book:          planner.Book{Source: "csv", AccountsFile: "examples/accounts.csv", Accounts: 1012, ARR: 18_450_000, Revenue: 18_450_000},
	}
	r.Summary = planner.Summary{
		Segments: []planner.SegmentNeed{
			{Name: "Enterprise", TouchModel: "HIGH", Accounts: 62, ARR: 9_300_000, CSMs: 3, NeededNow: 5, NeededIn12Months: 6, GapNow: 2, GapIn12Months: 3, BindingFactor: "ARR", BindingFactorIn12Months: "ARR"},
			{Name: "Mid-Market", TouchModel: "LOW", Accounts: 310, ARR: 6_200_000, CSMs: 3, NeededNow: 3, NeededIn12Months: 5, GapNow: 0, GapIn12Months: 2, BindingFactor: "VOLUME", BindingFactorIn12Months: "VOLUME"},
			{Name: "SMB", TouchModel: "TECH", Accounts: 622, ARR: 2_750_000, CSMs: 1, NeededNow: 1, NeededIn12Months: 1, GapNow: 0, GapIn12Months: 0, BindingFactor: "VOLUME", BindingFactorIn12Months: "VOLUME"},
		},
		Total: planner.SegmentNeed{Name: "Total", Accounts: 1012, ARR: 18_450_000, CSMs: 7, NeededNow: 9, NeededIn12Months: 12, GapNow: 2, GapIn12Months: 5, BindingFactor: "ARR", BindingFactorIn12Months: "VOLUME"},
		Requisitions: []planner.Requisition{
			{Segment: "Enterprise", RequisitionMonth: "2026-01", StartMonth: "2026-03", RampedMonth: "2026-06", Status: "DUE_NOW", FirstYearCost: 187_500},
			{Segment: "Mid-Market", RequisitionMonth: "2026-04", StartMonth: "2026-06", RampedMonth: "2026-09", Status: "UPCOMING", FirstYearCost: 142_000},
			{Segment: "Mid-Market", RequisitionMonth: "2026-09", StartMonth: "2026-11", RampedMonth: "2027-02", Status: "UPCOMING", FirstYearCost: 142_000},
		},
		CostShare: planner.CostShare{Min: 0.15, Max: 0.25,
			CurrentCost: 1_050_000, Current: 0.0569, CurrentBand: "BELOW",
			NeededCost: 4_950_000, Needed: 0.2683, NeededBand: "ABOVE",
			In12MonthsCost: 5_700_000, In12Months: 0.2471, In12MonthsBand: "WITHIN"},
		Verdict:     "HIRE_NOW",
		Reasons:     []string{"ARR per CSM of $3.1M is over the $2M ceiling for high touch.", "After the hire ARR per CSM stays at $2.33M, above the $1M milestone."},
		Actions:     []string{"Open the Enterprise requisition now: a ramped CSM is needed by Jun 2026.", "Plan two Mid-Market hires: requisitions in Apr 2026 and Sep 2026."},
		HireByMonth: "",
	}
	r.Capacity = planner.Capacity{
		AvailableHoursPerCSMMonth: 104.44,
		Segments: []planner.SegmentCapacity{
			{Name: "Enterprise", Accounts: 62, ARR: 9_300_000, HoursPerAccountMonth: 7.25, AccountsPerCSM: 14, CSMFTE: 4.3, CSMHeadcount: 5, ARRPerCSM: 2_162_790,
				Breakdown: []planner.HoursBreakdown{{Name: "Weekly check-in", HoursPerAccountMonth: 4.333}, {Name: "Quarterly business review", HoursPerAccountMonth: 1.5}, {Name: "Onboarding", HoursPerAccountMonth: 0.417}, {Name: "Support escalations", HoursPerAccountMonth: 1}}},
			{Name: "Mid-Market", Accounts: 310, ARR: 6_200_000, HoursPerAccountMonth: 1.1, AccountsPerCSM: 94, CSMFTE: 3.27, CSMHeadcount: 4, ARRPerCSM: 1_896_000,
				Breakdown: []planner.HoursBreakdown{{Name: "Monthly check-in", HoursPerAccountMonth: 0.5}, {Name: "Kick-off", HoursPerAccountMonth: 0.1}, {Name: "Requests", HoursPerAccountMonth: 0.5}}},
		},
		TotalCSMFTE: 7.57, TotalCSMHeadcount: 9, TotalARR: 15_500_000, ARRPerCSM: 2_047_556,
	}
	ent := planner.TeamEvaluation{Name: "Enterprise", TouchModel: "HIGH", Complexity: "COMPLEX", CSMs: 3, Accounts: 62, ARR: 9_300_000, WorkloadCSMFTE: 4.3,
		ARRPerCSM: 3_100_000, AccountsPerCSM: 20.7, BindingFactor: "ARR", CSMsNeeded: 5, CSMGap: 2,
		Factors: []planner.FactorResult{
			{Factor: "ARR", Value: 3_100_000, HealthyMin: 1_000_000, HealthyMax: 2_000_000, Limit: 2_000_000, Status: "OVER", CSMsNeeded: 5},
			{Factor: "VOLUME", Value: 20.7, HealthyMin: 15, HealthyMax: 18, Limit: 30, Status: "STRETCHED", CSMsNeeded: 4},
			{Factor: "WORKLOAD", Value: 1.43, HealthyMin: 0.7, HealthyMax: 1, Limit: 1, Status: "OVER", CSMsNeeded: 5},
		},
		Findings: []planner.Finding{{Severity: "CRITICAL", Factor: "ARR", Value: 3_100_000, Threshold: 2_000_000, Message: "ARR per CSM is $3.1M, over the $2M ceiling: the team is overloaded."},
			{Severity: "WARNING", Signal: "csm_weekly_hours", Value: 48, Threshold: 45, Message: "CSMs work 48 hours a week, over 45."}},
	}
	mm := planner.TeamEvaluation{Name: "Mid-Market", TouchModel: "LOW", Complexity: "MODERATE", CSMs: 3, Accounts: 310, ARR: 6_200_000,
		ARRPerCSM: 2_066_667, AccountsPerCSM: 103.3, BindingFactor: "VOLUME", CSMsNeeded: 3, CSMGap: 0,
		Factors: []planner.FactorResult{
			{Factor: "ARR", Value: 2_066_667, HealthyMin: 2_000_000, HealthyMax: 5_000_000, Limit: 5_000_000, Status: "HEALTHY", CSMsNeeded: 2},
			{Factor: "VOLUME", Value: 103.3, HealthyMin: 75, HealthyMax: 125, Limit: 200, Status: "HEALTHY", CSMsNeeded: 3},
		}}
	r.Evaluation = planner.Evaluation{
		Segments: []planner.TeamEvaluation{ent, mm},
		Overall: planner.TeamEvaluation{Name: "Company", TouchModel: "HIGH", Complexity: "MODERATE", CSMs: 7, Accounts: 1012, ARR: 18_450_000, ARRPerCSM: 2_635_714, AccountsPerCSM: 144.6,
			BindingFactor: "ARR", CSMsNeeded: 10, CSMGap: 3,
			Factors: []planner.FactorResult{{Factor: "ARR", Value: 2_635_714, HealthyMin: 1_000_000, HealthyMax: 2_000_000, Limit: 2_000_000, Status: "OVER", CSMsNeeded: 10}}},
	}
	r.Forecast = planner.Forecast{Segments: []planner.SegmentForecast{
		forecastSeries("Enterprise", "HIGH", 62, 9_300_000, 3, 1.5, 0.004, 0.01, []string{"2026-03"},
			planner.Thresholds{ReviewAccountsPerCSM: 18, HireAccountsPerCSM: 30, CriticalAccountsPerCSM: 45, ARRPerCSM: 2_000_000}, r.Summary.Requisitions[:1]),
		forecastSeries("Mid-Market", "LOW", 310, 6_200_000, 3, 9, 0.01, 0.005, nil,
			planner.Thresholds{ReviewAccountsPerCSM: 125, HireAccountsPerCSM: 200, CriticalAccountsPerCSM: 300, ARRPerCSM: 5_000_000}, r.Summary.Requisitions[1:]),
	}}
	r.Forecast.Segments[0].Triggers = []planner.Trigger{
		{Name: "review", Threshold: 18, CrossingMonth: "2026-01", OpenRequisitionBy: "2025-08", Status: "OVERDUE", MonthsLate: 5},
		{Name: "hire", Threshold: 30, Status: "NOT_REACHED"},
		{Name: "critical", Threshold: 45, Status: "NOT_REACHED"},
		{Name: "arr", Threshold: 2_000_000, CrossingMonth: "2026-01", OpenRequisitionBy: "2025-08", Status: "OVERDUE", MonthsLate: 5},
	}
	r.Forecast.Segments[1].Triggers = []planner.Trigger{
		{Name: "review", Threshold: 125, CrossingMonth: "2026-06", OpenRequisitionBy: "2026-01", Status: "DUE_NOW"},
		{Name: "hire", Threshold: 200, CrossingMonth: "2026-11", OpenRequisitionBy: "2026-06", Status: "UPCOMING"},
		{Name: "critical", Threshold: 300, Status: "NOT_REACHED"},
		{Name: "arr", Threshold: 5_000_000, Status: "NOT_REACHED"},
	}
	r.Segmentation = planner.Segmentation{
		Segments: []planner.SegmentSummary{
			{Name: "Enterprise", TouchModel: "HIGH", Accounts: 62, ARR: 9_300_000, ARRMean: 150_000, ARRMedian: ptr(120_000.0), ARRP90: ptr(310_000.0), AccountShare: 0.0613, ARRShare: 0.504, AccountsPerCSM: 14, CSMFTE: 4.3, CSMHeadcount: 5,
				StageCounts: []planner.StageCount{{Stage: "Onboarding", Accounts: 6}, {Stage: "Adopted", Accounts: 50}, {Stage: "Renewal", Accounts: 6}}},
			{Name: "Mid-Market", TouchModel: "LOW", Accounts: 310, ARR: 6_200_000, ARRMean: 20_000, ARRMedian: ptr(18_000.0), ARRP90: ptr(42_000.0), AccountShare: 0.3063, ARRShare: 0.336, AccountsPerCSM: 94, CSMFTE: 3.27, CSMHeadcount: 4},
			{Name: "SMB", TouchModel: "TECH", Accounts: 622, ARR: 2_750_000, ARRMean: 4_421, ARRMedian: ptr(3_600.0), ARRP90: ptr(9_000.0), AccountShare: 0.6146, ARRShare: 0.149, AccountsPerCSM: 750, CSMFTE: 0.83, CSMHeadcount: 1},
		},
		Unassigned:    planner.SegmentSummary{Name: "Unassigned", Accounts: 18, ARR: 200_000, ARRMean: 11_111, ARRMedian: ptr(9_000.0), ARRP90: ptr(20_000.0), AccountShare: 0.0178, ARRShare: 0.0108},
		TotalAccounts: 1012, TotalARR: 18_450_000,
		Suggestion: &planner.Suggestion{GoodnessOfVarianceFit: 0.912, Top10PercentARRShare: 0.48, Top20PercentARRShare: 0.63, ZeroARRAccounts: 4,
			Tiers: []planner.SuggestedTier{
				{Name: "Tier 1", MinARR: 60_000, MaxARR: 900_000, SuggestedMinARR: 55_000, Accounts: 71, ARR: 9_700_000, ARRShare: 0.526},
				{Name: "Tier 2", MinARR: 9_000, MaxARR: 52_000, SuggestedMinARR: 8_500, Accounts: 320, ARR: 6_100_000, ARRShare: 0.331},
				{Name: "Tier 3", MinARR: 0, MaxARR: 8_000, Accounts: 621, ARR: 2_650_000, ARRShare: 0.143},
			}},
	}
	r.Coverage = planner.Coverage{
		CSMLoadedCost: 150_000, Revenue: 18_450_000, MinCostShare: 0.15, MaxCostShare: 0.25,
		Segments: []planner.SegmentCoverage{
			{Name: "Enterprise", AccountsPerCSM: 5, CSMFTE: 12.4, CSMHeadcount: 13, Cost: 1_950_000, CostShare: 0.1057},
			{Name: "Mid-Market", AccountsPerCSM: 20, CSMFTE: 15.5, CSMHeadcount: 16, Cost: 2_400_000, CostShare: 0.1301},
			{Name: "SMB", AccountsPerCSM: 200, CSMFTE: 3.11, CSMHeadcount: 4, Cost: 600_000, CostShare: 0.0325},
		},
		TotalCSMHeadcount: 33, TotalCost: 4_950_000, CostShare: 0.2683, Band: "ABOVE",
		Options: []planner.CoverageOption{
			{Kind: "INVEST", Description: "Fund the coverage plan: $337,500 a year over the 25% budget.", ExtraCost: 337_500, CostShare: 0.2683},
			{Kind: "COVER_SUBSET", Description: "Keep coverage for Enterprise and Mid-Market; move SMB to tech touch.", CostShare: 0.2358,
				KeptSegments: []string{"Enterprise", "Mid-Market"}, MovedSegments: []string{"SMB"},
				Segments: []planner.OptionSegment{{Name: "Enterprise", AccountsPerCSM: 5, CSMHeadcount: 13, Cost: 1_950_000}, {Name: "Mid-Market", AccountsPerCSM: 20, CSMHeadcount: 16, Cost: 2_400_000}}},
			{Kind: "REDUCE_COVERAGE", Description: "Give every CSM 8% more accounts.", CostShare: 0.25, CoverageFactor: 1.081,
				Segments: []planner.OptionSegment{{Name: "Enterprise", AccountsPerCSM: 5.4, CSMHeadcount: 12, Cost: 1_800_000}, {Name: "Mid-Market", AccountsPerCSM: 21.6, CSMHeadcount: 15, Cost: 2_250_000}, {Name: "SMB", AccountsPerCSM: 216, CSMHeadcount: 3, Cost: 450_000}}},
		},
	}
	r.Hiring = planner.Hiring{
		Cost: planner.HireCost{BaseSalary: 100_000, AnnualLoadedCost: 150_000, MonthlyLoadedCost: 12_500, RampCost: 37_500, RecruitingFee: 0, SignOnBonus: 5_000,
			TrainingCost: 4_327, FirstYearCost: 159_327, ProductiveMonthsFirstYear: 9, TrainingCapacityHours: 40, TrainingCapacityAccountMonths: 11.1},
		Evaluation: planner.HireEvaluation{ARRPerCSMBefore: 2_635_714, ARRPerCSMAfter: 2_306_250, ARRPerCSMMilestone: 1_000_000, CostShareBefore: 0.0569, CostShareAfter: 0.065,
			FirstYearCost: 159_327, PaybackARR: 199_159, RunwayMonthsBefore: 26.4, RunwayMonthsAfter: 24.9, Verdict: "HIRE_NOW",
			Reasons: r.Summary.Reasons, Factors: r.Evaluation.Overall.Factors,
			Alternative: &planner.Alternative{CSMFTEFreed: 0.8, Cost: 60_000, CostPerFTEFreed: 75_000, HireCostPerFTE: 159_327}},
	}
	r.Assumptions = []planner.Assumption{
		{Section: "capacity", Name: "csm_time.weekly_hours", Value: "40", Source: "request"},
		{Section: "capacity", Name: "csm_time.customer_facing_share", Value: "0.6667", Source: "seed 002"},
		{Section: "forecast", Name: "timeline.ramp_months", Value: "3", Source: "seed 004"},
		{Section: "forecast", Name: "timeline.time_to_hire_months", Value: "2", Source: "assumption"},
		{Section: "coverage", Name: "max_cost_share", Value: "0.25", Source: "seed 003"},
		{Section: "hiring", Name: "loaded_cost_multiplier", Value: "1.5", Source: "seed 004"},
	}
	return r
}

// forecastSeries builds a monthly series from 2026-01: the book grows by
// newPerMonth accounts, the team grows with the plan's hires (ramping
// linearly) and the planned hires.
func forecastSeries(name, touch string, accounts int, arr float64, csms int, newPerMonth, churn, expansion float64, planned []string,
	th planner.Thresholds, plan []planner.Requisition) planner.SegmentForecast {
	f := planner.SegmentForecast{Name: name, TouchModel: touch, NewAccountsPerMonth: newPerMonth, MonthlyLogoChurnRate: churn, MonthlyExpansionRate: expansion,
		PlannedHireMonths: planned, Thresholds: th, HiringPlan: plan}
	starts := append([]string(nil), planned...)
	for _, h := range plan {
		starts = append(starts, h.StartMonth)
	}
	a := float64(accounts)
	meanARR := arr / a
	for m := 0; m <= 18; m++ {
		month := fmt.Sprintf("%04d-%02d", 2026+m/12, m%12+1)
		if m > 0 {
			a = a*(1-churn) + newPerMonth
			arr = arr*(1-churn)*(1+expansion) + newPerMonth*meanARR
		}
		head, eff := csms, float64(csms)
		for _, s := range starts {
			idx, _ := monthIndex(s)
			k := m - (idx - (2026*12 + 0))
			if k >= 0 {
				head++
				eff += min(1, float64(k)/3)
			}
		}
		f.Months = append(f.Months, planner.ForecastMonth{Month: month, Accounts: a, ARR: arr, CSMHeadcount: head, EffectiveCSMs: eff,
			AccountsPerCSM: a / eff, ARRPerCSM: arr / eff, CSCost: float64(head) * 12_500, CSCostShare: float64(head) * 12_500 * 12 / arr})
	}
	return f
}

func ptr(v float64) *float64 { return &v }
