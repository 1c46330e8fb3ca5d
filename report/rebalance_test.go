package report

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/report/doc"
)

var drillMonths = regexp.MustCompile(`is above the band in (.*) \(peak ([0-9.]+%) of capacity\)`)

// expandRuns reads a list of months back, "2027-03 to 2027-06" as every
// month from the one to the other.
func expandRuns(t *testing.T, list string) []string {
	t.Helper()
	var out []string
	for _, part := range strings.Split(strings.ReplaceAll(list, " and ", ", "), ", ") {
		from, to, run := strings.Cut(part, " to ")
		if !run {
			out = append(out, part)
			continue
		}
		a, errA := time.Parse("2006-01", from)
		b, errB := time.Parse("2006-01", to)
		if errA != nil || errB != nil || !a.Before(b) {
			t.Fatalf("%q is no run of months", part)
		}
		for m := a; !m.After(b); m = m.AddDate(0, 1, 0) {
			out = append(out, m.Format("2006-01"))
		}
	}
	return out
}

// TestDrillSentenceIsTheAnswer: on random drills the sentence names
// exactly the answer's months over (runs written "from to"), its peak and
// its backfill month; says there are none when there are none; and says
// the window ends early exactly when the months analyzed stop two or more
// months before the backfill is ramped.
func TestDrillSentenceIsTheAnswer(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 500 {
		ramp := 1 + rng.IntN(12)
		horizon := 1 + rng.IntN(14)
		var over []string
		for m := range min(ramp, horizon) {
			if rng.IntN(2) == 0 {
				over = append(over, start.AddDate(0, m, 0).Format("2006-01"))
			}
		}
		ramped := start.AddDate(0, ramp, 0).Format("2006-01")
		peak := 1 + float64(rng.IntN(900))/1000
		r := &csplanv1.RebalanceResult{Feasible: true, Departure: &csplanv1.Departure{MonthsOver: over, PeakUtilization: peak, BackfillRampedMonth: ramped},
			Assumptions: []*csplanv1.Assumption{{Name: "horizon_months", Value: fmt.Sprint(horizon)}}}
		s := drillSentence(Rebalance{StartMonth: "2027-01", Result: r})
		if !strings.Contains(s, "ramped in "+ramped) {
			t.Fatalf("%q does not name the backfill's %s", s, ramped)
		}
		end := start.AddDate(0, horizon-1, 0).Format("2006-01")
		if cut := strings.Contains(s, "The months analyzed end in "+end); cut != (horizon < ramp) {
			t.Errorf("horizon %d, ramped after %d months: %q", horizon, ramp, s)
		}
		if len(over) == 0 {
			if !strings.HasPrefix(s, "No staying CSM is above the band in any month before a backfill opened now is ramped in "+ramped+".") {
				t.Errorf("no months over: %q", s)
			}
			continue
		}
		m := drillMonths.FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("%q names no months", s)
		}
		if got := expandRuns(t, m[1]); !slices.Equal(got, over) {
			t.Errorf("%q names %v, the answer %v", s, got, over)
		}
		if m[2] != pct(peak) {
			t.Errorf("%q: peak %s, the answer's %v", s, m[2], peak)
		}
	}
	infeasible := drillSentence(Rebalance{Result: &csplanv1.RebalanceResult{Departure: &csplanv1.Departure{MonthsOver: []string{"2027-02"}, BackfillRampedMonth: "2027-06"}}})
	if strings.Contains(infeasible, "2027-02") {
		t.Errorf("an infeasible drill names its months: %q", infeasible)
	}
}

func TestMonthRuns(t *testing.T) {
	for in, want := range map[string]string{
		"":                                "",
		"2027-02":                         "2027-02",
		"2027-02 2027-03":                 "2027-02 and 2027-03",
		"2027-02 2027-03 2027-04":         "2027-02 to 2027-04",
		"2027-11 2027-12 2028-01 2028-03": "2027-11 to 2028-01 and 2028-03",
		"2027-01 2027-03 2027-05":         "2027-01, 2027-03 and 2027-05",
	} {
		if got := monthRuns(strings.Fields(in)); got != want {
			t.Errorf("monthRuns(%q) = %q, want %q", in, got, want)
		}
	}
}

