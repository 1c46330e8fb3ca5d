package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/csplan/csplan/accountcsv"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/numfmt"
	"github.com/csplan/csplan/internal/servertest"
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
// report against its golden file and 100 columns, JSON as the contract's
// RunPlanResponse, HTML for its charts.
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
		if !strings.HasPrefix(out, "CS capacity plan: Sprout Analytics\n") || !strings.Contains(out, "\nSummary\n") {
			t.Errorf("the report does not open with its title and summary:\n%.300s", out)
		}
	})
	t.Run("width", func(t *testing.T) {
		for _, plan := range []string{sproutPlan, meridianPlan} {
			stdout, _, code := runCLI(t, "", "plan", "-f", plan)
			if code != 0 {
				t.Fatalf("%s failed", plan)
			}
			for i, l := range strings.Split(stdout, "\n") {
				if n := len([]rune(l)); n > 100 {
					t.Errorf("%s line %d is %d columns wide: %q", plan, i+1, n, l)
				}
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		out := run(t, "-o", "json")
		var resp csplanv1.RunPlanResponse
		if err := protojson.Unmarshal([]byte(out), &resp); err != nil {
			t.Fatalf("the JSON is not a RunPlanResponse: %v", err)
		}
		r := resp.GetResult()
		if r.GetCompany() != "Sprout Analytics" || len(r.GetSegments()) != 2 || len(r.GetMonths()) != int(r.GetHorizonMonths())+1 {
			t.Errorf("result = %q, %d segments, %d months", r.GetCompany(), len(r.GetSegments()), len(r.GetMonths()))
		}
	})
	t.Run("markdown", func(t *testing.T) {
		out := run(t, "-o", "markdown")
		for _, want := range []string{"# CS capacity plan: Sprout Analytics", "## Summary", "## Requisitions", "## Headcount and cost, month by month",
			"## Cost by fiscal period", "## Segment Core", "## The book", "## One hire", "## Assumptions", "| Segment | Touch |"} {
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
		for _, id := range []string{`id="load-0"`, `id="load-1"`, `id="headcount"`, `id="cost-share"`, `id="quarter-cost"`, `id="quarter-hires"`} {
			if !strings.Contains(out, id) {
				t.Errorf("the HTML report lacks the chart %s", id)
			}
		}
		for _, bad := range []string{"<script", "<link rel=\"stylesheet\" href=\"http"} {
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

// TestPlanJSONIsTheRESTAnswer: csplan plan -o json prints what POST
// /v1/plans:run answers for the same plan and book.
func TestPlanJSONIsTheRESTAnswer(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})

	cli, stderr, code := runCLI(t, "", "plan", "-f", sproutPlan, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	p, err := planner.Load(sproutPlan)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p.AccountsPath())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := accountcsv.NewReader(f, p.AccountsPath())
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	plan := p.Proto() // its book carries book.csms, never the file
	body, err := protojson.Marshal(&csplanv1.RunPlanRequest{Plan: plan, Accounts: accounts})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(srv.URL+"/v1/plans:run", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rest, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /v1/plans:run = %d %s (%v)", resp.StatusCode, rest, err)
	}
	var a, b any
	if err := json.Unmarshal([]byte(cli), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(rest, &b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("csplan plan -o json differs from the REST answer (-rest +cli):\n%s", diff)
	}
}

// TestPlanRemote runs the plan and the diff against a real server with
// --server and expects the in-process output byte for byte.
func TestPlanRemote(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})

	for _, args := range [][]string{
		{"plan", "-f", sproutPlan, "-o", "json"},
		{"plan", "-f", meridianPlan},
		{"plan", "diff", sproutPlan, sproutWhatIf},
	} {
		local, stderr, code := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("in-process %v exited %d: %s", args, code, stderr)
		}
		remote, stderr, code := runCLI(t, "", append(args, "--server", srv.GRPCAddr)...)
		if code != 0 {
			t.Fatalf("remote %v exited %d: %s", args, code, stderr)
		}
		if diff := cmp.Diff(local, remote); diff != "" {
			t.Errorf("%v: remote output differs from in-process (-local +remote):\n%s", args, diff)
		}
	}
}

// TestPlanDiff reads the comparison of Sprout's what-if (new accounts 4 ->
// 8 a month) as ComparePlans gives it: the input that changed, by its path
// in the plan, and the deltas of both results.
func TestPlanDiff(t *testing.T) {
	out, stderr, code := runCLI(t, "", "plan", "diff", sproutPlan, sproutWhatIf, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var d csplanv1.ComparePlansResponse
	if err := protojson.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, c := range d.GetInputChanges() {
		fields = append(fields, c.GetField())
	}
	if !slices.Contains(fields, "growth.new_accounts_per_month") {
		t.Errorf("input changes %v lack growth.new_accounts_per_month", fields)
	}
	for _, x := range d.GetDeltas() {
		if x.GetGroup() != "Total" {
			continue
		}
		var base, whatIf float64
		switch x.GetMeasure() {
		case "csms_needed_in12_months":
			base, whatIf = float64(d.GetBase().GetSummary().GetCsmsNeededIn12Months()), float64(d.GetWhatIf().GetSummary().GetCsmsNeededIn12Months())
		case "requisitions":
			base, whatIf = float64(len(d.GetBase().GetRequisitions())), float64(len(d.GetWhatIf().GetRequisitions()))
		default:
			continue
		}
		if x.GetBase() != base || x.GetWhatIf() != whatIf || x.GetChange() != whatIf-base {
			t.Errorf("delta %s = %v -> %v (%v), the results say %v -> %v", x.GetMeasure(), x.GetBase(), x.GetWhatIf(), x.GetChange(), base, whatIf)
		}
	}
	if d.GetWhatIf().GetSummary().GetCsmsNeededIn12Months() <= d.GetBase().GetSummary().GetCsmsNeededIn12Months() {
		t.Errorf("doubling new accounts needs %d CSMs in 12 months against %d", d.GetWhatIf().GetSummary().GetCsmsNeededIn12Months(), d.GetBase().GetSummary().GetCsmsNeededIn12Months())
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
		{"unknown key", []string{"plan", "-f", bad}, 67, []string{"bad.yaml", "line 5", `unknown key "tem"`}},
		{"invalid value", []string{"plan", "-f", invalid}, 67, []string{"invalid.yaml:3: segments[0].accounts: must be 0 or more"}},
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

// TestPlanTotalsBookHasNoMedian: a book given as segment totals has no
// accounts to rank: its mean, median and P90 are unset, written as a dash
// in every format and left out of the JSON, never shown as $0.
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
			if !strings.Contains(stdout, `$2.00M</td><td class="num">-</td><td class="num">-</td><td class="num">-</td>`) {
				t.Errorf("-o html: the Core row does not show a dash for mean, median and P90")
			}
		case "markdown":
			if !strings.Contains(stdout, "| Core | 100 | $2.00M | - | - | - |") {
				t.Errorf("the markdown book table's Core row is not dashes for mean, median and P90:\n%s", stdout)
			}
		}
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
	if !strings.Contains(stdout, "Requisitions\n------------\n\nNone within the horizon.") || !strings.Contains(stdout, "No hire is needed within the horizon") {
		t.Errorf("a team at its ratio without growth:\n%s", stdout)
	}
	if strings.Contains(strings.ToLower(stdout), "tech touch first") {
		t.Error("a team that needs nobody is sent to tech touch first")
	}
}

// TestPlanFiguresAgreeAcrossFormats: the need, its cost and share, the
// verdict and each requisition read the same in the terminal, Markdown
// and HTML reports as in the JSON they are formatted from.
func TestPlanFiguresAgreeAcrossFormats(t *testing.T) {
	for _, plan := range []string{sproutPlan, meridianPlan} {
		out, stderr, code := runCLI(t, "", "plan", "-f", plan, "-o", "json")
		if code != 0 {
			t.Fatalf("%s: %s", plan, stderr)
		}
		var resp csplanv1.RunPlanResponse
		if err := protojson.Unmarshal([]byte(out), &resp); err != nil {
			t.Fatal(err)
		}
		r := resp.GetResult()
		s := r.GetSummary()
		cur := r.GetCurrency()
		want := []string{
			fmt.Sprintf("The need now (%d CSMs)", s.GetCsmsNeededNow()),
			fmt.Sprintf("Today's team (%d CSMs)", s.GetCsmsToday()),
			numfmt.Money(s.GetCostNeeded(), cur), numfmt.Pct(s.GetCostShareNeeded()),
			"Verdict: " + strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(s.GetVerdict().String(), "VERDICT_"), "_", " ")),
		}
		for _, q := range r.GetRequisitions() {
			want = append(want, numfmt.Money(q.GetIncrementalCost(), cur), q.GetOpenByMonth())
		}
		for _, format := range []string{"table", "markdown", "html"} {
			text, stderr, code := runCLI(t, "", "plan", "-f", plan, "-o", format)
			if code != 0 {
				t.Fatalf("%s -o %s: %s", plan, format, stderr)
			}
			text = strings.ReplaceAll(strings.ReplaceAll(text, "<strong>", ""), "</strong>", "")
			text = strings.ReplaceAll(text, "&#39;", "'")
			for _, w := range want {
				if !strings.Contains(strings.ReplaceAll(text, "**", ""), w) {
					t.Errorf("%s -o %s lacks %q", plan, format, w)
				}
			}
		}
	}
}
