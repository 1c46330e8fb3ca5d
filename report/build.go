package report

import (
	"fmt"
	"strings"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/report/doc"
	"github.com/csplan/csplan/report/html"
)

// build lays the report out: the verdict and the summary first, then the
// requisitions, the bridge, the fiscal view and each section. Every figure
// is a field of the PlanResult, formatted; nothing is computed here.
func build(r *csplanv1.PlanResult, o PlanOptions) doc.Document {
	b := &builder{r: r, cur: r.GetCurrency(), skipped: o.Skipped, rebalance: o.Rebalance}
	b.title()
	b.summary()
	b.requisitions()
	b.bridge()
	b.fiscal()
	b.segments()
	b.book()
	b.calendar()
	b.rebalancing()
	b.dataQuality()
	b.coverage()
	b.hiring()
	b.findings()
	b.assumptions()
	return b.d
}

type builder struct {
	r       *csplanv1.PlanResult
	cur     string
	d       doc.Document
	skipped []SkippedRow
	// rebalance is the plan's rebalancing, when the CLI asked for it.
	rebalance *Rebalance
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
	name := r.GetCompany()
	if name == "" {
		name = "the plan"
	}
	b.d.H(1, "CS capacity plan: "+name)
	src := "the segments' own totals"
	if r.GetSegmentation().GetSource() == "accounts" {
		src = "the accounts"
	}
	s := r.GetSummary()
	book := fmt.Sprintf("%s and %s ARR, from %s", accountsText(r.GetSegmentation().GetTotalAccounts()), b.money(r.GetSegmentation().GetTotalArr()), src)
	if u := r.GetSegmentation().GetUnassigned(); u.GetAccounts() > 0 {
		verb := "match no segment and are"
		if u.GetAccounts() == 1 {
			verb = "matches no segment and is"
		}
		book += fmt.Sprintf(", of which %s (%s ARR) %s not planned", accountsText(u.GetAccounts()), b.money(u.GetArr()), verb)
	}
	if x := r.GetSegmentation().GetExcluded(); x.GetAccounts() > 0 {
		book += fmt.Sprintf(". Left out as not customers (book.customer_stages or book.exclude_stages), beside it: %s, %s ARR", accountsText(x.GetAccounts()), b.money(x.GetArr()))
	}
	b.d.P(fmt.Sprintf("From %s, over %d months, sized %s. Book: %s; revenue %s.",
		r.GetStartMonth(), r.GetHorizonMonths(), policyText(r.GetSizingPolicy()), book, b.money(s.GetRevenue())))
}

// peaks is each segment's highest need within the horizon beside its
// need now, and what its months follow: the book's calendar or its
// accounts alone.
func (b *builder) peaks() {
	s := b.r.GetSummary()
	b.d.P("The peak is the month of the highest need within the horizon (the earliest on a tie); the company's is the month its summed need is highest, so it need not be the sum of the segments' peaks.")
	t := doc.NewTable("Segment", ">Need now", "Peak month", ">Need at peak", "Month by month from")
	calendar := false
	for _, sg := range b.r.GetSegments() {
		from := "accounts over capacity"
		if sg.GetCalendar() {
			from, calendar = "the book's calendar", true
		}
		t.Row(sg.GetName(), count32(sg.GetCsmsNeededNow()), sg.GetPeakMonth(), count32(sg.GetCsmsNeededAtPeak()), from)
	}
	t.Row("Company", count32(s.GetCsmsNeededNow()), s.GetPeakMonth(), count32(s.GetCsmsNeededAtPeak()), "")
	t.Total = true
	b.d.Add(t)
	if calendar {
		b.d.P("\"The book's calendar\": the need follows the hours the accounts' start and renewal dates place in each month (onboarding, renewal prep), new accounts' own waves included, over one CSM's customer hours; the month's capacity is its accounts per CSM at those hours.")
	}
}

func policyText(p csplanv1.SizingPolicy) string {
	if p == csplanv1.SizingPolicy_SIZING_POLICY_MOST_CONSTRAINED {
		return "by the most constrained factor"
	}
	return "from each segment's own journey (playbook first, benchmarks as guardrails)"
}

