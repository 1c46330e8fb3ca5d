// Package doc is the report's content laid out once, as headings,
// paragraphs, lists, tables and chart places, and its text and Markdown
// writers; the HTML writer reads the same document, so that every format
// shows the same figures.
package doc

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// Document is a report's content in order.
type Document []Block

// Block is a Heading, Para, TextPara, Bullets, *Table or Chart.
type Block interface{ isBlock() }

// Heading is a section title; level 1 is the report's.
type Heading struct {
	Level int
	Text  string
}

// Para is a paragraph; **bold** and `code` are its only markup.
type Para string

// TextPara is a paragraph only the text and Markdown writers show: the
// key to a TextOnly column, which the HTML draws otherwise.
type TextPara string

// Bullets is a list.
type Bullets []string

// Table is a table; Right marks the columns aligned right (numbers).
type Table struct {
	Head  []string
	Right []bool
	Rows  [][]string
	// Total marks the last row as a total (bold in Markdown, ruled in
	// text).
	Total bool
	// TextOnly marks the columns that only the text and Markdown writers
	// show, because the HTML writer draws them as a chart beside the
	// table (a utilization strip, where the HTML has its heat map).
	TextOnly []bool
}

// Chart is the place of a chart, by name: the HTML writer draws it, the
// text and Markdown writers skip it (the table beside it holds its
// figures).
type Chart string

func (Heading) isBlock()  {}
func (Para) isBlock()     {}
func (TextPara) isBlock() {}
func (Bullets) isBlock()  {}
func (*Table) isBlock()   {}
func (Chart) isBlock()    {}

// H adds a heading.
func (d *Document) H(level int, text string) { *d = append(*d, Heading{level, text}) }

// P adds a paragraph.
func (d *Document) P(text string) { *d = append(*d, Para(text)) }

// TextP adds a paragraph only text and Markdown show.
func (d *Document) TextP(text string) { *d = append(*d, TextPara(text)) }

// List adds a list, unless it is empty.
func (d *Document) List(items ...string) {
	if len(items) > 0 {
		*d = append(*d, Bullets(items))
	}
}

// Add adds a table, unless it has no rows.
func (d *Document) Add(t *Table) {
	if len(t.Rows) > 0 {
		*d = append(*d, t)
	}
}

// Chart adds the place of a chart.
func (d *Document) Chart(name string) { *d = append(*d, Chart(name)) }

// NewTable makes a table; a header starting with ">" is right-aligned.
func NewTable(head ...string) *Table {
	t := &Table{}
	for _, h := range head {
		right := strings.HasPrefix(h, ">")
		t.Head = append(t.Head, strings.TrimPrefix(h, ">"))
		t.Right = append(t.Right, right)
	}
	return t
}

// Row adds a row.
func (t *Table) Row(cells ...string) { t.Rows = append(t.Rows, cells) }

// MarkTextOnly marks column i as one only text and Markdown show.
func (t *Table) MarkTextOnly(i int) {
	for len(t.TextOnly) <= i {
		t.TextOnly = append(t.TextOnly, false)
	}
	t.TextOnly[i] = true
}

// IsTextOnly reports whether column i is one only text and Markdown show.
func (t *Table) IsTextOnly(i int) bool { return i < len(t.TextOnly) && t.TextOnly[i] }

// textWidth is the terminal report's width.
const textWidth = 100

// WriteText writes d for a terminal, about 100 columns wide.
func WriteText(w io.Writer, d Document) error {
	bw := bufio.NewWriter(w)
	for i, b := range withoutCharts(d) {
		if i > 0 {
			bw.WriteString("\n")
		}
		switch b := b.(type) {
		case Heading:
			bw.WriteString(strings.ToUpper(b.Text[:1]) + b.Text[1:] + "\n")
			ch := "="
			if b.Level > 1 {
				ch = "-"
			}
			if b.Level > 2 {
				ch = "."
			}
			bw.WriteString(strings.Repeat(ch, utf8.RuneCountInString(b.Text)) + "\n")
		case Para:
			for _, l := range wrap(Plain(string(b)), textWidth) {
				bw.WriteString(l + "\n")
			}
		case TextPara:
			for _, l := range wrap(Plain(string(b)), textWidth) {
				bw.WriteString(l + "\n")
			}
		case Bullets:
			for _, item := range b {
				for j, l := range wrap(Plain(item), textWidth-2) {
					if j == 0 {
						bw.WriteString("- " + l + "\n")
					} else {
						bw.WriteString("  " + l + "\n")
					}
				}
			}
		case *Table:
			writeTextTable(bw, b)
		}
	}
	return bw.Flush()
}

