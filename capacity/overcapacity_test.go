package capacity

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestOverCapacity(t *testing.T) {
	for _, tc := range []struct {
		hours, capacity float64
		want            bool
	}{
		{10, 6, true},
		{6, 6, false},
		{6 + 1e-12, 6, false}, // noise, not a month over
		{6.001, 6, true},
		{0, 0, false},
		{0.5, 0, true},
		{5, 6, false},
	} {
		if got := OverCapacity(tc.hours, tc.capacity); got != tc.want {
			t.Errorf("OverCapacity(%v, %v) = %v, want %v", tc.hours, tc.capacity, got, tc.want)
		}
	}
}

// TestOverCapacityCountsTheAnalyzersMonths: the months OverCapacity names
// in a CSM's hours are as many as the analysis's MonthsOverCapacity, over
// random books whose hours often land exactly on the capacity.
func TestOverCapacityCountsTheAnalyzersMonths(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 50 {
		var csms []BookCSM
		for i := range 4 {
			c := BookCSM{ID: strconv.Itoa(i)}
			if i > 0 {
				h := float64(1+rng.IntN(4)) * 3
				c.CapacityHours = &h
			}
			csms = append(csms, c)
		}
		b, err := NewBookAnalyzer(BookSettings{CSMs: csms, StartMonth: "2027-01", HorizonMonths: 12}, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			h := float64(rng.IntN(5))
			start := "2027-" + []string{"01", "03", "06", "09"}[rng.IntN(4)]
			b.Add(&Account{ID: strconv.Itoa(i), ARR: 1, Owner: strconv.Itoa(rng.IntN(4)), MonthlyHours: &h, StartDate: start})
		}
		for _, c := range b.Result().CSMs {
			n := 0
			for _, h := range c.Hours {
				if OverCapacity(h, c.CapacityHours) {
					n++
				}
			}
			if n != c.MonthsOverCapacity {
				t.Errorf("round %d, CSM %s: OverCapacity finds %d months over %v h in %v, the analysis %d", round, c.CSM.ID, n, c.CapacityHours, c.Hours, c.MonthsOverCapacity)
			}
		}
	}
}
