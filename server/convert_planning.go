package server

import (
	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/planning"
)

// Conversions between the planning contract and the planning domain.

func planFromProto(p *csplanv1.Plan) planning.Plan {
	p = orEmpty(p)
	out := planning.Plan{
		Company:       p.GetCompany(),
		Currency:      p.GetCurrency(),
		StartMonth:    p.GetStartMonth(),
		HorizonMonths: p.GetHorizonMonths(),
		Complexity:    capacity.Complexity(p.GetComplexity()),
		CSMTime:       csmTimeFromProto(p.GetCsmTime()),
		Growth:        planGrowthFromProto(p.GetGrowth()),
		Signals:       signalsFromProto(p.GetSignals()),
		SuggestTiers:  p.GetSegmentation().GetSuggestTiers(),
		Policy:        capacity.SizingPolicy(p.GetSizingPolicy()),
		Customers:     capacity.Customers{Stages: p.GetBook().GetCustomerStages(), Exclude: p.GetBook().GetExcludeStages()},
		CSMs:          bookCSMsFromProto(p.GetBook().GetCsms()),
	}
	for _, s := range p.GetSegments() {
		out.Segments = append(out.Segments, planSegmentFromProto(s))
	}
	h := orEmpty(p.GetHiring())
	out.Hiring = planning.Hiring{
		Cost: hireRequestFromProto(&csplanv1.EstimateHireCostRequest{
			BaseSalary: h.GetBaseSalary(), LoadedCostMultiplier: h.LoadedCostMultiplier, Itemized: h.GetItemized(),
			RecruitingFeeShare: h.RecruitingFeeShare, SignOnBonus: h.GetSignOnBonus(), RampMonths: h.RampMonths,
			RampCurve: h.GetRampCurve(), TrainerHours: h.GetTrainerHours(), TrainerHourlyCost: h.TrainerHourlyCost,
			TimeToHireMonths: h.TimeToHireMonths, HoursPerAccountMonth: h.HoursPerAccountMonth,
		}),
		AnnualAttrition: h.AnnualCsmAttritionRate,
	}
	if t := h.GetTechTouchAlternative(); t != nil {
		out.Hiring.TechTouch = &planning.TechTouch{Segment: t.Segment, TechTouchAlternative: capacity.TechTouchAlternative{
			AccountsMoved: t.GetAccountsMoved(), HoursSavedPerAccountMonth: t.GetHoursSavedPerAccountMonth(), PlatformCostPerYear: t.GetPlatformCostPerYear()}}
	}
	f := orEmpty(p.GetFinance())
	out.Finance = planning.Finance{
		Revenue: f.Revenue, MinCostShare: f.MinCostShare, MaxCostShare: f.MaxCostShare, GrossMargin: f.GrossMargin,
		Cash: f.Cash, MonthlyBurn: f.MonthlyBurn, CurrentCSCost: f.CurrentCsCost, TechTouchAccountsPerCSM: f.TechTouchAccountsPerCsm,
		CSMsPerManager: f.CsmsPerManager, ManagerLoadedCost: f.ManagerLoadedCost, OtherCSCostPerYear: f.OtherCsCostPerYear,
		Scope: planning.CostScope(f.GetCostScope()), FiscalYearStartMonth: f.FiscalYearStartMonth,
	}
	return out
}

