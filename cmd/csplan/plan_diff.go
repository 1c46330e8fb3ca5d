package main

import (
	"context"
	"flag"
	"io"

	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/report"
)

// runPlanDiff compares two plans through ComparePlans: the inputs that
// changed and what they change.
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
	d, err := planner.Compare(ctx, c, plans[0], plans[1], planOptions(&cf, e))
	if err != nil {
		return err
	}
	return writeOutput(e, *out, func(w io.Writer) error { return report.RenderDiff(w, cf.output, d, [2]string(files)) })
}
