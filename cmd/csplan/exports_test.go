package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCRMExports reads a Salesforce, a HubSpot and a European export (a
// custom ARR header, semicolons, decimal commas, euro amounts) as they
// come, through segment assign and segment suggest with flags only, and a
// plan with book.columns only: every account and every euro of ARR is
// counted, with no edit to the files.
func TestCRMExports(t *testing.T) {
	const dir = "../../examples/exports/"
	europe := []string{"--delimiter", ";", "--decimal-separator", ",", "--column", "id=Kundennummer", "--column", "name=Firma",
		"--column", "arr=Jahresumsatz (EUR)", "--column", "stage=Phase", "--column", "industry=Branche"}
	for _, tc := range []struct {
		file     string
		flags    []string
		accounts int
		arr      float64
	}{
		{"salesforce.csv", nil, 8, 464_450},
		{"hubspot.csv", nil, 6, 263_900},
		{"europe.csv", europe, 6, 262_250.5},
	} {
		args := append([]string{"segment", "assign", "--rules", exampleRules, dir + tc.file, "-o", "json"}, tc.flags...)
		stdout, stderr, code := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: segment assign exited %d: %s", tc.file, code, stderr)
		}
		var got struct {
			TotalAccounts int     `json:"totalAccounts"`
			TotalArr      float64 `json:"totalArr"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		if got.TotalAccounts != tc.accounts || got.TotalArr != tc.arr {
			t.Errorf("%s: %d accounts, ARR %v; want %d, %v", tc.file, got.TotalAccounts, got.TotalArr, tc.accounts, tc.arr)
		}
		args = append([]string{"segment", "suggest", "--tiers", "2", dir + tc.file}, tc.flags...)
		if _, stderr, code := runCLI(t, "", args...); code != 0 {
			t.Errorf("%s: segment suggest exited %d: %s", tc.file, code, stderr)
		}
	}
	stdout, stderr, code := runCLI(t, "", "plan", "-f", dir+"europe-plan.yaml")
	if code != 0 {
		t.Fatalf("the European plan exited %d: %s", code, stderr)
	}
	if !strings.Contains(strings.Join(strings.Fields(stdout), " "), "Book: 5 accounts and €262K ARR, from the accounts. Left out as not customers (book.customer_stages or book.exclude_stages), beside it: 1 account, €0 ARR; revenue €262K") {
		t.Errorf("the European plan's book:\n%s", stdout)
	}
	// Read without its decimal separator, the file is refused at the cell
	// that would have been misread, never read as €125 and the like.
	noDecimal := append([]string{"segment", "assign", "--rules", exampleRules, dir + "europe.csv"}, europe[:2]...)
	noDecimal = append(noDecimal, europe[4:]...)
	_, stderr, code = runCLI(t, "", noDecimal...)
	want := `europe.csv:2: column "Jahresumsatz (EUR)": "125.000,00 €" is not an amount: it reads as 125000.00 with ',' as the decimal separator, but this file's is '.'`
	if code == 0 || !strings.Contains(stderr, want) {
		t.Errorf("the European export without its decimal separator: exit %d, %s\nwant %s", code, stderr, want)
	}
}

// TestSkippedRowsAreListed: with --max-bad-rows a bad row is skipped and
// listed with its line, column and reason; one more than allowed fails
// the command at that row.
func TestSkippedRowsAreListed(t *testing.T) {
	csv := "id,arr,industry\nA,100,x\nB,-5,x\nC,abc,x\nA,7,x\nD,200,x\n"
	stdout, stderr, code := runCLI(t, csv, "segment", "assign", "--rules", exampleRules, "-", "-o", "json", "--max-bad-rows", "2", "--duplicates", "first")
	if code != 0 {
		t.Fatalf("exited %d: %s", code, stderr)
	}
	for _, want := range []string{"3 rows of stdin were skipped:", `stdin:3: column "arr": "-5" is negative`, `stdin:4: column "arr": "abc" is not an amount`,
		`stdin:5: column "id": id "A" was read on line 2: the first row counts (duplicates: first)`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// A (the first row) and D: the skipped rows are not counted.
	if !strings.Contains(stdout, `"totalAccounts": 2,`) || !strings.Contains(stdout, `"totalArr": 300,`) {
		t.Errorf("the answer counts other than A and D:\n%s", stdout)
	}
	_, stderr, code = runCLI(t, csv, "segment", "assign", "--rules", exampleRules, "-", "--max-bad-rows", "1")
	if code == 0 || !strings.Contains(stderr, "stdin:4:") || !strings.Contains(stderr, "one bad row more than the 1 max_bad_rows allows") {
		t.Errorf("past --max-bad-rows: exit %d, %s", code, stderr)
	}
	_, stderr, code = runCLI(t, csv, "segment", "assign", "--rules", exampleRules, "-", "--column", "arr")
	if code == 0 || !strings.Contains(stderr, `"arr" is not FIELD=HEADER`) {
		t.Errorf("a bad --column: exit %d, %s", code, stderr)
	}
}

// TestReportListsSkippedRows: a plan whose CSV has bad rows within
// book.max_bad_rows runs, and its report's "Data quality" section lists
// each skipped row with its line, column and reason, as stderr does.
func TestReportListsSkippedRows(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "book.csv")
	if err := os.WriteFile(csv, []byte("id,arr,stage\nA,1000,Customer\nB,lots,Customer\nC,500,Prospect\nA,7,Customer\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join(dir, "plan.yaml")
	body := "company: Skipper\nstart_month: \"2027-01\"\nbook:\n  accounts_csv: book.csv\n  max_bad_rows: 1\n  duplicates: first\n  customer_stages: [Customer]\n" +
		"segments:\n  - { name: All, match: {}, accounts_per_csm: 50, team: { csms: 1 } }\nhiring: { base_salary: 100000 }\n"
	if err := os.WriteFile(plan, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "", "plan", "-f", plan, "-o", "markdown")
	if code != 0 {
		t.Fatalf("exited %d: %s", code, stderr)
	}
	for _, want := range []string{
		"## Data quality",
		"- 1 account ($500 ARR) left out as not customers, by book.customer_stages or book.exclude_stages.",
		"- 2 rows of the CSV were skipped, each listed below (book.max_bad_rows, book.duplicates).",
		"| " + csv + " | 3 | arr | \"lots\" is not an amount",
		"| " + csv + " | 5 | id | id \"A\" was read on line 2: the first row counts (duplicates: first) |",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "2 rows of "+csv+" were skipped:") {
		t.Errorf("stderr: %s", stderr)
	}
}

// TestPlanReadingFlags: the reading flags override a plan's book.* keys,
// so that a plan reads an export it was not written for.
func TestPlanReadingFlags(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "book.csv"), []byte("Kunde;Umsatz\nK-1;\"1.200,50\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(plan, []byte("company: Y\nstart_month: \"2027-01\"\nbook: { accounts_csv: book.csv }\nsegments:\n  - { name: All, match: {}, accounts_per_csm: 50, team: { csms: 1 } }\nhiring: { base_salary: 100000 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "", "plan", "-f", plan, "-o", "json", "--column", "id=Kunde", "--column", "arr=Umsatz", "--decimal-separator", ",")
	if code != 0 || !strings.Contains(stdout, `"totalArr":1200.5,`) {
		t.Fatalf("exit %d: %s\n%.300s", code, stderr, stdout)
	}
	_, stderr, code = runCLI(t, "", "plan", "-f", plan)
	if code != 67 || !strings.Contains(stderr, "no arr column") {
		t.Errorf("without the flags: exit %d, %s", code, stderr)
	}
}

// TestSegmentAssignWarnsOfAnEmptyRule: a rule that matches no account of
// the book is said, not passed over.
func TestSegmentAssignWarnsOfAnEmptyRule(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(rules, []byte("segments:\n  - { name: APAC, attributes: { region: [APAC] } }\n  - { name: Rest }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "id,arr,region\nA,100,EMEA\nB,200,NA\n", "segment", "assign", "--rules", rules, "-")
	if code != 0 || !strings.Contains(stdout, "Warning: the rule APAC matches none of the book's 2 accounts") || strings.Contains(stdout, "the rule Rest matches none") {
		t.Errorf("exit %d: %s\n%s", code, stderr, stdout)
	}
}
