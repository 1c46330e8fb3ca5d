package html

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/numfmt"
	"github.com/csplan/csplan/report/html/internal/svgchart"
)

// The charts the document can place, by name: each draws series the
// PlanResult carries, never a figure computed here.
const (
	ChartHeadcount = "headcount"
	ChartCost      = "cost"
	ChartQuarters  = "quarters"
	// ChartLoadPrefix + a segment's name is that segment's load chart.
	ChartLoadPrefix = "load:"
)

// charts draws a plan's charts from r, and the book's calendar from book
// (a plan's calendar, or a book analysis alone, without r).
type charts struct {
	r        *csplanv1.PlanResult
	book     *csplanv1.BookAnalysis
	currency string
	// rebalance is a plan's rebalancing, or a rebalancing alone.
	rebalance *Rebalancing
}

func newCharts(r *csplanv1.PlanResult) charts {
	return charts{r: r, book: r.GetCalendar(), currency: r.GetCurrency()}
}

// draw returns the named chart's SVG ("" when it has nothing to show) and
// whether the name is known.
func (c charts) draw(name string) (template.HTML, bool) {
	switch {
	case name == ChartHeadcount:
		return c.headcount(), true
	case name == ChartCost:
		return c.cost(), true
	case name == ChartQuarters:
		return c.quarters(), true
	case name == ChartHeatMap:
		return c.heatMap(), true
	case name == ChartSegmentFTE:
		return c.segmentFTE(), true
	case name == ChartRenewals:
		return c.renewals(), true
	case name == ChartRebalanceCSMs:
		return c.rebalanceCSMs(), true
	case name == ChartFrontier:
		return c.frontier(), true
	case strings.HasPrefix(name, ChartLoadPrefix):
		for i, s := range c.r.GetSegments() {
			if s.GetName() == strings.TrimPrefix(name, ChartLoadPrefix) {
				return c.load(i, s), true
			}
		}
	}
	return "", false
}

func (c charts) money(x float64) string { return numfmt.Money(x, c.currency) }

func labels(ms []*csplanv1.PlanMonth) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = monthLabel(m.GetMonth())
	}
	return out
}

func series(ms []*csplanv1.PlanMonth, f func(*csplanv1.PlanMonth) float64) []float64 {
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = f(m)
	}
	return out
}

func span(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	return ls[0] + " to " + ls[len(ls)-1]
}

// load is a segment's accounts per effective CSM with and without the
// plan's hires, against its capacity.
func (c charts) load(i int, s *csplanv1.PlanSegmentResult) template.HTML {
	ms := s.GetMonths()
	if len(ms) == 0 {
		return ""
	}
	gap := func(v, eff float64) float64 {
		if eff <= 0 {
			return math.NaN() // no one in seat: the ratio is undefined
		}
		return v
	}
	with := series(ms, func(m *csplanv1.PlanMonth) float64 { return gap(m.GetAccountsPerEffectiveCsm(), m.GetEffectiveCsms()) })
	without := series(ms, func(m *csplanv1.PlanMonth) float64 {
		return gap(m.GetAccountsPerEffectiveCsmWithoutPlan(), m.GetEffectiveCsmsWithoutPlan())
	})
	capacity := series(ms, (*csplanv1.PlanMonth).GetCapacityAccountsPerCsm)
	ls := labels(ms)
	f := func(v float64) string { return dec(v, 1) }
	return template.HTML(svgchart.LineChart{
		ID:    fmt.Sprintf("load-%d", i),
		Title: "Accounts per effective CSM: " + s.GetName(),
		Desc: fmt.Sprintf("%s, %s: with the plan's hires from %s to %s accounts per effective CSM, without them to %s, against a capacity of %s.",
			s.GetName(), span(ls), f(with[0]), f(with[len(with)-1]), f(without[len(without)-1]), f(capacity[0])),
		XLabels: ls, YLabel: "Accounts per effective CSM", YFormat: f,
		Series: []svgchart.Series{
			{Name: "With the plan's hires", Values: with, Color: svgchart.Palette[0]},
			{Name: "Without them", Values: without, Color: svgchart.Palette[1]},
			{Name: "Capacity", Values: capacity, Color: svgchart.ColorBand},
		},
	}.SVG())
}

