package html

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// money formats whole currency units with thousands separators:
// "$1,234,567", "€850", "CHF 1,200". Non-finite values are "n/a".
func money(sym string, v float64) string {
	if !finite(v) {
		return "n/a"
	}
	s := group(strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64))
	neg := ""
	if math.Round(v) < 0 {
		neg = "-"
	}
	return neg + sym + s
}

// moneyShort formats money compactly: "$1.25M", "$850K", "$2B", "$640".
func moneyShort(sym string, v float64) string {
	if !finite(v) {
		return "n/a"
	}
	a := math.Abs(v)
	neg := ""
	if v < 0 {
		neg = "-"
	}
	switch {
	case a >= 1e9:
		return neg + sym + trim(a/1e9, 2) + "B"
	case a >= 1e6:
		return neg + sym + trim(a/1e6, 2) + "M"
	case a >= 1e4:
		return neg + sym + trim(a/1e3, 0) + "K"
	case a >= 1e3:
		return neg + sym + trim(a/1e3, 1) + "K"
	default:
		return neg + sym + trim(a, 0)
	}
}

// currencySymbol is the prefix money is written with: a symbol where it is
// unambiguous, else the code and a space.
func currencySymbol(code string) string {
	switch strings.ToUpper(strings.TrimSpace(code)) {
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
		return strings.ToUpper(strings.TrimSpace(code)) + " "
	}
}

// pct formats a fraction as a percentage with one decimal: 0.2345 -> "23.5%".
func pct(v float64) string {
	if !finite(v) {
		return "n/a"
	}
	return trim(v*100, 1) + "%"
}

// pctAxis formats a fraction as a percentage for an axis tick.
func pctAxis(v float64) string {
	if !finite(v) {
		return "n/a"
	}
	return trim(v*100, 2) + "%"
}

// count formats a whole number with thousands separators.
func count(v float64) string {
	if !finite(v) {
		return "n/a"
	}
	r := math.Round(v)
	s := group(strconv.FormatFloat(math.Abs(r), 'f', 0, 64))
	if r < 0 {
		return "-" + s
	}
	return s
}

// dec formats a number with up to d decimals, trailing zeros trimmed, and
// thousands separators.
func dec(v float64, d int) string {
	if !finite(v) {
		return "n/a"
	}
	s := trim(math.Abs(v), d)
	intPart, frac, _ := strings.Cut(s, ".")
	out := group(intPart)
	if frac != "" {
		out += "." + frac
	}
	if v < 0 && s != "0" {
		out = "-" + out
	}
	return out
}

// signed formats a CSM gap: "+3", "-1", "0".
func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// trim formats v with at most d decimals and no trailing zeros.
func trim(v float64, d int) string {
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
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

// monthIndex reads "YYYY-MM" as a count of months; ok is false for
// anything else.
func monthIndex(s string) (int, bool) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return 0, false
	}
	return t.Year()*12 + int(t.Month()) - 1, true
}

// monthLabel writes "2026-03" as "Mar 2026"; anything unreadable is
// returned as given, and "" as an em dash.
func monthLabel(s string) string {
	if s == "" {
		return "—"
	}
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return s
	}
	return t.Format("Jan 2006")
}

// humanize turns a contract enum such as "DUE_NOW" into "Due now" and
// "HIRE_NOW" into "Hire now"; "ARR" stays "ARR".
func humanize(s string) string {
	if s == "" {
		return "—"
	}
	switch strings.ToUpper(s) {
	case "ARR", "CSV":
		return strings.ToUpper(s)
	case "NOT_REACHED":
		return "Not reached"
	}
	words := strings.Split(strings.ToLower(s), "_")
	words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
	return strings.Join(words, " ")
}

// tone is the badge colour class of a status, verdict, band or severity.
func tone(s string) string {
	switch strings.ToUpper(s) {
	case "OVER", "CRITICAL", "OVERDUE", "ABOVE", "HOLD":
		return "bad"
	case "STRETCHED", "WARNING", "DUE_NOW", "HIRE_LATER":
		return "warn"
	case "HEALTHY", "WITHIN", "HIRE_NOW":
		return "good"
	case "UNDER", "BELOW", "UPCOMING", "INFO":
		return "info"
	default:
		return "neutral"
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
