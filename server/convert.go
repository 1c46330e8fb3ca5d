package server

import (
	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// The domain's enums mirror the contract's value for value, so they convert
// with a cast; the domain rejects values it does not know.

func csmTimeFromProto(t *csplanv1.CsmTime) capacity.CSMTime {
	t = orEmpty(t)
	out := capacity.CSMTime{
		WeeklyHours:         t.WeeklyHours,
		TimeOffDaysPerYear:  t.TimeOffDaysPerYear,
		CustomerFacingShare: t.CustomerFacingShare,
		TargetUtilization:   t.TargetUtilization,
	}
	if as := t.GetInternalActivities(); len(as) > 0 {
		out.InternalActivities = make([]capacity.InternalActivity, len(as))
		for i, a := range as {
			out.InternalActivities[i] = capacity.InternalActivity{Name: a.GetName(), HoursPerMonth: a.GetHoursPerMonth()}
		}
	}
	return out
}

func playbookFromProto(p *csplanv1.Playbook) capacity.Playbook {
	var slabs playbookSlabs
	return slabs.playbook(p)
}

// playbookSlabs carve the touchpoints and inbound activities of several
// playbooks from two slices.
type playbookSlabs struct {
	touchpoints []capacity.Touchpoint
	inbound     []capacity.InboundActivity
}

func (s *playbookSlabs) playbook(p *csplanv1.Playbook) capacity.Playbook {
	var out capacity.Playbook
	start := len(s.touchpoints)
	for _, t := range p.GetTouchpoints() {
		s.touchpoints = append(s.touchpoints, capacity.Touchpoint{
			Name:         t.GetName(),
			Hours:        t.GetHours(),
			Cadence:      capacity.Cadence(t.GetCadence()),
			PerYear:      t.PerYear,
			Anchor:       capacity.TouchpointAnchor(t.GetAnchor()),
			SpreadMonths: t.SpreadMonths,
			MonthsBefore: t.MonthsBefore,
		})
	}
	if len(s.touchpoints) > start {
		out.Touchpoints = s.touchpoints[start:len(s.touchpoints):len(s.touchpoints)]
	}
	start = len(s.inbound)
	for _, in := range p.GetInbound() {
		s.inbound = append(s.inbound, capacity.InboundActivity{
			Name:               in.GetName(),
			PerAccountPerMonth: in.GetPerAccountPerMonth(),
			Hours:              in.GetHours(),
		})
	}
	if len(s.inbound) > start {
		out.Inbound = s.inbound[start:len(s.inbound):len(s.inbound)]
	}
	return out
}

func capacityRequestFromProto(r *csplanv1.ComputeCapacityRequest) capacity.CapacityRequest {
	out := capacity.CapacityRequest{CSMTime: csmTimeFromProto(r.GetCsmTime())}
	out.Segments = make([]capacity.Segment, 0, len(r.GetSegments()))
	// The playbooks of all segments share two slabs.
	var touchpoints, inbound int
	for _, s := range r.GetSegments() {
		touchpoints += len(s.GetPlaybook().GetTouchpoints())
		inbound += len(s.GetPlaybook().GetInbound())
	}
	slabs := playbookSlabs{touchpoints: make([]capacity.Touchpoint, 0, touchpoints), inbound: make([]capacity.InboundActivity, 0, inbound)}
	for _, s := range r.GetSegments() {
		out.Segments = append(out.Segments, capacity.Segment{
			Name:                   s.GetName(),
			Accounts:               s.GetAccounts(),
			ARR:                    s.GetArr(),
			Playbook:               slabs.playbook(s.GetPlaybook()),
			NewAccountsPerMonth:    s.NewAccountsPerMonth,
			CustomerLifetimeMonths: s.CustomerLifetimeMonths,
		})
	}
	return out
}

func capacityPlanToProto(p capacity.CapacityPlan) *csplanv1.ComputeCapacityResponse {
	out := &csplanv1.ComputeCapacityResponse{
		AvailableHoursPerCsmMonth: p.AvailableHoursPerCSMMonth,
		TotalCsmFte:               p.TotalCSMFTE,
		TotalCsmHeadcount:         p.TotalCSMHeadcount,
		TotalArr:                  p.TotalARR,
		ArrPerCsm:                 p.ARRPerCSM,
		Assumptions:               assumptionsToProto(p.Assumptions),
	}
	// The segments, and the breakdowns of them all, come from two slabs.
	out.Segments = slab[csplanv1.SegmentCapacity](len(p.Segments))
	items := 0
	for _, s := range p.Segments {
		items += len(s.Breakdown)
	}
	breakdown := slab[csplanv1.HoursBreakdown](items)
	for i, s := range p.Segments {
		seg := out.Segments[i]
		seg.Name = s.Name
		seg.HoursPerAccountMonth = s.HoursPerAccountMonth
		seg.AccountsPerCsm = s.AccountsPerCSM
		seg.CsmFte = s.CSMFTE
		seg.CsmHeadcount = s.CSMHeadcount
		seg.ArrPerCsm = s.ARRPerCSM
		seg.Breakdown, breakdown = breakdown[:len(s.Breakdown):len(s.Breakdown)], breakdown[len(s.Breakdown):]
		for j, b := range s.Breakdown {
			seg.Breakdown[j].Name, seg.Breakdown[j].HoursPerAccountMonth = b.Name, b.HoursPerAccountMonth
		}
	}
	return out
}

func assumptionsToProto(as []capacity.Assumption) []*csplanv1.Assumption {
	out := slab[csplanv1.Assumption](len(as))
	for i, a := range as {
		out[i].Name, out[i].Value, out[i].Source = a.Name, a.Value, a.Source
	}
	return out
}

func benchmarkOverridesFromProto(b *csplanv1.Benchmarks) capacity.BenchmarkOverrides {
	var out capacity.BenchmarkOverrides
	for _, t := range b.GetTouchModels() {
		out.TouchModels = append(out.TouchModels, capacity.TouchModelOverride{
			TouchModel:       capacity.TouchModel(t.GetTouchModel()),
			ARRPerCSMFloor:   t.ArrPerCsmFloor,
			ARRPerCSMCeiling: t.ArrPerCsmCeiling,
			IdealAccountsMin: t.IdealAccountsMin,
			IdealAccountsMax: t.IdealAccountsMax,
			AccountsCap:      t.AccountsCap,
		})
	}
	for _, c := range b.GetComplexityMultipliers() {
		out.ComplexityMultipliers = append(out.ComplexityMultipliers, capacity.ComplexityOverride{
			Complexity: capacity.Complexity(c.GetComplexity()),
			Multiplier: c.Multiplier,
		})
	}
	if st := b.GetSignalThresholds(); st != nil {
		out.SignalThresholds = capacity.SignalThresholdOverrides{
			ChurnIncreaseCriticalRatio:   st.ChurnIncreaseCriticalRatio,
			CSMWeeklyHoursWarning:        st.CsmWeeklyHoursWarning,
			CSMWeeklyHoursCritical:       st.CsmWeeklyHoursCritical,
			TouchpointCompletionWarning:  st.TouchpointCompletionWarning,
			TouchpointCompletionCritical: st.TouchpointCompletionCritical,
			NoRecentContactShareWarning:  st.NoRecentContactShareWarning,
			NoRecentContactShareCritical: st.NoRecentContactShareCritical,
		}
	}
	return out
}

func benchmarksToProto(b capacity.Benchmarks) *csplanv1.Benchmarks {
	out := &csplanv1.Benchmarks{}
	for _, t := range b.TouchModels {
		out.TouchModels = append(out.TouchModels, &csplanv1.TouchModelBenchmark{
			TouchModel:       csplanv1.TouchModel(t.TouchModel),
			ArrPerCsmFloor:   ptr(t.ARRPerCSMFloor),
			ArrPerCsmCeiling: ptr(t.ARRPerCSMCeiling),
			IdealAccountsMin: ptr(t.IdealAccountsMin),
			IdealAccountsMax: ptr(t.IdealAccountsMax),
			AccountsCap:      ptr(t.AccountsCap),
			Source:           t.Source,
		})
	}
	for _, c := range b.ComplexityMultipliers {
		out.ComplexityMultipliers = append(out.ComplexityMultipliers, &csplanv1.ComplexityMultiplier{
			Complexity: csplanv1.ProductComplexity(c.Complexity),
			Multiplier: ptr(c.Multiplier),
			Source:     c.Source,
		})
	}
	st := b.SignalThresholds
	out.SignalThresholds = &csplanv1.SignalThresholds{
		ChurnIncreaseCriticalRatio:   ptr(st.ChurnIncreaseCriticalRatio),
		CsmWeeklyHoursWarning:        ptr(st.CSMWeeklyHoursWarning),
		CsmWeeklyHoursCritical:       ptr(st.CSMWeeklyHoursCritical),
		TouchpointCompletionWarning:  ptr(st.TouchpointCompletionWarning),
		TouchpointCompletionCritical: ptr(st.TouchpointCompletionCritical),
		NoRecentContactShareWarning:  ptr(st.NoRecentContactShareWarning),
		NoRecentContactShareCritical: ptr(st.NoRecentContactShareCritical),
		Source:                       st.Source,
	}
	return out
}

func teamRequestFromProto(r *csplanv1.EvaluateTeamRequest) capacity.TeamRequest {
	return capacity.TeamRequest{
		CSMCount:       r.GetCsmCount(),
		Accounts:       r.GetAccounts(),
		ARR:            r.GetArr(),
		TouchModel:     capacity.TouchModel(r.GetTouchModel()),
		Complexity:     capacity.Complexity(r.GetComplexity()),
		WorkloadCSMFTE: r.WorkloadCsmFte,
		Benchmarks:     benchmarkOverridesFromProto(r.GetBenchmarks()),
		Signals:        signalsFromProto(r.GetSignals()),
		Currency:       r.GetCurrency(),
		Policy:         capacity.SizingPolicy(r.GetSizingPolicy()),
		AccountsPerCSM: r.AccountsPerCsm,
	}
}

func teamEvaluationToProto(e capacity.TeamEvaluation) *csplanv1.EvaluateTeamResponse {
	out := &csplanv1.EvaluateTeamResponse{
		ArrPerCsm:      e.ARRPerCSM,
		AccountsPerCsm: e.AccountsPerCSM,
		Factors:        factorsToProto(e.Factors),
		BindingFactor:  csplanv1.Factor(e.BindingFactor),
		CsmsNeeded:     e.CSMsNeeded,
		CsmGap:         e.CSMGap,
		Benchmarks:     benchmarksToProto(e.Benchmarks),
		Assumptions:    assumptionsToProto(e.Assumptions),
		SizingBasis:    csplanv1.SizingBasis(e.Basis),
		SizingPolicy:   csplanv1.SizingPolicy(e.Policy),
	}
	for _, f := range e.Findings {
		out.Findings = append(out.Findings, &csplanv1.Finding{
			Severity:  csplanv1.Severity(f.Severity),
			Signal:    f.Signal,
			Factor:    csplanv1.Factor(f.Factor),
			Value:     f.Value,
			Threshold: f.Threshold,
			Message:   f.Message,
		})
	}
	return out
}

func factorsToProto(fs []capacity.FactorResult) []*csplanv1.FactorResult {
	out := make([]*csplanv1.FactorResult, len(fs))
	for i, f := range fs {
		out[i] = &csplanv1.FactorResult{
			Factor:     csplanv1.Factor(f.Factor),
			Value:      f.Value,
			HealthyMin: f.HealthyMin,
			HealthyMax: f.HealthyMax,
			Limit:      f.Limit,
			Status:     csplanv1.LoadStatus(f.Status),
			CsmsNeeded: f.CSMsNeeded,
		}
	}
	return out
}

func forecastRequestFromProto(r *csplanv1.ForecastCapacityRequest) capacity.ForecastRequest {
	g, th, tl := orEmpty(r.GetGrowth()), orEmpty(r.GetThresholds()), orEmpty(r.GetTimeline())
	return capacity.ForecastRequest{
		StartMonth:        r.GetStartMonth(),
		HorizonMonths:     r.GetHorizonMonths(),
		Accounts:          r.GetAccounts(),
		ARR:               r.GetArr(),
		CSMCount:          r.GetCsmCount(),
		PlannedHireMonths: r.GetPlannedHireMonths(),
		Growth: capacity.Growth{
			NewAccountsPerMonth:  g.GetNewAccountsPerMonth(),
			MonthlyLogoChurnRate: g.MonthlyLogoChurnRate,
			MonthlyExpansionRate: g.MonthlyExpansionRate,
			NewAccountARR:        g.NewAccountArr,
		},
		TouchModel: capacity.TouchModel(r.GetTouchModel()),
		Complexity: capacity.Complexity(r.GetComplexity()),
		Thresholds: capacity.Thresholds{
			ReviewAccountsPerCSM:   th.ReviewAccountsPerCsm,
			HireAccountsPerCSM:     th.HireAccountsPerCsm,
			CriticalAccountsPerCSM: th.CriticalAccountsPerCsm,
			ARRPerCSM:              th.ArrPerCsm,
		},
		Timeline: capacity.Timeline{
			TimeToHireMonths:       tl.TimeToHireMonths,
			RampMonths:             tl.RampMonths,
			RampCurve:              capacity.RampCurve(tl.GetRampCurve()),
			AnnualCSMAttritionRate: tl.AnnualCsmAttritionRate,
		},
		HireCost: hireRequestPtrFromProto(r.GetHireCost()),
	}
}

func forecastToProto(f capacity.Forecast) *csplanv1.ForecastCapacityResponse {
	out := &csplanv1.ForecastCapacityResponse{Assumptions: assumptionsToProto(f.Assumptions)}
	// A forecast is a hundred months or more, and its hiring plan often
	// dozens of hires: slabs of messages and one string holding every
	// month's name keep it to a few allocations.
	names := newMonthNames(f.Months)
	out.Months = slab[csplanv1.ForecastMonth](len(f.Months))
	for i, m := range f.Months {
		pm := out.Months[i]
		pm.Month = names.of(m.Month)
		pm.Accounts = m.Accounts
		pm.Arr = m.ARR
		pm.CsmHeadcount = m.CSMHeadcount
		pm.EffectiveCsms = m.EffectiveCSMs
		pm.AccountsPerCsm = m.AccountsPerCSM
		pm.ArrPerCsm = m.ARRPerCSM
		pm.CsCost = m.CSCost
		pm.CsCostShare = m.CSCostShare
	}
	out.Triggers = slab[csplanv1.Trigger](len(f.Triggers))
	for i, t := range f.Triggers {
		pt := out.Triggers[i]
		pt.Name = t.Name
		pt.Threshold = t.Threshold
		if t.CrossingMonth != nil {
			pt.CrossingMonth = names.of(*t.CrossingMonth)
		}
		if t.OpenRequisitionBy != nil {
			pt.OpenRequisitionBy = names.of(*t.OpenRequisitionBy)
		}
		pt.Status = csplanv1.TriggerStatus(t.Status)
		pt.MonthsLate = t.MonthsLate
	}
	out.HiringPlan = slab[csplanv1.PlannedHire](len(f.HiringPlan))
	for i, h := range f.HiringPlan {
		ph := out.HiringPlan[i]
		ph.RequisitionMonth = names.of(h.RequisitionMonth)
		ph.StartMonth = names.of(h.StartMonth)
		ph.RampedMonth = names.of(h.RampedMonth)
		ph.FirstYearCost = h.FirstYearCost
	}
	return out
}

// monthNames names the months of a forecast from one string; months
// outside it (a requisition due before the start) are formatted alone.
type monthNames struct {
	first capacity.Month
	all   string // "YYYY-MM" after "YYYY-MM", every month the same width
	n     int
}

const monthWidth = len("2006-01")

func newMonthNames(months []capacity.ForecastMonth) monthNames {
	if len(months) == 0 {
		return monthNames{}
	}
	b := make([]byte, 0, monthWidth*len(months))
	for i, m := range months {
		if m.Month != months[0].Month.Add(i) {
			return monthNames{} // not consecutive: format each alone
		}
		if b = m.Month.Append(b); len(b) != (i+1)*monthWidth {
			return monthNames{} // a year past 9999: format each alone
		}
	}
	return monthNames{first: months[0].Month, all: string(b), n: len(months)}
}

func (n monthNames) of(m capacity.Month) string {
	if i := int(m - n.first); i >= 0 && i < n.n {
		return n.all[i*monthWidth : (i+1)*monthWidth]
	}
	return m.String()
}

// slab returns n pointers to zero messages carved from one allocation:
// the messages of a response live and die together.
func slab[T any](n int) []*T {
	if n == 0 {
		return nil
	}
	msgs := make([]T, n)
	out := make([]*T, n)
	for i := range msgs {
		out[i] = &msgs[i]
	}
	return out
}

// hireRequestPtrFromProto converts an optional hire: nil stays nil, so that
// the forecast knows whether it was given a cost profile.
func hireRequestPtrFromProto(r *csplanv1.EstimateHireCostRequest) *capacity.HireRequest {
	if r == nil {
		return nil
	}
	h := hireRequestFromProto(r)
	return &h
}

func hireRequestFromProto(r *csplanv1.EstimateHireCostRequest) capacity.HireRequest {
	r = orEmpty(r)
	out := capacity.HireRequest{
		BaseSalary:           r.GetBaseSalary(),
		LoadedCostMultiplier: r.LoadedCostMultiplier,
		RecruitingFeeShare:   r.RecruitingFeeShare,
		SignOnBonus:          r.GetSignOnBonus(),
		RampMonths:           r.RampMonths,
		RampCurve:            capacity.RampCurve(r.GetRampCurve()),
		TrainerHours:         r.GetTrainerHours(),
		TrainerHourlyCost:    r.TrainerHourlyCost,
		TimeToHireMonths:     r.TimeToHireMonths,
		HoursPerAccountMonth: r.HoursPerAccountMonth,
	}
	// Presence matters for both: an itemisation with every default, or an
	// empty playbook, is still one given.
	if it := r.GetItemized(); it != nil {
		out.Itemized = &capacity.ItemizedCost{
			BenefitsShare:   it.BenefitsShare,
			PayrollTaxShare: it.PayrollTaxShare,
			ToolsPerYear:    it.GetToolsPerYear(),
			OtherPerYear:    it.GetOtherPerYear(),
		}
	}
	if pb := r.GetPlaybook(); pb != nil {
		p := playbookFromProto(pb)
		out.Playbook = &p
	}
	out.CustomerLifetimeMonths = r.CustomerLifetimeMonths
	return out
}

func hireCostToProto(c capacity.HireCost) *csplanv1.EstimateHireCostResponse {
	return &csplanv1.EstimateHireCostResponse{
		AnnualLoadedCost:              c.AnnualLoadedCost,
		MonthlyLoadedCost:             c.MonthlyLoadedCost,
		RampCost:                      c.RampCost,
		RecruitingFee:                 c.RecruitingFee,
		SignOnBonus:                   c.SignOnBonus,
		TrainingCost:                  c.TrainingCost,
		FirstYearCost:                 c.FirstYearCost,
		ProductiveMonthsFirstYear:     c.ProductiveMonthsFirstYear,
		TrainingCapacityHours:         c.TrainingCapacityHours,
		TrainingCapacityAccountMonths: c.TrainingCapacityAccountMonths,
		Assumptions:                   assumptionsToProto(c.Assumptions),
	}
}

func hireEvaluationRequestFromProto(r *csplanv1.EvaluateHireRequest) capacity.HireEvaluationRequest {
	load, alt := orEmpty(r.GetLoad()), orEmpty(r.GetTechTouchAlternative())
	return capacity.HireEvaluationRequest{
		Currency:      r.GetCurrency(),
		Policy:        capacity.SizingPolicy(r.GetSizingPolicy()),
		ARR:           r.GetArr(),
		CSMCount:      r.GetCsmCount(),
		TouchModel:    capacity.TouchModel(r.GetTouchModel()),
		Hire:          hireRequestFromProto(r.GetHire()),
		CurrentCSCost: r.CurrentCsCost,
		Revenue:       r.Revenue,
		MaxCostShare:  r.MaxCostShare,
		GrossMargin:   r.GrossMargin,
		Cash:          r.Cash,
		MonthlyBurn:   r.MonthlyBurn,
		Load:          capacity.HireLoad{Accounts: load.Accounts, WorkloadCSMFTE: load.WorkloadCsmFte},
		Complexity:    capacity.Complexity(r.GetComplexity()),
		CSMTime:       csmTimeFromProto(r.GetCsmTime()),
		TriggerMonth:  r.GetTriggerMonth(),
		AsOfMonth:     r.GetAsOfMonth(),
		Alternative: capacity.TechTouchAlternative{
			AccountsMoved:             alt.GetAccountsMoved(),
			HoursSavedPerAccountMonth: alt.GetHoursSavedPerAccountMonth(),
			PlatformCostPerYear:       alt.GetPlatformCostPerYear(),
		},
	}
}

func hireEvaluationToProto(e capacity.HireEvaluation) *csplanv1.EvaluateHireResponse {
	return &csplanv1.EvaluateHireResponse{
		ArrPerCsmBefore:    e.ARRPerCSMBefore,
		ArrPerCsmAfter:     e.ARRPerCSMAfter,
		ArrPerCsmMilestone: e.ARRPerCSMMilestone,
		CostShareBefore:    e.CostShareBefore,
		CostShareAfter:     e.CostShareAfter,
		FirstYearCost:      e.FirstYearCost,
		PaybackArr:         e.PaybackARR,
		RunwayMonthsBefore: e.RunwayMonthsBefore,
		RunwayMonthsAfter:  e.RunwayMonthsAfter,
		Verdict:            csplanv1.Verdict(e.Verdict),
		Reasons:            e.Reasons,
		HireByMonth:        monthString(e.HireByMonth),
		Factors:            factorsToProto(e.Factors),
		Alternative: &csplanv1.AlternativeComparison{
			CsmFteFreed:     e.Alternative.CSMFTEFreed,
			Cost:            e.Alternative.Cost,
			CostPerFteFreed: e.Alternative.CostPerFTEFreed,
			HireCostPerFte:  e.Alternative.HireCostPerFTE,
		},
		Assumptions:  assumptionsToProto(e.Assumptions),
		SizingBasis:  csplanv1.SizingBasis(e.Basis),
		SizingPolicy: csplanv1.SizingPolicy(e.Policy),
	}
}

func monthString(m *capacity.Month) string {
	if m == nil {
		return ""
	}
	return m.String()
}

func ptr[T any](v T) *T { return &v }

// orEmpty stands an empty message in for an absent one, so that optional
// fields read as unset rather than through a nil pointer.
func orEmpty[T any](p *T) *T {
	if p == nil {
		return new(T)
	}
	return p
}
