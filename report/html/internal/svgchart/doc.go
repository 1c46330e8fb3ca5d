// Package svgchart draws small, self-contained SVG charts: line charts with
// horizontal threshold lines and vertical markers, horizontal bar charts and
// band ("bullet") charts. The output needs no script, font or stylesheet: it
// opens offline and prints.
//
// Every chart carries a <title> and <desc> referenced by aria-labelledby, so
// screen readers announce it, and escapes every piece of text it writes.
// Values that are NaN or infinite are skipped, never written, so the SVG
// never contains "NaN".
//
// The package knows nothing about csplan's reports; it imports only the
// standard library.
package svgchart
