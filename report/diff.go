package report

import (
	"fmt"
	"io"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/report/doc"
)

// RenderDiff writes a ComparePlans answer in format: text (or table),
// markdown or json (the protojson of the response, as the REST route
// gives it).
func RenderDiff(w io.Writer, format string, d *csplanv1.ComparePlansResponse, files [2]string) error {
	switch format {
	case "text", "table", "":
		return doc.WriteText(w, buildDiff(d, files))
	case "markdown", "md":
		return doc.WriteMarkdown(w, buildDiff(d, files))
	case "json":
		return JSON(w, d)
	default:
		return fmt.Errorf("plan diff cannot write %q: use text, markdown or json", format)
	}
}

// measureLabels name the deltas' measures for people.
var measureLabels = map[string]string{
	"accounts":                  "Accounts",
	"arr":                       "ARR",
	"csms_today":                "CSMs today",
	"csms_needed_now":           "CSMs needed now",
	"csms_needed_in12_months":   "CSMs needed in 12 months",
	"csms_needed_at_peak":       "CSMs needed at the peak",
	"capacity_accounts_per_csm": "Accounts per CSM (capacity)",
	"requisitions":              "Requisitions",
	"requisitions_due_now":      "Requisitions due now",
	"cost_needed":               "Cost of the need, a year",
	"cost_share_needed":         "Cost share of the need",
	"horizon_total_cost":        "Total cost over the horizon",
}

var moneyMeasures = map[string]bool{"arr": true, "cost_needed": true, "horizon_total_cost": true}

func buildDiff(d *csplanv1.ComparePlansResponse, files [2]string) doc.Document {
	var out doc.Document
	base, whatIf := d.GetBase(), d.GetWhatIf()
	out.H(1, "Plan comparison")
	out.P(fmt.Sprintf("Base: `%s` (%s). What-if: `%s` (%s).", files[0], base.GetCompany(), files[1], whatIf.GetCompany()))
	verdict := func(r *csplanv1.PlanResult) string {
		v := label(r.GetSummary().GetVerdict())
		if m := r.GetSummary().GetHireByMonth(); m != "" {
			v += " by " + m
		}
		return v
	}
	out.P(fmt.Sprintf("**Verdict:** %s -> %s.", verdict(base), verdict(whatIf)))

	out.H(2, "What changed in the inputs")
	if len(d.GetInputChanges()) == 0 {
		out.P("The two plans give the same inputs.")
	}
	t := doc.NewTable("Input", "Base", "What-if")
	for _, c := range d.GetInputChanges() {
		t.Row("`"+c.GetField()+"`", or(c.GetBase()), or(c.GetWhatIf()))
	}
	out.Add(t)

	out.H(2, "What it changes")
	dt := doc.NewTable("Group", "Measure", ">Base", ">What-if", ">Change")
	for _, x := range d.GetDeltas() {
		f := func(v *float64) string {
			switch {
			case v == nil:
				return "-"
			case moneyMeasures[x.GetMeasure()]:
				return money(*v, base.GetCurrency())
			case x.GetMeasure() == "cost_share_needed":
				return pct(*v)
			default:
				return num(*v, 1)
			}
		}
		dt.Row(x.GetGroup(), measureLabels[x.GetMeasure()], f(x.Base), f(x.WhatIf), f(x.Change))
	}
	out.Add(dt)
	return out
}
