package main

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// FuzzReadRequest feeds arbitrary YAML to the request reader of every
// client subcommand: it must never panic.
func FuzzReadRequest(f *testing.F) {
	f.Add("csmTime:\n  weeklyHours: 40\nsegments:\n  - name: A\n    accounts: 10\n")
	f.Add("csmCount: 5\nacounts: 10\n")
	f.Add("startMonth: \"2027-13\"\nhorizonMonths: 121\n")
	f.Add("segments: [{name: x, playbook: {touchpoints: [{hours: .nan, cadence: CADENCE_WEEKLY}]}}]\n")
	f.Add("a: &a [*a, *a]\n")
	f.Add("- - - -\n")
	f.Fuzz(func(t *testing.T, data string) {
		for _, msg := range []proto.Message{
			&csplanv1.ComputeCapacityRequest{}, &csplanv1.EvaluateTeamRequest{}, &csplanv1.ForecastCapacityRequest{},
			&csplanv1.SegmentRules{}, &csplanv1.PlanCoverageRequest{}, &csplanv1.EstimateHireCostRequest{}, &csplanv1.EvaluateHireRequest{},
		} {
			e := env{stdin: strings.NewReader(data)}
			_ = readRequest(e, "-", msg)
		}
	})
}

// TestReadRequestLineBreaks keeps the line breaks that once crashed the YAML
// library's error reporting: each is read, or rejected with an error.
func TestReadRequestLineBreaks(t *testing.T) {
	for _, data := range []string{"\r0", "\u20280", "\u20290", "\u00850", "csmCount: 5\r\nacounts: 1\r\n"} {
		err := readRequest(env{stdin: strings.NewReader(data)}, "-", &csplanv1.EvaluateTeamRequest{})
		if err == nil {
			t.Errorf("readRequest(%q) = nil, want an error (not a mapping, or an unknown key)", data)
		}
	}
	err := readRequest(env{stdin: strings.NewReader("csmCount: 5\r\nacounts: 1\r\n")}, "-", &csplanv1.EvaluateTeamRequest{})
	if err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("CR LF file error %v does not point at line 2", err)
	}
}
