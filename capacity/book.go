package capacity

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxBookHorizonMonths bounds a book analysis: three years of months.
const MaxBookHorizonMonths = 36

// DefaultBookHorizonMonths is a book analysis's window when none is given.
const DefaultBookHorizonMonths = 12

// BookCSM is one CSM of a book analysis.
type BookCSM struct {
	ID, Name, Segment string
	// CapacityShare scales the available hours (a part-timer, a team
	// lead); nil is 1.
	CapacityShare *float64
	// CapacityHours, when given, is the CSM's capacity a month as it
	// stands, instead of the computed one.
	CapacityHours *float64
	// Attributes such as region or language, for rebalancing's matching.
	Attributes map[string]string
}

// BookSettings is what a book analysis needs besides the accounts.
type BookSettings struct {
	CSMTime  CSMTime
	Segments []SegmentRule
	CSMs     []BookCSM
	// StartMonth is the first month, "YYYY-MM" ("": the current month).
	StartMonth string
	// HorizonMonths is the number of months (0: DefaultBookHorizonMonths).
	HorizonMonths int32
	// Customers leaves prospects and trials out, as the segmenter does.
	Customers Customers
	// HorizonLimit bounds HorizonMonths (0: MaxBookHorizonMonths); a
	// plan's bridge sets its own.
	HorizonLimit int32
	// Start and Horizon are the window as resolved by NewBookAnalyzer.
	Start   Month
	Horizon int
}

// BookAnalyzer reads a book account by account into month-by-month hours
// per CSM and per segment. Its memory is bounded by CSMs x months and
// segments x months, never by accounts.
type BookAnalyzer struct {
	s         BookSettings
	seg       *Segmenter
	available float64
	csms      []*csmRow
	byID      map[string]int
	// Per segment and month: the hours but for evenly spread one-time
	// touchpoints (segRaw), and those touchpoints' hours of the accounts
	// active that month (segEvenOneTime), which a share a month smooths.
	segRaw         [][]float64
	segEvenOneTime [][]float64
	segShare       []float64 // the share of a one-time hour a month: 1 / lifetime
	segCount       []int64
	segDated       []int64
	renewals       []RenewalMonth
	unowned        []float64
	unownedN       int64
	noDates        int64
	excluded       int64 // accounts left out as not customers
	scratch        []float64
	assumed        []Assumption
}

type csmRow struct {
	csm      BookCSM
	known    bool
	accounts int64
	arr      float64
	hours    []float64
	// top holds, per month, the accounts that take the most hours.
	top [][peakAccounts]AccountHoursInMonth
}

// peakAccounts is how many accounts a CSM's peak names.
const peakAccounts = 3

// AccountHoursInMonth is one account's hours in a month.
type AccountHoursInMonth struct {
	AccountID string
	Hours     float64
}

// RenewalMonth is one month of the renewal calendar.
type RenewalMonth struct {
	Month    Month
	Accounts int64
	ARR      float64
}

