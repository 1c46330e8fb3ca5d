package capacity

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Helpers are prefixed fc so they cannot clash with other test files of the
// package.

func fcFloat(x float64) *float64 { return &x }
func fcInt(x int32) *int32       { return &x }

func fcMonth(t *testing.T, s string) Month {
	t.Helper()
	m, err := ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func fcMonthPtr(t *testing.T, s string) *Month {
	m := fcMonth(t, s)
	return &m
}

// fcToday is the "current month" the tests pass in; a request that names its
// start month must not depend on it.
var fcToday = Month(2030*12 + 4) // 2030-05

// fcSeed000 is seed 000's team: one CSM with 60 accounts gaining 5 a month,
// high touch, from 2026-12.
func fcSeed000(horizon int32) ForecastRequest {
	return ForecastRequest{
		StartMonth:    "2026-12",
		HorizonMonths: horizon,
		Accounts:      60,
		CSMCount:      1,
		Growth:        Growth{NewAccountsPerMonth: 5},
		TouchModel:    TouchModelHigh,
	}
}

func fcForecast(t *testing.T, req ForecastRequest) Forecast {
	t.Helper()
	f, err := ForecastCapacity(req, fcToday)
	if err != nil {
		t.Fatalf("ForecastCapacity: %v", err)
	}
	return f
}

func fcTrigger(f Forecast, name string) Trigger {
	for _, tr := range f.Triggers {
		if tr.Name == name {
			return tr
		}
	}
	return Trigger{}
}

func TestForecastSeed000Triggers(t *testing.T) {
	// "trending towards 75 customer accounts for a single CSM by the end of
	// the next quarter ... time to start interviewing and budgeting for a
	// new hire immediately": the critical trigger is OVERDUE.
	f := fcForecast(t, fcSeed000(6))
	want := []Trigger{
		{Name: "review", Threshold: 30, CrossingMonth: fcMonthPtr(t, "2026-12"), OpenRequisitionBy: fcMonthPtr(t, "2026-07"), Status: TriggerStatusOverdue, MonthsLate: 5},
		{Name: "hire", Threshold: 50, CrossingMonth: fcMonthPtr(t, "2026-12"), OpenRequisitionBy: fcMonthPtr(t, "2026-07"), Status: TriggerStatusOverdue, MonthsLate: 5},
		// 75 is reached in 2027-03 and passed in 2027-04: a threshold is
		// crossed when load is above it. The requisition was due 2026-11,
		// overdue by one month: still "start interviewing now".
		{Name: "critical", Threshold: 75, CrossingMonth: fcMonthPtr(t, "2027-04"), OpenRequisitionBy: fcMonthPtr(t, "2026-11"), Status: TriggerStatusOverdue, MonthsLate: 1},
		{Name: "arr", Threshold: 2_000_000, Status: TriggerStatusNotReached},
	}
	if diff := cmp.Diff(want, f.Triggers); diff != "" {
		t.Errorf("triggers (-want +got):\n%s", diff)
	}
}

func TestForecastSeed000HiringPlan(t *testing.T) {
	for _, tc := range []struct {
		horizon int32
		want    []PlannedHire
	}{
		{6, []PlannedHire{
			{RequisitionMonth: fcMonth(t, "2026-12"), StartMonth: fcMonth(t, "2027-02"), RampedMonth: fcMonth(t, "2027-05")},
		}},
		{12, []PlannedHire{
			{RequisitionMonth: fcMonth(t, "2026-12"), StartMonth: fcMonth(t, "2027-02"), RampedMonth: fcMonth(t, "2027-05")},
			// 100 accounts over 2 CSMs in 2027-08 sit at the hire threshold
			// of 50, which needs nobody; 105 in 2027-09 are past it.
			{RequisitionMonth: fcMonth(t, "2027-04"), StartMonth: fcMonth(t, "2027-06"), RampedMonth: fcMonth(t, "2027-09")},
		}},
		// Nothing a requisition opened now can ramp in time for.
		{4, []PlannedHire{}},
	} {
		f := fcForecast(t, fcSeed000(tc.horizon))
		if diff := cmp.Diff(tc.want, f.HiringPlan); diff != "" {
			t.Errorf("horizon %d: hiring plan (-want +got):\n%s", tc.horizon, diff)
		}
	}
}

func TestForecastSeed000Assumptions(t *testing.T) {
	f := fcForecast(t, fcSeed000(0))
	want := []Assumption{
		{Name: "start_month", Value: "2026-12", Source: SourceRequest},
		{Name: "horizon_months", Value: "12", Source: "assumption"},
		{Name: "touch_model", Value: "TOUCH_MODEL_HIGH", Source: SourceRequest},
		{Name: "complexity", Value: "PRODUCT_COMPLEXITY_MODERATE", Source: "assumption"},
		{Name: "growth.monthly_logo_churn_rate", Value: "0", Source: "assumption"},
		{Name: "growth.monthly_expansion_rate", Value: "0", Source: "assumption"},
		{Name: "growth.new_account_arr", Value: "0", Source: "book mean ARR"},
		{Name: "thresholds.review_accounts_per_csm", Value: "30", Source: "seeds 000/001 (ideal max x complexity multiplier)"},
		{Name: "thresholds.hire_accounts_per_csm", Value: "50", Source: "seeds 000/001 (cap x complexity multiplier)"},
		{Name: "thresholds.critical_accounts_per_csm", Value: "75", Source: "seeds 000/001 (1.5 x cap x complexity multiplier)"},
		{Name: "thresholds.arr_per_csm", Value: "2000000", Source: "seeds 000/001 (touch model's ARR per CSM ceiling)"},
		{Name: "timeline.time_to_hire_months", Value: "2", Source: "assumption"},
		{Name: "timeline.ramp_months", Value: "3", Source: "seed 004"},
		{Name: "timeline.ramp_curve", Value: "RAMP_CURVE_ZERO", Source: "seed 004"},
		{Name: "timeline.annual_csm_attrition_rate", Value: "0", Source: "assumption"},
	}
	if diff := cmp.Diff(want, f.Assumptions); diff != "" {
		t.Errorf("assumptions (-want +got):\n%s", diff)
	}
}

func TestForecastHorizonRows(t *testing.T) {
	for _, tc := range []struct {
		horizon int32
		rows    int
	}{
		{0, 13}, // the default 12 months
		{1, 2},
		{6, 7},
		{MaxHorizonMonths, MaxHorizonMonths + 1},
	} {
		f := fcForecast(t, fcSeed000(tc.horizon))
		if len(f.Months) != tc.rows {
			t.Errorf("horizon %d: %d rows, want %d", tc.horizon, len(f.Months), tc.rows)
			continue
		}
		start := fcMonth(t, "2026-12")
		for i, m := range f.Months {
			if m.Month != start.Add(i) {
				t.Errorf("horizon %d: row %d is %s, want %s", tc.horizon, i, m.Month, start.Add(i))
			}
		}
		// Month 0 is the book as it stands.
		if f.Months[0].Accounts != 60 {
			t.Errorf("horizon %d: month 0 has %v accounts, want 60", tc.horizon, f.Months[0].Accounts)
		}
	}
}

func TestForecastGrowthArithmetic(t *testing.T) {
	approx := cmpopts.EquateApprox(0, 1e-12)
	for _, tc := range []struct {
		name   string
		growth Growth
		want   []ForecastMonth
	}{
		{
			// accounts: 100 -> 100*0.9+5 = 95 -> 95*0.9+5 = 90.5
			// arr: 1e6 -> 1e6*0.9*1.02 + 5*1000 = 923000
			//      -> 923000*0.9*1.02 + 5000 = 852314
			name: "churn and expansion",
			growth: Growth{NewAccountsPerMonth: 5, MonthlyLogoChurnRate: fcFloat(0.1),
				MonthlyExpansionRate: fcFloat(0.02), NewAccountARR: fcFloat(1000)},
			want: []ForecastMonth{
				{Accounts: 100, ARR: 1e6, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 50, ARRPerCSM: 500000},
				{Accounts: 95, ARR: 923000, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 47.5, ARRPerCSM: 461500},
				{Accounts: 90.5, ARR: 852314, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 45.25, ARRPerCSM: 426157},
			},
		},
		{
			// New accounts default to the book's mean ARR, 1e6/100 = 10000:
			// arr 1e6 -> 1e6 + 4*10000 = 1.04e6 -> 1.08e6.
			name:   "new account ARR defaults to the mean",
			growth: Growth{NewAccountsPerMonth: 4},
			want: []ForecastMonth{
				{Accounts: 100, ARR: 1e6, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 50, ARRPerCSM: 500000},
				{Accounts: 104, ARR: 1.04e6, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 52, ARRPerCSM: 520000},
				{Accounts: 108, ARR: 1.08e6, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 54, ARRPerCSM: 540000},
			},
		},
		{
			// Full churn replaces the book each month.
			// Half the book a month, the most a monthly rate may be.
			name:   "half churn",
			growth: Growth{NewAccountsPerMonth: 3, MonthlyLogoChurnRate: fcFloat(0.5), NewAccountARR: fcFloat(50)},
			want: []ForecastMonth{
				{Accounts: 100, ARR: 1e6, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 50, ARRPerCSM: 500000},
				{Accounts: 53, ARR: 500150, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 26.5, ARRPerCSM: 250075},
				{Accounts: 29.5, ARR: 250225, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 14.75, ARRPerCSM: 125112.5},
			},
		},
		{
			// Net contraction: kept accounts shrink 2% a month.
			name:   "contraction",
			growth: Growth{MonthlyExpansionRate: fcFloat(-0.02)},
			want: []ForecastMonth{
				{Accounts: 100, ARR: 1e6, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 50, ARRPerCSM: 500000},
				{Accounts: 100, ARR: 980000, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 50, ARRPerCSM: 490000},
				{Accounts: 100, ARR: 960400, CSMHeadcount: 2, EffectiveCSMs: 2, AccountsPerCSM: 50, ARRPerCSM: 480200},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fcForecast(t, ForecastRequest{StartMonth: "2027-01", HorizonMonths: 2, Accounts: 100, ARR: 1e6, CSMCount: 2, Growth: tc.growth})
			start := fcMonth(t, "2027-01")
			for i := range tc.want {
				tc.want[i].Month = start.Add(i)
			}
			if diff := cmp.Diff(tc.want, f.Months, approx); diff != "" {
				t.Errorf("months (-want +got):\n%s", diff)
			}
		})
	}
}

func TestForecastRampCurves(t *testing.T) {
	// Two CSMs and hires starting 2027-02 (month 1) and 2027-03 (month 2).
	for _, tc := range []struct {
		name      string
		ramp      int32
		curve     RampCurve
		effective []float64
	}{
		// Nothing until ramped: hire 1 counts from month 3, hire 2 from 4.
		{"zero", 2, RampCurveZero, []float64{2, 2, 2, 3, 4, 4}},
		{"unspecified is zero", 2, RampCurveUnspecified, []float64{2, 2, 2, 3, 4, 4}},
		// k/ramp in the k-th month after the start: 0, 0.5, then 1.
		{"linear", 2, RampCurveLinear, []float64{2, 2, 2.5, 3.5, 4, 4}},
		{"linear over 4", 4, RampCurveLinear, []float64{2, 2, 2.25, 2.75, 3.25, 3.75}},
		// No ramp: productive from the start month.
		{"no ramp", 0, RampCurveZero, []float64{2, 3, 4, 4, 4, 4}},
		{"no ramp linear", 0, RampCurveLinear, []float64{2, 3, 4, 4, 4, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fcForecast(t, ForecastRequest{
				StartMonth: "2027-01", HorizonMonths: 5, Accounts: 40, CSMCount: 2,
				PlannedHireMonths: []string{"2027-02", "2027-03"},
				Timeline:          Timeline{RampMonths: fcInt(tc.ramp), RampCurve: tc.curve},
			})
			var eff, per []float64
			var heads []int32
			for _, m := range f.Months {
				eff = append(eff, m.EffectiveCSMs)
				per = append(per, m.AccountsPerCSM)
				heads = append(heads, m.CSMHeadcount)
			}
			if diff := cmp.Diff(tc.effective, eff, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("effective CSMs (-want +got):\n%s", diff)
			}
			// Headcount counts a hire from its start month, ramped or not.
			if diff := cmp.Diff([]int32{2, 3, 4, 4, 4, 4}, heads); diff != "" {
				t.Errorf("headcount (-want +got):\n%s", diff)
			}
			for i, p := range per {
				if want := 40 / tc.effective[i]; math.Abs(p-want) > 1e-12 {
					t.Errorf("month %d: %v accounts per CSM, want %v", i, p, want)
				}
			}
		})
	}
}

func TestRampCurveProductivity(t *testing.T) {
	for _, tc := range []struct {
		curve   RampCurve
		ramp    int
		byMonth []float64 // k = -1, 0, 1, ...
	}{
		{RampCurveZero, 3, []float64{0, 0, 0, 0, 1, 1}},
		{RampCurveLinear, 3, []float64{0, 0, 1.0 / 3, 2.0 / 3, 1, 1}},
		{RampCurveLinear, 4, []float64{0, 0, 0.25, 0.5, 0.75, 1}},
		{RampCurveZero, 0, []float64{0, 1, 1}},
		{RampCurveLinear, 0, []float64{0, 1, 1}},
	} {
		for i, want := range tc.byMonth {
			k := i - 1
			if got := tc.curve.Productivity(k, tc.ramp); math.Abs(got-want) > 1e-15 {
				t.Errorf("%s ramp %d: Productivity(%d) = %v, want %v", tc.curve, tc.ramp, k, got, want)
			}
		}
	}
}

func TestForecastPlannedHiresDelayThePlan(t *testing.T) {
	// Seed 000's team with a hire already planned to start 2027-02 ramps by
	// 2027-05 (month 5), so the plan only needs the later hire, for 105
	// accounts over 2 CSMs in 2027-09.
	req := fcSeed000(12)
	req.PlannedHireMonths = []string{"2027-02"}
	f := fcForecast(t, req)
	want := []PlannedHire{
		{RequisitionMonth: fcMonth(t, "2027-04"), StartMonth: fcMonth(t, "2027-06"), RampedMonth: fcMonth(t, "2027-09")},
	}
	if diff := cmp.Diff(want, f.HiringPlan); diff != "" {
		t.Errorf("hiring plan (-want +got):\n%s", diff)
	}
	// Planned hires count in the series, the suggested plan does not.
	if got := f.Months[12].EffectiveCSMs; got != 2 {
		t.Errorf("month 12: %v effective CSMs, want 2", got)
	}
}

func TestForecastAttritionBackfills(t *testing.T) {
	// 10 CSMs, a flat book of 450 accounts, half the team lost per year and
	// hires productive at once: capacity is 10 * 0.5^(t/12), and keeping 450
	// accounts at or under 50 per CSM needs (10 + n) * 0.5^(t/12) >= 9, so
	// n hires by month t with 10 + n >= 9 * 2^(t/12):
	//   t=2 10.10 -> 1, t=4 11.34 -> 2, t=5 12.01 -> 3, t=7 13.48 -> 4,
	//   t=8 14.29 -> 5, t=9 15.14 -> 6, t=10 16.04 -> 7, t=11 16.99 -> 7,
	//   t=12 18 exactly -> 8 (sitting at 50 needs nobody more).
	req := ForecastRequest{
		StartMonth: "2027-01", Accounts: 450, CSMCount: 10,
		Timeline: Timeline{TimeToHireMonths: fcInt(0), RampMonths: fcInt(0), AnnualCSMAttritionRate: fcFloat(0.5)},
	}
	f := fcForecast(t, req)
	start := fcMonth(t, "2027-01")
	var want []PlannedHire
	for _, t := range []int{2, 4, 5, 7, 8, 9, 10, 12} {
		m := start.Add(t)
		want = append(want, PlannedHire{RequisitionMonth: m, StartMonth: m, RampedMonth: m})
	}
	if diff := cmp.Diff(want, f.HiringPlan); diff != "" {
		t.Errorf("hiring plan (-want +got):\n%s", diff)
	}
	// The series decays too; headcount does not.
	last := f.Months[12]
	if math.Abs(last.EffectiveCSMs-5) > 1e-12 || last.CSMHeadcount != 10 || math.Abs(last.AccountsPerCSM-90) > 1e-9 {
		t.Errorf("month 12 = %+v, want 5 effective CSMs, headcount 10, 90 accounts per CSM", last)
	}
	// The hire threshold is first reached at month 2: 450 / (10 * 0.5^(1/6)) = 50.5.
	if tr := fcTrigger(f, "hire"); tr.CrossingMonth == nil || *tr.CrossingMonth != start.Add(2) || tr.Status != TriggerStatusUpcoming {
		t.Errorf("hire trigger = %+v, want crossed %s, UPCOMING", tr, start.Add(2))
	}
}

// fcReferencePlan is the plan rule run naively: at each reachable month add
// one hire at a time while load per effective CSM is above the threshold.
func fcReferencePlan(req ForecastRequest, f Forecast, hire float64, tth, ramp int, attrition float64) []int {
	var ramped []int
	hired := 0.0
	for t := tth + ramp; t < len(f.Months); t++ {
		m := f.Months[t]
		decay := math.Pow(1-attrition, float64(t)/12)
		base := 0.0
		if decay > 0 {
			base = m.EffectiveCSMs / decay
		}
		for {
			c := (base + hired) * decay
			if m.Accounts <= 0 || (c > 0 && m.Accounts/c <= hire+1e-9) {
				break
			}
			hired++
			ramped = append(ramped, t)
		}
	}
	return ramped
}

func TestForecastPlanMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		tth, ramp := int32(rng.IntN(4)), int32(rng.IntN(5))
		attrition := []float64{0, 0.1, 0.3, 0.6}[rng.IntN(4)]
		hire := []float64{10, 30, 50, 50.5}[rng.IntN(4)]
		req := ForecastRequest{
			StartMonth:    "2027-01",
			HorizonMonths: int32(1 + rng.IntN(36)),
			Accounts:      int32(rng.IntN(400)),
			CSMCount:      int32(rng.IntN(8)),
			Growth: Growth{
				NewAccountsPerMonth:  float64(rng.IntN(30)) / 2,
				MonthlyLogoChurnRate: fcFloat(float64(rng.IntN(5)) / 100),
			},
			Thresholds: Thresholds{HireAccountsPerCSM: fcFloat(hire)},
			Timeline: Timeline{TimeToHireMonths: fcInt(tth), RampMonths: fcInt(ramp),
				RampCurve: RampCurve(1 + rng.IntN(2)), AnnualCSMAttritionRate: fcFloat(attrition)},
		}
		if rng.IntN(2) == 0 {
			req.PlannedHireMonths = []string{fcMonth(t, "2027-01").Add(rng.IntN(12)).String()}
		}
		f := fcForecast(t, req)
		want := fcReferencePlan(req, f, hire, int(tth), int(ramp), attrition)
		start := fcMonth(t, "2027-01")
		var got []int
		for _, h := range f.HiringPlan {
			got = append(got, int(h.RampedMonth-start))
			if h.StartMonth != h.RampedMonth.Add(-int(ramp)) || h.RequisitionMonth != h.StartMonth.Add(-int(tth)) {
				t.Fatalf("case %d: hire %+v does not follow ramp %d and time to hire %d", i, h, ramp, tth)
			}
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("case %d %+v: ramped months (-reference +got):\n%s", i, req, diff)
		}
	}
}

