package planning

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/csplan/csplan/capacity"
)

// runBook runs p on accounts as the service does: segmented, and read
// into the calendar.
func runBook(t *testing.T, p Plan, accounts []capacity.Account) Result {
	t.Helper()
	seg, err := capacity.NewSegmenter(Rules(p))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := capacity.NewBookAnalyzer(CalendarSettings(p, StartMonth(p, dec2026)), 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range accounts {
		if err := capacity.ValidateAccount(&accounts[i], "accounts", i); err != nil {
			t.Fatal(err)
		}
		seg.Add(&accounts[i])
		cal.Add(&accounts[i])
	}
	sr, cr := seg.Result(), cal.Result()
	r, err := Run(p, Book{Segmented: &sr, Calendar: &cr}, dec2026)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// calendarTime is a CSM with 40 x (52 - 5) / 12 x 2/3 = 104.44 customer
// hours a month.
var calendarTime = capacity.CSMTime{WeeklyHours: f(40), TimeOffDaysPerYear: f(25), CustomerFacingShare: f(2.0 / 3)}

const calendarAvailable = 40 * (52 - 25.0/5) / 12 * 2 / 3

func calendarPlan(pb capacity.Playbook, csms int32, growth float64, horizon int32) Plan {
	return Plan{StartMonth: "2027-01", HorizonMonths: horizon, CSMTime: calendarTime,
		Segments: []Segment{{Name: "Core", Playbook: &pb, CSMs: csms, Growth: Growth{NewAccountsPerMonth: f(growth)}}},
		Hiring:   Hiring{Cost: capacity.HireRequest{BaseSalary: 100000, TimeToHireMonths: i32(2), RampMonths: i32(3)}}}
}

// clusteredBook: 100 accounts that started long ago; 40 renew in July,
// the other 60 six a month in the ten months but June and July.
func clusteredBook(dated bool) []capacity.Account {
	var book []capacity.Account
	months := []int{1, 2, 3, 4, 5, 8, 9, 10, 11, 12}
	for i := range 100 {
		a := capacity.Account{ID: fmt.Sprintf("a-%03d", i), ARR: 20000, Owner: fmt.Sprintf("csm-%d", i%3)}
		if dated {
			m := 7
			if i >= 40 {
				m = months[(i-40)/6]
			}
			a.StartDate, a.RenewalDate = "2024-01-15", fmt.Sprintf("2027-%02d-15", m)
		}
		book = append(book, a)
	}
	return book
}

// TestClusteredRenewalsHireEarlier: a renewal season pulls the first
// requisition 8 months earlier than the flat model puts it.
//
// The playbook: a 2-hour monthly check-in (even) and a 6-hour renewal
// prep a month before each renewal; one CSM has 104.44 hours; 3 CSMs;
// 2 new accounts a month.
//
// Flat: 2 + 6/12 = 2.5 hours per account, so 3 CSMs carry 125.3
// accounts; 100 + 2t passes that at t = 13 (2028-02, 126 accounts, 315
// hours, 3.02 FTE): the first requisition is needed in 2028-02.
//
// Calendar: in 2027-06 the 40 July renewals are prepared: 100 x 2 + 40 x
// 6 + the 10 new accounts' check-ins, 10 x 2 = 460 hours, 4.40 FTE, 5
// CSMs: the first requisitions are needed in 2027-06, 8 months earlier,
// and open 8 months earlier (the same time to hire and ramp).
func TestClusteredRenewalsHireEarlier(t *testing.T) {
	pb := capacity.Playbook{Touchpoints: []capacity.Touchpoint{
		{Name: "Check-in", Hours: 2, Cadence: capacity.CadenceMonthly},
		{Name: "Renewal prep", Hours: 6, Anchor: capacity.AnchorRenewal, MonthsBefore: i32(1)},
	}}
	p := calendarPlan(pb, 3, 2, 18)
	flat := runBook(t, p, clusteredBook(false))
	cal := runBook(t, p, clusteredBook(true))

	if flat.Segments[0].Calendar || !cal.Segments[0].Calendar {
		t.Fatalf("calendar: flat %v, dated %v", flat.Segments[0].Calendar, cal.Segments[0].Calendar)
	}
	june := cal.Segments[0].Months[5]
	if hours := june.Accounts * calendarAvailable / june.Capacity; math.Abs(hours-460) > 1e-6 || june.NeededCSMs != 5 {
		t.Errorf("2027-06: %v hours, %d CSMs needed; want 460 hours, 5 CSMs", hours, june.NeededCSMs)
	}
	if s := cal.Segments[0]; s.PeakMonth != "2027-06" || s.CSMsNeededAtPeak != 5 || s.CSMsNeededNow != 3 {
		t.Errorf("calendar peak %s with %d CSMs, %d now; want 2027-06 with 5, 3 now", s.PeakMonth, s.CSMsNeededAtPeak, s.CSMsNeededNow)
	}
	if cal.Summary.PeakMonth != "2027-06" || cal.Summary.CSMsNeededAtPeak != 5 {
		t.Errorf("summary peak %s with %d", cal.Summary.PeakMonth, cal.Summary.CSMsNeededAtPeak)
	}
	if len(flat.Requisitions) == 0 || len(cal.Requisitions) == 0 {
		t.Fatalf("requisitions: flat %v, calendar %v", flat.Requisitions, cal.Requisitions)
	}
	fq, cq := flat.Requisitions[0], cal.Requisitions[0]
	if fq.NeededMonth != "2028-02" || cq.NeededMonth != "2027-06" {
		t.Errorf("first requisition needed: flat %s, calendar %s; want 2028-02 and 2027-06", fq.NeededMonth, cq.NeededMonth)
	}
	if d := monthsBetween(t, cq.OpenByMonth, fq.OpenByMonth); d != 8 {
		t.Errorf("the calendar opens the first requisition %d months before the flat model (%s vs %s), want 8", d, cq.OpenByMonth, fq.OpenByMonth)
	}
	if flat.Summary.PeakMonth != "2028-02" || flat.Summary.CSMsNeededAtPeak != 4 {
		t.Errorf("flat peak %s with %d, want the horizon's growth: 2028-02 with 4", flat.Summary.PeakMonth, flat.Summary.CSMsNeededAtPeak)
	}
}

func monthsBetween(t *testing.T, a, b string) int {
	t.Helper()
	ma, err := capacity.ParseMonth(a)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := capacity.ParseMonth(b)
	if err != nil {
		t.Fatal(err)
	}
	return int(mb - ma)
}

// TestGrowthBringsItsWaves: each month's new accounts bring their own
// onboarding (a 12-hour start spread over 3 months) and, a term later,
// renewal prep. 10 accounts from 2024 renewing each December, 3 new a
// month, a 1-hour monthly check-in (even):
//   - 2027-04 (t = 3): 10 check-ins + 9 new ones + the onboarding of
//     cohorts 1-3, 9 x 4 = 55 hours;
//   - 2027-11 (t = 10): 10 + the 10 December preps x 6 + 30 new
//     check-ins + cohorts 8-10 onboarding, 36 = 136 hours;
//   - 2028-01 (t = 12): 10 + 36 + cohorts 10-12 onboarding, 36, + the
//     prep of cohort 1 (renewing 2028-02), 3 x 6 = 100 hours.
func TestGrowthBringsItsWaves(t *testing.T) {
	pb := capacity.Playbook{Touchpoints: []capacity.Touchpoint{
		{Name: "Check-in", Hours: 1, Cadence: capacity.CadenceMonthly},
		{Name: "Onboarding", Hours: 12, Cadence: capacity.CadenceOneTime, Anchor: capacity.AnchorStart, SpreadMonths: i32(3)},
		{Name: "Renewal prep", Hours: 6, Anchor: capacity.AnchorRenewal, MonthsBefore: i32(1)},
	}}
	var book []capacity.Account
	for i := range 10 {
		book = append(book, capacity.Account{ID: fmt.Sprint(i), ARR: 1000, StartDate: "2024-12-01", RenewalDate: "2025-12-01"})
	}
	r := runBook(t, calendarPlan(pb, 2, 3, 12), book)
	for _, c := range []struct {
		t     int
		hours float64
	}{{3, 55}, {10, 136}, {12, 100}} {
		m := r.Segments[0].Months[c.t]
		if got := m.Accounts * calendarAvailable / m.Capacity; math.Abs(got-c.hours) > 1e-6 {
			t.Errorf("%s: %v hours, want %v", m.Month, got, c.hours)
		}
	}
}

// TestDatesWithoutAnchorsAreFlat: with a playbook of even touchpoints
// only and every account started before month 0, the calendar's need is
// the flat model's, month by month, whatever the dates, growth and
// churn: dates move only what an anchor places.
func TestDatesWithoutAnchorsAreFlat(t *testing.T) {
	for seed := range 40 {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		pb := capacity.Playbook{
			Touchpoints: []capacity.Touchpoint{
				{Name: "Check-in", Hours: 0.5 + rng.Float64()*2, Cadence: capacity.CadenceMonthly},
				{Name: "Review", Hours: 1 + rng.Float64()*4, Cadence: capacity.CadenceQuarterly},
				{Name: "Kick-off", Hours: 2 + rng.Float64()*10, Cadence: capacity.CadenceOneTime},
			},
			Inbound: []capacity.InboundActivity{{Name: "Requests", PerAccountPerMonth: rng.Float64() * 3, Hours: 0.5}},
		}
		p := calendarPlan(pb, int32(1+rng.IntN(5)), float64(rng.IntN(6)), int32(6+rng.IntN(24)))
		p.Growth.MonthlyLogoChurnRate = f(rng.Float64() * 0.03)
		n := 20 + rng.IntN(200)
		dated, plain := make([]capacity.Account, n), make([]capacity.Account, n)
		for i := range n {
			plain[i] = capacity.Account{ID: fmt.Sprint(i), ARR: 1000}
			dated[i] = plain[i]
			dated[i].StartDate = fmt.Sprintf("20%02d-%02d-01", 20+rng.IntN(6), 1+rng.IntN(12))
			dated[i].RenewalDate = fmt.Sprintf("20%02d-%02d", 25+rng.IntN(4), 1+rng.IntN(12))
		}
		flat, cal := runBook(t, p, plain), runBook(t, p, dated)
		if !cal.Segments[0].Calendar || flat.Segments[0].Calendar {
			t.Fatalf("seed %d: calendar flags %v %v", seed, cal.Segments[0].Calendar, flat.Segments[0].Calendar)
		}
		for m := range flat.Segments[0].Months {
			a, b := flat.Segments[0].Months[m], cal.Segments[0].Months[m]
			if !near(a.Accounts/a.Capacity, b.Accounts/b.Capacity) {
				t.Fatalf("seed %d, %s: flat FTE %v, calendar %v", seed, a.Month, a.Accounts/a.Capacity, b.Accounts/b.Capacity)
			}
		}
	}
}

// TestNoDatesIsTodaysPlan: the same accounts without dates give exactly
// the plan without a calendar.
func TestNoDatesIsTodaysPlan(t *testing.T) {
	pb := capacity.Playbook{Touchpoints: []capacity.Touchpoint{
		{Name: "Check-in", Hours: 2, Cadence: capacity.CadenceMonthly},
		{Name: "Renewal prep", Hours: 6, Anchor: capacity.AnchorRenewal, MonthsBefore: i32(1)},
		{Name: "Onboarding", Hours: 10, Cadence: capacity.CadenceOneTime, Anchor: capacity.AnchorStart, SpreadMonths: i32(2)},
	}}
	p := calendarPlan(pb, 3, 2, 18)
	withCalendar := runBook(t, p, clusteredBook(false))
	seg, err := capacity.NewSegmenter(Rules(p))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range clusteredBook(false) {
		seg.Add(&a)
	}
	sr := seg.Result()
	without, err := Run(p, Book{Segmented: &sr}, dec2026)
	if err != nil {
		t.Fatal(err)
	}
	for m := range without.Months {
		if a, b := without.Months[m], withCalendar.Months[m]; a.NeededCSMs != b.NeededCSMs || a.Headcount != b.Headcount || a.TotalCost != b.TotalCost {
			t.Errorf("%s: without dates %+v, with the calendar read %+v", a.Month, a, b)
		}
	}
	if len(without.Requisitions) != len(withCalendar.Requisitions) || without.Summary.Verdict != withCalendar.Summary.Verdict {
		t.Errorf("requisitions %v vs %v", without.Requisitions, withCalendar.Requisitions)
	}
}
