package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/planner"
)

// bookFlags say how a command reads a CRM export, as a plan's book.columns,
// book.delimiter, book.decimal_separator, book.duplicates and
// book.max_bad_rows do.
type bookFlags struct {
	columns    columnFlag
	delimiter  string
	decimal    string
	duplicates string
	maxBadRows int
}

func (b *bookFlags) register(fs *flag.FlagSet) {
	fs.Var(&b.columns, "column", "FIELD=HEADER: read FIELD (id, name, arr, stage, health, complexity, expansion_potential, or an attribute name) from the column HEADER; repeat for more")
	fs.StringVar(&b.delimiter, "delimiter", "", `the CSV's delimiter: ",", ";" or tab (default: found from the header line)`)
	fs.StringVar(&b.decimal, "decimal-separator", ".", `the amounts' decimal separator: "." (1,200.50) or "," (1.200,50)`)
	fs.StringVar(&b.duplicates, "duplicates", "", "which row of a repeated account id counts: first or last (default: a repeated id is an error)")
	fs.IntVar(&b.maxBadRows, "max-bad-rows", 0, "skip up to this many bad rows, each listed on stderr; one more is an error")
}

// options turns the flags into accountcsv.Options, or a usage error naming
// the flag.
func (b *bookFlags) options() (accountcsv.Options, error) {
	o := accountcsv.Options{Columns: b.columns.m, Duplicates: accountcsv.Duplicates(b.duplicates), MaxBadRows: b.maxBadRows}
	var err error
	if o.Delimiter, err = planner.ParseDelimiter(b.delimiter); err != nil {
		return o, usagef("--delimiter: %v", err)
	}
	if o.DecimalSeparator, err = planner.ParseDecimalSeparator(b.decimal); err != nil {
		return o, usagef("--decimal-separator: %v", err)
	}
	switch o.Duplicates {
	case accountcsv.DuplicatesRefuse, accountcsv.DuplicatesFirst, accountcsv.DuplicatesLast:
	default:
		return o, usagef("--duplicates %q: use first or last (leave it out to refuse repeated ids)", b.duplicates)
	}
	if o.MaxBadRows < 0 {
		return o, usagef("--max-bad-rows must be 0 or more, got %d", o.MaxBadRows)
	}
	return o, nil
}

// columnFlag is a repeatable FIELD=HEADER.
type columnFlag struct{ m map[string]string }

func (c *columnFlag) String() string { return "" }

func (c *columnFlag) Set(v string) error {
	field, header, ok := strings.Cut(v, "=")
	field, header = strings.TrimSpace(field), strings.TrimSpace(header)
	if !ok || field == "" || header == "" {
		return fmt.Errorf("%q is not FIELD=HEADER (for example arr=\"ARR (USD)\")", v)
	}
	if c.m == nil {
		c.m = map[string]string{}
	}
	if prev, dup := c.m[field]; dup {
		return fmt.Errorf("%s is mapped twice (to %q and %q)", field, prev, header)
	}
	c.m[field] = header
	return nil
}

// reportSkipped lists the rows of an export that were skipped, on stderr:
// the answer on stdout stays what the service computed, and a pipeline
// still sees every row it lost.
func reportSkipped(w io.Writer, file string, rows []*accountcsv.Error) {
	if len(rows) == 0 {
		return
	}
	if len(rows) == 1 {
		fmt.Fprintf(w, "1 row of %s was skipped:\n", file)
	} else {
		fmt.Fprintf(w, "%d rows of %s were skipped:\n", len(rows), file)
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %s\n", r)
	}
}

// applyTo overrides a plan's book.* reading keys with the flags given on
// the command line (fs's set flags), after checking them.
func (b *bookFlags) applyTo(fs *flag.FlagSet, p *planner.Plan) error {
	if _, err := b.options(); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	given := set["column"] || set["delimiter"] || set["decimal-separator"] || set["duplicates"] || set["max-bad-rows"]
	if !given {
		return nil
	}
	if p.Book.AccountsCSV == "" {
		return usagef("--column, --delimiter, --decimal-separator, --duplicates and --max-bad-rows say how to read book.accounts_csv, which %s does not set", p.Path())
	}
	if set["column"] {
		if p.Book.Columns == nil {
			p.Book.Columns = map[string]string{}
		}
		for field, header := range b.columns.m {
			p.Book.Columns[field] = header
		}
	}
	if set["delimiter"] {
		p.Book.Delimiter = b.delimiter
	}
	if set["decimal-separator"] {
		p.Book.DecimalSeparator = b.decimal
	}
	if set["duplicates"] {
		p.Book.Duplicates = b.duplicates
	}
	if set["max-bad-rows"] {
		p.Book.MaxBadRows = b.maxBadRows
	}
	return nil
}
