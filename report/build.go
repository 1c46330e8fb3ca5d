package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/csplan/csplan/planner"
)

// build lays the report out: the summary first, then each section.
func build(r *planner.Report) document {
	b := &builder{r: r, cur: r.Currency}
	b.title()
	b.summary()
	b.capacity()
	b.evaluation()
	b.forecast()
	b.segmentation()
	b.coverage()
	b.hiring()
	b.assumptions()
	return b.d
}

type builder struct {
	r   *planner.Report
	cur string
	d   document
}

func (b *builder) money(x float64) string { return money(x, b.cur) }

// moneyOpt writes money that may be unset (the median of a book given as
// totals) as a dash, never as 0.
func (b *builder) moneyOpt(x *float64) string {
	if x == nil {
		return "-"
	}
	return b.money(*x)
}

func (b *builder) title() {
	r := b.r
	name := r.Company
	if name == "" {
		name = "the plan"
	}
	b.d.h(1, "CS capacity plan: "+name)
	src := "totals given in the plan"
	if r.Book.Source == "csv" {
		src = "`" + r.Book.AccountsFile + "`"
	}
	b.d.p(fmt.Sprintf("From %s, over %d months. Book: %s accounts and %s ARR (%s); revenue %s.",
		r.StartMonth, r.HorizonMonths, count(r.Book.Accounts), b.money(r.Book.ARR), src, b.money(r.Book.Revenue)))
}

func (b *builder) summary() {
	s := b.r.Summary
	b.d.h(2, "Summary")
	b.d.list(s.Actions...)

	t := newTable("Segment", "Touch", ">Accounts", ">ARR", ">CSMs", ">Need now", "Binds", ">CSMs +12m", ">Need +12m", "Binds +12m")
	for _, n := range append(append([]planner.SegmentNeed{}, s.Segments...), s.Total) {
		t.row(n.Name, label(n.TouchModel), count(n.Accounts), b.money(n.ARR), count(n.CSMs), fmt.Sprintf("%d (%s)", n.NeededNow, signed(n.GapNow)),
			label(n.BindingFactor), count(n.CSMsIn12Months), fmt.Sprintf("%d (%s)", n.NeededIn12Months, signed(n.GapIn12Months)), label(n.BindingFactorIn12Months))
	}
	t.total = true
	b.d.p("CSMs needed per segment, today and in 12 months (the gap to the team in brackets; \"+12m\" counts hires already planned). Each segment's need is its binding factor's.")
	b.d.add(t)

	if len(s.Requisitions) == 0 {
		b.d.p("**Requisitions:** none needed within the horizon.")
	} else {
		b.d.p("**Requisitions** (the forecasts' hiring plans: open by, start and ramped months):")
		rt := newTable("Segment", "Open by", "Start", "Ramped", "Status", ">First-year cost")
		for _, q := range s.Requisitions {
			rt.row(q.Segment, q.RequisitionMonth, q.StartMonth, q.RampedMonth, label(q.Status), b.money(q.FirstYearCost))
		}
		b.d.add(rt)
	}

	c := s.CostShare
	b.d.p(fmt.Sprintf("**CS cost against revenue** (band %s to %s):", pct(c.Min), pct(c.Max)))
	ct := newTable("Staffing", ">Cost a year", ">Share of revenue", "Band")
	ct.row("Current team", b.money(c.CurrentCost), pct(c.Current), label(c.CurrentBand))
	ct.row("Needed today", b.money(c.NeededCost), pct(c.Needed), label(c.NeededBand))
	ct.row("Needed in 12 months", b.money(c.In12MonthsCost), pct(c.In12Months), label(c.In12MonthsBand))
	b.d.add(ct)

	v := "**Hiring verdict: " + label(s.Verdict) + "**"
	if s.HireByMonth != "" {
		v += " (by " + s.HireByMonth + ")"
	}
	b.d.p(v + ".")
	b.d.list(s.Reasons...)
}

func (b *builder) capacity() {
	c := b.r.Capacity
	b.d.h(2, "Capacity (bottom-up)")
	if len(c.Segments) == 0 {
		b.d.p("No segment describes a playbook, so there is no bottom-up model.")
		return
	}
	b.d.p(fmt.Sprintf("One CSM has %s customer hours a month. The segments with a playbook need:", num(c.AvailableHoursPerCSMMonth, 2)))
	t := newTable("Segment", ">Accounts", ">Hours/account/mo", ">Accounts/CSM", ">FTE", ">CSMs", ">ARR/CSM")
	for _, s := range c.Segments {
		t.row(s.Name, count(s.Accounts), num(s.HoursPerAccountMonth, 3), num(s.AccountsPerCSM, 0), num(s.CSMFTE, 2), count(s.CSMHeadcount), b.money(s.ARRPerCSM))
	}
	t.row("Total", "", "", "", num(c.TotalCSMFTE, 2), count(c.TotalCSMHeadcount), b.money(c.ARRPerCSM))
	t.total = true
	b.d.add(t)
	bt := newTable("Segment", "Activity", ">Hours/account/mo")
	for _, s := range c.Segments {
		for i, x := range s.Breakdown {
			name := ""
			if i == 0 {
				name = s.Name
			}
			bt.row(name, x.Name, num(x.HoursPerAccountMonth, 3))
		}
	}
	b.d.p("Where the hours go:")
	b.d.add(bt)
}

