package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// runCLI runs the command as main would and returns its output and exit
// code.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	if err != nil {
		printError(&errOut, err)
	}
	return out.String(), errOut.String(), exitCode(err)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
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
		t.Errorf("%s differs from %s (-want +got):\n%s", name, path, diff)
	}
}

// TestExamples runs every client subcommand on examples/ in process, as
// the README shows, and compares the output with the golden files.
func TestExamples(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"capacity_compute", []string{"capacity", "compute", "-f", "../../examples/capacity.yaml"}},
		{"capacity_evaluate", []string{"capacity", "evaluate", "-f", "../../examples/evaluate.yaml"}},
		{"capacity_forecast", []string{"capacity", "forecast", "-f", "../../examples/forecast.yaml"}},
		{"benchmarks", []string{"benchmarks"}},
	}
	for _, tc := range cases {
		for _, format := range []string{"table", "json"} {
			t.Run(tc.name+"_"+format, func(t *testing.T) {
				stdout, stderr, code := runCLI(t, "", append(tc.args, "-o", format)...)
				if code != 0 {
					t.Fatalf("csplan %v exited %d: %s", tc.args, code, stderr)
				}
				ext := ""
				if format == "json" {
					ext = ".json"
				}
				golden(t, tc.name+ext, stdout)
			})
		}
	}
}

// TestRemoteMatchesInProcess calls a real server with --server and expects
// the same answer as the in-process run.
func TestRemoteMatchesInProcess(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})

	args := []string{"capacity", "compute", "-f", "../../examples/capacity.yaml"}
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

func TestErrors(t *testing.T) {
	cases := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  []string
	}{
		{"no command", "", nil, 2, nil},
		{"unknown command", "", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
		{"unknown subcommand", "", []string{"capacity", "guess"}, 2, []string{"compute, evaluate or forecast"}},
		{"missing file flag", "", []string{"capacity", "compute"}, 2, []string{"-f FILE is required"}},
		{"bad output flag", "", []string{"benchmarks", "-o", "xml"}, 2, []string{`"xml"`}},
		{"unknown YAML key", "csmCount: 5\nacounts: 10\n", []string{"capacity", "evaluate", "-f", "-"}, 67, []string{"acounts", "2:"}},
		{"invalid request", "segments:\n  - name: A\n    accounts: 10\n    playbook:\n      touchpoints:\n        - {name: x, hours: -1, cadence: CADENCE_MONTHLY}\n",
			[]string{"capacity", "compute", "-f", "-"}, 64 + 3, []string{"InvalidArgument", "segments[0].playbook.touchpoints[0].hours"}},
		{"horizon too long", "horizonMonths: 121\naccounts: 10\ncsmCount: 1\n", []string{"capacity", "forecast", "-f", "-"}, 64 + 3, []string{"horizon_months"}},
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
