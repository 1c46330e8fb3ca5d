package report

import (
	"strings"

	"github.com/csplan/csplan/report/numfmt"
)

// The figures of the text and Markdown report are numfmt's, as in the
// HTML report: one way to write each.

func money(x float64, currency string) string { return numfmt.Money(x, currency) }

// num writes x with at most decimals digits after the point.
func num(x float64, decimals int) string { return numfmt.Dec(x, decimals) }

func count(n int) string { return numfmt.Count(n) }

func pct(x float64) string { return numfmt.Pct(x) }

func signed(n int) string { return numfmt.Signed(n) }

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
