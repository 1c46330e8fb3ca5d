// Package planner is the planning workflow: a plan file that describes a
// company once (plan.go), the analysis that answers a CS leader's budget
// questions by calling csplan's three services through the Go client
// (analysis.go), and the report as plain data (report.go).
//
// planner imports client, accountcsv (the CRM CSV reader) and the
// generated contract, never server: the same analysis runs against a
// remote server or against services started in-process. Rendering the report (terminal, Markdown, JSON,
// HTML) lives in the report packages beside it, never here.
package planner
