package html

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/numfmt"
	"github.com/csplan/csplan/report/doc"
	"github.com/csplan/csplan/report/html/internal/svgchart"
	"github.com/csplan/csplan/report/internal/overload"
)

// A book's rebalancing, as the document places it: each CSM before and
// after the moves, with the utilization coloured by the heat map's bands,
// and the frontier. Both are drawn from a RebalanceResult, figures
// formatted.
const (
	ChartRebalanceCSMs = "rebalance-csms"
	ChartFrontier      = "rebalance-frontier"
)

//go:embed rebalance.html.tmpl
var rebalanceTemplates string

var rebalanceTmpl = template.Must(template.New("rebalance").Parse(rebalanceTemplates))

// Rebalancing is a book's rebalancing for its charts.
type Rebalancing struct {
	Result *csplanv1.RebalanceResult
	// Disruption writes a disruption in its weight's unit ("3 accounts",
	// "12.5 hours a month", "$40.0K ARR"), Axis a tick of its axis.
	Disruption, Axis func(float64) string
}

// RenderRebalance writes a rebalancing's document as one self-contained
// HTML5 page, as RenderBook does a book analysis's; eyebrow is the line
// above the title.
func RenderRebalance(w io.Writer, rb Rebalancing, eyebrow string, d doc.Document) error {
	if rb.Result == nil {
		return errors.New("html: nil rebalancing")
	}
	p, err := newPage(charts{rebalance: &rb}, d)
	if err != nil {
		return err
	}
	p.Eyebrow = eyebrow
	p.Footer = "Every figure is the book service's answer; this page formats it."
	return write(w, p)
}

// utilCell is one utilization, coloured by its heat band.
type utilCell struct {
	Text, Class, Title string
	Over               bool
}

type csmRow struct {
	ID                            string
	Leaves                        bool
	Capacity                      string
	HoursBefore, HoursAfter       string
	Before, After                 utilCell
	AccountsBefore, AccountsAfter string
	Moved                         bool
}

func utilization(id, when string, u, hours, capacity float64) utilCell {
	over := overload.Above(hours, capacity)
	c := utilCell{Text: dec(u*100, 0) + "%", Class: "hm " + heatBand(u, hours, capacity, over), Over: over,
		Title: fmt.Sprintf("%s %s the moves: %s of capacity (%s h of %s h)", id, when, numfmt.Pct(u), dec(hours, 1), dec(capacity, 1))}
	if over {
		c.Title += ", over capacity"
	}
	return c
}

// rebalanceCSMs is each CSM before and after the moves, utilization
// coloured as the heat map colours a month.
func (c charts) rebalanceCSMs() template.HTML {
	if c.rebalance == nil || len(c.rebalance.Result.GetCsms()) == 0 {
		return ""
	}
	var rows []csmRow
	for _, s := range c.rebalance.Result.GetCsms() {
		rows = append(rows, csmRow{
			ID: s.GetId(), Leaves: s.GetDeparting(), Capacity: dec(s.GetCapacityHours(), 1),
			HoursBefore: dec(s.GetHoursBefore(), 1), HoursAfter: dec(s.GetHoursAfter(), 1),
			Before:         utilization(s.GetId(), "before", s.GetUtilizationBefore(), s.GetHoursBefore(), s.GetCapacityHours()),
			After:          utilization(s.GetId(), "after", s.GetUtilizationAfter(), s.GetHoursAfter(), s.GetCapacityHours()),
			AccountsBefore: numfmt.Count(int(s.GetAccountsBefore())), AccountsAfter: numfmt.Count(int(s.GetAccountsAfter())),
		})
	}
	caption := "Each CSM before and after the moves: hours a month, utilization (hours over capacity, coloured as the heat map's months) and accounts. ▲ marks a load over capacity."
	if len(c.rebalance.Result.GetMoves()) == 0 {
		caption = "Each CSM as the book stands, with no moves: hours a month, utilization (hours over capacity, coloured as the heat map's months) and accounts. ▲ marks a load over capacity."
	}
	var b bytes.Buffer
	if err := rebalanceTmpl.ExecuteTemplate(&b, "csms", struct {
		Caption string
		Rows    []csmRow
	}{caption, rows}); err != nil {
		return template.HTML(template.HTMLEscapeString("html: " + err.Error()))
	}
	return template.HTML(b.String())
}

// frontier is the least disruption of each band, as bars.
func (c charts) frontier() template.HTML {
	if c.rebalance == nil || len(c.rebalance.Result.GetFrontier()) == 0 {
		return ""
	}
	f, axis := c.rebalance.Disruption, c.rebalance.Axis
	if f == nil {
		f = func(v float64) string { return dec(v, 2) }
	}
	if axis == nil {
		axis = f
	}
	pts := c.rebalance.Result.GetFrontier()
	bars := make([]svgchart.Bar, len(pts))
	for i, p := range pts {
		bars[i] = svgchart.Bar{Label: numfmt.Pct(p.GetMinUtilization()) + " to " + numfmt.Pct(p.GetMaxUtilization()), Value: p.GetDisruption()}
		switch {
		case !p.GetFeasible():
			bars[i].Value, bars[i].Label = math.NaN(), bars[i].Label+" (infeasible)"
		case p.GetMoves() == 1:
			bars[i].Note = "(1 move)"
		default:
			bars[i].Note = "(" + numfmt.Count(int(p.GetMoves())) + " moves)"
		}
	}
	return template.HTML(svgchart.BarChart{ID: "frontier", Title: "Frontier: the least disruption for each band",
		Desc: fmt.Sprintf("The disruption of the least disruptive rebalancing found for each of %d bands, from %s to %s.", len(bars), bars[0].Label, bars[len(bars)-1].Label),
		Bars: bars, XLabel: "Disruption", XFormat: axis, ValueFormat: f}.SVG())
}
