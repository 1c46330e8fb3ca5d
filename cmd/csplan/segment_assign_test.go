package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

const (
	exampleRules    = "../../examples/rules.yaml"
	exampleAccounts = "../../examples/accounts.csv"
)

// TestSegmentationExamples runs segment assign and coverage plan on
// examples/ in process and compares the output with the golden files (go
// test -update rewrites them).
func TestSegmentationExamples(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"segment_assign", []string{"segment", "assign", "--rules", exampleRules, exampleAccounts}},
		{"coverage_plan", []string{"coverage", "plan", "-f", "../../examples/coverage.yaml"}},
	} {
		for _, format := range []string{"table", "json"} {
			t.Run(tc.name+"_"+format, func(t *testing.T) {
				stdout, stderr, code := runCLI(t, "", append(tc.args, "-o", format)...)
				if code != 0 {
					t.Fatalf("csplan %v exited %d: %s", tc.args, code, stderr)
				}
				name := tc.name
				if format == "json" {
					name += ".json"
				}
				golden(t, name, stdout)
			})
		}
	}
}

// TestSegmentAssignFigures checks figures read off the tables against
// hand-computed ones.
func TestSegmentAssignFigures(t *testing.T) {
	csv := "id,name,arr,stage,region\n" +
		"1,Acme,150000,Adoption,EMEA\n" +
		"2,Bolt,250000,adoption,NA\n" +
		"3,Coda,$20k,Renewal,EMEA\n" +
		"4,Dune,0,Trial,NA\n"
	rules := writeFile(t, "rules.yaml", "segments:\n"+
		"  - {name: Enterprise, minArr: 100000, accountsPerCsm: 5}\n"+
		"  - {name: EMEA, minArr: 1, attributes: {region: {values: [emea]}}}\n")
	stdout, stderr, code := runCLI(t, csv, "segment", "assign", "-", "--rules", rules)
	if code != 0 {
		t.Fatalf("exited %d: %s", code, stderr)
	}
	// Enterprise: 2 accounts, $400K of $420K, median $200K, p90 150K +
	// 0.9 x 100K; 2 / 5 = 0.4 FTE, 1 CSM. EMEA: one $20K account on HIGH's
	// ideal max of 30 accounts per CSM, 1/30 FTE.
	wantRows := [][]string{
		{"Enterprise", "HIGH", "2", "$400K", "$200K", "$200K", "$240K", "50%", "95.2%", "5", "0.4", "1"},
		{"EMEA", "HIGH", "1", "$20K", "$20K", "$20K", "$20K", "25%", "4.8%", "30", "0.03", "1"},
		{"unassigned", "-", "1", "$0", "$0", "$0", "$0", "25%", "0%", "-", "-", "-"},
		{"TOTAL", "4", "$420K", "0.43", "2"},
	}
	for _, want := range wantRows {
		if diff := cmp.Diff(want, tableRow(stdout, want[0])); diff != "" {
			t.Errorf("row %s (-want +got):\n%s", want[0], diff)
		}
	}
	for _, want := range []string{"Book: 4 accounts, $420K ARR", "1 account matches no rule"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// tableRow returns the cells of the first line that starts with first.
func tableRow(out, first string) []string {
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == first {
			return f
		}
	}
	return nil
}

// TestSegmentAssignBatchesAgree checks that the batch size changes how the
// book travels, not the answer, and that flags may follow the CSV file.
func TestSegmentAssignBatchesAgree(t *testing.T) {
	want, _, code := runCLI(t, "", "segment", "assign", "--rules", exampleRules, exampleAccounts, "-o", "json")
	if code != 0 {
		t.Fatalf("exited %d", code)
	}
	for _, batch := range []string{"1", "7", "100000"} {
		got, stderr, code := runCLI(t, "", "segment", "assign", exampleAccounts, "--rules", exampleRules, "--batch", batch, "-o", "json")
		if code != 0 {
			t.Fatalf("--batch %s exited %d: %s", batch, code, stderr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("--batch %s differs (-default +got):\n%s", batch, diff)
		}
	}
}

func TestSegmentAssignRemoteMatchesInProcess(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})

	for _, args := range [][]string{
		{"segment", "assign", "--rules", exampleRules, exampleAccounts},
		{"coverage", "plan", "-f", "../../examples/coverage.yaml"},
	} {
		local, _, code := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("in-process %v exited %d", args, code)
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

func TestSegmentationErrors(t *testing.T) {
	badCSV := writeFile(t, "book.csv", "id,arr,stage,industry\nA-1,1000,Adoption,Retail\nA-2,lots,Renewal,Retail\n")
	noIndustry := writeFile(t, "noindustry.csv", "id,arr,Sector\nA-1,1000,Retail\n")
	noARR := writeFile(t, "noarr.csv", "id,stage\nA-1,Adoption\n")
	badRules := writeFile(t, "bad.yaml", "segments:\n  - {name: A, minArr: 500, maxArr: 100}\n  - {name: a}\n")
	typo := writeFile(t, "typo.yaml", "segments:\n  - name: A\n    minARR: 5\n")
	cases := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  []string
	}{
		{"no rules flag", "", []string{"segment", "assign", exampleAccounts}, 2, []string{"--rules FILE is required"}},
		{"no CSV", "", []string{"segment", "assign", "--rules", exampleRules}, 2, []string{"one CSV file"}},
		{"two CSVs", "", []string{"segment", "assign", "--rules", exampleRules, exampleAccounts, exampleAccounts}, 2, []string{"one CSV file"}},
		{"bad batch", "", []string{"segment", "assign", "--rules", exampleRules, "--batch", "0", exampleAccounts}, 2, []string{"--batch"}},
		{"missing CSV file", "", []string{"segment", "assign", "--rules", exampleRules, "nope.csv"}, 1, []string{"nope.csv"}},
		{"bad CSV cell", "", []string{"segment", "assign", "--rules", exampleRules, badCSV}, 67, []string{badCSV + ":3:", `column "arr"`, `"lots"`}},
		{"CSV without arr", "", []string{"segment", "assign", "--rules", exampleRules, noARR}, 67, []string{noARR + ":1:", "no arr column"}},
		{"rule on a column the CSV lacks", "", []string{"segment", "assign", "--rules", exampleRules, noIndustry}, 67,
			[]string{"rules.yaml: segments[1].attributes.industry: " + noIndustry + ` has no column "industry": its headers are ["id" "arr" "Sector"]`, "--column industry=HEADER"}},
		{"misspelt rules key", "", []string{"segment", "assign", "--rules", typo, exampleAccounts}, 67, []string{"minARR", "3:"}},
		{"invalid rules", "", []string{"segment", "assign", "--rules", badRules, exampleAccounts}, 64 + 3,
			[]string{"InvalidArgument", "rules.segments[0].min_arr", "rules.segments[1].name"}},
		{"coverage without subcommand", "", []string{"coverage"}, 2, []string{"plan"}},
		{"coverage unknown subcommand", "", []string{"coverage", "price"}, 2, []string{`"price"`}},
		{"coverage invalid", "segments:\n  - {name: A, accounts: 10, arr: 100}\n", []string{"coverage", "plan", "-f", "-"}, 64 + 3,
			[]string{"InvalidArgument", "csm_loaded_cost"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCLI(t, tc.stdin, tc.args...)
			if code != tc.wantCode {
				t.Errorf("csplan %v exited %d, want %d (stderr %q)", tc.args, code, tc.wantCode, stderr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q lacks %q", stderr, want)
				}
			}
		})
	}
}

// writeFile writes content to a file in a fresh directory and returns its
// path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
