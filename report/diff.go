package report

import (
	"fmt"
	"io"

	"github.com/csplan/csplan/planner"
)

// RenderDiff writes a comparison of two plans in format: text (or table),
// markdown or json.
func RenderDiff(w io.Writer, format string, d *planner.Diff) error {
	switch format {
	case "text", "table", "":
		return writeText(w, buildDiff(d))
	case "markdown", "md":
		return writeMarkdown(w, buildDiff(d))
	case "json":
		return JSON(w, d)
	default:
		return fmt.Errorf("plan diff cannot write %q: use text, markdown or json", format)
	}
}

var measureLabels = map[string]string{
	"csms":             "CSMs today",
	"neededNow":        "CSMs needed now",
	"neededIn12Months": "CSMs needed in 12 months",
	"requisitions":     "Requisitions",
	"firstRequisition": "First requisition opens",
	"hireCrossing":     "Hire threshold crossed",
	"currentCost":      "Current team cost a year",
	"neededCost":       "Cost of the needed CSMs",
	"neededShare":      "Cost share, needed today",
	"in12MonthsCost":   "Cost in 12 months",
	"in12MonthsShare":  "Cost share in 12 months",
	"firstYearCost":    "First-year cost of a hire",
	"verdict":          "Hiring verdict",
	"hireByMonth":      "Hire by",
}

// side names one plan: its company and file.
func side(s planner.DiffSide) string {
	switch {
	case s.File == "":
		return or(s.Company)
	case s.Company == "":
		return "`" + s.File + "`"
	}
	return s.Company + " (`" + s.File + "`)"
}

func buildDiff(d *planner.Diff) document {
	var doc document
	cur := d.Reports[0].Currency
	doc.h(1, "Plan comparison: "+side(d.Base)+" vs "+side(d.WhatIf))
	doc.p(fmt.Sprintf("Base: %s from %s. What-if: %s from %s. Changed measures are marked with *.",
		side(d.Base), d.Base.StartMonth, side(d.WhatIf), d.WhatIf.StartMonth))
	t := newTable("Group", "Measure", ">Base", ">What-if", ">Change", "")
	prev := ""
	for _, x := range d.Deltas {
		g := x.Group
		if g == prev {
			g = ""
		}
		prev = x.Group
		var b, w, c string
		switch x.Kind {
		case "count":
			b, w, c = num(x.Base, 0), num(x.WhatIf, 0), signed(int(x.Change))
		case "money":
			b, w, c = money(x.Base, cur), money(x.WhatIf, cur), money(x.Change, cur)
			if x.Change > 0 {
				c = "+" + c
			}
		case "share":
			b, w = pct(x.Base), pct(x.WhatIf)
			c = num(x.Change*100, 1) + " pts"
			if x.Change > 0 {
				c = "+" + c
			}
		case "month":
			b, w = or(x.BaseText), or(x.WhatIfText)
			c = "-"
			if x.BaseText != "" && x.WhatIfText != "" {
				c = fmt.Sprintf("%s months", signed(int(x.Change)))
			}
		default:
			b, w, c = label(x.BaseText), label(x.WhatIfText), "-"
		}
		mark := ""
		if x.Changed {
			mark = "*"
		}
		t.row(g, measureLabels[x.Measure], b, w, c, mark)
	}
	doc.add(t)
	for i, r := range d.Reports {
		name := "Base"
		if i == 1 {
			name = "What-if"
		}
		doc.h(2, name+" summary: "+or(r.Company))
		doc.list(r.Summary.Actions...)
	}
	return doc
}
