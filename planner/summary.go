package planner

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// summarize fills the summary from the sections: totals, requisitions,
// cost shares, the verdict and the actions that follow.
func (a *analysis) summarize() {
	sm := &a.r.Summary
	t := SegmentNeed{Name: "Total"}
	now, later := map[string]int{}, map[string]int{}
	for _, s := range sm.Segments {
		now[s.BindingFactor] += s.NeededNow
		later[s.BindingFactorIn12Months] += s.NeededIn12Months
		t.Accounts += s.Accounts
		t.ARR += s.ARR
		t.CSMs += s.CSMs
		t.NeededNow += s.NeededNow
		t.GapNow += s.GapNow
		t.AccountsIn12Months += s.AccountsIn12Months
		t.ARRIn12Months += s.ARRIn12Months
		t.CSMsIn12Months += s.CSMsIn12Months
		t.NeededIn12Months += s.NeededIn12Months
		t.GapIn12Months += s.GapIn12Months
	}
	t.BindingFactor, t.BindingFactorIn12Months = heaviest(now), heaviest(later)
	sm.Total = t

	sm.Requisitions = []Requisition{}
	for _, s := range a.r.Forecast.Segments {
		sm.Requisitions = append(sm.Requisitions, s.HiringPlan...)
	}
	slices.SortStableFunc(sm.Requisitions, func(x, y Requisition) int { return cmp.Compare(x.RequisitionMonth, y.RequisitionMonth) })

	cv := a.r.Coverage
	cs := CostShare{Min: cv.MinCostShare, Max: cv.MaxCostShare, NeededCost: cv.TotalCost, Needed: cv.CostShare, NeededBand: cv.Band}
	cs.CurrentCost = float64(a.teamSize()) * a.loaded
	if a.p.Finance.CurrentCSCost != nil {
		cs.CurrentCost = *a.p.Finance.CurrentCSCost
	}
	cs.Current = ratio(cs.CurrentCost, a.revenue)
	cs.CurrentBand = band(cs.Current, cs.Min, cs.Max)
	if c := a.coverage12; c != nil {
		cs.In12MonthsCost, cs.In12Months, cs.In12MonthsBand = c.GetTotalCost(), c.GetCostShare(), enumName(c.GetBand())
	}
	sm.CostShare = cs

	he := a.r.Hiring.Evaluation
	sm.Verdict, sm.HireByMonth, sm.Reasons = he.Verdict, he.HireByMonth, he.Reasons
	sm.Actions = a.actions()
}

// heaviest is the factor with the most CSMs, ties to WORKLOAD, then
// VOLUME, then ARR (the services' order).
func heaviest(m map[string]int) string {
	best := ""
	for _, f := range []string{"WORKLOAD", "VOLUME", "ARR"} {
		if m[f] > 0 && (best == "" || m[f] > m[best]) {
			best = f
		}
	}
	return best
}

// band places a share against the band as PlanCoverage does, with the
// same 1e-9 tolerance.
func band(share, lo, hi float64) string {
	switch {
	case share < lo-1e-9:
		return "BELOW"
	case share > hi+1e-9:
		return "ABOVE"
	default:
		return "WITHIN"
	}
}