func writeTextTable(w *bufio.Writer, t *Table) {
	widths := make([]int, len(t.Head))
	for i, h := range t.Head {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(Plain(c)))
		}
	}
	// A table wider than the terminal narrows its widest text columns
	// (never below 16 runes nor below their longest word) and wraps
	// their cells onto more lines.
	floor := make([]int, len(widths))
	for i := range floor {
		floor[i] = 16
	}
	for _, r := range t.Rows {
		for i, c := range r {
			for _, word := range strings.Fields(Plain(c)) {
				floor[i] = max(floor[i], utf8.RuneCountInString(word))
			}
		}
	}
	total := 2 * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	for total > textWidth {
		widest := -1
		for i, w := range widths {
			if !t.Right[i] && w > floor[i] && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		widths[widest]--
		total--
	}
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range cells {
			pad := strings.Repeat(" ", max(0, widths[i]-utf8.RuneCountInString(c)))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.Right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		w.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
	wrapped := func(cells []string) {
		parts := make([][]string, len(cells))
		height := 1
		for i, c := range cells {
			c = Plain(c)
			if utf8.RuneCountInString(c) > widths[i] {
				parts[i] = wrap(c, widths[i])
			} else {
				parts[i] = []string{c}
			}
			height = max(height, len(parts[i]))
		}
		for l := 0; l < height; l++ {
			row := make([]string, len(cells))
			for i, p := range parts {
				if l < len(p) {
					row[i] = p[l]
				}
			}
			line(row)
		}
	}
	head := make([]string, len(t.Head))
	for i, h := range t.Head {
		head[i] = strings.ToUpper(h)
	}
	line(head)
	for i, r := range t.Rows {
		if t.Total && i == len(t.Rows)-1 {
			rule := make([]string, len(r))
			for j := range rule {
				rule[j] = strings.Repeat("-", widths[j])
			}
			line(rule)
		}
		wrapped(r)
	}
}

// WriteMarkdown writes d as GitHub-flavoured Markdown.
func WriteMarkdown(w io.Writer, d Document) error {
	bw := bufio.NewWriter(w)
	for i, b := range withoutCharts(d) {
		if i > 0 {
			bw.WriteString("\n")
		}
		switch b := b.(type) {
		case Heading:
			bw.WriteString(strings.Repeat("#", b.Level) + " " + b.Text + "\n")
		case Para:
			bw.WriteString(string(b) + "\n")
		case TextPara:
			bw.WriteString(string(b) + "\n")
		case Bullets:
			for _, item := range b {
				bw.WriteString("- " + item + "\n")
			}
		case *Table:
			cell := func(c string) string { return strings.ReplaceAll(c, "|", `\|`) }
			bw.WriteString("|")
			for _, h := range b.Head {
				bw.WriteString(" " + cell(h) + " |")
			}
			bw.WriteString("\n|")
			for _, r := range b.Right {
				if r {
					bw.WriteString("---:|")
				} else {
					bw.WriteString("---|")
				}
			}
			bw.WriteString("\n")
			for i, r := range b.Rows {
				bw.WriteString("|")
				for _, c := range r {
					if b.Total && i == len(b.Rows)-1 && c != "" {
						c = "**" + c + "**"
					}
					bw.WriteString(" " + cell(c) + " |")
				}
				bw.WriteString("\n")
			}
		}
	}
	return bw.Flush()
}

// plain drops the Markdown emphasis the document uses (**bold**, `code`)
// for the terminal.
func Plain(s string) string {
	return strings.NewReplacer("**", "", "`", "").Replace(s)
}

// wrap breaks s into lines of at most width runes, at spaces.
func wrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		wl := utf8.RuneCountInString(word)
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(word)
		n += wl
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// withoutCharts is d less its chart places, which only HTML draws.
func withoutCharts(d Document) Document {
	out := make(Document, 0, len(d))
	for _, b := range d {
		if _, ok := b.(Chart); !ok {
			out = append(out, b)
		}
	}
	return out
}
