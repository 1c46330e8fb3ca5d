package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/report/doc"
	"github.com/csplan/csplan/report/html"
	"github.com/csplan/csplan/report/internal/overload"
)

// The book's calendar (a BookAnalysis): each CSM's load month by month,
// the CSMs over capacity, each segment's need and the renewal calendar.
// The plan report places it when the service sent the plan's calendar;
// RenderBook writes a book analysis on its own (csplan book analyze).
// Every figure is the analysis's, formatted.

// Book is a book analysis to render on its own.
type Book struct {
	// Company names the book in the title (optional).
	Company string
	// Currency is the display code of the ARR (default USD).
	Currency string
	// Analysis is the service's answer.
	Analysis *csplanv1.BookAnalysis
}

// RenderBook writes a book analysis in format: "text" (or "table"),
// "markdown" (or "md") or "html". JSON is the service's answer itself,
// which the caller prints.
func RenderBook(w io.Writer, format string, b Book) error {
	if b.Analysis == nil {
		return fmt.Errorf("report: no book analysis to render")
	}
	d := bookDocument(b)
	switch format {
	case "text", "table", "":
		return doc.WriteText(w, d)
	case "markdown", "md":
		return doc.WriteMarkdown(w, d)
	case "html":
		return html.RenderBook(w, b.Analysis, b.Currency, d)
	default:
		return fmt.Errorf("unknown format %q: use text, markdown or html", format)
	}
}

// bookDocument lays a book analysis out: the CSMs, the segments, the
// renewal calendar, what the book lacks, the assumptions.
func bookDocument(b Book) doc.Document {
	a := b.Analysis
	var d doc.Document
	title := "The book month by month"
	if b.Company != "" {
		title += ": " + b.Company
	}
	d.H(1, title)
	d.P(fmt.Sprintf("%s; a full CSM has %s customer hours a month.", windowText(a.GetMonths()), num(a.GetAvailableHoursPerCsmMonth(), 1)))
	d.H(2, "CSMs")
	csmLoads(&d, a, b.Currency)
	if len(a.GetSegments()) > 0 {
		d.H(2, "Segments")
		segmentLoads(&d, a)
	}
	d.H(2, "Renewal calendar")
	renewalCalendar(&d, a, b.Currency)
	if notes := bookNotes(a); len(notes) > 0 {
		d.H(2, "Owners and dates")
		d.List(notes...)
	}
	d.H(2, "Assumptions")
	t := doc.NewTable("Input", "Value", "Source")
	for _, x := range a.GetAssumptions() {
		t.Row(x.GetName(), x.GetValue(), x.GetSource())
	}
	d.Add(t)
	return d
}

// calendar is the plan's book month by month, when the service sent it
// with CSMs: their loads and overloads, the heat map (HTML), the renewal
// calendar.
func (b *builder) calendar() {
	a := b.r.GetCalendar()
	if len(a.GetCsms()) == 0 {
		return
	}
	b.d.H(2, "The book month by month")
	b.d.P(windowText(a.GetMonths()) + ", from the owners and dates of the book's accounts.")
	csmLoads(&b.d, a, b.cur)
	b.d.H(3, "Renewal calendar")
	renewalCalendar(&b.d, a, b.cur)
	b.d.List(bookNotes(a)...)
}

// windowText is "12 months from 2027-01 to 2027-12".
func windowText(ms []string) string {
	switch len(ms) {
	case 0:
		return "No months"
	case 1:
		return "1 month, " + ms[0]
	}
	return fmt.Sprintf("%d months from %s to %s", len(ms), ms[0], ms[len(ms)-1])
}