func (b *builder) summary() {
	s := b.r.GetSummary()
	b.d.H(2, "Summary")
	v := "**Verdict: " + label(s.GetVerdict()) + "**"
	if s.GetHireByMonth() != "" {
		v += " (open the requisition by " + s.GetHireByMonth() + ")"
	}
	b.d.P(v + ".")
	b.d.List(s.GetReasons()...)

	b.d.P(fmt.Sprintf("CSMs needed per segment: accounts over the segment's capacity (accounts per CSM), today and in %s. The company is the sum of its segments.",
		s.GetIn12MonthsMonth()))
	t := doc.NewTable("Segment", "Touch", "Sized by", ">Per CSM", ">Accounts", ">ARR", ">CSMs", ">FTE now", ">Need now", ">Need "+s.GetIn12MonthsMonth())
	for _, sg := range b.r.GetSegments() {
		t.Row(sg.GetName(), label(sg.GetTouchModel()), label(sg.GetSizingBasis()), num(sg.GetCapacityAccountsPerCsm(), 1), count32(sg.GetAccounts()),
			b.money(sg.GetArr()), count32(sg.GetCsmsToday()), num(sg.GetCsmFteNow(), 2), count32(sg.GetCsmsNeededNow()),
			count32(sg.GetCsmsNeededIn12Months()))
	}
	m0 := first(b.r.GetMonths())
	t.Row("Total", "", "", "", num(m0.GetAccounts(), 0), b.money(m0.GetArr()), count32(s.GetCsmsToday()), "", count32(s.GetCsmsNeededNow()),
		count32(s.GetCsmsNeededIn12Months()))
	t.Total = true
	b.d.Add(t)
	b.peaks()

	b.d.P(fmt.Sprintf("**CS cost against revenue**, the run-rate a year %s (band %s to %s):", scopeText(b.r.GetCostScope()),
		pct(s.GetMinCostShare()), pct(s.GetMaxCostShare())))
	ct := doc.NewTable("Staffing", ">Cost a year", ">Share of revenue", "Band")
	ct.Row(fmt.Sprintf("Today's team (%d CSMs)", s.GetCsmsToday()), b.money(s.GetCostNow()), pct(s.GetCostShareNow()), label(s.GetBandNow()))
	ct.Row(fmt.Sprintf("The need now (%d CSMs)", s.GetCsmsNeededNow()), b.money(s.GetCostNeeded()), pct(s.GetCostShareNeeded()), label(s.GetBandNeeded()))
	b.d.Add(ct)
}

func scopeText(s csplanv1.CostScope) string {
	if s == csplanv1.CostScope_COST_SCOPE_CSM_PAYROLL {
		return "of CSM payroll"
	}
	return "fully loaded (CSMs, managers and other CS cost, where the plan gives them)"
}

func (b *builder) requisitions() {
	rs := b.r.GetRequisitions()
	b.d.H(2, "Requisitions")
	s := b.r.GetSummary()
	if len(rs) == 0 {
		b.d.P("None within the horizon.")
		return
	}
	b.d.P(fmt.Sprintf("%d requisitions, %d due now or overdue, each hire at a first-year cost of %s. A growth hire is needed even without attrition; a backfill replaces expected leavers (fractional ones add up), so its incremental cost against today's run-rate is its one-time cost only.",
		len(rs), s.GetRequisitionsDueNow(), b.money(b.r.GetHiring().GetCost().GetFirstYearCost())))
	t := doc.NewTable("Segment", "Kind", "Needed", "Open by", "Start", "Ramped", "Status", ">Incremental", "Tech touch")
	for _, q := range rs {
		status := label(q.GetStatus())
		if q.GetMonthsLate() > 0 {
			status += fmt.Sprintf(" (%d late)", q.GetMonthsLate())
		}
		t.Row(q.GetSegment(), label(q.GetKind()), q.GetNeededMonth(), q.GetOpenByMonth(), q.GetStartMonth(), q.GetRampedMonth(), status,
			b.money(q.GetIncrementalCost()), techFirst(q.GetTechTouchFirst()))
	}
	b.d.Add(t)
}

func (b *builder) bridge() {
	b.d.H(2, "Headcount and cost, month by month")
	b.d.P("Expected values: attrition takes a share of each cohort from its own start, so headcount is fractional. Load is accounts per effective CSM, with the plan's requisitions and without them. Costs are the month's expected spend.")
	t := doc.NewTable("Month", ">Accounts", ">Headcount", ">Effective", ">Needed", ">Load", ">Load without hires", ">Managers")
	c := doc.NewTable("Month", ">CSMs", ">Managers", ">Other", ">One-time", ">Total", ">Revenue", ">Cost share")
	for _, m := range b.r.GetMonths() {
		t.Row(m.GetMonth(), num(m.GetAccounts(), 0), num(m.GetHeadcount(), 1), num(m.GetEffectiveCsms(), 1), count32(m.GetNeededCsms()),
			num(m.GetAccountsPerEffectiveCsm(), 1), num(m.GetAccountsPerEffectiveCsmWithoutPlan(), 1), count32(m.GetManagers()))
		c.Row(m.GetMonth(), b.money(m.GetCsmCost()), b.money(m.GetManagerCost()), b.money(m.GetOtherCost()), b.money(m.GetOneTimeCost()),
			b.money(m.GetTotalCost()), b.money(m.GetRevenue()), pct(m.GetCostShare()))
	}
	b.d.Add(t)
	b.d.P("Monthly cost: each line, and the run-rate share of revenue in scope (one-time costs excluded):")
	b.d.Add(c)
	b.d.Chart(html.ChartHeadcount)
	b.d.Chart(html.ChartCost)
}

