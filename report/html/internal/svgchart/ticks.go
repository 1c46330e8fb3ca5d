package svgchart

import (
	"math"
	"strconv"
)

// NiceTicks returns tick values covering [lo, hi] at a round step (1, 2, 2.5
// or 5 times a power of ten), with about maxTicks ticks. The first tick is
// at or below lo and the last at or above hi. A degenerate or non-finite
// range gets a usable one: [0, 1] when nothing is known, [v-1, v+1] around a
// single value v (or [0, 2v] when v > 0 and lo is 0).
func NiceTicks(lo, hi float64, maxTicks int) []float64 {
	if maxTicks < 2 {
		maxTicks = 2
	}
	if !finite(lo) || !finite(hi) {
		lo, hi = 0, 1
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi == lo {
		switch {
		case lo > 0:
			lo, hi = 0, lo
		case lo < 0:
			hi = 0
		default:
			hi = 1
		}
	}
	step := niceStep((hi - lo) / float64(maxTicks-1))
	start := math.Floor(lo/step+1e-9) * step
	end := math.Ceil(hi/step-1e-9) * step
	n := int(math.Round((end-start)/step)) + 1
	// Decimals that represent the step exactly (2.5e-3 needs 4); printing
	// and parsing at that precision snaps float noise such as
	// 0.30000000000000004 to 0.3.
	decimals := max(0, 1-int(math.Floor(math.Log10(step))))
	ticks := make([]float64, 0, n)
	for i := range n {
		v := start + float64(i)*step
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
		if v == 0 {
			v = 0 // no negative zero
		}
		ticks = append(ticks, v)
	}
	return ticks
}

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || !finite(raw) {
		return 1
	}
	exp := math.Floor(math.Log10(raw))
	pow := math.Pow(10, exp)
	f := raw / pow
	switch {
	case f <= 1:
		f = 1
	case f <= 2:
		f = 2
	case f <= 2.5:
		f = 2.5
	case f <= 5:
		f = 5
	default:
		f = 10
	}
	return f * pow
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
