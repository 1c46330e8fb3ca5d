package capacity

import (
	"fmt"
	"testing"
	"time"
)

func TestParseMonthRejects(t *testing.T) {
	for _, s := range []string{
		"2027-13", // month past December
		"2027-00", // month before January
		"27-01",   // two-digit year
		"2027-1",  // one-digit month
		"",        // empty
		"abcd-ef", // not digits
		"2027/01", // wrong separator
		"0999-01", // year before 1000
		"-027-01", // signed year
		"2027-+1", // signed month
		" 2027-01",
		"2027-01 ",
		"2027-01-15", // a date, not a month
	} {
		if m, err := ParseMonth(s); err == nil {
			t.Errorf("ParseMonth(%q) = %v, want an error", s, m)
		}
	}
}

func TestParseMonthRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Month
	}{
		{"2027-01", Month(2027*12 + 0)},
		{"2026-12", Month(2026*12 + 11)},
		{"1000-01", Month(1000 * 12)},
		{"9999-12", Month(9999*12 + 11)},
	} {
		got, err := ParseMonth(tc.in)
		if err != nil {
			t.Fatalf("ParseMonth(%q): %v", tc.in, err)
		}
		if got != tc.want {
			t.Errorf("ParseMonth(%q) = %d, want %d", tc.in, got, tc.want)
		}
		if got.String() != tc.in {
			t.Errorf("ParseMonth(%q).String() = %q", tc.in, got.String())
		}
	}
}

func TestMonthOfIsUTC(t *testing.T) {
	// 2027-01-01 00:30 in UTC+2 is still December 2026 in UTC.
	zone := time.FixedZone("UTC+2", 2*3600)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2027, 1, 1, 0, 30, 0, 0, zone), "2026-12"},
		{time.Date(2027, 1, 1, 0, 30, 0, 0, time.UTC), "2027-01"},
		{time.Date(2026, 6, 30, 23, 59, 59, 0, time.UTC), "2026-06"},
	} {
		if got := MonthOf(tc.at).String(); got != tc.want {
			t.Errorf("MonthOf(%v) = %s, want %s", tc.at, got, tc.want)
		}
	}
}

func TestMonthAdd(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-12", 1, "2027-01"},
		{"2026-12", -2, "2026-10"},
		{"2026-12", 0, "2026-12"},
		{"2027-03", -5, "2026-10"},
		{"2026-01", 24, "2028-01"},
		{"2026-01", -1, "2025-12"},
	} {
		m, err := ParseMonth(tc.from)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Add(tc.n).String(); got != tc.want {
			t.Errorf("%s.Add(%d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestMonthAppendMatchesFormat(t *testing.T) {
	for _, m := range []Month{0, 1, 11, 12, 2026*12 + 10, 9999*12 + 11, 10000 * 12, -1, -13} {
		want := fmt.Sprintf("%04d-%02d", int(m)/12, int(m)%12+1)
		if got := m.String(); got != want {
			t.Errorf("Month(%d).String() = %q, want %q", int(m), got, want)
		}
	}
}
