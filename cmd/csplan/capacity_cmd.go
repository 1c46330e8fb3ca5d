package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

func runCapacity(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usagef("capacity needs a subcommand: compute, evaluate or forecast")
	}
	switch args[0] {
	case "compute":
		return callWithFile(ctx, "capacity compute", args[1:], e, &csplanv1.ComputeCapacityRequest{},
			func(ctx context.Context, c *client.Client, req *csplanv1.ComputeCapacityRequest) (*csplanv1.ComputeCapacityResponse, error) {
				return c.Capacity.ComputeCapacity(ctx, req)
			}, printCapacity)
	case "evaluate":
		return callWithFile(ctx, "capacity evaluate", args[1:], e, &csplanv1.EvaluateTeamRequest{},
			func(ctx context.Context, c *client.Client, req *csplanv1.EvaluateTeamRequest) (*csplanv1.EvaluateTeamResponse, error) {
				return c.Capacity.EvaluateTeam(ctx, req)
			}, printEvaluation)
	case "forecast":
		return callWithFile(ctx, "capacity forecast", args[1:], e, &csplanv1.ForecastCapacityRequest{},
			func(ctx context.Context, c *client.Client, req *csplanv1.ForecastCapacityRequest) (*csplanv1.ForecastCapacityResponse, error) {
				return c.Capacity.ForecastCapacity(ctx, req)
			}, printForecast)
	default:
		return usagef("unknown capacity subcommand %q: use compute, evaluate or forecast", args[0])
	}
}

func runBenchmarks(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("benchmarks", e)
	var cf clientFlags
	cf.register(fs, e)
	if err := fs.Parse(args); err != nil {
		return usageFrom(err)
	}
	if err := cf.validate(); err != nil {
		return err
	}
	return call(ctx, cf, e, &csplanv1.GetBenchmarksRequest{},
		func(ctx context.Context, c *client.Client, req *csplanv1.GetBenchmarksRequest) (*csplanv1.GetBenchmarksResponse, error) {
			return c.Capacity.GetBenchmarks(ctx, req)
		}, printBenchmarks)
}

// callWithFile parses a client subcommand's flags, reads its request from
// -f, calls and prints the answer.
func callWithFile[Req, Resp proto.Message](ctx context.Context, name string, args []string, e env, req Req,
	do func(context.Context, *client.Client, Req) (Resp, error), show func(io.Writer, Resp)) error {
	fs := newFlagSet(name, e)
	var cf clientFlags
	cf.register(fs, e)
	file := fs.String("f", "", "request file, YAML or JSON (- for stdin)")
	if err := fs.Parse(args); err != nil {
		return usageFrom(err)
	}
	if fs.NArg() > 0 {
		return usagef("%s takes no arguments, got %q (give the request with -f)", name, fs.Args())
	}
	if err := cf.validate(); err != nil {
		return err
	}
	if err := readRequest(e, *file, req); err != nil {
		return err
	}
	return call(ctx, cf, e, req, do, show)
}

// call connects, makes one call under --timeout and prints the answer as a
// table or JSON.
func call[Req, Resp proto.Message](ctx context.Context, cf clientFlags, e env, req Req,
	do func(context.Context, *client.Client, Req) (Resp, error), show func(io.Writer, Resp)) error {
	c, release, err := cf.connect(ctx)
	if err != nil {
		return err
	}
	defer release()
	callCtx, cancel := cf.callContext(ctx)
	defer cancel()
	resp, err := do(callCtx, c, req)
	if err != nil {
		return err
	}
	if cf.output == "json" {
		return printJSON(e.stdout, resp)
	}
	show(e.stdout, resp)
	return nil
}

