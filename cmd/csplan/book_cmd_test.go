package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/numfmt"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

const (
	// bookPlan is a book small enough to compute by hand: see the
	// comments of TestBookAnalyzeByHand.
	bookPlan     = "testdata/book/plan.yaml"
	bookAccounts = "testdata/book/accounts.csv"
	examplePlan  = sproutPlan
)

// bookAnswer runs book analyze -o json and returns the service's answer.
func bookAnswer(t *testing.T, args ...string) *csplanv1.BookAnalysis {
	t.Helper()
	stdout, stderr, code := runCLI(t, "", append([]string{"book", "analyze", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("book analyze %v exited %d: %s", args, code, stderr)
	}
	var resp csplanv1.StreamAnalyzeBookResponse
	if err := protojson.Unmarshal([]byte(stdout), &resp); err != nil {
		t.Fatalf("the JSON is not a StreamAnalyzeBookResponse: %v\n%s", err, stdout)
	}
	return resp.GetResult()
}

// TestBookAnalyzeByHand checks the service's answer for the small book
// against figures computed by hand, and the table against them.
//
// csm_time: 30 h a week, 52 weeks, half customer-facing: 65 h a month.
// Every account takes 1 h a month (check-in) from its start month, 3 h in
// its start month and the next (onboarding, 6 h over 2 months) and 4 h the
// month before each renewal; an account without dates takes the flat
// model: 1 + 6/36 + 4/12 = 1.5 h a month.
//
// ana (capacity 6 h): a-1 1 h, and 4 h in 02 (its 2027-03 renewal); a-2
// from 04, 1 h plus 3 h in 04 and 05; a-3 1 h, and 4 h in 05 (2027-06);
// a-8 from 09, 1 h plus 3 h in 09 and 10. Hours 2 6 2 6 10 3 3 3 7 7 4 4:
// over capacity in 05, 09 and 10 (02 and 04 are at it, not over); the
// peak is 10/6 in 05.
func TestBookAnalyzeByHand(t *testing.T) {
	a := bookAnswer(t, "-f", bookPlan)
	if a.GetAvailableHoursPerCsmMonth() != 65 || len(a.GetMonths()) != 12 || a.GetMonths()[0] != "2027-01" {
		t.Fatalf("available %v, months %v", a.GetAvailableHoursPerCsmMonth(), a.GetMonths())
	}
	csms := a.GetCsms()
	if len(csms) != 3 || csms[0].GetId() != "ana" || csms[1].GetId() != "ben" || csms[2].GetId() != "zed" {
		t.Fatalf("csms %v, want ana, ben (book.csms) then zed (an owner of the book)", csms)
	}
	ana, ben, zed := csms[0], csms[1], csms[2]
	if diff := cmp.Diff([]float64{2, 6, 2, 6, 10, 3, 3, 3, 7, 7, 4, 4}, ana.GetHours()); diff != "" {
		t.Errorf("ana's hours (-want +got):\n%s", diff)
	}
	if ana.GetCapacityHours() != 6 || ana.GetAccounts() != 4 || ana.GetArr() != 270000 || ana.GetPeakMonth() != "2027-05" ||
		ana.GetPeakUtilization() != 10.0/6 || ana.GetMonthsOverCapacity() != 3 {
		t.Errorf("ana: %v", ana)
	}
	// ben (half of 65 h): a-4 1 h, and 4 h in 02 and 08 (renewals
	// 2027-03 and 2027-09 on a six-month term); a-5 1.5 h.
	if ben.GetCapacityHours() != 32.5 || !near(ben.GetHours()[1], 6.5) || !near(ben.GetHours()[0], 2.5) || ben.GetPeakMonth() != "2027-02" {
		t.Errorf("ben: %v", ben)
	}
	// zed: a-6, 1 h, and 4 h in 12 (its 2028-01 renewal).
	if zed.GetCapacityHours() != 65 || zed.GetHours()[11] != 5 || zed.GetPeakMonth() != "2027-12" {
		t.Errorf("zed: %v", zed)
	}
	// Renewals: a-6 in 01, a-1 and a-4 in 03, a-3 in 06, a-4 in 09.
	wantRenewals := map[string][2]float64{"2027-01": {1, 60000}, "2027-03": {2, 140000}, "2027-06": {1, 80000}, "2027-09": {1, 20000}}
	for _, r := range a.GetRenewals() {
		w := wantRenewals[r.GetMonth()]
		if float64(r.GetAccounts()) != w[0] || r.GetArr() != w[1] {
			t.Errorf("renewals in %s: %d accounts, %v ARR; want %v", r.GetMonth(), r.GetAccounts(), r.GetArr(), w)
		}
	}
	if a.GetUnownedAccounts() != 1 || a.GetUnownedHours()[1] != 4 || a.GetAccountsWithoutDates() != 1 || strings.Join(a.GetUnknownOwners(), ",") != "zed" {
		t.Errorf("unowned %d %v, without dates %d, unknown %v", a.GetUnownedAccounts(), a.GetUnownedHours(), a.GetAccountsWithoutDates(), a.GetUnknownOwners())
	}

	stdout, stderr, code := runCLI(t, "", "book", "analyze", "-f", bookPlan)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range [][]string{
		{"ana", "Ana", "4", "$270K", "6", "2027-05", "166.7%", "3"},
		{"zed", "-", "1", "$60.0K", "65", "2027-12", "7.7%", "0"},
		{"2027-03", "2", "$140K"},
	} {
		if diff := cmp.Diff(want, tableRow(stdout, want[0])); diff != "" {
			t.Errorf("row %s (-want +got):\n%s", want[0], diff)
		}
	}
	// The strips: 2/6 of capacity is the third mark of seven, 6/6 the
	// seventh, 3/6 the fourth, 4/6 the fifth; "!" the months over.
	for id, want := range map[string]string{"ana": "ana ▃▇▃ ▇!▄ ▄▄! !▅▅", "zed": "zed ▁▁▁ ▁▁▁ ▁▁▁ ▁▁▁"} {
		if rows := tableRows(stdout, id); len(rows) != 2 || strings.Join(rows[1], " ") != want {
			t.Errorf("%s's strip: %q, want %q", id, rows, want)
		}
	}
	for _, want := range []string{
		// In 2027-05 a-3 takes 1 + 4 h (renewal prep), a-2 1 + 3 h
		// (onboarding), a-1 1 h.
		"- Ana (ana) is over capacity in 2027-05, 2027-09 and 2027-10 (peak 166.7% in 2027-05), driven by a-3 (5 h), a-2 (4 h) and a-1 (1 h).",
		"capacity: zed.", "2027-02 4 h, 2027-03 4 h", "1 account lacks the dates",
	} {
		if !strings.Contains(strings.Join(strings.Fields(stdout), " "), want) {
			t.Errorf("the table lacks %q:\n%s", want, stdout)
		}
	}
}

// tableRows returns the cells of every line that starts with first.
func tableRows(out, first string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == first {
			rows = append(rows, f)
		}
	}
	return rows
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// TestBookAnalyzeTableIsTheAnswer: each CSM's row of the table is the
// JSON answer's figures, formatted, and each segment's too.
func TestBookAnalyzeTableIsTheAnswer(t *testing.T) {
	for _, plan := range []string{bookPlan, examplePlan} {
		a := bookAnswer(t, "-f", plan)
		stdout, _, code := runCLI(t, "", "book", "analyze", "-f", plan)
		if code != 0 {
			t.Fatalf("%s exited %d", plan, code)
		}
		for _, c := range a.GetCsms() {
			name := c.GetName()
			if name == "" {
				name = "-"
			}
			peak := c.GetPeakMonth()
			if c.GetPeakUtilization() == 0 {
				peak = "-" // no hours in any month: no peak
			}
			want := append([]string{c.GetId()}, strings.Fields(name)...)
			want = append(want, numfmt.Count(int(c.GetAccounts())), numfmt.Money(c.GetArr(), ""), numfmt.Dec(c.GetCapacityHours(), 1),
				peak, numfmt.Pct(c.GetPeakUtilization()), numfmt.Count(int(c.GetMonthsOverCapacity())))
			got := tableRow(stdout, c.GetId())
			if len(got) < len(want) {
				t.Fatalf("%s: no row for %s:\n%s", plan, c.GetId(), stdout)
			}
			if diff := cmp.Diff(want, got[:len(want)]); diff != "" {
				t.Errorf("%s: row %s (-answer +table):\n%s", plan, c.GetId(), diff)
			}
		}
		for _, s := range a.GetSegments() {
			want := []string{s.GetName(), numfmt.Count(int(s.GetAccounts())), s.GetPeakMonth(), numfmt.Dec(s.GetPeakCsmFte(), 2), numfmt.Dec(s.GetMeanCsmFte(), 2)}
			if diff := cmp.Diff(want, tableRow(stdout, s.GetName())); diff != "" {
				t.Errorf("%s: segment %s (-answer +table):\n%s", plan, s.GetName(), diff)
			}
		}
	}
}

// TestBookAnalyzeOutputs compares each output with its golden file (go
// test ./cmd/csplan -update rewrites them).
func TestBookAnalyzeOutputs(t *testing.T) {
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"book_analyze", []string{"-f", bookPlan}},
		{"book_analyze.json", []string{"-f", bookPlan, "-o", "json"}},
		{"book_analyze.html", []string{"-f", bookPlan, "-o", "html"}},
		{"book_example", []string{"-f", examplePlan}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", append([]string{"book", "analyze"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden(t, tc.golden, stdout)
			if !strings.HasSuffix(tc.golden, ".json") && !strings.HasSuffix(tc.golden, ".html") {
				for i, l := range strings.Split(stdout, "\n") {
					if n := len([]rune(l)); n > 100 {
						t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
					}
				}
			}
		})
	}
}