func (b *builder) fiscal() {
	b.d.H(2, "Cost by fiscal period")
	t := doc.NewTable("Period", ">Months", ">Total cost", ">Growth hires", ">Backfills")
	for _, ps := range [][]*csplanv1.FiscalPeriodCost{b.r.GetCostByQuarter(), b.r.GetCostByFiscalYear()} {
		for _, p := range ps {
			name := p.GetPeriod()
			if p.GetPartial() {
				name += " (part)"
			}
			t.Row(name, count32(p.GetMonths()), b.money(p.GetTotalCost()), count32(p.GetGrowthHires()), count32(p.GetBackfillHires()))
		}
	}
	b.d.Add(t)
	b.d.P("Hires are counted in their start month; \"(part)\" marks a period the horizon cuts.")
	b.d.Chart(html.ChartQuarters)
}

func (b *builder) segments() {
	for _, s := range b.r.GetSegments() {
		b.d.H(2, "Segment "+s.GetName())
		if s.GetCalendar() {
			b.d.P(fmt.Sprintf("Sized by %s on the book's calendar: %s accounts per effective CSM in %s, %s FTE for %s accounts today; the need peaks at %s CSMs in %s.", label(s.GetSizingBasis()),
				num(s.GetCapacityAccountsPerCsm(), 1), b.r.GetStartMonth(), num(s.GetCsmFteNow(), 2), count32(s.GetAccounts()), count32(s.GetCsmsNeededAtPeak()), s.GetPeakMonth()))
		} else {
			b.d.P(fmt.Sprintf("Sized by %s: %s accounts per effective CSM, %s FTE for %s accounts today.", label(s.GetSizingBasis()),
				num(s.GetCapacityAccountsPerCsm(), 1), num(s.GetCsmFteNow(), 2), count32(s.GetAccounts())))
		}
		b.d.Chart(html.ChartLoadPrefix + s.GetName())
		if c := s.GetCapacity(); c != nil {
			t := doc.NewTable("Activity", ">Hours/account/mo")
			for _, x := range c.GetBreakdown() {
				t.Row(x.GetName(), num(x.GetHoursPerAccountMonth(), 3))
			}
			t.Row("Total", num(c.GetHoursPerAccountMonth(), 3))
			t.Total = true
			if s.GetCalendar() {
				b.d.P(fmt.Sprintf("One CSM has %s customer hours a month; the playbook takes, on average over its cadences (the calendar places these hours in the months they fall, so each month's capacity differs from this average's):", num(c.GetAvailableHoursPerCsmMonth(), 2)))
			} else {
				b.d.P(fmt.Sprintf("One CSM has %s customer hours a month; the playbook takes:", num(c.GetAvailableHoursPerCsmMonth(), 2)))
			}
			b.d.Add(t)
		}
		g := doc.NewTable("Guardrail", ">Value", ">Healthy", ">Limit", "Status", ">CSMs at benchmark")
		for _, f := range s.GetGuardrails() {
			value, band, limit := num(f.GetValue(), 1), num(f.GetHealthyMin(), 0)+"-"+num(f.GetHealthyMax(), 0), num(f.GetLimit(), 0)
			if f.GetFactor() == csplanv1.Factor_FACTOR_ARR {
				value, band, limit = b.money(f.GetValue()), b.money(f.GetHealthyMin())+"-"+b.money(f.GetHealthyMax()), b.money(f.GetLimit())
			}
			if f.GetFactor() == csplanv1.Factor_FACTOR_WORKLOAD {
				value, band, limit = pct(f.GetValue()), pct(f.GetHealthyMin())+"-"+pct(f.GetHealthyMax()), pct(f.GetLimit())
			}
			g.Row(label(f.GetFactor()), value, band, limit, label(f.GetStatus()), count32(f.GetCsmsAtBenchmark()))
		}
		b.d.Add(g)
		tr := doc.NewTable("Trigger", ">Threshold", "Crossed", "Open by", "Status")
		for _, x := range s.GetTriggers() {
			thr := num(x.GetThreshold(), 1)
			if x.GetName() == "arr" {
				thr = b.money(x.GetThreshold())
			}
			tr.Row(x.GetName(), thr, or(x.GetCrossingMonth()), or(x.GetOpenRequisitionBy()), label(x.GetStatus()))
		}
		b.d.Add(tr)
		if len(s.GetUnmetMonths()) > 0 {
			b.d.P("Above capacity before any requisition opened now can be ramped: " + strings.Join(s.GetUnmetMonths(), ", ") + ".")
		}
	}
}

