package planner

import (
	"strings"
	"testing"
)

// TestHoldWithRequisitionsSaysWhatIsOver: the sentence beside a HOLD with
// requisitions due says "no factor is over" only where none is, and names
// the factors that are.
func TestHoldWithRequisitionsSaysWhatIsOver(t *testing.T) {
	none := holdWithRequisitions([]FactorResult{{Factor: "ARR", Status: "UNDER"}, {Factor: "VOLUME", Status: "HEALTHY"}, {Factor: "WORKLOAD", Status: "STRETCHED"}})
	if !strings.Contains(none, "no factor is over its limit") {
		t.Errorf("no factor over: %q", none)
	}
	one := holdWithRequisitions([]FactorResult{{Factor: "ARR", Status: "UNDER"}, {Factor: "WORKLOAD", Status: "OVER"}})
	if strings.Contains(one, "no factor") || !strings.Contains(one, "workload is over the limit") {
		t.Errorf("workload over: %q", one)
	}
	two := holdWithRequisitions([]FactorResult{{Factor: "VOLUME", Status: "OVER"}, {Factor: "WORKLOAD", Status: "OVER"}})
	if !strings.Contains(two, "volume and workload are over the limit") {
		t.Errorf("volume and workload over: %q", two)
	}
}