// csmLoads is each CSM's row, a sentence for each CSM over capacity, and
// the place of the heat map.
func csmLoads(d *doc.Document, a *csplanv1.BookAnalysis, cur string) {
	ms := a.GetMonths()
	d.P("Hours each CSM's accounts take a month, against the CSM's capacity (customer hours a month); a month is over capacity when its hours are above the capacity.")
	var overloaded []string
	for _, c := range a.GetCsms() {
		if s := overloadSentence(c, ms); s != "" {
			overloaded = append(overloaded, s)
		}
	}
	if len(overloaded) == 0 {
		d.P("No CSM is over capacity in any month.")
	}
	d.List(overloaded...)
	t := doc.NewTable("CSM", "Name", ">Accounts", ">ARR", ">Capacity", "Peak month", ">Peak", ">Months over")
	for _, c := range a.GetCsms() {
		t.Row(c.GetId(), or(c.GetName()), count32(c.GetAccounts()), money(c.GetArr(), cur), num(c.GetCapacityHours(), 1),
			peakMonth(c), pct(c.GetPeakUtilization()), count32(c.GetMonthsOverCapacity()))
	}
	d.Add(t)
	if len(ms) > 0 {
		// Text and Markdown show the months as strips; the HTML as its
		// heat map.
		st := doc.NewTable("CSM", "Utilization by month from "+ms[0])
		for _, c := range a.GetCsms() {
			st.Row(c.GetId(), strip(c, len(ms)))
		}
		st.MarkTextOnly(0)
		st.MarkTextOnly(1)
		d.Add(st)
		d.TextP(fmt.Sprintf("A mark a month, in threes: %s to %s is the share of capacity used, up to 100%%; %s a month over capacity; %s a month without hours.",
			string(stripLevels[0]), string(stripLevels[len(stripLevels)-1]), stripOver, stripNone))
	}
	d.Chart(html.ChartHeatMap)
}

// peakMonth is a CSM's peak month, or a dash for a CSM whose utilization
// is 0 in every month: its "peak" is only the first month.
func peakMonth(c *csplanv1.BookCsmLoad) string {
	if c.GetPeakUtilization() <= 0 {
		return "-"
	}
	return or(c.GetPeakMonth())
}

// The marks of a utilization strip.
var stripLevels = []rune("▁▂▃▄▅▆▇")

const (
	stripOver = "!"
	stripNone = "·"
)

// strip is a CSM's utilization month by month, a mark a month in groups of
// three: the mark's height is the share of capacity used, "!" a month
// over capacity (overload.Over, the rule of months_over_capacity).
func strip(c *csplanv1.BookCsmLoad, months int) string {
	var b strings.Builder
	hs, us := c.GetHours(), c.GetUtilization()
	for i := range months {
		if i > 0 && i%3 == 0 {
			b.WriteByte(' ')
		}
		switch {
		case overload.Over(c, i):
			b.WriteString(stripOver)
		case i >= len(hs) || i >= len(us) || hs[i] <= 0:
			b.WriteString(stripNone)
		default:
			level := int(us[i] * float64(len(stripLevels)))
			if float64(level) < us[i]*float64(len(stripLevels)) {
				level++ // ceil: any hours show at least the lowest mark
			}
			b.WriteRune(stripLevels[min(max(level, 1), len(stripLevels))-1])
		}
	}
	return b.String()
}

// overloadSentence says in which months a CSM with months over capacity
// is over it, its peak and the accounts that take the most hours in the
// peak month; "" for a CSM never over capacity. The months named are
// those overload.Months finds, as many as months_over_capacity.
func overloadSentence(c *csplanv1.BookCsmLoad, months []string) string {
	n := int(c.GetMonthsOverCapacity())
	if n == 0 {
		return ""
	}
	over := overload.Months(c)
	when := fmt.Sprintf("in %d months", n)
	if len(over) == n && over[n-1] < len(months) {
		when = "in " + monthList(over, months)
	}
	name := overload.Name(c)
	if c.GetCapacityHours() <= 0 {
		return fmt.Sprintf("%s has no capacity (0 customer hours a month) but carries hours %s.", name, when)
	}
	s := fmt.Sprintf("%s is over capacity %s (peak %s in %s)", name, when, pct(c.GetPeakUtilization()), c.GetPeakMonth())
	if pa := c.GetPeakAccounts(); len(pa) > 0 {
		parts := make([]string, len(pa))
		for i, x := range pa {
			parts[i] = fmt.Sprintf("%s (%s h)", x.GetAccountId(), num(x.GetHours(), 1))
		}
		s += ", driven by " + joinAnd(parts)
	}
	return s + "."
}

