package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// TestRequestFilesTakeThePlansForms: a request file may write enum values
// by their short names and amounts with a currency or a suffix, as plans
// do, and reads as the same request; a mistake is still refused at its
// line.
func TestRequestFilesTakeThePlansForms(t *testing.T) {
	full := "segments:\n  - name: Core\n    accounts: 200\n    arr: 5000000\n    playbook:\n      touchpoints:\n" +
		"        - { name: Check-in, hours: 1, cadence: CADENCE_MONTHLY }\n        - { name: Kick-off, hours: 4, cadence: CADENCE_ONE_TIME }\n"
	short := "segments:\n  - name: Core\n    accounts: 200\n    arr: \"$5M\"\n    playbook:\n      touchpoints:\n" +
		"        - { name: Check-in, hours: 1, cadence: monthly }\n        - { name: Kick-off, hours: 4, cadence: one-time }\n"
	var want, got csplanv1.ComputeCapacityRequest
	if err := parseYAML("full.yaml", []byte(full), &want); err != nil {
		t.Fatal(err)
	}
	if err := parseYAML("short.yaml", []byte(short), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, &got, protocmp.Transform()); diff != "" {
		t.Errorf("the short forms read differently (-full +short):\n%s", diff)
	}
	var bad csplanv1.ComputeCapacityRequest
	err := parseYAML("bad.yaml", []byte(short+"        - { name: Review, hours: 2, cadence: fortnightly }\n"), &bad)
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:9") || !strings.Contains(err.Error(), "fortnightly") {
		t.Errorf("an unknown cadence: %v", err)
	}
}

// TestRequestAttributeLists: a rules file may give an attribute's values as
// a list, as plans do.
func TestRequestAttributeLists(t *testing.T) {
	var want, got csplanv1.SegmentRules
	if err := parseYAML("full.yaml", []byte("segments:\n  - { name: EMEA, attributes: { region: { values: [EMEA, \"U]K\"] } } }\n"), &want); err != nil {
		t.Fatal(err)
	}
	if err := parseYAML("list.yaml", []byte("segments:\n  - { name: EMEA, attributes: { region: [EMEA, \"U]K\"] } }\n"), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, &got, protocmp.Transform()); diff != "" {
		t.Errorf("an attribute list reads differently (-values +list):\n%s", diff)
	}
}