// actions are the summary's sentences, most urgent first.
func (a *analysis) actions() []string {
	var out []string
	sm := a.r.Summary

	// Requisitions to open now, then the next ones.
	var now, later []string
	nowCount := 0
	perSeg := map[string]int{}
	for _, r := range sm.Requisitions {
		if r.Status == "DUE_NOW" {
			nowCount++
			perSeg[r.Segment]++
		}
	}
	for _, s := range sm.Segments {
		if n := perSeg[s.Name]; n > 0 {
			now = append(now, fmt.Sprintf("%s %d", s.Name, n))
		}
	}
	if nowCount > 0 {
		out = append(out, fmt.Sprintf("Open %s now (%s) so that they are ramped in time.", plural(nowCount, "requisition"), strings.Join(now, ", ")))
	}
	for _, r := range sm.Requisitions {
		if r.Status == "UPCOMING" {
			later = append(later, fmt.Sprintf("%s by %s", r.Segment, r.RequisitionMonth))
		}
	}
	if n := len(later); n > 0 {
		if n > 4 {
			later = append(later[:4], fmt.Sprintf("%d more", n-4))
		}
		out = append(out, fmt.Sprintf("Plan %s after that: %s.", plural(n, "more requisition"), strings.Join(later, ", ")))
	}

	// Load already past the hire threshold.
	for _, s := range a.r.Forecast.Segments {
		for _, t := range s.Triggers {
			if t.Name == "critical" && t.Status == "OVERDUE" && t.CrossingMonth == a.start {
				out = append(out, fmt.Sprintf("%s is past its critical load (%s accounts per CSM) today: rebalance accounts until the hires ramp.",
					s.Name, trimFloat(t.Threshold)))
			}
		}
	}

	// Segments short of CSMs today.
	for _, s := range sm.Segments {
		if s.GapNow > 0 {
			out = append(out, fmt.Sprintf("%s needs %d CSMs today and has %d (%s binds); in 12 months it needs %d.",
				s.Name, s.NeededNow, s.CSMs, strings.ToLower(s.BindingFactor), s.NeededIn12Months))
		}
	}

	cs := sm.CostShare
	switch cs.NeededBand {
	case "ABOVE":
		out = append(out, fmt.Sprintf("Staffing every segment as planned costs %s of revenue, above the %s maximum: see the coverage options.",
			pctText(cs.Needed), pctText(cs.Max)))
	case "BELOW":
		out = append(out, fmt.Sprintf("Staffing every segment as planned costs %s of revenue, below the %s minimum: coverage may be thin.",
			pctText(cs.Needed), pctText(cs.Min)))
	}

	for_ := ""
	if seg := a.r.Hiring.Evaluation.Segment; seg != "" {
		for_ = " (next hire, " + seg + ")"
	}
	switch sm.Verdict {
	case "HIRE_NOW":
		out = append(out, "Hiring verdict"+for_+": hire now.")
	case "HIRE_LATER":
		out = append(out, fmt.Sprintf("Hiring verdict%s: hire later, by %s.", for_, sm.HireByMonth))
	case "HOLD":
		if len(sm.Requisitions) == 0 {
			out = append(out, "Hiring verdict: hold: no hire is needed within the horizon.")
		} else {
			out = append(out, "Hiring verdict"+for_+": hold, and invest in tech-touch first (seed 004).")
		}
	}
	if sm.Verdict == "HOLD" && nowCount > 0 {
		out = append(out, holdWithRequisitions(a.r.Hiring.Evaluation.Factors))
	}
	for _, f := range a.r.Evaluation.Overall.Findings {
		if f.Severity == "CRITICAL" {
			out = append(out, f.Message)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// holdWithRequisitions explains a HOLD beside requisitions due now from
// the factors the verdict weighed: "no factor is over" only where none is.
func holdWithRequisitions(factors []FactorResult) string {
	var over []string
	for _, f := range factors {
		if f.Status == "OVER" {
			over = append(over, strings.ToLower(f.Factor))
		}
	}
	if len(over) == 0 {
		return "The forecasts open requisitions now because load reaches capacity by the time a hire could be ramped, while no factor is over its limit today: weigh the tech-touch alternative and the cost before opening them."
	}
	verb := "are"
	if len(over) == 1 {
		verb = "is"
	}
	return fmt.Sprintf("The forecasts open requisitions now and %s %s over the limit today, yet the hire fails its guardrails (ARR per CSM or cost share): weigh the tech-touch alternative and the cost before opening them.",
		joinAnd(over), verb)
}

// joinAnd joins words as a sentence lists them: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func pctText(x float64) string { return trimFloat(x*100) + "%" }

// trimFloat writes x with at most one decimal.
func trimFloat(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	return strings.TrimSuffix(s, ".0")
}
