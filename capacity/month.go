package capacity

import (
	"fmt"
	"time"
)

// Month is a calendar month, counted from year 0 so that month arithmetic is
// integer arithmetic. Its text form is "YYYY-MM".
type Month int32

// MonthOf returns the month that t falls in, in UTC.
func MonthOf(t time.Time) Month {
	t = t.UTC()
	return Month(t.Year()*12 + int(t.Month()) - 1)
}

// ParseMonth reads "YYYY-MM". Years run 1000-9999 and months 01-12.
func ParseMonth(s string) (Month, error) {
	if m, ok := monthOf(s); ok {
		return m, nil
	}
	if len(s) != 7 || s[4] != '-' || !digits(s[:4]) || !digits(s[5:]) {
		return 0, fmt.Errorf("%q is not a month: write it as YYYY-MM, for example 2027-01", s)
	}
	if s[0] == '0' {
		return 0, fmt.Errorf("%q: the year must have four digits, 1000 to 9999", s)
	}
	return 0, fmt.Errorf("%q: the month must be 01 to 12", s)
}

// monthOf is the month of s when ParseMonth reads it, without building an
// error.
func monthOf(s string) (Month, bool) {
	if len(s) != 7 {
		return 0, false
	}
	// Each digit less '0' is 0 to 9 as a byte, anything else more.
	y0, y1, y2, y3, m0, m1 := s[0]-'0', s[1]-'0', s[2]-'0', s[3]-'0', s[5]-'0', s[6]-'0'
	if s[4] != '-' || max(y0, y1, y2, y3, m0, m1) > 9 || y0 == 0 {
		return 0, false
	}
	m := int(m0)*10 + int(m1)
	if m < 1 || m > 12 {
		return 0, false
	}
	return Month((int(y0)*1000+int(y1)*100+int(y2)*10+int(y3))*12 + m - 1), true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// String writes the month as "YYYY-MM".
func (m Month) String() string { return string(m.Append(nil)) }

// Append appends "YYYY-MM" to b: a whole forecast's months share one
// buffer.
func (m Month) Append(b []byte) []byte {
	year, month := int(m)/12, int(m)%12+1
	if year < 0 || year > 9999 || month < 1 {
		return fmt.Appendf(b, "%04d-%02d", year, month)
	}
	return append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10),
		'-', byte('0'+month/10), byte('0'+month%10))
}

// Add returns the month n months later (earlier for negative n).
func (m Month) Add(n int) Month { return m + Month(n) }
