package capacity

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func monthPtr(s string) *Month {
	m, err := ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return &m
}

func i32p(x int32) *int32 { return &x }

// smoothedAccountHours is AccountHours with its evenly spread one-time
// hours smoothed at share a month, as the book analyzer does.
func smoothedAccountHours(pb Playbook, acc AccountCalendar, share float64, first Month, hours []float64) (missing bool) {
	evenOneTime, missing := AccountHours(pb, acc, first, hours)
	EvenHours(acc, first, evenOneTime*share, hours)
	return missing
}

// calendarPlaybook has a touchpoint of each anchor: a monthly check-in
// from the start, an onboarding spread over two months from it, a renewal
// prep a month before each renewal, and an inbound activity.
func calendarPlaybook() Playbook {
	return Playbook{
		Touchpoints: []Touchpoint{
			{Name: "Check-in", Hours: 1, Cadence: CadenceMonthly, Anchor: AnchorStart},
			{Name: "Onboarding", Hours: 4, Cadence: CadenceOneTime, Anchor: AnchorStart, SpreadMonths: i32p(2)},
			{Name: "Renewal prep", Hours: 3, Anchor: AnchorRenewal, MonthsBefore: i32p(1)},
		},
		Inbound: []InboundActivity{{Name: "Requests", PerAccountPerMonth: 2, Hours: 0.5}},
	}
}

// TestAccountHoursByHand: hours month by month, computed by hand, for an
// account that starts in the window's second month with a renewal date in
// the past (it rolls forward a term at a time), for one without dates, and
// for one that started before the window.
func TestAccountHoursByHand(t *testing.T) {
	first := *monthPtr("2027-01")
	cases := []struct {
		name    string
		acc     AccountCalendar
		want    []float64
		missing bool
	}{
		// Starts 2027-02: nothing in 01; the check-in from 03 (start + 1);
		// onboarding 2 + 2 in 02 and 03; inbound 1 a month from 02; the
		// renewal of 2026-06 rolls to 2027-06, prepared in 2027-05.
		{"starts in the window", AccountCalendar{Start: monthPtr("2027-02"), Renewal: monthPtr("2026-06"), Term: 12},
			[]float64{0, 3, 4, 2, 5, 2, 2, 2, 2, 2, 2, 2}, false},
		// No dates: the flat model. Check-in 1, onboarding 4 x 1/36,
		// renewal prep 3 x 1 a year / 12, inbound 1, every month.
		{"no dates", AccountCalendar{},
			[]float64{2.36111, 2.36111, 2.36111, 2.36111, 2.36111, 2.36111, 2.36111, 2.36111, 2.36111, 2.36111, 2.36111, 2.36111}, true},
		// Started 2026-11, a 6-month term renewing 2027-05: check-ins in
		// every month from 2026-12 (all of the window), onboarding
		// 2026-11 and 12 (before the window), renewals 2027-05 and 2027-11
		// prepared in 04 and 10.
		{"started before", AccountCalendar{Start: monthPtr("2026-11"), Renewal: monthPtr("2027-05"), Term: 6},
			[]float64{2, 2, 2, 5, 2, 2, 2, 2, 2, 5, 2, 2}, false},
	}
	for _, tc := range cases {
		hours := make([]float64, 12)
		missing := smoothedAccountHours(calendarPlaybook(), tc.acc, 1.0/36, first, hours)
		if diff := cmp.Diff(tc.want, hours, cmp.Comparer(func(a, b float64) bool { return a-b < 1e-4 && b-a < 1e-4 })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
		if missing != tc.missing {
			t.Errorf("%s: missing a date = %v, want %v", tc.name, missing, tc.missing)
		}
	}
}

// TestCalendarWithoutDatesIsFlat: an account without dates needs, each
// month, what HoursPerAccount says of the playbook: today's flat answer.
func TestCalendarWithoutDatesIsFlat(t *testing.T) {
	pb := calendarPlaybook()
	lifetime := 36.0
	flat, _, _, err := HoursPerAccount(pb, 100, nil, &lifetime, "playbook")
	if err != nil {
		t.Fatal(err)
	}
	hours := make([]float64, 6)
	smoothedAccountHours(pb, AccountCalendar{}, 1/lifetime, *monthPtr("2027-01"), hours)
	for i, h := range hours {
		if d := h - flat; d > 1e-9 || d < -1e-9 {
			t.Errorf("month %d: %v hours, the flat model says %v", i, h, flat)
		}
	}
}

// TestAnchorChecks: a RENEWAL touchpoint needs no cadence; fields that
// would be ignored are refused by name.
func TestAnchorChecks(t *testing.T) {
	ok := Playbook{Touchpoints: []Touchpoint{{Name: "Renewal prep", Hours: 3, Anchor: AnchorRenewal}}}
	if v := validatePlaybook(ok, "playbook"); !v.empty() {
		t.Errorf("a RENEWAL touchpoint without a cadence: %v", v.list)
	}
	bad := Playbook{Touchpoints: []Touchpoint{
		{Name: "a", Hours: 1, Cadence: CadenceMonthly, SpreadMonths: i32p(2)},
		{Name: "b", Hours: 1, Cadence: CadenceOneTime, Anchor: AnchorStart, SpreadMonths: i32p(30)},
		{Name: "c", Hours: 1, Anchor: AnchorRenewal, MonthsBefore: i32p(12)},
		{Name: "d", Hours: 1, Cadence: CadenceMonthly, MonthsBefore: i32p(1)},
		{Name: "e", Hours: 1, Cadence: CadenceMonthly, Anchor: TouchpointAnchor(9)},
	}}
	v := validatePlaybook(bad, "playbook")
	err := v.err()
	for _, want := range []string{
		"playbook.touchpoints[0].spread_months: spreads a one-time START touchpoint",
		"playbook.touchpoints[1].spread_months: must be 1 to 24 months, got 30",
		"playbook.touchpoints[2].months_before: must be 0 to 11 months before the renewal, got 12",
		"playbook.touchpoints[3].months_before: places a RENEWAL touchpoint before the renewal month",
		"playbook.touchpoints[4].anchor: 9 is not an anchor",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
}
