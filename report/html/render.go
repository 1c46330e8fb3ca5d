package html

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/report/doc"
)

//go:embed report.html.tmpl
var reportTemplate string

//go:embed style.css
var styleSheet string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{"inline": inline, "inc": func(i int) int { return i + 1 }}).Parse(reportTemplate))

// Render writes the report's document as one self-contained HTML5 page,
// with the charts drawn from r where the document places them. Styles and
// charts (SVG) are inline and nothing is fetched, so the file opens
// offline and prints. Every text is escaped. Nothing is written when
// rendering fails.
func Render(w io.Writer, r *csplanv1.PlanResult, d doc.Document) error {
	return RenderPlan(w, r, nil, d)
}

// RenderPlan is Render for a plan's report that places the book's
// rebalancing too (rb, nil for none).
func RenderPlan(w io.Writer, r *csplanv1.PlanResult, rb *Rebalancing, d doc.Document) error {
	if r == nil {
		return errors.New("html: nil report")
	}
	c := newCharts(r)
	c.rebalance = rb
	p, err := newPage(c, d)
	if err != nil {
		return err
	}
	p.Eyebrow = "Customer Success capacity plan"
	p.Footer = "Every figure is the planning service's answer; this page formats it."
	p.Verdict = strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(r.GetSummary().GetVerdict().String(), "VERDICT_"), "_", " "))
	p.Tone = tone(p.Verdict)
	return write(w, p)
}

// RenderBook writes a book analysis's document as one self-contained
// HTML5 page, as Render does a plan's: the heat map, the segments' need
// and the renewal calendar are drawn from a where the document places
// them; currency is the display code of its ARR.
func RenderBook(w io.Writer, a *csplanv1.BookAnalysis, currency string, d doc.Document) error {
	if a == nil {
		return errors.New("html: nil book analysis")
	}
	p, err := newPage(charts{book: a, currency: currency}, d)
	if err != nil {
		return err
	}
	p.Eyebrow = "Customer Success book, month by month"
	p.Footer = "Every figure is the book service's answer; this page formats it."
	return write(w, p)
}

func write(w io.Writer, p *page) error {
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, p); err != nil {
		return fmt.Errorf("html: render report: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// page is the template's view: the title, the verdict badge, the table of
// contents and the blocks in order.
type page struct {
	Title, Meta     string
	Eyebrow, Footer string
	// Verdict is a plan's; a page without one shows no badge.
	Verdict string
	Tone    string
	CSS     template.CSS
	TOC     []tocEntry
	Blocks  []block
}

type tocEntry struct{ ID, Text string }

// block is one document block, shaped for the template: exactly one of
// its fields is set.
type block struct {
	Heading *heading
	Para    template.HTML
	Bullets []template.HTML
	Table   *table
	Chart   template.HTML
}

type heading struct {
	Level int
	ID    string
	Text  string
}

type table struct {
	Head  []cell
	Rows  [][]cell
	Total bool
}

type cell struct {
	Text  template.HTML
	Right bool
}

func newPage(charts charts, d doc.Document) (*page, error) {
	p := &page{CSS: template.CSS(styleSheet)}
	ids := map[string]int{}
	for i, b := range d {
		switch b := b.(type) {
		case doc.Heading:
			if b.Level == 1 {
				p.Title = b.Text
				continue
			}
			id := anchor(b.Text, ids)
			if b.Level == 2 {
				p.TOC = append(p.TOC, tocEntry{id, b.Text})
			}
			p.Blocks = append(p.Blocks, block{Heading: &heading{Level: b.Level, ID: id, Text: b.Text}})
		case doc.Para:
			if i == 1 && p.Meta == "" {
				p.Meta = string(b)
				continue
			}
			p.Blocks = append(p.Blocks, block{Para: inline(string(b))})
		case doc.Bullets:
			items := make([]template.HTML, len(b))
			for j, s := range b {
				items[j] = inline(s)
			}
			p.Blocks = append(p.Blocks, block{Bullets: items})
		case *doc.Table:
			t := &table{Total: b.Total}
			for j, h := range b.Head {
				if !b.IsTextOnly(j) {
					t.Head = append(t.Head, cell{inline(h), b.Right[j]})
				}
			}
			for _, row := range b.Rows {
				cells := make([]cell, 0, len(row))
				for j, c := range row {
					if !b.IsTextOnly(j) {
						cells = append(cells, cell{inline(c), j < len(b.Right) && b.Right[j]})
					}
				}
				t.Rows = append(t.Rows, cells)
			}
			if len(t.Head) > 0 {
				p.Blocks = append(p.Blocks, block{Table: t})
			}
		case doc.Chart:
			svg, ok := charts.draw(string(b))
			if !ok {
				return nil, fmt.Errorf("html: the report places a chart %q that does not exist", string(b))
			}
			if svg != "" {
				p.Blocks = append(p.Blocks, block{Chart: svg})
			}
		}
	}
	return p, nil
}

// anchor is a heading's id: its words in lower case, joined by dashes,
// numbered when two headings share it.
func anchor(text string, seen map[string]int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(text) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	id := strings.TrimSuffix(b.String(), "-")
	if id == "" {
		id = "section"
	}
	seen[id]++
	if n := seen[id]; n > 1 {
		id = fmt.Sprintf("%s-%d", id, n)
	}
	return id
}
