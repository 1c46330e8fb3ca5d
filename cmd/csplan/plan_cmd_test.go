package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/accountcsv"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/server"
)

const (
	sproutPlan   = "../../examples/plans/sprout/plan.yaml"
	sproutWhatIf = "../../examples/plans/sprout/whatif.yaml"
	meridianPlan = "../../examples/plans/meridian/plan.yaml"
)

// TestPlanExampleReports regenerates the Markdown reports committed beside
// the example plans and fails on any difference (-update rewrites them).
func TestPlanExampleReports(t *testing.T) {
	for _, dir := range []string{"meridian", "sprout"} {
		t.Run(dir, func(t *testing.T) {
			plan := filepath.Join("..", "..", "examples", "plans", dir, "plan.yaml")
			stdout, stderr, code := runCLI(t, "", "plan", "-f", plan, "-o", "markdown")
			if code != 0 {
				t.Fatalf("csplan plan exited %d: %s", code, stderr)
			}
			compareFile(t, filepath.Join("..", "..", "examples", "plans", dir, "report.md"), stdout)
		})
	}
	t.Run("diff", func(t *testing.T) {
		stdout, stderr, code := runCLI(t, "", "plan", "diff", sproutPlan, sproutWhatIf, "-o", "markdown")
		if code != 0 {
			t.Fatalf("csplan plan diff exited %d: %s", code, stderr)
		}
		compareFile(t, "../../examples/plans/sprout/diff.md", stdout)
	})
}

// compareFile is golden for a file outside testdata.
func compareFile(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/csplan -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s is out of date (-committed +now; go test ./cmd/csplan -update rewrites it):\n%s", path, diff)
	}
}

// TestPlanFormats checks each output format of one plan: the terminal
// report against its golden file and 100 columns, JSON against the
// documented shape, HTML for its charts.
func TestPlanFormats(t *testing.T) {
	run := func(t *testing.T, args ...string) string {
		t.Helper()
		stdout, stderr, code := runCLI(t, "", append([]string{"plan", "-f", sproutPlan}, args...)...)
		if code != 0 {
			t.Fatalf("csplan plan %v exited %d: %s", args, code, stderr)
		}
		return stdout
	}
	t.Run("table", func(t *testing.T) {
		out := run(t)
		golden(t, "plan_sprout", out)
		for i, l := range strings.Split(out, "\n") {
			if n := len([]rune(l)); n > 100 {
				t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
			}
		}
		if !strings.HasPrefix(out, "CS capacity plan: Sprout Analytics\n") || !strings.Contains(out, "\nSummary\n") {
			t.Errorf("the report does not open with its title and summary:\n%.300s", out)
		}
	})
	t.Run("meridian table width", func(t *testing.T) {
		stdout, _, code := runCLI(t, "", "plan", "-f", meridianPlan)
		if code != 0 {
			t.Fatal("meridian failed")
		}
		for i, l := range strings.Split(stdout, "\n") {
			if n := len([]rune(l)); n > 100 {
				t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		out := run(t, "-o", "json")
		golden(t, "plan_sprout.json", out)
		// Every documented field is present and nothing else: decoding
		// into the documented type with unknown fields disallowed, then
		// re-encoding, gives the same document.
		dec := json.NewDecoder(strings.NewReader(out))
		dec.DisallowUnknownFields()
		var r planner.Report
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("the JSON does not decode as planner.Report: %v", err)
		}
		again, _ := json.MarshalIndent(&r, "", "  ")
		if diff := cmp.Diff(strings.TrimSpace(out), string(again)); diff != "" {
			t.Errorf("the JSON is not exactly the documented shape (-printed +re-encoded):\n%s", diff)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &top); err != nil {
			t.Fatal(err)
		}
		want := []string{"assumptions", "book", "capacity", "company", "coverage", "currency", "evaluation", "forecast", "hiring",
			"horizonMonths", "segmentation", "startMonth", "summary", "version"}
		var got []string
		for k := range top {
			got = append(got, k)
		}
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("top-level keys (-documented +printed):\n%s", diff)
		}
		if r.Version != planner.ReportVersion || r.Summary.Verdict == "" || len(r.Forecast.Segments) != 2 || len(r.Forecast.Segments[0].Months) != 13 {
			t.Errorf("report = version %d, verdict %q, %d forecasts", r.Version, r.Summary.Verdict, len(r.Forecast.Segments))
		}
	})
	t.Run("markdown", func(t *testing.T) {
		out := run(t, "-o", "markdown")
		for _, want := range []string{"# CS capacity plan: Sprout Analytics", "## Summary", "## Capacity (bottom-up)", "## Team evaluation (three factors)",
			"## Forecast and triggers", "## Segmentation", "## Coverage and cost", "## Hiring: cost and evaluation", "## Assumptions", "| Segment | Touch |"} {
			if !strings.Contains(out, want) {
				t.Errorf("the Markdown report lacks %q", want)
			}
		}
	})
	t.Run("html", func(t *testing.T) {
		out := run(t, "-o", "html")
		if !strings.HasPrefix(strings.TrimSpace(strings.ToLower(out)), "<!doctype html>") {
			t.Errorf("not an HTML document: %.100s", out)
		}
		for _, id := range []string{`id="chart-load-0-accounts"`, `id="chart-load-0-arr"`, `id="chart-load-1-accounts"`, `id="chart-arr-by-segment"`, `id="chart-cost-share"`} {
			if !strings.Contains(out, id) {
				t.Errorf("the HTML report lacks the chart %s", id)
			}
		}
		if n := strings.Count(out, "<svg"); n < 5 {
			t.Errorf("the HTML report has %d SVG charts, want at least 5", n)
		}
		for _, bad := range []string{"<script src", "<link rel=\"stylesheet\" href=\"http"} {
			if strings.Contains(out, bad) {
				t.Errorf("the HTML report loads from the network: %q", bad)
			}
		}
	})
	t.Run("out file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "report.html")
		_, stderr, code := runCLI(t, "", "plan", "-f", sproutPlan, "-o", "html", "--out", path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.Contains(b, []byte("<svg")) {
			t.Errorf("--out wrote %d bytes, err %v", len(b), err)
		}
	})
}

