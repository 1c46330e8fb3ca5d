package html

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/csplan/csplan/planner"
)

var writeSample = flag.String("write-sample", "", "write the sample report's HTML to this file")

func render(t *testing.T, r *planner.Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r); err != nil {
		t.Fatalf("Render() = %v", err)
	}
	return buf.String()
}

func TestRenderSample(t *testing.T) {
	out := render(t, sampleReport())
	if *writeSample != "" {
		if err := os.WriteFile(*writeSample, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc := parse(t, out)

	// The three charts, by id, each an accessible SVG image.
	for _, id := range []string{"chart-load-0-accounts", "chart-load-0-arr", "chart-load-1-accounts", "chart-load-1-arr", "chart-arr-by-segment", "chart-cost-share"} {
		n := byID(doc, id)
		if n == nil {
			t.Errorf("no element with id %q", id)
			continue
		}
		if n.Data != "svg" || attr(n, "role") != "img" || attr(n, "aria-labelledby") == "" {
			t.Errorf("#%s = <%s role=%q aria-labelledby=%q>, want an svg image with a label", id, n.Data, attr(n, "role"), attr(n, "aria-labelledby"))
		}
	}

	// The figures a leader acts on.
	text := textOf(doc)
	for _, want := range []string{
		"Northwind Analytics",
		"Hire now",                     // verdict
		"ARR per CSM of $3.1M is over", // a reason
		"Open the Enterprise requisition now",
		"Jan 2026", "Apr 2026", "Sep 2026", // requisitions' open-by months
		"Due now", "Upcoming",
		"$18,450,000",  // book ARR
		"26.8%",        // coverage cost share
		"15%–25%",      // band
		"104.44 hours", // available hours
		"7.25",         // hours per account
		"Accounts per CSM",
		"Overdue", "5 mo late",
		"Suggested revenue tiers",
		"Cover subset", "Reduce coverage", "× 1.081",
		"$159,327", // first-year cost
		"$199,159", // payback ARR
		"timeline.time_to_hire_months", "seed 004",
		"Unassigned",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	// The load chart marks each hire of the plan.
	load := render1(byID(doc, "chart-load-1-accounts"))
	for _, want := range []string{"Req 1", "Req 2", "Ramped 1", "Ramped 2", "Review (125)", "Hire (200)", "Critical (300)"} {
		if !strings.Contains(load, want) {
			t.Errorf("Mid-Market load chart lacks %q", want)
		}
	}
	if ent := render1(byID(doc, "chart-load-0-accounts")); !strings.Contains(ent, "Planned start") {
		t.Error("Enterprise load chart does not mark the planned hire")
	}
	cost := render1(byID(doc, "chart-cost-share"))
	for _, want := range []string{"Current team", "Option: Cover subset", "Target band (15% to 25%)"} {
		if !strings.Contains(cost, want) {
			t.Errorf("cost share chart lacks %q", want)
		}
	}
	if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
		t.Error("output contains NaN or Inf")
	}
	checkOffline(t, doc)
	// The only URL is the SVG namespace name, which is never fetched.
	rest := strings.ReplaceAll(out, `xmlns="http://www.w3.org/2000/svg"`, "")
	for _, scheme := range []string{"http://", "https://"} {
		if i := strings.Index(rest, scheme); i >= 0 {
			t.Errorf("output refers to %q", rest[i:min(len(rest), i+60)])
		}
	}
}

func TestRenderEscapesHostileText(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	r := sampleReport()
	r.Company = evil
	r.Summary.Segments[0].Name = evil
	r.Summary.Reasons = append(r.Summary.Reasons, evil)
	r.Summary.Requisitions[0].Segment = evil
	r.Forecast.Segments[0].Name = evil
	r.Segmentation.Segments[0].Name = evil
	r.Coverage.Options[0].Description = evil
	r.Assumptions[0].Value = `"><img src=x onerror=alert(1)>`
	r.Currency = `<b>`
	out := render(t, r)
	if strings.Contains(out, "<script") {
		t.Error("a <script> element reached the output")
	}
	if strings.Contains(out, "<img") || strings.Contains(out, "<b>") {
		t.Error("markup from the report reached the output unescaped")
	}
	doc := parse(t, out)
	if !strings.Contains(textOf(doc), evil) {
		t.Error("the hostile name is not shown as text")
	}
	var scripts int
	walk(doc, func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && (n.Data == "script" || n.Data == "img") {
			scripts++
		}
	})
	if scripts != 0 {
		t.Errorf("document has %d script or img elements, want 0", scripts)
	}
}

func TestRenderEmptyReport(t *testing.T) {
	out := render(t, &planner.Report{})
	doc := parse(t, out)
	for _, id := range []string{"chart-arr-by-segment", "chart-cost-share"} {
		if byID(doc, id) == nil {
			t.Errorf("empty report lacks #%s", id)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Error("empty report contains NaN")
	}
	checkOffline(t, doc)
}

func TestRenderSinglePointForecast(t *testing.T) {
	r := sampleReport()
	for i := range r.Forecast.Segments {
		r.Forecast.Segments[i].Months = r.Forecast.Segments[i].Months[:1]
	}
	r.Forecast.Segments[0].Months[0].EffectiveCSMs = 0 // no one in seat
	out := render(t, r)
	parse(t, out)
	if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
		t.Error("output contains NaN or Inf")
	}
}

func TestRenderNil(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, nil); err == nil {
		t.Error("Render(nil) = nil error, want an error")
	}
	if buf.Len() != 0 {
		t.Errorf("Render(nil) wrote %d bytes", buf.Len())
	}
}

