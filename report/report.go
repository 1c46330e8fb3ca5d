package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/report/html"
)

// Formats are the output formats Render knows, the first the default.
var Formats = []string{"text", "markdown", "json", "html"}

// Render writes r in format: "text" (or "table", the CLI's name for it),
// "markdown" (or "md"), "json" or "html".
func Render(w io.Writer, format string, r *planner.Report) error {
	switch format {
	case "text", "table", "":
		return Text(w, r)
	case "markdown", "md":
		return Markdown(w, r)
	case "json":
		return JSON(w, r)
	case "html":
		return html.Render(w, r)
	default:
		return fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats, ", "))
	}
}

// KnownFormat reports whether Render knows format.
func KnownFormat(format string) bool {
	return slices.Contains(Formats, format) || format == "table" || format == "md"
}

// JSON writes r as indented JSON: the shape of planner.Report, every field
// present, zero values included (documented in examples/README.md).
func JSON(w io.Writer, r any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Text writes r for a terminal: headings, wrapped paragraphs and aligned
// tables, at most about 100 columns wide.
func Text(w io.Writer, r *planner.Report) error {
	return writeText(w, build(r))
}

// Markdown writes r as GitHub-flavoured Markdown.
func Markdown(w io.Writer, r *planner.Report) error {
	return writeMarkdown(w, build(r))
}
