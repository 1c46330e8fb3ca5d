package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/numfmt"
	"github.com/csplan/csplan/report/doc"
	"github.com/csplan/csplan/report/html"
)

// A book's rebalancing (a RebalanceResult): the summary, the moves, each
// CSM before and after, the frontier and, for a departure drill, where the
// leavers' accounts go and what the team carries until a backfill is
// ramped. RenderRebalance writes it on its own (csplan book rebalance,
// csplan book depart); a plan's report places it as its "Rebalancing"
// section. Every figure is the answer's, formatted.

// Rebalance is a rebalancing to render.
type Rebalance struct {
	// Company names the book in the title (optional).
	Company string
	// Currency is the display code of the ARR (default USD).
	Currency string
	// Weight is the disruption weight the settings asked for, which says
	// what the disruption counts (unspecified: accounts, the default).
	Weight csplanv1.DisruptionWeight
	// Departing are the CSMs of a departure drill (the settings'
	// departing_csm_ids): the document then says where their accounts go
	// and what the drill found.
	Departing []string
	// ListMoves caps the moves listed (0: all of them); the rest are
	// counted.
	ListMoves int
	// StartMonth and HorizonMonths are the window the settings asked for
	// ("" and 0: the service's defaults, which its assumptions name), so
	// that the drill's sentence says when the window ends before the
	// backfill is ramped.
	StartMonth    string
	HorizonMonths int32
	// Result is the service's answer.
	Result *csplanv1.RebalanceResult
}

// DefaultPlanMoves is how many moves a plan's report lists.
const DefaultPlanMoves = 50

// RenderRebalance writes a rebalancing in format: "text" (or "table"),
// "markdown" (or "md") or "html". JSON is the service's answer itself,
// which the caller prints.
func RenderRebalance(w io.Writer, format string, rb Rebalance) error {
	if rb.Result == nil {
		return fmt.Errorf("report: no rebalancing to render")
	}
	d := rebalanceDocument(rb)
	switch format {
	case "text", "table", "":
		return doc.WriteText(w, d)
	case "markdown", "md":
		return doc.WriteMarkdown(w, d)
	case "html":
		eyebrow := "Customer Success book, rebalanced"
		if len(rb.Departing) > 0 {
			eyebrow = "Customer Success book, departure drill"
		}
		return html.RenderRebalance(w, rb.charts(), eyebrow, d)
	default:
		return fmt.Errorf("unknown format %q: use text, markdown or html", format)
	}
}

// charts is what the HTML draws the rebalancing's charts from.
func (rb Rebalance) charts() html.Rebalancing {
	axis := func(x float64) string { return num(x, 2) }
	if rb.Weight == csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_ARR {
		axis = func(x float64) string { return money(x, rb.Currency) }
	}
	return html.Rebalancing{Result: rb.Result, Axis: axis,
		Disruption: func(x float64) string { return disruptionText(x, rb.Weight, rb.Currency) }}
}

// withCurrency is rb with the plan's currency when it names none.
func (rb Rebalance) withCurrency(cur string) Rebalance {
	if rb.Currency == "" {
		rb.Currency = cur
	}
	return rb
}

func rebalanceDocument(rb Rebalance) doc.Document {
	var d doc.Document
	title := "Rebalancing the book"
	if len(rb.Departing) > 0 {
		title = "Departure drill: " + joinAnd(rb.Departing) + " " + leaveVerb(len(rb.Departing))
	}
	if rb.Company != "" {
		title += " (" + rb.Company + ")"
	}
	d.H(1, title)
	d.P(scopeSentence(rb))
	d.H(2, "Summary")
	rebalanceBody(&d, rb, 2)
	d.H(2, "Assumptions")
	assumptionTable(&d, rb.Result.GetAssumptions())
	return d
}

func leaveVerb(n int) string {
	if n == 1 {
		return "leaves"
	}
	return "leave"
}

// scopeSentence is the team and what the disruption counts.
func scopeSentence(rb Rebalance) string {
	return fmt.Sprintf("%s; the disruption counts %s. Each CSM's utilization is the hours its accounts take a month (their mean over the months analyzed) over its capacity (customer hours a month); the band and the guardrails are in the assumptions.",
		plural(len(rb.Result.GetCsms()), "CSM", "CSMs"), weightText(rb.Weight))
}

