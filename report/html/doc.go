// Package html writes the plan's report as one self-contained HTML5 page:
// the document package report lays out (the same headings, sentences and
// tables as the text and Markdown report), with charts where the
// document places them: load per effective CSM with and without the
// plan's hires, headcount and the need, the cost share against the band,
// cost and hires by fiscal quarter; and for a book, the heat map of
// utilization, each segment's need, the renewal calendar, and a
// rebalancing's CSMs before and after (coloured as the heat map) and its
// frontier.
//
// Styles and charts are inline (SVG drawn by internal/svgchart), so the
// file opens offline and prints; it loads no script, font, stylesheet or
// image. All text goes through html/template and is escaped. The package
// formats the PlanResult's figures and computes none.
package html
