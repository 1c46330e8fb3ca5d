package capacity

import "fmt"

// MaxContractTermMonths bounds a contract's term: ten years.
const MaxContractTermMonths = 120

// MaxAccountMonthlyHours bounds an account's own workload: every hour of a
// month, around the clock.
const MaxAccountMonthlyHours = 744

// ParseDate reads a CRM date, "YYYY-MM-DD" or "YYYY-MM", as its month: the
// book's calendar counts months, and the day is only checked.
func ParseDate(s string) (Month, error) {
	if m, ok := dateMonth(s); ok {
		return m, nil
	}
	switch {
	case len(s) == 7:
		return ParseMonth(s)
	case len(s) == 10 && s[7] == '-' && digits(s[8:]):
		m, err := ParseMonth(s[:7])
		if err != nil {
			return 0, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, for example 2027-03-31", s)
		}
		day := int(s[8]-'0')*10 + int(s[9]-'0')
		if day < 1 || day > daysIn(m) {
			return 0, fmt.Errorf("%q is not a date: %s has %d days", s, s[:7], daysIn(m))
		}
		return m, nil
	}
	return 0, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD (2027-03-31) or YYYY-MM (2027-03)", s)
}

// dateMonth is the month of s when ParseDate reads it, without building
// an error: the book reads two dates an account.
func dateMonth(s string) (Month, bool) {
	switch len(s) {
	case 7:
		return monthOf(s)
	case 10:
		// Each digit less '0' is 0 to 9 as a byte, anything else more.
		y0, y1, y2, y3, m0, m1, d0, d1 := s[0]-'0', s[1]-'0', s[2]-'0', s[3]-'0', s[5]-'0', s[6]-'0', s[8]-'0', s[9]-'0'
		if s[4] != '-' || s[7] != '-' || max(y0, y1, y2, y3, m0, m1, d0, d1) > 9 || y0 == 0 {
			return 0, false
		}
		mo, day := int(m0)*10+int(m1), int(d0)*10+int(d1)
		m := Month((int(y0)*1000+int(y1)*100+int(y2)*10+int(y3))*12 + mo - 1)
		if mo < 1 || mo > 12 || day < 1 || day > 28 && day > daysIn(m) {
			return 0, false
		}
		return m, true
	}
	return 0, false
}

// daysIn is the number of days of month m.
func daysIn(m Month) int {
	y, mo := int(m)/12, int(m)%12+1
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// calendarFits reports whether the account's dates, term and hours are
// valid; it allocates only for a bad date, the case ValidateAccount
// then explains.
func calendarFits(a *Account) bool {
	c := accountMonths{startOf: a.StartDate, renewalOf: a.RenewalDate, read: true}
	if a.StartDate != "" {
		if c.start, c.hasStart = dateMonth(a.StartDate); !c.hasStart {
			return false
		}
	}
	if a.RenewalDate != "" {
		if c.renewal, c.hasRenewal = dateMonth(a.RenewalDate); !c.hasRenewal {
			return false
		}
	}
	a.months = c
	if t := a.ContractTermMonths; t != nil && (*t < 1 || *t > MaxContractTermMonths) {
		return false
	}
	if h := a.MonthlyHours; h != nil && (!finite(*h) || *h < 0 || *h > MaxAccountMonthlyHours) {
		return false
	}
	return len(a.Owner) <= MaxTextLength
}

// accountMonths are an account's dates as months, kept with the dates
// they were read from: an account whose dates have changed since is read
// again. A book of millions of accounts is validated, then analyzed, and
// reading each date once spares a few percent of the analysis.
type accountMonths struct {
	startOf, renewalOf   string
	start, renewal       Month
	hasStart, hasRenewal bool
	read                 bool
}

// datesMonths returns the months of a's dates, reading them unless
// ValidateAccount has read these very dates. The comparisons cost little:
// equal strings that share their bytes compare without reading them.
func (a *Account) datesMonths() accountMonths {
	if c := a.months; c.read && c.startOf == a.StartDate && c.renewalOf == a.RenewalDate {
		return c
	}
	c := accountMonths{startOf: a.StartDate, renewalOf: a.RenewalDate, read: true}
	c.start, c.hasStart = dateMonth(a.StartDate)
	c.renewal, c.hasRenewal = dateMonth(a.RenewalDate)
	return c
}

// validateCalendar names each bad date, term or hours of an account.
func validateCalendar(v *violations, a *Account, p string) {
	for _, d := range []struct{ field, value string }{{"start_date", a.StartDate}, {"renewal_date", a.RenewalDate}} {
		if d.value == "" {
			continue
		}
		if _, err := ParseDate(d.value); err != nil {
			v.add(path(p, d.field), "%s", err)
		}
	}
	if t := a.ContractTermMonths; t != nil && (*t < 1 || *t > MaxContractTermMonths) {
		v.add(path(p, "contract_term_months"), "must be 1 to %d months (leave it unset for 12), got %d", MaxContractTermMonths, *t)
	}
	if h := a.MonthlyHours; h != nil && (!finite(*h) || *h < 0 || *h > MaxAccountMonthlyHours) {
		v.add(path(p, "monthly_hours"), "must be 0 to %d hours a month (leave it unset to take the playbook's), got %s", MaxAccountMonthlyHours, formatFloat(*h))
	}
	v.checkLength(path(p, "owner"), a.Owner)
}
