package report

import (
	"strings"

	"github.com/csplan/csplan/internal/numfmt"
)

// The figures of the text and Markdown report are numfmt's, as in the
// HTML report: one way to write each.

func money(x float64, currency string) string { return numfmt.Money(x, currency) }

// num writes x with at most decimals digits after the point.
func num(x float64, decimals int) string { return numfmt.Dec(x, decimals) }

func count32(n int32) string { return numfmt.Count(int(n)) }

// accountsText is "1 account" or "4,000 accounts".
func accountsText(n int32) string {
	if n == 1 {
		return "1 account"
	}
	return count32(n) + " accounts"
}

func pct(x float64) string { return numfmt.Pct(x) }

// or writes s, or a dash for nothing.
func or(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// label writes a contract enum for people, without its type's prefix:
// VERDICT_HIRE_LATER -> hire later; the unspecified value is a dash.
func label[E interface {
	~int32
	String() string
}](e E) string {
	if e == 0 {
		return "-"
	}
	s := e.String()
	for _, p := range enumPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s = rest
			break
		}
	}
	return strings.ToLower(strings.ReplaceAll(s, "_", " "))
}

var enumPrefixes = []string{"TOUCH_MODEL_", "PRODUCT_COMPLEXITY_", "LOAD_STATUS_", "TRIGGER_STATUS_", "COST_BAND_", "OPTION_KIND_",
	"FACTOR_", "SEVERITY_", "VERDICT_", "SIZING_BASIS_", "SIZING_POLICY_", "REQUISITION_KIND_", "COST_SCOPE_"}