// NewBookAnalyzer checks the settings, naming every bad field at once;
// now is the current month, the window's start when none is given.
func NewBookAnalyzer(s BookSettings, now Month) (*BookAnalyzer, error) {
	var v violations
	var as assumptions
	switch {
	case s.HorizonMonths == 0:
		s.Horizon = DefaultBookHorizonMonths
		as.add("horizon_months", strconv.Itoa(DefaultBookHorizonMonths), forecastSourceAssumption)
	case s.HorizonMonths < 1 || s.HorizonMonths > cmp.Or(s.HorizonLimit, MaxBookHorizonMonths):
		v.add("horizon_months", "must be 1 to %d months, got %d", cmp.Or(s.HorizonLimit, MaxBookHorizonMonths), s.HorizonMonths)
	default:
		s.Horizon = int(s.HorizonMonths)
	}
	if s.StartMonth == "" {
		s.Start = now
		as.add("start_month", now.String(), forecastSourceToday)
	} else if m, err := ParseMonth(s.StartMonth); err != nil {
		v.add("start_month", "%s", err.Error())
	} else {
		s.Start = m
	}
	s.Customers.validate(&v, "customer_stages", "exclude_stages")
	available, timeAssumed, err := AvailableHours(s.CSMTime, "csm_time")
	v.merge(err)
	as = append(as, timeAssumed...)
	as.add("accounts[].contract_term_months", strconv.Itoa(DefaultContractTermMonths), "assumption, for accounts that give no term")
	for i, r := range s.Segments {
		if r.Playbook == nil {
			continue
		}
		for j, t := range r.Playbook.Touchpoints {
			if t.Anchor == AnchorRenewal && t.Cadence != CadenceUnspecified {
				as.add(fmt.Sprintf("segments[%d].playbook.touchpoints[%d].cadence", i, j), "ignored",
					"a RENEWAL touchpoint occurs once per renewal, whatever its cadence")
			}
		}
	}
	b := &BookAnalyzer{s: s, available: available, byID: map[string]int{}, assumed: as}
	for i, c := range s.CSMs {
		p := index("csms", i)
		id := strings.TrimSpace(c.ID)
		switch {
		case id == "":
			v.add(path(p, "id"), "give the CSM's id as the accounts' owner column writes it")
		case b.has(id):
			v.add(path(p, "id"), "%q is given twice", id)
		}
		if sh := c.CapacityShare; sh != nil && (!finite(*sh) || *sh <= 0 || *sh > 1) {
			v.add(path(p, "capacity_share"), "is a share of a full CSM: give a fraction above 0 and at most 1 (0.5 for half time), got %s", formatFloat(*sh))
		}
		if h := c.CapacityHours; h != nil && (!finite(*h) || *h <= 0 || *h > MaxAccountMonthlyHours) {
			v.add(path(p, "capacity_hours"), "must be above 0 and at most %d hours a month, got %s (a CSM with no capacity is leaving: leave them out, or name them in a departure drill)", MaxAccountMonthlyHours, formatFloat(*h))
		}
		b.byID[id] = len(b.csms)
		b.csms = append(b.csms, &csmRow{csm: c, known: true})
	}
	if len(s.Segments) > 0 {
		seg, err := NewSegmenter(SegmentRules{Segments: s.Segments, CSMTime: s.CSMTime})
		v.merge(err)
		b.seg = seg
	}
	for i, c := range s.CSMs {
		if c.Segment != "" && len(s.Segments) > 0 && !slices.ContainsFunc(s.Segments, func(r SegmentRule) bool { return r.Name == c.Segment }) {
			v.add(path(index("csms", i), "segment"), "%q names no segment: use one of the segments' names (%s)", c.Segment, segmentNames(s.Segments))
		}
	}
	if !v.empty() {
		return nil, v.err()
	}
	n := s.Horizon
	for _, r := range b.csms {
		r.hours, r.top = make([]float64, n), make([][peakAccounts]AccountHoursInMonth, n)
	}
	b.segRaw, b.segEvenOneTime = make([][]float64, len(s.Segments)), make([][]float64, len(s.Segments))
	b.segShare = make([]float64, len(s.Segments))
	for i, r := range s.Segments {
		b.segRaw[i], b.segEvenOneTime[i] = make([]float64, n), make([]float64, n)
		lifetime := DefaultCustomerLifetimeMonths
		if l := r.CustomerLifetimeMonths; l != nil {
			lifetime = *l
		}
		b.segShare[i] = 1 / lifetime
	}
	b.segCount, b.segDated = make([]int64, len(s.Segments)), make([]int64, len(s.Segments))
	b.renewals = make([]RenewalMonth, n)
	for i := range b.renewals {
		b.renewals[i].Month = s.Start.Add(i)
	}
	b.unowned, b.scratch = make([]float64, n), make([]float64, n)
	return b, nil
}

func (b *BookAnalyzer) has(id string) bool { _, ok := b.byID[id]; return ok }