func (b *builder) book() {
	sg := b.r.GetSegmentation()
	b.d.H(2, "The book")
	t := doc.NewTable("Segment", ">Accounts", ">ARR", ">Mean ARR", ">Median ARR", ">P90 ARR", ">Account share", ">ARR share")
	for _, s := range append(append([]*csplanv1.PlanBookSegment{}, sg.GetSegments()...), sg.GetUnassigned()) {
		t.Row(s.GetName(), count32(s.GetAccounts()), b.money(s.GetArr()), b.moneyOpt(s.ArrMean), b.moneyOpt(s.ArrMedian), b.moneyOpt(s.ArrP90),
			pct(s.GetAccountShare()), pct(s.GetArrShare()))
	}
	b.d.Add(t)
	if sg.GetSource() != "accounts" {
		b.d.P("The book is the segments' totals: its ARR distribution is unknown (dashes).")
	}
	if sug := sg.GetSuggestion(); sug != nil {
		b.d.P(fmt.Sprintf("**Suggested revenue tiers** (goodness of variance fit %s; the top 10%% of accounts hold %s of ARR):",
			num(sug.GetGoodnessOfVarianceFit(), 3), pct(sug.GetTop10PercentArrShare())))
		tt := doc.NewTable("Tier", ">From ARR", ">Min ARR", ">Max ARR", ">Accounts", ">ARR share")
		for _, x := range sug.GetTiers() {
			tt.Row(x.GetName(), b.money(x.GetSuggestedMinArr()), b.money(x.GetMinArr()), b.money(x.GetMaxArr()), count32(x.GetAccounts()), pct(x.GetArrShare()))
		}
		b.d.Add(tt)
	}
}

func (b *builder) coverage() {
	opts := b.r.GetCoverage().GetOptions()
	if len(opts) == 0 {
		return
	}
	b.d.H(2, "Ways back into the band")
	b.d.P("The need is above the band. Each option prices CSMs at a hire's loaded cost:")
	t := doc.NewTable("Option", ">Cost share", ">Over budget by", "What it means")
	for _, o := range opts {
		t.Row(label(o.GetKind()), pct(o.GetCostShare()), b.money(o.GetExtraCost()), o.GetDescription())
	}
	b.d.Add(t)
}

func (b *builder) hiring() {
	h := b.r.GetHiring()
	c := h.GetCost()
	b.d.H(2, "One hire")
	t := doc.NewTable("Item", ">Amount")
	t.Row("Annual loaded cost", b.money(c.GetAnnualLoadedCost()))
	t.Row("Ramp (unproductive pay)", b.money(c.GetRampCost()))
	t.Row("Recruiting fee", b.money(c.GetRecruitingFee()))
	t.Row("Sign-on bonus", b.money(c.GetSignOnBonus()))
	t.Row("Training", b.money(c.GetTrainingCost()))
	t.Row("First-year cost", b.money(c.GetFirstYearCost()))
	t.Row("Per productive FTE", b.money(h.GetHireCostPerProductiveFte()))
	t.Row("ARR to pay it back", b.money(h.GetPaybackArr()))
	b.d.Add(t)
	if h.GetRunwayMonthsBefore() > 0 {
		b.d.P(fmt.Sprintf("Runway: %s months today, %s with the due hires.", num(h.GetRunwayMonthsBefore(), 1), num(h.GetRunwayMonthsAfter(), 1)))
	}
	if tt := h.GetTechTouch(); tt != nil {
		b.d.P(fmt.Sprintf("Tech touch in %s: moving %d accounts frees %s CSM FTE for %s a year (%s per FTE freed); it replaces %d due requisitions.",
			tt.GetSegment(), tt.GetAccountsMoved(), num(tt.GetCsmFteFreed(), 2), b.money(tt.GetCostPerYear()), b.money(tt.GetCostPerFteFreed()), tt.GetRequisitionsReplaced()))
	}
}

func (b *builder) findings() {
	fs := b.r.GetFindings()
	if len(fs) == 0 {
		return
	}
	b.d.H(2, "Findings")
	items := make([]string, len(fs))
	for i, f := range fs {
		items[i] = label(f.GetSeverity()) + ": " + f.GetMessage()
	}
	b.d.List(items...)
}

func (b *builder) assumptions() {
	b.d.H(2, "Assumptions")
	t := doc.NewTable("Input", "Value", "Source")
	for _, a := range b.r.GetAssumptions() {
		t.Row(a.GetName(), a.GetValue(), a.GetSource())
	}
	b.d.Add(t)
}

func first(ms []*csplanv1.PlanMonth) *csplanv1.PlanMonth {
	if len(ms) == 0 {
		return nil
	}
	return ms[0]
}

func techFirst(b bool) string {
	if b {
		return "first"
	}
	return "-"
}
