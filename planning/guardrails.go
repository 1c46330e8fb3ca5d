package planning

import (
	"fmt"

	"github.com/csplan/csplan/capacity"
	"github.com/csplan/csplan/internal/numfmt"
)

// guardrails places each segment's benchmark factors in their bands (they
// set the need only for a benchmark segment or under MOST_CONSTRAINED),
// gives its playbook hours and its forecast triggers.
func (r *run) guardrails() error {
	c := &checker{}
	for i, s := range r.segs {
		req := capacity.TeamRequest{CSMCount: s.spec.CSMs, Accounts: s.accounts, ARR: s.arr, TouchModel: s.touch, Complexity: s.cx}
		if s.sizing.Basis == capacity.SizingBasisPlaybook {
			fte := s.out.CSMFTENow
			req.WorkloadCSMFTE = &fte
		}
		ev, err := capacity.EvaluateTeam(req)
		if err != nil {
			c.merge(err, fmt.Sprintf("segments[%d].", i))
			continue
		}
		for _, f := range ev.Factors {
			s.out.Guardrails = append(s.out.Guardrails, Guardrail{f})
		}
		if pb := s.spec.Playbook; pb != nil {
			n := s.newAccounts
			hours, items, _, err := capacity.HoursPerAccount(*pb, s.accounts, &n, s.spec.CustomerLifetimeMonths, fmt.Sprintf("segments[%d].playbook", i))
			if err != nil {
				c.merge(err, "")
				continue
			}
			s.out.Hours = &SegmentHours{AvailableHoursPerCSMMonth: r.available, HoursPerAccountMonth: hours, Breakdown: items}
		}
		s.out.Triggers = r.triggers(s)
	}
	return c.err()
}

// triggers are the segment's thresholds per effective CSM, on the team
// without the plan's hires: review at 0.9 x capacity (its crossing only),
// hire as the first requisition reports it, critical at 1.5 x capacity
// (the scaled cap for a benchmark segment), and the ARR ceiling, a
// guardrail. Explicit thresholds win.
func (r *run) triggers(s *seg) []capacity.Trigger {
	th := s.spec.Thresholds
	n := r.n
	series := func(given *float64, f func(t int) float64) []float64 {
		out := make([]float64, n)
		for t := range out {
			if given != nil {
				out[t] = *given
			} else {
				out[t] = f(t)
			}
		}
		return out
	}
	accLoad := func(t int) (float64, bool) {
		b := s.bridge.Months[t]
		return b.AccountsPerEffectiveCSMWithoutPlan, b.EffectiveCSMsWithoutPlan <= 0 && s.acc[t] > 0
	}
	arrLoad := func(t int) (float64, bool) {
		b := s.bridge.Months[t]
		return ratio(s.arrs[t], b.EffectiveCSMsWithoutPlan), b.EffectiveCSMsWithoutPlan <= 0 && s.arrs[t] > 0
	}
	review := series(th.ReviewAccountsPerCSM, func(t int) float64 { return reviewShareOfCapacity * s.sizing.Capacity[t] })
	critical := series(th.CriticalAccountsPerCSM, func(t int) float64 {
		if s.sizing.Basis == capacity.SizingBasisBenchmark {
			return s.tm.AccountsCap * s.mult
		}
		return criticalShareOfCapacity * s.sizing.Capacity[t]
	})
	arr := series(th.ARRPerCSM, func(int) float64 { return s.tm.ARRPerCSMCeiling })

	rev := r.crossing("review", review, accLoad)
	rev.OpenRequisitionBy, rev.MonthsLate = nil, 0
	switch {
	case rev.CrossingMonth == nil:
		rev.Status = capacity.TriggerStatusNotReached
	case *rev.CrossingMonth == r.start:
		rev.Status = capacity.TriggerStatusDueNow
	default:
		rev.Status = capacity.TriggerStatusUpcoming
	}
	hire := capacity.Trigger{Name: "hire", Threshold: s.hireAt[0], Status: capacity.TriggerStatusNotReached}
	if len(s.bridge.Requisitions) > 0 {
		q := s.bridge.Requisitions[0]
		needed, open := r.start.Add(q.NeededMonth), r.start.Add(q.OpenByMonth)
		hire.CrossingMonth, hire.OpenRequisitionBy, hire.Status, hire.MonthsLate = &needed, &open, q.Status, int32(q.MonthsLate)
	}
	return []capacity.Trigger{rev, hire, r.crossing("critical", critical, accLoad), r.crossing("arr", arr, arrLoad)}
}