func planSegmentFromProto(s *csplanv1.PlanSegment) planning.Segment {
	m := orEmpty(s.GetMatch())
	out := planning.Segment{
		Name:       s.GetName(),
		TouchModel: capacity.TouchModel(s.GetTouchModel()),
		Complexity: capacity.Complexity(s.GetComplexity()),
		Match: capacity.SegmentRule{MinARR: m.MinArr, MaxARR: m.MaxArr, Stages: m.GetStages(), MinHealth: m.MinHealth, MaxHealth: m.MaxHealth,
			Attributes: attributeValuesFromProto(m.GetAttributes())},
		Playbook:               playbookPtrFromProto(s.GetPlaybook()),
		AccountsPerCSM:         s.AccountsPerCsm,
		CustomerLifetimeMonths: s.CustomerLifetimeMonths,
		Accounts:               s.Accounts,
		ARR:                    s.Arr,
		CSMs:                   s.GetTeam().GetCsms(),
		PlannedHires:           s.GetTeam().GetPlannedHires(),
		Growth:                 planGrowthFromProto(s.GetGrowth()),
	}
	for _, c := range m.GetComplexities() {
		out.Match.Complexities = append(out.Match.Complexities, capacity.Complexity(c))
	}
	if t := s.GetThresholds(); t != nil {
		out.Thresholds = capacity.Thresholds{ReviewAccountsPerCSM: t.ReviewAccountsPerCsm, HireAccountsPerCSM: t.HireAccountsPerCsm,
			CriticalAccountsPerCSM: t.CriticalAccountsPerCsm, ARRPerCSM: t.ArrPerCsm}
	}
	if t := s.GetTechTouchAlternative(); t != nil {
		out.TechTouch = &capacity.TechTouchAlternative{AccountsMoved: t.GetAccountsMoved(), HoursSavedPerAccountMonth: t.GetHoursSavedPerAccountMonth(),
			PlatformCostPerYear: t.GetPlatformCostPerYear()}
	}
	return out
}

func attributeValuesFromProto(attrs map[string]*csplanv1.AttributeValues) map[string][]string {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string][]string, len(attrs))
	for k, v := range attrs {
		out[k] = v.GetValues()
	}
	return out
}

func planGrowthFromProto(g *csplanv1.PlanGrowth) planning.Growth {
	g = orEmpty(g)
	return planning.Growth{NewAccountsPerMonth: g.NewAccountsPerMonth, MonthlyLogoChurnRate: g.MonthlyLogoChurnRate,
		MonthlyExpansionRate: g.MonthlyExpansionRate, NewAccountARR: g.NewAccountArr}
}

func signalsFromProto(s *csplanv1.Signals) capacity.Signals {
	s = orEmpty(s)
	return capacity.Signals{ChurnRate: s.ChurnRate, PreviousChurnRate: s.PreviousChurnRate, CSMWeeklyHours: s.CsmWeeklyHours,
		TouchpointCompletionRate: s.TouchpointCompletionRate, AccountsWithoutRecentContactShare: s.AccountsWithoutRecentContactShare}
}

func planResultToProto(r planning.Result) *csplanv1.PlanResult {
	s := r.Summary
	out := &csplanv1.PlanResult{
		Company: r.Company, Currency: r.Currency, StartMonth: r.StartMonth, HorizonMonths: r.HorizonMonths,
		SizingPolicy: csplanv1.SizingPolicy(r.Policy), CostScope: csplanv1.CostScope(r.Scope),
		Summary: &csplanv1.PlanSummary{
			CsmsToday: s.CSMsToday, CsmsNeededNow: s.CSMsNeededNow, CsmsNeededIn12Months: s.CSMsNeededIn12Months,
			In12MonthsMonth: s.In12MonthsMonth, RequisitionsDueNow: s.RequisitionsDueNow, FirstRequisitionMonth: s.FirstRequisitionMonth,
			Verdict: csplanv1.Verdict(s.Verdict), HireByMonth: s.HireByMonth, Reasons: s.Reasons,
			CostShareNow: s.CostShareNow, CostShareNeeded: s.CostShareNeeded, BandNow: csplanv1.CostBand(s.BandNow),
			BandNeeded: csplanv1.CostBand(s.BandNeeded), MinCostShare: s.MinCostShare, MaxCostShare: s.MaxCostShare,
			CostNow: s.CostNow, CostNeeded: s.CostNeeded, Revenue: s.Revenue,
			PeakMonth: s.PeakMonth, CsmsNeededAtPeak: s.CSMsNeededAtPeak,
		},
		Months:           planMonthsToProto(r.Months),
		CostByQuarter:    periodsToProto(r.CostByQuarter),
		CostByFiscalYear: periodsToProto(r.CostByFiscalYear),
		Segmentation:     bookResultToProto(r.Book),
		Coverage:         &csplanv1.PlanCoverage{Options: coverageOptionsToProto(r.CoverageOptions)},
		Hiring:           hiringResultToProto(r.Hiring),
		Assumptions:      assumptionsToProto(r.Assumptions),
	}
	if c := r.Calendar; c != nil {
		out.Calendar = bookAnalysisToProto(*c)
	}
	for _, sg := range r.Segments {
		out.Segments = append(out.Segments, planSegmentToProto(sg))
	}
	for _, q := range r.Requisitions {
		out.Requisitions = append(out.Requisitions, &csplanv1.PlanRequisition{
			Segment: q.Segment, Kind: csplanv1.RequisitionKind(q.Kind), NeededMonth: q.NeededMonth, OpenByMonth: q.OpenByMonth,
			StartMonth: q.StartMonth, RampedMonth: q.RampedMonth, Status: csplanv1.TriggerStatus(q.Status), MonthsLate: q.MonthsLate,
			FirstYearCost: q.FirstYearCost, IncrementalCost: q.IncrementalCost, TechTouchFirst: q.TechTouchFirst,
		})
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, &csplanv1.PlanFinding{Segment: f.Segment, Severity: csplanv1.Severity(f.Severity), Message: f.Message})
	}
	return out
}

