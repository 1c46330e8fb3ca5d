package html

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/report/html/internal/svgchart"
)

// Chart element ids. Load charts get the segment's position appended
// ("chart-load-0-accounts"): segment names are free text and never become
// ids.
const (
	idLoad      = "chart-load"
	idARR       = "chart-arr-by-segment"
	idCostShare = "chart-cost-share"
)

// Colours of the hiring markers on the load charts.
const (
	colorRequisition = "#6a3d9a"
	colorRamp        = "#009e73"
	colorPlanned     = "#555555"
)

// loadChart is one segment's forecast drawn as two panels: accounts and ARR
// per effective CSM against the thresholds, with the hiring plan's
// requisitions and ramps marked.
type loadChart struct {
	ID       string
	Segment  string
	Accounts template.HTML
	ARR      template.HTML
}

func (p *page) loadCharts() []loadChart {
	var out []loadChart
	for i, f := range p.R.Forecast.Segments {
		if len(f.Months) == 0 {
			continue
		}
		id := fmt.Sprintf("%s-%d", idLoad, i)
		labels := make([]string, len(f.Months))
		perAccounts := make([]float64, len(f.Months))
		perARR := make([]float64, len(f.Months))
		for j, m := range f.Months {
			labels[j] = monthLabel(m.Month)
			perAccounts[j], perARR[j] = m.AccountsPerCSM, m.ARRPerCSM
			if m.EffectiveCSMs <= 0 {
				// No one in seat yet: the ratio is undefined, leave a gap.
				perAccounts[j], perARR[j] = math.NaN(), math.NaN()
			}
		}
		base, _ := monthIndex(f.Months[0].Month)
		markers, spans, legend := hiringMarks(f, base)

		th := f.Thresholds
		var accountLines []svgchart.HLine
		for _, l := range []svgchart.HLine{
			{Label: "Review", Value: th.ReviewAccountsPerCSM, Color: svgchart.ColorReview},
			{Label: "Hire", Value: th.HireAccountsPerCSM, Color: svgchart.ColorHire},
			{Label: "Critical", Value: th.CriticalAccountsPerCSM, Color: svgchart.ColorCritical},
		} {
			if l.Value > 0 {
				accountLines = append(accountLines, l)
			}
		}
		var arrLines []svgchart.HLine
		if th.ARRPerCSM > 0 {
			arrLines = append(arrLines, svgchart.HLine{Label: "ARR threshold", Value: th.ARRPerCSM, Color: svgchart.ColorHire})
		}
		span := ""
		if len(labels) > 0 {
			span = labels[0] + " to " + labels[len(labels)-1]
		}
		out = append(out, loadChart{
			ID:      id,
			Segment: f.Name,
			Accounts: template.HTML(svgchart.LineChart{
				ID:      id + "-accounts",
				Title:   "Accounts per effective CSM: " + f.Name,
				Desc:    describeLoad(f, "accounts per effective CSM", span, perAccounts, func(v float64) string { return dec(v, 1) }),
				XLabels: labels,
				YLabel:  "Accounts per effective CSM",
				YFormat: func(v float64) string { return dec(v, 1) },
				Series:  []svgchart.Series{{Name: "Accounts per effective CSM", Values: perAccounts, Color: svgchart.Palette[0]}},
				HLines:  accountLines,
				Markers: markers,
				Spans:   spans,
				Legend:  legend,
			}.SVG()),
			ARR: template.HTML(svgchart.LineChart{
				ID:      id + "-arr",
				Title:   "ARR per effective CSM: " + f.Name,
				Desc:    describeLoad(f, "ARR per effective CSM", span, perARR, p.moneyShort),
				XLabels: labels,
				YLabel:  "ARR per effective CSM",
				YFormat: p.moneyShort,
				Series:  []svgchart.Series{{Name: "ARR per effective CSM", Values: perARR, Color: svgchart.Palette[2]}},
				HLines:  arrLines,
				Markers: markers,
				Spans:   spans,
				Legend:  legend,
				Height:  300,
			}.SVG()),
		})
	}
	return out
}

