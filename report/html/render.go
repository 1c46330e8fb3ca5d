package html

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/report/numfmt"
)

//go:embed report.html.tmpl
var reportTemplate string

//go:embed style.css
var styleSheet string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":      pct,
	"count":    func(v any) string { return count(toFloat(v)) },
	"dec":      func(v float64, d int) string { return dec(v, d) },
	"signed":   signed,
	"month":    monthLabel,
	"humanize": humanize,
	"tone":     tone,
	"join":     strings.Join,
	"inc":      func(i int) int { return i + 1 },
	"lower":    strings.ToLower,
	"triggerName": func(name string) string {
		if strings.EqualFold(name, "arr") {
			return "ARR"
		}
		return strings.ToLower(name)
	},
}).Parse(reportTemplate))

// Render writes r as one self-contained HTML5 document: styles and charts
// (SVG) are inline, and nothing is fetched from the network, so the file
// opens offline and prints. Every piece of text from the report is escaped.
// Nothing is written when rendering fails.
func Render(w io.Writer, r *planner.Report) error {
	if r == nil {
		return errors.New("html: nil report")
	}
	p := newPage(r)
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, p); err != nil {
		return fmt.Errorf("html: render report: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// page is the template's view of a report: the report itself, the charts
// drawn from it and the few groupings the template cannot express.
type page struct {
	R   *planner.Report
	CSS template.CSS

	LoadCharts []loadChart
	ARRChart   template.HTML
	CostChart  template.HTML

	// Evaluations lists the company-wide evaluation first, then each
	// segment's.
	Evaluations []planner.TeamEvaluation
	Assumptions []assumptionGroup
	// CostBand is the band the cost share is measured against.
	CostBandMin, CostBandMax float64
}

type assumptionGroup struct {
	Section string
	Items   []planner.Assumption
}

func newPage(r *planner.Report) *page {
	p := &page{R: r, CSS: template.CSS(styleSheet)}
	p.CostBandMin, p.CostBandMax = r.Summary.CostShare.Min, r.Summary.CostShare.Max
	if p.CostBandMin == 0 && p.CostBandMax == 0 {
		p.CostBandMin, p.CostBandMax = r.Coverage.MinCostShare, r.Coverage.MaxCostShare
	}
	p.LoadCharts = p.loadCharts()
	p.ARRChart = p.arrChart()
	p.CostChart = p.costChart()
	if len(r.Evaluation.Overall.Factors) > 0 || r.Evaluation.Overall.CSMs > 0 {
		o := r.Evaluation.Overall
		if o.Name == "" {
			o.Name = "Company"
		}
		p.Evaluations = append(p.Evaluations, o)
	}
	p.Evaluations = append(p.Evaluations, r.Evaluation.Segments...)
	index := map[string]int{}
	for _, a := range r.Assumptions {
		i, ok := index[a.Section]
		if !ok {
			i = len(p.Assumptions)
			index[a.Section] = i
			p.Assumptions = append(p.Assumptions, assumptionGroup{Section: a.Section})
		}
		p.Assumptions[i].Items = append(p.Assumptions[i].Items, a)
	}
	return p
}

// Money formats whole currency units in the report's currency.
func (p *page) Money(v float64) string { return numfmt.MoneyWhole(v, p.R.Currency) }

// MoneyShort formats money compactly ("$1.25M").
func (p *page) MoneyShort(v float64) string { return p.moneyShort(v) }

func (p *page) moneyShort(v float64) string { return numfmt.Money(v, p.R.Currency) }

// MoneyOpt formats money that may be unset (a median of a book given as
// totals) compactly, and unset as a dash: never as 0.
func (p *page) MoneyOpt(v *float64) string {
	if v == nil {
		return "—"
	}
	return p.moneyShort(*v)
}

func (p *page) currency() string {
	if c := strings.TrimSpace(p.R.Currency); c != "" {
		return strings.ToUpper(c)
	}
	return "USD"
}

// Currency is the report's currency code.
func (p *page) Currency() string { return p.currency() }

// HasCapacity reports whether the bottom-up model ran for any segment.
func (p *page) HasCapacity() bool { return len(p.R.Capacity.Segments) > 0 }

// Overdue lists the triggers, across segments, whose requisition is late.
func (p *page) Overdue() []segmentTrigger {
	var out []segmentTrigger
	for _, f := range p.R.Forecast.Segments {
		for _, t := range f.Triggers {
			if t.Status == "OVERDUE" || t.Status == "DUE_NOW" {
				out = append(out, segmentTrigger{Segment: f.Name, Trigger: t})
			}
		}
	}
	return out
}

type segmentTrigger struct {
	Segment string
	planner.Trigger
}

// ThresholdLabel names a trigger's threshold with its unit.
func (p *page) ThresholdLabel(t planner.Trigger) string {
	if t.Name == "arr" {
		return p.moneyShort(t.Threshold) + " ARR per CSM"
	}
	return dec(t.Threshold, 1) + " accounts per CSM"
}

// FactorValue formats a factor's value in its unit.
func (p *page) FactorValue(factor string, v float64) string {
	switch factor {
	case "ARR":
		return p.moneyShort(v)
	case "WORKLOAD":
		return pct(v)
	default:
		return dec(v, 1)
	}
}

// FactorRange formats a factor's healthy band and limit.
func (p *page) FactorRange(f planner.FactorResult) string {
	return p.FactorValue(f.Factor, f.HealthyMin) + " to " + p.FactorValue(f.Factor, f.HealthyMax)
}

// FactorName names a factor for people.
func FactorName(f string) string {
	switch f {
	case "ARR":
		return "ARR per CSM"
	case "VOLUME":
		return "Accounts per CSM"
	case "WORKLOAD":
		return "Workload (utilisation)"
	case "":
		return "—"
	default:
		return humanize(f)
	}
}

// BindingShift names the binding factor today and, where it changes, in 12
// months: "ARR", "Volume → ARR".
func (p *page) BindingShift(now, later string) string {
	short := func(f string) string {
		switch f {
		case "ARR":
			return "ARR"
		case "VOLUME":
			return "Accounts"
		default:
			return humanize(f)
		}
	}
	if later == "" || later == now {
		return short(now)
	}
	return short(now) + " → " + short(later) + " (12 mo)"
}

// FactorName is the template's access to the package function.
func (p *page) FactorName(f string) string { return FactorName(f) }

// VerdictText is the verdict as a headline: "Hire now", "Hire later, by
// Jun 2026", "Hold".
func (p *page) VerdictText() string {
	s := p.R.Summary
	v := humanize(s.Verdict)
	if s.Verdict == "HIRE_LATER" && s.HireByMonth != "" {
		v += ", by " + monthLabel(s.HireByMonth)
	}
	if s.Verdict == "" {
		v = "No verdict"
	}
	return v
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	default:
		return 0
	}
}
