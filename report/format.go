package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// money writes an amount for people: $1.25M, $850K, $9.5K, $950. Currency
// codes other than USD are written after the amount.
func money(x float64, currency string) string {
	a := math.Abs(x)
	var s string
	switch {
	case a >= 1e6:
		s = fmt.Sprintf("%.2fM", x/1e6)
	case a >= 1e4:
		s = fmt.Sprintf("%.0fK", x/1e3)
	case a >= 1e3:
		s = fmt.Sprintf("%.1fK", x/1e3)
	default:
		s = fmt.Sprintf("%.0f", x)
	}
	if currency == "" || currency == "USD" {
		if strings.HasPrefix(s, "-") {
			return "-$" + s[1:]
		}
		return "$" + s
	}
	return s + " " + currency
}

// num writes x with at most decimals digits after the point, without
// trailing zeros, and thousands separators.
func num(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

func count(n int) string { return num(float64(n), 0) }

// pct writes a fraction as a percentage with one decimal.
func pct(x float64) string { return num(x*100, 1) + "%" }

// signed writes a whole-number change with its sign: +3, -1, 0.
func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// or writes s, or a dash for nothing.
func or(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// label writes an enum-like value for people: HIRE_LATER -> hire later.
func label(s string) string {
	if s == "" {
		return "-"
	}
	return strings.ToLower(strings.ReplaceAll(s, "_", " "))
}
