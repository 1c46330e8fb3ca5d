package capacity

import "strings"

// HoursOf writes into hours (one per month of the window) what account a
// takes each month, as Add counts it, and returns the index of its
// segment (-1 for none; ExcludedIndex when its stage is not a
// customer's, with no hours). Rebalancing places accounts by these hours.
func (b *BookAnalyzer) HoursOf(a *Account, hours []float64) int {
	hours = hours[:b.s.Horizon]
	clear(hours)
	if !b.s.Customers.customer(a.Stage) {
		return ExcludedIndex
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
	segment := -1
	if b.seg != nil {
		segment = b.seg.Match(a)
	}
	switch {
	case a.MonthlyHours != nil:
		EvenHours(cal, b.s.Start, *a.MonthlyHours, hours)
	case segment >= 0 && b.s.Segments[segment].Playbook != nil:
		evenOneTime, _ := AccountHours(*b.s.Segments[segment].Playbook, cal, b.s.Start, hours)
		if evenOneTime != 0 {
			EvenHours(cal, b.s.Start, evenOneTime*b.segShare[segment], hours)
		}
	}
	return segment
}

// Months is the analysis window's length.
func (b *BookAnalyzer) Months() int { return b.s.Horizon }

// Start is the analysis window's first month.
func (b *BookAnalyzer) Start() Month { return b.s.Start }

// Attribute returns a's attribute key, trimmed, and whether it has one.
func (a *Account) Attribute(key string) (string, bool) {
	if a.Attributes != nil {
		v, ok := a.Attributes[key]
		return strings.TrimSpace(v), ok
	}
	for _, e := range a.AttributeList {
		if e.Key == key {
			return strings.TrimSpace(e.Value), true
		}
	}
	return "", false
}
