// Package report renders a planner.Report for people and programs: an
// aligned terminal report readable in 100 columns, Markdown, JSON, and
// (through report/html) one self-contained HTML file with charts. It reads
// the report as data and never calls the services.
package report
