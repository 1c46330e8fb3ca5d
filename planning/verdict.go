package planning

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/csplan/csplan/capacity"
	"github.com/csplan/csplan/internal/numfmt"
)

// The company's verdict, order-independent: the due requisitions (DUE_NOW
// or OVERDUE) are judged once, at the latest of their ramped months, on
// the company's figures with every cohort started by then.

func (r *run) money(x float64) string { return numfmt.Money(x, r.r.Currency) }

func isDue(q Requisition) bool {
	return q.Status == capacity.TriggerStatusDueNow || q.Status == capacity.TriggerStatusOverdue
}

func (r *run) decide() {
	r.economics()
	r.techTouch()
	s := &r.r.Summary
	var due []Requisition
	for _, q := range r.r.Requisitions {
		if isDue(q) {
			due = append(due, q)
		}
	}
	if len(due) == 0 {
		s.Verdict, s.HireByMonth, s.Reasons = r.withoutDue(r.r.Requisitions, r.segs)
	} else {
		s.Verdict, s.Reasons = r.withDue(due)
	}
	for _, sg := range r.segs {
		var own []Requisition
		for _, q := range r.r.Requisitions {
			if q.Segment == sg.spec.Name {
				own = append(own, q)
			}
		}
		switch ownDue := slices.DeleteFunc(slices.Clone(own), func(q Requisition) bool { return !isDue(q) }); {
		case len(ownDue) > 0 && !slices.ContainsFunc(ownDue, func(q Requisition) bool { return !q.TechTouchFirst }):
			sg.out.Verdict = capacity.VerdictHold
		case len(ownDue) > 0:
			sg.out.Verdict = s.Verdict
		default:
			sg.out.Verdict, _, _ = r.withoutDue(own, []*seg{sg})
		}
	}
}

// withoutDue is the verdict when no requisition is due: hire later by the
// earliest open-by month, or hold.
func (r *run) withoutDue(reqs []Requisition, segs []*seg) (capacity.Verdict, string, []string) {
	if len(reqs) > 0 {
		q := reqs[0]
		return capacity.VerdictHireLater, q.OpenByMonth, []string{fmt.Sprintf(
			"No requisition is due now. The first, a %s hire for %s, opens by %s so that the hire starts in %s and is ramped by %s, the first month %s's load would pass its capacity without it (%s).",
			kindText(q.Kind), q.Segment, q.OpenByMonth, q.StartMonth, q.RampedMonth, q.Segment, q.NeededMonth)}
	}
	var unmet []string
	for _, s := range segs {
		if len(s.out.UnmetMonths) > 0 {
			unmet = append(unmet, fmt.Sprintf("%s in %s", s.spec.Name, monthList(s.out.UnmetMonths)))
		}
	}
	slices.Sort(unmet) // by segment name: the order of the plan is no fact

	if len(unmet) == 0 {
		return capacity.VerdictHold, "", []string{fmt.Sprintf("No hire is needed within the horizon: every segment's load stays within its capacity through %s.", r.month(r.n-1))}
	}
	return capacity.VerdictHold, "", []string{fmt.Sprintf(
		"No requisition opened now can be ramped in time for the load above capacity (%s): hiring takes %s and the ramp %s. Rebalance books or take work off the team for those months.",
		strings.Join(unmet, "; "), months(r.tth), months(r.ramp))}
}