// TestBookAnalyzeHTML: the heat map is a table with headers for its
// months and CSMs, a cell a month with its percentage and a title, every
// month over capacity marked (as many as the answer counts), and a key;
// the page loads nothing.
func TestBookAnalyzeHTML(t *testing.T) {
	for _, plan := range []string{bookPlan, examplePlan} {
		a := bookAnswer(t, "-f", plan)
		page, stderr, code := runCLI(t, "", "book", "analyze", "-f", plan, "-o", "html")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		start := strings.Index(page, `<table class="grid" id="heatmap">`)
		if start < 0 {
			t.Fatalf("%s: no heat map", plan)
		}
		heat := page[start : start+strings.Index(page[start:], "</table>")]
		months, csms := len(a.GetMonths()), 0
		over, peaks := 0, 0
		for _, c := range a.GetCsms() {
			if slices.ContainsFunc(c.GetHours(), func(h float64) bool { return h > 0 }) {
				csms++ // a CSM with no hours in any month is in the notes, not the map
			}
			over += int(c.GetMonthsOverCapacity())
			if c.GetPeakUtilization() > 0 {
				peaks++ // a CSM without hours has no peak to outline
			}
		}
		for what, want := range map[string]int{
			`<th scope="col"`: months + 3,
			`<th scope="row"`: csms,
			`<td class="hm `:  months * csms,
			`<span class="sr-only"> over capacity</span>`: over,
			` peak"`: peaks,
		} {
			if got := strings.Count(heat, what); got != want {
				t.Errorf("%s: the heat map has %d of %s, want %d", plan, got, what, want)
			}
		}
		ana := a.GetCsms()[0]
		cell := regexp.MustCompile(`<td class="hm [^"]*" title="([^"]*)">(?:<span aria-hidden="true">▲</span>)?([^<]*)<`).FindStringSubmatch(heat)
		if cell == nil || cell[2] != numfmt.Dec(ana.GetUtilization()[0]*100, 0)+"%" || !strings.Contains(cell[1], numfmt.Pct(ana.GetUtilization()[0])) {
			t.Errorf("%s: the first cell is %q, want %s's first month", plan, cell, ana.GetId())
		}
		for _, want := range []string{`<caption id="heatmap-caption">`, `class="legend"`, `id="segment-fte"`, `id="renewals"`, "over capacity, 120% and more"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page lacks %q", plan, want)
			}
		}
		for _, bad := range []string{"<script", "<link", `src="http`, `href="http`, "▁"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s: the page holds %q", plan, bad)
			}
		}
	}
}

