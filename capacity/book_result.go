package capacity

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
	// PeakAccounts take the most hours in the peak month, most first.
	PeakAccounts []AccountHoursInMonth
}

// BookSegmentResult is one segment's months.
type BookSegmentResult struct {
	Name     string
	Accounts int64
	// DatedAccounts have a start or a renewal date.
	DatedAccounts int64
	Hours, CSMFTE []float64
	// RawHours and EvenOneTimeHours are Hours before the smoothing of
	// evenly spread one-time touchpoints: Hours = RawHours +
	// EvenOneTimeHours x 1 / customer lifetime. A plan smooths them its
	// own way (over its new accounts a month).
	RawHours, EvenOneTimeHours []float64
	PeakMonth                  Month
	PeakCSMFTE, Mean           float64
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
	ExcludedAccounts          int64
	Assumptions               []Assumption
}

// Result is the analysis of what was added; peaks tie to the earliest month.
func (b *BookAnalyzer) Result() BookAnalysis {
	n := b.s.Horizon
	out := BookAnalysis{AvailableHoursPerCSMMonth: b.available, Renewals: append([]RenewalMonth(nil), b.renewals...),
		UnownedAccounts: b.unownedN, UnownedHours: append([]float64(nil), b.unowned...), AccountsWithoutDates: b.noDates, ExcludedAccounts: b.excluded,
		Assumptions: append([]Assumption(nil), b.assumed...)}
	for i := range n {
		out.Months = append(out.Months, b.s.Start.Add(i))
	}
	for ci, r := range b.csms {
		hours, t := b.hoursOf(ci), b.totals[ci]
		capacity := b.available
		if sh := r.csm.CapacityShare; sh != nil {
			capacity *= *sh
		}
		if h := r.csm.CapacityHours; h != nil {
			capacity = *h
		}
		res := BookCSMResult{CSM: r.csm, Known: r.known, Accounts: t.accounts, ARR: t.arr, CapacityHours: capacity,
			Hours: append([]float64(nil), hours...), Utilization: make([]float64, n), PeakMonth: b.s.Start}
		for i, h := range hours {
			res.Utilization[i] = ratio(h, capacity)
			if above(res.Utilization[i], res.PeakUtilization) {
				res.PeakUtilization, res.PeakMonth = res.Utilization[i], b.s.Start.Add(i)
			}
			if OverCapacity(h, capacity) {
				res.MonthsOverCapacity++
			}
		}
		res.PeakAccounts = b.peakAccountsOf(ci, int(res.PeakMonth-b.s.Start))
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
