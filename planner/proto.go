package planner

import (
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// Proto is the plan as the contract's Plan: the file's keys are its
// field names, so a field path in the service's answer is the plan
// file's key path. book.accounts_csv stays with the CLI, which streams
// the accounts.
func (p *Plan) Proto() *csplanv1.Plan {
	out := &csplanv1.Plan{
		Company: p.Company, Currency: p.Currency, StartMonth: p.StartMonth, HorizonMonths: int32(p.HorizonMonths),
		TouchModel: p.TouchModel.proto(), Complexity: p.Complexity.proto(), CsmTime: csmTime(p.CSMTime),
		Growth: growth(&p.Growth), Signals: signals(p.Signals), SizingPolicy: p.SizingPolicy.proto(),
		Segmentation: &csplanv1.PlanSegmentation{SuggestTiers: int32(p.Segmentation.SuggestTiers)},
	}
	// The service reads no files: the book travels without accounts_csv.
	if b := p.Book; len(b.CustomerStages) > 0 || len(b.ExcludeStages) > 0 || len(b.CSMs) > 0 {
		out.Book = &csplanv1.PlanBook{CustomerStages: b.CustomerStages, ExcludeStages: b.ExcludeStages, Csms: BookCSMs(b.CSMs)}
	}
	for i := range p.Segments {
		out.Segments = append(out.Segments, segment(&p.Segments[i]))
	}
	h := p.Hiring
	out.Hiring = &csplanv1.PlanHiring{
		TimeToHireMonths: int32p(h.TimeToHireMonths), RampMonths: int32p(h.RampMonths), RampCurve: h.RampCurve.proto(),
		AnnualCsmAttritionRate: h.AnnualCSMAttritionRate, BaseSalary: h.BaseSalary, LoadedCostMultiplier: h.LoadedCostMultiplier,
		RecruitingFeeShare: h.RecruitingFeeShare, SignOnBonus: h.SignOnBonus, TrainerHours: h.TrainerHours,
		TrainerHourlyCost: h.TrainerHourlyCost, HoursPerAccountMonth: h.HoursPerAccountMonth,
	}
	if it := h.Itemized; it != nil {
		out.Hiring.Itemized = &csplanv1.ItemizedCost{BenefitsShare: it.BenefitsShare, PayrollTaxShare: it.PayrollTaxShare,
			ToolsPerYear: it.ToolsPerYear, OtherPerYear: it.OtherPerYear}
	}
	if a := h.TechTouchAlternative; a != nil {
		out.Hiring.TechTouchAlternative = &csplanv1.PlanTechTouchAlternative{Segment: a.Segment, AccountsMoved: int32(a.AccountsMoved),
			HoursSavedPerAccountMonth: a.HoursSavedPerAccountMonth, PlatformCostPerYear: a.PlatformCostPerYear}
	}
	f := p.Finance
	out.Finance = &csplanv1.PlanFinance{
		Revenue: f.Revenue, MinCostShare: f.MinCostShare, MaxCostShare: f.MaxCostShare, GrossMargin: f.GrossMargin,
		Cash: f.Cash, MonthlyBurn: f.MonthlyBurn, CurrentCsCost: f.CurrentCSCost, TechTouchAccountsPerCsm: f.TechTouchAccountsPerCSM,
		CsmsPerManager: f.CSMsPerManager, ManagerLoadedCost: f.ManagerLoadedCost, OtherCsCostPerYear: f.OtherCSCostPerYear,
		CostScope: f.CostScope.proto(), FiscalYearStartMonth: int32p(f.FiscalYearStartMonth),
	}
	return out
}

func segment(s *Segment) *csplanv1.PlanSegment {
	m := s.Match
	out := &csplanv1.PlanSegment{
		Name: s.Name, TouchModel: s.TouchModel.proto(), Complexity: s.Complexity.proto(),
		Match:    &csplanv1.PlanMatch{MinArr: m.MinARR, MaxArr: m.MaxARR, Stages: m.Stages, MinHealth: m.MinHealth, MaxHealth: m.MaxHealth},
		Playbook: playbook(s.Playbook), AccountsPerCsm: s.AccountsPerCSM, CustomerLifetimeMonths: s.CustomerLifetimeMonths,
		Arr: s.ARR, Team: &csplanv1.PlanTeam{Csms: int32(s.Team.CSMs), PlannedHires: s.Team.PlannedHires},
		Growth: growth(s.Growth),
		Thresholds: &csplanv1.Thresholds{ReviewAccountsPerCsm: s.Thresholds.ReviewAccountsPerCSM, HireAccountsPerCsm: s.Thresholds.HireAccountsPerCSM,
			CriticalAccountsPerCsm: s.Thresholds.CriticalAccountsPerCSM, ArrPerCsm: s.Thresholds.ARRPerCSM},
	}
	if s.Accounts != nil {
		out.Accounts = proto.Int32(int32(*s.Accounts))
	}
	for _, c := range m.Complexities {
		out.Match.Complexities = append(out.Match.Complexities, c.proto())
	}
	if len(m.Attributes) > 0 {
		out.Match.Attributes = map[string]*csplanv1.AttributeValues{}
		for k, v := range m.Attributes {
			out.Match.Attributes[k] = &csplanv1.AttributeValues{Values: v}
		}
	}
	if a := s.TechTouchAlternative; a != nil {
		out.TechTouchAlternative = &csplanv1.TechTouchAlternative{AccountsMoved: int32(a.AccountsMoved),
			HoursSavedPerAccountMonth: a.HoursSavedPerAccountMonth, PlatformCostPerYear: a.PlatformCostPerYear}
	}
	return out
}

func growth(g *Growth) *csplanv1.PlanGrowth {
	if g == nil {
		return nil
	}
	return &csplanv1.PlanGrowth{NewAccountsPerMonth: g.NewAccountsPerMonth, MonthlyLogoChurnRate: g.MonthlyLogoChurnRate,
		MonthlyExpansionRate: g.MonthlyExpansionRate, NewAccountArr: g.NewAccountARR}
}

func csmTime(ct CSMTime) *csplanv1.CsmTime {
	out := &csplanv1.CsmTime{WeeklyHours: ct.WeeklyHours, TimeOffDaysPerYear: ct.TimeOffDaysPerYear,
		CustomerFacingShare: ct.CustomerFacingShare, TargetUtilization: ct.TargetUtilization}
	for _, ia := range ct.InternalActivities {
		out.InternalActivities = append(out.InternalActivities, &csplanv1.InternalActivity{Name: ia.Name, HoursPerMonth: ia.HoursPerMonth})
	}
	return out
}

func signals(s Signals) *csplanv1.Signals {
	return &csplanv1.Signals{ChurnRate: s.ChurnRate, PreviousChurnRate: s.PreviousChurnRate, CsmWeeklyHours: s.CSMWeeklyHours,
		TouchpointCompletionRate: s.TouchpointCompletionRate, AccountsWithoutRecentContactShare: s.AccountsWithoutRecentContactShare}
}

func playbook(p *Playbook) *csplanv1.Playbook {
	if p == nil {
		return nil
	}
	out := &csplanv1.Playbook{}
	for _, t := range p.Touchpoints {
		out.Touchpoints = append(out.Touchpoints, &csplanv1.Touchpoint{Name: t.Name, Hours: t.Hours, Cadence: t.Cadence.proto(), PerYear: t.PerYear,
			Anchor: t.Anchor.proto(), SpreadMonths: int32p(t.SpreadMonths), MonthsBefore: int32p(t.MonthsBefore)})
	}
	for _, in := range p.Inbound {
		out.Inbound = append(out.Inbound, &csplanv1.InboundActivity{Name: in.Name, PerAccountPerMonth: in.PerAccountPerMonth, Hours: in.Hours})
	}
	return out
}

func int32p(x *int) *int32 {
	if x == nil {
		return nil
	}
	return proto.Int32(int32(*x))
}

// BookCSMs is book.csms as the contract's BookCsm.
func BookCSMs(cs []BookCSM) []*csplanv1.BookCsm {
	var out []*csplanv1.BookCsm
	for _, c := range cs {
		out = append(out, &csplanv1.BookCsm{Id: c.ID, Name: c.Name, Segment: c.Segment, CapacityShare: c.CapacityShare, CapacityHours: c.CapacityHours,
			Attributes: c.Attributes})
	}
	return out
}
