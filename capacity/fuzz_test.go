package capacity

import (
	"errors"
	"math"
	"testing"
)

// The fuzz targets below drive each service's validator and computation
// with arbitrary numbers: a request is either rejected with a
// *ValidationError whose every violation names a field, or answered with
// finite figures and whole, non-negative headcounts. Nothing panics.

func checkRejection(t *testing.T, err error) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) == 0 {
		t.Fatalf("error %v (%T) is not a ValidationError with violations", err, err)
	}
	for _, v := range ve.Violations {
		if v.Field == "" || v.Reason == "" {
			t.Fatalf("violation without a field or reason: %+v", v)
		}
	}
}

func checkFinite(t *testing.T, what string, xs ...float64) {
	t.Helper()
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Fatalf("%s: non-finite figure %v in %v", what, x, xs)
		}
	}
}

func opt(set bool, x float64) *float64 {
	if !set {
		return nil
	}
	return &x
}

func FuzzComputeCapacity(f *testing.F) {
	f.Add(40.0, 25.0, 2.0/3, 1.0, int32(200), 5e6, 1.0, int32(3), 3.0, 4.0, 2.0, 0.5, "Core")
	f.Add(168.0, 259.0, 1.0, 0.01, int32(math.MaxInt32), 1e308, 1e-300, int32(1), 0.0, 1e308, 1e308, 1e308, "")
	f.Add(-1.0, math.NaN(), 1.5, 0.0, int32(-5), math.Inf(1), -3.0, int32(99), math.NaN(), -1.0, 0.0, 0.0, "x")
	f.Fuzz(func(t *testing.T, weekly, timeOff, share, util float64, accounts int32, arr, hours float64, cadence int32, perYear, oneTime, inbound, inboundHours float64, name string) {
		req := CapacityRequest{
			CSMTime: CSMTime{WeeklyHours: &weekly, TimeOffDaysPerYear: &timeOff, CustomerFacingShare: &share, TargetUtilization: &util},
			Segments: []Segment{{
				Name: name, Accounts: accounts, ARR: arr,
				Playbook: Playbook{
					Touchpoints: []Touchpoint{
						{Name: "recurring", Hours: hours, Cadence: Cadence(cadence)},
						{Name: "per year", Hours: hours, PerYear: &perYear},
						{Name: "kick-off", Hours: oneTime, Cadence: CadenceOneTime},
					},
					Inbound: []InboundActivity{{Name: "requests", PerAccountPerMonth: inbound, Hours: inboundHours}},
				},
			}},
		}
		plan, err := ComputeCapacity(req)
		if err != nil {
			checkRejection(t, err)
			return
		}
		checkFinite(t, "capacity", plan.AvailableHoursPerCSMMonth, plan.TotalCSMFTE, plan.ARRPerCSM, plan.TotalARR)
		for _, s := range plan.Segments {
			checkFinite(t, "segment", s.HoursPerAccountMonth, s.AccountsPerCSM, s.CSMFTE, s.ARRPerCSM)
			if s.CSMHeadcount < 0 || float64(s.CSMHeadcount)+1e-6 < s.CSMFTE-1e-9 {
				t.Fatalf("headcount %d does not cover %v FTE", s.CSMHeadcount, s.CSMFTE)
			}
		}
	})
}

func FuzzEvaluateTeam(f *testing.F) {
	f.Add(int32(5), int32(140), 4e6, int32(1), int32(2), true, 5.5, 0.03, 0.02, 48.0, 0.82, 0.12, true, 2e6)
	f.Add(int32(0), int32(0), 0.0, int32(0), int32(0), false, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, false, 0.0)
	f.Add(int32(-1), int32(math.MaxInt32), math.Inf(1), int32(9), int32(-2), true, math.NaN(), 2.0, -1.0, 500.0, 1.5, -0.1, true, -5.0)
	f.Fuzz(func(t *testing.T, csms, accounts int32, arr float64, model, complexity int32, hasFTE bool, fte, churn, prevChurn, weekly, completion, noContact float64, override bool, floor float64) {
		req := TeamRequest{
			CSMCount: csms, Accounts: accounts, ARR: arr, TouchModel: TouchModel(model), Complexity: Complexity(complexity),
			WorkloadCSMFTE: opt(hasFTE, fte),
			Signals: Signals{ChurnRate: &churn, PreviousChurnRate: &prevChurn, CSMWeeklyHours: &weekly,
				TouchpointCompletionRate: &completion, AccountsWithoutRecentContactShare: &noContact},
		}
		if override {
			req.Benchmarks.TouchModels = []TouchModelOverride{{TouchModel: TouchModelHigh, ARRPerCSMFloor: &floor}}
		}
		ev, err := EvaluateTeam(req)
		if err != nil {
			checkRejection(t, err)
			return
		}
		checkFinite(t, "evaluation", ev.ARRPerCSM, ev.AccountsPerCSM)
		if ev.BindingFactor == FactorUnspecified || ev.CSMsNeeded < 0 || ev.CSMGap != ev.CSMsNeeded-csms {
			t.Fatalf("binding %v, needed %d, gap %d for %d CSMs", ev.BindingFactor, ev.CSMsNeeded, ev.CSMGap, csms)
		}
		for _, fr := range ev.Factors {
			checkFinite(t, "factor", fr.Value, fr.HealthyMin, fr.HealthyMax, fr.Limit)
			if fr.Status == LoadStatusUnspecified {
				t.Fatalf("factor %v has no status", fr.Factor)
			}
		}
	})
}

