package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

func runHire(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usagef("hire needs a subcommand: cost or evaluate")
	}
	switch args[0] {
	case "cost":
		return callWithFile(ctx, "hire cost", args[1:], e, &csplanv1.EstimateHireCostRequest{},
			func(ctx context.Context, c *client.Client, req *csplanv1.EstimateHireCostRequest) (*csplanv1.EstimateHireCostResponse, error) {
				return c.Hiring.EstimateHireCost(ctx, req)
			}, printHireCost)
	case "evaluate":
		return callWithFile(ctx, "hire evaluate", args[1:], e, &csplanv1.EvaluateHireRequest{},
			func(ctx context.Context, c *client.Client, req *csplanv1.EvaluateHireRequest) (*csplanv1.EvaluateHireResponse, error) {
				return c.Hiring.EvaluateHire(ctx, req)
			}, printHireEvaluation)
	default:
		return usagef("unknown hire subcommand %q: use cost or evaluate", args[0])
	}
}

func printHireCost(w io.Writer, r *csplanv1.EstimateHireCostResponse) {
	fmt.Fprintf(w, "Loaded cost: %s a year, %s a month\n\n", moneyExact(r.GetAnnualLoadedCost()), moneyExact(r.GetMonthlyLoadedCost()))
	tw := table(w)
	row(tw, "FIRST YEAR", "COST")
	row(tw, "  loaded cost", moneyExact(r.GetAnnualLoadedCost()))
	row(tw, "  recruiting fee", moneyExact(r.GetRecruitingFee()))
	row(tw, "  sign-on bonus", moneyExact(r.GetSignOnBonus()))
	row(tw, "  training", moneyExact(r.GetTrainingCost()))
	row(tw, "  total", moneyExact(r.GetFirstYearCost()))
	tw.Flush()

	fmt.Fprintf(w, "\nRamp: %s productive months in the first year; %s of the loaded cost buys no output during the ramp (included above).\n",
		num(r.GetProductiveMonthsFirstYear(), 2), moneyExact(r.GetRampCost()))
	if h := r.GetTrainingCapacityHours(); h > 0 {
		fmt.Fprintf(w, "Training drag: %s customer hours of the existing team", num(h, 1))
		if am := r.GetTrainingCapacityAccountMonths(); am > 0 {
			fmt.Fprintf(w, ", %s account-months", num(am, 2))
		}
		fmt.Fprintln(w, ".")
	}
	printAssumptions(w, r.GetAssumptions())
}

func printHireEvaluation(w io.Writer, r *csplanv1.EvaluateHireResponse) {
	fmt.Fprintf(w, "Verdict: %s", enumLabel(r.GetVerdict().String(), "VERDICT_"))
	if m := r.GetHireByMonth(); m != "" {
		fmt.Fprintf(w, " (hire by %s)", m)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)

	tw := table(w)
	row(tw, "", "BEFORE", "AFTER", "AGAINST")
	row(tw, "ARR per CSM", money(r.GetArrPerCsmBefore()), money(r.GetArrPerCsmAfter()), money(r.GetArrPerCsmMilestone())+" milestone")
	row(tw, "CS cost share", pct(r.GetCostShareBefore()), pct(r.GetCostShareAfter()), costShareLimit(r.GetAssumptions()))
	if r.GetRunwayMonthsBefore() > 0 || r.GetRunwayMonthsAfter() > 0 {
		row(tw, "Runway (months)", num(r.GetRunwayMonthsBefore(), 1), num(r.GetRunwayMonthsAfter(), 1), "-")
	}
	tw.Flush()
	fmt.Fprintf(w, "\nFirst-year cost: %s   ARR to pay it back: %s\n", moneyExact(r.GetFirstYearCost()), moneyExact(r.GetPaybackArr()))

	if len(r.GetFactors()) > 0 {
		fmt.Fprintln(w)
		tw = table(w)
		row(tw, "FACTOR", "VALUE", "HEALTHY", "LIMIT", "STATUS", "CSMS NEEDED")
		for _, f := range r.GetFactors() {
			row(tw, enumLabel(f.GetFactor().String(), "FACTOR_"), factorValue(f.GetFactor(), f.GetValue()),
				factorValue(f.GetFactor(), f.GetHealthyMin())+" - "+factorValue(f.GetFactor(), f.GetHealthyMax()),
				factorValue(f.GetFactor(), f.GetLimit()), enumLabel(f.GetStatus().String(), "LOAD_STATUS_"), fmt.Sprint(f.GetCsmsNeeded()))
		}
		tw.Flush()
	}

	if a := r.GetAlternative(); a.GetCost() > 0 || a.GetCsmFteFreed() > 0 {
		fmt.Fprintln(w, "\nTech touch instead")
		tw = table(w)
		row(tw, "  ", "FTE FREED", "COST A YEAR", "COST PER FTE")
		row(tw, "  tech touch", num(a.GetCsmFteFreed(), 2), moneyExact(a.GetCost()), moneyExact(a.GetCostPerFteFreed()))
		row(tw, "  hire", "1", moneyExact(a.GetHireCostPerFte()), moneyExact(a.GetHireCostPerFte()))
		tw.Flush()
	}

	if len(r.GetReasons()) > 0 {
		fmt.Fprintln(w, "\nReasons")
		for _, s := range r.GetReasons() {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
	printAssumptions(w, r.GetAssumptions())
}

// costShareLimit reads the maximum cost share the evaluation used from its
// assumptions: the response carries it only there.
func costShareLimit(as []*csplanv1.Assumption) string {
	for _, a := range as {
		if a.GetName() != "max_cost_share" {
			continue
		}
		if x, err := strconv.ParseFloat(a.GetValue(), 64); err == nil {
			return pct(x) + " max"
		}
	}
	return ""
}

// moneyExact writes a cost in whole currency units with thousands separators,
// $12,500: a hire's costs are compared line by line, where money's $13K
// would hide the difference.
func moneyExact(x float64) string {
	n := int64(math.Round(math.Abs(x)))
	digits := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(digits)+len(digits)/3+2)
	if x < 0 && n != 0 {
		out = append(out, '-')
	}
	out = append(out, '$')
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, digits[i])
	}
	return string(out)
}