// withDue judges the due requisitions at the latest ramped month among
// them: ARR per CSM against the blended milestone, and the cost share in
// scope against the band's maximum.
func (r *run) withDue(due []Requisition) (capacity.Verdict, []string) {
	at := 0
	for _, q := range due {
		at = max(at, q.ramped)
	}
	m := r.r.Months[at]
	arrPerCSM := ratio(m.ARR, m.Headcount)
	var csmsAtMilestone float64
	for _, s := range r.segs {
		if s.arrs[at] > 0 && s.tm.ARRPerCSMFloor > 0 {
			csmsAtMilestone += s.arrs[at] / s.tm.ARRPerCSMFloor
		}
	}
	milestone := ratio(m.ARR, csmsAtMilestone)
	arrOK := !above(milestone, arrPerCSM)
	costOK := !above(m.CostShare, r.maxShare)

	overdue := 0
	for _, q := range due {
		if q.Status == capacity.TriggerStatusOverdue {
			overdue++
		}
	}
	lead := countNoun(len(due), "requisition is", "requisitions are") + " due now"
	if overdue > 0 {
		lead = countNoun(len(due), "requisition is", "requisitions are") + " due now or overdue"
		lead += fmt.Sprintf(" (%d overdue: ramped after the month needed)", overdue)
	}
	reasons := []string{fmt.Sprintf("%s, the first opening by %s; the latest is ramped by %s.", lead, due[0].OpenByMonth, r.month(at))}
	guard := fmt.Sprintf("In %s, with every hire started by then, ARR per CSM is %s against a blended milestone of %s, and the CS cost share is %s of revenue against the %s maximum.",
		r.month(at), r.money(arrPerCSM), r.money(milestone), numfmt.Pct(m.CostShare), numfmt.Pct(r.maxShare))
	reasons = append(reasons, guard)

	var tt []Requisition
	for _, q := range due {
		if q.TechTouchFirst {
			tt = append(tt, q)
		}
	}
	if t := r.r.Hiring.TechTouch; t != nil && len(tt) == 0 {
		if n := countSegment(due, t.Segment); n > 0 {
			reasons = append(reasons, fmt.Sprintf("Tech touch in %s frees %s CSM FTE at %s per FTE a year against a hire's %s per productive FTE; it replaces none of the segment's %s, since it would need to free at least as many FTE as they add, for less.",
				t.Segment, numfmt.Dec(t.CSMFTEFreed, 1), r.money(t.CostPerFTEFreed), r.money(r.r.Hiring.HireCostPerProductiveFTE),
				countNoun(n, "due requisition", "due requisitions")))
		}
	}
	if t := r.r.Hiring.TechTouch; t != nil && len(tt) > 0 {
		reasons = append(reasons, fmt.Sprintf("Tech touch first in %s: moving %d accounts frees %s CSM FTE at %s per FTE a year, less than a hire's %s per productive FTE; it replaces %s.",
			t.Segment, t.AccountsMoved, numfmt.Dec(t.CSMFTEFreed, 1), r.money(t.CostPerFTEFreed), r.money(r.r.Hiring.HireCostPerProductiveFTE),
			countNoun(len(tt), "due requisition", "due requisitions")))
	}
	if !arrOK || !costOK {
		var fails []string
		if !arrOK {
			fails = append(fails, fmt.Sprintf("ARR per CSM (%s) would be below the milestone (%s)", r.money(arrPerCSM), r.money(milestone)))
		}
		if !costOK {
			fails = append(fails, fmt.Sprintf("the CS cost share (%s) would be above the %s maximum", numfmt.Pct(m.CostShare), numfmt.Pct(r.maxShare)))
		}
		reasons = append(reasons, fmt.Sprintf("Hold: %s. The ways out are tech touch for part of the book, reduced coverage, or covering a subset of segments (seeds 003, 004).",
			strings.Join(fails, " and ")))
		return capacity.VerdictHold, reasons
	}
	if len(tt) == len(due) {
		return capacity.VerdictHold, reasons
	}
	return capacity.VerdictHireNow, reasons
}

// economics prices one hire: its cost per productive FTE, its payback
// and the runway with the due hires.
func (r *run) economics() {
	h := &r.r.Hiring
	h.Cost = r.hire
	if pm := r.hire.ProductiveMonthsFirstYear; pm > 0 {
		h.HireCostPerProductiveFTE = r.hire.FirstYearCost / (pm / 12)
	}
	margin := r.assumeFloat("finance.gross_margin", r.p.Finance.GrossMargin, capacity.DefaultGrossMargin, "assumption: a typical SaaS gross margin")
	if margin > 0 {
		h.PaybackARR = r.hire.FirstYearCost / margin
	}
	f := r.p.Finance
	if f.Cash != nil && f.MonthlyBurn != nil && *f.MonthlyBurn > 0 {
		due := 0
		for _, q := range r.r.Requisitions {
			if isDue(q) {
				due++
			}
		}
		cash, burn := *f.Cash, *f.MonthlyBurn
		h.RunwayMonthsBefore = cash / burn
		h.RunwayMonthsAfter = max(cash-float64(due)*r.hire.OneTimeCost(), 0) / (burn + float64(due)*r.hire.MonthlyLoadedCost)
	}
}

