package overload

import (
	"slices"
	"testing"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

func TestMonths(t *testing.T) {
	for _, tc := range []struct {
		name string
		csm  *csplanv1.BookCsmLoad
		want []int
	}{
		{"over, at and under", &csplanv1.BookCsmLoad{CapacityHours: 6, Hours: []float64{7, 6, 5, 6.5}}, []int{0, 3}},
		{"noise at capacity", &csplanv1.BookCsmLoad{CapacityHours: 0.3, Hours: []float64{0.1 + 0.1 + 0.1, 0.4}}, []int{1}},
		{"no capacity", &csplanv1.BookCsmLoad{Hours: []float64{0, 2}}, []int{1}},
		{"no hours", &csplanv1.BookCsmLoad{CapacityHours: 1}, nil},
	} {
		if got := Months(tc.csm); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Months = %v, want %v", tc.name, got, tc.want)
		}
	}
	if Over(&csplanv1.BookCsmLoad{Hours: []float64{1}}, 3) || Over(&csplanv1.BookCsmLoad{Hours: []float64{1}}, -1) {
		t.Error("Over names a month the answer has no hours for")
	}
}

func TestName(t *testing.T) {
	for csm, want := range map[*csplanv1.BookCsmLoad]string{
		{Id: "ana", Name: "Ana"}: "Ana (ana)",
		{Id: "ana", Name: "ana"}: "ana",
		{Id: "zed"}:              "zed",
	} {
		if got := Name(csm); got != want {
			t.Errorf("Name(%v) = %q, want %q", csm, got, want)
		}
	}
}

func TestAbove(t *testing.T) {
	for _, tc := range []struct {
		hours, capacity float64
		want            bool
	}{{101, 100, true}, {100, 100, false}, {0.1 + 0.1 + 0.1, 0.3, false}, {1, 0, true}, {0, 0, false}} {
		if got := Above(tc.hours, tc.capacity); got != tc.want {
			t.Errorf("Above(%v, %v) = %v, want %v", tc.hours, tc.capacity, got, tc.want)
		}
	}
}
