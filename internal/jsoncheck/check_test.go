package jsoncheck

import (
	"math/rand"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/csplan/csplan/internal/protorand"

	"github.com/google/go-cmp/cmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

var computeDesc = (&csplanv1.ComputeCapacityRequest{}).ProtoReflect().Descriptor()

// TestCheckListsEveryProblem: every problem of a body that parses, each at
// its JSON path, in one answer.
func TestCheckListsEveryProblem(t *testing.T) {
	body := `{"csmTime":{"weeklyHours":"forty","weekly_hour":40},"segments":[{"name":"A","newAccountsPerMnth":5,
		"playbook":{"touchpoints":[{"name":"x","hours":1,"cadence":"MONTHLY"},{"cadence":7,"hours":[1]}]}},{"accounts":1.5}],"extra":null}`
	got := Check([]byte(body), computeDesc)
	want := []Violation{
		{"csmTime.weeklyHours", `"forty" is not a number`},
		{"csmTime.weekly_hour", `is not a field of CsmTime (did you mean "weeklyHours"?)`},
		{"extra", "is not a field of ComputeCapacityRequest"},
		{"segments[0].newAccountsPerMnth", `is not a field of CapacitySegment (did you mean "newAccountsPerMonth"?)`},
		{"segments[0].playbook.touchpoints[0].cadence", `"MONTHLY" is not a Cadence: use one of CADENCE_`},
		{"segments[0].playbook.touchpoints[1].hours", "is a list, where a number is expected"},
		{"segments[1].accounts", "1.5 is not a whole number of 32 bits"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d violations, want %d:\n%v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Field != want[i].Field || !strings.HasPrefix(got[i].Reason, want[i].Reason) {
			t.Errorf("violation %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestCheckAcceptsWhatProtojsonAccepts(t *testing.T) {
	for _, body := range []string{
		`{}`, `{"segments":[]}`, `{"csm_time":{"weekly_hours":40}}`, `{"segments":[{"accounts":"12","arr":"NaN","playbook":{"touchpoints":[{"cadence":2}]}}]}`,
		`{"segments":[{"accounts":5.0,"arr":1e6}]}`, `{"csmTime":null}`,
	} {
		if got := Check([]byte(body), computeDesc); len(got) != 0 {
			t.Errorf("%s: %v", body, got)
		}
	}
}

func TestCheckBodyThatIsNotJSON(t *testing.T) {
	for body, want := range map[string]string{
		"{\n  \"segments\": [,]\n}": "the body is not JSON at line 2, column 16",
		`{"segments":[`:             "the body ends before its JSON does",
		`{} {}`:                     "more than one JSON value",
		`[1]`:                       "is a list, where an object is expected",
	} {
		got := Check([]byte(body), computeDesc)
		if len(got) != 1 || !strings.Contains(got[0].Reason, want) {
			t.Errorf("%q: %v, want %q", body, got, want)
		}
	}
}

func TestJSONPath(t *testing.T) {
	stream := (&csplanv1.StreamSegmentAccountsRequest{}).ProtoReflect().Descriptor()
	for _, tc := range []struct{ in, want string }{
		{"segments[0].new_accounts_per_month", "segments[0].newAccountsPerMonth"},
		{"segments[0].accounts_per_csm", "segments[0].accounts_per_csm"},
		{"csm_time.internal_activities[2].hours_per_month", "csmTime.internalActivities[2].hoursPerMonth"},
		{"segments[1].playbook.touchpoints[0].per_year", "segments[1].playbook.touchpoints[0].perYear"},
		{"", ""}, {"not_a_field.x_y", "not_a_field.x_y"},
	} {
		if got := JSONPath(tc.in, computeDesc); got != tc.want {
			t.Errorf("JSONPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"batch.accounts[3].health_score", "batch.accounts[3].healthScore"},
		{`batch.accounts[0].attributes["region_x"]`, `batch.accounts[0].attributes["region_x"]`},
		{"rules.segments[0].min_arr", "rules.segments[0].minArr"},
	} {
		if got := JSONPath(tc.in, stream); got != tc.want {
			t.Errorf("JSONPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if diff := cmp.Diff("x", JSONPath("x", nil)); diff != "" {
		t.Error(diff)
	}
}

// TestCheckPassesProtojsonOutput: what protojson writes of random messages
// of every csplan type (with proto names or JSON names) has no problem.
func TestCheckPassesProtojsonOutput(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for _, mt := range protorand.Types(t) {
		for i := range 20 {
			m := mt.New()
			(&protorand.Gen{R: r}).Fill(m, 3)
			body, err := protojson.MarshalOptions{UseProtoNames: i%2 == 0, EmitUnpopulated: i%3 == 0}.Marshal(m.Interface())
			if err != nil {
				continue
			}
			if got := Check(body, mt.Descriptor()); len(got) != 0 {
				t.Fatalf("%s: %v\n%s", mt.Descriptor().FullName(), got, body)
			}
		}
	}
}