func TestForecastTriggerStatus(t *testing.T) {
	// One CSM gaining 5 accounts a month; time to hire 2 and ramp 3, so a
	// requisition opens 5 months before the crossing.
	for _, tc := range []struct {
		name     string
		accounts int32
		horizon  int32
		want     Trigger
		trigger  string
	}{
		// A threshold is crossed when load is above it: 25 + 5*5 = 50 at
		// month 5 sits at it, 55 at month 6 passes it; one month ahead.
		{"upcoming", 25, 12, Trigger{Name: "hire", Threshold: 50, CrossingMonth: fcMonthPtr(t, "2027-07"), OpenRequisitionBy: fcMonthPtr(t, "2027-02"), Status: TriggerStatusUpcoming}, "hire"},
		// 30 + 5*4 = 50 at month 4, 55 at month 5: the requisition opens now.
		{"due now", 30, 12, Trigger{Name: "hire", Threshold: 50, CrossingMonth: fcMonthPtr(t, "2027-06"), OpenRequisitionBy: fcMonthPtr(t, "2027-01"), Status: TriggerStatusDueNow}, "hire"},
		// 25 + 5*11 = 80 at month 11, past 75: six months ahead.
		{"critical upcoming", 25, 12, Trigger{Name: "critical", Threshold: 75, CrossingMonth: fcMonthPtr(t, "2027-12"), OpenRequisitionBy: fcMonthPtr(t, "2027-07"), Status: TriggerStatusUpcoming}, "critical"},
		// 80 would come at month 11, past a 6-month horizon.
		{"not reached", 25, 6, Trigger{Name: "critical", Threshold: 75, Status: TriggerStatusNotReached}, "critical"},
		// 25 + 5 = 30 at month 1 sits at 30; 35 at month 2 passes it:
		// three months late.
		{"overdue", 25, 12, Trigger{Name: "review", Threshold: 30, CrossingMonth: fcMonthPtr(t, "2027-03"), OpenRequisitionBy: fcMonthPtr(t, "2026-10"), Status: TriggerStatusOverdue, MonthsLate: 3}, "review"},
		// No ARR, no ARR trigger.
		{"arr not reached", 25, 12, Trigger{Name: "arr", Threshold: 2e6, Status: TriggerStatusNotReached}, "arr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fcForecast(t, ForecastRequest{StartMonth: "2027-01", HorizonMonths: tc.horizon, Accounts: tc.accounts, CSMCount: 1, Growth: Growth{NewAccountsPerMonth: 5}})
			if diff := cmp.Diff(tc.want, fcTrigger(f, tc.trigger)); diff != "" {
				t.Errorf("trigger (-want +got):\n%s", diff)
			}
		})
	}
}

