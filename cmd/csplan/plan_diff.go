package main

import (
	"context"
	"fmt"
	"io"

	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/report"
)

// runPlanDiff compares two plans through ComparePlans: the inputs that
// changed and what they change.
func runPlanDiff(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("plan diff", e)
	var cf clientFlags
	cf.register(fs, e)
	fs.Lookup("o").Usage = "output: table (aligned text for a terminal), markdown or json"
	out := fs.String("out", "", "write the comparison to this file instead of stdout")
	sets := setFlag(fs)
	var bf bookFlags
	bf.register(fs)
	files, err := parseArgsAnywhere(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(files) == 1 && len(*sets) > 0:
		// The what-if is the base with the --set changes.
		files = append(files, files[0])
	case len(files) != 2:
		return usagef("plan diff takes two plan files, BASE.yaml and WHATIF.yaml (or one and --set changes), got %d", len(files))
	}
	if err := validatePlanFlags(&cf); err != nil {
		return err
	}
	if cf.output == "html" {
		return usagef("-o html is for one plan; plan diff writes table, markdown or json")
	}
	var plans [2]*planner.Plan
	if plans[0], err = planner.Load(files[0]); err != nil {
		return err
	}
	if plans[1], err = planner.LoadWith(files[1], *sets); err != nil {
		return err
	}
	for _, p := range plans {
		if err := bf.applyTo(fs, p); err != nil {
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
	labels := [2]string(files)
	for _, s := range *sets {
		labels[1] += fmt.Sprintf(" --set %s=%s", s.Path, s.Value)
	}
	return writeOutput(e, *out, func(w io.Writer) error { return report.RenderDiff(w, cf.output, d, labels) })
}