func (b *builder) evaluation() {
	e := b.r.Evaluation
	b.d.h(2, "Team evaluation (three factors)")
	b.d.p("ARR per CSM against the touch model's band, accounts per CSM against the ideal range and cap (scaled by complexity), and workload (the FTE the journey needs over the team). The factor that needs most CSMs binds.")
	t := newTable("Team", ">CSMs", ">ARR/CSM", "ARR", ">Accts/CSM", "Volume", ">Workload", "Workload", "Binds", ">Need", ">Gap")
	for _, x := range append(append([]planner.TeamEvaluation{}, e.Segments...), e.Overall) {
		f := map[string]planner.FactorResult{}
		for _, fr := range x.Factors {
			f[fr.Factor] = fr
		}
		wl, wls := "-", "-"
		if w, ok := f["WORKLOAD"]; ok {
			wl, wls = pct(w.Value), label(w.Status)
		}
		t.row(x.Name, count(x.CSMs), b.money(x.ARRPerCSM), label(f["ARR"].Status), num(x.AccountsPerCSM, 1), label(f["VOLUME"].Status),
			wl, wls, label(x.BindingFactor), count(x.CSMsNeeded), signed(x.CSMGap))
	}
	t.total = true
	b.d.add(t)
	b.d.p("The Company row judges the whole book and team with the plan's signals. Where segments are served differently (touch model or complexity), its bands blend theirs, accounts per CSM weighted by accounts and ARR per CSM by ARR, so that its CSMs needed is what the segments need together.")
	var findings []string
	for _, x := range append(append([]planner.TeamEvaluation{}, e.Segments...), e.Overall) {
		for _, f := range x.Findings {
			findings = append(findings, fmt.Sprintf("%s, %s: %s", x.Name, label(f.Severity), f.Message))
		}
	}
	if len(findings) > 0 {
		b.d.p("Findings:")
		b.d.list(findings...)
	}
}

func (b *builder) forecast() {
	f := b.r.Forecast
	b.d.h(2, "Forecast and triggers")
	b.d.p("Each segment's book month by month, its load per effective CSM (ramping hires count in part, attrition lowers it) against its thresholds, the month each threshold is crossed and the month a requisition must open for a ramped CSM to be in seat by then.")
	for _, s := range f.Segments {
		b.d.h(3, s.Name)
		g := fmt.Sprintf("Growth: %s new accounts a month, %s logo churn and %s expansion a month.",
			num(s.NewAccountsPerMonth, 2), pct(s.MonthlyLogoChurnRate), pct(s.MonthlyExpansionRate))
		if len(s.PlannedHireMonths) > 0 {
			g += " Hires already planned to start: " + strings.Join(s.PlannedHireMonths, ", ") + "."
		}
		th := s.Thresholds
		g += fmt.Sprintf(" Thresholds in accounts per CSM: review %s, hire %s, critical %s; ARR per CSM %s.",
			num(th.ReviewAccountsPerCSM, 1), num(th.HireAccountsPerCSM, 1), num(th.CriticalAccountsPerCSM, 1), b.money(th.ARRPerCSM))
		b.d.p(g)
		b.d.add(b.monthTable(s.Months))
		tt := newTable("Trigger", ">Threshold", "Crossed", "Open by", "Status")
		for _, t := range s.Triggers {
			th := num(t.Threshold, 1)
			if t.Name == "arr" {
				th = b.money(t.Threshold)
			}
			st := label(t.Status)
			if t.MonthsLate > 0 {
				st += " (" + plural(t.MonthsLate, "month") + " late)"
			}
			tt.row(t.Name, th, or(t.CrossingMonth), or(t.OpenRequisitionBy), st)
		}
		b.d.add(tt)
		if len(s.HiringPlan) == 0 {
			b.d.p("Hiring plan: no hire needed to stay under the hire threshold.")
		} else {
			ht := newTable("Hire", "Open by", "Start", "Ramped", ">First-year cost")
			for i, h := range s.HiringPlan {
				ht.row(count(i+1), h.RequisitionMonth, h.StartMonth, h.RampedMonth, b.money(h.FirstYearCost))
			}
			b.d.p("Hiring plan (keeps load under the hire threshold):")
			b.d.add(ht)
		}
	}
	if len(f.Segments) > 1 {
		b.d.h(3, "All segments")
		b.d.add(b.monthTable(f.Total))
	}
}

