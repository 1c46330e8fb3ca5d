package main

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPlanRebalancing: a plan with a rebalance section and an accounts CSV
// gains the "Rebalancing" section in text, Markdown and HTML, with book
// rebalance's figures; its JSON is the plan's answer alone; a refused
// value is at its plan line.
func TestPlanRebalancing(t *testing.T) {
	r := rebalanceAnswer(t, "rebalance", "-f", rebalancePlan)
	text, stderr, code := runCLI(t, "", "plan", "-f", rebalancePlan)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	i := strings.Index(text, "Rebalancing\n-----------")
	if i < 0 {
		t.Fatalf("no Rebalancing section:\n%s", text)
	}
	section := text[i:]
	section = section[:strings.Index(section, "\nOne hire\n")]
	for _, want := range []string{"Feasible: 1 move, a disruption of 1 account, proven optimal", "Rebalancing assumptions"} {
		if !strings.Contains(oneLine(section), want) {
			t.Errorf("the section lacks %q:\n%s", want, section)
		}
	}
	m := r.GetMoves()[0]
	if diff := cmp.Diff([]string{m.GetAccountId(), m.GetFromCsm(), m.GetToCsm(), "35", "$200K"}, tableRow(section, "r-1")[:5]); diff != "" {
		t.Errorf("the move (-want +got):\n%s", diff)
	}
	md, _, _ := runCLI(t, "", "plan", "-f", rebalancePlan, "-o", "markdown")
	if !strings.Contains(md, "## Rebalancing\n") || !strings.Contains(md, "| r-1 | ana | ben | 35 | $200K |") {
		t.Errorf("the Markdown lacks the section or its move")
	}
	page, _, _ := runCLI(t, "", "plan", "-f", rebalancePlan, "-o", "html")
	if !strings.Contains(page, `<h2 id="rebalancing">Rebalancing</h2>`) || !strings.Contains(page, `id="rebalance-csms"`) || !strings.Contains(page, `<a href="#rebalancing">`) {
		t.Errorf("the HTML lacks the section, its table or its entry in the contents")
	}

	// The JSON is RunPlan's answer, the same as without the section.
	plan, _ := os.ReadFile(rebalancePlan)
	without := strings.ReplaceAll(string(plan[:strings.Index(string(plan), "rebalance:\n")]), "accounts_csv: accounts.csv", "accounts_csv: "+mustAbs(t, rebalanceAccounts))
	a, _, _ := runCLI(t, "", "plan", "-f", rebalancePlan, "-o", "json")
	b, _, _ := runCLI(t, "", "plan", "-f", writeFile(t, "without.yaml", without), "-o", "json")
	if a != b || strings.Contains(a, `"moves"`) {
		t.Errorf("the plan's JSON changes with its rebalance section")
	}
	if noSection, _, _ := runCLI(t, "", "plan", "-f", writeFile(t, "without2.yaml", without)); strings.Contains(noSection, "Rebalancing") {
		t.Errorf("a plan without the section has a Rebalancing section")
	}

	// A drill in the plan: its sentence, as book depart writes it.
	drill, _, code := runCLI(t, "", "plan", "-f", rebalancePlan, "--set", "rebalance.departing_csm_ids=[cleo]")
	if code != 0 || !strings.Contains(oneLine(drill), "Until a backfill opened now is ramped in 2027-06, at least one staying CSM is above the band in 2027-02 and 2027-03 (peak 142.5% of capacity).") ||
		!strings.Contains(drill, "Where cleo's accounts go") {
		t.Errorf("the plan's drill (exit %d):\n%s", code, drill)
	}

	// A value the book service refuses is a mistake in the plan: its key
	// and line, exit 67.
	badPlan := strings.Replace(string(plan), "max_utilization: 1.0", "max_utilization: 0.4", 1)
	bad := writeFile(t, "bad.yaml", strings.ReplaceAll(badPlan, "accounts_csv: accounts.csv", "accounts_csv: "+mustAbs(t, rebalanceAccounts)))
	_, stderr, code = runCLI(t, "", "plan", "-f", bad)
	line := 1 + strings.Count(badPlan[:strings.Index(badPlan, "  min_utilization:")], "\n")
	if want := bad + ":" + strconv.Itoa(line) + ": rebalance.min_utilization: 0.5 is above max_utilization 0.4"; code != 67 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want 67 and %q", code, stderr, want)
	}

	// Without an accounts CSV there is nothing to move: the plan runs,
	// and stderr says why the report has no rebalancing.
	inline := writeFile(t, "inline.yaml", "segments:\n  - { name: All, accounts: 10, arr: 100000, team: { csms: 1 } }\nhiring: { base_salary: 100000 }\nrebalance: {}\n")
	out, stderr, code := runCLI(t, "", "plan", "-f", inline)
	if code != 0 || strings.Contains(out, "Rebalancing") || !strings.Contains(stderr, "the rebalance section needs the accounts") {
		t.Errorf("an inline plan with a rebalance section: exit %d, stderr %q", code, stderr)
	}
}
