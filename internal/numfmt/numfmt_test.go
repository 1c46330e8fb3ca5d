package numfmt

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestMoney(t *testing.T) {
	for _, tc := range []struct {
		x        float64
		currency string
		want     string
	}{
		{12_500, "USD", "$12.5K"},
		{37_500, "", "$37.5K"},
		{1_455_000, "USD", "$1.46M"},
		{1_460_000, "USD", "$1.46M"},
		{850_000, "USD", "$850K"},
		{9_500, "USD", "$9.50K"},
		{15_400, "USD", "$15.4K"},
		{950, "USD", "$950"},
		{999_600, "USD", "$1.00M"},
		{999.6, "USD", "$1.00K"},
		{0, "USD", "$0"},
		{-2_100, "EUR", "-€2.10K"},
		{5_720_000, "GBP", "£5.72M"},
		{1_200, "CHF", "CHF 1.20K"},
		{2.5e9, "USD", "$2.50B"},
		{math.NaN(), "USD", "n/a"},
		{-0.001, "USD", "$0"},
		{25_000, "USD", "$25.0K"},
		{2_000_000, "USD", "$2.00M"},
	} {
		if got := Money(tc.x, tc.currency); got != tc.want {
			t.Errorf("Money(%v, %q) = %q, want %q", tc.x, tc.currency, got, tc.want)
		}
	}
}

func TestRoundsHalvesAwayFromZero(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		d    int
		want string
	}{
		{2.5, 0, "3"}, {3.5, 0, "4"}, {-2.5, 0, "-3"}, {2.675, 2, "2.68"}, {1234.5, 0, "1,235"},
		{0.125, 2, "0.13"}, {1_000_000, 0, "1,000,000"}, {-0.04, 1, "0"}, {12.345, 3, "12.345"},
	} {
		if got := Dec(tc.x, tc.d); got != tc.want {
			t.Errorf("Dec(%v, %d) = %q, want %q", tc.x, tc.d, got, tc.want)
		}
	}
	if got := Pct(0.1125); got != "11.3%" {
		t.Errorf("Pct(0.1125) = %q, want 11.3%%", got)
	}
	if got := MoneyWhole(-1_234_567.5, "USD"); got != "-$1,234,568" {
		t.Errorf("MoneyWhole = %q", got)
	}
	if got := Count(51); got != "51" {
		t.Errorf("Count(51) = %q", got)
	}
}

// TestMoneyKeepsThreeFigures: over amounts of every size, the compact form
// is three figures and a unit at most, and strays from the amount by no
// more than half its last kept figure.
func TestMoneyKeepsThreeFigures(t *testing.T) {
	units := map[string]float64{"": 1, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
	for x := 1.0; x < 1e13; x *= 1.37 {
		s := Money(x, "USD")
		if len(s) > len("$999.5K") {
			t.Errorf("Money(%v) = %q is longer than three figures", x, s)
		}
		digits := strings.TrimPrefix(s, "$")
		unit := ""
		if last := digits[len(digits)-1:]; units[last] > 1 {
			unit, digits = last, digits[:len(digits)-1]
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(digits, ",", ""), 64)
		if err != nil {
			t.Fatalf("Money(%v) = %q does not read back: %v", x, s, err)
		}
		if got := v * units[unit]; math.Abs(got-x) > 0.005*x+1e-9 {
			t.Errorf("Money(%v) = %q reads back as %v, more than half a figure off", x, s, got)
		}
	}
}