func (b *builder) monthTable(ms []planner.ForecastMonth) *table {
	t := newTable("Month", ">Accounts", ">ARR", ">CSMs", ">Effective", ">Accounts/CSM", ">ARR/CSM", ">CS cost/mo", ">Cost share")
	for _, m := range ms {
		t.row(m.Month, num(m.Accounts, 0), b.money(m.ARR), count(m.CSMHeadcount), num(m.EffectiveCSMs, 2), num(m.AccountsPerCSM, 1),
			b.money(m.ARRPerCSM), b.money(m.CSCost), pct(m.CSCostShare))
	}
	return t
}

func (b *builder) segmentation() {
	s := b.r.Segmentation
	b.d.h(2, "Segmentation")
	if b.r.Book.Source == "csv" {
		b.d.p(fmt.Sprintf("The accounts of `%s` by segment rule (first match wins).", b.r.Book.AccountsFile))
	} else {
		b.d.p("The book as the plan gives it, segment by segment.")
	}
	t := newTable("Segment", "Touch", ">Accounts", ">ARR", ">Mean", ">Median", ">P90", ">% accounts", ">% ARR")
	for _, x := range s.Segments {
		t.row(x.Name, label(x.TouchModel), count(x.Accounts), b.money(x.ARR), b.money(x.ARRMean), b.moneyOpt(x.ARRMedian), b.moneyOpt(x.ARRP90),
			pct(x.AccountShare), pct(x.ARRShare))
	}
	u := s.Unassigned
	if b.r.Book.Source == "csv" {
		t.row("(unassigned)", "-", count(u.Accounts), b.money(u.ARR), b.money(u.ARRMean), b.moneyOpt(u.ARRMedian), b.moneyOpt(u.ARRP90), pct(u.AccountShare), pct(u.ARRShare))
	}
	t.row("Total", "", count(s.TotalAccounts), b.money(s.TotalARR), "", "", "", "", "")
	t.total = true
	b.d.add(t)
	if u.Accounts > 0 {
		b.d.p(fmt.Sprintf("%s accounts (%s ARR) match no rule: they are not planned for.", count(u.Accounts), b.money(u.ARR)))
	}
	if sg := s.Suggestion; sg != nil {
		b.d.p(fmt.Sprintf("Where the revenue tiers of the book lie (optimal clustering of log ARR; goodness of fit %s). The top 10%% of accounts hold %s of ARR, the top 20%% %s.",
			num(sg.GoodnessOfVarianceFit, 3), pct(sg.Top10PercentARRShare), pct(sg.Top20PercentARRShare)))
		tt := newTable("Tier", ">From (suggested)", ">Min ARR", ">Max ARR", ">Accounts", ">ARR", ">% ARR")
		for _, x := range sg.Tiers {
			from := "-"
			if x.SuggestedMinARR > 0 {
				from = b.money(x.SuggestedMinARR)
			}
			tt.row(x.Name, from, b.money(x.MinARR), b.money(x.MaxARR), count(x.Accounts), b.money(x.ARR), pct(x.ARRShare))
		}
		b.d.add(tt)
	}
}

func (b *builder) coverage() {
	c := b.r.Coverage
	b.d.h(2, "Coverage and cost")
	b.d.p(fmt.Sprintf("Every segment staffed at its ratio (playbook, coverage ratio or the touch model's ideal), whole CSMs at %s loaded a year, against revenue of %s.",
		b.money(c.CSMLoadedCost), b.money(c.Revenue)))
	t := newTable("Segment", ">Accounts/CSM", ">FTE", ">CSMs", ">Cost", ">% revenue")
	var fte float64
	for _, s := range c.Segments {
		t.row(s.Name, num(s.AccountsPerCSM, 1), num(s.CSMFTE, 2), count(s.CSMHeadcount), b.money(s.Cost), pct(s.CostShare))
		fte += s.CSMFTE
	}
	t.row("Total", "", num(fte, 2), count(c.TotalCSMHeadcount), b.money(c.TotalCost), pct(c.CostShare))
	t.total = true
	b.d.add(t)
	b.d.p(fmt.Sprintf("CS cost is %s of revenue: **%s** the %s to %s band.", pct(c.CostShare), strings.ToUpper(c.Band), pct(c.MinCostShare), pct(c.MaxCostShare)))
	for i, o := range c.Options {
		text := fmt.Sprintf("**Option %d, %s:** %s Cost share %s, %s over budget.", i+1, label(o.Kind), o.Description, pct(o.CostShare), b.money(o.ExtraCost))
		if o.Kind == "REDUCE_COVERAGE" {
			text += fmt.Sprintf(" Accounts per CSM x%s.", num(o.CoverageFactor, 3))
		}
		if len(o.MovedSegments) > 0 {
			text += " Moved to tech-touch: " + strings.Join(o.MovedSegments, ", ") + "."
		}
		b.d.p(text)
		ot := newTable("Segment", ">Accounts/CSM", ">CSMs", ">Cost")
		for _, s := range o.Segments {
			ot.row(s.Name, num(s.AccountsPerCSM, 1), count(s.CSMHeadcount), b.money(s.Cost))
		}
		b.d.add(ot)
	}
}

