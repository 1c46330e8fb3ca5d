package planner_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/csplan/csplan/client"
	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/server"
)

// inProcess is a client of a server started in memory, as the CLI runs
// one without --server.
func inProcess(t *testing.T) *client.Client {
	t.Helper()
	s := server.New(server.Config{Registry: prometheus.NewRegistry(), Now: func() time.Time { return time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC) }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, nil, nil) }()
	t.Cleanup(func() { cancel(); <-done })
	conn, err := s.InMemoryConn()
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(ctx, "", client.WithConn(conn))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const minimal = `
segments:
  - name: Core
    accounts: 100
    arr: 2000000
hiring:
  base_salary: 100000
`

// TestServiceErrorsCarryLines: a value out of range is the service's to
// refuse, and the CLI reports it at the plan file's line and key.
func TestServiceErrorsCarryLines(t *testing.T) {
	c := inProcess(t)
	cases := []struct {
		name string
		src  string
		want []string
		keys []string
	}{
		{"no salary", "segments: [{ name: A, accounts: 1, arr: 1 }]\n", []string{"plan.yaml: hiring.base_salary"}, []string{"hiring.base_salary"}},
		{"inline book incomplete", "segments: [{ name: A }]\nhiring: { base_salary: 1 }\n", []string{"plan.yaml:1: segments[0].accounts"},
			[]string{"segments[0].accounts", "segments[0].arr"}},
		{"duplicate names and both ratio and playbook", `
segments:
  - { name: A, accounts: 1, arr: 1 }
  - name: a
    accounts: 1
    arr: 1
    accounts_per_csm: 10
    playbook: { touchpoints: [{ name: x, hours: 1, cadence: monthly }] }
hiring: { base_salary: 1 }
`, []string{"plan.yaml:4: segments[1].name", "plan.yaml:7: segments[1].accounts_per_csm"}, nil},
		{"out of range", minimal + `start_month: "2027-13"
horizon_months: 200
growth: { monthly_logo_churn_rate: 2 }
finance: { min_cost_share: 0.3, max_cost_share: 0.2, cash: 10 }
signals: { churn_rate: 25 }
`, []string{"plan.yaml:8: start_month", "plan.yaml:9: horizon_months", "plan.yaml:10: growth.monthly_logo_churn_rate", "0.25, not 25"},
			[]string{"start_month", "horizon_months", "growth.monthly_logo_churn_rate", "finance.min_cost_share", "finance.monthly_burn", "signals.churn_rate"}},
		{"bad planned hire", strings.Replace(minimal, "arr: 2000000", "arr: 2000000\n    team: { csms: -1, planned_hires: [March] }", 1),
			[]string{"plan.yaml:6: segments[0].team.csms", `"March" is not a month`}, []string{"segments[0].team.csms", "segments[0].team.planned_hires[0]"}},
		{"rates are fractions", strings.Replace(minimal, "  base_salary: 100000\n", "  base_salary: 100000\n  annual_csm_attrition_rate: 15\n", 1) +
			"growth: { monthly_logo_churn_rate: 1, monthly_expansion_rate: -0.6 }\n", []string{
			"growth.monthly_logo_churn_rate: rates are fractions: 1% a month is 0.01",
			"growth.monthly_expansion_rate: -0.6 is a contraction of 50% a month or more",
			"hiring.annual_csm_attrition_rate: rates are fractions: 15% a year is 0.15",
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := planner.Parse([]byte(tc.src), "plan.yaml")
			if err != nil {
				t.Fatalf("Parse: %v (the file itself is well-formed)", err)
			}
			_, err = planner.Run(context.Background(), c, p, planner.Options{})
			if err == nil {
				t.Fatal("Run succeeded, want the service to refuse the plan")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			var pe planner.PlanErrors
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not PlanErrors", err)
			}
			if tc.keys == nil {
				return
			}
			var keys []string
			for _, e := range pe {
				keys = append(keys, e.Key)
			}
			if diff := cmp.Diff(tc.keys, keys); diff != "" {
				t.Errorf("error keys (-want +got):\n%s", diff)
			}
		})
	}
	p, err := planner.Parse([]byte(minimal+"growth: { monthly_expansion_rate: -0.02 }\n"), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := planner.Run(context.Background(), c, p, planner.Options{}); err != nil {
		t.Errorf("a contraction of 2%% a month = %v, want accepted", err)
	}
}

// TestOverlayAndSet: a what-if file holds only what it changes over its
// base, segments merged by name; --set changes one key path; errors name
// the file and line they are in.
func TestOverlayAndSet(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		path := dir + "/" + name
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("base.yaml", `company: Base Co
segments:
  - name: Core
    accounts: 100
    arr: 2000000
    team: { csms: 3 }
  - name: Growth
    accounts: 50
    arr: 500000
hiring: { base_salary: 100000 }
growth: { new_accounts_per_month: 4 }
`)
	over := write("whatif.yaml", "base: base.yaml\ngrowth: { new_accounts_per_month: 8 }\nsegments:\n  - name: Core\n    team: { csms: 5 }\n  - name: New\n    accounts: 10\n    arr: 100000\n")
	p, err := planner.LoadWith(over, []planner.Set{{Path: "segments.Growth.team.csms", Value: "2"}, {Path: "finance.max_cost_share", Value: "0.2"}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Company != "Base Co" || *p.Growth.NewAccountsPerMonth != 8 || len(p.Segments) != 3 || p.Segments[0].Team.CSMs != 5 ||
		*p.Segments[0].Accounts != 100 || p.Segments[1].Team.CSMs != 2 || p.Segments[2].Name != "New" || *p.Finance.MaxCostShare != 0.2 {
		t.Errorf("merged plan = %+v", p)
	}
	bad := write("bad.yaml", "base: base.yaml\ngrowth: { new_acounts_per_month: 8 }\n")
	if _, err := planner.Load(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("an unknown key in an overlay: %v", err)
	}
	if _, err := planner.LoadWith(over, []planner.Set{{Path: "segments.Nope.team.csms", Value: "1"}}); err == nil || !strings.Contains(err.Error(), `no segment "Nope"`) {
		t.Errorf("--set on a missing segment: %v", err)
	}
	// A value the service refuses is reported in the base file when the
	// base gave it.
	write("neg.yaml", "company: Neg\nsegments:\n  - name: A\n    accounts: -1\n    arr: 1\nhiring: { base_salary: 1 }\n")
	onNeg := write("on-neg.yaml", "base: neg.yaml\ncompany: Other\n")
	p, err = planner.Load(onNeg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := planner.Run(context.Background(), inProcess(t), p, planner.Options{}); err == nil || !strings.Contains(err.Error(), "neg.yaml:4: segments[0].accounts") {
		t.Errorf("a base's bad value: %v", err)
	}
}

// TestAttributeRuleOnAMissingColumn: a rule on an attribute the CSV has no
// column for is refused at the rule's line, with the file's headers.
func TestAttributeRuleOnAMissingColumn(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "book.csv"), []byte("id,arr,Territory\nA,100,EMEA\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := "book: { accounts_csv: book.csv }\nsegments:\n  - name: EMEA\n    match:\n      attributes: { region: [EMEA] }\nhiring: { base_salary: 1 }\n"
	path := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := planner.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = planner.Run(context.Background(), nil, p, planner.Options{})
	want := `plan.yaml:5: segments[0].match.attributes.region: ` + filepath.Join(dir, "book.csv") + ` has no column "region": its headers are ["id" "arr" "Territory"] (map another header to it with book.columns.region)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Run = %v\nwant %s", err, want)
	}
}
