package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

// cmdNode is one command of the tree: a group of subcommands, a leaf that
// runs, or both (plan runs, and plan diff is its subcommand). Help,
// dispatch and shell completion all read this one tree.
type cmdNode struct {
	name    string
	summary string // one line, in the parent's list
	usage   string // after "csplan ", for a leaf
	about   string // what the command does, a paragraph
	args    string // its arguments, for a leaf that takes any
	example string
	run     func(context.Context, []string, env) error
	subs    []*cmdNode
}

// sub runs a group's dispatcher with the subcommand's name in front, so
// that the groups' own checks stay where they are.
func sub(group func(context.Context, []string, env) error, name string) func(context.Context, []string, env) error {
	return func(ctx context.Context, args []string, e env) error {
		return group(ctx, append([]string{name}, args...), e)
	}
}

func commandTree() *cmdNode {
	return &cmdNode{name: "csplan", summary: "csplan plans Customer Success capacity.", subs: []*cmdNode{
		{name: "serve", summary: "run the gRPC and REST server", usage: "serve [flags]",
			about:   "Serves CapacityService, SegmentationService, HiringService, PlanningService and BookService over gRPC and REST (with /openapi.json, /metrics and /healthz) until interrupted, then drains calls in flight.",
			example: "csplan serve --grpc-addr :9090 --http-addr :8080", run: runServe},
		{name: "capacity", summary: "what a CSM can carry, a team's load, a forecast", subs: []*cmdNode{
			{name: "compute", summary: "accounts and ARR a CSM can carry, bottom-up from the playbook", usage: "capacity compute -f FILE.yaml [flags]",
				about: "Computes each segment's accounts per CSM and the team's FTE from a ComputeCapacityRequest: available hours, the playbook's hours per account, the ratio.",
				args:  "-f FILE.yaml  the request (YAML or JSON; - for stdin)", example: "csplan capacity compute -f examples/capacity.yaml", run: sub(runCapacity, "compute")},
			{name: "evaluate", summary: "whether a team carries its book today, with guardrails", usage: "capacity evaluate -f FILE.yaml [flags]",
				about: "Evaluates a team's load against its capacity and the benchmarks' guardrails (accounts, ARR, churn and completion signals) from an EvaluateTeamRequest.",
				args:  "-f FILE.yaml  the request (YAML or JSON; - for stdin)", example: "csplan capacity evaluate -f examples/evaluate.yaml", run: sub(runCapacity, "evaluate")},
			{name: "forecast", summary: "headcount month by month, and when to open each requisition", usage: "capacity forecast -f FILE.yaml [flags]",
				about: "Forecasts accounts, ARR and CSM headcount month by month with growth, attrition and ramp, and says when each requisition must open.",
				args:  "-f FILE.yaml  the request (YAML or JSON; - for stdin)", example: "csplan capacity forecast -f examples/forecast.yaml", run: sub(runCapacity, "forecast")},
		}},
		{name: "benchmarks", summary: "print the default benchmarks and their sources", usage: "benchmarks [flags]",
			about: "Prints the benchmarks csplan uses when a request does not give its own (accounts and ARR per CSM by touch model, cost shares), each with its source.", example: "csplan benchmarks -o json", run: runBenchmarks},
		{name: "segment", summary: "segment a CRM export, or suggest its revenue tiers", subs: []*cmdNode{
			{name: "assign", summary: "count a CRM export into segments by rules", usage: "segment assign --rules RULES.yaml ACCOUNTS.csv [flags]",
				about: "Streams a CRM export to StreamSegmentAccounts: each account goes to the first rule it matches, and each segment gets its accounts, ARR, quantiles and CSMs. Columns are read as the README's \"Reading CRM exports\" says; --column maps any other header.",
				args:  "ACCOUNTS.csv  the CRM export (- for stdin)", example: "csplan segment assign --rules examples/rules.yaml examples/accounts.csv", run: sub(runSegment, "assign")},
			{name: "suggest", summary: "suggest revenue tiers from a CRM export's ARR", usage: "segment suggest ACCOUNTS.csv [--tiers N] [flags]",
				about: "Streams the ARR of a CRM export to StreamSuggestSegments, which finds the tiers by exact k-means of log ARR.",
				args:  "ACCOUNTS.csv  the CRM export (- for stdin)", example: "csplan segment suggest --tiers 3 examples/accounts.csv", run: sub(runSegment, "suggest")},
		}},
		{name: "coverage", summary: "staff and price coverage against the cost band", subs: []*cmdNode{
			{name: "plan", summary: "staff and price each segment's coverage against the cost band", usage: "coverage plan -f FILE.yaml [flags]",
				about: "Prices each segment's coverage and the whole against the CS cost band, with the options that bring it in band.",
				args:  "-f FILE.yaml  the request (YAML or JSON; - for stdin)", example: "csplan coverage plan -f examples/coverage.yaml", run: sub(runCoverage, "plan")},
		}},
		{name: "hire", summary: "price a hire, or decide whether to make it", subs: []*cmdNode{
			{name: "cost", summary: "what a hire really costs, loaded and ramped", usage: "hire cost -f FILE.yaml [flags]",
				about: "Estimates a hire's loaded cost, recruiting and ramp cost from an EstimateHireCostRequest.",
				args:  "-f FILE.yaml  the request (YAML or JSON; - for stdin)", example: "csplan hire cost -f examples/hire.yaml", run: sub(runHire, "cost")},
			{name: "evaluate", summary: "whether to make a hire, and when to open the requisition", usage: "hire evaluate -f FILE.yaml [flags]",
				about: "Weighs a hire against the load it relieves and the runway it costs, and says when to open the requisition.",
				args:  "-f FILE.yaml  the request (YAML or JSON; - for stdin)", example: "csplan hire evaluate -f examples/team.yaml", run: sub(runHire, "evaluate")},
		}},
		{name: "plan", summary: "run a plan file into a report, or compare two", usage: "plan -f PLAN.yaml [-o table|markdown|json|html] [flags]",
			about: "Runs a plan file through PlanningService (streaming its accounts CSV, if it has one) and writes the report: verdict, requisitions, headcount and cost month by month, coverage. A plan with a rebalance section and an accounts CSV also streams its book to StreamRebalanceBook, and the report gains a Rebalancing section (text, Markdown and HTML; -o json stays the plan's answer alone).",
			args:  "-f PLAN.yaml  the plan file (or give it as the argument)", example: "csplan plan -f examples/plans/meridian/plan.yaml -o html --out meridian.html", run: runPlan,
			subs: []*cmdNode{{name: "diff", summary: "compare two plans, or a plan with --set changes", usage: "plan diff BASE.yaml [WHATIF.yaml] [--set KEY=VALUE] [flags]",
				about:   "Runs two plans through ComparePlans and shows the inputs that changed and every result that moved.",
				args:    "BASE.yaml  the base plan\nWHATIF.yaml  the what-if (a plan, or an overlay with base:); or --set changes to the base",
				example: "csplan plan diff examples/plans/sprout/plan.yaml --set growth.new_accounts_per_month=8",
				run: func(ctx context.Context, args []string, e env) error {
					return runPlan(ctx, append([]string{"diff"}, args...), e)
				}}}},
		{name: "book", summary: "read a book with owners and dates month by month, rebalance it, drill a departure", subs: []*cmdNode{
			{name: "analyze", summary: "each CSM's load month by month, each segment's need, the renewal calendar", usage: "book analyze -f PLAN.yaml [ACCOUNTS.csv] [--start-month YYYY-MM] [--horizon N] [-o table|json|html] [flags]",
				about:   "Streams a CRM export with owners and dates to StreamAnalyzeBook, with the plan file's csm_time, segments (their rules and playbooks), book.csms and start_month as the settings, and shows which CSM is over capacity in which months, each segment's CSMs needed month by month and the renewal calendar; -o html writes a page with a CSM x month heat map of utilization. The accounts are the argument, else the plan's book.accounts_csv, read with the plan's book.* keys and the flags over them.",
				args:    "ACCOUNTS.csv  the CRM export (- for stdin; default: the plan's book.accounts_csv)",
				example: "csplan book analyze -f examples/plans/sprout/plan.yaml -o html --out sprout-book.html", run: sub(runBook, "analyze")},
			{name: "rebalance", summary: "the fewest account moves that bring every CSM within the utilization band", usage: "book rebalance -f PLAN.yaml [ACCOUNTS.csv] [--band-min X] [--band-max Y] [--weight accounts|hours|arr] [--max-moves N] [--frontier N] [--as-of YYYY-MM-DD] [--out moves.csv] [-o table|json|html] [flags]",
				about:   "Streams a CRM export with owners to StreamRebalanceBook, with book analyze's settings from the plan file, the hiring timeline and the plan's rebalance section (the band, the disruption weight and the guardrails: the renewal freeze, locked accounts, segments, matched attributes, the cap on moves), the flags over them. Shows whether the book can fit the band, the moves (account, from, to, hours, ARR, why), each CSM's hours, utilization and accounts before and after, and with --frontier what each move buys. --out writes the CRM bulk-update file, Account ID,Current Owner,New Owner, one row per move; the report goes to stdout (-o html: a page with the utilization coloured as the heat map's).",
				args:    "ACCOUNTS.csv  the CRM export (- for stdin; default: the plan's book.accounts_csv)",
				example: "csplan book rebalance -f plan.yaml --band-max 0.95 --out moves.csv", run: sub(runBook, "rebalance")},
			{name: "depart", summary: "the departure drill: where a leaver's accounts go, and the months until a backfill", usage: "book depart CSM-ID [CSM-ID...] -f PLAN.yaml [ACCOUNTS.csv] [--band-min X] [--band-max Y] [--weight accounts|hours|arr] [--max-moves N] [--frontier N] [--as-of YYYY-MM-DD] [--out moves.csv] [-o table|json|html] [flags]",
				about:   "Rebalances the book as book rebalance does with the CSMs named leaving: every account they own moves (their frozen and locked ones too), none to another leaver, and every staying CSM ends within the band. Shows where each of the leavers' accounts goes, the team after, and the months in which a staying CSM is above the band until a backfill opened now is ramped (the plan's hiring.time_to_hire_months and ramp_months), with the peak. An argument ending in .csv, .tsv or .txt, or -, is the accounts; every other one a CSM's id as the owner column writes it.",
				args:    "CSM-ID  a leaving CSM, as the owner column writes it (repeatable)\nACCOUNTS.csv  the CRM export (- for stdin; default: the plan's book.accounts_csv)",
				example: "csplan book depart csm-core-03 -f plan.yaml --out moves.csv", run: sub(runBook, "depart")},
		}},
		{name: "version", summary: "print csplan's version and the revision it was built from", usage: "version",
			about: "Prints the module version, the VCS revision and time the binary was built from, and the Go version.", example: "csplan version", run: runVersion},
		{name: "completion", summary: "print a shell completion script (bash, zsh or fish)", usage: "completion bash|zsh|fish",
			about: "Prints a script that completes csplan's commands and flags; source it from the shell's start-up file.",
			args:  "SHELL  bash, zsh or fish", example: "source <(csplan completion bash)", run: runCompletion},
	}}
}

