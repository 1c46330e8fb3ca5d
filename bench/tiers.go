package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/csplan/csplan/capacity"
)

// tierValues are n ARR values spread like a B2B book (log-normal around
// $20K) with cents, so that nearly all are distinct.
func tierValues(n int) []float64 {
	r := rand.New(rand.NewPCG(11, 12))
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Round(100*math.Exp(math.Log(20000)+1.5*r.NormFloat64())) / 100
	}
	return v
}

// suggestTiers times the streamed suggestion path in this process (the
// accumulator StreamSuggestSegments feeds: Add each value, then Result).
func suggestTiers(values []float64, tiers int32) (time.Duration, error) {
	start := time.Now()
	s, err := capacity.NewTierSuggester(tiers, "settings.tiers")
	if err != nil {
		return 0, err
	}
	for _, v := range values {
		if err := s.Add(v); err != nil {
			return 0, err
		}
	}
	s.Result()
	return time.Since(start), nil
}

// sortValues times slices.Sort of a copy of values: the floor, since the
// exact split needs the values in order.
func sortValues(values []float64) time.Duration {
	c := slices.Clone(values)
	start := time.Now()
	slices.Sort(c)
	return time.Since(start)
}