// crossing is the first month load is above its threshold and the month
// a requisition must open for a ramped CSM by then.
func (r *run) crossing(name string, thr []float64, load func(t int) (float64, bool)) capacity.Trigger {
	tr := capacity.Trigger{Name: name, Threshold: thr[0], Status: capacity.TriggerStatusNotReached}
	for t := range thr {
		if v, none := load(t); none || above(v, thr[t]) {
			cm := r.start.Add(t)
			open := t - r.tth - r.ramp
			om := r.start.Add(open)
			tr.CrossingMonth, tr.OpenRequisitionBy = &cm, &om
			switch {
			case open < 0:
				tr.Status, tr.MonthsLate = capacity.TriggerStatusOverdue, int32(-open)
			case open == 0:
				tr.Status = capacity.TriggerStatusDueNow
			default:
				tr.Status = capacity.TriggerStatusUpcoming
			}
			return tr
		}
	}
	return tr
}

// findings turn the figures into sentences, each stating the figures it
// rests on.
func (r *run) findings() error {
	add := func(segment string, sev capacity.Severity, format string, args ...any) {
		r.r.Findings = append(r.r.Findings, Finding{Segment: segment, Severity: sev, Message: fmt.Sprintf(format, args...)})
	}
	if r.r.Scope == CostScopeFullyLoaded && r.span == 0 && r.p.Finance.OtherCSCostPerYear == nil {
		add("", capacity.SeverityInfo, "The cost counts CSM payroll only: seed 003's band measures the fully loaded CS cost. Give finance.csms_per_manager and finance.other_cs_cost_per_year to include managers and CS operations.")
	}
	if b := r.book.Segmented; b != nil && b.TotalAccounts > 0 {
		for _, s := range r.segs {
			if s.accounts == 0 {
				add(s.spec.Name, capacity.SeverityWarning, "%s's rule matches none of the book's %s accounts: the segment is planned empty. Check its match (a stage, an attribute value or an ARR bound that no account has), or remove the segment.",
					s.spec.Name, numfmt.Count(int(b.TotalAccounts)))
			}
		}
	}
	for _, s := range r.segs {
		name := s.spec.Name
		scaledCap := s.tm.AccountsCap * s.mult
		if s.sizing.Basis != capacity.SizingBasisBenchmark && above(s.out.Capacity, scaledCap) {
			add(name, capacity.SeverityWarning, "%s's capacity from %s is %s accounts per CSM, above the %s cap of %s: plan below the cap or check the journey's hours.",
				name, basisText(s), numfmt.Dec(s.out.Capacity, 1), touchText(s.touch), numfmt.Dec(scaledCap, 0))
		}
		if need := s.out.CSMsNeededNow; need > 0 && s.tm.ARRPerCSMFloor > 0 {
			if perCSM := s.arr / float64(need); above(s.tm.ARRPerCSMFloor, perCSM) {
				add(name, capacity.SeverityInfo, "%s's ARR per needed CSM is %s, below the %s milestone of %s: a question of efficiency, not of capacity (seed 004).",
					name, r.money(perCSM), touchText(s.touch), r.money(s.tm.ARRPerCSMFloor))
			}
		}
		if len(s.out.UnmetMonths) > 0 {
			add(name, capacity.SeverityWarning, "%s is above its capacity in %s, before any requisition opened now can be ramped (%s to hire, %s to ramp).",
				name, monthList(s.out.UnmetMonths), months(r.tth), months(r.ramp))
		}
		for _, t := range s.out.Triggers {
			if t.Name == "arr" && t.CrossingMonth != nil && r.r.Policy == capacity.SizingPolicyPlaybookFirst {
				add(name, capacity.SeverityInfo, "%s's ARR per effective CSM passes %s in %s; hires follow the capacity, so this is a guardrail to watch, not a requisition.",
					name, r.money(t.Threshold), t.CrossingMonth.String())
			}
		}
	}
	if t := r.r.Hiring.TechTouch; t != nil {
		if s := r.segs[indexOf(r.p.Segments, t.Segment)]; t.AccountsMoved > s.accounts {
			add(t.Segment, capacity.SeverityWarning, "The tech-touch alternative moves %d accounts, more than the %d %s holds: it replaces no requisition.",
				t.AccountsMoved, s.accounts, t.Segment)
		}
	}
	ev, err := capacity.EvaluateTeam(capacity.TeamRequest{CSMCount: r.csmsToday(), Accounts: r.r.Book.TotalAccounts, ARR: r.r.Book.TotalARR, Signals: r.p.Signals})
	if err != nil {
		c := &checker{}
		c.merge(err, "signals.")
		return c.err()
	}
	for _, f := range ev.Findings {
		if f.Signal != "" {
			add("", f.Severity, "%s", f.Message)
		}
	}
	return nil
}

func basisText(s *seg) string {
	switch s.sizing.Basis {
	case capacity.SizingBasisPlaybook:
		return "the playbook"
	case capacity.SizingBasisCoverageRatio:
		return "your ratio of " + numfmt.Dec(*s.spec.AccountsPerCSM, 1)
	default:
		return "the benchmark"
	}
}

func touchText(t capacity.TouchModel) string {
	switch t {
	case capacity.TouchModelLow:
		return "low-touch"
	case capacity.TouchModelTech:
		return "tech-touch"
	default:
		return "high-touch"
	}
}
