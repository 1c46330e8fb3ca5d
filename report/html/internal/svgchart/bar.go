package svgchart

import (
	"fmt"
	"math"
)

// Bar is one row of a BarChart or BandChart.
type Bar struct {
	Label string
	Value float64
	// Color defaults to the palette (BarChart) or to the value's position
	// against the band (BandChart).
	Color string
	// Note is written after the value label, e.g. "(42% of ARR)".
	Note string
}

// BarChart draws horizontal bars from zero, one row per category, with the
// value written at the end of each bar.
type BarChart struct {
	ID, Title, Desc string
	// Width defaults to 1000; the height follows from the number of bars.
	Width  float64
	Bars   []Bar
	XLabel string
	// XFormat formats ticks and, unless ValueFormat is set, values;
	// default %g.
	XFormat     func(float64) string
	ValueFormat func(float64) string
}

// SVG renders the chart.
func (c BarChart) SVG() string {
	h := hbars{id: c.ID, title: c.Title, desc: c.Desc, width: c.Width, bars: append([]Bar(nil), c.Bars...), xLabel: c.XLabel, format: c.XFormat, valueFormat: c.ValueFormat}
	for i := range h.bars {
		if h.bars[i].Color == "" {
			h.bars[i].Color = Palette[0]
		}
	}
	return h.svg()
}

// BandChart draws each row's value against a shaded target band
// [BandMin, BandMax] (a "bullet" chart): CS cost as a share of revenue
// against the 15-25% band, say. Rows inside the band are green, above it
// red, below it blue, unless they name a colour.
type BandChart struct {
	ID, Title, Desc string
	Width           float64
	BandMin         float64
	BandMax         float64
	// BandLabel names the band in the legend ("Target band").
	BandLabel string
	Rows      []Bar
	XLabel    string
	// XFormat formats ticks and, unless ValueFormat is set, values.
	XFormat     func(float64) string
	ValueFormat func(float64) string
}

// Colours of BandChart rows by position against the band.
const (
	ColorInBand    = "#2e7d32"
	ColorAboveBand = "#c62828"
	ColorBelowBand = "#0b6fb8"
)

// SVG renders the chart.
func (c BandChart) SVG() string {
	h := hbars{id: c.ID, title: c.Title, desc: c.Desc, width: c.Width, bars: append([]Bar(nil), c.Rows...), xLabel: c.XLabel, format: c.XFormat, valueFormat: c.ValueFormat,
		band: true, bandMin: c.BandMin, bandMax: c.BandMax, bandLabel: orDefault(c.BandLabel, "Target band")}
	for i, r := range h.bars {
		if r.Color != "" || !finite(r.Value) {
			continue
		}
		switch {
		case finite(c.BandMax) && r.Value > c.BandMax+1e-12:
			h.bars[i].Color = ColorAboveBand
		case finite(c.BandMin) && r.Value < c.BandMin-1e-12:
			h.bars[i].Color = ColorBelowBand
		default:
			h.bars[i].Color = ColorInBand
		}
	}
	return h.svg()
}

// hbars is the layout shared by BarChart and BandChart.
type hbars struct {
	id, title, desc  string
	width            float64
	bars             []Bar
	xLabel           string
	format           func(float64) string
	valueFormat      func(float64) string
	band             bool
	bandMin, bandMax float64
	bandLabel        string
}

