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