func assumptionTable(d *doc.Document, as []*csplanv1.Assumption) {
	t := doc.NewTable("Input", "Value", "Source")
	for _, x := range as {
		t.Row(x.GetName(), x.GetValue(), x.GetSource())
	}
	d.Add(t)
}

// rebalancing is the plan's rebalancing, when the CLI sent the plan's
// rebalance section to the book service: the summary, the moves (at most
// DefaultPlanMoves listed) and each CSM before and after.
func (b *builder) rebalancing() {
	rb := b.rebalance
	if rb == nil || rb.Result == nil {
		return
	}
	x := rb.withCurrency(b.cur)
	if x.ListMoves == 0 {
		x.ListMoves = DefaultPlanMoves
	}
	b.d.H(2, "Rebalancing")
	b.d.P("The book service's answer for the plan's rebalance section. " + scopeSentence(x))
	rebalanceBody(&b.d, x, 3)
	b.d.H(3, "Rebalancing assumptions")
	assumptionTable(&b.d, x.Result.GetAssumptions())
}

// rebalanceBody is the summary's paragraphs, then the sections at the
// given heading level: the moves (the leavers' first for a drill), each
// CSM before and after, and the frontier when asked.
func rebalanceBody(d *doc.Document, rb Rebalance, level int) {
	r := rb.Result
	d.P(summarySentence(rb))
	if n := r.GetUnownedAccounts(); n > 0 {
		d.P(fmt.Sprintf("%s without an owner %s where %s.", plural(int(n), "account", "accounts"), pick(n == 1, "stays", "stay"), pick(n == 1, "it is", "they are")))
	}
	if n := r.GetUnbandedCsms(); n > 0 {
		var ids []string
		for _, c := range r.GetCsms() {
			if c.GetUnbanded() {
				ids = append(ids, c.GetId())
			}
		}
		d.P(fmt.Sprintf("%s whose accounts take no hours in the book (a segment sized by a ratio rather than a playbook) %s left as %s, outside the band: %s.",
			plural(int(n), "CSM", "CSMs"), pick(n == 1, "is", "are"), pick(n == 1, "it is", "they are"), strings.Join(ids, ", ")))
	}
	drill := len(rb.Departing) > 0 || r.GetDeparture() != nil
	if drill {
		d.P(drillSentence(rb))
	}
	moves := r.GetMoves()
	// An infeasible answer may still carry the moves of the closest
	// assignment found; with none, "after" is the book as it stands.
	stands := !r.GetFeasible() && len(moves) == 0
	if drill {
		leaving := map[string]bool{}
		for _, c := range r.GetCsms() {
			if c.GetDeparting() {
				leaving[c.GetId()] = true
			}
		}
		var theirs, others []*csplanv1.AccountMove
		for _, m := range moves {
			if leaving[m.GetFromCsm()] {
				theirs = append(theirs, m)
			} else {
				others = append(others, m)
			}
		}
		d.H(level, "Where "+possessive(leavers(r, rb.Departing))+" accounts go")
		switch {
		case len(theirs) == 0 && r.GetFeasible():
			d.P(pick(len(leaving) == 1, "The leaver owns", "The leavers own") + " no account of the book.")
		case len(theirs) == 0:
			d.P("None of their accounts moves: no assignment fits the band and the guardrails (see above).")
		case !r.GetFeasible():
			d.P(infeasibleMoves)
			moveTable(d, rb, theirs, false)
		default:
			moveTable(d, rb, theirs, false)
		}
		if len(others) > 0 {
			d.H(level, "Other moves")
			d.P("Accounts of staying CSMs that move too, to bring every staying CSM within the band.")
			moveTable(d, rb, others, true)
		}
		d.H(level, pick(stands, "The team as it stands", "The team after"))
	} else {
		d.H(level, "Moves")
		switch {
		case len(moves) == 0:
			d.P("No account moves.")
		case !r.GetFeasible():
			d.P(infeasibleMoves)
			moveTable(d, rb, moves, true)
		default:
			d.P("Each account that changes CSM, with its hours a month and its ARR.")
			moveTable(d, rb, moves, true)
		}
		d.H(level, pick(stands, "CSMs as they stand", "CSMs before and after"))
	}
	beforeAfter(d, r)
	if f := r.GetFrontier(); len(f) > 0 {
		d.H(level, "Frontier")
		d.P("What each move buys: the least disruption found for each band, the given one first, then the maximum tightened towards the team's mean utilization.")
		t := doc.NewTable("Band", ">Moves", ">Disruption", "Feasible")
		for _, p := range f {
			dis, n := disruptionText(p.GetDisruption(), rb.Weight, rb.Currency), count32(p.GetMoves())
			if !p.GetFeasible() {
				dis, n = "-", "-"
			}
			t.Row(pct(p.GetMinUtilization())+" to "+pct(p.GetMaxUtilization()), n, dis, yesNo(p.GetFeasible()))
		}
		d.Add(t)
		d.Chart(html.ChartFrontier)
	}
}

