package planner

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// TestRebalanceSettings: every key of the rebalance section lands in its
// field of RebalanceSettings, book.csms carries its attributes, the
// hiring timeline is the drill's, and the book's fields are BookSettings'.
func TestRebalanceSettings(t *testing.T) {
	src := `
start_month: "2027-01"
csm_time: { weekly_hours: 38 }
book:
  accounts_csv: book.csv
  customer_stages: [Customer]
  csms:
    - { id: ana, segment: Core, capacity_hours: 80, attributes: { region: EMEA, language: de } }
segments:
  - { name: Core, accounts_per_csm: 50 }
hiring: { base_salary: 1, time_to_hire_months: 3, ramp_months: 4 }
rebalance:
  min_utilization: 0.7
  max_utilization: 0.95
  disruption_weight: arr
  freeze_days_before_renewal: 30
  as_of_date: "2027-01-15"
  locked_account_ids: [a-1, a-2]
  keep_segment: false
  match_attributes: [region]
  max_moves: 25
  departing_csm_ids: [ana]
  frontier_points: 4
`
	p, err := Parse([]byte(src), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !p.HasRebalance() {
		t.Fatal("HasRebalance is false")
	}
	b := p.BookSettings()
	want := &csplanv1.RebalanceSettings{
		CsmTime: b.GetCsmTime(), Segments: b.GetSegments(), StartMonth: "2027-01", CustomerStages: []string{"Customer"},
		Csms:             []*csplanv1.BookCsm{{Id: "ana", Segment: "Core", CapacityHours: proto.Float64(80), Attributes: map[string]string{"region": "EMEA", "language": "de"}}},
		Timeline:         &csplanv1.Timeline{TimeToHireMonths: proto.Int32(3), RampMonths: proto.Int32(4)},
		Band:             &csplanv1.UtilizationBand{MinUtilization: proto.Float64(0.7), MaxUtilization: proto.Float64(0.95)},
		DisruptionWeight: csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_ARR, FreezeDaysBeforeRenewal: proto.Int32(30), AsOfDate: "2027-01-15",
		LockedAccountIds: []string{"a-1", "a-2"}, KeepSegment: proto.Bool(false), MatchAttributes: []string{"region"}, MaxMoves: proto.Int32(25),
		DepartingCsmIds: []string{"ana"}, FrontierPoints: 4,
	}
	if diff := cmp.Diff(want, p.RebalanceSettings(), protocmp.Transform()); diff != "" {
		t.Errorf("RebalanceSettings (-want +got):\n%s", diff)
	}
	if got := p.Proto().GetBook().GetCsms()[0].GetAttributes()["language"]; got != "de" {
		t.Errorf("the plan's book.csms lose their attributes: %q", got)
	}

	// Without the section: no band, no guardrails, the service's
	// defaults; the timeline still travels.
	q, err := Parse([]byte(strings.Split(src, "rebalance:")[0]), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := q.RebalanceSettings()
	if q.HasRebalance() || s.Band != nil || s.KeepSegment != nil || s.MaxMoves != nil || s.FreezeDaysBeforeRenewal != nil || s.GetTimeline().GetRampMonths() != 4 {
		t.Errorf("a plan without the section: HasRebalance %v, settings %v", q.HasRebalance(), s)
	}
	// An empty section, and one written as a request file writes it.
	for _, section := range []string{"rebalance:\n", "rebalance: {}\n", "rebalance: { minUtilization: 0.6, disruptionWeight: DISRUPTION_WEIGHT_HOURS, keepSegment: true }\n"} {
		r, err := Parse([]byte(strings.Split(src, "rebalance:")[0]+section), "plan.yaml")
		if err != nil || !r.HasRebalance() {
			t.Errorf("%q: %v, HasRebalance %v", section, err, r != nil && r.HasRebalance())
		}
		if strings.Contains(section, "0.6") {
			s := r.RebalanceSettings()
			if s.GetBand().GetMinUtilization() != 0.6 || s.GetDisruptionWeight() != csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_HOURS || !s.GetKeepSegment() {
				t.Errorf("camelCase section: %v", s)
			}
		}
	}
}

func TestRebalanceSectionErrors(t *testing.T) {
	for _, tc := range []struct{ section, want string }{
		{"rebalance: { disruption_weight: revenue }\n", `"revenue" is not a disruption weight (one of accounts, hours, arr)`},
		{"rebalance: { max_util: 1 }\n", `unknown key "max_util"`},
		{"rebalance: { keep_segment: maybe }\n", `"maybe"`},
	} {
		_, err := Parse([]byte(minimal+tc.section), "plan.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "line 8") {
			t.Errorf("%q: %v, want %q on line 8", tc.section, err, tc.want)
		}
	}
	for s, want := range map[string]csplanv1.DisruptionWeight{"accounts": 1, "Hours": 2, "ARR": 3, "DISRUPTION_WEIGHT_ARR": 3} {
		if got, err := ParseDisruptionWeight(s); err != nil || got != want {
			t.Errorf("ParseDisruptionWeight(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseDisruptionWeight("money"); err == nil || strings.Contains(err.Error(), "line") {
		t.Errorf("ParseDisruptionWeight(money): %v", err)
	}
}

// TestRebalanceKey: each field of RebalanceSettings the service can refuse
// is put on the plan key it comes from.
func TestRebalanceKey(t *testing.T) {
	for field, want := range map[string]string{
		"band.min_utilization":         "rebalance.min_utilization",
		"band.max_utilization":         "rebalance.max_utilization",
		"departing_csm_ids[1]":         "rebalance.departing_csm_ids[1]",
		"locked_account_ids[0]":        "rebalance.locked_account_ids[0]",
		"match_attributes[2]":          "rebalance.match_attributes[2]",
		"freeze_days_before_renewal":   "rebalance.freeze_days_before_renewal",
		"as_of_date":                   "rebalance.as_of_date",
		"max_moves":                    "rebalance.max_moves",
		"frontier_points":              "rebalance.frontier_points",
		"timeline.ramp_months":         "hiring.ramp_months",
		"timeline.time_to_hire_months": "hiring.time_to_hire_months",
		"csms[1].capacity_hours":       "book.csms[1].capacity_hours",
		"customer_stages":              "book.customer_stages",
		"segments[0].playbook":         "segments[0].playbook",
		"csm_time.weekly_hours":        "csm_time.weekly_hours",
		"start_month":                  "start_month",
		"horizon_months":               "",
	} {
		if got := RebalanceKey(field); got != want {
			t.Errorf("RebalanceKey(%q) = %q, want %q", field, got, want)
		}
	}
}

// TestRebalanceKeysDocumented: examples/README.md's rebalance table lists
// every key of the section, and no other; book.csms names attributes.
func TestRebalanceKeysDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "examples", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### `rebalance`")
	if !ok {
		t.Fatal("examples/README.md has no rebalance section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|").FindAllStringSubmatch(section, -1) {
		documented = append(documented, m[1])
	}
	var keys []string
	for k := range yamlFields(reflect.TypeFor[RebalanceSpec]()) {
		keys = append(keys, k)
	}
	if diff := cmp.Diff(sorted(keys), sorted(documented)); diff != "" {
		t.Errorf("rebalance keys (-the plan reads +the README documents):\n%s", diff)
	}
	if !strings.Contains(string(readme), "capacity_hours, attributes}") {
		t.Error("the README's book.csms does not name attributes")
	}
}

func sorted(s []string) []string { out := slices.Clone(s); slices.Sort(out); return out }
