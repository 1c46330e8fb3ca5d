package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// TestSegmentSuggestExamples runs segment suggest on examples/accounts.csv
// in process and compares the output with the golden files (go test
// -update rewrites them).
func TestSegmentSuggestExamples(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"segment_suggest", []string{"segment", "suggest", exampleAccounts}},
		{"segment_suggest_5", []string{"segment", "suggest", exampleAccounts, "--tiers", "5"}},
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

// TestSegmentSuggestFigures checks the table against hand-computed
// figures: three groups ($1K, $50K, $2M) and an account without ARR.
func TestSegmentSuggestFigures(t *testing.T) {
	csv := "id,name,arr\n" +
		"1,Ant,1k\n2,Bee,1.1k\n3,Cat,1.2k\n" +
		"4,Doe,48k\n5,Elk,50k\n6,Fox,52k\n" +
		"7,Gnu,2M\n8,Hen,2.1M\n" +
		"9,Ibis,0\n"
	stdout, stderr, code := runCLI(t, csv, "segment", "suggest", "-")
	if code != 0 {
		t.Fatalf("exited %d: %s", code, stderr)
	}
	// ARR $4,253,300. Boundaries: sqrt(52,000 x 2M) = 322,490 -> $320,000
	// and sqrt(1,200 x 48,000) = 7,589 -> $7,600. Shares: 4.1M / 4.2533M =
	// 96.4%, 150K / 4.2533M = 3.5%, 3.3K / 4.2533M = 0.08%.
	wantRows := [][]string{
		{"Tier", "1", "$2,000,000", "-", "$2,100,000", "$320,000", "2", "$4.10M", "96.4%"},
		{"Tier", "2", "$48,000", "-", "$52,000", "$7,600", "3", "$150K", "3.5%"},
		{"Tier", "3", "$1,000", "-", "$1,200", "-", "3", "$3.3K", "0.1%"},
	}
	lines := tierLines(stdout)
	if diff := cmp.Diff(wantRows, lines); diff != "" {
		t.Errorf("tier rows (-want +got):\n%s\n%s", diff, stdout)
	}
	// Nine accounts: the top 10% is 1 account ($2.1M, 49.4%), the top 20%
	// 2 accounts ($4.1M, 96.4%).
	for _, want := range []string{
		"Book: 9 accounts, $4.25M ARR (1 account without ARR, in no tier)",
		"the top 10% of accounts (1) hold 49.4% of ARR, the top 20% (2) hold 96.4%.",
		"tiers   3 ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// tierLines returns the cells of the table's tier rows.
func tierLines(out string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "Tier ") {
			rows = append(rows, strings.Fields(line))
		}
	}
	return rows
}

// TestSegmentSuggestBatchesAgree checks that the batch size changes how
// the book travels, not the answer, and that flags may follow the file.
func TestSegmentSuggestBatchesAgree(t *testing.T) {
	want, _, code := runCLI(t, "", "segment", "suggest", "--tiers", "4", exampleAccounts, "-o", "json")
	if code != 0 {
		t.Fatalf("exited %d", code)
	}
	for _, batch := range []string{"1", "7", "100000"} {
		got, stderr, code := runCLI(t, "", "segment", "suggest", exampleAccounts, "--batch", batch, "--tiers", "4", "-o", "json")
		if code != 0 {
			t.Fatalf("--batch %s exited %d: %s", batch, code, stderr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("--batch %s differs (-default +got):\n%s", batch, diff)
		}
	}
}

func TestSegmentSuggestRemoteMatchesInProcess(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})

	args := []string{"segment", "suggest", exampleAccounts, "--tiers", "6"}
	local, _, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("in-process run exited %d", code)
	}
	remote, stderr, code := runCLI(t, "", append(args, "--server", srv.GRPCAddr)...)
	if code != 0 {
		t.Fatalf("remote run exited %d: %s", code, stderr)
	}
	if diff := cmp.Diff(local, remote); diff != "" {
		t.Errorf("remote output differs from in-process (-local +remote):\n%s", diff)
	}
}

func TestSegmentSuggestErrors(t *testing.T) {
	badCSV := writeFile(t, "book.csv", "id,arr\nA-1,1000\nA-2,-50\n")
	cases := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  []string
	}{
		{"no CSV", "", []string{"segment", "suggest"}, 2, []string{"one CSV file"}},
		{"bad batch", "", []string{"segment", "suggest", "--batch", "0", exampleAccounts}, 2, []string{"--batch"}},
		{"tiers not a number", "", []string{"segment", "suggest", "--tiers", "three", exampleAccounts}, 2, []string{"-tiers"}},
		{"nine tiers", "", []string{"segment", "suggest", "--tiers", "9", exampleAccounts}, 64 + 3, []string{"InvalidArgument", "settings.tiers"}},
		{"one tier", "", []string{"segment", "suggest", "--tiers", "1", exampleAccounts}, 64 + 3, []string{"settings.tiers"}},
		{"missing CSV file", "", []string{"segment", "suggest", "nope.csv"}, 1, []string{"nope.csv"}},
		{"negative ARR", "", []string{"segment", "suggest", badCSV}, 67, []string{badCSV + ":3:", `column "arr"`, "negative"}},
		{"empty stdin", "", []string{"segment", "suggest", "-"}, 67, []string{"stdin:1:", "empty"}},
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

// TestSegmentSuggestNoARR: a book without ARR has no tiers, and says so.
func TestSegmentSuggestNoARR(t *testing.T) {
	stdout, stderr, code := runCLI(t, "id,arr\n1,0\n2,\n", "segment", "suggest", "-")
	if code != 0 {
		t.Fatalf("exited %d: %s", code, stderr)
	}
	for _, want := range []string{"Book: 2 accounts, $0 ARR (2 accounts without ARR, in no tier)", "nothing to tier"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}
