// Package accountcsv reads a CRM export of accounts (CSV with a header row)
// into the contract's Account messages, batch by batch, so that a book of
// any size streams to the server without being held in memory.
//
// Columns are mapped by header (Aliases, compared without case, spaces,
// underscores or Salesforce's "__c") or by Options.Columns to id, name,
// arr, stage, health, complexity and expansion_potential; every other
// column becomes an attribute under its header. The delimiter (',', ';' or
// tab) is found from the header line. Amounts take currency symbols and
// codes, digit grouping and k/M suffixes ("$1,200,000", "€85k", "1.2M",
// and "3.400,00 €" with ',' as the decimal separator), and are never
// guessed: an amount the chosen separator cannot read is an error. A bad
// cell is an error naming the line and the column, unless
// Options.MaxBadRows lets the row be skipped and reported; a repeated id
// is an error naming both lines unless Options.Duplicates says which row
// counts.
//
// It imports the generated contract, and the domain for its date and term
// bounds.
package accountcsv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// Error is a problem with one cell or line of the file.
type Error struct {
	// File is the name the reader was given.
	File string
	// Line is the 1-based line of the file.
	Line int
	// Column is the header of the offending column, empty for a whole line.
	Column string
	// Reason says what is wrong.
	Reason string
	// Duplicate is set on a row skipped for repeating an id
	// (Options.Duplicates), rather than for being bad.
	Duplicate bool
}

func (e *Error) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: column %q: %s", e.File, e.Line, e.Column, e.Reason)
}

// Options say how to read an export. The zero value reads a file whose
// delimiter is found from its header line, with '.' as the decimal
// separator, refusing duplicate ids and bad rows.
type Options struct {
	// Columns maps a field (Fields) or an attribute name to the header
	// that holds it, beside the built-in Aliases.
	Columns map[string]string
	// Delimiter is ',', ';' or '\t'; 0 finds it from the header line (the
	// one of the three it holds most of, outside quotes).
	Delimiter rune
	// DecimalSeparator is '.' (0 means '.') or ','.
	DecimalSeparator rune
	// Duplicates says what a second row with an id already read does:
	// DuplicatesRefuse (an error naming both lines), DuplicatesFirst (the
	// first row counts; later ones are skipped and reported) or
	// DuplicatesLast (the last row counts, which holds the book in
	// memory until the file is read).
	Duplicates Duplicates
	// MaxBadRows is how many bad rows may be skipped, each reported
	// (Skipped); one more is an error. 0 skips none.
	MaxBadRows int
}

// Duplicates is a policy for rows that repeat an id.
type Duplicates string

const (
	DuplicatesRefuse Duplicates = ""
	DuplicatesFirst  Duplicates = "first"
	DuplicatesLast   Duplicates = "last"
)

// Reader reads accounts from a CSV export.
type Reader struct {
	csv     *csv.Reader
	file    string
	opts    Options
	columns []column
	headers []string
	rows    int

	seen    map[string]int // id -> line, to find duplicates
	skipped []*Error
	held    []*csplanv1.Account // DuplicatesLast: the book, once read
	heldIdx map[string]int
	read    bool
}

// NewReader reads the header row of r with the default Options; file names
// the input in errors.
func NewReader(r io.Reader, file string) (*Reader, error) {
	return NewReaderWith(r, file, Options{})
}

// NewReaderWith reads the header row of r with opts. The file must have an
// arr column; without an id column, accounts are named by their line
// ("line 7").
func NewReaderWith(r io.Reader, file string, opts Options) (*Reader, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	br := bufio.NewReader(r)
	if opts.Delimiter == 0 {
		opts.Delimiter = detectDelimiter(br)
	}
	cr := csv.NewReader(br)
	cr.Comma = opts.Delimiter
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Line: 1, Reason: "the file is empty: it needs a header row with at least an arr column"}
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	rd := &Reader{csv: cr, file: file, opts: opts, seen: map[string]int{}}
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // Excel's byte-order mark
		}
		if h == "" {
			return nil, &Error{File: file, Line: 1, Reason: fmt.Sprintf("column %d has no header", i+1)}
		}
		if prev, dup := seen[normalizeHeader(h)]; dup {
			return nil, &Error{File: file, Line: 1, Column: h, Reason: fmt.Sprintf("appears twice (columns %d and %d)", prev+1, i+1)}
		}
		seen[normalizeHeader(h)] = i
		rd.headers = append(rd.headers, h)
	}
	if rd.columns, err = mapColumns(rd.headers, opts, file); err != nil {
		return nil, err
	}
	return rd, nil
}