func manyMoves(n int) *csplanv1.RebalanceResult {
	r := &csplanv1.RebalanceResult{Feasible: true, Optimal: true, Disruption: float64(n), LowerBound: float64(n),
		Csms: []*csplanv1.CsmRebalance{{Id: "x", CapacityHours: 100, HoursBefore: 130, HoursAfter: 130 - float64(n)}, {Id: "y", CapacityHours: 100, HoursAfter: float64(n)}}}
	for i := range n {
		r.Moves = append(r.Moves, &csplanv1.AccountMove{AccountId: fmt.Sprintf("acc-%03d", i), FromCsm: "x", ToCsm: "y", MonthlyHours: 1, Arr: 1000, Reason: "x is above the band"})
	}
	return r
}

// TestPlanListsAtMostFiftyMoves: the plan's report lists the first 50
// moves and counts the rest; book rebalance lists them all.
func TestPlanListsAtMostFiftyMoves(t *testing.T) {
	b := &builder{r: &csplanv1.PlanResult{}, rebalance: &Rebalance{Result: manyMoves(60)}}
	b.rebalancing()
	var text bytes.Buffer
	if err := doc.WriteText(&text, b.d); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	if got := strings.Count(out, "\nacc-"); got != DefaultPlanMoves {
		t.Errorf("the plan lists %d moves, want %d", got, DefaultPlanMoves)
	}
	if !strings.Contains(out, "acc-049") || strings.Contains(out, "acc-050") || !strings.Contains(strings.Join(strings.Fields(out), " "), "And 10 more moves: csplan book rebalance --out moves.csv writes every move") {
		t.Errorf("the listing's end:\n%s", out)
	}
	text.Reset()
	if err := RenderRebalance(&text, "text", Rebalance{Result: manyMoves(60)}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(text.String(), "\nacc-"); got != 60 || strings.Contains(text.String(), "more moves") {
		t.Errorf("book rebalance lists %d moves of 60", got)
	}
}

// TestInfeasibleMoves: an infeasible answer that still carries moves says
// they are no rebalancing, and shows the CSMs after them; one without
// moves shows the CSMs as they stand.
func TestInfeasibleMoves(t *testing.T) {
	r := manyMoves(3)
	r.Feasible, r.Optimal = false, false
	r.Infeasibility = &csplanv1.Infeasibility{Reason: "the heuristic found no assignment", FteShort: 0.25}
	var out bytes.Buffer
	if err := RenderRebalance(&out, "markdown", Rebalance{Result: r}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**Infeasible**: the heuristic found no assignment. The staying CSMs are 0.25 FTE short.", infeasibleMoves, "## CSMs before and after"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("lacks %q:\n%s", want, out.String())
		}
	}
	r.Moves = nil
	out.Reset()
	if err := RenderRebalance(&out, "markdown", Rebalance{Result: r}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "## CSMs as they stand") || strings.Contains(out.String(), infeasibleMoves) {
		t.Errorf("without moves:\n%s", out.String())
	}
}

// TestDisruptionUnits: the disruption is written in its weight's unit.
func TestDisruptionUnits(t *testing.T) {
	for _, tc := range []struct {
		w    csplanv1.DisruptionWeight
		x    float64
		want string
	}{
		{csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_UNSPECIFIED, 1, "1 account"},
		{csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_ACCOUNTS, 12, "12 accounts"},
		{csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_HOURS, 35.25, "35.3 hours a month"},
		{csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_ARR, 30000, "$30.0K ARR"},
	} {
		if got := disruptionText(tc.x, tc.w, ""); got != tc.want {
			t.Errorf("disruptionText(%v, %v) = %q, want %q", tc.x, tc.w, got, tc.want)
		}
	}
}
