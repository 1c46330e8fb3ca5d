package planning

import (
	"github.com/csplan/csplan/capacity"
)

// The calendar in a plan (design/book.md, "In plans"): with dates in the
// book, a playbook segment's need in month t is the hours its accounts
// take that month over one CSM's available hours (at the target
// utilization), instead of its accounts over a flat capacity. The bridge
// sizes on accounts over capacity, so the calendar hands it the capacity
// that gives that need: accounts(t) x available / hours(t). Every output
// (capacity, FTE, need, requisitions) then follows from one figure.

// CalendarSettings are the book analyzer's settings for a plan: its
// segments as rules, its months 0 to the horizon, its customer stages and
// its team by name (book.csms). start is month 0 as Run resolves it.
func CalendarSettings(p Plan, start capacity.Month) capacity.BookSettings {
	rules := Rules(p)
	h := horizon(p.HorizonMonths)
	return capacity.BookSettings{
		CSMTime: p.CSMTime, Segments: rules.Segments, CSMs: p.CSMs, Customers: p.Customers,
		StartMonth: start.String(), HorizonMonths: h + 1, HorizonLimit: maxHorizonMonths + 1,
	}
}

// StartMonth is month 0 of p: its start_month, else today's month.
func StartMonth(p Plan, today capacity.Month) capacity.Month { return startMonth(p, today) }

// calendarHours are segment s's hours month by month, 0 to the horizon,
// from the book's calendar: its accounts as dated, fewer by churn, plus
// each month's new accounts with their own onboarding and, a term later,
// renewal waves. ok is false when the segment is sized flat: no playbook,
// or no account of the book with a date.
func (r *run) calendarHours(i int, s *seg) (hours []float64, ok bool) {
	cal := r.book.Calendar
	if cal == nil || s.spec.Playbook == nil || i >= len(cal.Segments) || cal.Segments[i].DatedAccounts == 0 {
		return nil, false
	}
	book := cal.Segments[i]
	n := r.n
	// A new account's hours by its age in months: it starts in month 0
	// of the profile and renews a default term later.
	profile := make([]float64, n)
	start, renewal := r.start, r.start.Add(capacity.DefaultContractTermMonths)
	newEvenOneTime, _ := capacity.AccountHours(*s.spec.Playbook,
		capacity.AccountCalendar{Start: &start, Renewal: &renewal, Term: capacity.DefaultContractTermMonths}, r.start, profile)

	hours = make([]float64, n)
	lifetime := capacity.DefaultCustomerLifetimeMonths
	if l := s.spec.CustomerLifetimeMonths; l != nil {
		lifetime = *l
	}
	survival := make([]float64, n) // the share of accounts left t months on
	for t := range n {
		survival[t] = 1
		if t > 0 {
			survival[t] = survival[t-1] * (1 - s.churn)
		}
	}
	for t := range n {
		raw, evenOneTime := survival[t]*book.RawHours[t], survival[t]*book.EvenOneTimeHours[t]
		for c := 1; c <= t; c++ {
			w := s.newAccounts * survival[t-c]
			raw += w * profile[t-c]
			evenOneTime += w * newEvenOneTime
		}
		// The flat model's smoothing of one-time hours: the month's new
		// accounts' share of the book (capacity.SizeSegment's rule).
		share := 1 / lifetime
		if s.acc[t] > 0 {
			share = s.newAccounts / s.acc[t]
		}
		hours[t] = raw + evenOneTime*share
	}
	return hours, true
}

// calendarCapacity turns a month's hours into the capacity the bridge
// sizes on: accounts(t) x available / hours(t), so that accounts over
// capacity is hours over available. A month without hours keeps the flat
// capacity (it needs no CSM for the calendar either way but its accounts).
func (r *run) calendarCapacity(s *seg, hours []float64) {
	for t, h := range hours {
		if h > 0 && s.acc[t] > 0 {
			c := s.acc[t] * r.available / h
			if r.r.Policy == capacity.SizingPolicyMostConstrained {
				c = min(c, s.sizing.Benchmark)
			}
			s.sizing.Capacity[t] = c
		}
	}
}