func (o Options) check() error {
	switch o.Delimiter {
	case 0, ',', ';', '\t':
	default:
		return fmt.Errorf("delimiter %q: use ',', ';' or a tab (or leave it out to find it from the header line)", o.Delimiter)
	}
	switch o.DecimalSeparator {
	case 0, '.', ',':
	default:
		return fmt.Errorf("decimal separator %q: use '.' or ','", o.DecimalSeparator)
	}
	switch o.Duplicates {
	case DuplicatesRefuse, DuplicatesFirst, DuplicatesLast:
	default:
		return fmt.Errorf("duplicates %q: use first or last (or leave it out to refuse duplicate ids)", string(o.Duplicates))
	}
	if o.MaxBadRows < 0 {
		return fmt.Errorf("max bad rows %d: use 0 or more", o.MaxBadRows)
	}
	return nil
}

// detectDelimiter counts ',', ';' and tabs outside quotes on the first line
// and picks the most common (',' on a tie or when there is none).
func detectDelimiter(br *bufio.Reader) rune {
	line, _ := br.Peek(64 << 10)
	counts := map[byte]int{}
	quoted := false
	for _, c := range line {
		if c == '"' {
			quoted = !quoted
		}
		if c == '\n' && !quoted {
			break
		}
		if !quoted {
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

// File returns the name the reader was given.
func (r *Reader) File() string { return r.file }

// AttributeKeys returns the attribute each column that is not a field is
// read as, in column order.
func (r *Reader) AttributeKeys() []string {
	var keys []string
	for _, c := range r.columns {
		if c.field == "" {
			keys = append(keys, c.key)
		}
	}
	return keys
}

// HasAttribute reports whether a column is read as the attribute key,
// compared as segment rules compare keys: case and outer spaces aside.
func (r *Reader) HasAttribute(key string) bool {
	for _, k := range r.AttributeKeys() {
		if strings.EqualFold(strings.TrimSpace(k), strings.TrimSpace(key)) {
			return true
		}
	}
	return false
}

// Headers returns the header row as written.
func (r *Reader) Headers() []string { return r.headers }

// Delimiter returns the delimiter the file is read with.
func (r *Reader) Delimiter() rune { return r.opts.Delimiter }

// Rows returns the number of accounts read so far.
func (r *Reader) Rows() int { return r.rows }

// Skipped returns the rows skipped so far: bad rows within MaxBadRows, and
// later rows of an id under DuplicatesFirst or earlier ones under
// DuplicatesLast.
func (r *Reader) Skipped() []*Error { return r.skipped }

// Next reads up to max accounts into a new batch. It returns io.EOF, and
// no accounts, once the file is done.
func (r *Reader) Next(max int) ([]*csplanv1.Account, error) {
	if r.opts.Duplicates == DuplicatesLast {
		return r.nextHeld(max)
	}
	batch := make([]*csplanv1.Account, 0, max)
	for len(batch) < max {
		acct, err := r.nextAccount()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		batch = append(batch, acct)
		r.rows++
	}
	if len(batch) == 0 {
		return nil, io.EOF
	}
	return batch, nil
}

// nextHeld serves DuplicatesLast from the whole book, read at once.
func (r *Reader) nextHeld(max int) ([]*csplanv1.Account, error) {
	if !r.read {
		r.read, r.heldIdx = true, map[string]int{}
		for {
			acct, err := r.nextAccount()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			r.held = append(r.held, acct)
		}
		kept := r.held[:0]
		for _, a := range r.held {
			if a != nil {
				kept = append(kept, a)
			}
		}
		r.held = kept
	}
	if len(r.held) == 0 {
		return nil, io.EOF
	}
	n := min(max, len(r.held))
	batch := r.held[:n:n]
	r.held = r.held[n:]
	r.rows += n
	return batch, nil
}

// nextAccount reads the next row that gives an account, skipping blank
// lines, bad rows within the bound and duplicates as the policy says.
func (r *Reader) nextAccount() (*csplanv1.Account, error) {
	for {
		rec, err := r.csv.Read()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			cerr := csvError(r.file, err)
			var e *Error
			if errors.As(cerr, &e) && errors.Is(err, csv.ErrFieldCount) {
				if serr := r.skip(e); serr != nil {
					return nil, serr
				}
				continue
			}
			return nil, cerr
		}
		line, _ := r.csv.FieldPos(0)
		if blank(rec) {
			continue
		}
		acct, err := r.account(rec, line)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				if serr := r.skip(e); serr != nil {
					return nil, serr
				}
				continue
			}
			return nil, err
		}
		if !r.hasID() {
			return acct, nil
		}
		prev, dup := r.seen[acct.Id]
		switch {
		case !dup:
			r.seen[acct.Id] = line
			if r.opts.Duplicates == DuplicatesLast {
				r.heldIdx[acct.Id] = len(r.held)
			}
			return acct, nil
		case r.opts.Duplicates == DuplicatesFirst:
			r.skipped = append(r.skipped, &Error{File: r.file, Line: line, Column: r.idHeader(), Duplicate: true,
				Reason: fmt.Sprintf("id %q was read on line %d: the first row counts (duplicates: first)", acct.Id, prev)})
		case r.opts.Duplicates == DuplicatesLast:
			r.skipped = append(r.skipped, &Error{File: r.file, Line: prev, Column: r.idHeader(), Duplicate: true,
				Reason: fmt.Sprintf("id %q is read again on line %d: the last row counts (duplicates: last)", acct.Id, line)})
			r.held[r.heldIdx[acct.Id]] = nil
			r.seen[acct.Id], r.heldIdx[acct.Id] = line, len(r.held)
			return acct, nil
		default:
			return nil, &Error{File: r.file, Line: line, Column: r.idHeader(),
				Reason: fmt.Sprintf("id %q is also on line %d: an account is counted once (fix the export, or set duplicates: first or last)", acct.Id, prev)}
		}
	}
}