func printCapacity(w io.Writer, r *csplanv1.ComputeCapacityResponse) {
	fmt.Fprintf(w, "Customer hours per CSM per month: %s\n\n", num(r.GetAvailableHoursPerCsmMonth(), 2))
	tw := table(w)
	row(tw, "SEGMENT", "HOURS/ACCOUNT/MONTH", "ACCOUNTS/CSM", "FTE", "CSMS", "ARR/CSM")
	for _, s := range r.GetSegments() {
		row(tw, s.GetName(), num(s.GetHoursPerAccountMonth(), 2), num(s.GetAccountsPerCsm(), 0), num(s.GetCsmFte(), 2), fmt.Sprint(s.GetCsmHeadcount()), money(s.GetArrPerCsm()))
	}
	row(tw, "TOTAL", "", "", num(r.GetTotalCsmFte(), 2), fmt.Sprint(r.GetTotalCsmHeadcount()), money(r.GetArrPerCsm()))
	tw.Flush()
	for _, s := range r.GetSegments() {
		fmt.Fprintf(w, "\n%s: hours per account per month\n", s.GetName())
		tw := table(w)
		for _, b := range s.GetBreakdown() {
			row(tw, "  "+b.GetName(), num(b.GetHoursPerAccountMonth(), 3))
		}
		tw.Flush()
	}
	printAssumptions(w, r.GetAssumptions())
}

func printEvaluation(w io.Writer, r *csplanv1.EvaluateTeamResponse) {
	fmt.Fprintf(w, "ARR per CSM: %s   Accounts per CSM: %s\n\n", money(r.GetArrPerCsm()), num(r.GetAccountsPerCsm(), 1))
	tw := table(w)
	row(tw, "FACTOR", "VALUE", "HEALTHY", "LIMIT", "STATUS", "CSMS NEEDED")
	for _, f := range r.GetFactors() {
		row(tw, enumLabel(f.GetFactor().String(), "FACTOR_"), factorValue(f.GetFactor(), f.GetValue()),
			factorValue(f.GetFactor(), f.GetHealthyMin())+" - "+factorValue(f.GetFactor(), f.GetHealthyMax()),
			factorValue(f.GetFactor(), f.GetLimit()), enumLabel(f.GetStatus().String(), "LOAD_STATUS_"), fmt.Sprint(f.GetCsmsNeeded()))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nBinding factor: %s   CSMs needed: %d   Gap to today's team: %+d\n",
		enumLabel(r.GetBindingFactor().String(), "FACTOR_"), r.GetCsmsNeeded(), r.GetCsmGap())
	if len(r.GetFindings()) > 0 {
		fmt.Fprintln(w, "\nFindings")
		for _, f := range r.GetFindings() {
			fmt.Fprintf(w, "  %-8s %s\n", enumLabel(f.GetSeverity().String(), "SEVERITY_"), f.GetMessage())
		}
	}
	printAssumptions(w, r.GetAssumptions())
}

func factorValue(f csplanv1.Factor, x float64) string {
	switch f {
	case csplanv1.Factor_FACTOR_ARR:
		return money(x)
	case csplanv1.Factor_FACTOR_WORKLOAD:
		return pct(x)
	default:
		return num(x, 1)
	}
}