// headcount is the company's expected and effective heads, the need and
// the managers over time.
func (c charts) headcount() template.HTML {
	ms := c.r.GetMonths()
	if len(ms) == 0 {
		return ""
	}
	ls := labels(ms)
	ss := []svgchart.Series{
		{Name: "Expected headcount", Values: series(ms, (*csplanv1.PlanMonth).GetHeadcount), Color: svgchart.Palette[0]},
		{Name: "Effective CSMs", Values: series(ms, (*csplanv1.PlanMonth).GetEffectiveCsms), Color: svgchart.Palette[2]},
		{Name: "CSMs needed", Values: series(ms, func(m *csplanv1.PlanMonth) float64 { return float64(m.GetNeededCsms()) }), Color: svgchart.ColorHire},
		{Name: "Headcount without the plan", Values: series(ms, (*csplanv1.PlanMonth).GetHeadcountWithoutPlan), Color: svgchart.Palette[7]},
	}
	if ms[len(ms)-1].GetManagers() > 0 {
		ss = append(ss, svgchart.Series{Name: "Managers", Values: series(ms, func(m *csplanv1.PlanMonth) float64 { return float64(m.GetManagers()) }), Color: svgchart.Palette[3]})
	}
	last := ms[len(ms)-1]
	return template.HTML(svgchart.LineChart{
		ID: "headcount", Title: "Headcount, effective CSMs and the need",
		Desc: fmt.Sprintf("%s: expected headcount from %s to %s, effective CSMs to %s, CSMs needed from %d to %d.", span(ls),
			dec(ms[0].GetHeadcount(), 1), dec(last.GetHeadcount(), 1), dec(last.GetEffectiveCsms(), 1), ms[0].GetNeededCsms(), last.GetNeededCsms()),
		XLabels: ls, YLabel: "CSMs", YFormat: func(v float64) string { return dec(v, 1) }, Series: ss,
	}.SVG())
}

// cost is the company's monthly cost share against the band.
func (c charts) cost() template.HTML {
	ms := c.r.GetMonths()
	if len(ms) == 0 {
		return ""
	}
	ls := labels(ms)
	share := series(ms, (*csplanv1.PlanMonth).GetCostShare)
	s := c.r.GetSummary()
	return template.HTML(svgchart.LineChart{
		ID: "cost-share", Title: "CS cost share of revenue against the band",
		Desc: fmt.Sprintf("%s: the run-rate cost share goes from %s to %s, against a band of %s to %s.", span(ls),
			numfmt.Pct(share[0]), numfmt.Pct(share[len(share)-1]), numfmt.Pct(s.GetMinCostShare()), numfmt.Pct(s.GetMaxCostShare())),
		XLabels: ls, YLabel: "Share of revenue", YFormat: pctAxis, Height: 300,
		Series: []svgchart.Series{{Name: "Cost share", Values: share, Color: svgchart.Palette[0]}},
		HLines: []svgchart.HLine{
			{Label: "Band minimum", Value: s.GetMinCostShare(), Color: svgchart.ColorBand},
			{Label: "Band maximum", Value: s.GetMaxCostShare(), Color: svgchart.ColorCritical},
		},
	}.SVG())
}

// quarters is the cost of each fiscal quarter, with growth hires and
// backfills as separate series.
func (c charts) quarters() template.HTML {
	qs := c.r.GetCostByQuarter()
	if len(qs) == 0 {
		return ""
	}
	ls := make([]string, len(qs))
	cost, growth, backfill := make([]float64, len(qs)), make([]float64, len(qs)), make([]float64, len(qs))
	bars := make([]svgchart.Bar, len(qs))
	for i, q := range qs {
		ls[i] = q.GetPeriod()
		cost[i], growth[i], backfill[i] = q.GetTotalCost(), float64(q.GetGrowthHires()), float64(q.GetBackfillHires())
		bars[i] = svgchart.Bar{Label: q.GetPeriod(), Value: q.GetTotalCost()}
		if q.GetPartial() {
			bars[i].Note = "(part)"
		}
	}
	costChart := svgchart.BarChart{ID: "quarter-cost", Title: "Cost by fiscal quarter", Desc: "The total CS cost of each fiscal quarter of the horizon.",
		Bars: bars, XLabel: "Total cost", XFormat: c.money}.SVG()
	hires := svgchart.LineChart{ID: "quarter-hires", Title: "Hires starting by fiscal quarter: growth and backfill",
		Desc:    "Requisitions' hires by the quarter they start in, growth hires and backfills apart.",
		XLabels: ls, YLabel: "Hires", YFormat: func(v float64) string { return dec(v, 0) }, Height: 260,
		Series: []svgchart.Series{{Name: "Growth hires", Values: growth, Color: svgchart.Palette[0]},
			{Name: "Backfills", Values: backfill, Color: svgchart.Palette[1]}}}.SVG()
	return template.HTML(costChart + hires)
}