func TestForecastNoCSMs(t *testing.T) {
	// Load and no capacity: every trigger with load is crossed at month 0,
	// and per-CSM figures are reported as 0.
	f := fcForecast(t, ForecastRequest{StartMonth: "2027-01", HorizonMonths: 6, Accounts: 10, ARR: 1000})
	for _, tr := range f.Triggers {
		if tr.CrossingMonth == nil || tr.CrossingMonth.String() != "2027-01" || tr.Status != TriggerStatusOverdue || tr.MonthsLate != 5 {
			t.Errorf("%s trigger = %+v, want crossed 2027-01, OVERDUE by 5", tr.Name, tr)
		}
	}
	want := ForecastMonth{Month: fcMonth(t, "2027-01"), Accounts: 10, ARR: 1000}
	if diff := cmp.Diff(want, f.Months[0]); diff != "" {
		t.Errorf("month 0 (-want +got):\n%s", diff)
	}
	// One hire, as early as a requisition opened now can be ramped.
	wantPlan := []PlannedHire{{RequisitionMonth: fcMonth(t, "2027-01"), StartMonth: fcMonth(t, "2027-03"), RampedMonth: fcMonth(t, "2027-06")}}
	if diff := cmp.Diff(wantPlan, f.HiringPlan); diff != "" {
		t.Errorf("hiring plan (-want +got):\n%s", diff)
	}

	// Without load nothing is crossed and no one is hired.
	empty := fcForecast(t, ForecastRequest{StartMonth: "2027-01"})
	for _, tr := range empty.Triggers {
		if tr.Status != TriggerStatusNotReached || tr.CrossingMonth != nil || tr.OpenRequisitionBy != nil {
			t.Errorf("empty book: %s trigger = %+v, want NOT_REACHED", tr.Name, tr)
		}
	}
	if len(empty.HiringPlan) != 0 {
		t.Errorf("empty book: hiring plan %+v, want none", empty.HiringPlan)
	}
}

