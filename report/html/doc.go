// Package html renders a planner.Report as one self-contained HTML5 page: a
// summary a CS leader can act on (CSMs needed now and in 12 months, the
// binding factor, requisitions, CS cost share against the band, the hiring
// verdict), then every section of the analysis in detail, with charts of
// load against the thresholds, ARR by segment and cost share against the
// band.
//
// Styles and charts are inline (the charts are SVG drawn by
// internal/svgchart), so the file opens offline and prints; it loads no
// script, font, stylesheet or image. All report text goes through
// html/template and is escaped.
//
// The package reads the report as data: it imports planner for its types
// only and never calls the services, the client or the server.
package html