func FuzzForecastCapacity(f *testing.F) {
	f.Add("2026-12", int32(12), int32(60), 3e6, int32(1), "2027-02", 5.0, 0.01, 0.005, 30000.0, int32(2), int32(3), int32(1), 0.1, 50.0)
	f.Add("", int32(120), int32(math.MaxInt32), 1e15, int32(0), "9999-12", 1e9, 1.0, 1.0, 0.0, int32(24), int32(0), int32(2), 0.999, 1e-12)
	f.Add("2027-13", int32(121), int32(-1), math.NaN(), int32(-3), "x", -1.0, 2.0, -1.0, math.Inf(1), int32(-1), int32(25), int32(7), 1.0, 0.0)
	f.Fuzz(func(t *testing.T, start string, horizon, accounts int32, arr float64, csms int32, planned string, growth, churn, expansion, newARR float64, tth, ramp, curve int32, attrition, hireAt float64) {
		req := ForecastRequest{
			StartMonth: start, HorizonMonths: horizon, Accounts: accounts, ARR: arr, CSMCount: csms,
			PlannedHireMonths: []string{planned},
			Growth:            Growth{NewAccountsPerMonth: growth, MonthlyLogoChurnRate: &churn, MonthlyExpansionRate: &expansion, NewAccountARR: &newARR},
			Thresholds:        Thresholds{HireAccountsPerCSM: &hireAt},
			Timeline:          Timeline{TimeToHireMonths: &tth, RampMonths: &ramp, RampCurve: RampCurve(curve), AnnualCSMAttritionRate: &attrition},
		}
		fc, err := ForecastCapacity(req, Month(2026*12+11))
		if err != nil {
			checkRejection(t, err)
			return
		}
		for _, m := range fc.Months {
			checkFinite(t, "month", m.Accounts, m.ARR, m.EffectiveCSMs, m.AccountsPerCSM, m.ARRPerCSM, m.CSCost, m.CSCostShare)
		}
		for _, tr := range fc.Triggers {
			if tr.Status == TriggerStatusUnspecified || (tr.Status == TriggerStatusNotReached) != (tr.CrossingMonth == nil) {
				t.Fatalf("trigger %+v is inconsistent", tr)
			}
		}
	})
}

func FuzzHire(f *testing.F) {
	f.Add(100000.0, true, 1.5, false, 0.2, 0.0765, 0.15, int32(3), int32(1), 40.0, 4e6, int32(5), true, 5.5, true, 1e6, 50000.0, int32(50), 2.0, 40000.0)
	f.Add(0.0, true, 0.5, true, 1.5, -0.1, 2.0, int32(25), int32(9), -1.0, math.NaN(), int32(-1), true, math.Inf(1), true, 1.0, 0.0, int32(-5), -1.0, math.Inf(-1))
	f.Fuzz(func(t *testing.T, salary float64, hasMult bool, mult float64, itemized bool, benefits, tax, fee float64, ramp, curve int32, trainer, arr float64, csms int32, hasFTE bool, fte float64, hasCash bool, cash, burn float64, moved int32, saved, platform float64) {
		hire := HireRequest{BaseSalary: salary, LoadedCostMultiplier: opt(hasMult, mult), RecruitingFeeShare: &fee,
			RampMonths: &ramp, RampCurve: RampCurve(curve), TrainerHours: trainer}
		if itemized {
			hire.Itemized = &ItemizedCost{BenefitsShare: &benefits, PayrollTaxShare: &tax}
		}
		cost, err := EstimateHireCost(hire)
		if err != nil {
			checkRejection(t, err)
		} else {
			checkFinite(t, "hire cost", cost.AnnualLoadedCost, cost.MonthlyLoadedCost, cost.RampCost, cost.FirstYearCost, cost.ProductiveMonthsFirstYear)
		}
		ev, err := EvaluateHire(HireEvaluationRequest{
			ARR: arr, CSMCount: csms, Hire: hire, Load: HireLoad{WorkloadCSMFTE: opt(hasFTE, fte)},
			Cash: opt(hasCash, cash), MonthlyBurn: &burn,
			Alternative: TechTouchAlternative{AccountsMoved: moved, HoursSavedPerAccountMonth: saved, PlatformCostPerYear: platform},
		}, Month(2026*12+11))
		if err != nil {
			checkRejection(t, err)
			return
		}
		checkFinite(t, "hire evaluation", ev.ARRPerCSMBefore, ev.ARRPerCSMAfter, ev.CostShareBefore, ev.CostShareAfter, ev.PaybackARR, ev.RunwayMonthsBefore, ev.RunwayMonthsAfter)
		if ev.Verdict == VerdictUnspecified || len(ev.Reasons) == 0 {
			t.Fatalf("verdict %v with reasons %q", ev.Verdict, ev.Reasons)
		}
	})
}