func TestForecastDefaultStartMonth(t *testing.T) {
	f := fcForecast(t, ForecastRequest{HorizonMonths: 2, Accounts: 10, CSMCount: 1})
	if got := f.Months[0].Month; got != fcToday {
		t.Errorf("month 0 is %s, want today %s", got, fcToday)
	}
	if got := f.Months[2].Month.String(); got != "2030-07" {
		t.Errorf("month 2 is %s, want 2030-07", got)
	}
	want := Assumption{Name: "start_month", Value: "2030-05", Source: "current month (UTC)"}
	if diff := cmp.Diff(want, f.Assumptions[0]); diff != "" {
		t.Errorf("start_month assumption (-want +got):\n%s", diff)
	}
}

func TestForecastThresholds(t *testing.T) {
	for _, tc := range []struct {
		name       string
		model      TouchModel
		complexity Complexity
		thresholds Thresholds
		want       []float64 // review, hire, critical, arr
		sources    []string
	}{
		{"high moderate defaults", TouchModelUnspecified, ComplexityUnspecified, Thresholds{},
			[]float64{30, 50, 75, 2e6}, nil},
		{"simple carries more", TouchModelHigh, ComplexitySimple, Thresholds{},
			[]float64{45, 75, 112.5, 2e6}, nil},
		{"complex carries fewer", TouchModelHigh, ComplexityComplex, Thresholds{},
			[]float64{18, 30, 45, 2e6}, nil},
		{"low touch", TouchModelLow, ComplexityModerate, Thresholds{},
			[]float64{125, 200, 300, 5e6},
			[]string{
				"assumption (TOUCH_MODEL_LOW ideal max x complexity multiplier)",
				"assumption (TOUCH_MODEL_LOW cap x complexity multiplier)",
				"assumption (TOUCH_MODEL_LOW 1.5 x cap x complexity multiplier)",
				"assumption (TOUCH_MODEL_LOW touch model's ARR per CSM ceiling)",
			}},
		{"tech touch", TouchModelTech, ComplexityModerate, Thresholds{},
			[]float64{1000, 2000, 3000, 1e7}, nil},
		{"explicit thresholds win", TouchModelHigh, ComplexityComplex,
			Thresholds{ReviewAccountsPerCSM: fcFloat(20), HireAccountsPerCSM: fcFloat(40), ARRPerCSM: fcFloat(1.5e6)},
			[]float64{20, 40, 45, 1.5e6},
			[]string{SourceRequest, SourceRequest, "seeds 000/001 (1.5 x cap x complexity multiplier)", SourceRequest}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fcForecast(t, ForecastRequest{StartMonth: "2027-01", Accounts: 10, CSMCount: 1,
				TouchModel: tc.model, Complexity: tc.complexity, Thresholds: tc.thresholds})
			var got []float64
			for _, tr := range f.Triggers {
				got = append(got, tr.Threshold)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("thresholds (-want +got):\n%s", diff)
			}
			if tc.sources == nil {
				return
			}
			var sources []string
			for _, a := range f.Assumptions {
				if len(a.Name) > 11 && a.Name[:11] == "thresholds." {
					sources = append(sources, a.Source)
				}
			}
			if diff := cmp.Diff(tc.sources, sources); diff != "" {
				t.Errorf("threshold sources (-want +got):\n%s", diff)
			}
		})
	}

	// An explicit hire threshold moves the crossing: seed 000's book reaches
	// 70 at month 2 and passes it at month 3.
	req := fcSeed000(12)
	req.Thresholds.HireAccountsPerCSM = fcFloat(70)
	if tr := fcTrigger(fcForecast(t, req), "hire"); tr.CrossingMonth == nil || tr.CrossingMonth.String() != "2027-03" {
		t.Errorf("hire trigger at 70 = %+v, want crossed 2027-03", tr)
	}
}

