// Package accountcsv reads a CRM export of accounts (CSV with a header row)
// into the contract's Account messages, batch by batch, so that a book of
// any size streams to the server without being held in memory.
//
// Columns are mapped by name, case-insensitively: id, name, arr, stage,
// health (or health_score), complexity, expansion_potential; every other
// column becomes an attribute under its header. ARR tolerates currency
// symbols, thousands separators and k/M suffixes ("$1,200,000", "€85k",
// "1.2M"). A bad cell is an error naming the line and the column.
//
// It imports only the generated contract.
package accountcsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

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
}

func (e *Error) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: column %q: %s", e.File, e.Line, e.Column, e.Reason)
}

// Known columns, with the other spellings CRM exports use for them.
var columnAliases = map[string]string{
	"id": "id", "account_id": "id", "account id": "id", "accountid": "id",
	"name": "name", "account_name": "name", "account name": "name", "account": "name",
	"arr": "arr", "annual_recurring_revenue": "arr", "annual recurring revenue": "arr",
	"stage": "stage", "lifecycle_stage": "stage", "lifecycle stage": "stage",
	"health": "health", "health_score": "health", "health score": "health",
	"complexity": "complexity", "product_complexity": "complexity", "product complexity": "complexity",
	"expansion_potential": "expansion", "expansion potential": "expansion", "expansion": "expansion",
}

// Reader reads accounts from a CSV export.
type Reader struct {
	csv     *csv.Reader
	file    string
	columns []column
	headers []string
	rows    int
}

type column struct {
	field  string // a known field, or "" for an attribute
	header string
}

// NewReader reads the header row of r; file names the input in errors. The
// file must have an arr column; without an id column, accounts are named by
// their line ("line 7").
func NewReader(r io.Reader, file string) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Line: 1, Reason: "the file is empty: it needs a header row with at least an arr column"}
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	rd := &Reader{csv: cr, file: file}
	seen := map[string]int{}
	hasARR := false
	for i, h := range header {
		h = strings.TrimSpace(h)
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // Excel's byte-order mark
		}
		if h == "" {
			return nil, &Error{File: file, Line: 1, Reason: fmt.Sprintf("column %d has no header", i+1)}
		}
		key := strings.ToLower(h)
		field := columnAliases[key]
		if field != "" {
			key = field
		}
		if prev, dup := seen[key]; dup {
			return nil, &Error{File: file, Line: 1, Column: h, Reason: fmt.Sprintf("appears twice (columns %d and %d)", prev+1, i+1)}
		}
		seen[key] = i
		hasARR = hasARR || field == "arr"
		rd.columns = append(rd.columns, column{field: field, header: h})
		rd.headers = append(rd.headers, h)
	}
	if !hasARR {
		return nil, &Error{File: file, Line: 1, Reason: fmt.Sprintf("no arr column among %q", rd.headers)}
	}
	return rd, nil
}

// Headers returns the header row as written.
func (r *Reader) Headers() []string { return r.headers }

// Rows returns the number of accounts read so far.
func (r *Reader) Rows() int { return r.rows }

// Next reads up to max accounts into a new batch. It returns io.EOF, and
// no accounts, once the file is done.
func (r *Reader) Next(max int) ([]*csplanv1.Account, error) {
	batch := make([]*csplanv1.Account, 0, max)
	for len(batch) < max {
		rec, err := r.csv.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(r.file, err)
		}
		line, _ := r.csv.FieldPos(0)
		if blank(rec) {
			continue
		}
		acct, err := r.account(rec, line)
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
			v, err := ParseAmount(cell)
			if err != nil {
				return nil, bad(err.Error())
			}
			a.Arr = v
		case "expansion":
			v, err := ParseAmount(cell)
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
			v, err := strconv.ParseFloat(strings.TrimSuffix(cell, "%"), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, bad(fmt.Sprintf("%q is not a health score", cell))
			}
			a.HealthScore = &v
		case "complexity":
			cx, err := parseComplexity(cell)
			if err != nil {
				return nil, bad(err.Error())
			}
			a.Complexity = cx
		default:
			if cell == "" {
				continue
			}
			if a.Attributes == nil {
				a.Attributes = map[string]string{}
			}
			a.Attributes[c.header] = cell
		}
	}
	return a, nil
}

// ParseAmount reads a money amount as CRM exports write it: "1200000",
// "$1,200,000.50", "€ 85k", "1.2M", "USD 300". A blank cell is 0; negative
// amounts are an error.
func ParseAmount(s string) (float64, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.ToUpper(s), "USD"), "EUR"))
	s = strings.TrimSpace(strings.TrimPrefix(s, "GBP"))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ',' || r == '_' || r == '\'' || unicode.IsSpace(r):
			// thousands separators
		case strings.ContainsRune("$€£¥", r):
			// currency symbols
		default:
			b.WriteRune(r)
		}
	}
	s = b.String()
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1e3, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "MM"):
		mult, s = 1e6, strings.TrimSuffix(s, "MM")
	case strings.HasSuffix(s, "M"):
		mult, s = 1e6, strings.TrimSuffix(s, "M")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xXpP") {
		return 0, fmt.Errorf("%q is not an amount (write it like 1200000, $1,200,000 or 1.2M)", orig)
	}
	if v < 0 {
		return 0, fmt.Errorf("%q is negative: ARR and expansion are 0 or more", orig)
	}
	return v * mult, nil
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
