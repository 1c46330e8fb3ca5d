package planning

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/csplan/csplan/capacity"
)

// genPlan draws a plan on segment totals: one to four segments, each sized
// by a playbook, a ratio or the benchmark, with growth, attrition, a
// timeline and, sometimes, managers and other CS cost.
func genPlan(r *rand.Rand) Plan {
	n := 1 + r.IntN(4)
	p := Plan{StartMonth: "2027-01", HorizonMonths: int32(1 + r.IntN(24)),
		Hiring: Hiring{Cost: capacity.HireRequest{BaseSalary: 60000 + float64(r.IntN(80000)),
			TimeToHireMonths: i32(int32(r.IntN(4))), RampMonths: i32(int32(r.IntN(5)))}}}
	if r.IntN(2) == 0 {
		p.Hiring.AnnualAttrition = f(float64(r.IntN(30)) / 100)
	}
	if r.IntN(2) == 0 {
		p.Growth = Growth{NewAccountsPerMonth: f(float64(r.IntN(20))), MonthlyLogoChurnRate: f(float64(r.IntN(3)) / 100),
			MonthlyExpansionRate: f(float64(r.IntN(5)-2) / 100)}
	}
	if r.IntN(3) == 0 {
		p.Finance.CSMsPerManager = f(float64(4 + r.IntN(6)))
		p.Finance.OtherCSCostPerYear = f(float64(r.IntN(200000)))
	}
	if r.IntN(4) == 0 {
		p.Finance.FiscalYearStartMonth = i32(int32(1 + r.IntN(12)))
	}
	touches := []capacity.TouchModel{capacity.TouchModelHigh, capacity.TouchModelLow, capacity.TouchModelTech}
	for k := range n {
		acc, arr := int32(r.IntN(500)), float64(r.IntN(20_000_000))
		s := Segment{Name: fmt.Sprintf("S%d", k), TouchModel: touches[r.IntN(3)], Accounts: &acc, ARR: &arr, CSMs: int32(r.IntN(10))}
		switch r.IntN(3) {
		case 0:
			s.Playbook = &capacity.Playbook{Touchpoints: []capacity.Touchpoint{
				{Name: "Check-in", Hours: 0.25 + float64(r.IntN(8))/4, Cadence: capacity.CadenceMonthly},
				{Name: "Kick-off", Hours: float64(r.IntN(10)), Cadence: capacity.CadenceOneTime}}}
		case 1:
			s.AccountsPerCSM = f(float64(5 + r.IntN(200)))
		}
		p.Segments = append(p.Segments, s)
	}
	return p
}

// TestPlanInvariants runs many generated plans and checks what must hold
// of every answer: the company is the sum of its segments, every "needed"
// figure is one number, costs add up, backfills are the requisitions that
// attrition adds, and the verdict follows the requisitions.
func TestPlanInvariants(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	runs := 400
	if testing.Short() {
		runs = 100
	}
	for k := range runs {
		p := genPlan(r)
		res, err := Run(p, Book{}, dec2026)
		if err != nil {
			t.Fatalf("plan %d: %v", k, err)
		}
		name := fmt.Sprintf("plan %d", k)
		checkSums(t, name, res)
		checkNeededCost(t, name, p, res)
		checkVerdict(t, name, res)
		checkBackfills(t, name, p, res)
		checkPermutation(t, name, p, res, r)
		checkPeaks(t, name, res)
	}
}

// checkPeaks: each peak is the highest need of its months, in the first
// month that reaches it, and never below the need now.
func checkPeaks(t *testing.T, name string, res Result) {
	t.Helper()
	check := func(who, month string, need int32, months []Month, now int32) {
		best := months[0]
		for _, m := range months {
			if m.NeededCSMs > best.NeededCSMs {
				best = m
			}
		}
		if month != best.Month || need != best.NeededCSMs || need < now {
			t.Errorf("%s: %s's peak is %d in %s, its months say %d in %s (now %d)", name, who, need, month, best.NeededCSMs, best.Month, now)
		}
	}
	for _, s := range res.Segments {
		check(s.Name, s.PeakMonth, s.CSMsNeededAtPeak, s.Months, s.CSMsNeededNow)
	}
	check("the company", res.Summary.PeakMonth, res.Summary.CSMsNeededAtPeak, res.Months, res.Summary.CSMsNeededNow)
}

func checkSums(t *testing.T, name string, res Result) {
	var now, in12 int32
	for _, s := range res.Segments {
		now += s.CSMsNeededNow
		in12 += s.CSMsNeededIn12Months
		if s.Months[0].NeededCSMs != s.CSMsNeededNow {
			t.Errorf("%s: %s needs %d now and %d in its month 0", name, s.Name, s.CSMsNeededNow, s.Months[0].NeededCSMs)
		}
	}
	if res.Summary.CSMsNeededNow != now || res.Summary.CSMsNeededIn12Months != in12 || res.Months[0].NeededCSMs != now {
		t.Errorf("%s: summary needs %d/%d, segments %d/%d, month 0 %d", name, res.Summary.CSMsNeededNow, res.Summary.CSMsNeededIn12Months, now, in12, res.Months[0].NeededCSMs)
	}
	for m, c := range res.Months {
		var heads, csm, oneTime float64
		var need int32
		for _, s := range res.Segments {
			heads += s.Months[m].Headcount
			csm += s.Months[m].CSMCost
			oneTime += s.Months[m].OneTimeCost
			need += s.Months[m].NeededCSMs
		}
		if !near(heads, c.Headcount) || !near(csm, c.CSMCost) || !near(oneTime, c.OneTimeCost) || need != c.NeededCSMs {
			t.Errorf("%s month %d: company %v/%v/%v/%d, segments %v/%v/%v/%d", name, m, c.Headcount, c.CSMCost, c.OneTimeCost, c.NeededCSMs, heads, csm, oneTime, need)
		}
		if !near(c.TotalCost, c.CSMCost+c.ManagerCost+c.OtherCost+c.OneTimeCost) {
			t.Errorf("%s month %d: total %v is not the sum of its lines", name, m, c.TotalCost)
		}
	}
	var total, fy float64
	for _, q := range res.CostByQuarter {
		total += q.TotalCost
	}
	for _, y := range res.CostByFiscalYear {
		fy += y.TotalCost
	}
	var months float64
	for _, m := range res.Months {
		months += m.TotalCost
	}
	if !near(total, months) || !near(fy, months) {
		t.Errorf("%s: quarters %v, years %v, months %v", name, total, fy, months)
	}
}

