package capacity

import (
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
	segHours  [][]float64
	segCount  []int64
	renewals  []RenewalMonth
	unowned   []float64
	unownedN  int64
	noDates   int64
	scratch   []float64
	assumed   []Assumption
}

type csmRow struct {
	csm      BookCSM
	known    bool
	accounts int64
	arr      float64
	hours    []float64
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
	case s.HorizonMonths < 1 || s.HorizonMonths > MaxBookHorizonMonths:
		v.add("horizon_months", "must be 1 to %d months, got %d", MaxBookHorizonMonths, s.HorizonMonths)
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
		if h := c.CapacityHours; h != nil && (!finite(*h) || *h < 0 || *h > MaxAccountMonthlyHours) {
			v.add(path(p, "capacity_hours"), "must be 0 to %d hours a month, got %s", MaxAccountMonthlyHours, formatFloat(*h))
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
	for i := range b.csms {
		b.csms[i].hours = make([]float64, n)
	}
	b.segHours = make([][]float64, len(s.Segments))
	for i := range b.segHours {
		b.segHours[i] = make([]float64, n)
	}
	b.segCount = make([]int64, len(s.Segments))
	b.renewals = make([]RenewalMonth, n)
	for i := range b.renewals {
		b.renewals[i].Month = s.Start.Add(i)
	}
	b.unowned, b.scratch = make([]float64, n), make([]float64, n)
	return b, nil
}

func (b *BookAnalyzer) has(id string) bool { _, ok := b.byID[id]; return ok }

// Add reads one account, which ValidateAccount has passed.
func (b *BookAnalyzer) Add(a *Account) {
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
	case segment >= 0 && b.s.Segments[segment].Playbook != nil:
		pb := *b.s.Segments[segment].Playbook
		lifetime := DefaultCustomerLifetimeMonths
		if l := b.s.Segments[segment].CustomerLifetimeMonths; l != nil {
			lifetime = *l
		}
		if AccountHours(pb, cal, 1/lifetime, b.s.Start, hours) || cal.Start == nil && cal.Renewal == nil {
			b.noDates++
		}
	}
	if segment >= 0 {
		b.segCount[segment]++
		addTo(b.segHours[segment], hours)
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
		b.csms = append(b.csms, &csmRow{csm: BookCSM{ID: owner}, hours: make([]float64, b.s.Horizon)})
	}
	r := b.csms[i]
	r.accounts++
	r.arr += a.ARR
	addTo(r.hours, hours)
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

// BookCSMResult is one CSM's months.
type BookCSMResult struct {
	CSM                BookCSM
	Known              bool // in the settings, not only an owner of the book
	Accounts           int64
	ARR                float64
	CapacityHours      float64
	Hours, Utilization []float64
	PeakMonth          Month
	PeakUtilization    float64
	MonthsOverCapacity int
}

// BookSegmentResult is one segment's months.
type BookSegmentResult struct {
	Name             string
	Accounts         int64
	Hours, CSMFTE    []float64
	PeakMonth        Month
	PeakCSMFTE, Mean float64
}

// BookAnalysis is the book month by month.
type BookAnalysis struct {
	Months                    []Month
	AvailableHoursPerCSMMonth float64
	CSMs                      []BookCSMResult
	Segments                  []BookSegmentResult
	Renewals                  []RenewalMonth
	UnownedAccounts           int64
	UnownedHours              []float64
	UnknownOwners             []string
	AccountsWithoutDates      int64
	Assumptions               []Assumption
}

// Result is the analysis of what was added; peaks tie to the earliest month.
func (b *BookAnalyzer) Result() BookAnalysis {
	n := b.s.Horizon
	out := BookAnalysis{AvailableHoursPerCSMMonth: b.available, Renewals: append([]RenewalMonth(nil), b.renewals...),
		UnownedAccounts: b.unownedN, UnownedHours: append([]float64(nil), b.unowned...), AccountsWithoutDates: b.noDates,
		Assumptions: append([]Assumption(nil), b.assumed...)}
	for i := range n {
		out.Months = append(out.Months, b.s.Start.Add(i))
	}
	for _, r := range b.csms {
		capacity := b.available
		if sh := r.csm.CapacityShare; sh != nil {
			capacity *= *sh
		}
		if h := r.csm.CapacityHours; h != nil {
			capacity = *h
		}
		res := BookCSMResult{CSM: r.csm, Known: r.known, Accounts: r.accounts, ARR: r.arr, CapacityHours: capacity,
			Hours: append([]float64(nil), r.hours...), Utilization: make([]float64, n), PeakMonth: b.s.Start}
		for i, h := range r.hours {
			res.Utilization[i] = ratio(h, capacity)
			if above(res.Utilization[i], res.PeakUtilization) {
				res.PeakUtilization, res.PeakMonth = res.Utilization[i], b.s.Start.Add(i)
			}
			if above(h, capacity) {
				res.MonthsOverCapacity++
			}
		}
		if !r.known {
			out.UnknownOwners = append(out.UnknownOwners, r.csm.ID)
		}
		out.CSMs = append(out.CSMs, res)
	}
	for i, s := range b.s.Segments {
		res := BookSegmentResult{Name: s.Name, Accounts: b.segCount[i], Hours: append([]float64(nil), b.segHours[i]...), CSMFTE: make([]float64, n), PeakMonth: b.s.Start}
		for m, h := range b.segHours[i] {
			res.CSMFTE[m] = ratio(h, b.available)
			res.Mean += res.CSMFTE[m] / float64(n)
			if above(res.CSMFTE[m], res.PeakCSMFTE) {
				res.PeakCSMFTE, res.PeakMonth = res.CSMFTE[m], b.s.Start.Add(m)
			}
		}
		out.Segments = append(out.Segments, res)
	}
	return out
}

func segmentNames(rules []SegmentRule) string {
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = strconv.Quote(r.Name)
	}
	return strings.Join(names, ", ")
}
