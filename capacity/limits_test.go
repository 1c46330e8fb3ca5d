package capacity

import (
	"slices"
	"strings"
	"testing"
)

func TestTextLengthIsBounded(t *testing.T) {
	long := strings.Repeat("x", MaxTextLength+1)
	ok := strings.Repeat("y", MaxTextLength)
	_, err := ComputeCapacity(CapacityRequest{
		CSMTime: CSMTime{InternalActivities: []InternalActivity{{Name: long, HoursPerMonth: 1}}},
		Segments: []Segment{
			{Name: long, Accounts: 1, Playbook: Playbook{
				Touchpoints: []Touchpoint{{Name: long, Hours: 1, Cadence: CadenceMonthly}, {Name: ok, Hours: 1, Cadence: CadenceMonthly}},
				Inbound:     []InboundActivity{{Name: long, PerAccountPerMonth: 1, Hours: 1}},
			}},
		},
	})
	got := violationFields(t, err)
	want := []string{
		"csm_time.internal_activities[0].name",
		"segments[0].name",
		"segments[0].playbook.touchpoints[0].name",
		"segments[0].playbook.inbound[0].name",
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("violations %v lack %s", got, w)
		}
	}
	if slices.Contains(got, "segments[0].playbook.touchpoints[1].name") {
		t.Errorf("a name of exactly %d bytes was rejected", MaxTextLength)
	}
}

func TestTextLengthIsBoundedInSegmentation(t *testing.T) {
	long := strings.Repeat("x", MaxTextLength+1)
	_, err := NewSegmenter(SegmentRules{Segments: []SegmentRule{{
		Name: long, Stages: []string{long}, Attributes: map[string][]string{long: {"a"}, "region": {long}},
	}}})
	got := violationFields(t, err)
	for _, w := range []string{"segments[0].name", "segments[0].stages[0]", `segments[0].attributes["` + long + `"]`, `segments[0].attributes["region"].values[0]`} {
		if !slices.Contains(got, w) {
			t.Errorf("violations %v lack %s", got, w)
		}
	}
	err = ValidateAccount(&Account{ID: long, Name: long, Stage: long, Attributes: map[string]string{"plan": long}}, "accounts", 2)
	got = violationFields(t, err)
	for _, w := range []string{"accounts[2].id", "accounts[2].name", "accounts[2].stage", `accounts[2].attributes["plan"]`} {
		if !slices.Contains(got, w) {
			t.Errorf("violations %v lack %s", got, w)
		}
	}
	if err := ValidateAccount(&Account{ID: "a", Attributes: map[string]string{"plan": "Pro"}}, "accounts", 0); err != nil {
		t.Errorf("ValidateAccount of a plain account = %v", err)
	}
}

func TestAmountsAreBounded(t *testing.T) {
	err := ValidateAccount(&Account{ID: "a", ARR: MaxAmount * 10, ExpansionPotential: MaxAmount * 10}, "accounts", 0)
	got := violationFields(t, err)
	for _, w := range []string{"accounts[0].arr", "accounts[0].expansion_potential"} {
		if !slices.Contains(got, w) {
			t.Errorf("violations %v lack %s", got, w)
		}
	}
	if err := ValidateAccount(&Account{ID: "a", ARR: MaxAmount}, "accounts", 0); err != nil {
		t.Errorf("an ARR of exactly MaxAmount was refused: %v", err)
	}
	if _, err := SuggestTiers(TierRequest{ARR: []float64{1, 2, MaxAmount * 10}}); !slices.Contains(violationFields(t, err), "arr[2]") {
		t.Errorf("SuggestTiers with an ARR past MaxAmount = %v, want an error on arr[2]", err)
	}
}

// TestMoneyIsBoundedEverywhere: ARR past MaxAmount is refused by every
// service that takes it, so no sum of a request can overflow.
func TestMoneyIsBoundedEverywhere(t *testing.T) {
	huge := MaxAmount * 10
	pb := Playbook{Touchpoints: []Touchpoint{{Name: "x", Hours: 1, Cadence: CadenceMonthly}}}
	_, err := ComputeCapacity(CapacityRequest{Segments: []Segment{{Name: "A", Accounts: 1, ARR: huge, Playbook: pb}}})
	if !slices.Contains(violationFields(t, err), "segments[0].arr") {
		t.Errorf("ComputeCapacity with ARR %v = %v, want an error on segments[0].arr", huge, err)
	}
	_, err = EvaluateTeam(TeamRequest{CSMCount: 1, ARR: huge})
	if !slices.Contains(violationFields(t, err), "arr") {
		t.Errorf("EvaluateTeam with ARR %v = %v, want an error on arr", huge, err)
	}
	_, err = PlanCoverage(CoverageRequest{Segments: []CoverageSegment{{Name: "A", Accounts: 1, ARR: huge}}, CSMLoadedCost: huge})
	got := violationFields(t, err)
	for _, w := range []string{"segments[0].arr", "csm_loaded_cost"} {
		if !slices.Contains(got, w) {
			t.Errorf("PlanCoverage violations %v lack %s", got, w)
		}
	}
}