func TestForecastAssumptionsEchoRequest(t *testing.T) {
	f := fcForecast(t, ForecastRequest{
		StartMonth: "2027-01", HorizonMonths: 24, Accounts: 10, ARR: 5e5, CSMCount: 1,
		Growth:     Growth{MonthlyLogoChurnRate: fcFloat(0.05), MonthlyExpansionRate: fcFloat(0.01), NewAccountARR: fcFloat(25000)},
		TouchModel: TouchModelLow, Complexity: ComplexitySimple,
		Timeline: Timeline{TimeToHireMonths: fcInt(1), RampMonths: fcInt(4), RampCurve: RampCurveLinear,
			AnnualCSMAttritionRate: fcFloat(0.15)},
	})
	want := map[string]string{
		"start_month":                        "2027-01",
		"horizon_months":                     "24",
		"touch_model":                        "TOUCH_MODEL_LOW",
		"complexity":                         "PRODUCT_COMPLEXITY_SIMPLE",
		"growth.monthly_logo_churn_rate":     "0.05",
		"growth.monthly_expansion_rate":      "0.01",
		"growth.new_account_arr":             "25000",
		"timeline.time_to_hire_months":       "1",
		"timeline.ramp_months":               "4",
		"timeline.ramp_curve":                "RAMP_CURVE_LINEAR",
		"timeline.annual_csm_attrition_rate": "0.15",
	}
	for _, a := range f.Assumptions {
		v, ok := want[a.Name]
		if !ok {
			continue
		}
		delete(want, a.Name)
		if a.Value != v || a.Source != SourceRequest {
			t.Errorf("assumption %s = %q from %q, want %q from request", a.Name, a.Value, a.Source, v)
		}
	}
	for name := range want {
		t.Errorf("assumption %s missing", name)
	}
}

