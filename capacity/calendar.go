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

// dates is acc in window indexes from first.
func (acc AccountCalendar) dates(first Month) calendarDates {
	d := calendarDates{term: int(acc.Term)}
	if d.term <= 0 {
		d.term = DefaultContractTermMonths
	}
	if acc.Start != nil {
		d.from, d.hasStart = int(*acc.Start-first), true
	}
	if acc.Renewal != nil {
		d.renewal, d.hasRenewal = int(*acc.Renewal-first), true
	}
	return d
}

// calendarDates is what the calendar knows of one account as indexes of
// the window's months: from is its start month's (0 without a start),
// renewal its renewal month's, term its contract term (above 0).
type calendarDates struct {
	from, renewal, term  int
	hasStart, hasRenewal bool
}

// EvenHours adds h to every month of hours (from first) the account counts
// in: an account's own monthly_hours, or an evenly spread touchpoint.
func EvenHours(acc AccountCalendar, first Month, h float64, hours []float64) {
	addFrom(hours, max(acc.from(first), 0), h)
}

// addFrom adds h to hours[i] for every i from lo.
func addFrom(hours []float64, lo int, h float64) {
	for i := lo; i < len(hours); i++ {
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
	d := acc.dates(first)
	even, evenOneTime, missingDate := newPlaybookCalendar(pb, len(hours)).place(d, hours, false)
	if even != 0 {
		addFrom(hours, max(d.from, 0), even)
	}
	return evenOneTime, missingDate
}

// playbookCalendar is a playbook as the calendar places it, worked out
// once for a window of n months so that an account costs a copy and a
// few additions rather than a pass over the months per touchpoint. Every
// figure is summed in the order AccountHours's model sums it, touchpoint
// by touchpoint, so that the hours are the same to the last bit.
type playbookCalendar struct {
	touch   []calendarTouch
	inbound []float64 // per_account_per_month x hours of each inbound activity
	// startHours[k] is the hours of the placed START touchpoints k months
	// after an account's start month, added up in touchpoint order; from
	// startLead on it repeats every 12 months (every placed cadence
	// divides a year, and no one-time spread reaches that far).
	startHours []float64
	startLead  int
	// startFirst: every placed START touchpoint comes before every
	// RENEWAL one, so that a month's START hours are summed before its
	// RENEWAL hours, as startHours has them.
	startFirst bool
	// renewal are the RENEWAL touchpoints, in order.
	renewal []calendarTouch
	// dated are the hours every active month and the one-time hours of
	// an account with both dates (its sums do not depend on the term).
	dated struct{ even, evenOneTime float64 }
}

// calendarTouch is one touchpoint as the calendar reads it.
type calendarTouch struct {
	anchor  TouchpointAnchor
	oneTime bool
	// placed: a START touchpoint that falls in months of its own (a
	// one-time one, or a monthly to annual cadence); the others are
	// spread evenly even with a start date.
	placed bool
	hours  float64
	// even is its hours a month spread evenly (recurring ones).
	even float64
	// share is a one-time START touchpoint's hours in each of its spread
	// months; interval the months between recurring START ones; lead the
	// months before each renewal of a RENEWAL one.
	share                  float64
	spread, interval, lead int
}

// yearMonths is the period of every cadence the calendar places.
const yearMonths = 12

func newPlaybookCalendar(pb Playbook, n int) *playbookCalendar {
	p := &playbookCalendar{startLead: yearMonths, startFirst: true}
	renewalSeen := false
	for _, t := range pb.Touchpoints {
		c := calendarTouch{anchor: t.Anchor, oneTime: t.oneTime(), hours: t.Hours}
		if !c.oneTime {
			c.even = t.Hours * perYear(t) / 12
		}
		switch t.Anchor {
		case AnchorStart:
			if c.oneTime {
				c.spread = 1
				if t.SpreadMonths != nil {
					c.spread = int(*t.SpreadMonths)
				}
				c.share = t.Hours / float64(c.spread)
				c.placed = true
				p.startLead = max(p.startLead, c.spread)
			} else if t.PerYear == nil {
				switch t.Cadence {
				case CadenceMonthly:
					c.interval = 1
				case CadenceQuarterly:
					c.interval = 3
				case CadenceSemiannual:
					c.interval = 6
				case CadenceAnnual:
					c.interval = 12
				}
				c.placed = c.interval != 0
			}
			if c.placed && renewalSeen {
				p.startFirst = false
			}
		case AnchorRenewal:
			renewalSeen = true
			if t.MonthsBefore != nil {
				c.lead = int(*t.MonthsBefore)
			}
			p.renewal = append(p.renewal, c)
		}
		p.touch = append(p.touch, c)
	}
	for _, in := range pb.Inbound {
		p.inbound = append(p.inbound, in.PerAccountPerMonth*in.Hours)
	}
	// A month k from the start gets a one-time touchpoint's share for k
	// below its spread, a recurring one's hours for k a multiple of its
	// interval from one interval on.
	p.startHours = make([]float64, p.startLead+yearMonths+n)
	for _, c := range p.touch {
		if c.anchor != AnchorStart || !c.placed {
			continue
		}
		if c.oneTime {
			for k := range min(c.spread, len(p.startHours)) {
				p.startHours[k] += c.share
			}
			continue
		}
		for k := c.interval; k < len(p.startHours); k += c.interval {
			p.startHours[k] += c.hours
		}
	}
	p.dated.even, p.dated.evenOneTime, _ = p.evenHours(calendarDates{hasStart: true, hasRenewal: true, term: DefaultContractTermMonths})
	return p
}

// evenHours sums, in touchpoint order, the hours a month of the
// touchpoints an account with dates d has spread evenly, and its one-time
// hours spread evenly; missingDate as AccountHours says.
func (p *playbookCalendar) evenHours(d calendarDates) (even, evenOneTime float64, missingDate bool) {
	for _, c := range p.touch {
		switch {
		case c.anchor == AnchorStart && d.hasStart:
			if !c.placed {
				even += c.even
			}
		case c.anchor == AnchorRenewal && d.hasRenewal:
		default:
			if c.anchor == AnchorStart || c.anchor == AnchorRenewal {
				missingDate = true
			}
			switch {
			case c.anchor == AnchorRenewal:
				even += c.hours * 12 / float64(d.term) / 12
			case c.oneTime:
				evenOneTime += c.hours
			default:
				even += c.even
			}
		}
	}
	for _, h := range p.inbound {
		even += h
	}
	return even, evenOneTime, missingDate
}

// place adds to hours (the n months p was made for) the hours of an
// account with dates d that fall in months of their own, and returns
// those spread evenly: even, a month from the start on (added after the
// others, as AccountHours adds them), and the one-time hours. When hours
// are all zero (zeroed), the START hours are copied in at once where the
// sums come out the same.
func (p *playbookCalendar) place(d calendarDates, hours []float64, zeroed bool) (even, evenOneTime float64, missingDate bool) {
	if d.hasStart && d.hasRenewal {
		even, evenOneTime = p.dated.even, p.dated.evenOneTime
	} else {
		even, evenOneTime, missingDate = p.evenHours(d)
	}
	n := len(hours)
	together := zeroed && d.hasStart && (p.startFirst || !d.hasRenewal)
	if together && d.from < n {
		// Months before the start get nothing; the rest, the START hours
		// of their month since the start, as one copy.
		lo, k := max(d.from, 0), max(-d.from, 0)
		if k >= p.startLead {
			k = p.startLead + (k-p.startLead)%yearMonths
		}
		copy(hours[lo:], p.startHours[k:k+n-lo])
	}
	switch {
	case together && d.hasRenewal:
		for k := range p.renewal {
			placeRenewal(&p.renewal[k], d, hours)
		}
	case !together:
		for k := range p.touch {
			switch c := &p.touch[k]; {
			case c.anchor == AnchorStart && d.hasStart && c.placed:
				placeStart(c, d, hours)
			case c.anchor == AnchorRenewal && d.hasRenewal:
				placeRenewal(c, d, hours)
			}
		}
	}
	return even, evenOneTime, missingDate
}

// placeRenewal adds a RENEWAL touchpoint to hours: lead months before
// each renewal strictly after the start month, in the window and from the
// start on.
func placeRenewal(c *calendarTouch, d calendarDates, hours []float64) {
	for r := firstRenewal(d, c.lead); r-c.lead < len(hours); r += d.term {
		if i := r - c.lead; (r > d.from || !d.hasStart) && i >= 0 && i >= d.from {
			hours[i] += c.hours
		}
	}
}

// placeStart adds one placed START touchpoint to hours, on its own.
func placeStart(c *calendarTouch, d calendarDates, hours []float64) {
	if c.oneTime {
		for k := range c.spread {
			if i := d.from + k; i >= 0 && i < len(hours) {
				hours[i] += c.share
			}
		}
		return
	}
	for i := d.from + c.interval; i < len(hours); i += c.interval {
		if i >= 0 {
			hours[i] += c.hours
		}
	}
}

// firstRenewal is the window index of the renewal R0 + k x term, the
// latest at most lead: the first whose month lead before may be in the
// window. Each later one is a term on.
func firstRenewal(d calendarDates, lead int) int {
	// A renewal date mostly lies within a few terms of the window: step
	// there rather than divide.
	r, term := d.renewal, d.term
	switch {
	case r > lead && r-lead <= 4*term:
		for r > lead {
			r -= term
		}
		return r
	case r <= lead && lead-r < 4*term:
		for r+term <= lead {
			r += term
		}
		return r
	}
	return r + floorDiv(lead-r, term)*term
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
