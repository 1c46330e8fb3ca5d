package capacity

// The book analyzer as it was written first, straightforwardly, kept as
// the reference that TestBookAnalyzerMatchesReference holds the analyzer
// to: every figure of every analysis the same, to the last bit.

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type refBook struct {
	s              BookSettings
	seg            *Segmenter
	available      float64
	csms           []*refRow
	byID           map[string]int
	segRaw         [][]float64
	segEvenOneTime [][]float64
	segShare       []float64
	segCount       []int64
	segDated       []int64
	renewals       []RenewalMonth
	unowned        []float64
	unownedN       int64
	noDates        int64
	excluded       int64
	scratch        []float64
	assumed        []Assumption
}

type refRow struct {
	csm      BookCSM
	known    bool
	accounts int64
	arr      float64
	hours    []float64
	top      [][peakAccounts]AccountHoursInMonth
}

// newRefBook checks the settings with NewBookAnalyzer and takes the
// window, the available hours and the assumptions it resolved.
func newRefBook(s BookSettings, now Month) (*refBook, error) {
	an, err := NewBookAnalyzer(s, now)
	if err != nil {
		return nil, err
	}
	s = an.s
	b := &refBook{s: s, seg: an.seg, available: an.available, byID: map[string]int{}, assumed: an.assumed}
	n := s.Horizon
	for _, c := range s.CSMs {
		b.byID[strings.TrimSpace(c.ID)] = len(b.csms)
		b.csms = append(b.csms, &refRow{csm: c, known: true, hours: make([]float64, n), top: make([][peakAccounts]AccountHoursInMonth, n)})
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

func refFrom(acc AccountCalendar, first Month) int {
	if acc.Start != nil {
		return int(*acc.Start - first)
	}
	return 0
}

func refAddTo(dst, src []float64) {
	for i, x := range src {
		dst[i] += x
	}
}

// Add reads one account, which ValidateAccount has passed. An account
// whose stage is not a customer's (settings' Customers) is left out.
func (b *refBook) Add(a *Account) {
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
		refEvenHours(cal, b.s.Start, *a.MonthlyHours, hours)
		if segment >= 0 {
			refAddTo(b.segRaw[segment], hours)
		}
	case segment >= 0 && b.s.Segments[segment].Playbook != nil:
		evenOneTime, missing := refAccountHours(*b.s.Segments[segment].Playbook, cal, b.s.Start, hours)
		if missing || cal.Start == nil && cal.Renewal == nil {
			b.noDates++
		}
		refAddTo(b.segRaw[segment], hours)
		if evenOneTime != 0 {
			refEvenHours(cal, b.s.Start, evenOneTime, b.segEvenOneTime[segment])
			refEvenHours(cal, b.s.Start, evenOneTime*b.segShare[segment], hours)
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
		refAddTo(b.unowned, hours)
		return
	}
	i, ok := b.byID[owner]
	if !ok {
		i = len(b.csms)
		b.byID[owner] = i
		b.csms = append(b.csms, &refRow{csm: BookCSM{ID: owner}, hours: make([]float64, b.s.Horizon), top: make([][peakAccounts]AccountHoursInMonth, b.s.Horizon)})
	}
	r := b.csms[i]
	r.accounts++
	r.arr += a.ARR
	refAddTo(r.hours, hours)
	r.rank(a.ID, hours)
}

// rank keeps, for each month, the accounts with the most hours: ties go
// to the smaller id, so that the order accounts come in changes nothing.
func (r *refRow) rank(id string, hours []float64) {
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
func (b *refBook) renewalsOf(a *Account, cal AccountCalendar) {
	if cal.Renewal == nil {
		return
	}
	refForRenewals(cal, int(cal.Term), b.s.Start, b.s.Horizon, 0, func(i int) {
		b.renewals[i].Accounts++
		b.renewals[i].ARR += a.ARR
	})
}

// EvenHours adds h to every month of hours (from first) the account counts
// in: an account's own monthly_hours, or an evenly spread touchpoint.
func refEvenHours(acc AccountCalendar, first Month, h float64, hours []float64) {
	for i := max(refFrom(acc, first), 0); i < len(hours); i++ {
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
func refAccountHours(pb Playbook, acc AccountCalendar, first Month, hours []float64) (evenOneTime float64, missingDate bool) {
	term := int(acc.Term)
	if term <= 0 {
		term = DefaultContractTermMonths
	}
	from := refFrom(acc, first)
	active := func(i int) bool { return i >= from && i >= 0 && i < len(hours) }
	var even float64 // hours every active month
	for _, t := range pb.Touchpoints {
		switch {
		case t.Anchor == AnchorStart && acc.Start != nil:
			if h, ok := refStartTouchpoint(t, from, active, hours); !ok {
				even += h
			}
		case t.Anchor == AnchorRenewal && acc.Renewal != nil:
			refRenewalTouchpoint(t, acc, term, first, active, hours)
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
		refEvenHours(acc, first, even, hours)
	}
	return evenOneTime, missingDate
}

// startTouchpoint places a START touchpoint of an account that started in
// window month from (negative: before the window). A cadence the calendar
// does not place (weekly, biweekly, an explicit per_year) is returned as
// hours a month to spread evenly, with ok false.
func refStartTouchpoint(t Touchpoint, from int, active func(int) bool, hours []float64) (evenHours float64, ok bool) {
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
func refRenewalTouchpoint(t Touchpoint, acc AccountCalendar, term int, first Month, active func(int) bool, hours []float64) {
	before := 0
	if t.MonthsBefore != nil {
		before = int(*t.MonthsBefore)
	}
	refForRenewals(acc, term, first, len(hours), before, func(i int) {
		if active(i) {
			hours[i] += t.Hours
		}
	})
}

// forRenewals calls f with the window index (of n months from first) of
// lead months before each renewal R0 + k x term, for every k whose renewal
// is strictly after the start month and whose index is in the window.
func refForRenewals(acc AccountCalendar, term int, first Month, n, lead int, f func(i int)) {
	r0 := int(*acc.Renewal - first) // the renewal's month in the window
	for r := r0 + refFloorDiv(lead-r0, term)*term; r-lead < n; r += term {
		if acc.Start != nil && r <= int(*acc.Start-first) {
			continue
		}
		if i := r - lead; i >= 0 {
			f(i)
		}
	}
}

func refFloorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Result is the analysis of what was added; peaks tie to the earliest month.
func (b *refBook) Result() BookAnalysis {
	n := b.s.Horizon
	out := BookAnalysis{AvailableHoursPerCSMMonth: b.available, Renewals: append([]RenewalMonth(nil), b.renewals...),
		UnownedAccounts: b.unownedN, UnownedHours: append([]float64(nil), b.unowned...), AccountsWithoutDates: b.noDates, ExcludedAccounts: b.excluded,
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
			if OverCapacity(h, capacity) {
				res.MonthsOverCapacity++
			}
		}
		for _, d := range r.top[res.PeakMonth-b.s.Start] {
			if d.AccountID != "" {
				res.PeakAccounts = append(res.PeakAccounts, d)
			}
		}
		if !r.known {
			out.UnknownOwners = append(out.UnknownOwners, r.csm.ID)
		}
		out.CSMs = append(out.CSMs, res)
	}
	for i, s := range b.s.Segments {
		res := BookSegmentResult{Name: s.Name, Accounts: b.segCount[i], DatedAccounts: b.segDated[i], Hours: make([]float64, n), CSMFTE: make([]float64, n), PeakMonth: b.s.Start,
			RawHours: append([]float64(nil), b.segRaw[i]...), EvenOneTimeHours: append([]float64(nil), b.segEvenOneTime[i]...)}
		for m := range res.Hours {
			h := b.segRaw[i][m] + b.segEvenOneTime[i][m]*b.segShare[i]
			res.Hours[m] = h
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

// randomBookSettings are settings of one to three segments with random
// playbooks (touchpoints of every anchor and cadence in any order, hours
// that are not round in binary), a segment without a playbook now and
// then, a team with odd ids and capacities, and any window.
func randomBookSettings(r *rand.Rand) BookSettings {
	hours := func() float64 { return float64(r.IntN(40)) / 10 * float64(1+r.IntN(3)) / 3 }
	var s BookSettings
	for i := range 1 + r.IntN(3) {
		rule := SegmentRule{Name: fmt.Sprintf("seg-%d", i)}
		if i < 2 {
			rule.MinARR = capFloat(float64([]int{50_000, 5_000}[i]))
		}
		if r.IntN(3) == 0 {
			rule.CustomerLifetimeMonths = capFloat(float64(6 + r.IntN(60)))
		}
		if r.IntN(8) == 0 {
			rule.AccountsPerCSM = capFloat(50)
			s.Segments = append(s.Segments, rule)
			continue
		}
		pb := &Playbook{}
		for k := range 1 + r.IntN(7) {
			t := Touchpoint{Name: fmt.Sprintf("t%d", k), Hours: hours(), Anchor: TouchpointAnchor(r.IntN(4))}
			switch t.Anchor {
			case AnchorRenewal:
				if r.IntN(2) == 0 {
					t.MonthsBefore = i32p(int32(r.IntN(12)))
				}
				if r.IntN(4) == 0 {
					t.Cadence = CadenceQuarterly
				}
			default:
				if r.IntN(6) == 0 {
					t.PerYear = capFloat(float64(1 + r.IntN(12)))
				} else {
					t.Cadence = Cadence(1 + r.IntN(7))
				}
				if t.Anchor == AnchorStart && t.Cadence == CadenceOneTime && r.IntN(2) == 0 {
					t.SpreadMonths = i32p(int32(1 + r.IntN(MaxSpreadMonths)))
				}
			}
			pb.Touchpoints = append(pb.Touchpoints, t)
		}
		for k := range r.IntN(3) {
			pb.Inbound = append(pb.Inbound, InboundActivity{Name: fmt.Sprintf("in%d", k), PerAccountPerMonth: hours(), Hours: hours()})
		}
		rule.Playbook = pb
		s.Segments = append(s.Segments, rule)
	}
	for c := range 1 + r.IntN(6) {
		csm := BookCSM{ID: fmt.Sprintf("csm-%d", c)}
		switch r.IntN(5) {
		case 0:
			csm.ID = " " + csm.ID + " "
		case 1:
			csm.CapacityShare = capFloat(0.5)
		case 2:
			csm.CapacityHours = capFloat(float64(r.IntN(100)))
		}
		s.CSMs = append(s.CSMs, csm)
	}
	if r.IntN(4) > 0 {
		s.StartMonth = fmt.Sprintf("%d-%02d", 2025+r.IntN(4), 1+r.IntN(12))
	}
	if r.IntN(4) > 0 {
		s.HorizonMonths = int32(1 + r.IntN(MaxBookHorizonMonths))
	}
	if r.IntN(4) == 0 {
		s.Customers = Customers{Exclude: []string{"Prospect"}}
	}
	return s
}

// randomBookAccount is an account with any mix of dates (months or days,
// years before the window to years after it, or none), term, own hours
// and owner, some of it invalid.
func randomBookAccount(r *rand.Rand) Account {
	date := func() string {
		switch y, m := 2018+r.IntN(14), 1+r.IntN(12); r.IntN(6) {
		case 0:
			return ""
		case 1:
			return fmt.Sprintf("%d-%02d", y, m)
		default:
			return fmt.Sprintf("%d-%02d-%02d", y, m, 1+r.IntN(31))
		}
	}
	a := Account{ID: fmt.Sprintf("acc-%03d", r.IntN(400)), ARR: float64(r.IntN(100_000)) + 0.1*float64(r.IntN(10)),
		Stage: []string{"Customer", "Prospect", "Renewal"}[r.IntN(3)], StartDate: date(), RenewalDate: date(),
		Owner: []string{"csm-0", "csm-1", " csm-2", "csm-3 ", "csm-4", "stranger", "other", ""}[r.IntN(8)]}
	if r.IntN(3) == 0 {
		a.ContractTermMonths = i32p(int32(1 + r.IntN(MaxContractTermMonths)))
	}
	if r.IntN(10) == 0 {
		a.MonthlyHours = capFloat(float64(r.IntN(200)) / 7)
	}
	return a
}

// TestBookAnalyzerMatchesReference: on random settings and books, the
// analyzer's every figure is the reference analyzer's, bit for bit.
func TestBookAnalyzerMatchesReference(t *testing.T) {
	checked := 0
	for seed := range 400 {
		r := rand.New(rand.NewPCG(uint64(seed), 99))
		s := randomBookSettings(r)
		now := Month(2026*12 + r.IntN(24))
		got, err := NewBookAnalyzer(s, now)
		if err != nil {
			continue
		}
		ref, err := newRefBook(s, now)
		if err != nil {
			t.Fatal(err)
		}
		for i := range r.IntN(600) {
			a := randomBookAccount(r)
			if ValidateAccount(&a, "accounts", i) != nil {
				continue
			}
			ref.Add(&a)
			got.Add(&a)
		}
		if diff := cmp.Diff(ref.Result(), got.Result()); diff != "" {
			t.Fatalf("seed %d: the analysis differs from the reference (-reference +analyzer):\n%s", seed, diff)
		}
		checked++
	}
	if checked < 300 {
		t.Fatalf("only %d of 400 random settings were valid", checked)
	}
}

// TestBookAnalyzerMatchesReferenceOnBenchBook: the benchmarks' book of
// 2,000 CSMs over 24 months, bit for bit.
func TestBookAnalyzerMatchesReferenceOnBenchBook(t *testing.T) {
	got, err := NewBookAnalyzer(benchBookSettings(), 0)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := newRefBook(benchBookSettings(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range benchDatedBook(50_000) {
		if err := ValidateAccount(&a, "accounts", i); err != nil {
			t.Fatal(err)
		}
		ref.Add(&a)
		got.Add(&a)
	}
	if diff := cmp.Diff(ref.Result(), got.Result()); diff != "" {
		t.Fatalf("the analysis differs from the reference (-reference +analyzer):\n%s", diff)
	}
}