func planSegmentToProto(s planning.SegmentResult) *csplanv1.PlanSegmentResult {
	out := &csplanv1.PlanSegmentResult{
		Name: s.Name, TouchModel: csplanv1.TouchModel(s.TouchModel), Complexity: csplanv1.ProductComplexity(s.Complexity),
		SizingBasis: csplanv1.SizingBasis(s.Basis), CapacityAccountsPerCsm: s.Capacity, Accounts: s.Accounts, Arr: s.ARR,
		CsmsToday: s.CSMsToday, CsmFteNow: s.CSMFTENow, CsmsNeededNow: s.CSMsNeededNow, CsmsNeededIn12Months: s.CSMsNeededIn12Months,
		Verdict: csplanv1.Verdict(s.Verdict), UnmetMonths: s.UnmetMonths, Months: planMonthsToProto(s.Months),
		Calendar: s.Calendar, PeakMonth: s.PeakMonth, CsmsNeededAtPeak: s.CSMsNeededAtPeak,
		Coverage: &csplanv1.SegmentCoverage{Name: s.Coverage.Name, AccountsPerCsm: s.Coverage.AccountsPerCSM, CsmFte: s.Coverage.CSMFTE,
			CsmHeadcount: s.Coverage.CSMHeadcount, Cost: s.Coverage.Cost, CostShare: s.Coverage.CostShare},
	}
	if h := s.Hours; h != nil {
		c := &csplanv1.PlanSegmentCapacity{AvailableHoursPerCsmMonth: h.AvailableHoursPerCSMMonth, HoursPerAccountMonth: h.HoursPerAccountMonth}
		for _, b := range h.Breakdown {
			c.Breakdown = append(c.Breakdown, &csplanv1.HoursBreakdown{Name: b.Name, HoursPerAccountMonth: b.HoursPerAccountMonth})
		}
		out.Capacity = c
	}
	for _, g := range s.Guardrails {
		out.Guardrails = append(out.Guardrails, &csplanv1.PlanGuardrail{Factor: csplanv1.Factor(g.Factor), Value: g.Value,
			HealthyMin: g.HealthyMin, HealthyMax: g.HealthyMax, Limit: g.Limit, Status: csplanv1.LoadStatus(g.Status), CsmsAtBenchmark: g.CSMsNeeded})
	}
	for _, t := range s.Triggers {
		out.Triggers = append(out.Triggers, &csplanv1.Trigger{Name: t.Name, Threshold: t.Threshold, CrossingMonth: monthString(t.CrossingMonth),
			OpenRequisitionBy: monthString(t.OpenRequisitionBy), Status: csplanv1.TriggerStatus(t.Status), MonthsLate: t.MonthsLate})
	}
	return out
}