// TestBookAnalyzeInputs: the accounts come from the argument (or stdin)
// over the plan's book.accounts_csv, in any batch size; --start-month and
// --horizon set the window; flags may follow the CSV; --out writes a file.
func TestBookAnalyzeInputs(t *testing.T) {
	want, _, code := runCLI(t, "", "book", "analyze", "-f", bookPlan, "-o", "json")
	if code != 0 {
		t.Fatal("exit", code)
	}
	csv, err := os.ReadFile(bookAccounts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{bookAccounts, "-f", bookPlan, "-o", "json"}},
		{string(csv), []string{"-f", bookPlan, "-", "-o", "json", "--batch", "1"}},
		{"", []string{"-f", bookPlan, "-o", "json", "--batch", "3"}},
	} {
		got, stderr, code := runCLI(t, tc.stdin, append([]string{"book", "analyze"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v exited %d: %s", tc.args, code, stderr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v differs (-default +got):\n%s", tc.args, diff)
		}
	}

	a := bookAnswer(t, "-f", bookPlan, "--start-month", "2027-04", "--horizon", "6")
	if diff := cmp.Diff([]string{"2027-04", "2027-05", "2027-06", "2027-07", "2027-08", "2027-09"}, a.GetMonths()); diff != "" {
		t.Errorf("months (-want +got):\n%s", diff)
	}
	if h := a.GetCsms()[0].GetHours(); len(h) != 6 || h[1] != 10 {
		t.Errorf("ana's hours from 2027-04: %v", h)
	}

	// A CSV under other headers, read with --column, and a team of one
	// through an overlay of the plan.
	other := writeFile(t, "other.csv", strings.ReplaceAll(string(csv), "Account Owner", "Kundenbetreuer"))
	got, stderr, code := runCLI(t, "", "book", "analyze", "-f", bookPlan, other, "--column", "owner=Kundenbetreuer", "-o", "json")
	if code != 0 || got != want {
		t.Errorf("--column owner=Kundenbetreuer: exit %d %s, answer differs: %v", code, stderr, got != want)
	}

	out := filepath.Join(t.TempDir(), "book.html")
	_, stderr, code = runCLI(t, "", "book", "analyze", "-f", bookPlan, "-o", "html", "--out", out)
	if b, err := os.ReadFile(out); code != 0 || err != nil || !strings.Contains(string(b), `id="heatmap"`) || !strings.Contains(stderr, "wrote "+out) {
		t.Errorf("--out: exit %d, %v, stderr %q", code, err, stderr)
	}
}

