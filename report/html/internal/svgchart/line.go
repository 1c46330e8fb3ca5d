package svgchart

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Series is one line of a LineChart: one value per X label. A NaN or
// infinite value leaves a gap.
type Series struct {
	Name   string
	Values []float64
	// Color defaults to the palette entry of the series' position.
	Color string
}

// HLine is a horizontal reference line, such as a threshold, labelled at
// the right edge of the plot.
type HLine struct {
	Label string
	Value float64
	Color string
}

// Marker is a vertical line at a position on the X axis, in units of X
// label index (fractions allowed). Markers outside the axis are drawn at the
// nearest edge. Markers at the same position share a line and a label.
type Marker struct {
	At     float64
	Label  string
	Color  string
	Dashed bool
}

// Span shades the X interval [From, To], in units of X label index.
type Span struct {
	From, To float64
	Label    string
	Color    string
}

// LineChart plots series over categorical X labels (months, say).
type LineChart struct {
	// ID is the SVG element's id; its title and desc get "-title" and
	// "-desc" appended.
	ID    string
	Title string
	// Desc is the text alternative a screen reader announces.
	Desc string
	// Width and Height default to 1000 and 360: about the size the chart
	// is shown at, so its text is drawn near its nominal size.
	Width, Height float64
	XLabels       []string
	YLabel        string
	// YFormat formats tick labels and tooltips; default %g.
	YFormat func(float64) string
	Series  []Series
	HLines  []HLine
	Markers []Marker
	Spans   []Span
	// Legend lists extra legend entries (for markers and spans) after the
	// series and lines.
	Legend []LegendItem
}

