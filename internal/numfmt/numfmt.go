// Package numfmt writes figures for people, one way for every output of a
// report (terminal, Markdown, HTML): money, counts, decimals and
// percentages. Halves round away from zero ($12,500 is $12.5K and $37,500
// is $37.5K, not $12K beside $38K), and compact money keeps three
// significant figures, so that two amounts in one table are written to the
// same precision. A value that is not a number is "n/a"; a value that is
// unset is the caller's to write as a dash.
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Round rounds x to decimals digits after the point, halves away from zero.
// A figure computed in binary floating point can sit a hair below the half
// it means (2.675 is 2.67499999...), so the half is judged in decimal, with
// a relative tolerance of 1e-9.
func Round(x float64, decimals int) float64 {
	if !finite(x) {
		return x
	}
	scale := math.Pow(10, float64(decimals))
	a := math.Abs(x) * scale
	r := math.Floor(a*(1+1e-9) + 0.5)
	if x < 0 {
		r = -r
	}
	return r / scale
}

// Dec writes x with at most decimals digits after the point, trailing
// zeros trimmed, and thousands separators: 1234.5 -> "1,234.5".
func Dec(x float64, decimals int) string {
	if !finite(x) {
		return "n/a"
	}
	s := strconv.FormatFloat(math.Abs(Round(x, decimals)), 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	intPart, frac, _ := strings.Cut(s, ".")
	out := group(intPart)
	if frac != "" {
		out += "." + frac
	}
	if Round(x, decimals) < 0 && out != "0" {
		out = "-" + out
	}
	return out
}

// Count writes a whole number with thousands separators.
func Count(n int) string { return Dec(float64(n), 0) }

// Pct writes a fraction as a percentage with one decimal: 0.2345 -> "23.5%".
func Pct(x float64) string {
	if !finite(x) {
		return "n/a"
	}
	return Dec(x*100, 1) + "%"
}

// Signed writes a whole-number change with its sign: "+3", "-1", "0".
func Signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Symbol is the prefix money is written with: a symbol where it is
// unambiguous, else the ISO code and a space.
func Symbol(currency string) string {
	code := strings.ToUpper(strings.TrimSpace(currency))
	switch code {
	case "", "USD":
		return "$"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "JPY":
		return "¥"
	case "INR":
		return "₹"
	default:
		return code + " "
	}
}

// MoneyWhole writes whole currency units with thousands separators:
// "$1,234,567", "-€850", "CHF 1,200".
func MoneyWhole(x float64, currency string) string {
	if !finite(x) {
		return "n/a"
	}
	s := Dec(x, 0)
	if neg, ok := strings.CutPrefix(s, "-"); ok {
		return "-" + Symbol(currency) + neg
	}
	return Symbol(currency) + s
}

var moneyUnits = []struct {
	size   float64
	suffix string
}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}, {1, ""}}

// Money writes an amount compactly with three significant figures:
// "$12.5K", "$37.5K", "$1.46M", "$2.00M", "$950", "-€2.10K".
func Money(x float64, currency string) string {
	if !finite(x) {
		return "n/a"
	}
	a := math.Abs(x)
	u := len(moneyUnits) - 1
	for i, unit := range moneyUnits {
		if a >= unit.size {
			u = i
			break
		}
	}
	v := Round(a/moneyUnits[u].size, sigDecimals(a/moneyUnits[u].size))
	// Rounding can carry into the next unit: $999,600 is $1M, not $1,000K.
	if v >= 1000 && u > 0 {
		u--
		v = Round(a/moneyUnits[u].size, sigDecimals(a/moneyUnits[u].size))
	}
	// With a unit, the trailing zeros stay, so that a column reads to one
	// precision: $1.20M beside $2.39M. Without one (below a thousand) the
	// amount is written plainly.
	s := Dec(v, sigDecimals(v))
	if suffix := moneyUnits[u].suffix; suffix != "" {
		s = strconv.FormatFloat(v, 'f', sigDecimals(v), 64) + suffix
	}
	if x < 0 && v != 0 {
		return "-" + Symbol(currency) + s
	}
	return Symbol(currency) + s
}

// sigDecimals is how many decimals leave three significant figures of v.
func sigDecimals(v float64) int {
	switch {
	case v >= 100:
		return 0
	case v >= 10:
		return 1
	default:
		return 2
	}
}

// group inserts thousands separators into a string of digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