// Add reads one account, which ValidateAccount has passed. An account
// whose stage is not a customer's (settings' Customers) is left out.
func (b *BookAnalyzer) Add(a *Account) {
	if !b.s.Customers.customer(a.Stage) {
		b.excluded++
		return
	}
	cal := AccountCalendar{Term: DefaultContractTermMonths}
	if a.ContractTermMonths != nil {
		cal.Term = *a.ContractTermMonths
	}
	if m, err := ParseDate(a.StartDate); err == nil {
		cal.Start = &m
	}
	if m, err := ParseDate(a.RenewalDate); err == nil {
		cal.Renewal = &m
	}
	hours := b.scratch
	clear(hours)
	segment := -1
	if b.seg != nil {
		segment = b.seg.Match(a)
	}
	switch {
	case a.MonthlyHours != nil:
		EvenHours(cal, b.s.Start, *a.MonthlyHours, hours)
		if segment >= 0 {
			addTo(b.segRaw[segment], hours)
		}
	case segment >= 0 && b.s.Segments[segment].Playbook != nil:
		evenOneTime, missing := AccountHours(*b.s.Segments[segment].Playbook, cal, b.s.Start, hours)
		if missing || cal.Start == nil && cal.Renewal == nil {
			b.noDates++
		}
		addTo(b.segRaw[segment], hours)
		if evenOneTime != 0 {
			EvenHours(cal, b.s.Start, evenOneTime, b.segEvenOneTime[segment])
			EvenHours(cal, b.s.Start, evenOneTime*b.segShare[segment], hours)
		}
	case segment >= 0:
		// A segment sized without a playbook has no hours to place.
	}
	if segment >= 0 {
		b.segCount[segment]++
		if cal.Start != nil || cal.Renewal != nil {
			b.segDated[segment]++
		}
	}
	b.renewalsOf(a, cal)
	owner := strings.TrimSpace(a.Owner)
	if owner == "" {
		b.unownedN++
		addTo(b.unowned, hours)
		return
	}
	i, ok := b.byID[owner]
	if !ok {
		i = len(b.csms)
		b.byID[owner] = i
		b.csms = append(b.csms, &csmRow{csm: BookCSM{ID: owner}, hours: make([]float64, b.s.Horizon), top: make([][peakAccounts]AccountHoursInMonth, b.s.Horizon)})
	}
	r := b.csms[i]
	r.accounts++
	r.arr += a.ARR
	addTo(r.hours, hours)
	r.rank(a.ID, hours)
}

// rank keeps, for each month, the accounts with the most hours: ties go
// to the smaller id, so that the order accounts come in changes nothing.
func (r *csmRow) rank(id string, hours []float64) {
	kept := ""
	for m, h := range hours {
		top := &r.top[m]
		last := &top[peakAccounts-1]
		if h <= 0 || !(h > last.Hours || h == last.Hours && last.AccountID != "" && id < last.AccountID) {
			continue
		}
		if kept == "" {
			kept = strings.Clone(id) // the caller reuses the account's strings
		}
		k := peakAccounts - 1
		for k > 0 && (h > top[k-1].Hours || h == top[k-1].Hours && kept < top[k-1].AccountID) {
			top[k] = top[k-1]
			k--
		}
		top[k] = AccountHoursInMonth{AccountID: kept, Hours: h}
	}
}

// renewalsOf counts the account's renewals in the window's months.
func (b *BookAnalyzer) renewalsOf(a *Account, cal AccountCalendar) {
	if cal.Renewal == nil {
		return
	}
	forRenewals(cal, int(cal.Term), b.s.Start, b.s.Horizon, 0, func(i int) {
		b.renewals[i].Accounts++
		b.renewals[i].ARR += a.ARR
	})
}

func addTo(dst, src []float64) {
	for i, x := range src {
		dst[i] += x
	}
}

func segmentNames(rules []SegmentRule) string {
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = strconv.Quote(r.Name)
	}
	return strings.Join(names, ", ")
}
