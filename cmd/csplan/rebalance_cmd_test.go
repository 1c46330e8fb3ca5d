package main

import (
	"encoding/csv"
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
	// rebalancePlan is a book whose rebalancing and departure drill are
	// known by hand: see the comments of the plan file.
	rebalancePlan     = "testdata/rebalance/plan.yaml"
	rebalanceAccounts = "testdata/rebalance/accounts.csv"
)

// rebalanceAnswer runs book rebalance (or depart) -o json and returns the
// service's answer.
func rebalanceAnswer(t *testing.T, cmd string, args ...string) *csplanv1.RebalanceResult {
	t.Helper()
	stdout, stderr, code := runCLI(t, "", append([]string{"book", cmd, "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("book %s %v exited %d: %s", cmd, args, code, stderr)
	}
	var resp csplanv1.StreamRebalanceBookResponse
	if err := protojson.Unmarshal([]byte(stdout), &resp); err != nil {
		t.Fatalf("the JSON is not a StreamRebalanceBookResponse: %v\n%s", err, stdout)
	}
	return resp.GetResult()
}

// oneLine joins a text output's words, so that wrapped sentences match.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestBookRebalanceByHand: ana carries 130 h of 100, ben 40; only r-1
// (35 h) alone brings both within 50% to 100%, so the one optimal move
// is r-1 to ben; by hours it costs 35; by ARR, r-3 and r-5 ($30K) are
// cheaper than r-1 ($200K) or any other pair that fits.
func TestBookRebalanceByHand(t *testing.T) {
	r := rebalanceAnswer(t, "rebalance", "-f", rebalancePlan)
	want := []*csplanv1.AccountMove{{AccountId: "r-1", FromCsm: "ana", ToCsm: "ben", MonthlyHours: 35, Arr: 200000, Reason: "ana is above the band (130% of capacity)"}}
	if diff := cmp.Diff(want, r.GetMoves(), protocmp.Transform()); diff != "" {
		t.Errorf("moves (-want +got):\n%s", diff)
	}
	if !r.GetFeasible() || !r.GetOptimal() || r.GetDisruption() != 1 || r.GetLowerBound() != 1 || r.GetDeparture() != nil {
		t.Errorf("feasible %v, optimal %v, disruption %v, bound %v, departure %v", r.GetFeasible(), r.GetOptimal(), r.GetDisruption(), r.GetLowerBound(), r.GetDeparture())
	}
	for id, w := range map[string][4]float64{"ana": {130, 95, 5, 4}, "ben": {40, 75, 2, 3}, "eve": {21, 21, 1, 1}} {
		i := slices.IndexFunc(r.GetCsms(), func(c *csplanv1.CsmRebalance) bool { return c.GetId() == id })
		if i < 0 {
			t.Fatalf("no CSM %s", id)
		}
		c := r.GetCsms()[i]
		if got := [4]float64{c.GetHoursBefore(), c.GetHoursAfter(), float64(c.GetAccountsBefore()), float64(c.GetAccountsAfter())}; got != w {
			t.Errorf("%s: hours and accounts before and after %v, want %v", id, got, w)
		}
	}

	hours := rebalanceAnswer(t, "rebalance", "-f", rebalancePlan, "--weight", "hours")
	if len(hours.GetMoves()) != 1 || hours.GetMoves()[0].GetAccountId() != "r-1" || hours.GetDisruption() != 35 || !hours.GetOptimal() {
		t.Errorf("--weight hours: %v, disruption %v", hours.GetMoves(), hours.GetDisruption())
	}
	arr := rebalanceAnswer(t, "rebalance", "-f", rebalancePlan, "--weight", "arr")
	var ids []string
	for _, m := range arr.GetMoves() {
		ids = append(ids, m.GetAccountId())
	}
	if strings.Join(ids, ",") != "r-3,r-5" || arr.GetDisruption() != 30000 || !arr.GetOptimal() {
		t.Errorf("--weight arr: moves %v, disruption %v", ids, arr.GetDisruption())
	}

	stdout, stderr, code := runCLI(t, "", "book", "rebalance", "-f", rebalancePlan)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Feasible: 1 move, a disruption of 1 account, proven optimal (the lower bound is 1 account:",
		"5 CSMs; the disruption counts the accounts moved.",
	} {
		if !strings.Contains(oneLine(stdout), want) {
			t.Errorf("the table lacks %q:\n%s", want, stdout)
		}
	}
	for _, want := range [][]string{
		{"r-1", "ana", "ben", "35", "$200K", "ana", "is", "above", "the", "band", "(130%", "of", "capacity)"},
		{"ana", "100", "130", "95", "130%", "95%", "5", "4"},
		{"ben", "100", "40", "75", "40%", "75%", "2", "3"},
	} {
		if diff := cmp.Diff(want, tableRow(stdout, want[0])); diff != "" {
			t.Errorf("row %s (-want +got):\n%s", want[0], diff)
		}
	}
	arrOut, _, _ := runCLI(t, "", "book", "rebalance", "-f", rebalancePlan, "--weight", "arr")
	if !strings.Contains(oneLine(arrOut), "Feasible: 2 moves, a disruption of $30.0K ARR, proven optimal") ||
		!strings.Contains(arrOut, "the disruption counts the ARR of the accounts moved") {
		t.Errorf("--weight arr's summary:\n%s", arrOut)
	}
}

// TestBookRebalanceTableIsTheAnswer: every move's row and every CSM's row
// of the table is the JSON answer's figures, formatted; the frontier's
// rows too.
func TestBookRebalanceTableIsTheAnswer(t *testing.T) {
	for _, args := range [][]string{
		{"rebalance", "-f", rebalancePlan, "--frontier", "5"},
		{"rebalance", "-f", rebalancePlan, "--weight", "arr"},
		{"depart", "cleo", "-f", rebalancePlan},
	} {
		r := rebalanceAnswer(t, args[0], args[1:]...)
		stdout, _, code := runCLI(t, "", append([]string{"book"}, args...)...)
		if code != 0 {
			t.Fatalf("%v exited %d", args, code)
		}
		for _, m := range r.GetMoves() {
			want := []string{m.GetAccountId(), m.GetFromCsm(), m.GetToCsm(), numfmt.Dec(m.GetMonthlyHours(), 1), numfmt.Money(m.GetArr(), "")}
			if got := tableRow(stdout, m.GetAccountId()); len(got) < len(want) || !slices.Equal(want, got[:len(want)]) {
				t.Errorf("%v: move %s is %q, want %q", args, m.GetAccountId(), got, want)
			}
		}
		for _, c := range r.GetCsms() {
			want := []string{c.GetId()}
			if c.GetDeparting() {
				want = append(want, "(leaves)")
			}
			want = append(want, numfmt.Dec(c.GetCapacityHours(), 1), numfmt.Dec(c.GetHoursBefore(), 1), numfmt.Dec(c.GetHoursAfter(), 1),
				numfmt.Pct(c.GetUtilizationBefore()), numfmt.Pct(c.GetUtilizationAfter()), numfmt.Count(int(c.GetAccountsBefore())), numfmt.Count(int(c.GetAccountsAfter())))
			if diff := cmp.Diff(want, tableRow(stdout, c.GetId())); diff != "" {
				t.Errorf("%v: CSM %s (-answer +table):\n%s", args, c.GetId(), diff)
			}
		}
		for _, p := range r.GetFrontier() {
			lo, hi := numfmt.Pct(p.GetMinUtilization()), numfmt.Pct(p.GetMaxUtilization())
			want := []string{lo, "to", hi, "-", "-", "no"}
			if p.GetFeasible() {
				unit := "accounts"
				if p.GetDisruption() == 1 {
					unit = "account"
				}
				want = []string{lo, "to", hi, numfmt.Count(int(p.GetMoves())), numfmt.Dec(p.GetDisruption(), 2), unit, "yes"}
			}
			if !slices.ContainsFunc(tableRows(stdout, lo), func(row []string) bool { return slices.Equal(row, want) }) {
				t.Errorf("%v: no frontier row %q:\n%s", args, want, stdout)
			}
		}
		if n := len(r.GetFrontier()); n > 0 && n != 5 {
			t.Errorf("%v: %d frontier points, want 5", args, n)
		}
	}
}

// TestBookRebalanceMovesFile: --out writes exactly the header and a row
// per move, RFC 4180, says on stderr where, and leaves the report on
// stdout; a file without moves is the header alone.
func TestBookRebalanceMovesFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "moves.csv")
	stdout, stderr, code := runCLI(t, "", "book", "rebalance", "-f", rebalancePlan, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Account ID,Current Owner,New Owner\r\nr-1,ana,ben\r\n"; string(got) != want {
		t.Errorf("moves.csv is %q, want %q", got, want)
	}
	if !strings.Contains(stderr, "wrote "+out+": 1 move") || !strings.Contains(stdout, "Moves") {
		t.Errorf("stderr %q, stdout %q", stderr, stdout)
	}

	arr := filepath.Join(dir, "arr.csv")
	if _, stderr, code := runCLI(t, "", "book", "depart", "cleo", "-f", rebalancePlan, "--weight", "arr", "--out", arr, "-o", "json"); code != 0 {
		t.Fatalf("depart exit %d: %s", code, stderr)
	}
	got, _ = os.ReadFile(arr)
	if want := "Account ID,Current Owner,New Owner\r\nr-3,ana,ben\r\nr-5,ana,ben\r\ne-1,cleo,eve\r\n"; string(got) != want {
		t.Errorf("the drill's moves.csv is %q, want %q", got, want)
	}

	none := filepath.Join(dir, "none.csv")
	if _, stderr, code := runCLI(t, "", "book", "rebalance", "-f", rebalancePlan, "--band-max", "1.4", "--band-min", "0.3", "--out", none); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got, _ := os.ReadFile(none); string(got) != "Account ID,Current Owner,New Owner\r\n" {
		t.Errorf("a book that fits: %q", got)
	}

	// Ids as a CRM writes them, commas and quotes included, come back
	// from the file as they were.
	var e env
	var msg strings.Builder
	e.stderr = &msg
	odd := filepath.Join(dir, "odd.csv")
	moves := []*csplanv1.AccountMove{{AccountId: `0015g00000"X"`, FromCsm: "Smith, Ana", ToCsm: "Ben Lee"}, {AccountId: "a\nb", FromCsm: "x", ToCsm: "y"}}
	if err := writeMoves(e, odd, &csplanv1.RebalanceResult{Moves: moves}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(odd)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{movesHeader, {`0015g00000"X"`, "Smith, Ana", "Ben Lee"}, {"a\nb", "x", "y"}}, rows); diff != "" {
		t.Errorf("rows read back (-want +got):\n%s", diff)
	}
	if !strings.Contains(msg.String(), "warning: the book is infeasible") {
		t.Errorf("an infeasible answer's moves are written without a warning: %q", msg.String())
	}
}

