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
	byID      map[string]int // while the settings are checked
	owners    ownerIndex     // then: rows by owner id
	// What every account of a CSM touches, CSM after CSM so that one
	// account costs a few neighbouring cache lines: per CSM, load holds
	// its hours month by month, then the hours of the last of its peak
	// accounts month by month (0 while there are fewer: see rank); totals
	// its counts; top, per month, its peak accounts.
	load   []float64
	totals []csmTotals
	top    []peakMonth
	// kept are the ids of the peak accounts, numbered from 1 (peakMonth);
	// keptLimit is the size past which the table is rebuilt (keep).
	kept      []string
	keptLimit int
	// allCustomers: every stage is a customer's (no Customers lists).
	allCustomers bool
	// maxID holds the greatest id of the accounts that came near a peak
	// (past the floor) so far: an account whose id sorts after it wins no
	// tie (a book sorted by id spares every comparison of ids).
	maxID []byte
	// Per segment and month: the hours but for evenly spread one-time
	// touchpoints (segRaw), and those touchpoints' hours of the accounts
	// active that month (segEvenOneTime), which a share a month smooths.
	segRaw         [][]float64
	segEvenOneTime [][]float64
	segShare       []float64 // the share of a one-time hour a month: 1 / lifetime
	// segPlan is each segment's playbook as the calendar places it over
	// the window (nil without a playbook).
	segPlan  []*playbookCalendar
	segCount []int64
	segDated []int64
	renewals []RenewalMonth
	unowned  []float64
	unownedN int64
	noDates  int64
	excluded int64 // accounts left out as not customers
	scratch  []float64
	assumed  []Assumption
}

// csmRow is a CSM of the analysis besides its load, totals and top.
type csmRow struct {
	csm   BookCSM
	known bool
}

// csmTotals are a CSM's accounts and ARR, and floor, the least over the
// months of the hours of the last peak account kept: an account takes no
// peak place when it has fewer hours than floor in every month.
type csmTotals struct {
	accounts   int64
	arr, floor float64
}

// addCSM adds a CSM's rows, for a window of n months.
func (b *BookAnalyzer) addCSM(c BookCSM, known bool, n int) {
	b.csms = append(b.csms, &csmRow{csm: c, known: known})
	b.load = append(b.load, make([]float64, 2*n)...)
	b.totals = append(b.totals, csmTotals{})
	b.top = append(b.top, make([]peakMonth, n)...)
}

// hoursOf and thirdOf are CSM i's hours and last peak hours by month.
func (b *BookAnalyzer) hoursOf(i int) []float64 {
	n := b.s.Horizon
	return b.load[2*n*i : 2*n*i+n : 2*n*i+n]
}

