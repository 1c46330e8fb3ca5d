// Package report renders a PlanResult for people and programs: an aligned
// terminal report readable in 100 columns, Markdown, the protojson the REST
// route gives, and (through report/html) one self-contained HTML file with
// charts; and a book analysis or a rebalancing on its own (RenderBook,
// RenderRebalance), or in the plan's report. All of them are laid out from one document (report/doc), so each
// shows the same figures; the package formats the service's figures and
// computes none.
package report
