package html

import (
	"math"
	"strings"
	"time"

	"github.com/csplan/csplan/report/numfmt"
)

// Figures are written by numfmt, as in the text report: one way to write
// each, in every format.
var (
	pct    = numfmt.Pct
	dec    = numfmt.Dec
	signed = numfmt.Signed
)

// pctAxis formats a fraction as a percentage for an axis tick.
func pctAxis(v float64) string {
	if !finite(v) {
		return "n/a"
	}
	return numfmt.Dec(v*100, 2) + "%"
}

// count formats a whole number with thousands separators.
func count(v float64) string { return numfmt.Dec(v, 0) }

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
