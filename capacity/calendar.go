package capacity

// The calendar model (design/book.md): with an account's start and renewal
// dates, a touchpoint falls in the months its anchor says rather than
// evenly, so that onboarding and renewal waves show month by month.

// DefaultContractTermMonths is an account's term when it gives none.
const DefaultContractTermMonths = 12

// MaxSpreadMonths bounds how long a one-time START touchpoint is spread.
const MaxSpreadMonths = 24

// validateAnchor checks t's anchor and the fields that go with it.
func validateAnchor(v *violations, t Touchpoint, at func(field string) string) {
	if !t.Anchor.Valid() {
		v.add(at("anchor"), "%d is not an anchor: use TOUCHPOINT_ANCHOR_EVEN, TOUCHPOINT_ANCHOR_START or TOUCHPOINT_ANCHOR_RENEWAL", int32(t.Anchor))
		return
	}
	if s := t.SpreadMonths; s != nil {
		switch {
		case t.Anchor != AnchorStart || t.Cadence != CadenceOneTime:
			v.add(at("spread_months"), "spreads a one-time START touchpoint (an onboarding over its first months): this one is not, so it would be ignored")
		case *s < 1 || *s > MaxSpreadMonths:
			v.add(at("spread_months"), "must be 1 to %d months, got %d", MaxSpreadMonths, *s)
		}
	}
	if b := t.MonthsBefore; b != nil {
		switch {
		case t.Anchor != AnchorRenewal:
			v.add(at("months_before"), "places a RENEWAL touchpoint before the renewal month: this one is not, so it would be ignored")
		case *b < 0 || *b > 11:
			v.add(at("months_before"), "must be 0 to 11 months before the renewal, got %d", *b)
		}
	}
}

// AccountCalendar is what the calendar knows of one account.
type AccountCalendar struct {
	// Start and Renewal are the months of its dates; nil when it has none.
	Start, Renewal *Month
	// Term is its contract term in months (0: DefaultContractTermMonths).
	Term int32
}

// from is the window index of the first month the account counts in: its
// start month, or the window's first month without one.
func (acc AccountCalendar) from(first Month) int {
	if acc.Start != nil {
		return int(*acc.Start - first)
	}
	return 0
}

// EvenHours adds h to every month of hours (from first) the account counts
// in: an account's own monthly_hours, or an evenly spread touchpoint.
func EvenHours(acc AccountCalendar, first Month, h float64, hours []float64) {
	for i := max(acc.from(first), 0); i < len(hours); i++ {
		hours[i] += h
	}
}

// AccountHours adds to hours[i] the hours one account needs in month
// first+i under playbook pb, by the calendar model, but for the one-time
// touchpoints spread evenly (EVEN ones, and START ones of an account
// without a start date): their hours are returned as evenOneTime, which
// the flat model's smoothing (a share of a one-time hour each month,
// HoursPerAccount's rule) turns into monthly hours. An account counts
// from its start month (from the first month without one). missingDate
// reports whether a touchpoint's anchor needed a date the account does
// not have, and so fell back to the flat model.
func AccountHours(pb Playbook, acc AccountCalendar, first Month, hours []float64) (evenOneTime float64, missingDate bool) {
	term := int(acc.Term)
	if term <= 0 {
		term = DefaultContractTermMonths
	}
	from := acc.from(first)
	active := func(i int) bool { return i >= from && i >= 0 && i < len(hours) }
	var even float64 // hours every active month
	for _, t := range pb.Touchpoints {
		switch {
		case t.Anchor == AnchorStart && acc.Start != nil:
			if h, ok := startTouchpoint(t, from, active, hours); !ok {
				even += h
			}
		case t.Anchor == AnchorRenewal && acc.Renewal != nil:
			renewalTouchpoint(t, acc, term, first, active, hours)
		default:
			if t.Anchor == AnchorStart || t.Anchor == AnchorRenewal {
				missingDate = true
			}
			switch {
			case t.Anchor == AnchorRenewal:
				even += t.Hours * 12 / float64(term) / 12
			case t.oneTime():
				evenOneTime += t.Hours
			default:
				even += t.Hours * perYear(t) / 12
			}
		}
	}
	for _, in := range pb.Inbound {
		even += in.PerAccountPerMonth * in.Hours
	}
	if even != 0 {
		EvenHours(acc, first, even, hours)
	}
	return evenOneTime, missingDate
}

// startTouchpoint places a START touchpoint of an account that started in
// window month from (negative: before the window). A cadence the calendar
// does not place (weekly, biweekly, an explicit per_year) is returned as
// hours a month to spread evenly, with ok false.
func startTouchpoint(t Touchpoint, from int, active func(int) bool, hours []float64) (evenHours float64, ok bool) {
	if t.oneTime() {
		spread := 1
		if t.SpreadMonths != nil {
			spread = int(*t.SpreadMonths)
		}
		for k := range spread {
			if i := from + k; i >= 0 && i < len(hours) {
				hours[i] += t.Hours / float64(spread)
			}
		}
		return 0, true
	}
	interval := 0
	if t.PerYear == nil {
		switch t.Cadence {
		case CadenceMonthly:
			interval = 1
		case CadenceQuarterly:
			interval = 3
		case CadenceSemiannual:
			interval = 6
		case CadenceAnnual:
			interval = 12
		}
	}
	if interval == 0 {
		return t.Hours * perYear(t) / 12, false // weekly, biweekly and per_year stay even
	}
	for i := from + interval; i < len(hours); i += interval {
		if active(i) {
			hours[i] += t.Hours
		}
	}
	return 0, true
}

// renewalTouchpoint places a RENEWAL touchpoint months_before each
// renewal, occurrences before the start dropped.
func renewalTouchpoint(t Touchpoint, acc AccountCalendar, term int, first Month, active func(int) bool, hours []float64) {
	before := 0
	if t.MonthsBefore != nil {
		before = int(*t.MonthsBefore)
	}
	forRenewals(acc, term, first, len(hours), before, func(i int) {
		if active(i) {
			hours[i] += t.Hours
		}
	})
}

// forRenewals calls f with the window index (of n months from first) of
// lead months before each renewal R0 + k x term, for every k whose renewal
// is strictly after the start month and whose index is in the window.
func forRenewals(acc AccountCalendar, term int, first Month, n, lead int, f func(i int)) {
	r0 := int(*acc.Renewal - first) // the renewal's month in the window
	for r := r0 + floorDiv(lead-r0, term)*term; r-lead < n; r += term {
		if acc.Start != nil && r <= int(*acc.Start-first) {
			continue
		}
		if i := r - lead; i >= 0 {
			f(i)
		}
	}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
