package html

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"slices"
	"time"

	"github.com/csplan/csplan/internal/numfmt"
	"github.com/csplan/csplan/report/html/internal/svgchart"
	"github.com/csplan/csplan/report/internal/overload"
)

// The book's calendar, as the document places it: the CSM x month heat map
// of utilization, each segment's CSM FTE month by month, and the renewal
// calendar. Each is drawn from a BookAnalysis, a plan's calendar or a book
// analysis alone, and shows its figures formatted.
const (
	ChartHeatMap    = "book-heatmap"
	ChartSegmentFTE = "book-segment-fte"
	ChartRenewals   = "book-renewals"
)

//go:embed book.html.tmpl
var bookTemplates string

var bookTmpl = template.Must(template.New("book").Parse(bookTemplates))

// monthHead is a month's column heading.
type monthHead struct{ Short, Year, Full string }

func monthHeads(ms []string) []monthHead {
	out := make([]monthHead, len(ms))
	for i, m := range ms {
		out[i] = monthHead{Short: m, Full: m}
		if t, err := time.Parse("2006-01", m); err == nil {
			out[i] = monthHead{Short: t.Format("Jan"), Year: t.Format("2006"), Full: t.Format("January 2006")}
		}
	}
	return out
}

// gridCell is one month of a row.
type gridCell struct {
	Text, Class, Title string
	Over               bool
}

type gridRow struct {
	Head  string // the row's name
	Sub   string // its id, when the name differs
	Lead  string // the column after the name (capacity)
	Cells []gridCell
	Tail  string // the last column (months over)
}

type grid struct {
	ID, Caption string
	LeadHead    string
	TailHead    string
	Months      []monthHead
	Rows        []gridRow
	Legend      bool
}

func (g grid) html(name string) template.HTML {
	var b bytes.Buffer
	if err := bookTmpl.ExecuteTemplate(&b, name, g); err != nil {
		// The templates are fixed and their data plain strings: an error
		// here is a bug, shown in the page rather than dropped.
		return template.HTML(template.HTMLEscapeString("html: " + err.Error()))
	}
	return template.HTML(b.String())
}

// Heat bands: the colour of a month by its utilization, with two bands
// over capacity. Which months are over is overload's rule, the one the
// service counts months_over_capacity with.
const (
	bandEmpty = "hm0" // no hours
	bandLow   = "hm1" // under half the capacity
	bandMid   = "hm2" // under 80%
	bandHigh  = "hm3" // up to the capacity
	bandOver  = "hm4" // over capacity, under 120%
	bandFar   = "hm5" // 120% of capacity and more, or hours on no capacity
)

func heatBand(u, hours, capacity float64, over bool) string {
	switch {
	case over && (u >= 1.2 || capacity <= 0):
		return bandFar
	case over:
		return bandOver
	case hours <= 0:
		return bandEmpty
	case u < 0.5:
		return bandLow
	case u < 0.8:
		return bandMid
	default:
		return bandHigh
	}
}

