package planner

// Diff compares the reports of two plans, a base and a what-if: the
// measures that matter for a decision, each with both values and the
// change. JSON field names are stable, as for Report.
type Diff struct {
	Base   DiffSide `json:"base"`
	WhatIf DiffSide `json:"whatIf"`
	// Deltas are grouped: each segment (in the base plan's order, then
	// segments only the what-if has), "Total", "Cost" and "Hiring".
	Deltas []Delta `json:"deltas"`
	// Reports are the two analyses, in full.
	Reports [2]*Report `json:"reports"`
}

// DiffSide names one of the two plans.
type DiffSide struct {
	// File is the plan file, as the caller names it.
	File       string `json:"file"`
	Company    string `json:"company"`
	StartMonth string `json:"startMonth"`
}

// Delta is one measure in both plans.
type Delta struct {
	// Group is a segment's name, "Total", "Cost" or "Hiring".
	Group string `json:"group"`
	// Measure is a stable identifier: csms, neededNow, neededIn12Months,
	// requisitions, firstRequisition, hireCrossing, currentCost,
	// neededCost, neededShare, in12MonthsCost, in12MonthsShare,
	// firstYearCost, verdict, hireByMonth.
	Measure string `json:"measure"`
	// Kind is count, money, share, month or text: numbers are in Base,
	// WhatIf and Change; months and text in BaseText and WhatIfText.
	Kind   string  `json:"kind"`
	Base   float64 `json:"base"`
	WhatIf float64 `json:"whatIf"`
	// Change is WhatIf minus Base; for months, the what-if's month minus
	// the base's, in months (0 when either is missing).
	Change     float64 `json:"change"`
	BaseText   string  `json:"baseText"`
	WhatIfText string  `json:"whatIfText"`
	// Changed is whether the two differ.
	Changed bool `json:"changed"`
}

// Compare lines up two reports' decisions.
func Compare(base, whatIf *Report) *Diff {
	d := &Diff{Base: DiffSide{Company: base.Company, StartMonth: base.StartMonth}, WhatIf: DiffSide{Company: whatIf.Company, StartMonth: whatIf.StartMonth},
		Reports: [2]*Report{base, whatIf}}
	names := []string{}
	for _, s := range base.Summary.Segments {
		names = append(names, s.Name)
	}
	for _, s := range whatIf.Summary.Segments {
		if need(base, s.Name) == nil {
			names = append(names, s.Name)
		}
	}
	for _, n := range names {
		d.needs(n, need(base, n), need(whatIf, n), requisitions(base, n), requisitions(whatIf, n), hireCrossing(base, n), hireCrossing(whatIf, n))
	}
	d.needs("Total", &base.Summary.Total, &whatIf.Summary.Total, base.Summary.Requisitions, whatIf.Summary.Requisitions, "", "")

	bc, wc := base.Summary.CostShare, whatIf.Summary.CostShare
	d.num("Cost", "currentCost", "money", bc.CurrentCost, wc.CurrentCost)
	d.num("Cost", "neededCost", "money", bc.NeededCost, wc.NeededCost)
	d.num("Cost", "neededShare", "share", bc.Needed, wc.Needed)
	d.num("Cost", "in12MonthsCost", "money", bc.In12MonthsCost, wc.In12MonthsCost)
	d.num("Cost", "in12MonthsShare", "share", bc.In12Months, wc.In12Months)
	d.num("Cost", "firstYearCost", "money", base.Hiring.Cost.FirstYearCost, whatIf.Hiring.Cost.FirstYearCost)
	d.text("Hiring", "verdict", base.Summary.Verdict, whatIf.Summary.Verdict)
	d.month("Hiring", "hireByMonth", base.Summary.HireByMonth, whatIf.Summary.HireByMonth)
	return d
}

func (d *Diff) needs(group string, b, w *SegmentNeed, br, wr []Requisition, bh, wh string) {
	var zero SegmentNeed
	if b == nil {
		b = &zero
	}
	if w == nil {
		w = &zero
	}
	d.num(group, "csms", "count", float64(b.CSMs), float64(w.CSMs))
	d.num(group, "neededNow", "count", float64(b.NeededNow), float64(w.NeededNow))
	d.num(group, "neededIn12Months", "count", float64(b.NeededIn12Months), float64(w.NeededIn12Months))
	d.num(group, "requisitions", "count", float64(len(br)), float64(len(wr)))
	d.month(group, "firstRequisition", firstRequisition(br), firstRequisition(wr))
	if group != "Total" {
		d.month(group, "hireCrossing", bh, wh)
	}
}

func (d *Diff) num(group, measure, kind string, b, w float64) {
	d.Deltas = append(d.Deltas, Delta{Group: group, Measure: measure, Kind: kind, Base: b, WhatIf: w, Change: w - b,
		Changed: w-b > 1e-9 || b-w > 1e-9})
}

func (d *Diff) text(group, measure, b, w string) {
	d.Deltas = append(d.Deltas, Delta{Group: group, Measure: measure, Kind: "text", BaseText: b, WhatIfText: w, Changed: b != w})
}

func (d *Diff) month(group, measure, b, w string) {
	x := Delta{Group: group, Measure: measure, Kind: "month", BaseText: b, WhatIfText: w, Changed: b != w}
	if bi, ok := monthIndex(b); ok {
		if wi, ok := monthIndex(w); ok {
			x.Change = float64(wi - bi)
		}
	}
	d.Deltas = append(d.Deltas, x)
}

// monthIndex counts months from year 0: "2027-03" -> 2027*12 + 2.
func monthIndex(m string) (int, bool) {
	if !monthRE.MatchString(m) {
		return 0, false
	}
	y := int(m[0]-'0')*1000 + int(m[1]-'0')*100 + int(m[2]-'0')*10 + int(m[3]-'0')
	mo := int(m[5]-'0')*10 + int(m[6]-'0')
	return y*12 + mo - 1, true
}

func need(r *Report, name string) *SegmentNeed {
	for i := range r.Summary.Segments {
		if r.Summary.Segments[i].Name == name {
			return &r.Summary.Segments[i]
		}
	}
	return nil
}

func requisitions(r *Report, name string) []Requisition {
	var out []Requisition
	for _, q := range r.Summary.Requisitions {
		if q.Segment == name {
			out = append(out, q)
		}
	}
	return out
}

func firstRequisition(rs []Requisition) string {
	first := ""
	for _, q := range rs {
		if first == "" || q.RequisitionMonth < first {
			first = q.RequisitionMonth
		}
	}
	return first
}

// hireCrossing is the month a segment's load first reaches its hire
// threshold ("" when not within the horizon).
func hireCrossing(r *Report, name string) string {
	for _, s := range r.Forecast.Segments {
		if s.Name != name {
			continue
		}
		for _, t := range s.Triggers {
			if t.Name == "hire" {
				return t.CrossingMonth
			}
		}
	}
	return ""
}