// TestBookDepart: every account of a leaver moves, to a staying CSM; the
// drill's sentence names exactly the answer's months, peak and backfill.
// By hand: e-1 fits only eve, who then carries 21 + 12 + 12 = 45 h of 40
// in 2027-02 and 21 + 12 + 24 = 57 h (142.5%) in 2027-03; a backfill
// opened in 2027-01 starts in 2027-03 and is ramped in 2027-06.
func TestBookDepart(t *testing.T) {
	owned := map[string][]string{}
	csvRows := readCSV(t, rebalanceAccounts)
	for _, row := range csvRows[1:] {
		owned[row[3]] = append(owned[row[3]], row[0])
	}
	for _, leavers := range [][]string{{"cleo"}, {"cleo", "dana"}} {
		args := append(append([]string{}, leavers...), "-f", rebalancePlan, "--band-max", "1.4")
		r := rebalanceAnswer(t, "depart", args...)
		if !r.GetFeasible() {
			t.Fatalf("depart %v: infeasible: %v", leavers, r.GetInfeasibility())
		}
		moved := map[string]string{}
		for _, m := range r.GetMoves() {
			moved[m.GetAccountId()] = m.GetToCsm()
			if slices.Contains(leavers, m.GetToCsm()) {
				t.Errorf("depart %v: %s moves to %s, who leaves", leavers, m.GetAccountId(), m.GetToCsm())
			}
		}
		for _, id := range leavers {
			for _, a := range owned[id] {
				if moved[a] == "" {
					t.Errorf("depart %v: %s's account %s does not move", leavers, id, a)
				}
			}
		}
		for _, c := range r.GetCsms() {
			if c.GetDeparting() != slices.Contains(leavers, c.GetId()) || (c.GetDeparting() && c.GetAccountsAfter() != 0) {
				t.Errorf("depart %v: %s departing %v with %d accounts after", leavers, c.GetId(), c.GetDeparting(), c.GetAccountsAfter())
			}
		}
	}

	r := rebalanceAnswer(t, "depart", "cleo", "-f", rebalancePlan)
	d := r.GetDeparture()
	if !slices.Equal(d.GetMonthsOver(), []string{"2027-02", "2027-03"}) || d.GetPeakUtilization() != 57.0/40 || d.GetBackfillRampedMonth() != "2027-06" {
		t.Fatalf("the drill: %v", d)
	}
	stdout, stderr, code := runCLI(t, "", "book", "depart", "cleo", "-f", rebalancePlan)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	text := oneLine(stdout)
	sentence := regexp.MustCompile(`Until a backfill opened now is ramped in (\S+), at least one staying CSM is above the band in (.*) \(peak ([0-9.]+%) of capacity\)\.`).FindStringSubmatch(text)
	if sentence == nil {
		t.Fatalf("no drill sentence:\n%s", stdout)
	}
	if sentence[1] != d.GetBackfillRampedMonth() || sentence[3] != numfmt.Pct(d.GetPeakUtilization()) ||
		!slices.Equal(strings.Split(strings.ReplaceAll(sentence[2], " and ", ", "), ", "), d.GetMonthsOver()) {
		t.Errorf("the sentence %q is not the answer's %v", sentence[0], d)
	}
	for _, want := range []string{"Departure drill: cleo leaves (Northwind)", "Where cleo's accounts go", "Other moves", "The team after"} {
		if !strings.Contains(text, want) {
			t.Errorf("depart lacks %q:\n%s", want, stdout)
		}
	}
	if diff := cmp.Diff([]string{"e-1", "cleo", "eve", "15", "$900K"}, tableRow(stdout, "e-1")); diff != "" {
		t.Errorf("e-1's row (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"cleo", "(leaves)", "20", "15", "0", "75%", "0%", "1", "0"}, tableRow(stdout, "cleo")); diff != "" {
		t.Errorf("cleo's row (-want +got):\n%s", diff)
	}

	// A backfill ramped in 2027-02 leaves only 2027-01, in which eve
	// carries 33 h of 40: no month over, and the sentence says so.
	quick := writeFile(t, "quick.yaml", "base: "+mustAbs(t, rebalancePlan)+"\nhiring: { time_to_hire_months: 0, ramp_months: 1 }\n")
	r = rebalanceAnswer(t, "depart", "cleo", "-f", quick)
	if len(r.GetDeparture().GetMonthsOver()) != 0 || r.GetDeparture().GetBackfillRampedMonth() != "2027-02" {
		t.Fatalf("the quick drill: %v", r.GetDeparture())
	}
	stdout, _, _ = runCLI(t, "", "book", "depart", "cleo", "-f", quick)
	if want := "No staying CSM is above the band in any month before a backfill opened now is ramped in 2027-02."; !strings.Contains(oneLine(stdout), want) {
		t.Errorf("the quick drill lacks %q:\n%s", want, stdout)
	}

	// ana's 130 h fit no one: ben alone serves Core. An infeasible drill
	// is an answer (exit 0) with the reason and the FTE short, and names
	// no months, since no account was placed.
	r = rebalanceAnswer(t, "depart", "ana", "-f", rebalancePlan)
	if r.GetFeasible() || r.GetInfeasibility().GetFteShort() <= 0 {
		t.Fatalf("depart ana: feasible %v, %v", r.GetFeasible(), r.GetInfeasibility())
	}
	stdout, _, _ = runCLI(t, "", "book", "depart", "ana", "-f", rebalancePlan)
	text = oneLine(stdout)
	for _, want := range []string{
		"Infeasible: " + r.GetInfeasibility().GetReason() + ". The staying CSMs are " + numfmt.Dec(r.GetInfeasibility().GetFteShort(), 2) + " FTE short.",
		"the drill cannot say which months", "The team as it stands",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("depart ana lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(text, "at least one staying CSM is above") {
		t.Errorf("an infeasible drill names months:\n%s", stdout)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestBookRebalanceGuardrails: the plan's section and the flags over it
// reach the service: a frozen account stays, max_moves caps, attributes
// that disagree keep an account where it is.
func TestBookRebalanceGuardrails(t *testing.T) {
	// As of 2027-08-15, r-1's 2027-09-30 renewal is 46 days away: it
	// stays, and two smaller accounts move instead.
	r := rebalanceAnswer(t, "rebalance", "-f", rebalancePlan, "--as-of", "2027-08-15")
	if len(r.GetMoves()) != 2 || slices.ContainsFunc(r.GetMoves(), func(m *csplanv1.AccountMove) bool { return m.GetAccountId() == "r-1" }) {
		t.Errorf("--as-of 2027-08-15: moves %v", r.GetMoves())
	}
	// One move at most is not enough once r-1 is locked.
	locked := writeFile(t, "locked.yaml", "base: "+mustAbs(t, rebalancePlan)+"\nrebalance: { locked_account_ids: [r-1], max_moves: 1 }\n")
	if r := rebalanceAnswer(t, "rebalance", "-f", locked); r.GetFeasible() {
		t.Errorf("r-1 locked, one move: feasible with %v", r.GetMoves())
	}
	if r := rebalanceAnswer(t, "rebalance", "-f", locked, "--max-moves", "2"); !r.GetFeasible() || len(r.GetMoves()) != 2 {
		t.Errorf("--max-moves 2 over the plan's 1: %v %v", r.GetFeasible(), r.GetMoves())
	}
	// ben serves NA, the accounts are EMEA: with region matched, nothing
	// of ana's may go to ben.
	plan, err := os.ReadFile(rebalancePlan)
	if err != nil {
		t.Fatal(err)
	}
	na := strings.Replace(string(plan), "capacity_hours: 100, attributes: { region: EMEA } }\n    - { id: cleo", "capacity_hours: 100, attributes: { region: NA } }\n    - { id: cleo", 1)
	na = strings.Replace(na, "as_of_date: \"2027-01-15\"", "as_of_date: \"2027-01-15\"\n  match_attributes: [region]", 1)
	na = strings.ReplaceAll(na, "accounts_csv: accounts.csv", "accounts_csv: "+mustAbs(t, rebalanceAccounts))
	if r := rebalanceAnswer(t, "rebalance", "-f", writeFile(t, "na.yaml", na)); r.GetFeasible() || len(r.GetMoves()) != 0 {
		t.Errorf("ben in NA: feasible %v, moves %v", r.GetFeasible(), r.GetMoves())
	}
}

// TestBookRebalanceOutputs compares each output with its golden file (go
// test ./cmd/csplan -update rewrites them).
func TestBookRebalanceOutputs(t *testing.T) {
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"book_rebalance", []string{"rebalance", "-f", rebalancePlan, "--frontier", "5"}},
		{"book_rebalance.json", []string{"rebalance", "-f", rebalancePlan, "--frontier", "5", "-o", "json"}},
		{"book_rebalance.html", []string{"rebalance", "-f", rebalancePlan, "--frontier", "5", "-o", "html"}},
		{"book_depart", []string{"depart", "cleo", "-f", rebalancePlan}},
		{"book_depart.html", []string{"depart", "cleo", "-f", rebalancePlan, "-o", "html"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", append([]string{"book"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden(t, tc.golden, stdout)
			if !strings.Contains(tc.golden, ".") {
				for i, l := range strings.Split(stdout, "\n") {
					if n := len([]rune(l)); n > 100 {
						t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
					}
				}
			}
		})
	}
}

// TestBookRebalanceHTML: the page loads nothing, has a row per CSM with
// its utilization before and after coloured by the heat map's bands, the
// frontier chart when asked, and the drill's sentence.
func TestBookRebalanceHTML(t *testing.T) {
	r := rebalanceAnswer(t, "rebalance", "-f", rebalancePlan, "--frontier", "5")
	page, stderr, code := runCLI(t, "", "book", "rebalance", "-f", rebalancePlan, "--frontier", "5", "-o", "html")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	start := strings.Index(page, `<table class="grid rebalance" id="rebalance-csms">`)
	if start < 0 {
		t.Fatal("no before-and-after table")
	}
	grid := page[start : start+strings.Index(page[start:], "</table>")]
	if got := strings.Count(grid, `<th scope="row"`); got != len(r.GetCsms()) {
		t.Errorf("%d rows, want %d", got, len(r.GetCsms()))
	}
	// ana: 130% is over capacity by 30% (the darkest band), 95% the band
	// below capacity; ben's 40% the lightest.
	for _, want := range []string{
		`<td class="hm hm5" title="ana before the moves: 130% of capacity (130 h of 100 h), over capacity"><span aria-hidden="true">▲</span>130%<span class="sr-only"> over capacity</span></td>`,
		`<td class="hm hm3" title="ana after the moves: 95% of capacity (95 h of 100 h)">95%</td>`,
		`<td class="hm hm1" title="ben before the moves: 40% of capacity (40 h of 100 h)">40%</td>`,
	} {
		if !strings.Contains(grid, want) {
			t.Errorf("the table lacks %s", want)
		}
	}
	if !strings.Contains(page, `id="frontier"`) || strings.Count(page, "<svg") != 1 {
		t.Errorf("the frontier chart is missing or not alone")
	}
	for _, bad := range []string{"<script", "<link", `src="http`, `href="http`} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	drill, _, _ := runCLI(t, "", "book", "depart", "cleo", "-f", rebalancePlan, "-o", "html")
	if !strings.Contains(drill, "Until a backfill opened now is ramped in 2027-06, at least one staying CSM is above the band in 2027-02 and 2027-03 (peak 142.5% of capacity).") ||
		!strings.Contains(drill, `cleo <span class="dim sub">leaves</span>`) {
		t.Errorf("the drill's page lacks its sentence or its leaver")
	}
}

// TestBookRebalanceInputs: the argument or stdin over the plan's CSV, any
// batch size, flags after the CSV, a remote server: one answer.
func TestBookRebalanceInputs(t *testing.T) {
	want, _, code := runCLI(t, "", "book", "rebalance", "-f", rebalancePlan, "-o", "json")
	if code != 0 {
		t.Fatal("exit", code)
	}
	csvData, err := os.ReadFile(rebalanceAccounts)
	if err != nil {
		t.Fatal(err)
	}
	srv := servertest.NewServer(t, server.Config{})
	for _, tc := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"rebalance", rebalanceAccounts, "-f", rebalancePlan, "-o", "json"}},
		{string(csvData), []string{"rebalance", "-f", rebalancePlan, "-", "-o", "json", "--batch", "1"}},
		{"", []string{"rebalance", "-f", rebalancePlan, "-o", "json", "--batch", "3", "--server", srv.GRPCAddr}},
	} {
		got, stderr, code := runCLI(t, tc.stdin, append([]string{"book"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v exited %d: %s", tc.args, code, stderr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v differs (-default +got):\n%s", tc.args, diff)
		}
	}
	// book depart tells the CSV from the leavers by its name.
	a, _, _ := runCLI(t, "", "book", "depart", "cleo", "-f", rebalancePlan, "-o", "json")
	b, stderr, code := runCLI(t, string(csvData), "book", "depart", "-f", rebalancePlan, "-", "cleo", "-o", "json")
	if code != 0 || a != b {
		t.Errorf("depart with the CSV on stdin: exit %d %s, answer differs: %v", code, stderr, a != b)
	}
}

func TestBookRebalanceErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		wantErr []string
	}{
		{"no plan", []string{"book", "rebalance", rebalanceAccounts}, 2, []string{"book rebalance needs a plan file"}},
		{"depart without leavers", []string{"book", "depart", "-f", rebalancePlan}, 2, []string{"book depart needs the leaving CSMs' ids"}},
		{"two CSVs", []string{"book", "rebalance", "-f", rebalancePlan, rebalanceAccounts, rebalanceAccounts}, 2, []string{"at most one CSV"}},
		{"bad weight", []string{"book", "rebalance", "-f", rebalancePlan, "--weight", "revenue"}, 2, []string{"--weight", `"revenue" is not a disruption weight (one of accounts, hours, arr)`}},
		{"bad output", []string{"book", "depart", "ana", "-f", rebalancePlan, "-o", "markdown"}, 2, []string{`"markdown" is not table, json or html`}},
		{"out to stdout", []string{"book", "rebalance", "-f", rebalancePlan, "--out", "-"}, 2, []string{"--out names the file"}},
		{"missing CSV", []string{"book", "rebalance", "-f", rebalancePlan, "testdata/rebalance/nope.csv"}, 1, []string{"nope.csv"}},
		{"unknown leaver", []string{"book", "depart", "zed", "-f", rebalancePlan}, 67, []string{"InvalidArgument", "settings.departing_csm_ids[0]", `"zed" is no CSM of the settings`}},
		{"band upside down", []string{"book", "rebalance", "-f", rebalancePlan, "--band-min", "0.9", "--band-max", "0.8"}, 67, []string{"settings.band.min_utilization", "0.9 is above max_utilization 0.8"}},
		{"frontier too long", []string{"book", "rebalance", "-f", rebalancePlan, "--frontier", "21"}, 67, []string{"settings.frontier_points", "0 to 20"}},
		{"bad as-of", []string{"book", "rebalance", "-f", rebalancePlan, "--as-of", "2027-02-30"}, 67, []string{"settings.as_of_date"}},
		{"unknown locked account", []string{"book", "rebalance", "-f", writeFile(t, "lock.yaml", "base: "+mustAbs(t, rebalancePlan)+"\nrebalance: { locked_account_ids: [r-99] }\n")}, 67, []string{"settings.locked_account_ids[0]", `"r-99"`}},
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