// heatMap is the CSM x month table of utilization: each cell coloured by
// its band, with its percentage, over-capacity months marked, the peak
// month outlined, and its hours and capacity in its title.
func (c charts) heatMap() template.HTML {
	a := c.book
	if len(a.GetCsms()) == 0 || len(a.GetMonths()) == 0 {
		return ""
	}
	ms := a.GetMonths()
	heads := monthHeads(ms)
	g := grid{ID: "heatmap", LeadHead: "Capacity h/mo", TailHead: "Months over", Months: heads, Legend: true,
		Caption: fmt.Sprintf("Utilization by CSM and month, %s to %s: the hours a CSM's accounts take as a share of the CSM's capacity. ▲ marks a month over capacity; the outlined cell is the CSM's peak month.",
			heads[0].Full, heads[len(heads)-1].Full)}
	idle := 0
	for _, csm := range a.GetCsms() {
		// A CSM with no hours in any month (a book sized by a ratio, not a
		// playbook) would be a row of 0%: the notes name them instead.
		if !slices.ContainsFunc(csm.GetHours(), func(h float64) bool { return h > 0 }) {
			idle++
			continue
		}
		name := overload.Name(csm)
		row := gridRow{Head: csm.GetId(), Lead: dec(csm.GetCapacityHours(), 1), Tail: numfmt.Count(int(csm.GetMonthsOverCapacity()))}
		if n := csm.GetName(); n != "" && n != csm.GetId() {
			row.Head, row.Sub = n, csm.GetId()
		}
		hs, us := csm.GetHours(), csm.GetUtilization()
		for i, m := range ms {
			if i >= len(hs) || i >= len(us) {
				row.Cells = append(row.Cells, gridCell{Text: "-", Class: "hm " + bandEmpty, Title: name + ", " + heads[i].Full + ": no figure"})
				continue
			}
			over := overload.Over(csm, i)
			cell := gridCell{Text: dec(us[i]*100, 0) + "%", Class: "hm " + heatBand(us[i], hs[i], csm.GetCapacityHours(), over), Over: over,
				Title: fmt.Sprintf("%s, %s: %s of capacity (%s h of %s h)", name, heads[i].Full, numfmt.Pct(us[i]), dec(hs[i], 1), dec(csm.GetCapacityHours(), 1))}
			if over {
				cell.Title += ", over capacity"
			}
			if m == csm.GetPeakMonth() && csm.GetPeakUtilization() > 0 {
				cell.Class += " peak"
				cell.Title += ", peak month"
			}
			row.Cells = append(row.Cells, cell)
		}
		g.Rows = append(g.Rows, row)
	}
	if len(g.Rows) == 0 {
		return ""
	}
	if idle > 0 {
		who := numfmt.Count(idle) + " CSMs with no hours in these months are"
		if idle == 1 {
			who = "1 CSM with no hours in these months is"
		}
		g.Caption += " " + who + " not shown (see the notes)."
	}
	return g.html("grid")
}

// segmentFTE is each segment's CSM FTE month by month, the peak month
// outlined.
func (c charts) segmentFTE() template.HTML {
	a := c.book
	if len(a.GetSegments()) == 0 || len(a.GetMonths()) == 0 {
		return ""
	}
	ms := a.GetMonths()
	heads := monthHeads(ms)
	g := grid{ID: "segment-fte", LeadHead: "Accounts", TailHead: "Mean FTE", Months: heads,
		Caption: "CSM FTE each segment's hours need, by month; the outlined cell is the segment's peak month."}
	for _, s := range a.GetSegments() {
		row := gridRow{Head: s.GetName(), Lead: numfmt.Count(int(s.GetAccounts())), Tail: dec(s.GetMeanCsmFte(), 2)}
		fte, hs := s.GetCsmFte(), s.GetHours()
		for i, m := range ms {
			if i >= len(fte) || i >= len(hs) {
				row.Cells = append(row.Cells, gridCell{Text: "-", Class: "fte"})
				continue
			}
			cell := gridCell{Text: dec(fte[i], 2), Class: "fte", Title: fmt.Sprintf("%s, %s: %s CSM FTE (%s h)", s.GetName(), heads[i].Full, dec(fte[i], 2), dec(hs[i], 1))}
			if m == s.GetPeakMonth() {
				cell.Class += " peak"
				cell.Title += ", peak month"
			}
			row.Cells = append(row.Cells, cell)
		}
		g.Rows = append(g.Rows, row)
	}
	return g.html("grid")
}

// renewals is the ARR renewing each month, with the accounts renewing.
func (c charts) renewals() template.HTML {
	rs := c.book.GetRenewals()
	if len(rs) == 0 {
		return ""
	}
	bars := make([]svgchart.Bar, len(rs))
	for i, m := range rs {
		bars[i] = svgchart.Bar{Label: monthLabel(m.GetMonth()), Value: m.GetArr()}
		switch n := m.GetAccounts(); n {
		case 0:
		case 1:
			bars[i].Note = "(1 account)"
		default:
			bars[i].Note = "(" + numfmt.Count(int(n)) + " accounts)"
		}
	}
	return template.HTML(svgchart.BarChart{ID: "renewals", Title: "Renewal calendar: ARR renewing by month",
		Desc: fmt.Sprintf("The ARR and the accounts renewing in each month from %s to %s.", bars[0].Label, bars[len(bars)-1].Label),
		Bars: bars, XLabel: "ARR renewing", XFormat: c.money}.SVG())
}
