package html

import (
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/csplan/csplan/internal/numfmt"
)

// Figures are written by numfmt, as in the text report: one way to write
// each, in every format.
var dec = numfmt.Dec

// pctAxis formats a fraction as a percentage for an axis tick.
func pctAxis(v float64) string {
	if !finite(v) {
		return "n/a"
	}
	return numfmt.Dec(v*100, 2) + "%"
}

// monthLabel writes "2026-03" as "Mar 2026"; anything unreadable is
// returned as given.
func monthLabel(s string) string {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return s
	}
	return t.Format("Jan 2006")
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// inline writes the document's inline markup (**bold**, `code`) as HTML,
// escaping everything else.
func inline(s string) template.HTML {
	var b strings.Builder
	bold, code := false, false
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "**") && !code:
			b.WriteString(map[bool]string{false: "<strong>", true: "</strong>"}[bold])
			bold, s = !bold, s[2:]
		case s[0] == '`':
			b.WriteString(map[bool]string{false: "<code>", true: "</code>"}[code])
			code, s = !code, s[1:]
		default:
			// Up to the next mark, or one lone "*" that is no mark.
			i := strings.IndexAny(s[1:], "*`") + 1
			if i == 0 {
				i = len(s)
			}
			b.WriteString(template.HTMLEscapeString(s[:i]))
			s = s[i:]
		}
	}
	if code {
		b.WriteString("</code>")
	}
	if bold {
		b.WriteString("</strong>")
	}
	return template.HTML(b.String())
}

// tone is the colour class of a verdict.
func tone(verdict string) string {
	switch verdict {
	case "hire now":
		return "good"
	case "hire later":
		return "warn"
	case "hold":
		return "bad"
	default:
		return "neutral"
	}
}
