package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/client"
	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/report"
)

// runPlan runs the planning workflow: csplan plan -f PLAN.yaml analyses one
// plan; csplan plan diff BASE.yaml WHATIF.yaml compares two.
func runPlan(ctx context.Context, args []string, e env) error {
	if len(args) > 0 && args[0] == "diff" {
		return runPlanDiff(ctx, args[1:], e)
	}
	fs := newFlagSet("plan", e)
	var cf clientFlags
	cf.register(fs, e)
	setOutputUsage(fs)
	file := fs.String("f", "", "plan file, YAML (see examples/README.md)")
	out := fs.String("out", "", "write the report to this file instead of stdout")
	sets := setFlag(fs)
	var bf bookFlags
	bf.register(fs)
	files, err := parseArgsAnywhere(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *file == "" && len(files) == 1:
		*file = files[0]
	case *file == "" && len(files) == 0:
		return usagef("plan needs a plan file: csplan plan -f PLAN.yaml (see examples/plans/)")
	case len(files) > 0:
		return usagef("plan takes one plan file, got %q", append([]string{*file}, files...))
	}
	if err := validatePlanFlags(&cf); err != nil {
		return err
	}
	p, err := planner.LoadWith(*file, *sets)
	if err != nil {
		return err
	}
	if err := bf.applyTo(fs, p); err != nil {
		return err
	}
	c, release, err := cf.connect(ctx)
	if err != nil {
		return err
	}
	defer release()
	opts := planOptions(&cf, e)
	var skipped []report.SkippedRow
	opts.Skipped = func(file string, rows []*accountcsv.Error) {
		reportSkipped(e.stderr, file, rows)
		for _, row := range rows {
			skipped = append(skipped, report.SkippedRow{File: row.File, Line: row.Line, Column: row.Column, Reason: row.Reason})
		}
	}
	r, err := planner.Run(ctx, c, p, opts)
	if err != nil {
		return err
	}
	ro := report.PlanOptions{Skipped: skipped}
	if ro.Rebalance, err = planRebalance(ctx, c, p, opts, cf.output, e); err != nil {
		return err
	}
	return writeOutput(e, *out, func(w io.Writer) error { return report.RenderPlan(w, cf.output, r, ro) })
}

// planRebalance rebalances the plan's book when the plan has a rebalance
// section and an accounts CSV, for the report's "Rebalancing" section. The
// JSON is the plan's answer alone, so -o json asks nothing more.
func planRebalance(ctx context.Context, c *client.Client, p *planner.Plan, opts planner.Options, format string, e env) (*report.Rebalance, error) {
	if !p.HasRebalance() || format == "json" {
		return nil, nil
	}
	if p.AccountsPath() == "" {
		fmt.Fprintf(e.stderr, "%s: the rebalance section needs the accounts (book.accounts_csv): the report has no rebalancing; csplan book rebalance -f %s ACCOUNTS.csv rebalances a CSV\n", p.Path(), p.Path())
		return nil, nil
	}
	opts.Skipped = nil // listed once, by the plan's own pass over the file
	res, err := planner.Rebalance(ctx, c, p, opts)
	if err != nil {
		return nil, err
	}
	s := p.RebalanceSettings()
	return &report.Rebalance{Currency: p.Currency, Weight: s.GetDisruptionWeight(), Departing: s.GetDepartingCsmIds(),
		StartMonth: s.GetStartMonth(), HorizonMonths: s.GetHorizonMonths(), Result: res}, nil
}

// setFlag registers --set, repeatable: key=value changes over the plan
// file, keys as paths with segments named (segments.Core.team.csms=5).
func setFlag(fs *flag.FlagSet) *[]planner.Set {
	var sets []planner.Set
	fs.Func("set", "change one input: key=value, a key path of the plan with segments named (segments.Core.team.csms=5); repeatable", func(v string) error {
		s, err := planner.ParseSet(v)
		if err == nil {
			sets = append(sets, s)
		}
		return err
	})
	return &sets
}

// setOutputUsage documents the plan's formats on the shared -o flag.
func setOutputUsage(fs *flag.FlagSet) {
	fs.Lookup("o").Usage = "output: table (aligned text for a terminal), markdown, json or html"
}

func validatePlanFlags(cf *clientFlags) error {
	if !report.KnownFormat(cf.output) {
		return usagef("-o: %q is not table, markdown, json or html", cf.output)
	}
	if (cf.cert == "") != (cf.key == "") {
		return usagef("give both --cert and --key")
	}
	return nil
}

// planOptions shows streaming progress on a terminal only and bounds each
// call by --timeout.
func planOptions(cf *clientFlags, e env) planner.Options {
	p := newStreamProgress(e.stderr)
	return planner.Options{
		CallTimeout: cf.timeout,
		Progress: func(n int) {
			if n < 0 {
				p.done()
				return
			}
			p.show(n)
		},
		Skipped: func(file string, rows []*accountcsv.Error) { reportSkipped(e.stderr, file, rows) },
	}
}

// writeOutput renders into memory first, so that a failed rendering
// leaves no half-written file, then writes stdout or the file.
func writeOutput(e env, path string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	if path == "" || path == "-" {
		_, err := buf.WriteTo(e.stdout)
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", path)
	return nil
}