// techTouch prices the alternative for its segment and marks that
// segment's due requisitions tech-touch-first when it frees at least as
// many FTE as they add, for less per FTE than a hire.
func (r *run) techTouch() {
	alt, segName := r.alternative()
	if alt == nil {
		return
	}
	s := r.segs[indexOf(r.p.Segments, segName)]
	t := &TechTouchResult{Segment: segName, AccountsMoved: alt.AccountsMoved, CostPerYear: alt.PlatformCostPerYear}
	if s.sizing.Basis == capacity.SizingBasisPlaybook {
		t.CSMFTEFreed = float64(alt.AccountsMoved) * alt.HoursSavedPerAccountMonth / r.available
	} else {
		t.CSMFTEFreed = float64(alt.AccountsMoved) / s.sizing.Capacity[0]
	}
	t.CostPerFTEFreed = math.Inf(1)
	if t.CSMFTEFreed > 0 {
		t.CostPerFTEFreed = alt.PlatformCostPerYear / t.CSMFTEFreed
	}
	var due []int
	for i, q := range r.r.Requisitions {
		if q.Segment == segName && isDue(q) {
			due = append(due, i)
		}
	}
	if len(due) > 0 && alt.AccountsMoved <= s.accounts && !above(float64(len(due)), t.CSMFTEFreed) &&
		above(r.r.Hiring.HireCostPerProductiveFTE, t.CostPerFTEFreed) {
		for _, i := range due {
			r.r.Requisitions[i].TechTouchFirst = true
		}
		t.RequisitionsReplaced = int32(len(due))
	}
	if math.IsInf(t.CostPerFTEFreed, 0) {
		t.CostPerFTEFreed = 0
	}
	r.r.Hiring.TechTouch = t
}

// alternative is the tech-touch alternative to weigh and its segment: the
// plan's (for the segment it names, else the segment of the earliest
// requisition, ties by name), else the own alternative of the segment
// with the earliest requisition, else of the first by name.
func (r *run) alternative() (*capacity.TechTouchAlternative, string) {
	first := ""
	if len(r.r.Requisitions) > 0 {
		first = r.r.Requisitions[0].Segment
	}
	if t := r.p.Hiring.TechTouch; t != nil {
		name := first
		if t.Segment != nil {
			name = *t.Segment
		}
		if name == "" {
			name = minName(r.p.Segments, func(Segment) bool { return true })
		}
		if i := indexOf(r.p.Segments, name); i >= 0 && r.p.Segments[i].TechTouch != nil {
			return r.p.Segments[i].TechTouch, name
		}
		return &t.TechTouchAlternative, name
	}
	if i := indexOf(r.p.Segments, first); i >= 0 && r.p.Segments[i].TechTouch != nil {
		return r.p.Segments[i].TechTouch, first
	}
	name := minName(r.p.Segments, func(s Segment) bool { return s.TechTouch != nil })
	if name == "" {
		return nil, ""
	}
	return r.p.Segments[indexOf(r.p.Segments, name)].TechTouch, name
}

// minName is the smallest name (byte order) of the segments that keep.
func minName(ss []Segment, keep func(Segment) bool) string {
	best := ""
	for _, s := range ss {
		if keep(s) && (best == "" || s.Name < best) {
			best = s.Name
		}
	}
	return best
}

func kindText(k capacity.RequisitionKind) string {
	if k == capacity.RequisitionKindBackfill {
		return "backfill"
	}
	return "growth"
}

// countNoun writes "1 requisition is" or "3 requisitions are".
func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// monthList writes months, runs of consecutive ones as ranges.
func monthList(months []string) string {
	var parts []string
	for i := 0; i < len(months); {
		j := i
		for j+1 < len(months) && consecutive(months[j], months[j+1]) {
			j++
		}
		if j > i {
			parts = append(parts, months[i]+" to "+months[j])
		} else {
			parts = append(parts, months[i])
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func consecutive(a, b string) bool {
	ma, err1 := capacity.ParseMonth(a)
	mb, err2 := capacity.ParseMonth(b)
	return err1 == nil && err2 == nil && mb == ma+1
}

func countSegment(qs []Requisition, segment string) int {
	n := 0
	for _, q := range qs {
		if q.Segment == segment {
			n++
		}
	}
	return n
}

// months writes "1 month" or "3 months".
func months(n int) string { return countNoun(n, "month", "months") }