// TestPlanFiguresMatchServices runs the analysis and asks the services the
// same questions directly, requests written by hand from the plan file:
// the report's figures must be the services' answers.
func TestPlanFiguresMatchServices(t *testing.T) {
	ctx := context.Background()
	c, release, err := inProcess(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	p, err := planner.Load(sproutPlan)
	if err != nil {
		t.Fatal(err)
	}
	r, err := planner.Analyze(ctx, c, p, planner.Options{})
	if err != nil {
		t.Fatal(err)
	}

	// The book: the CSV assigned by the plan's rules.
	f, err := os.Open("../../examples/plans/sprout/accounts.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := accountcsv.NewReader(f, "accounts.csv")
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	csmTime := &csplanv1.CsmTime{WeeklyHours: proto.Float64(40), TimeOffDaysPerYear: proto.Float64(25), CustomerFacingShare: proto.Float64(0.6667)}
	scalePlaybook := &csplanv1.Playbook{
		Touchpoints: []*csplanv1.Touchpoint{
			{Name: "Biweekly check-in", Hours: 1, Cadence: csplanv1.Cadence_CADENCE_BIWEEKLY},
			{Name: "Quarterly business review", Hours: 4, Cadence: csplanv1.Cadence_CADENCE_QUARTERLY},
			{Name: "Onboarding", Hours: 12, Cadence: csplanv1.Cadence_CADENCE_ONE_TIME},
		},
		Inbound: []*csplanv1.InboundActivity{{Name: "Requests", PerAccountPerMonth: 2, Hours: 0.75}},
	}
	seg, err := c.Segmentation.SegmentAccounts(ctx, &csplanv1.SegmentAccountsRequest{CsmTime: csmTime, Accounts: accounts, Segments: []*csplanv1.SegmentRule{
		{Name: "Scale", TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH, MinArr: proto.Float64(35000), Playbook: scalePlaybook},
		{Name: "Core", TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH, AccountsPerCsm: proto.Float64(30)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	scale, core := seg.GetSegments()[0], seg.GetSegments()[1]
	gotBook := [][2]float64{{float64(r.Summary.Segments[0].Accounts), r.Summary.Segments[0].ARR}, {float64(r.Summary.Segments[1].Accounts), r.Summary.Segments[1].ARR}}
	wantBook := [][2]float64{{float64(scale.GetAccounts()), scale.GetArr()}, {float64(core.GetAccounts()), core.GetArr()}}
	if diff := cmp.Diff(wantBook, gotBook); diff != "" {
		t.Errorf("book per segment (-service +report):\n%s", diff)
	}
	total := float64(scale.GetAccounts() + core.GetAccounts())

	// Hire cost.
	hire := &csplanv1.EstimateHireCostRequest{BaseSalary: 100000, LoadedCostMultiplier: proto.Float64(1.5), TrainerHours: 30,
		RampMonths: proto.Int32(3), TimeToHireMonths: proto.Int32(2)}
	hc, err := c.Hiring.EstimateHireCost(ctx, hire)
	if err != nil {
		t.Fatal(err)
	}
	if r.Hiring.Cost.FirstYearCost != hc.GetFirstYearCost() || r.Coverage.CSMLoadedCost != hc.GetAnnualLoadedCost() {
		t.Errorf("hire cost = %v first year, %v loaded; service %v, %v", r.Hiring.Cost.FirstYearCost, r.Coverage.CSMLoadedCost, hc.GetFirstYearCost(), hc.GetAnnualLoadedCost())
	}

	// Bottom-up capacity of Scale, its onboarding smoothed over its share
	// of the 4 new accounts a month.
	scaleNew := 4 * float64(scale.GetAccounts()) / total
	cc, err := c.Capacity.ComputeCapacity(ctx, &csplanv1.ComputeCapacityRequest{CsmTime: csmTime, Segments: []*csplanv1.CapacitySegment{
		{Name: "Scale", Accounts: scale.GetAccounts(), Arr: scale.GetArr(), Playbook: scalePlaybook, NewAccountsPerMonth: proto.Float64(scaleNew)}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Capacity.Segments[0].CSMFTE, cc.GetSegments()[0].GetCsmFte(); got != want {
		t.Errorf("Scale FTE = %v, service %v", got, want)
	}

	// Three factors for Core today: 4 CSMs, workload accounts / 30.
	ev, err := c.Capacity.EvaluateTeam(ctx, &csplanv1.EvaluateTeamRequest{CsmCount: 4, Accounts: core.GetAccounts(), Arr: core.GetArr(),
		TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH, Complexity: csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_MODERATE,
		WorkloadCsmFte: proto.Float64(float64(core.GetAccounts()) / 30)})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Summary.Segments[1]; got.NeededNow != int(ev.GetCsmsNeeded()) || got.BindingFactor != strings.TrimPrefix(ev.GetBindingFactor().String(), "FACTOR_") {
		t.Errorf("Core needs %d (%s), service %d (%s)", got.NeededNow, got.BindingFactor, ev.GetCsmsNeeded(), ev.GetBindingFactor())
	}

	// Core's forecast: thresholds 90% / 100% / 150% of its 30 accounts per CSM.
	fc, err := c.Capacity.ForecastCapacity(ctx, &csplanv1.ForecastCapacityRequest{
		StartMonth: "2027-01", HorizonMonths: 12, Accounts: core.GetAccounts(), Arr: core.GetArr(), CsmCount: 4,
		Growth: &csplanv1.Growth{NewAccountsPerMonth: 4 * float64(core.GetAccounts()) / total, MonthlyLogoChurnRate: proto.Float64(0.01),
			MonthlyExpansionRate: proto.Float64(0.008)},
		TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH, Complexity: csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_MODERATE,
		Thresholds: &csplanv1.Thresholds{ReviewAccountsPerCsm: proto.Float64(27), HireAccountsPerCsm: proto.Float64(30), CriticalAccountsPerCsm: proto.Float64(45)},
		Timeline:   &csplanv1.Timeline{TimeToHireMonths: proto.Int32(2), RampMonths: proto.Int32(3)},
		HireCost:   hire,
	})
	if err != nil {
		t.Fatal(err)
	}
	var want, got [][3]string
	for _, h := range fc.GetHiringPlan() {
		want = append(want, [3]string{h.GetRequisitionMonth(), h.GetStartMonth(), h.GetRampedMonth()})
	}
	for _, h := range r.Forecast.Segments[1].HiringPlan {
		got = append(got, [3]string{h.RequisitionMonth, h.StartMonth, h.RampedMonth})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Core hiring plan (-service +report):\n%s", diff)
	}
	m12 := fc.GetMonths()[12]
	if got := r.Forecast.Segments[1].Months[12]; got.Accounts != m12.GetAccounts() || got.CSCost != m12.GetCsCost() || got.AccountsPerCSM != m12.GetAccountsPerCsm() {
		t.Errorf("Core month 12 = %+v, service %v", got, m12)
	}

	// Coverage and its cost share.
	cv, err := c.Segmentation.PlanCoverage(ctx, &csplanv1.PlanCoverageRequest{CsmTime: csmTime, CsmLoadedCost: hc.GetAnnualLoadedCost(), Segments: []*csplanv1.CoverageSegment{
		{Name: "Scale", Accounts: scale.GetAccounts(), Arr: scale.GetArr(), TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH, Playbook: scalePlaybook},
		{Name: "Core", Accounts: core.GetAccounts(), Arr: core.GetArr(), TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH, AccountsPerCsm: proto.Float64(30)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if cs := r.Summary.CostShare; cs.NeededCost != cv.GetTotalCost() || cs.Needed != cv.GetCostShare() || cs.NeededBand != strings.TrimPrefix(cv.GetBand().String(), "COST_BAND_") {
		t.Errorf("cost share = %+v, service %v %v %v", cs, cv.GetTotalCost(), cv.GetCostShare(), cv.GetBand())
	}
	// The current team: 6 CSMs at the loaded cost, over the book's ARR.
	if got, want := r.Summary.CostShare.Current, 6*hc.GetAnnualLoadedCost()/(scale.GetArr()+core.GetArr()); got != want {
		t.Errorf("current cost share = %v, want %v", got, want)
	}
	if r.Summary.Total.CSMs != 6 || r.Summary.Total.NeededNow != r.Summary.Segments[0].NeededNow+r.Summary.Segments[1].NeededNow {
		t.Errorf("total = %+v", r.Summary.Total)
	}
}

// TestPlanRemote runs the plan and the diff against a real server with
// --server and expects the in-process output byte for byte.
func TestPlanRemote(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.New(server.Config{}).Serve(ctx, lis, nil) }()
	t.Cleanup(func() { cancel(); <-done })

	for _, args := range [][]string{
		{"plan", "-f", sproutPlan, "-o", "json"},
		{"plan", "-f", meridianPlan},
		{"plan", "diff", sproutPlan, sproutWhatIf},
	} {
		local, stderr, code := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("in-process %v exited %d: %s", args, code, stderr)
		}
		remote, stderr, code := runCLI(t, "", append(args, "--server", lis.Addr().String())...)
		if code != 0 {
			t.Fatalf("remote %v exited %d: %s", args, code, stderr)
		}
		if diff := cmp.Diff(local, remote); diff != "" {
			t.Errorf("%v: remote output differs from in-process (-local +remote):\n%s", args, diff)
		}
	}
}

// TestPlanDiff checks the comparison's deltas against figures worked out
// from the two plans: doubling Sprout's new accounts (4 -> 8 a month)
// brings one more Core requisition and one more CSM in 12 months, which
// costs one more loaded CSM ($150K) a year.
func TestPlanDiff(t *testing.T) {
	out, stderr, code := runCLI(t, "", "plan", "diff", sproutPlan, sproutWhatIf, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var d planner.Diff
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	got := map[string]planner.Delta{}
	for _, x := range d.Deltas {
		got[x.Group+"."+x.Measure] = x
	}
	want := map[string][3]float64{ // base, what-if, change
		"Total.csms":             {6, 6, 0},
		"Total.neededIn12Months": {8, 9, 1},
		"Core.requisitions":      {1, 2, 1},
		"Total.requisitions":     {2, 3, 1},
		"Cost.in12MonthsCost":    {1.2e6, 1.35e6, 150000},
		"Cost.firstYearCost":     {got["Cost.firstYearCost"].Base, got["Cost.firstYearCost"].Base, 0},
	}
	for k, w := range want {
		x, ok := got[k]
		if !ok {
			t.Errorf("no delta %s", k)
			continue
		}
		if diff := cmp.Diff(w, [3]float64{x.Base, x.WhatIf, x.Change}, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if x := got["Scale.hireCrossing"]; x.BaseText != "2027-04" || x.WhatIfText != "2027-01" || x.Change != -3 {
		t.Errorf("Scale hire crossing = %+v, want 2027-04 -> 2027-01, -3 months", x)
	}
	// The base needs its next hire by 2027-06 but nothing is over its limit
	// today; in the what-if the load is over now, and the hire would take
	// ARR per CSM under the milestone.
	if x := got["Hiring.verdict"]; x.BaseText != "HIRE_LATER" || x.WhatIfText != "HOLD" || !x.Changed {
		t.Errorf("verdict delta = %+v", x)
	}
	if d.Base.File != sproutPlan || d.WhatIf.File != sproutWhatIf {
		t.Errorf("sides = %+v, %+v", d.Base, d.WhatIf)
	}
}

func TestPlanErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("segments:\n  - name: A\n    accounts: 1\n    arr: 1\n    tem: { csms: 1 }\nhiring: { base_salary: 1 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	invalid := filepath.Join(dir, "invalid.yaml")
	if err := os.WriteFile(invalid, []byte("segments:\n  - name: A\n    accounts: -1\n    arr: 1\nhiring: { base_salary: 1 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  []string
	}{
		{"no file", []string{"plan"}, 2, []string{"plan needs a plan file"}},
		{"bad format", []string{"plan", "-f", sproutPlan, "-o", "xml"}, 2, []string{`"xml"`}},
		{"missing file", []string{"plan", "-f", filepath.Join(dir, "none.yaml")}, 1, []string{"none.yaml"}},
		{"unknown key", []string{"plan", "-f", bad}, 1, []string{"bad.yaml", "line 5", `unknown key "tem"`}},
		{"invalid value", []string{"plan", "-f", invalid}, 1, []string{"invalid.yaml:3: segments[0].accounts: must be 0 or more"}},
		{"diff needs two", []string{"plan", "diff", sproutPlan}, 2, []string{"two plan files"}},
		{"diff html", []string{"plan", "diff", sproutPlan, sproutWhatIf, "-o", "html"}, 2, []string{"-o html"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCLI(t, "", tc.args...)
			if code != tc.wantCode {
				t.Errorf("csplan %v exited %d, want %d (stderr %q)", tc.args, code, tc.wantCode, stderr)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}

// TestCompanyRowBlendsMixedSegments: Meridian serves its segments on three
// touch models and two complexities, so the company row's accounts band is
// blended from theirs: CSMs needed by volume is the sum over segments of
// accounts over that segment's ideal max (complexity applied), rounded up
// once, not the whole book over the high-touch ideal max.
func TestCompanyRowBlendsMixedSegments(t *testing.T) {
	ctx := context.Background()
	c, release, err := inProcess(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	p, err := planner.Load(meridianPlan)
	if err != nil {
		t.Fatal(err)
	}
	r, err := planner.Analyze(ctx, c, p, planner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Ideal max per CSM: Enterprise high and complex 30 x 0.6, Mid-Market
	// high 30, SMB low 125, Long Tail tech 1000.
	idealMax := map[string]float64{"Enterprise": 18, "Mid-Market": 30, "SMB": 125, "Long Tail": 1000}
	var csms float64
	for _, s := range r.Summary.Segments {
		m, ok := idealMax[s.Name]
		if !ok {
			t.Fatalf("unexpected segment %q", s.Name)
		}
		csms += float64(s.Accounts) / m
	}
	var volume *planner.FactorResult
	for i, f := range r.Evaluation.Overall.Factors {
		if f.Factor == "VOLUME" {
			volume = &r.Evaluation.Overall.Factors[i]
		}
	}
	if volume == nil {
		t.Fatalf("company factors %+v lack VOLUME", r.Evaluation.Overall.Factors)
	}
	if want := int(math.Ceil(csms - 1e-9)); volume.CSMsNeeded != want {
		t.Errorf("company CSMs needed by volume = %d, want %d (sum of the segments' %.3f)", volume.CSMsNeeded, want, csms)
	}
}

// TestPlanTotalsBookHasNoMedian: a book given as segment totals has no
// accounts to rank: its median and P90 are unset, written as a dash in
// every format and left out of the JSON, never shown as $0.
func TestPlanTotalsBookHasNoMedian(t *testing.T) {
	plan := filepath.Join(t.TempDir(), "plan.yaml")
	src := "company: Totals Co\nstart_month: \"2027-01\"\nsegments:\n  - name: Core\n    accounts: 100\n    arr: 2000000\n    team: { csms: 2 }\nhiring:\n  base_salary: 100000\n"
	if err := os.WriteFile(plan, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"table", "markdown", "json", "html"} {
		stdout, stderr, code := runCLI(t, "", "plan", "-f", plan, "-o", format)
		if code != 0 {
			t.Fatalf("-o %s exited %d: %s", format, code, stderr)
		}
		switch format {
		case "json":
			if strings.Contains(stdout, "arrMedian") || strings.Contains(stdout, "arrP90") {
				t.Errorf("-o json carries a median for a book of totals")
			}
		case "html":
			if !strings.Contains(stdout, `$20.0K</td><td class="num">—</td><td class="num">—</td>`) {
				t.Errorf("-o html: the Core row does not show a dash for median and P90")
			}
		default:
			// The Core row of the book table: accounts, ARR, mean, then median and P90.
			if strings.Contains(stdout, "$20.0K  $0") || strings.Contains(stdout, "| $20.0K | $0 |") {
				t.Errorf("-o %s writes a median of $0 for a book of totals", format)
			}
		}
	}
	stdout, _, _ := runCLI(t, "", "plan", "-f", plan, "-o", "markdown")
	if !strings.Contains(stdout, "| Core | high | 100 | $2.00M | $20.0K | - | - |") {
		t.Errorf("the markdown book table's Core row is not mean $20.0K with a dash for median and P90:\n%s", stdout)
	}
}

// TestPlanAtCapacityNeedsNobody: a team exactly at its ratio with no
// growth has no requisition, and the verdict says no hire is needed rather
// than sending it to tech touch.
func TestPlanAtCapacityNeedsNobody(t *testing.T) {
	plan := filepath.Join(t.TempDir(), "plan.yaml")
	src := "company: Exact Co\nstart_month: \"2027-01\"\nsegments:\n  - name: Core\n    accounts: 40\n    arr: 4000000\n    accounts_per_csm: 20\n    team: { csms: 2 }\nhiring:\n  base_salary: 100000\n"
	if err := os.WriteFile(plan, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "", "plan", "-f", plan)
	if code != 0 {
		t.Fatalf("exited %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Requisitions: none needed within the horizon.") || !strings.Contains(stdout, "Hiring verdict: hold: no hire is needed within the horizon.") {
		t.Errorf("a team at its ratio without growth:\n%s", stdout)
	}
	if strings.Contains(stdout, "tech-touch first") {
		t.Error("a team that needs nobody is sent to tech touch first")
	}
}
