package svgchart

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		max    int
		want   []float64
	}{
		{0, 73, 6, []float64{0, 20, 40, 60, 80}},
		{0, 1, 6, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 0.27, 6, []float64{0, 0.1, 0.2, 0.3}},
		{0, 0.23, 6, []float64{0, 0.05, 0.1, 0.15, 0.2, 0.25}},
		{0, 2_100_000, 6, []float64{0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000}},
		{-12, 37, 6, []float64{-20, -10, 0, 10, 20, 30, 40}},
		{0, 0, 6, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{5, 5, 6, []float64{0, 1, 2, 3, 4, 5}},
		{math.NaN(), 3, 6, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, math.Inf(1), 6, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{10, 0, 3, []float64{0, 5, 10}},
	}
	for _, tt := range tests {
		got := NiceTicks(tt.lo, tt.hi, tt.max)
		if !slices.Equal(got, tt.want) {
			t.Errorf("NiceTicks(%v, %v, %d) = %v, want %v", tt.lo, tt.hi, tt.max, got, tt.want)
		}
	}
}

func TestNiceTicksCoverRange(t *testing.T) {
	for _, r := range [][2]float64{{0, 1e-7}, {3, 1e12}, {0.001, 0.0013}, {-5e6, -4e6}, {17, 1234}} {
		got := NiceTicks(r[0], r[1], 6)
		if len(got) < 2 || len(got) > 12 {
			t.Errorf("NiceTicks(%v, %v) = %v: want 2 to 12 ticks", r[0], r[1], got)
			continue
		}
		if got[0] > r[0] || got[len(got)-1] < r[1] {
			t.Errorf("NiceTicks(%v, %v) = %v: does not cover the range", r[0], r[1], got)
		}
	}
}

// checkSVG asserts that s is one well-formed SVG element with an accessible
// title, and free of NaN and Inf.
func checkSVG(t *testing.T, s, id string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	var root string
	titles := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, s)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
				var gotID, labelled string
				for _, a := range se.Attr {
					switch a.Name.Local {
					case "id":
						gotID = a.Value
					case "aria-labelledby":
						labelled = a.Value
					}
				}
				if gotID != id || labelled != id+"-title "+id+"-desc" {
					t.Errorf("root id = %q, aria-labelledby = %q; want %q", gotID, labelled, id)
				}
			}
			if se.Name.Local == "title" {
				titles++
			}
		}
	}
	if root != "svg" {
		t.Errorf("root element = %q, want svg", root)
	}
	if titles == 0 {
		t.Error("SVG has no <title>")
	}
	for _, bad := range []string{"NaN", "Inf"} {
		if strings.Contains(s, bad) {
			t.Errorf("SVG contains %q:\n%s", bad, s)
		}
	}
}

func TestLineChart(t *testing.T) {
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun"}
	c := LineChart{
		ID: "load", Title: "Accounts per CSM", Desc: "Load against thresholds",
		XLabels: months, YLabel: "accounts",
		Series:  []Series{{Name: "Accounts per effective CSM", Values: []float64{40, 44, math.NaN(), 52, 57, math.Inf(1)}}},
		HLines:  []HLine{{Label: "Review", Value: 30, Color: ColorReview}, {Label: "Hire", Value: 50, Color: ColorHire}, {Label: "Critical", Value: 75, Color: ColorCritical}},
		Markers: []Marker{{At: -2, Label: "Requisition 1"}, {At: 3, Label: "Ramped 1", Dashed: true}, {At: 3, Label: "Requisition 2"}},
		Spans:   []Span{{From: 1, To: 3, Label: "Ramp of hire 1"}},
	}
	s := c.SVG()
	checkSVG(t, s, "load")
	for _, want := range []string{"Review (30)", "Critical (75)", "Ramped 1, Requisition 2", "Requisition 1", "Ramp of hire 1", "Jan", "accounts"} {
		if !strings.Contains(s, want) {
			t.Errorf("line chart lacks %q", want)
		}
	}
	// The gap splits the series into two runs; the infinite value is skipped.
	if got := strings.Count(s, "<polyline"); got != 2 {
		t.Errorf("line chart has %d polylines, want 2 (a NaN gap)", got)
	}
}

