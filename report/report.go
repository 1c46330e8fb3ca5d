package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/pbjson"
	"github.com/csplan/csplan/report/doc"
	"github.com/csplan/csplan/report/html"
)

// Formats are the output formats Render knows, the first the default.
var Formats = []string{"text", "markdown", "json", "html"}

// Render writes r in format: "text" (or "table", the CLI's name for it),
// "markdown" (or "md"), "json" or "html".
func Render(w io.Writer, format string, r *csplanv1.PlanResult) error {
	return RenderWith(w, format, r, nil)
}

// SkippedRow is a row of the book's CSV that was not read (a bad row within
// book.max_bad_rows, or a repeated id): the report's "Data quality" section
// lists each.
type SkippedRow struct {
	File   string
	Line   int
	Column string
	Reason string
}

// RenderWith is Render with the rows skipped while the book was read,
// which only the reader of the file knows. JSON is the service's answer
// alone: the CLI lists skipped rows on stderr.
func RenderWith(w io.Writer, format string, r *csplanv1.PlanResult, skipped []SkippedRow) error {
	return RenderPlan(w, format, r, PlanOptions{Skipped: skipped})
}

// PlanOptions are what a plan's report shows beside the PlanResult, which
// only the CLI knows: the rows skipped while the book was read, and the
// book's rebalancing when the plan asks for it.
type PlanOptions struct {
	Skipped []SkippedRow
	// Rebalance is the plan's rebalancing (its rebalance section, sent to
	// the book service): the report's "Rebalancing" section.
	Rebalance *Rebalance
}

// RenderPlan is Render with the options. JSON is the plan's answer alone
// (RunPlanResponse): the rebalancing is another service's answer, which
// csplan book rebalance -o json prints.
func RenderPlan(w io.Writer, format string, r *csplanv1.PlanResult, o PlanOptions) error {
	switch format {
	case "text", "table", "":
		return doc.WriteText(w, build(r, o))
	case "markdown", "md":
		return doc.WriteMarkdown(w, build(r, o))
	case "json":
		return JSON(w, &csplanv1.RunPlanResponse{Result: r})
	case "html":
		var rb *html.Rebalancing
		if o.Rebalance != nil {
			x := o.Rebalance.withCurrency(r.GetCurrency()).charts()
			rb = &x
		}
		return html.RenderPlan(w, r, rb, build(r, o))
	default:
		return fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats, ", "))
	}
}

// KnownFormat reports whether Render knows format.
func KnownFormat(format string) bool {
	return slices.Contains(Formats, format) || format == "table" || format == "md"
}

// JSON writes m as the REST routes do (pbjson): canonical protobuf JSON with
// lowerCamelCase names, enums as names and every field present, zero values
// included.
func JSON(w io.Writer, m proto.Message) error {
	data, err := pbjson.Marshal(nil, m)
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// Text writes r for a terminal: headings, wrapped paragraphs and aligned
// tables, at most about 100 columns wide.
func Text(w io.Writer, r *csplanv1.PlanResult) error {
	return doc.WriteText(w, build(r, PlanOptions{}))
}

// Markdown writes r as GitHub-flavoured Markdown.
func Markdown(w io.Writer, r *csplanv1.PlanResult) error {
	return doc.WriteMarkdown(w, build(r, PlanOptions{}))
}
