package main

import (
	"context"
	"flag"
	"io"

	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/report"
)

// runPlanDiff analyses two plans and prints them side by side with the
// deltas that matter.
func runPlanDiff(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("plan diff", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var cf clientFlags
	cf.register(fs, e)
	fs.Lookup("o").Usage = "output: table (aligned text for a terminal), markdown or json"
	out := fs.String("out", "", "write the comparison to this file instead of stdout")
	files, err := parseArgsAnywhere(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 2 {
		return usagef("plan diff takes two plan files, BASE.yaml and WHATIF.yaml, got %d", len(files))
	}
	if err := validatePlanFlags(&cf); err != nil {
		return err
	}
	if cf.output == "html" {
		return usagef("-o html is for one plan; plan diff writes table, markdown or json")
	}
	var plans [2]*planner.Plan
	for i, f := range files {
		if plans[i], err = planner.Load(f); err != nil {
			return err
		}
	}
	c, release, err := cf.connect(ctx)
	if err != nil {
		return err
	}
	defer release()
	var reports [2]*planner.Report
	for i, p := range plans {
		if reports[i], err = planner.Analyze(ctx, c, p, planOptions(&cf, e)); err != nil {
			return err
		}
	}
	d := planner.Compare(reports[0], reports[1])
	d.Base.File, d.WhatIf.File = files[0], files[1]
	return writeOutput(e, *out, func(w io.Writer) error { return report.RenderDiff(w, cf.output, d) })
}
