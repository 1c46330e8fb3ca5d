package planner

import (
	"fmt"
	"maps"
	"slices"

	"github.com/csplan/csplan/accountcsv"
)

// ReadOptions are how the plan's accounts CSV is read, from book.columns,
// book.delimiter, book.decimal_separator, book.duplicates and
// book.max_bad_rows (checked by validate).
func (p *Plan) ReadOptions() accountcsv.Options {
	o, _ := bookOptions(p.Book)
	return o
}

// bookOptions converts the book's reading keys, naming the first bad one.
func bookOptions(b BookSpec) (accountcsv.Options, error) {
	o := accountcsv.Options{Columns: b.Columns, Duplicates: accountcsv.Duplicates(b.Duplicates), MaxBadRows: b.MaxBadRows}
	var err error
	if o.Delimiter, err = ParseDelimiter(b.Delimiter); err != nil {
		return o, keyError{"book.delimiter", err}
	}
	if o.DecimalSeparator, err = ParseDecimalSeparator(b.DecimalSeparator); err != nil {
		return o, keyError{"book.decimal_separator", err}
	}
	switch o.Duplicates {
	case accountcsv.DuplicatesRefuse, accountcsv.DuplicatesFirst, accountcsv.DuplicatesLast:
	default:
		return o, keyError{"book.duplicates", fmt.Errorf("%q is not a policy: use first (the first row of an id counts) or last (the last row counts); leave it out to refuse repeated ids", b.Duplicates)}
	}
	if o.MaxBadRows < 0 {
		return o, keyError{"book.max_bad_rows", fmt.Errorf("%d: give how many bad rows may be skipped, 0 or more", o.MaxBadRows)}
	}
	return o, nil
}

type keyError struct {
	key string
	err error
}

func (k keyError) Error() string { return k.err.Error() }

// ParseDelimiter reads a delimiter as a plan or a flag gives it: ",", ";",
// "tab" (or a tab character); "" finds it from the header line.
func ParseDelimiter(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case ",":
		return ',', nil
	case ";":
		return ';', nil
	case "tab", "\t", `\t`:
		return '\t', nil
	}
	return 0, fmt.Errorf("%q is not a delimiter: use \",\", \";\" or tab (leave it out to find it from the header line)", s)
}

// ParseDecimalSeparator reads "." or ","; "" is ".".
func ParseDecimalSeparator(s string) (rune, error) {
	switch s {
	case "", ".":
		return '.', nil
	case ",":
		return ',', nil
	}
	return 0, fmt.Errorf("%q is not a decimal separator: use \".\" (1,200.50) or \",\" (1.200,50)", s)
}

// checkBook checks the book's reading keys: they need a CSV to read.
func (p *Plan) checkBook(c *checker, inline bool) {
	if inline {
		for key, set := range map[string]bool{
			"book.columns": len(p.Book.Columns) > 0, "book.delimiter": p.Book.Delimiter != "",
			"book.decimal_separator": p.Book.DecimalSeparator != "", "book.duplicates": p.Book.Duplicates != "",
			"book.max_bad_rows": p.Book.MaxBadRows != 0,
		} {
			if set {
				c.fail(key, "says how to read book.accounts_csv, which the plan does not set")
			}
		}
		return
	}
	if _, err := bookOptions(p.Book); err != nil {
		ke := err.(keyError)
		c.fail(ke.key, "%s", ke.err)
	}
}

// checkAttributes refuses a segment rule on an attribute the accounts CSV
// has no column for: the rule could match no account, and the plan would
// say nothing of why.
func (p *Plan) checkAttributes(rd *accountcsv.Reader) error {
	c := &checker{p: p}
	for i, s := range p.Segments {
		for _, key := range slices.Sorted(maps.Keys(s.Match.Attributes)) {
			if !rd.HasAttribute(key) {
				c.fail(fmt.Sprintf("segments[%d].match.attributes.%s", i, key),
					"%s has no column %q: its headers are %q (map another header to it with book.columns.%s)", rd.File(), key, rd.Headers(), key)
			}
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}