// hiringMarks turns a segment's hiring plan and planned hires into markers
// (requisition opens, CSM ramped), ramp spans and their legend entries.
func hiringMarks(f planner.SegmentForecast, base int) ([]svgchart.Marker, []svgchart.Span, []svgchart.LegendItem) {
	var markers []svgchart.Marker
	var spans []svgchart.Span
	var legend []svgchart.LegendItem
	at := func(month string) (float64, bool) {
		m, ok := monthIndex(month)
		return float64(m - base), ok
	}
	for i, h := range f.HiringPlan {
		n := i + 1
		if x, ok := at(h.RequisitionMonth); ok {
			label := fmt.Sprintf("Req %d", n)
			if x < 0 {
				label += " (" + monthLabel(h.RequisitionMonth) + ")"
			}
			markers = append(markers, svgchart.Marker{At: x, Label: label, Color: colorRequisition})
		}
		s, okS := at(h.StartMonth)
		r, okR := at(h.RampedMonth)
		if okS && okR {
			spans = append(spans, svgchart.Span{From: s, To: r, Color: colorRamp,
				Label: fmt.Sprintf("Hire %d ramping: starts %s, ramped %s", n, monthLabel(h.StartMonth), monthLabel(h.RampedMonth))})
		}
		if okR {
			markers = append(markers, svgchart.Marker{At: r, Label: fmt.Sprintf("Ramped %d", n), Color: colorRamp, Dashed: true})
		}
	}
	for _, m := range f.PlannedHireMonths {
		if x, ok := at(m); ok {
			markers = append(markers, svgchart.Marker{At: x, Label: "Planned start", Color: colorPlanned, Dashed: true})
		}
	}
	if len(f.HiringPlan) > 0 {
		legend = append(legend,
			svgchart.LegendItem{Label: "Requisition opens", Color: colorRequisition, Kind: "line"},
			svgchart.LegendItem{Label: "Ramp (start to ramped)", Color: colorRamp, Kind: "box"})
	}
	if len(f.PlannedHireMonths) > 0 {
		legend = append(legend, svgchart.LegendItem{Label: "Planned hire starts", Color: colorPlanned, Kind: "dash"})
	}
	return markers, spans, legend
}

// describeLoad is a load chart's text alternative: the range of the series
// and the hires it marks.
func describeLoad(f planner.SegmentForecast, what, span string, vals []float64, format func(float64) string) string {
	first, last := math.NaN(), math.NaN()
	peak := math.Inf(-1)
	for _, v := range vals {
		if !finite(v) {
			continue
		}
		if !finite(first) {
			first = v
		}
		last = v
		peak = math.Max(peak, v)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s in segment %s, %s", capitalize(what), f.Name, span)
	if finite(first) {
		fmt.Fprintf(&b, ": from %s to %s, peak %s", format(first), format(last), format(peak))
	}
	b.WriteString(".")
	if n := len(f.HiringPlan); n > 0 {
		fmt.Fprintf(&b, " %d hire(s) marked; first requisition %s.", n, monthLabel(f.HiringPlan[0].RequisitionMonth))
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// arrChart is ARR by segment, unassigned accounts last.
func (p *page) arrChart() template.HTML {
	seg := p.R.Segmentation
	var bars []svgchart.Bar
	var desc []string
	for i, s := range seg.Segments {
		bars = append(bars, svgchart.Bar{Label: s.Name, Value: s.ARR, Note: "(" + pct(s.ARRShare) + ")", Color: svgchart.Palette[i%len(svgchart.Palette)]})
		desc = append(desc, s.Name+" "+p.moneyShort(s.ARR))
	}
	if u := seg.Unassigned; u.Accounts > 0 {
		bars = append(bars, svgchart.Bar{Label: "Unassigned", Value: u.ARR, Note: "(" + pct(u.ARRShare) + ")", Color: "#999999"})
		desc = append(desc, "unassigned "+p.moneyShort(u.ARR))
	}
	return template.HTML(svgchart.BarChart{
		ID:      idARR,
		Title:   "ARR by segment",
		Desc:    "ARR by segment: " + strings.Join(desc, "; ") + ".",
		Bars:    bars,
		XLabel:  "ARR (" + p.currency() + ")",
		XFormat: p.moneyShort,
	}.SVG())
}

// costChart is CS cost as a share of revenue against the band: today's
// team, the coverage plan now and in 12 months, and each way out.
func (p *page) costChart() template.HTML {
	cs := p.R.Summary.CostShare
	lo, hi := cs.Min, cs.Max
	if lo == 0 && hi == 0 {
		lo, hi = p.R.Coverage.MinCostShare, p.R.Coverage.MaxCostShare
	}
	rows := []svgchart.Bar{
		{Label: "Current team", Value: cs.Current},
		{Label: "Coverage plan, today", Value: cs.Needed},
	}
	if cs.In12MonthsCost > 0 || cs.In12Months > 0 {
		rows = append(rows, svgchart.Bar{Label: "Coverage plan, in 12 months", Value: cs.In12Months})
	}
	for _, o := range p.R.Coverage.Options {
		rows = append(rows, svgchart.Bar{Label: "Option: " + humanize(o.Kind), Value: o.CostShare})
	}
	var desc []string
	for _, r := range rows {
		desc = append(desc, r.Label+" "+pct(r.Value))
	}
	return template.HTML(svgchart.BandChart{
		ID:          idCostShare,
		Title:       "CS cost as a share of revenue",
		Desc:        fmt.Sprintf("CS cost share against the %s to %s band: %s.", pct(lo), pct(hi), strings.Join(desc, "; ")),
		BandMin:     lo,
		BandMax:     hi,
		BandLabel:   "Target band",
		Rows:        rows,
		XLabel:      "CS cost as a share of revenue",
		XFormat:     pctAxis,
		ValueFormat: pct,
	}.SVG())
}