func planMonthsToProto(ms []planning.Month) []*csplanv1.PlanMonth {
	out := make([]*csplanv1.PlanMonth, len(ms))
	for i, m := range ms {
		out[i] = &csplanv1.PlanMonth{
			Month: m.Month, Accounts: m.Accounts, Arr: m.ARR, Revenue: m.Revenue, Headcount: m.Headcount, EffectiveCsms: m.EffectiveCSMs,
			NeededCsms: m.NeededCSMs, AccountsPerEffectiveCsm: m.AccountsPerEffectiveCSM, Managers: m.Managers, CsmCost: m.CSMCost,
			ManagerCost: m.ManagerCost, OtherCost: m.OtherCost, OneTimeCost: m.OneTimeCost, TotalCost: m.TotalCost, CostShare: m.CostShare,
			BandMinCostShare: m.BandMinCostShare, BandMaxCostShare: m.BandMaxCostShare, HeadcountWithoutPlan: m.HeadcountWithoutPlan,
			EffectiveCsmsWithoutPlan: m.EffectiveCSMsWithoutPlan, AccountsPerEffectiveCsmWithoutPlan: m.AccountsPerEffectiveCSMWithoutPlan,
			CapacityAccountsPerCsm: m.Capacity,
		}
	}
	return out
}

func periodsToProto(ps []planning.PeriodCost) []*csplanv1.FiscalPeriodCost {
	out := make([]*csplanv1.FiscalPeriodCost, len(ps))
	for i, p := range ps {
		out[i] = &csplanv1.FiscalPeriodCost{Period: p.Period, TotalCost: p.TotalCost, GrowthHires: p.GrowthHires,
			BackfillHires: p.BackfillHires, Partial: p.Partial, Months: p.Months}
	}
	return out
}

func bookResultToProto(b planning.BookResult) *csplanv1.PlanBookResult {
	out := &csplanv1.PlanBookResult{Source: b.Source, TotalAccounts: b.TotalAccounts, TotalArr: b.TotalARR, Unassigned: bookSegmentToProto(b.Unassigned),
		Excluded: bookSegmentToProto(b.Excluded)}
	for _, s := range b.Segments {
		out.Segments = append(out.Segments, bookSegmentToProto(s))
	}
	if b.Tiers != nil {
		out.Suggestion = tierSuggestionToProto(*b.Tiers)
	}
	return out
}

func bookSegmentToProto(s planning.BookSegment) *csplanv1.PlanBookSegment {
	out := &csplanv1.PlanBookSegment{Name: s.Name, Accounts: s.Accounts, Arr: s.ARR, ArrMean: s.ARRMean, ArrMedian: s.ARRMedian, ArrP90: s.ARRP90,
		AccountShare: s.AccountShare, ArrShare: s.ARRShare}
	for _, c := range s.StageCounts {
		out.StageCounts = append(out.StageCounts, &csplanv1.StageCount{Stage: c.Stage, Accounts: c.Accounts})
	}
	return out
}

func hiringResultToProto(h planning.HiringResult) *csplanv1.PlanHiringResult {
	out := &csplanv1.PlanHiringResult{Cost: hireCostToProto(h.Cost), HireCostPerProductiveFte: h.HireCostPerProductiveFTE, PaybackArr: h.PaybackARR,
		RunwayMonthsBefore: h.RunwayMonthsBefore, RunwayMonthsAfter: h.RunwayMonthsAfter}
	if t := h.TechTouch; t != nil {
		out.TechTouch = &csplanv1.PlanTechTouchResult{Segment: t.Segment, AccountsMoved: t.AccountsMoved, CsmFteFreed: t.CSMFTEFreed,
			CostPerYear: t.CostPerYear, CostPerFteFreed: t.CostPerFTEFreed, RequisitionsReplaced: t.RequisitionsReplaced}
	}
	return out
}
