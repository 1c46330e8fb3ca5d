package planning

import (
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
