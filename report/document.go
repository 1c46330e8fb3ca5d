package report

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// A document is what the text and Markdown renderers share: the report's
// content, laid out once.
type document []block

type block interface{ isBlock() }

type heading struct {
	level int
	text  string
}

type para string

type bullets []string

// table is a table; right marks the columns aligned right (numbers).
type table struct {
	head  []string
	right []bool
	rows  [][]string
	// total marks the last row as a total (bold in Markdown, ruled in
	// text).
	total bool
}

func (heading) isBlock() {}
func (para) isBlock()    {}
func (bullets) isBlock() {}
func (*table) isBlock()  {}

func (d *document) h(level int, text string) { *d = append(*d, heading{level, text}) }
func (d *document) p(text string)            { *d = append(*d, para(text)) }
func (d *document) list(items ...string) {
	if len(items) > 0 {
		*d = append(*d, bullets(items))
	}
}
func (d *document) add(t *table) {
	if len(t.rows) > 0 {
		*d = append(*d, t)
	}
}

// newTable makes a table; a header starting with ">" is right-aligned.
func newTable(head ...string) *table {
	t := &table{}
	for _, h := range head {
		right := strings.HasPrefix(h, ">")
		t.head = append(t.head, strings.TrimPrefix(h, ">"))
		t.right = append(t.right, right)
	}
	return t
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// textWidth is the terminal report's width.
const textWidth = 100

func writeText(w io.Writer, d document) error {
	bw := bufio.NewWriter(w)
	for i, b := range d {
		if i > 0 {
			bw.WriteString("\n")
		}
		switch b := b.(type) {
		case heading:
			bw.WriteString(strings.ToUpper(b.text[:1]) + b.text[1:] + "\n")
			ch := "="
			if b.level > 1 {
				ch = "-"
			}
			if b.level > 2 {
				ch = "."
			}
			bw.WriteString(strings.Repeat(ch, utf8.RuneCountInString(b.text)) + "\n")
		case para:
			for _, l := range wrap(plain(string(b)), textWidth) {
				bw.WriteString(l + "\n")
			}
		case bullets:
			for _, item := range b {
				for j, l := range wrap(plain(item), textWidth-2) {
					if j == 0 {
						bw.WriteString("- " + l + "\n")
					} else {
						bw.WriteString("  " + l + "\n")
					}
				}
			}
		case *table:
			writeTextTable(bw, b)
		}
	}
	return bw.Flush()
}

func writeTextTable(w *bufio.Writer, t *table) {
	widths := make([]int, len(t.head))
	for i, h := range t.head {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(plain(c)))
		}
	}
	// A table wider than the terminal narrows its widest text columns
	// (never below 16 runes nor below their longest word) and wraps
	// their cells onto more lines.
	floor := make([]int, len(widths))
	for i := range floor {
		floor[i] = 16
	}
	for _, r := range t.rows {
		for i, c := range r {
			for _, word := range strings.Fields(plain(c)) {
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
			if !t.right[i] && w > floor[i] && (widest < 0 || w > widths[widest]) {
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
			if t.right[i] {
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
			c = plain(c)
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
	head := make([]string, len(t.head))
	for i, h := range t.head {
		head[i] = strings.ToUpper(h)
	}
	line(head)
	for i, r := range t.rows {
		if t.total && i == len(t.rows)-1 {
			rule := make([]string, len(r))
			for j := range rule {
				rule[j] = strings.Repeat("-", widths[j])
			}
			line(rule)
		}
		wrapped(r)
	}
}

func writeMarkdown(w io.Writer, d document) error {
	bw := bufio.NewWriter(w)
	for i, b := range d {
		if i > 0 {
			bw.WriteString("\n")
		}
		switch b := b.(type) {
		case heading:
			bw.WriteString(strings.Repeat("#", b.level) + " " + b.text + "\n")
		case para:
			bw.WriteString(string(b) + "\n")
		case bullets:
			for _, item := range b {
				bw.WriteString("- " + item + "\n")
			}
		case *table:
			cell := func(c string) string { return strings.ReplaceAll(c, "|", `\|`) }
			bw.WriteString("|")
			for _, h := range b.head {
				bw.WriteString(" " + cell(h) + " |")
			}
			bw.WriteString("\n|")
			for _, r := range b.right {
				if r {
					bw.WriteString("---:|")
				} else {
					bw.WriteString("---|")
				}
			}
			bw.WriteString("\n")
			for i, r := range b.rows {
				bw.WriteString("|")
				for _, c := range r {
					if b.total && i == len(b.rows)-1 && c != "" {
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
func plain(s string) string {
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