func (b *builder) hiring() {
	h := b.r.Hiring
	c, e := h.Cost, h.Evaluation
	b.d.h(2, "Hiring: cost and evaluation")
	t := newTable("One more CSM", ">Amount")
	t.row("Base salary", b.money(c.BaseSalary))
	t.row("Loaded cost a year", b.money(c.AnnualLoadedCost))
	t.row("Loaded cost a month", b.money(c.MonthlyLoadedCost))
	t.row("Ramp cost (unproductive part)", b.money(c.RampCost))
	t.row("Recruiting fee", b.money(c.RecruitingFee))
	t.row("Sign-on bonus", b.money(c.SignOnBonus))
	t.row("Training cost", b.money(c.TrainingCost))
	t.row("First-year cost", b.money(c.FirstYearCost))
	t.row("Productive months in the first year", num(c.ProductiveMonthsFirstYear, 2))
	t.row("Trainers' hours lost", num(c.TrainingCapacityHours, 1))
	b.d.add(t)

	if e.Segment != "" {
		b.d.p(fmt.Sprintf("Whether to make the next hire, the first requisition of the forecasts (%s), weighed in its segment against the company's CS cost and revenue:", e.Segment))
	} else {
		b.d.p("No requisition is planned; whether to hire one more CSM for the company as a whole:")
	}
	et := newTable("Measure", ">Before", ">After")
	et.row("ARR per CSM (milestone "+b.money(e.ARRPerCSMMilestone)+")", b.money(e.ARRPerCSMBefore), b.money(e.ARRPerCSMAfter))
	et.row("CS cost share of revenue", pct(e.CostShareBefore), pct(e.CostShareAfter))
	if e.RunwayMonthsBefore > 0 || e.RunwayMonthsAfter > 0 {
		et.row("Runway (months)", num(e.RunwayMonthsBefore, 1), num(e.RunwayMonthsAfter, 1))
	}
	b.d.add(et)
	v := fmt.Sprintf("Verdict: **%s**", label(e.Verdict))
	if e.HireByMonth != "" {
		v += " by " + e.HireByMonth
	}
	v += fmt.Sprintf(". First-year cost %s; at the plan's gross margin the hire pays back by retaining or expanding %s of ARR.", b.money(e.FirstYearCost), b.money(e.PaybackARR))
	if e.TriggerMonth != "" {
		v += " The forecasts' next requisition opens " + e.TriggerMonth + "."
	}
	b.d.p(v)
	b.d.list(e.Reasons...)
	if a := e.Alternative; a != nil {
		b.d.p(fmt.Sprintf("Tech-touch alternative: frees %s CSM FTE for %s a year, %s per FTE freed, against %s a year for a hire.",
			num(a.CSMFTEFreed, 2), b.money(a.Cost), b.money(a.CostPerFTEFreed), b.money(a.HireCostPerFTE)))
	}
	if e.AlternativeNote != "" {
		b.d.p(e.AlternativeNote)
	}
}

func (b *builder) assumptions() {
	b.d.h(2, "Assumptions")
	given := 0
	var groups []string
	rows := map[string]*table{}
	for _, a := range b.r.Assumptions {
		if a.Source == "plan" {
			given++
			continue
		}
		g := a.Section
		if a.Segment != "" {
			g += " (" + a.Segment + ")"
		}
		t := rows[g]
		if t == nil {
			t = newTable("Field", "Value", "Source")
			rows[g] = t
			groups = append(groups, g)
		}
		t.row("`"+a.Name+"`", shortValue(a.Value), a.Source)
	}
	b.d.p(fmt.Sprintf("The values the services and the planner worked out or took as defaults, with their sources (seeds, documented assumptions, or the planner's own rule), by the call that used them. The %d values the plan gives are used as written; the JSON report lists them too.", given))
	for _, g := range groups {
		b.d.h(3, strings.ToUpper(g[:1])+g[1:])
		b.d.add(rows[g])
	}
}

// shortValue rounds a long decimal for reading: 70.74468085106383 -> 70.7447.
func shortValue(v string) string {
	var x float64
	if _, err := fmt.Sscan(v, &x); err != nil || !strings.Contains(v, ".") || len(v) <= 8 {
		return v
	}
	return strconv.FormatFloat(x, 'f', 4, 64)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
