package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/pbjson"
)

// printJSON writes msg as the REST gateway does (pbjson), indented.
func printJSON(w io.Writer, msg proto.Message) error {
	raw, err := pbjson.Marshal(nil, msg)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = out.WriteTo(w)
	return err
}

// table writes aligned columns; Flush must be called.
func table(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// row writes one tab-separated line.
func row(tw io.Writer, cells ...string) {
	fmt.Fprintln(tw, strings.Join(cells, "\t"))
}

// money writes an amount for people: $1.25M, $850K, $950.
func money(x float64) string {
	a := math.Abs(x)
	switch {
	case a >= 1e6:
		return fmt.Sprintf("$%.2fM", x/1e6)
	case a >= 1e4:
		return fmt.Sprintf("$%.0fK", x/1e3)
	case a >= 1e3:
		return fmt.Sprintf("$%.1fK", x/1e3)
	default:
		return fmt.Sprintf("$%.0f", x)
	}
}

// num writes a count or ratio with at most the given decimals, without
// trailing zeros.
func num(x float64, decimals int) string {
	s := fmt.Sprintf("%.*f", decimals, x)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// pct writes a fraction as a percentage.
func pct(x float64) string { return num(x*100, 1) + "%" }

// enumLabel shortens an enum value for a table: TOUCH_MODEL_HIGH -> HIGH.
func enumLabel(full, prefix string) string { return strings.TrimPrefix(full, prefix) }

func printAssumptions(w io.Writer, as []*csplanv1.Assumption) {
	if len(as) == 0 {
		return
	}
	fmt.Fprintln(w, "\nAssumptions")
	tw := table(w)
	row(tw, "  FIELD", "VALUE", "SOURCE")
	for _, a := range as {
		row(tw, "  "+a.GetName(), a.GetValue(), a.GetSource())
	}
	tw.Flush()
}