func (b *BookAnalyzer) thirdOf(i int) []float64 {
	n := b.s.Horizon
	return b.load[2*n*i+n : 2*n*(i+1) : 2*n*(i+1)]
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
	csms := b.csms
	b.csms = make([]*csmRow, 0, len(csms))
	b.load, b.totals = make([]float64, 0, 2*n*len(csms)), make([]csmTotals, 0, len(csms))
	b.top = make([]peakMonth, 0, n*len(csms))
	b.keptLimit = peakAccounts * n * len(csms)
	b.allCustomers = len(s.Customers.Stages) == 0 && len(s.Customers.Exclude) == 0
	// The ids, looked up once an account, are substrings of one string, so
	// that their bytes sit together.
	var ids strings.Builder
	for _, r := range csms {
		b.addCSM(r.csm, true, n)
		ids.WriteString(strings.TrimSpace(r.csm.ID))
	}
	b.byID, b.owners = nil, newOwnerIndex(len(csms))
	all, at := ids.String(), 0
	for _, r := range csms {
		id := all[at : at+len(strings.TrimSpace(r.csm.ID))]
		b.owners.add(id)
		at += len(id)
	}
	b.segRaw, b.segEvenOneTime = make([][]float64, len(s.Segments)), make([][]float64, len(s.Segments))
	b.segShare, b.segPlan = make([]float64, len(s.Segments)), make([]*playbookCalendar, len(s.Segments))
	for i, r := range s.Segments {
		if r.Playbook != nil {
			b.segPlan[i] = newPlaybookCalendar(*r.Playbook, n)
		}
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
	if !b.allCustomers && !b.s.Customers.customer(a.Stage) {
		b.excluded++
		return
	}
	first := b.s.Start
	d := calendarDates{term: DefaultContractTermMonths}
	if a.ContractTermMonths != nil {
		d.term = int(*a.ContractTermMonths)
	}
	c := a.datesMonths()
	if c.hasStart {
		d.from, d.hasStart = int(c.start-first), true
	}
	if c.hasRenewal {
		d.renewal, d.hasRenewal = int(c.renewal-first), true
	}
	// The owner first: its rows are the likeliest to be far in memory,
	// and are then fetched while the hours are worked out.
	owner := strings.TrimSpace(a.Owner)
	i := -1
	if owner != "" {
		if i = b.owners.find(owner); i < 0 {
			i = b.owners.add(strings.Clone(owner)) // the caller reuses the account's strings
			b.addCSM(BookCSM{ID: b.owners.ids[i]}, false, b.s.Horizon)
		}
	}
	var t *csmTotals
	var load []float64
	if owner == "" {
		b.unownedN++
		load = b.unowned
	} else {
		t, load = &b.totals[i], b.hoursOf(i)
		t.accounts++
		t.arr += a.ARR
	}
	hours := b.scratch
	clear(hours)
	segment := -1
	if b.seg != nil {
		segment = b.seg.Match(a)
	}
	// The account's hours month by month: those in months of their own,
	// then even a month from the start on; the segment keeps them (raw)
	// apart from its evenly spread one-time hours, of which the owner
	// gets a share a month.
	var even, evenOneTime, oneTimeShare float64
	switch {
	case a.MonthlyHours != nil:
		even = *a.MonthlyHours
	case segment >= 0 && b.segPlan[segment] != nil:
		var missing bool
		even, evenOneTime, missing = b.segPlan[segment].place(d, hours, true)
		if missing || !d.hasStart && !d.hasRenewal {
			b.noDates++
		}
		oneTimeShare = evenOneTime * b.segShare[segment]
	case segment >= 0:
		// A segment sized without a playbook has no hours to place.
	}
	if segment >= 0 {
		b.segCount[segment]++
		if d.hasStart || d.hasRenewal {
			b.segDated[segment]++
		}
	}
	b.renewalsOf(a, d)
	// Every month from the start on, one pass: no hours before it.
	var raw, evenSeg []float64
	if segment >= 0 {
		raw, evenSeg = b.segRaw[segment], b.segEvenOneTime[segment]
	}
	lo := min(max(d.from, 0), len(hours))
	var most float64
	for m := lo; m < len(hours); m++ {
		h := hours[m] + even
		if raw != nil {
			raw[m] += h
		}
		if evenOneTime != 0 {
			evenSeg[m] += evenOneTime
			h += oneTimeShare
		}
		hours[m] = h
		load[m] += h
		if h > most {
			most = h
		}
	}
	if t == nil || most <= 0 || most < t.floor {
		return
	}
	newest := string(b.maxID) < a.ID
	if newest {
		b.maxID = append(b.maxID[:0], a.ID...)
	}
	// An account takes a peak place in a month where it has more hours
	// than the last kept, or as many and a smaller id: with neither more
	// anywhere nor an id below every last one kept, none.
	third := b.thirdOf(i)
	more, tie := false, false
	for m := lo; m < len(hours); m++ {
		h := hours[m]
		more = more || h > third[m]
		tie = tie || h == third[m] && h > 0
	}
	if more || tie && !newest && b.mayTie(i, a.ID) {
		b.rank(i, a.ID, hours, newest)
	}
}

// renewalsOf counts the account's renewals in the window's months.
func (b *BookAnalyzer) renewalsOf(a *Account, d calendarDates) {
	if !d.hasRenewal {
		return
	}
	for r := firstRenewal(d, 0); r < b.s.Horizon; r += d.term {
		if r >= 0 && (!d.hasStart || r > d.from) {
			b.renewals[r].Accounts++
			b.renewals[r].ARR += a.ARR
		}
	}
}

func segmentNames(rules []SegmentRule) string {
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = strconv.Quote(r.Name)
	}
	return strings.Join(names, ", ")
}
