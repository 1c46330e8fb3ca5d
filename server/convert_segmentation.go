package server

import (
	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// segmentRulesFromProto converts the rules of a segmentation, from a unary
// request or a stream's first message.
func segmentRulesFromProto(rules []*csplanv1.SegmentRule, t *csplanv1.CsmTime) capacity.SegmentRules {
	out := capacity.SegmentRules{CSMTime: csmTimeFromProto(t), Segments: make([]capacity.SegmentRule, len(rules))}
	for i, r := range rules {
		rule := capacity.SegmentRule{
			Name:           r.GetName(),
			TouchModel:     capacity.TouchModel(r.GetTouchModel()),
			MinARR:         r.MinArr,
			MaxARR:         r.MaxArr,
			Stages:         r.GetStages(),
			MinHealth:      r.MinHealth,
			MaxHealth:      r.MaxHealth,
			AccountsPerCSM: r.AccountsPerCsm,
			Playbook:       playbookPtrFromProto(r.GetPlaybook()),

			CustomerLifetimeMonths: r.CustomerLifetimeMonths,
		}
		for _, c := range r.GetComplexities() {
			rule.Complexities = append(rule.Complexities, capacity.Complexity(c))
		}
		if attrs := r.GetAttributes(); len(attrs) > 0 {
			rule.Attributes = make(map[string][]string, len(attrs))
			for k, v := range attrs {
				rule.Attributes[k] = v.GetValues()
			}
		}
		out.Segments[i] = rule
	}
	return out
}

// playbookPtrFromProto keeps the difference between no playbook (nil) and
// an empty one, which is an error.
func playbookPtrFromProto(p *csplanv1.Playbook) *capacity.Playbook {
	if p == nil {
		return nil
	}
	pb := playbookFromProto(p)
	return &pb
}

func segmentSummaryToProto(s capacity.SegmentSummary) *csplanv1.SegmentSummary {
	out := &csplanv1.SegmentSummary{
		Name:           s.Name,
		TouchModel:     csplanv1.TouchModel(s.TouchModel),
		Accounts:       s.Accounts,
		Arr:            s.ARR,
		ArrMean:        s.ARRMean,
		ArrMedian:      s.ARRMedian,
		ArrP90:         s.ARRP90,
		AccountShare:   s.AccountShare,
		ArrShare:       s.ARRShare,
		StageCounts:    make([]*csplanv1.StageCount, len(s.StageCounts)),
		AccountsPerCsm: s.AccountsPerCSM,
		CsmFte:         s.CSMFTE,
		CsmHeadcount:   s.CSMHeadcount,
	}
	for i, c := range s.StageCounts {
		out.StageCounts[i] = &csplanv1.StageCount{Stage: c.Stage, Accounts: c.Accounts}
	}
	return out
}

func segmentSummariesToProto(ss []capacity.SegmentSummary) []*csplanv1.SegmentSummary {
	out := make([]*csplanv1.SegmentSummary, len(ss))
	for i, s := range ss {
		out[i] = segmentSummaryToProto(s)
	}
	return out
}

func segmentationToProto(r capacity.SegmentationResult, assignments []*csplanv1.Assignment) *csplanv1.SegmentAccountsResponse {
	return &csplanv1.SegmentAccountsResponse{
		Segments:      segmentSummariesToProto(r.Segments),
		Unassigned:    segmentSummaryToProto(r.Unassigned),
		TotalAccounts: r.TotalAccounts,
		TotalArr:      r.TotalARR,
		Assignments:   assignments,
		Assumptions:   assumptionsToProto(r.Assumptions),
		Excluded:      segmentSummaryToProto(r.Excluded),
	}
}

func streamSegmentationToProto(r capacity.SegmentationResult) *csplanv1.StreamSegmentAccountsResponse {
	return &csplanv1.StreamSegmentAccountsResponse{
		Segments:      segmentSummariesToProto(r.Segments),
		Unassigned:    segmentSummaryToProto(r.Unassigned),
		TotalAccounts: r.TotalAccounts,
		TotalArr:      r.TotalARR,
		Assumptions:   assumptionsToProto(r.Assumptions),
		Excluded:      segmentSummaryToProto(r.Excluded),
	}
}

func coverageRequestFromProto(r *csplanv1.PlanCoverageRequest) capacity.CoverageRequest {
	out := capacity.CoverageRequest{
		Segments:                make([]capacity.CoverageSegment, len(r.GetSegments())),
		CSMTime:                 csmTimeFromProto(r.GetCsmTime()),
		CSMLoadedCost:           r.GetCsmLoadedCost(),
		Revenue:                 r.Revenue,
		MinCostShare:            r.MinCostShare,
		MaxCostShare:            r.MaxCostShare,
		TechTouchAccountsPerCSM: r.TechTouchAccountsPerCsm,
		Currency:                r.GetCurrency(),
	}
	for i, s := range r.GetSegments() {
		out.Segments[i] = capacity.CoverageSegment{
			Name:           s.GetName(),
			Accounts:       s.GetAccounts(),
			ARR:            s.GetArr(),
			TouchModel:     capacity.TouchModel(s.GetTouchModel()),
			AccountsPerCSM: s.AccountsPerCsm,
			Playbook:       playbookPtrFromProto(s.GetPlaybook()),

			CustomerLifetimeMonths: s.CustomerLifetimeMonths,
		}
	}
	return out
}

func coveragePlanToProto(p capacity.CoveragePlan) *csplanv1.PlanCoverageResponse {
	out := &csplanv1.PlanCoverageResponse{
		Segments:          make([]*csplanv1.SegmentCoverage, len(p.Segments)),
		TotalCsmHeadcount: p.TotalCSMHeadcount,
		TotalCost:         p.TotalCost,
		CostShare:         p.CostShare,
		Band:              csplanv1.CostBand(p.Band),
		Options:           coverageOptionsToProto(p.Options),
		Assumptions:       assumptionsToProto(p.Assumptions),
	}
	for i, s := range p.Segments {
		out.Segments[i] = &csplanv1.SegmentCoverage{
			Name:           s.Name,
			AccountsPerCsm: s.AccountsPerCSM,
			CsmFte:         s.CSMFTE,
			CsmHeadcount:   s.CSMHeadcount,
			Cost:           s.Cost,
			CostShare:      s.CostShare,
		}
	}
	return out
}

func coverageOptionsToProto(options []capacity.CoverageOption) []*csplanv1.CoverageOption {
	out := make([]*csplanv1.CoverageOption, len(options))
	for i, o := range options {
		opt := &csplanv1.CoverageOption{
			Kind:           csplanv1.OptionKind(o.Kind),
			Description:    o.Description,
			ExtraCost:      o.ExtraCost,
			CostShare:      o.CostShare,
			CoverageFactor: o.CoverageFactor,
			KeptSegments:   o.KeptSegments,
			MovedSegments:  o.MovedSegments,
			Segments:       make([]*csplanv1.OptionSegment, len(o.Segments)),
		}
		for j, s := range o.Segments {
			opt.Segments[j] = &csplanv1.OptionSegment{
				Name:           s.Name,
				AccountsPerCsm: s.AccountsPerCSM,
				CsmHeadcount:   s.CSMHeadcount,
				Cost:           s.Cost,
			}
		}
		out[i] = opt
	}
	return out
}