// SVG renders the chart.
func (c LineChart) SVG() string {
	w, h := c.Width, c.Height
	if w <= 0 {
		w = 1000
	}
	if h <= 0 {
		h = 360
	}
	yf := c.YFormat
	if yf == nil {
		yf = func(v float64) string { return fmt.Sprintf("%g", v) }
	}
	n := len(c.XLabels)
	for _, s := range c.Series {
		n = max(n, len(s.Values))
	}

	// Y range from data and reference lines, always including zero.
	lo, hi := 0.0, math.Inf(-1)
	hasData := false
	for _, s := range c.Series {
		for _, v := range s.Values {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
				hasData = true
			}
		}
	}
	for _, l := range c.HLines {
		if finite(l.Value) {
			lo, hi = math.Min(lo, l.Value), math.Max(hi, l.Value)
		}
	}
	if !finite(hi) {
		hi = 0
	}
	ticks := NiceTicks(lo, hi*1.05, 6)
	yMin, yMax := ticks[0], ticks[len(ticks)-1]

	// Legend entries: series, reference lines, then the caller's extras.
	var items []LegendItem
	for i, s := range c.Series {
		items = append(items, LegendItem{Label: s.Name, Color: seriesColor(s.Color, i), Kind: "line"})
	}
	for _, l := range c.HLines {
		if finite(l.Value) {
			items = append(items, LegendItem{Label: l.Label + " (" + yf(l.Value) + ")", Color: orDefault(l.Color, colorMuted), Kind: "dash"})
		}
	}
	items = append(items, c.Legend...)

	// Margins.
	tickW := 0.0
	for _, t := range ticks {
		tickW = math.Max(tickW, textWidth(yf(t), fontSize))
	}
	left := tickW + 14
	if c.YLabel != "" {
		left += 18
	}
	right := 16.0
	for _, l := range c.HLines {
		if finite(l.Value) {
			right = math.Max(right, textWidth(yf(l.Value), 11)+12)
		}
	}
	top := 12 + legendHeight(left, w-right, items) + 14
	bottom := 30.0
	pw, ph := w-left-right, h-top-bottom

	xAt := func(i float64) float64 {
		if n <= 1 {
			return left + pw/2
		}
		i = math.Max(0, math.Min(float64(n-1), i))
		return left + i*pw/float64(n-1)
	}
	yAt := func(v float64) float64 {
		return top + ph - (v-yMin)/(yMax-yMin)*ph
	}

	var b builder
	b.open(c.ID, w, h, c.Title, c.Desc)
	b.legend(left, 24, w-right, items)

	// Grid and Y ticks.
	for _, t := range ticks {
		y := yAt(t)
		b.line(left, y, left+pw, y, colorGrid, 1, "")
		b.text(left-6, y+4, yf(t), "end", colorMuted, 0, false)
	}
	if c.YLabel != "" {
		fmt.Fprintf(&b, `<text transform="translate(%s %s) rotate(-90)" text-anchor="middle" fill="%s">%s</text>`,
			num(14), num(top+ph/2), colorMuted, esc(c.YLabel))
	}

	// Spans under everything else.
	for _, s := range c.Spans {
		if !finite(s.From) || !finite(s.To) {
			continue
		}
		x1, x2 := xAt(s.From), xAt(s.To)
		b.rect(x1, top, x2-x1, ph, orDefault(s.Color, ColorMarker), 0.1, s.Label)
	}

	// X axis and thinned labels.
	b.line(left, top+ph, left+pw, top+ph, colorAxis, 1, "")
	if n > 0 {
		labelW := 0.0
		for _, l := range c.XLabels {
			labelW = math.Max(labelW, textWidth(l, 12))
		}
		slots := max(1, int(pw/(labelW+12)))
		step := max(1, int(math.Ceil(float64(n)/float64(slots))))
		for i := 0; i < n; i += step {
			x := xAt(float64(i))
			b.line(x, top+ph, x, top+ph+4, colorAxis, 1, "")
			if i < len(c.XLabels) {
				b.text(x, top+ph+17, c.XLabels[i], "middle", colorMuted, 12, false)
			}
		}
	}

	if !hasData {
		b.text(left+pw/2, top+ph/2, "No data", "middle", colorMuted, 14, false)
	}

	// Reference lines with labels nudged apart at the right edge.
	type lab struct {
		y     float64
		text  string
		color string
	}
	var labs []lab
	for _, l := range c.HLines {
		if !finite(l.Value) {
			continue
		}
		y := yAt(l.Value)
		col := orDefault(l.Color, colorMuted)
		b.line(left, y, left+pw, y, col, 1.5, "6 4")
		labs = append(labs, lab{y + 4, yf(l.Value), col})
	}
	sort.Slice(labs, func(i, j int) bool { return labs[i].y < labs[j].y })
	for i := 1; i < len(labs); i++ {
		if labs[i].y-labs[i-1].y < 12 {
			labs[i].y = labs[i-1].y + 12
		}
	}
	for _, l := range labs {
		b.text(left+pw+5, l.y, l.text, "", l.color, 11, true)
	}

	// Markers, grouped by position.
	type group struct {
		x      float64
		labels []string
		color  string
		dashed bool
	}
	var groups []*group
	byX := map[string]*group{}
	for _, m := range c.Markers {
		if !finite(m.At) {
			continue
		}
		x := xAt(m.At)
		key := num(x)
		g := byX[key]
		if g == nil {
			g = &group{x: x, color: orDefault(m.Color, ColorMarker), dashed: m.Dashed}
			byX[key] = g
			groups = append(groups, g)
		}
		if m.Label != "" {
			g.labels = append(g.labels, m.Label)
		}
	}
	// Labels run vertically beside their line; one that would overlap its
	// left neighbour's is left out (the line keeps it as a tooltip).
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].x < groups[j].x })
	lastLabel := math.Inf(-1)
	for _, g := range groups {
		dash := ""
		if g.dashed {
			dash = "4 3"
		}
		b.line(g.x, top, g.x, top+ph, g.color, 1.25, dash)
		if len(g.labels) > 0 {
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="6" height="%s" fill="transparent"><title>%s</title></rect>`,
				num(g.x-3), num(top), num(ph), esc(strings.Join(g.labels, ", ")))
		}
		if len(g.labels) > 0 && g.x-lastLabel >= 14 {
			lastLabel = g.x
			label := truncate(strings.Join(g.labels, ", "), int(ph/(11*0.58))-1)
			// Rotated to run down the right side of the line, clear of
			// the Y axis when the marker sits on it.
			fmt.Fprintf(&b, `<text transform="translate(%s %s) rotate(-90)" text-anchor="end" font-size="11" fill="%s">%s</text>`,
				num(g.x+12), num(top+4), esc(g.color), esc(label))
		}
	}

	// Series.
	for i, s := range c.Series {
		col := seriesColor(s.Color, i)
		var run [][2]float64
		flush := func() {
			if len(run) == 1 {
				b.circle(run[0][0], run[0][1], 3, col, "")
			}
			b.polyline(run, col, 2.5)
			run = run[:0]
		}
		for j, v := range s.Values {
			if !finite(v) {
				flush()
				continue
			}
			run = append(run, [2]float64{xAt(float64(j)), yAt(v)})
		}
		flush()
		// Hover targets with the exact value.
		for j, v := range s.Values {
			if !finite(v) {
				continue
			}
			label := ""
			if j < len(c.XLabels) {
				label = c.XLabels[j] + ": "
			}
			r := 2.0
			if n > 40 {
				r = 1.2
			}
			b.circle(xAt(float64(j)), yAt(v), r, col, s.Name+" "+label+yf(v))
		}
	}
	b.line(left, top, left, top+ph, colorAxis, 1, "")
	b.close()
	return b.String()
}

func seriesColor(c string, i int) string {
	if c != "" {
		return c
	}
	return Palette[i%len(Palette)]
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