// checkNeededCost: the need's cost is the need priced in scope.
func checkNeededCost(t *testing.T, name string, p Plan, res Result) {
	need := float64(res.Summary.CSMsNeededNow)
	want := need * res.Hiring.Cost.AnnualLoadedCost
	if span := p.Finance.CSMsPerManager; span != nil && need > 0 {
		want += math.Ceil(need/(*span)-1e-9) * 1.3 * res.Hiring.Cost.AnnualLoadedCost
	}
	if o := p.Finance.OtherCSCostPerYear; o != nil {
		want += *o
	}
	if !near(res.Summary.CostNeeded, want) {
		t.Errorf("%s: the need of %v costs %v, priced %v", name, need, res.Summary.CostNeeded, want)
	}
}

func checkVerdict(t *testing.T, name string, res Result) {
	due, earliest := 0, ""
	for _, q := range res.Requisitions {
		if isDue(q) {
			due++
		} else if earliest == "" || q.OpenByMonth < earliest {
			earliest = q.OpenByMonth
		}
	}
	if int32(due) != res.Summary.RequisitionsDueNow {
		t.Errorf("%s: %d due, summary says %d", name, due, res.Summary.RequisitionsDueNow)
	}
	if res.Summary.Verdict == capacity.VerdictHireLater && (due > 0 || res.Summary.HireByMonth != earliest) {
		t.Errorf("%s: hire later by %s with %d due (earliest open-by %s)", name, res.Summary.HireByMonth, due, earliest)
	}
	if due == 0 && len(res.Requisitions) > 0 && res.Summary.Verdict != capacity.VerdictHireLater {
		t.Errorf("%s: upcoming requisitions and no due ones, verdict %v", name, res.Summary.Verdict)
	}
	for _, s := range res.Summary.Reasons {
		if len(res.Requisitions) > 0 && contains(s, "No hire is needed") {
			t.Errorf("%s: %q with %d requisitions", name, s, len(res.Requisitions))
		}
	}
}

// checkBackfills: the backfills are the requisitions attrition adds.
func checkBackfills(t *testing.T, name string, p Plan, res Result) {
	if p.Hiring.AnnualAttrition == nil {
		return
	}
	q := p
	q.Hiring.AnnualAttrition = nil
	still, err := Run(q, Book{}, dec2026)
	if err != nil {
		t.Fatal(err)
	}
	backfills := 0
	for _, rq := range res.Requisitions {
		if rq.Kind == capacity.RequisitionKindBackfill {
			backfills++
		}
	}
	if want := len(res.Requisitions) - len(still.Requisitions); backfills != max(want, 0) {
		t.Errorf("%s: %d backfills, %d requisitions with attrition and %d without", name, backfills, len(res.Requisitions), len(still.Requisitions))
	}
}

// checkPermutation: listing the segments in another order permutes the
// segments' rows and changes nothing else.
func checkPermutation(t *testing.T, name string, p Plan, res Result, r *rand.Rand) {
	q := p
	q.Segments = slices.Clone(p.Segments)
	r.Shuffle(len(q.Segments), func(i, j int) { q.Segments[i], q.Segments[j] = q.Segments[j], q.Segments[i] })
	other, err := Run(q, Book{}, dec2026)
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := res.Summary, other.Summary
	if s1.CSMsNeededNow != s2.CSMsNeededNow || s1.CSMsNeededIn12Months != s2.CSMsNeededIn12Months || s1.Verdict != s2.Verdict ||
		s1.HireByMonth != s2.HireByMonth || !slices.Equal(s1.Reasons, s2.Reasons) || !near(s1.CostNeeded, s2.CostNeeded) {
		t.Errorf("%s: reordering the segments changes the summary:\n%+v\n%+v", name, s1, s2)
	}
	key := func(q Requisition) string {
		return fmt.Sprint(q.Segment, q.Kind, q.NeededMonth, q.OpenByMonth, q.RampedMonth, q.Status, q.TechTouchFirst)
	}
	a, b := make([]string, 0), make([]string, 0)
	for _, q := range res.Requisitions {
		a = append(a, key(q))
	}
	for _, q := range other.Requisitions {
		b = append(b, key(q))
	}
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		t.Errorf("%s: reordering the segments changes the requisitions:\n%v\n%v", name, a, b)
	}
	for m := range res.Months {
		if !near(res.Months[m].TotalCost, other.Months[m].TotalCost) || res.Months[m].Managers != other.Months[m].Managers {
			t.Errorf("%s month %d: reordering changes the company's cost", name, m)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*(1+math.Abs(b)) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