// skip records a bad row, or fails once more than MaxBadRows are bad.
func (r *Reader) skip(e *Error) error {
	bad := 0
	for _, s := range r.skipped {
		if !s.Duplicate {
			bad++
		}
	}
	if bad >= r.opts.MaxBadRows {
		if r.opts.MaxBadRows == 0 {
			return e
		}
		return &Error{File: e.File, Line: e.Line, Column: e.Column,
			Reason: fmt.Sprintf("%s (one bad row more than the %d max_bad_rows allows; the others are listed in the output)", e.Reason, r.opts.MaxBadRows)}
	}
	r.skipped = append(r.skipped, e)
	return nil
}

func (r *Reader) hasID() bool { return r.idHeader() != "" }

func (r *Reader) idHeader() string {
	for _, c := range r.columns {
		if c.field == "id" {
			return c.header
		}
	}
	return ""
}

// ReadAll reads every remaining account.
func (r *Reader) ReadAll() ([]*csplanv1.Account, error) {
	var all []*csplanv1.Account
	for {
		batch, err := r.Next(1000)
		if err == io.EOF {
			return all, nil
		}
		if err != nil {
			return nil, err
		}
		all = append(all, batch...)
	}
}

func (r *Reader) account(rec []string, line int) (*csplanv1.Account, error) {
	a := &csplanv1.Account{Id: fmt.Sprintf("line %d", line)}
	for i, c := range r.columns {
		cell := strings.TrimSpace(rec[i])
		bad := func(reason string) error {
			return &Error{File: r.file, Line: line, Column: c.header, Reason: reason}
		}
		switch c.field {
		case "id":
			if cell == "" {
				return nil, bad("the account has no id")
			}
			a.Id = cell
		case "name":
			a.Name = cell
		case "arr":
			v, err := ParseAmount(cell, r.opts.DecimalSeparator)
			if err != nil {
				return nil, bad(err.Error())
			}
			a.Arr = v
		case "expansion_potential":
			v, err := ParseAmount(cell, r.opts.DecimalSeparator)
			if err != nil {
				return nil, bad(err.Error())
			}
			a.ExpansionPotential = v
		case "stage":
			a.Stage = cell
		case "health":
			if cell == "" {
				continue
			}
			v, err := parseScore(cell, r.opts.DecimalSeparator)
			if err != nil {
				return nil, bad(err.Error())
			}
			a.HealthScore = &v
		case "complexity":
			cx, err := parseComplexity(cell)
			if err != nil {
				return nil, bad(err.Error())
			}
			a.Complexity = cx
		case "owner":
			a.Owner = cell
		case "start_date", "renewal_date":
			if cell == "" {
				continue
			}
			if _, err := capacity.ParseDate(cell); err != nil {
				return nil, bad(err.Error())
			}
			if c.field == "start_date" {
				a.StartDate = cell
			} else {
				a.RenewalDate = cell
			}
		case "contract_term_months":
			if cell == "" {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(cell, " months"), "m")))
			if err != nil || n < 1 || n > capacity.MaxContractTermMonths {
				return nil, bad(fmt.Sprintf("%q is not a term: give the contract's months, 1 to %d (12 for a year)", cell, capacity.MaxContractTermMonths))
			}
			term := int32(n)
			a.ContractTermMonths = &term
		case "monthly_hours":
			if cell == "" {
				continue
			}
			h, err := parseScore(cell, r.opts.DecimalSeparator)
			if err != nil || h < 0 || h > capacity.MaxAccountMonthlyHours {
				return nil, bad(fmt.Sprintf("%q is not hours a month: give 0 to %d", cell, capacity.MaxAccountMonthlyHours))
			}
			a.MonthlyHours = &h
		default:
			if cell == "" {
				continue
			}
			if a.Attributes == nil {
				a.Attributes = map[string]string{}
			}
			a.Attributes[c.key] = cell
		}
	}
	return a, nil
}