// dispatch finds the command args name and runs it, or prints its help.
func dispatch(ctx context.Context, root *cmdNode, args []string, e env) error {
	node, path := root, []string{}
	for len(args) > 0 {
		next := node.child(args[0])
		if next == nil {
			break
		}
		node, path, args = next, append(path, next.name), args[1:]
	}
	wantsHelp := len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help" || args[0] == "-help")
	switch {
	case wantsHelp:
		return printHelp(ctx, node, path, e)
	case node.run == nil && len(args) == 0:
		printHelp(ctx, node, path, env{stdout: e.stderr, stderr: e.stderr})
		if node == root {
			return usagef("no command given")
		}
		return usagef("%s needs a subcommand: %s", strings.Join(path, " "), node.childNames())
	case node.run == nil:
		printHelp(ctx, node, path, env{stdout: e.stderr, stderr: e.stderr})
		if node == root {
			return usagef("unknown command %q", args[0])
		}
		return usagef("unknown %s subcommand %q: use %s", strings.Join(path, " "), args[0], node.childNames())
	}
	return node.run(ctx, args, e)
}

func (n *cmdNode) child(name string) *cmdNode {
	for _, s := range n.subs {
		if s.name == name {
			return s
		}
	}
	return nil
}

func (n *cmdNode) childNames() string {
	names := make([]string, len(n.subs))
	for i, s := range n.subs {
		names[i] = s.name
	}
	if len(names) > 1 {
		return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	}
	return strings.Join(names, "")
}

