package svgchart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Palette is the default series palette: colour-blind-safe hues (Okabe-Ito
// order, darkened for contrast on white).
var Palette = []string{"#0b6fb8", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#6a3d9a", "#555555"}

// Colours used for thresholds and markers.
const (
	ColorReview   = "#b58900"
	ColorHire     = "#d55e00"
	ColorCritical = "#b00020"
	ColorMarker   = "#444444"
	ColorBand     = "#2e7d32"
	colorAxis     = "#888888"
	colorGrid     = "#e5e5e5"
	colorText     = "#333333"
	colorMuted    = "#666666"
)

const fontSize = 13

// builder accumulates SVG markup. Every attribute value and text node goes
// through esc.
type builder struct {
	strings.Builder
}

func esc(s string) string { return html.EscapeString(s) }

// num formats a coordinate compactly (at most two decimals).
func num(v float64) string {
	if !finite(v) {
		return "0"
	}
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func (b *builder) open(id string, width, height float64, title, desc string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="chart" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-title %s-desc" font-size="%d">`,
		esc(id), num(width), num(height), num(width), num(height), esc(id), esc(id), fontSize)
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

func (b *builder) close() { b.WriteString("</svg>") }

func (b *builder) line(x1, y1, x2, y2 float64, stroke string, width float64, dash string) {
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"`, num(x1), num(y1), num(x2), num(y2), esc(stroke), num(width))
	if dash != "" {
		fmt.Fprintf(b, ` stroke-dasharray="%s"`, esc(dash))
	}
	b.WriteString("/>")
}

func (b *builder) rect(x, y, w, h float64, fill string, opacity float64, tip string) {
	if w < 0 {
		x, w = x+w, -w
	}
	if h < 0 {
		y, h = y+h, -h
	}
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"`, num(x), num(y), num(w), num(h), esc(fill))
	if opacity < 1 {
		fmt.Fprintf(b, ` fill-opacity="%s"`, num(opacity))
	}
	if tip != "" {
		fmt.Fprintf(b, `><title>%s</title></rect>`, esc(tip))
		return
	}
	b.WriteString("/>")
}

func (b *builder) circle(cx, cy, r float64, fill, tip string) {
	fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="%s" fill="%s"`, num(cx), num(cy), num(r), esc(fill))
	if tip != "" {
		fmt.Fprintf(b, `><title>%s</title></circle>`, esc(tip))
		return
	}
	b.WriteString("/>")
}

// text writes a text node; anchor is start, middle or end.
func (b *builder) text(x, y float64, s, anchor, fill string, size int, bold bool) {
	fmt.Fprintf(b, `<text x="%s" y="%s" fill="%s"`, num(x), num(y), esc(fill))
	if anchor != "" && anchor != "start" {
		fmt.Fprintf(b, ` text-anchor="%s"`, esc(anchor))
	}
	if size != 0 && size != fontSize {
		fmt.Fprintf(b, ` font-size="%d"`, size)
	}
	if bold {
		b.WriteString(` font-weight="600"`)
	}
	fmt.Fprintf(b, `>%s</text>`, esc(s))
}

// polyline draws connected points; runs separated by gaps (nil entries)
// become separate polylines.
func (b *builder) polyline(pts [][2]float64, stroke string, width float64) {
	if len(pts) < 2 {
		return
	}
	b.WriteString(`<polyline fill="none" stroke-linejoin="round" stroke-linecap="round" points="`)
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(p[0]))
		b.WriteByte(',')
		b.WriteString(num(p[1]))
	}
	fmt.Fprintf(b, `" stroke="%s" stroke-width="%s"/>`, esc(stroke), num(width))
}

// textWidth estimates the rendered width of s at size px in a sans-serif
// face; good enough to lay out legends and labels.
func textWidth(s string, size int) float64 {
	return float64(len([]rune(s))) * float64(size) * 0.58
}

// truncate shortens s to at most n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	return string(r[:n-1]) + "…"
}

// LegendItem is one entry of a legend.
type LegendItem struct {
	Label string
	Color string
	// Kind is "line", "dash", "box" or "dot".
	Kind string
}

// legend lays items out left to right from (x, y), wrapping at maxX, and
// returns the height used.
func (b *builder) legend(x, y, maxX float64, items []LegendItem) float64 {
	if len(items) == 0 {
		return 0
	}
	const rowH = 18
	cx, cy := x, y
	for _, it := range items {
		w := 22 + textWidth(it.Label, fontSize) + 16
		if cx > x && cx+w > maxX {
			cx = x
			cy += rowH
		}
		switch it.Kind {
		case "dash":
			b.line(cx, cy-4, cx+18, cy-4, it.Color, 2, "5 3")
		case "box":
			b.rect(cx, cy-10, 18, 10, it.Color, 0.35, "")
		case "dot":
			b.circle(cx+9, cy-4, 4, it.Color, "")
		default:
			b.line(cx, cy-4, cx+18, cy-4, it.Color, 2.5, "")
		}
		b.text(cx+22, cy, it.Label, "", colorText, 0, false)
		cx += w
	}
	return cy - y + rowH
}

// legendHeight is the height legend would use, without drawing.
func legendHeight(x, maxX float64, items []LegendItem) float64 {
	var tmp builder
	return tmp.legend(x, 0, maxX, items)
}