// monthList names months by their indexes, a run of three or more
// consecutive months as "2027-03 to 2027-06".
func monthList(idx []int, months []string) string {
	var parts []string
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, months[idx[i]]+" to "+months[idx[j]])
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, months[idx[k]])
			}
		}
		i = j + 1
	}
	return joinAnd(parts)
}

// joinAnd is "a", "a and b", "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// segmentLoads is each segment's need in CSMs: its peak and mean, and the
// place of the month-by-month table.
func segmentLoads(d *doc.Document, a *csplanv1.BookAnalysis) {
	d.P("CSMs each segment's hours need, month by month: the hours over one full CSM's customer hours.")
	t := doc.NewTable("Segment", ">Accounts", "Peak month", ">Peak FTE", ">Mean FTE")
	for _, s := range a.GetSegments() {
		t.Row(s.GetName(), count32(s.GetAccounts()), or(s.GetPeakMonth()), num(s.GetPeakCsmFte(), 2), num(s.GetMeanCsmFte(), 2))
	}
	d.Add(t)
	d.Chart(html.ChartSegmentFTE)
}

// renewalCalendar is the accounts and ARR renewing each month.
func renewalCalendar(d *doc.Document, a *csplanv1.BookAnalysis, cur string) {
	renews := false
	t := doc.NewTable("Month", ">Accounts renewing", ">ARR renewing")
	for _, m := range a.GetRenewals() {
		t.Row(m.GetMonth(), count32(m.GetAccounts()), money(m.GetArr(), cur))
		renews = renews || m.GetAccounts() > 0
	}
	if !renews {
		d.P("No account renews in these months.")
		return
	}
	d.Add(t)
	d.Chart(html.ChartRenewals)
}

// bookNotes are what the book lacks: owners the team does not list,
// accounts without an owner, accounts without the dates their playbook
// needs.
func bookNotes(a *csplanv1.BookAnalysis) []string {
	var out []string
	if u := a.GetUnknownOwners(); len(u) > 0 {
		out = append(out, fmt.Sprintf("Owners of the book not in the team (book.csms), each counted at a full CSM's capacity: %s.", strings.Join(u, ", ")))
	}
	if n := a.GetUnownedAccounts(); n > 0 {
		verb := "have no owner; their"
		if n == 1 {
			verb = "has no owner; its"
		}
		var hours []string
		for i, h := range a.GetUnownedHours() {
			if i < len(a.GetMonths()) && h > 0 {
				hours = append(hours, a.GetMonths()[i]+" "+num(h, 1)+" h")
			}
		}
		s := fmt.Sprintf("%s %s hours are in no CSM's load", accountsText(n), verb)
		if len(hours) > 0 {
			s += ": " + strings.Join(hours, ", ")
		} else {
			s += " (they take none in these months)"
		}
		out = append(out, s+".")
	}
	var idle []string
	for _, c := range a.GetCsms() {
		if c.GetAccounts() > 0 && !slices.ContainsFunc(c.GetHours(), func(h float64) bool { return h > 0 }) {
			idle = append(idle, c.GetId())
		}
	}
	if len(idle) > 0 {
		out = append(out, fmt.Sprintf("CSMs whose accounts take no hours in these months (0%% above; a segment sized by a ratio rather than a playbook has none): %s.", strings.Join(idle, ", ")))
	}
	if n := a.GetAccountsWithoutDates(); n > 0 {
		verb := "lack the dates their playbook places touchpoints by"
		if n == 1 {
			verb = "lacks the dates its playbook places touchpoints by"
		}
		out = append(out, fmt.Sprintf("%s %s: those touchpoints are spread evenly over the months instead.", accountsText(n), verb))
	}
	if n := a.GetExcludedAccounts(); n > 0 {
		out = append(out, fmt.Sprintf("Left out as not customers (customer_stages or exclude_stages): %s, in none of the figures above.", accountsText(n)))
	}
	return out
}