// parseScore reads a health score: a number, perhaps with a percent sign,
// with the file's decimal separator.
func parseScore(cell string, decimal rune) (float64, error) {
	s := strings.TrimSpace(strings.TrimSuffix(cell, "%"))
	if decimal == ',' {
		if strings.Contains(s, ".") {
			return 0, fmt.Errorf("%q is not a health score with ',' as the decimal separator", cell)
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a health score", cell)
	}
	return v, nil
}

func parseComplexity(s string) (csplanv1.ProductComplexity, error) {
	if s == "" {
		return csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_UNSPECIFIED, nil
	}
	key := strings.ToUpper(strings.TrimSpace(s))
	if v, ok := csplanv1.ProductComplexity_value[key]; ok {
		return csplanv1.ProductComplexity(v), nil
	}
	if v, ok := csplanv1.ProductComplexity_value["PRODUCT_COMPLEXITY_"+key]; ok && key != "UNSPECIFIED" {
		return csplanv1.ProductComplexity(v), nil
	}
	return 0, fmt.Errorf("%q is not a complexity: use simple, moderate or complex", s)
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvError turns encoding/csv's parse errors (wrong field counts, stray
// quotes) into an Error with the line.
func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		reason := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			reason = "the row has a different number of fields than the header"
		}
		return &Error{File: file, Line: pe.Line, Reason: reason}
	}
	return fmt.Errorf("%s: %w", file, err)
}
