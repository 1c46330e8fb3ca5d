package planning

import (
	"slices"
	"strings"
	"testing"

	"github.com/csplan/csplan/capacity"
)

func f(x float64) *float64 { return &x }
func i32(x int32) *int32   { return &x }

var dec2026 = capacity.Month(2026*12 + 11)

// seedPlan is one segment on totals with a hire profile.
func seedPlan(accounts int32, arr float64, csms int32) Plan {
	return Plan{StartMonth: "2026-12", Segments: []Segment{{Name: "Core", Accounts: &accounts, ARR: &arr, CSMs: csms}},
		Hiring: Hiring{Cost: capacity.HireRequest{BaseSalary: 100000}}}
}

func mustRun(t *testing.T, p Plan) Result {
	t.Helper()
	r, err := Run(p, Book{}, dec2026)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSeed000Critical: seed 000's case, from 2026-12 with 1 CSM, 60
// accounts and 5 new a month against a critical threshold of 75: 75 is
// reached in 2027-03 and passed in 2027-04, so the requisition was due in
// 2026-11, one month overdue.
func TestSeed000Critical(t *testing.T) {
	p := seedPlan(60, 600000, 1)
	p.Segments[0].Growth = Growth{NewAccountsPerMonth: f(5)}
	p.Segments[0].Thresholds.CriticalAccountsPerCSM = f(75)
	r := mustRun(t, p)
	var crit capacity.Trigger
	for _, tr := range r.Segments[0].Triggers {
		if tr.Name == "critical" {
			crit = tr
		}
	}
	if crit.CrossingMonth == nil || crit.CrossingMonth.String() != "2027-04" || crit.OpenRequisitionBy.String() != "2026-11" ||
		crit.Status != capacity.TriggerStatusOverdue || crit.MonthsLate != 1 {
		t.Errorf("critical trigger = %+v, want crossed 2027-04, open by 2026-11, overdue by 1", crit)
	}
}

// TestAtCapacityNeedsNobody: a team exactly at its ratio, without growth,
// churn or attrition, has no requisition and no hire is needed.
func TestAtCapacityNeedsNobody(t *testing.T) {
	p := seedPlan(40, 4e6, 2)
	p.Segments[0].AccountsPerCSM = f(20)
	r := mustRun(t, p)
	if len(r.Requisitions) != 0 || r.Summary.Verdict != capacity.VerdictHold {
		t.Fatalf("requisitions %v, verdict %v", r.Requisitions, r.Summary.Verdict)
	}
	if want := "No hire is needed within the horizon"; !strings.HasPrefix(r.Summary.Reasons[0], want) {
		t.Errorf("reason %q, want %q", r.Summary.Reasons[0], want)
	}
}

// TestPlaybookSegmentIsComputeCapacity: a playbook segment is sized by its
// playbook, and its need is the one ComputeCapacity gives for it.
func TestPlaybookSegmentIsComputeCapacity(t *testing.T) {
	pb := capacity.Playbook{Touchpoints: []capacity.Touchpoint{{Name: "Check-in", Hours: 1, Cadence: capacity.CadenceMonthly},
		{Name: "Kick-off", Hours: 6, Cadence: capacity.CadenceOneTime}}}
	p := seedPlan(200, 5e6, 3)
	p.Segments[0].Playbook = &pb
	p.Segments[0].Growth = Growth{NewAccountsPerMonth: f(4)}
	r := mustRun(t, p)
	cp, err := capacity.ComputeCapacity(capacity.CapacityRequest{Segments: []capacity.Segment{{Name: "Core", Accounts: 200, ARR: 5e6, Playbook: pb, NewAccountsPerMonth: f(4)}}})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Segments[0]
	if s.Basis != capacity.SizingBasisPlaybook || s.CSMsNeededNow != cp.Segments[0].CSMHeadcount {
		t.Errorf("basis %v need %d, ComputeCapacity %d", s.Basis, s.CSMsNeededNow, cp.Segments[0].CSMHeadcount)
	}
}

// TestRatesAreFractions: a monthly rate of 1 or more says rates are
// fractions; one above 50% says so; a contraction is allowed.
func TestRatesAreFractions(t *testing.T) {
	p := seedPlan(10, 1e5, 1)
	p.Growth = Growth{MonthlyLogoChurnRate: f(1), MonthlyExpansionRate: f(0.7)}
	_, err := Run(p, Book{}, dec2026)
	for _, want := range []string{"growth.monthly_logo_churn_rate: rates are fractions: 1% a month is 0.01", "growth.monthly_expansion_rate: 0.7 is above 50% a month"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	p.Growth = Growth{MonthlyExpansionRate: f(-0.02)}
	if _, err := Run(p, Book{}, dec2026); err != nil {
		t.Errorf("a contraction of 2%% a month: %v", err)
	}
}

// TestUnmetMonthsAreNamed: load above capacity before any requisition can
// be ramped is named, and the verdict never says no hire is needed.
func TestUnmetMonthsAreNamed(t *testing.T) {
	p := seedPlan(100, 1e6, 1)
	p.HorizonMonths = 3
	p.Segments[0].AccountsPerCSM = f(50)
	r := mustRun(t, p)
	if len(r.Segments[0].UnmetMonths) != 4 || r.Summary.Verdict != capacity.VerdictHold {
		t.Fatalf("unmet %v verdict %v", r.Segments[0].UnmetMonths, r.Summary.Verdict)
	}
	if got := r.Summary.Reasons[0]; !strings.Contains(got, "Core in 2026-12 to 2027-03") || strings.Contains(got, "No hire is needed") {
		t.Errorf("reason %q", got)
	}
}

// TestGuardrailSentences: the cap warning prints only where the basis
// implies more accounts per CSM than the scaled cap, with that figure; the
// milestone note only where ARR per needed CSM is below it.
func TestGuardrailSentences(t *testing.T) {
	p := seedPlan(120, 2.4e6, 2)
	p.Segments[0].AccountsPerCSM = f(60) // high touch cap 50
	r := mustRun(t, p)
	if !hasFinding(r, "Core's capacity from your ratio of 60 is 60 accounts per CSM, above the high-touch cap of 50") {
		t.Errorf("no cap warning at a ratio of 60: %v", r.Findings)
	}
	// 2 CSMs for $2.4M is $1.2M each: above the $1M milestone, no note.
	if hasFinding(r, "below the high-touch milestone") {
		t.Errorf("a milestone note at $1.2M per CSM: %v", r.Findings)
	}
	p.Segments[0].AccountsPerCSM = f(40)
	*p.Segments[0].ARR = 1.5e6 // 3 CSMs needed: $500K each
	r = mustRun(t, p)
	if hasFinding(r, "above the high-touch cap") {
		t.Errorf("a cap warning at a ratio of 40: %v", r.Findings)
	}
	if !hasFinding(r, "Core's ARR per needed CSM is $500K, below the high-touch milestone of $1.00M") {
		t.Errorf("no milestone note at $500K per CSM: %v", r.Findings)
	}
}

// TestCurrencyInSentences: money in sentences is in the plan's currency.
func TestCurrencyInSentences(t *testing.T) {
	p := seedPlan(40, 1.5e6, 1)
	p.Currency = "EUR"
	p.Segments[0].AccountsPerCSM = f(10)
	r := mustRun(t, p)
	for _, fd := range r.Findings {
		if strings.Contains(fd.Message, "$") {
			t.Errorf("a finding of a EUR plan prints $: %q", fd.Message)
		}
	}
	if !hasFinding(r, "€") {
		t.Errorf("no finding in euros: %v", r.Findings)
	}
	for _, s := range r.Summary.Reasons {
		if strings.Contains(s, "$") {
			t.Errorf("a reason of a EUR plan prints $: %q", s)
		}
	}
}

func hasFinding(r Result, sub string) bool {
	for _, fd := range r.Findings {
		if strings.Contains(fd.Message, sub) {
			return true
		}
	}
	return false
}

// dueNow is a segment overloaded now: 120 accounts at a ratio of 20 on 4
// CSMs with an instant hire, so its requisitions are due now.
func dueNow(arr float64) Plan {
	p := seedPlan(120, arr, 4)
	p.Segments[0].AccountsPerCSM = f(20)
	p.Hiring.Cost.TimeToHireMonths, p.Hiring.Cost.RampMonths = i32(0), i32(0)
	return p
}

// TestVerdictSentences: each verdict sentence states figures that hold.
func TestVerdictSentences(t *testing.T) {
	// $12M over 6 CSMs is $2M each, above the $1M milestone; 6 x $150K is
	// 7.5% of revenue, under 25%: hire now, and the reason says so.
	r := mustRun(t, dueNow(12e6))
	if r.Summary.Verdict != capacity.VerdictHireNow || r.Summary.RequisitionsDueNow != 2 {
		t.Fatalf("verdict %v with %d due", r.Summary.Verdict, r.Summary.RequisitionsDueNow)
	}
	want := "In 2026-12, with every hire started by then, ARR per CSM is $2.00M against a blended milestone of $1.00M, and the CS cost share is 7.5% of revenue against the 25% maximum."
	if !slices.Contains(r.Summary.Reasons, want) {
		t.Errorf("reasons %q lack %q", r.Summary.Reasons, want)
	}
	if !strings.HasPrefix(r.Summary.Reasons[0], "2 requisitions are due now, the first opening by 2026-12") {
		t.Errorf("first reason %q", r.Summary.Reasons[0])
	}
	// Seed 004: $4M over 6 CSMs is $667K each, under the milestone: hold,
	// naming the guardrail and the ways out.
	r = mustRun(t, dueNow(4e6))
	if r.Summary.Verdict != capacity.VerdictHold {
		t.Fatalf("verdict %v at $667K per CSM", r.Summary.Verdict)
	}
	if last := r.Summary.Reasons[len(r.Summary.Reasons)-1]; !strings.Contains(last, "ARR per CSM ($667K) would be below the milestone ($1.00M)") ||
		strings.Contains(last, "cost share") || !strings.Contains(last, "tech touch") {
		t.Errorf("hold reason %q", last)
	}
	// Tech touch that frees 3 FTE for $30K a year replaces both due
	// requisitions: hold, tech touch first.
	p := dueNow(12e6)
	p.Segments[0].TechTouch = &capacity.TechTouchAlternative{AccountsMoved: 60, PlatformCostPerYear: 30000}
	r = mustRun(t, p)
	if r.Summary.Verdict != capacity.VerdictHold || !r.Requisitions[0].TechTouchFirst || r.Hiring.TechTouch.RequisitionsReplaced != 2 {
		t.Fatalf("tech touch: verdict %v, %+v", r.Summary.Verdict, r.Hiring.TechTouch)
	}
	if !strings.Contains(strings.Join(r.Summary.Reasons, " "), "Tech touch first in Core: moving 60 accounts frees 3 CSM FTE at $10.0K per FTE a year") {
		t.Errorf("reasons %q", r.Summary.Reasons)
	}
	// One that frees 1 FTE replaces none, and says why.
	p.Segments[0].TechTouch.AccountsMoved = 20
	r = mustRun(t, p)
	if r.Summary.Verdict != capacity.VerdictHireNow || !strings.Contains(strings.Join(r.Summary.Reasons, " "), "it replaces none of the segment's 2 due requisitions") {
		t.Errorf("a small tech touch: %v %q", r.Summary.Verdict, r.Summary.Reasons)
	}
}

// TestCostScopeFinding: the payroll-only note prints only where the cost
// is fully loaded and neither managers nor other cost are given.
func TestCostScopeFinding(t *testing.T) {
	const note = "The cost counts CSM payroll only"
	if r := mustRun(t, seedPlan(40, 4e6, 2)); !hasFinding(r, note) {
		t.Error("no payroll note without managers or other cost")
	}
	p := seedPlan(40, 4e6, 2)
	p.Finance.CSMsPerManager = f(8)
	if r := mustRun(t, p); hasFinding(r, note) || r.Months[0].Managers != 1 || r.Months[0].ManagerCost == 0 {
		t.Errorf("with managers: note %v, managers %d", hasFinding(r, note), r.Months[0].Managers)
	}
	p = seedPlan(40, 4e6, 2)
	p.Finance.Scope = CostScopeCSMPayroll
	if r := mustRun(t, p); hasFinding(r, note) {
		t.Error("a payroll note on a payroll scope")
	}
}

// TestLaterSentences: the hire-later reason names the first requisition's
// months as the table has them; the ARR guardrail note names its month;
// an alternative larger than its segment says it replaces nothing.
func TestLaterSentences(t *testing.T) {
	// 80 accounts at 20 a CSM on 5 CSMs, 2 more a month: past 100 in
	// month 11, a requisition that opens in month 6.
	p := seedPlan(80, 8e6, 5)
	p.Segments[0].AccountsPerCSM = f(20)
	p.Segments[0].Growth = Growth{NewAccountsPerMonth: f(2)}
	r := mustRun(t, p)
	if r.Summary.Verdict != capacity.VerdictHireLater || len(r.Requisitions) == 0 {
		t.Fatalf("verdict %v, %d requisitions", r.Summary.Verdict, len(r.Requisitions))
	}
	q := r.Requisitions[0]
	want := "No requisition is due now. The first, a growth hire for Core, opens by " + q.OpenByMonth + " so that the hire starts in " +
		q.StartMonth + " and is ramped by " + q.RampedMonth + ", the first month Core's load would pass its capacity without it (" + q.NeededMonth + ")."
	if r.Summary.Reasons[0] != want || r.Summary.HireByMonth != q.OpenByMonth {
		t.Errorf("reason %q, hire by %s; want %q", r.Summary.Reasons[0], r.Summary.HireByMonth, want)
	}
	// $8M over 5 CSMs is $1.6M; growing, it passes the $2M ceiling: the
	// note names the month the ARR trigger reports.
	var arr capacity.Trigger
	for _, tr := range r.Segments[0].Triggers {
		if tr.Name == "arr" {
			arr = tr
		}
	}
	// $1.6M + $40K a month passes $2M in month 11, 2027-11.
	if arr.CrossingMonth == nil || arr.CrossingMonth.String() != "2027-11" || !hasFinding(r, "Core's ARR per effective CSM passes $2.00M in 2027-11") {
		t.Errorf("no ARR note for the crossing in %v: %v", arr.CrossingMonth, r.Findings)
	}
	p = dueNow(12e6)
	p.Segments[0].TechTouch = &capacity.TechTouchAlternative{AccountsMoved: 500, PlatformCostPerYear: 1000}
	r = mustRun(t, p)
	if !hasFinding(r, "The tech-touch alternative moves 500 accounts, more than the 120 Core holds: it replaces no requisition.") || r.Requisitions[0].TechTouchFirst {
		t.Errorf("an alternative larger than its segment: %v", r.Findings)
	}
}
