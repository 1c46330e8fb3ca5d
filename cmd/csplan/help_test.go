package main

import (
	"context"
	"runtime/debug"
	"strings"
	"testing"
)

// TestHelpEverywhere: csplan --help, every group's --help and every leaf's
// --help exit 0 with text a person can use: a group lists its
// subcommands with a line each, a leaf gives its usage, a description,
// its arguments (when it takes any), an example and its flags.
func TestHelpEverywhere(t *testing.T) {
	var walk func(n *cmdNode, path []string)
	walk = func(n *cmdNode, path []string) {
		for _, flag := range []string{"--help", "-h"} {
			args := append(append([]string{}, path...), flag)
			stdout, stderr, code := runCLI(t, "", args...)
			if code != 0 {
				t.Errorf("csplan %v exited %d: %s", args, code, stderr)
				continue
			}
			for _, s := range n.subs {
				if !strings.Contains(stdout, "  "+s.name+" ") || !strings.Contains(stdout, s.summary) {
					t.Errorf("csplan %v does not list %s with its summary:\n%s", args, s.name, stdout)
				}
			}
			if n.usage != "" {
				for _, want := range []string{"Usage: csplan " + n.usage, strings.Fields(n.about)[0], "Example:\n  " + n.example} {
					if !strings.Contains(stdout, want) {
						t.Errorf("csplan %v lacks %q:\n%s", args, want, stdout)
					}
				}
				if n.args != "" && !strings.Contains(stdout, "Arguments:") {
					t.Errorf("csplan %v lacks its arguments:\n%s", args, stdout)
				}
				if n.name != "version" && n.name != "completion" && !strings.Contains(stdout, "Flags:\n  -") {
					t.Errorf("csplan %v lacks its flags:\n%s", args, stdout)
				}
			}
		}
		for _, s := range n.subs {
			walk(s, append(append([]string{}, path...), s.name))
		}
	}
	walk(commandTree(), nil)
}

// TestGroupWithoutSubcommand: a group called alone is a usage error (exit
// 2) that names its subcommands; an unknown one says which exist.
func TestGroupWithoutSubcommand(t *testing.T) {
	for args, want := range map[string]string{
		"capacity":       "capacity needs a subcommand: compute, evaluate or forecast",
		"segment frob":   `unknown segment subcommand "frob": use assign or suggest`,
		"frob":           `unknown command "frob"`,
		"":               "no command given",
		"coverage --foo": `unknown coverage subcommand "--foo": use plan`,
	} {
		_, stderr, code := runCLI(t, "", strings.Fields(args)...)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("csplan %s = %d %q, want 2 and %q", args, code, stderr, want)
		}
	}
}

func TestVersion(t *testing.T) {
	stdout, stderr, code := runCLI(t, "", "version")
	if code != 0 || !strings.HasPrefix(stdout, "csplan ") || !strings.Contains(stdout, "go1.") {
		t.Fatalf("version = %d %q %q", code, stdout, stderr)
	}
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-12-02T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got, want := versionText(info, true), "csplan v1.2.3, revision abc123 of 2026-12-02T10:00:00Z, with uncommitted changes, go1.26.8"; got != want {
		t.Errorf("versionText = %q, want %q", got, want)
	}
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{"bash": "complete -o default -F _csplan csplan", "zsh": "compdef _csplan csplan", "fish": "complete -c csplan"} {
		stdout, _, code := runCLI(t, "", "completion", shell)
		if code != 0 || !strings.Contains(stdout, want) || !strings.Contains(stdout, "csplan __complete") {
			t.Errorf("completion %s = %d %q", shell, code, stdout)
		}
	}
	if _, _, code := runCLI(t, "", "completion", "powershell"); code != 2 {
		t.Errorf("completion powershell exited %d, want 2", code)
	}
	// The last word is the one being completed.
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{""}, "serve\ncapacity\nbenchmarks\nsegment\ncoverage\nhire\nplan\nbook\nversion\ncompletion\n"},
		{[]string{"se"}, "serve\nsegment\n"},
		{[]string{"segment", "a"}, "assign\n"},
		{[]string{"segment", "assign", "--ru"}, "--rules\n"},
		{[]string{"segment", "assign", "--max"}, "--max-bad-rows\n"},
		{[]string{"plan", "d"}, "diff\n"},
		{[]string{"book", "a"}, "analyze\n"},
		{[]string{"book", "d"}, "depart\n"},
		{[]string{"book", "rebalance", "--band"}, "--band-max\n--band-min\n"},
		{[]string{"book", "depart", "--fr"}, "--frontier\n"},
		{[]string{"book", "analyze", "--hor"}, "--horizon\n"},
		{[]string{"capacity", "forecast", "--tim"}, "--timeout\n"},
		{[]string{"plan", "-f", "ex"}, ""},
	} {
		var out strings.Builder
		complete(context.Background(), commandTree(), tc.words, env{stdout: &out})
		if out.String() != tc.want {
			t.Errorf("complete %q = %q, want %q", tc.words, out.String(), tc.want)
		}
	}
}