// checkOffline asserts the document loads nothing: no script at all, no
// external stylesheet, image, font or frame.
func checkOffline(t *testing.T, doc *xhtml.Node) {
	t.Helper()
	walk(doc, func(n *xhtml.Node) {
		if n.Type != xhtml.ElementNode {
			return
		}
		switch n.Data {
		case "script", "link", "img", "iframe", "object", "embed":
			t.Errorf("document has a <%s> element", n.Data)
		}
		for _, a := range n.Attr {
			v := strings.ToLower(a.Val)
			if (a.Key == "src" || a.Key == "href" || a.Key == "xlink:href") && (strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "//")) {
				t.Errorf("<%s %s=%q> loads from the network", n.Data, a.Key, a.Val)
			}
		}
		if n.Data == "style" && n.FirstChild != nil {
			css := strings.ToLower(n.FirstChild.Data)
			if strings.Contains(css, "url(") || strings.Contains(css, "@import") {
				t.Error("the stylesheet loads a resource")
			}
		}
	})
}

func parse(t *testing.T, s string) *xhtml.Node {
	t.Helper()
	if !strings.HasPrefix(s, "<!DOCTYPE html>") {
		t.Errorf("output does not start with the HTML5 doctype: %.40q", s)
	}
	doc, err := xhtml.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("output does not parse as HTML: %v", err)
	}
	return doc
}

func walk(n *xhtml.Node, f func(*xhtml.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func byID(doc *xhtml.Node, id string) *xhtml.Node {
	var found *xhtml.Node
	walk(doc, func(n *xhtml.Node) {
		if found == nil && n.Type == xhtml.ElementNode && attr(n, "id") == id {
			found = n
		}
	})
	return found
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf is the document's text, whitespace collapsed.
func textOf(n *xhtml.Node) string {
	var b strings.Builder
	walk(n, func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode && (n.Parent == nil || n.Parent.Data != "style") {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// render1 is a node's subtree as HTML, "" for nil.
func render1(n *xhtml.Node) string {
	if n == nil {
		return ""
	}
	var b bytes.Buffer
	if err := xhtml.Render(&b, n); err != nil {
		return ""
	}
	return b.String()
}
