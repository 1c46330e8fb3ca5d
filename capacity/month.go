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
	if len(s) != 7 || s[4] != '-' || !digits(s[:4]) || !digits(s[5:]) {
		return 0, fmt.Errorf("%q is not a month: write it as YYYY-MM, for example 2027-01", s)
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	if y < 1000 {
		return 0, fmt.Errorf("%q: the year must have four digits, 1000 to 9999", s)
	}
	if m < 1 || m > 12 {
		return 0, fmt.Errorf("%q: the month must be 01 to 12", s)
	}
	return Month(y*12 + m - 1), nil
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