// TestBookAnalyzeRemote: --server gives the answer of the in-process run.
func TestBookAnalyzeRemote(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})
	local, _, _ := runCLI(t, "", "book", "analyze", "-f", bookPlan)
	remote, stderr, code := runCLI(t, "", "book", "analyze", "-f", bookPlan, "--server", srv.GRPCAddr)
	if code != 0 {
		t.Fatalf("remote exit %d: %s", code, stderr)
	}
	if diff := cmp.Diff(local, remote); diff != "" {
		t.Errorf("remote output differs (-local +remote):\n%s", diff)
	}
}

func TestBookAnalyzeErrors(t *testing.T) {
	csv, err := os.ReadFile(bookAccounts)
	if err != nil {
		t.Fatal(err)
	}
	badDate := writeFile(t, "bad.csv", strings.Replace(string(csv), "2027-06-30", "2027-06-31", 1))
	inline := writeFile(t, "inline.yaml", "segments:\n  - { name: All, accounts: 10, arr: 100000 }\n")
	attr := writeFile(t, "attr.yaml", "book: { accounts_csv: "+filepath.Join(mustAbs(t, "testdata/book"), "accounts.csv")+" }\n"+
		"segments:\n  - name: EMEA\n    match: { attributes: { region: [EMEA] } }\n")
	stages := writeFile(t, "stages.yaml", "book: { accounts_csv: "+filepath.Join(mustAbs(t, "testdata/book"), "accounts.csv")+", customer_stages: [Customer] }\n"+
		"segments:\n  - { name: All }\n")
	// The plan's customer stages apply: no account of the book is at stage
	// Customer, so every one is left out and counted.
	if out, stderr, code := runCLI(t, "", "book", "analyze", "-f", stages, "-o", "json"); code != 0 || !strings.Contains(out, `"excludedAccounts": `) || strings.Contains(out, `"excludedAccounts": 0`) {
		t.Errorf("customer stages: exit %d, stderr %q, answer %s", code, stderr, out)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		wantErr []string
	}{
		{"no plan", []string{"book", "analyze", bookAccounts}, 2, []string{"needs a plan file"}},
		{"no subcommand", []string{"book"}, 2, []string{"book needs a subcommand: analyze, rebalance or depart"}},
		{"unknown subcommand", []string{"book", "frob"}, 2, []string{`unknown book subcommand "frob": use analyze, rebalance or depart`}},
		{"unknown flag", []string{"book", "analyze", "-f", bookPlan, "--frob"}, 2, []string{"frob"}},
		{"bad output", []string{"book", "analyze", "-f", bookPlan, "-o", "markdown"}, 2, []string{`"markdown" is not table, json or html`}},
		{"two CSVs", []string{"book", "analyze", "-f", bookPlan, bookAccounts, bookAccounts}, 2, []string{"at most one CSV"}},
		{"bad duplicates flag", []string{"book", "analyze", "-f", bookPlan, "--duplicates", "some"}, 2, []string{"--duplicates"}},
		{"no accounts", []string{"book", "analyze", "-f", inline}, 2, []string{"give ACCOUNTS.csv, or set book.accounts_csv in " + inline}},
		{"missing plan file", []string{"book", "analyze", "-f", "testdata/book/nope.yaml"}, 1, []string{"nope.yaml"}},
		{"missing CSV file", []string{"book", "analyze", "-f", bookPlan, "testdata/book/nope.csv"}, 1, []string{"nope.csv"}},
		{"bad date", []string{"book", "analyze", "-f", bookPlan, badDate}, 67, []string{badDate + ":4:", `column "Renewal Date"`, "2027-06-31"}},
		{"horizon 40", []string{"book", "analyze", "-f", bookPlan, "--horizon", "40"}, 67, []string{"InvalidArgument", "settings.horizon_months", "36"}},
		{"bad start month", []string{"book", "analyze", "-f", bookPlan, "--start-month", "2027-13"}, 67, []string{"settings.start_month"}},
		{"rule on a column the CSV lacks", []string{"book", "analyze", "-f", attr}, 67, []string{attr + ":4: segments[0].match.attributes.region", `has no column "region"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCLI(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("csplan %v exited %d, want %d (stderr %q)", tc.args, code, tc.code, stderr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q lacks %q", stderr, want)
				}
			}
		})
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestBookAnalyzeIsThePlansCalendar: for a plan whose book has no stage
// filter, book analyze over the plan's months (0 to the horizon) answers
// what the plan's own calendar holds.
func TestBookAnalyzeIsThePlansCalendar(t *testing.T) {
	stdout, stderr, code := runCLI(t, "", "plan", "-f", sproutPlan, "-o", "json")
	if code != 0 {
		t.Fatalf("plan exited %d: %s", code, stderr)
	}
	var plan csplanv1.RunPlanResponse
	if err := protojson.Unmarshal([]byte(stdout), &plan); err != nil {
		t.Fatal(err)
	}
	cal := plan.GetResult().GetCalendar()
	if len(cal.GetCsms()) == 0 {
		t.Fatal("the plan has no calendar")
	}
	a := bookAnswer(t, "-f", sproutPlan, "--horizon", fmt.Sprint(plan.GetResult().GetHorizonMonths()+1))
	if diff := cmp.Diff(cal, a, protocmp.Transform()); diff != "" {
		t.Errorf("book analyze differs from the plan's calendar (-plan +book):\n%s", diff)
	}
}