func (c hbars) svg() string {
	w := c.width
	if w <= 0 {
		w = 1000
	}
	f := c.format
	if f == nil {
		f = func(v float64) string { return fmt.Sprintf("%g", v) }
	}
	vf := c.valueFormat
	if vf == nil {
		vf = f
	}
	const rowH, barH = 30.0, 16.0

	lo, hi := 0.0, 0.0
	for _, r := range c.bars {
		if finite(r.Value) {
			lo, hi = math.Min(lo, r.Value), math.Max(hi, r.Value)
		}
	}
	hasBand := c.band && finite(c.bandMin) && finite(c.bandMax) && c.bandMax >= c.bandMin
	if hasBand {
		hi = math.Max(hi, c.bandMax)
		lo = math.Min(lo, c.bandMin)
	}
	ticks := NiceTicks(lo, hi*1.08, 6)
	xMin, xMax := ticks[0], ticks[len(ticks)-1]

	labelW := 0.0
	for _, r := range c.bars {
		labelW = math.Max(labelW, textWidth(truncate(r.Label, 32), fontSize))
	}
	valueW := 0.0
	for _, r := range c.bars {
		valueW = math.Max(valueW, textWidth(valueText(r, vf), fontSize))
	}
	left := math.Max(60, labelW+16)
	right := math.Max(20, valueW+12)
	var items []LegendItem
	if hasBand {
		items = append(items, LegendItem{Label: c.bandLabel + " (" + f(c.bandMin) + " to " + f(c.bandMax) + ")", Color: ColorBand, Kind: "box"},
			LegendItem{Label: "within", Color: ColorInBand, Kind: "dot"},
			LegendItem{Label: "above", Color: ColorAboveBand, Kind: "dot"},
			LegendItem{Label: "below", Color: ColorBelowBand, Kind: "dot"})
	}
	top := 10.0
	if len(items) > 0 {
		top += legendHeight(left, w-right, items) + 14
	}
	rows := max(1, len(c.bars))
	ph := float64(rows) * rowH
	bottom := 36.0
	if c.xLabel != "" {
		bottom += 16
	}
	h := top + ph + bottom
	pw := w - left - right
	xAt := func(v float64) float64 { return left + (v-xMin)/(xMax-xMin)*pw }

	var b builder
	b.open(c.id, w, h, c.title, c.desc)
	if len(items) > 0 {
		b.legend(left, 24, w-right, items)
	}
	for _, t := range ticks {
		x := xAt(t)
		b.line(x, top, x, top+ph, colorGrid, 1, "")
		b.text(x, top+ph+17, f(t), "middle", colorMuted, 12, false)
	}
	if c.xLabel != "" {
		b.text(left+pw/2, top+ph+34, c.xLabel, "middle", colorMuted, 0, false)
	}
	if hasBand {
		x1, x2 := xAt(c.bandMin), xAt(c.bandMax)
		b.rect(x1, top, x2-x1, ph, ColorBand, 0.14, c.bandLabel+": "+f(c.bandMin)+" to "+f(c.bandMax))
		b.line(x1, top, x1, top+ph, ColorBand, 1.25, "4 3")
		b.line(x2, top, x2, top+ph, ColorBand, 1.25, "4 3")
	}
	if len(c.bars) == 0 {
		b.text(left+pw/2, top+ph/2+4, "No data", "middle", colorMuted, 14, false)
	}
	zero := xAt(math.Max(xMin, math.Min(0, xMax)))
	for i, r := range c.bars {
		yc := top + float64(i)*rowH + rowH/2
		b.text(left-8, yc+4, truncate(r.Label, 32), "end", colorText, 0, false)
		if !finite(r.Value) {
			b.text(zero+6, yc+4, "n/a", "", colorMuted, 0, false)
			continue
		}
		x := xAt(r.Value)
		tip := r.Label + ": " + valueText(r, vf)
		if c.band {
			// A thin bar with a marker at the value reads as a position
			// against the band rather than a quantity.
			b.rect(zero, yc-3, x-zero, 6, r.Color, 0.55, "")
			b.circle(x, yc, 6, r.Color, tip)
		} else {
			b.rect(zero, yc-barH/2, x-zero, barH, r.Color, 1, tip)
		}
		anchor, tx := "", math.Max(x, zero)+10
		if r.Value < 0 {
			anchor, tx = "end", x-8
		}
		b.text(tx, yc+4, valueText(r, vf), anchor, colorText, 0, true)
	}
	b.line(zero, top, zero, top+ph, colorAxis, 1, "")
	b.line(left, top+ph, left+pw, top+ph, colorAxis, 1, "")
	b.close()
	return b.String()
}

func valueText(r Bar, f func(float64) string) string {
	s := "n/a"
	if finite(r.Value) {
		s = f(r.Value)
	}
	if r.Note != "" {
		s += " " + r.Note
	}
	return s
}
