package capacity

import (
	"math"
	"testing"
)

// A playbook's one-time touchpoints are amortised over the customer
// lifetime wherever a playbook sizes a segment: 12 hours over 12 months is
// 1 hour per account a month, so a CSM with 104.44 hours carries 104.44
// accounts (104 whole ones), and the lifetime is echoed as given.
func TestCustomerLifetimeAmortisesOneTimeTouchpoints(t *testing.T) {
	lifetime := 12.0
	pb := &Playbook{Touchpoints: []Touchpoint{{Name: "Onboarding", Hours: 12, Cadence: CadenceOneTime}}}
	available := 40 * (52 - 25.0/5) / 12 * 2 / 3

	seg, err := NewSegmenter(SegmentRules{Segments: []SegmentRule{{Name: "All", Playbook: pb, CustomerLifetimeMonths: &lifetime}}})
	if err != nil {
		t.Fatal(err)
	}
	seg.Add(&Account{ID: "a", ARR: 1})
	if got := seg.Result().Segments[0].AccountsPerCSM; got != 104 {
		t.Errorf("segment accounts per CSM = %v, want 104", got)
	}

	plan, err := PlanCoverage(CoverageRequest{
		Segments:      []CoverageSegment{{Name: "All", Accounts: 100, ARR: 1e6, Playbook: pb, CustomerLifetimeMonths: &lifetime}},
		CSMLoadedCost: 150_000,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := plan.Segments[0].AccountsPerCSM; math.Abs(got-available) > 1e-9 {
		t.Errorf("coverage accounts per CSM = %v, want %v", got, available)
	}
	if !hasAssumption(plan.Assumptions, "segments[0].customer_lifetime_months", "12", SourceRequest) {
		t.Errorf("coverage assumptions %v lack the given lifetime", plan.Assumptions)
	}

	hours := 40.0
	cost, err := EstimateHireCost(HireRequest{BaseSalary: 100_000, TrainerHours: hours, Playbook: pb, CustomerLifetimeMonths: &lifetime})
	if err != nil {
		t.Fatal(err)
	}
	if cost.TrainingCapacityAccountMonths != 40 {
		t.Errorf("training capacity = %v account-months, want 40 (40 hours at 1 hour per account a month)", cost.TrainingCapacityAccountMonths)
	}
}

func hasAssumption(as []Assumption, name, value, source string) bool {
	for _, a := range as {
		if a.Name == name && a.Value == value && a.Source == source {
			return true
		}
	}
	return false
}