// infeasibleMoves introduces the moves of an infeasible answer.
const infeasibleMoves = "The moves of the closest assignment the service found. It does not bring every CSM within the band: these moves are not a rebalancing of the book."

// moveTable lists moves, at most rb.ListMoves of them, with "and N more".
func moveTable(d *doc.Document, rb Rebalance, moves []*csplanv1.AccountMove, reason bool) {
	head := []string{"Account", "From", "To", ">Hours/mo", ">ARR"}
	if reason {
		head = append(head, "Reason")
	}
	t := doc.NewTable(head...)
	shown := moves
	if rb.ListMoves > 0 && len(moves) > rb.ListMoves {
		shown = moves[:rb.ListMoves]
	}
	for _, m := range shown {
		cells := []string{m.GetAccountId(), m.GetFromCsm(), m.GetToCsm(), num(m.GetMonthlyHours(), 1), money(m.GetArr(), rb.Currency)}
		if reason {
			cells = append(cells, m.GetReason())
		}
		t.Row(cells...)
	}
	d.Add(t)
	if rest := len(moves) - len(shown); rest > 0 {
		d.P(fmt.Sprintf("And %s more %s: `csplan book rebalance --out moves.csv` writes every move to the CRM bulk-update file.", numfmt.Count(rest), pick(rest == 1, "move", "moves")))
	}
}

// beforeAfter is each CSM's hours, utilization and accounts before and
// after the moves. The HTML draws it with its utilization coloured as the
// heat map's, so the table is the text's and Markdown's.
func beforeAfter(d *doc.Document, r *csplanv1.RebalanceResult) {
	t := doc.NewTable("CSM", ">Capacity", ">Hours before", ">Hours after", ">Before", ">After", ">Accounts before", ">Accounts after")
	for _, c := range r.GetCsms() {
		id := c.GetId()
		if c.GetDeparting() {
			id += " (leaves)"
		}
		t.Row(id, num(c.GetCapacityHours(), 1), num(c.GetHoursBefore(), 1), num(c.GetHoursAfter(), 1),
			pct(c.GetUtilizationBefore()), pct(c.GetUtilizationAfter()), count32(c.GetAccountsBefore()), count32(c.GetAccountsAfter()))
	}
	for i := range t.Head {
		t.MarkTextOnly(i)
	}
	d.Add(t)
	d.Chart(html.ChartRebalanceCSMs)
}

// summarySentence says whether the book fits, and at what disruption.
func summarySentence(rb Rebalance) string {
	r := rb.Result
	if !r.GetFeasible() {
		s := "**Infeasible**: " + strings.TrimSuffix(r.GetInfeasibility().GetReason(), ".") + "."
		if short := r.GetInfeasibility().GetFteShort(); short > 0 {
			s += fmt.Sprintf(" The staying CSMs are %s FTE short.", num(short, 2))
		}
		return s
	}
	n := len(r.GetMoves())
	if n == 0 {
		return "**Feasible** with no moves: every CSM is within the band as the book stands."
	}
	s := fmt.Sprintf("**Feasible**: %s, a disruption of %s", plural(n, "move", "moves"), disruptionText(r.GetDisruption(), rb.Weight, rb.Currency))
	if r.GetOptimal() {
		return s + fmt.Sprintf(", proven optimal (the lower bound is %s: no assignment within the band and the guardrails is less disruptive).",
			disruptionText(r.GetLowerBound(), rb.Weight, rb.Currency))
	}
	return s + fmt.Sprintf(", not proven optimal: the proven lower bound on any assignment within the band and the guardrails is %s.",
		disruptionText(r.GetLowerBound(), rb.Weight, rb.Currency))
}

