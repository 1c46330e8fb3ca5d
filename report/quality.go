package report

import (
	"fmt"

	"github.com/csplan/csplan/report/doc"
)

// dataQuality says what of the book was not planned, and why: accounts
// left out as not customers, accounts no segment takes, and rows of the
// CSV that were skipped. It is left out when there is nothing to say.
func (b *builder) dataQuality() {
	book := b.r.GetSegmentation()
	x, u := book.GetExcluded(), book.GetUnassigned()
	if x.GetAccounts() == 0 && u.GetAccounts() == 0 && len(b.skipped) == 0 {
		return
	}
	b.d.H(2, "Data quality")
	var items []string
	if x.GetAccounts() > 0 {
		items = append(items, fmt.Sprintf("%s (%s ARR) left out as not customers, by book.customer_stages or book.exclude_stages.",
			accountsText(x.GetAccounts()), b.money(x.GetArr())))
	}
	if u.GetAccounts() > 0 {
		verb := "match no segment and are"
		if u.GetAccounts() == 1 {
			verb = "matches no segment and is"
		}
		items = append(items, fmt.Sprintf("%s (%s ARR) %s not planned: add a segment for them or widen one.",
			accountsText(u.GetAccounts()), b.money(u.GetArr()), verb))
	}
	if n := len(b.skipped); n > 0 {
		rows := "rows of the CSV were"
		if n == 1 {
			rows = "row of the CSV was"
		}
		items = append(items, fmt.Sprintf("%d %s skipped, each listed below (book.max_bad_rows, book.duplicates).", n, rows))
	}
	b.d.List(items...)
	if len(b.skipped) == 0 {
		return
	}
	t := doc.NewTable("File", "Line", "Column", "Why it was skipped")
	for _, s := range b.skipped {
		t.Row(s.File, fmt.Sprint(s.Line), s.Column, s.Reason)
	}
	b.d.Add(t)
}
