package capacity

import (
	"math"
	"strconv"
)

// MaxAmount is the largest amount of money a request may carry: far past
// any real book or salary, and small enough that the sums and products of
// a plan over 10^7 accounts stay finite.
const MaxAmount = 1e15

// tolerance absorbs floating-point noise in every floor, ceil and threshold
// comparison, so that 49.99999999999999 accounts per CSM counts as 50.
const tolerance = 1e-9

// floorTol is floor with the tolerance: floorTol(27.9999999999) = 28.
func floorTol(x float64) float64 { return math.Floor(x + tolerance) }

// ceilTol is ceil with the tolerance: ceilTol(3.0000000001) = 3.
func ceilTol(x float64) float64 { return math.Ceil(x - tolerance) }

// atLeast reports x >= t within the tolerance.
func atLeast(x, t float64) bool { return x >= t-tolerance }

// above reports x > t beyond the tolerance.
func above(x, t float64) bool { return x > t+tolerance }

// below reports x < t beyond the tolerance.
func below(x, t float64) bool { return x < t-tolerance }

// ratio divides, giving 0 for a zero divisor: a per-CSM figure with no CSMs
// is reported as 0.
func ratio(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return num / den
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// formatFloat writes x as JSON would carry it, for assumptions: the
// shortest decimal that round-trips, in plain notation (2000000, not the
// 2e+06 of 'g') except below 1e-6 and from 1e21 on, as protojson and
// encoding/json write doubles.
func formatFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "Infinity"
	case math.IsInf(x, -1):
		return "-Infinity"
	}
	format := byte('f')
	if abs := math.Abs(x); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	s := strconv.FormatFloat(x, format, -1, 64)
	// JSON writes 1e-7, not 1e-07.
	if n := len(s); format == 'e' && n >= 4 && s[n-4] == 'e' && s[n-3] == '-' && s[n-2] == '0' {
		s = s[:n-2] + s[n-1:]
	}
	return s
}

// amountOK reports whether x is an amount of money checkAmount accepts.
func amountOK(x float64) bool { return finite(x) && x >= 0 && x <= MaxAmount }

// checkAmount reports field unless x is an amount of money from 0 to
// MaxAmount.
func checkAmount(v *violations, field string, x float64) {
	if !amountOK(x) {
		v.add(field, "must be 0 to %s in whole currency units, got %s", formatFloat(MaxAmount), formatFloat(x))
	}
}
