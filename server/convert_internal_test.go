package server

import (
	"testing"

	"github.com/csplan/csplan/capacity"
)

// TestMonthNames: months of the forecast come from the shared string,
// others (a requisition due before the start, a gap) are formatted alone,
// and both read the same.
func TestMonthNames(t *testing.T) {
	start, err := capacity.ParseMonth("2026-11")
	if err != nil {
		t.Fatal(err)
	}
	var months []capacity.ForecastMonth
	for i := range 15 {
		months = append(months, capacity.ForecastMonth{Month: start.Add(i)})
	}
	names := newMonthNames(months)
	for i := -30; i < 40; i++ {
		m := start.Add(i)
		if got, want := names.of(m), m.String(); got != want {
			t.Errorf("of(%s) = %q", want, got)
		}
	}
	if got := names.of(start.Add(2)); got != "2027-01" {
		t.Errorf("two months after 2026-11 named %q, want 2027-01", got)
	}
	gap := append([]capacity.ForecastMonth{}, months...)
	gap[3].Month = gap[3].Month.Add(5)
	if n := newMonthNames(gap); n.n != 0 {
		t.Errorf("months with a gap share one string of %d names", n.n)
	}
}