func printForecast(w io.Writer, r *csplanv1.ForecastCapacityResponse) {
	costed := forecastHasCost(r)
	tw := table(w)
	header := []string{"MONTH", "ACCOUNTS", "ARR", "HEADCOUNT", "EFFECTIVE CSMS", "ACCOUNTS/CSM", "ARR/CSM"}
	if costed {
		header = append(header, "CS COST/MONTH", "CS COST SHARE")
	}
	row(tw, header...)
	for _, m := range r.GetMonths() {
		cells := []string{m.GetMonth(), num(m.GetAccounts(), 1), money(m.GetArr()), fmt.Sprint(m.GetCsmHeadcount()),
			num(m.GetEffectiveCsms(), 2), num(m.GetAccountsPerCsm(), 1), money(m.GetArrPerCsm())}
		if costed {
			cells = append(cells, moneyExact(m.GetCsCost()), pct(m.GetCsCostShare()))
		}
		row(tw, cells...)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nTriggers")
	tw = table(w)
	row(tw, "  THRESHOLD", "VALUE", "CROSSED", "OPEN REQUISITION BY", "STATUS")
	for _, t := range r.GetTriggers() {
		value := num(t.GetThreshold(), 1) + " accounts/CSM"
		if t.GetName() == "arr" {
			value = money(t.GetThreshold()) + " ARR/CSM"
		}
		st := enumLabel(t.GetStatus().String(), "TRIGGER_STATUS_")
		if t.GetMonthsLate() > 0 {
			st += fmt.Sprintf(" (%d months late)", t.GetMonthsLate())
		}
		row(tw, "  "+t.GetName(), value, orDash(t.GetCrossingMonth()), orDash(t.GetOpenRequisitionBy()), st)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nHiring plan")
	if len(r.GetHiringPlan()) == 0 {
		fmt.Fprintln(w, "  No hire needed within the horizon to stay under the hire threshold.")
	} else {
		tw = table(w)
		header := []string{"  HIRE", "OPEN REQUISITION", "START", "RAMPED"}
		if costed {
			header = append(header, "FIRST-YEAR COST")
		}
		row(tw, header...)
		for i, h := range r.GetHiringPlan() {
			cells := []string{fmt.Sprintf("  %d", i+1), h.GetRequisitionMonth(), h.GetStartMonth(), h.GetRampedMonth()}
			if costed {
				cells = append(cells, moneyExact(h.GetFirstYearCost()))
			}
			row(tw, cells...)
		}
		tw.Flush()
	}
	printAssumptions(w, r.GetAssumptions())
}

// forecastHasCost reports whether the forecast was given hire_cost: its
// assumptions then name the cost inputs, even where every cost is 0.
func forecastHasCost(r *csplanv1.ForecastCapacityResponse) bool {
	for _, a := range r.GetAssumptions() {
		if strings.HasPrefix(a.GetName(), "hire_cost.") {
			return true
		}
	}
	return false
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func printBenchmarks(w io.Writer, r *csplanv1.GetBenchmarksResponse) {
	b := r.GetBenchmarks()
	tw := table(w)
	row(tw, "TOUCH MODEL", "ARR/CSM FLOOR", "ARR/CSM CEILING", "IDEAL ACCOUNTS", "CAP")
	for _, t := range b.GetTouchModels() {
		row(tw, enumLabel(t.GetTouchModel().String(), "TOUCH_MODEL_"), money(t.GetArrPerCsmFloor()), money(t.GetArrPerCsmCeiling()),
			num(t.GetIdealAccountsMin(), 1)+" - "+num(t.GetIdealAccountsMax(), 1), num(t.GetAccountsCap(), 1))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nComplexity multipliers on accounts")
	tw = table(w)
	for _, c := range b.GetComplexityMultipliers() {
		row(tw, "  "+enumLabel(c.GetComplexity().String(), "PRODUCT_COMPLEXITY_"), num(c.GetMultiplier(), 2), c.GetSource())
	}
	tw.Flush()
	st := b.GetSignalThresholds()
	fmt.Fprintln(w, "\nSignal thresholds (warning / critical)")
	tw = table(w)
	row(tw, "  churn increase", "any rise / "+num(st.GetChurnIncreaseCriticalRatio(), 2)+"x last period")
	row(tw, "  CSM weekly hours", "> "+num(st.GetCsmWeeklyHoursWarning(), 1)+" / > "+num(st.GetCsmWeeklyHoursCritical(), 1))
	row(tw, "  touchpoint completion", "< "+pct(st.GetTouchpointCompletionWarning())+" / < "+pct(st.GetTouchpointCompletionCritical()))
	row(tw, "  accounts without recent contact", "> "+pct(st.GetNoRecentContactShareWarning())+" / > "+pct(st.GetNoRecentContactShareCritical()))
	tw.Flush()
	fmt.Fprintln(w, "\nSources")
	for _, t := range b.GetTouchModels() {
		fmt.Fprintf(w, "  %s: %s\n", enumLabel(t.GetTouchModel().String(), "TOUCH_MODEL_"), t.GetSource())
	}
	fmt.Fprintf(w, "  Signals: %s\n", st.GetSource())
}