// drillSentence is the departure drill's answer: the months some staying
// CSM is above the band until a backfill opened now is ramped, and the
// peak; or that there are none. An infeasible drill places no accounts,
// so its months say nothing and are not named. The service looks only at
// the months analyzed: when they end before the backfill is ramped, the
// sentence says so.
func drillSentence(rb Rebalance) string {
	r := rb.Result
	dep := r.GetDeparture()
	ramped := dep.GetBackfillRampedMonth()
	cut := ""
	if end, ok := windowEnd(rb); ok && monthBefore(end, ramped, 2) {
		cut = fmt.Sprintf(" The months analyzed end in %s: the months after it, before the backfill is ramped, are not looked at.", end)
	}
	switch {
	case !r.GetFeasible():
		return "With no assignment for the leavers' accounts, the drill cannot say which months the team is above the band before a backfill is ramped" + inMonth(ramped) + "."
	case len(dep.GetMonthsOver()) == 0:
		return "No staying CSM is above the band in any month before a backfill opened now is ramped" + inMonth(ramped) + "." + cut
	}
	return fmt.Sprintf("Until a backfill opened now is ramped%s, at least one staying CSM is above the band in %s (peak %s of capacity).%s",
		inMonth(ramped), monthRuns(dep.GetMonthsOver()), pct(dep.GetPeakUtilization()), cut)
}

// windowEnd is the last month analyzed: the settings' window, else the
// service's defaults as its assumptions name them.
func windowEnd(rb Rebalance) (string, bool) {
	start, horizon := rb.StartMonth, int(rb.HorizonMonths)
	for _, a := range rb.Result.GetAssumptions() {
		switch {
		case a.GetName() == "start_month" && start == "":
			start = a.GetValue()
		case a.GetName() == "horizon_months" && horizon == 0:
			horizon, _ = strconv.Atoi(a.GetValue())
		}
	}
	t, err := time.Parse("2006-01", start)
	if err != nil || horizon <= 0 {
		return "", false
	}
	return t.AddDate(0, horizon-1, 0).Format("2006-01"), true
}

// monthBefore reports whether month a is at least n months before b.
func monthBefore(a, b string, n int) bool {
	ta, errA := time.Parse("2006-01", a)
	tb, errB := time.Parse("2006-01", b)
	return errA == nil && errB == nil && !ta.AddDate(0, n, 0).After(tb)
}

func inMonth(m string) string {
	if m == "" {
		return ""
	}
	return " in " + m
}

// monthRuns names months ("YYYY-MM"), a run of three or more consecutive
// months as "2027-03 to 2027-06".
func monthRuns(ms []string) string {
	next := func(a, b string) bool {
		ta, errA := time.Parse("2006-01", a)
		tb, errB := time.Parse("2006-01", b)
		return errA == nil && errB == nil && ta.AddDate(0, 1, 0).Equal(tb)
	}
	var parts []string
	for i := 0; i < len(ms); {
		j := i
		for j+1 < len(ms) && next(ms[j], ms[j+1]) {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, ms[i]+" to "+ms[j])
		} else {
			parts = append(parts, ms[i:j+1]...)
		}
		i = j + 1
	}
	return joinAnd(parts)
}

// leavers are the departing CSMs as the answer marks them, else as the
// settings name them.
func leavers(r *csplanv1.RebalanceResult, given []string) []string {
	var out []string
	for _, c := range r.GetCsms() {
		if c.GetDeparting() {
			out = append(out, c.GetId())
		}
	}
	if len(out) == 0 {
		return given
	}
	return out
}

// possessive is "ana's", "ana's and ben's".
func possessive(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id + "'s"
	}
	return joinAnd(out)
}

// disruptionText writes a disruption in its weight's unit.
func disruptionText(x float64, w csplanv1.DisruptionWeight, cur string) string {
	switch w {
	case csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_HOURS:
		return num(x, 1) + " hours a month"
	case csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_ARR:
		return money(x, cur) + " ARR"
	}
	if x == 1 {
		return "1 account"
	}
	return num(x, 2) + " accounts"
}

func weightText(w csplanv1.DisruptionWeight) string {
	switch w {
	case csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_HOURS:
		return "the hours a month of the accounts moved"
	case csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_ARR:
		return "the ARR of the accounts moved"
	}
	return "the accounts moved"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return numfmt.Count(n) + " " + many
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

func yesNo(b bool) string { return pick(b, "yes", "no") }
