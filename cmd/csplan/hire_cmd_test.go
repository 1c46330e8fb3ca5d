package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// TestHireExamples runs the hire subcommands on examples/ in process and
// compares the output with the golden files (go test -update rewrites
// them).
func TestHireExamples(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"hire_cost", []string{"hire", "cost", "-f", "../../examples/hire.yaml"}},
		{"hire_evaluate", []string{"hire", "evaluate", "-f", "../../examples/team.yaml"}},
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

// TestHireFigures checks the figures people read off the tables: seed 004's
// $150K loaded CSM at $12,500 a month, and its team told to hold.
func TestHireFigures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"seed 004 cost", "baseSalary: 100000\n", []string{"hire", "cost", "-f", "-"},
			[]string{"$150,000 a year, $12,500 a month", "$37,500 of the loaded cost"}},
		{"seed 004 team", "arr: 4000000\ncsmCount: 5\nhire: {baseSalary: 100000}\nload: {workloadCsmFte: 5.5}\n", []string{"hire", "evaluate", "-f", "-"},
			[]string{"Verdict: HOLD", "$667K", "$1.00M milestone"}},
		{"hire later", "arr: 6000000\ncsmCount: 5\nhire: {baseSalary: 100000}\ntriggerMonth: \"2031-06\"\nasOfMonth: \"2031-01\"\n", []string{"hire", "evaluate", "-f", "-"},
			[]string{"Verdict: HIRE_LATER (hire by 2031-06)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, tc.stdin, tc.args...)
			if code != 0 {
				t.Fatalf("csplan %v exited %d: %s", tc.args, code, stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, stdout)
				}
			}
		})
	}
}

func TestHireErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  []string
	}{
		{"no subcommand", "", []string{"hire"}, 2, []string{"cost or evaluate"}},
		{"unknown subcommand", "", []string{"hire", "fire"}, 2, []string{`"fire"`}},
		{"missing file flag", "", []string{"hire", "cost"}, 2, []string{"-f FILE is required"}},
		{"stray argument", "", []string{"hire", "cost", "-f", "-", "extra"}, 2, []string{"extra"}},
		{"unknown YAML key", "baseSalry: 100000\n", []string{"hire", "cost", "-f", "-"}, 67, []string{"baseSalry", "1:"}},
		{"both multiplier and itemized", "baseSalary: -1\nloadedCostMultiplier: 1.5\nitemized: {}\nrampMonths: 25\n", []string{"hire", "cost", "-f", "-"}, 64 + 3,
			[]string{"InvalidArgument", "base_salary", "loaded_cost_multiplier", "ramp_months"}},
		{"bad hire in an evaluation", "arr: 4000000\ncsmCount: 5\nhire: {baseSalary: 100000, recruitingFeeShare: 1.5}\n", []string{"hire", "evaluate", "-f", "-"}, 64 + 3,
			[]string{"hire.recruiting_fee_share"}},
		{"bad hire cost in a forecast", "accounts: 10\ncsmCount: 1\nhireCost: {baseSalary: -5}\n", []string{"capacity", "forecast", "-f", "-"}, 64 + 3,
			[]string{"hire_cost.base_salary"}},
	} {
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

// TestHireRemoteMatchesInProcess calls a real server with --server and
// expects the in-process answer.
func TestHireRemoteMatchesInProcess(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})

	for _, args := range [][]string{
		{"hire", "cost", "-f", "../../examples/hire.yaml"},
		{"hire", "evaluate", "-f", "../../examples/team.yaml"},
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