// printHelp writes a command's help to stdout: a group's subcommands with a
// line each; a leaf's usage, description, arguments, example and flags
// (the leaf's own flag set prints them, asked with -h).
func printHelp(ctx context.Context, n *cmdNode, path []string, e env) error {
	w := e.stdout
	if n.usage != "" {
		fmt.Fprintf(w, "Usage: csplan %s\n\n%s\n", n.usage, wrap(n.about, 76))
		if n.args != "" {
			fmt.Fprintf(w, "\nArguments:\n")
			for _, a := range strings.Split(n.args, "\n") {
				fmt.Fprintf(w, "  %s\n", a)
			}
		}
		if n.example != "" {
			fmt.Fprintf(w, "\nExample:\n  %s\n", n.example)
		}
	} else {
		fmt.Fprintln(w, n.summary)
	}
	if len(n.subs) > 0 {
		title := "Commands"
		if n.usage != "" {
			title = "Subcommands"
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		width := 0
		for _, s := range n.subs {
			width = max(width, len(s.name))
		}
		for _, s := range n.subs {
			fmt.Fprintf(w, "  %-*s  %s\n", width, s.name, s.summary)
		}
		fmt.Fprintf(w, "\nRun 'csplan %sCOMMAND --help' for a command's usage, arguments and flags.\n", strings.Join(append(path, ""), " "))
	}
	if n.run != nil && n.usage != "" && !(n.name == "version" || n.name == "completion") {
		fmt.Fprintln(w)
		err := n.run(ctx, []string{"-h"}, env{stdin: strings.NewReader(""), stdout: w, stderr: w, getenv: func(string) string { return "" }})
		if err != nil && err != flag.ErrHelp {
			return err
		}
	}
	return nil
}

// wrap breaks text into lines of at most width columns.
func wrap(text string, width int) string {
	var out strings.Builder
	col := 0
	for _, word := range strings.Fields(text) {
		if col > 0 && col+1+len(word) > width {
			out.WriteByte('\n')
			col = 0
		} else if col > 0 {
			out.WriteByte(' ')
			col++
		}
		out.WriteString(word)
		col += len(word)
	}
	return out.String()
}

// newFlagSet is a leaf's flag set: errors to stderr, and -h prints the
// flags under a heading (the usage line is the command tree's).
func newFlagSet(name string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Flags:")
		fs.PrintDefaults()
	}
	return fs
}