func TestLineChartDegenerate(t *testing.T) {
	tests := []struct {
		name string
		c    LineChart
		want string
	}{
		{"empty", LineChart{ID: "e"}, "No data"},
		{"no values", LineChart{ID: "e", XLabels: []string{"Jan"}, Series: []Series{{Name: "s"}}}, "No data"},
		{"all NaN", LineChart{ID: "e", XLabels: []string{"Jan", "Feb"}, Series: []Series{{Name: "s", Values: []float64{math.NaN(), math.NaN()}}}}, "No data"},
		{"single point", LineChart{ID: "e", XLabels: []string{"Jan"}, Series: []Series{{Name: "s", Values: []float64{12}}}}, "<circle"},
		{"zeros", LineChart{ID: "e", XLabels: []string{"Jan", "Feb"}, Series: []Series{{Name: "s", Values: []float64{0, 0}}}}, "<polyline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.c.SVG()
			checkSVG(t, s, "e")
			if !strings.Contains(s, tt.want) {
				t.Errorf("SVG lacks %q:\n%s", tt.want, s)
			}
		})
	}
}

func TestLineChartDenseMarkersKeepLabelsApart(t *testing.T) {
	labels := make([]string, 120)
	var markers []Marker
	for i := range labels {
		labels[i] = "m"
		markers = append(markers, Marker{At: float64(i), Label: "Req " + strconv.Itoa(i+1)})
	}
	s := LineChart{ID: "d", XLabels: labels, Markers: markers}.SVG()
	checkSVG(t, s, "d")
	drawn := regexp.MustCompile(`rotate\(-90\)[^>]*>Req \d+</text>`).FindAllString(s, -1)
	if len(drawn) == 0 || len(drawn) > 1000/14+1 {
		t.Errorf("%d marker labels drawn for 120 markers 8 px apart, want 1 to %d", len(drawn), 1000/14+1)
	}
	if !strings.Contains(s, "<title>Req 120</title>") {
		t.Error("a marker whose label is left out has no tooltip")
	}
}

func TestLineChartManyMonthsThinsLabels(t *testing.T) {
	labels := make([]string, 120)
	vals := make([]float64, 120)
	for i := range labels {
		labels[i] = "M" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		vals[i] = float64(i)
	}
	s := LineChart{ID: "m", XLabels: labels, Series: []Series{{Name: "s", Values: vals}}}.SVG()
	checkSVG(t, s, "m")
	// 1000 px wide, labels of about 20 px plus 12 px of space: at most 31.
	if got := len(regexp.MustCompile(`>M[A-Z][a-z]</text>`).FindAllString(s, -1)); got > 31 || got < 4 {
		t.Errorf("120 months show %d axis labels, want between 4 and 31", got)
	}
}

func TestBarChart(t *testing.T) {
	c := BarChart{ID: "arr", Title: "ARR by segment", Desc: "d", XFormat: func(v float64) string { return "$" + trimFloat(v/1e6) + "M" },
		Bars: []Bar{{Label: "Enterprise", Value: 6e6, Note: "(60%)"}, {Label: "<script>alert(1)</script>", Value: 4e6}, {Label: "Empty", Value: math.NaN()}}}
	s := c.SVG()
	checkSVG(t, s, "arr")
	if strings.Contains(s, "<script>") {
		t.Error("bar chart writes a label unescaped")
	}
	for _, want := range []string{"Enterprise", "$6M (60%)", "&lt;script&gt;", "n/a"} {
		if !strings.Contains(s, want) {
			t.Errorf("bar chart lacks %q", want)
		}
	}
	checkSVG(t, BarChart{ID: "none"}.SVG(), "none")
}

func TestBandChart(t *testing.T) {
	c := BandChart{ID: "cost", Title: "CS cost share", Desc: "d", BandMin: 0.15, BandMax: 0.25,
		XFormat: func(v float64) string { return trimFloat(v*100) + "%" },
		Rows:    []Bar{{Label: "Plan", Value: 0.31}, {Label: "Reduce coverage", Value: 0.25}, {Label: "Lean", Value: 0.1}}}
	s := c.SVG()
	checkSVG(t, s, "cost")
	for _, want := range []string{"Target band (15% to 25%)", "31%", ColorAboveBand, ColorInBand, ColorBelowBand} {
		if !strings.Contains(s, want) {
			t.Errorf("band chart lacks %q", want)
		}
	}
	checkSVG(t, BandChart{ID: "nb", BandMin: math.NaN(), BandMax: 0.2}.SVG(), "nb")
}

func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