func TestForecastValidation(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name   string
		req    ForecastRequest
		fields []string
	}{
		{
			name: "everything at once",
			req: ForecastRequest{
				StartMonth: "2027-13", HorizonMonths: 121, Accounts: -1, ARR: -5, CSMCount: -2,
				PlannedHireMonths: []string{"2027-1", "2027-02"},
				Growth: Growth{NewAccountsPerMonth: nan, MonthlyLogoChurnRate: fcFloat(1.5),
					MonthlyExpansionRate: fcFloat(-0.6), NewAccountARR: fcFloat(inf)},
				TouchModel: TouchModel(9), Complexity: Complexity(-1),
				Thresholds: Thresholds{ReviewAccountsPerCSM: fcFloat(0), HireAccountsPerCSM: fcFloat(-50),
					CriticalAccountsPerCSM: fcFloat(nan), ARRPerCSM: fcFloat(inf)},
				Timeline: Timeline{TimeToHireMonths: fcInt(-1), RampMonths: fcInt(25), RampCurve: RampCurve(7),
					AnnualCSMAttritionRate: fcFloat(1)},
			},
			fields: []string{
				"start_month", "horizon_months", "accounts", "csm_count", "arr",
				"planned_hire_months[0]",
				"touch_model", "complexity",
				"growth.new_accounts_per_month", "growth.monthly_logo_churn_rate",
				"growth.monthly_expansion_rate", "growth.new_account_arr",
				"thresholds.review_accounts_per_csm", "thresholds.hire_accounts_per_csm",
				"thresholds.critical_accounts_per_csm", "thresholds.arr_per_csm",
				"timeline.time_to_hire_months", "timeline.ramp_months", "timeline.ramp_curve",
				"timeline.annual_csm_attrition_rate",
			},
		},
		{
			name:   "negative horizon",
			req:    ForecastRequest{StartMonth: "2027-01", HorizonMonths: -1},
			fields: []string{"horizon_months"},
		},
		{
			name:   "planned hire before the start and a bad one",
			req:    ForecastRequest{StartMonth: "2027-01", PlannedHireMonths: []string{"2027-03", "2026-12", "abcd-ef"}},
			fields: []string{"planned_hire_months[1]", "planned_hire_months[2]"},
		},
		{
			name:   "too many planned hires",
			req:    ForecastRequest{StartMonth: "2027-01", PlannedHireMonths: make([]string, MaxPlannedHires+1)},
			fields: []string{"planned_hire_months"},
		},
		{
			name:   "absurd sizes",
			req:    ForecastRequest{StartMonth: "2027-01", ARR: 1e300, Growth: Growth{NewAccountsPerMonth: 1e12, NewAccountARR: fcFloat(1e16)}},
			fields: []string{"arr", "growth.new_accounts_per_month", "growth.new_account_arr"},
		},
		{
			name:   "horizon past 9999-12",
			req:    ForecastRequest{StartMonth: "9999-06", HorizonMonths: 12},
			fields: []string{"horizon_months"},
		},
		{
			name:   "infinite churn",
			req:    ForecastRequest{StartMonth: "2027-01", Growth: Growth{MonthlyLogoChurnRate: fcFloat(math.Inf(-1))}},
			fields: []string{"growth.monthly_logo_churn_rate"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ForecastCapacity(tc.req, fcToday)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %+v, %v; want a *ValidationError", f, err)
			}
			var got []string
			for _, v := range ve.Violations {
				got = append(got, v.Field)
				if v.Reason == "" {
					t.Errorf("%s: empty reason", v.Field)
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.fields))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestForecastValidBoundaries(t *testing.T) {
	// The edges of each range are accepted.
	for _, req := range []ForecastRequest{
		{StartMonth: "2027-01", HorizonMonths: 1},
		{StartMonth: "2027-01", HorizonMonths: MaxHorizonMonths},
		{StartMonth: "9989-12", HorizonMonths: MaxHorizonMonths},
		{StartMonth: "2027-01", PlannedHireMonths: []string{"2027-01"}},
		{StartMonth: "2027-01", PlannedHireMonths: slices.Repeat([]string{"2027-06"}, MaxPlannedHires)},
		{StartMonth: "2027-01", Growth: Growth{MonthlyLogoChurnRate: fcFloat(0), MonthlyExpansionRate: fcFloat(0.5)}},
		{StartMonth: "2027-01", Growth: Growth{MonthlyLogoChurnRate: fcFloat(0.5), MonthlyExpansionRate: fcFloat(-0.49)}},
		{StartMonth: "2027-01", Timeline: Timeline{TimeToHireMonths: fcInt(MaxTimelineMonths), RampMonths: fcInt(0), AnnualCSMAttritionRate: fcFloat(0.99)}},
		{StartMonth: "2027-01", Accounts: math.MaxInt32, CSMCount: math.MaxInt32, ARR: 1e15,
			Growth:        Growth{NewAccountsPerMonth: 1e9, MonthlyExpansionRate: fcFloat(0.5)},
			HorizonMonths: MaxHorizonMonths, PlannedHireMonths: []string{"2027-02"},
			Thresholds: Thresholds{HireAccountsPerCSM: fcFloat(1e6)}},
	} {
		f, err := ForecastCapacity(req, fcToday)
		if err != nil {
			t.Errorf("%+v: %v", req, err)
			continue
		}
		for _, m := range f.Months {
			if !finite(m.Accounts) || !finite(m.ARR) || !finite(m.AccountsPerCSM) || !finite(m.ARRPerCSM) || m.CSMHeadcount < 0 {
				t.Errorf("%+v: month %s = %+v is not finite", req, m.Month, m)
				break
			}
		}
	}
}

func TestForecastPlanTooLarge(t *testing.T) {
	// A threshold of a millionth of an account per CSM would need millions
	// of hires: an error on the threshold, not a runaway plan.
	req := ForecastRequest{StartMonth: "2027-01", Accounts: 100, CSMCount: 1,
		Thresholds: Thresholds{HireAccountsPerCSM: fcFloat(1e-6)}}
	_, err := ForecastCapacity(req, fcToday)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Field != "thresholds.hire_accounts_per_csm" {
		t.Fatalf("got %v, want a ValidationError on thresholds.hire_accounts_per_csm", err)
	}

	// A threshold inside the tolerance can never be met.
	req.Thresholds.HireAccountsPerCSM = fcFloat(1e-12)
	if _, err := ForecastCapacity(req, fcToday); !errors.As(err, &ve) {
		t.Fatalf("got %v, want a ValidationError", err)
	}
}

func TestForecastHiresNeeded(t *testing.T) {
	for _, tc := range []struct {
		load, csms, decay, threshold float64
		want                         int
		ok                           bool
	}{
		{40, 1, 1, 50, 0, true},
		{50, 1, 1, 50, 0, true},  // at the threshold: nobody needed
		{100, 1, 1, 50, 1, true}, // 100/2 = 50
		{101, 1, 1, 50, 2, true}, // 101/2 > 50
		{85, 1, 1, 50, 1, true},
		{10, 0, 1, 50, 1, true},             // load and no capacity
		{0, 0, 1, 50, 0, true},              // no load, no hire
		{450, 10, 0.5, 50, 8, true},         // 450 / (18 * 0.5) = 50
		{50.00000000001, 1, 1, 50, 0, true}, // within the tolerance
		{1e12, 0, 1, 1, 0, false},           // past MaxPlanHires
		{1, 0, 1, 1e-12, 0, false},          // a threshold within the tolerance
	} {
		got, ok := forecastHiresNeeded(tc.load, tc.csms, tc.decay, tc.threshold)
		if got != tc.want || ok != tc.ok {
			t.Errorf("forecastHiresNeeded(%v, %v, %v, %v) = %d, %v; want %d, %v", tc.load, tc.csms, tc.decay, tc.threshold, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormatFloatWritesJSONNumbers(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{2e6, "2000000"},
		{0.05, "0.05"},
		{12, "12"},
		{112.5, "112.5"},
		{1e21, "1e+21"},
		{1e-7, "1e-7"},
		{0, "0"},
		{-3.5, "-3.5"},
		{math.Inf(1), "Infinity"},
	} {
		if got := formatFloat(tc.in); got != tc.want {
			t.Errorf("formatFloat(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestForecastHireCost(t *testing.T) {
	// Two CSMs and a hire starting 2027-02 on a flat $1.2M book; a CSM
	// costs $150K loaded, $12,500 a month (seed 004's $100K salary).
	req := ForecastRequest{
		StartMonth: "2027-01", HorizonMonths: 2, Accounts: 40, ARR: 1_200_000, CSMCount: 2,
		PlannedHireMonths: []string{"2027-02"},
		HireCost:          &HireRequest{BaseSalary: 100_000},
	}
	f := fcForecast(t, req)
	var got [][2]float64
	for _, m := range f.Months {
		got = append(got, [2]float64{m.CSCost, m.CSCostShare})
	}
	// 2 x 12,500 = 25,000 a month, 300,000 a year: 25% of $1.2M; with the
	// hire started 37,500, 37.5%.
	want := [][2]float64{{25_000, 0.25}, {37_500, 0.375}, {37_500, 0.375}}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("cs_cost, cs_cost_share (-want +got):\n%s", diff)
	}

	// Without hire_cost, no cost.
	req.HireCost = nil
	for _, m := range fcForecast(t, req).Months {
		if m.CSCost != 0 || m.CSCostShare != 0 {
			t.Errorf("%s without hire_cost: cs_cost %v, share %v, want 0", m.Month, m.CSCost, m.CSCostShare)
		}
	}

	// No ARR: the share's divisor is 0, so the share is 0.
	f = fcForecast(t, ForecastRequest{StartMonth: "2027-01", HorizonMonths: 1, Accounts: 10, CSMCount: 1, HireCost: &HireRequest{BaseSalary: 120_000}})
	if m := f.Months[0]; m.CSCost != 15_000 || m.CSCostShare != 0 {
		t.Errorf("no ARR: cs_cost %v, share %v, want 15000 and 0", m.CSCost, m.CSCostShare)
	}
}

func TestForecastHireCostPlan(t *testing.T) {
	// Seed 000's hire, priced: 150,000 loaded + 0.2 x 100,000 fee + 5,000
	// bonus = 175,000 in its first year.
	req := fcSeed000(6)
	req.HireCost = &HireRequest{BaseSalary: 100_000, RecruitingFeeShare: fcFloat(0.2), SignOnBonus: 5_000,
		// The timeline governs the ramp, not the cost profile's own.
		RampMonths: fcInt(12), TimeToHireMonths: fcInt(6)}
	f := fcForecast(t, req)
	want := []PlannedHire{
		{RequisitionMonth: fcMonth(t, "2026-12"), StartMonth: fcMonth(t, "2027-02"), RampedMonth: fcMonth(t, "2027-05"), FirstYearCost: 175_000},
	}
	if diff := cmp.Diff(want, f.HiringPlan); diff != "" {
		t.Errorf("hiring plan (-want +got):\n%s", diff)
	}
	// Only the cost inputs are echoed, after the forecast's own.
	n := len(f.Assumptions)
	wantAs := []Assumption{
		{Name: "hire_cost.loaded_cost_multiplier", Value: "1.5", Source: "seed 004 ($100K salary -> about $150K a year)"},
		{Name: "hire_cost.recruiting_fee_share", Value: "0.2", Source: SourceRequest},
		{Name: "hire_cost.trainer_hourly_cost", Value: formatFloat(150_000.0 / 1880), Source: "default: the hire's annual loaded cost over 1880 working hours"},
	}
	if n < 3 {
		t.Fatalf("assumptions %v, want hire_cost's at the end", f.Assumptions)
	}
	if diff := cmp.Diff(wantAs, f.Assumptions[n-3:]); diff != "" {
		t.Errorf("hire_cost assumptions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fcForecast(t, fcSeed000(6)).Assumptions, f.Assumptions[:n-3]); diff != "" {
		t.Errorf("the forecast's own assumptions changed with hire_cost (-without +with):\n%s", diff)
	}
}

func TestForecastHireCostValidation(t *testing.T) {
	req := fcSeed000(6)
	req.HireCost = &HireRequest{BaseSalary: -1, RecruitingFeeShare: fcFloat(1.5), RampMonths: fcInt(25),
		LoadedCostMultiplier: fcFloat(1.5), Itemized: &ItemizedCost{}}
	req.HorizonMonths = -1
	_, err := ForecastCapacity(req, fcToday)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *ValidationError", err)
	}
	var got []string
	for _, v := range ve.Violations {
		got = append(got, v.Field)
	}
	slices.Sort(got)
	want := []string{"hire_cost.base_salary", "hire_cost.loaded_cost_multiplier", "hire_cost.ramp_months", "hire_cost.recruiting_fee_share", "horizon_months"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

// TestForecastRatesAreFractions: a monthly rate of 1 or more is a
// percentage where a fraction goes, and the message says so; one past 50%
// a month says that; expansion may be a contraction above -50%.
func TestForecastRatesAreFractions(t *testing.T) {
	for _, tc := range []struct {
		growth Growth
		field  string
		want   string
	}{
		{Growth{MonthlyLogoChurnRate: fcFloat(1)}, "growth.monthly_logo_churn_rate", "rates are fractions: 1% a month is 0.01"},
		{Growth{MonthlyLogoChurnRate: fcFloat(5)}, "growth.monthly_logo_churn_rate", "rates are fractions"},
		{Growth{MonthlyLogoChurnRate: fcFloat(0.6)}, "growth.monthly_logo_churn_rate", "above 50% a month"},
		{Growth{MonthlyLogoChurnRate: fcFloat(-0.01)}, "growth.monthly_logo_churn_rate", "must be 0 or more"},
		{Growth{MonthlyExpansionRate: fcFloat(-2)}, "growth.monthly_expansion_rate", "rates are fractions"},
		{Growth{MonthlyExpansionRate: fcFloat(-0.5)}, "growth.monthly_expansion_rate", "a contraction of 50% a month or more"},
	} {
		_, err := ForecastCapacity(ForecastRequest{StartMonth: "2027-01", Growth: tc.growth}, fcToday)
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Field != tc.field || !strings.Contains(ve.Violations[0].Reason, tc.want) {
			t.Errorf("%+v: %v, want %s: %q", tc.growth, err, tc.field, tc.want)
		}
	}
	_, err := ForecastCapacity(ForecastRequest{StartMonth: "2027-01", Timeline: Timeline{AnnualCSMAttritionRate: fcFloat(15)}}, fcToday)
	if err == nil || !strings.Contains(err.Error(), "rates are fractions: 15% a year is 0.15") {
		t.Errorf("attrition of 15 = %v, want the fractions message", err)
	}
}
