package accountcsv

import (
	"fmt"
	"slices"
	"strings"
)

// Fields are the account fields a column can hold; any other name in
// Options.Columns is an attribute.
var Fields = []string{"id", "name", "arr", "stage", "health", "complexity", "expansion_potential",
	"owner", "start_date", "renewal_date", "contract_term_months", "monthly_hours"}

// Aliases are the headers read as each field without a mapping, compared
// after normalizeHeader: csplan's own names and those of common
// Salesforce, HubSpot, Gainsight and ChurnZero exports (README, "Reading
// CRM exports").
var Aliases = map[string][]string{
	"id": {"id", "account id", "accountid", "account external id", "external id", "record id", "company id", "gsid",
		"salesforce id", "salesforce account id", "sfdc id", "hubspot id", "hs object id"},
	"name":  {"name", "account name", "account", "company", "company name", "customer", "customer name"},
	"arr":   {"arr", "annual recurring revenue", "arr usd", "arr (usd)", "arr c", "current arr", "total arr", "arr amount"},
	"stage": {"stage", "lifecycle stage", "lifecyclestage", "customer stage", "account stage", "lifecycle stage c", "stage c"},
	"health": {"health", "health score", "healthscore", "health c", "health score c", "overall score", "customer health",
		"customer health score"},
	"complexity":          {"complexity", "product complexity", "complexity c"},
	"expansion_potential": {"expansion potential", "expansion", "expansion arr", "expansion potential c"},
	"owner": {"owner", "account owner", "owner name", "account owner name", "csm", "csm name", "customer success manager",
		"assigned csm", "csm owner", "csm c"},
	"start_date":           {"start date", "contract start date", "contract start", "customer since", "subscription start date", "start date c"},
	"renewal_date":         {"renewal date", "next renewal date", "contract end date", "contract end", "renewal date c"},
	"contract_term_months": {"contract term months", "contract term", "term", "term months"},
	"monthly_hours":        {"monthly hours", "hours per month"},
}

// normalizeHeader compares headers as people read them: case, spaces,
// underscores, hyphens and Salesforce's "__c" suffix aside, so that
// "ARR__c", "arr_c" and "ARR C" are one header.
func normalizeHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '.' {
			return ' '
		}
		return r
	}, h)
	return strings.Join(strings.Fields(h), " ")
}

var aliasField = func() map[string]string {
	m := map[string]string{}
	for field, names := range Aliases {
		for _, n := range names {
			m[normalizeHeader(n)] = field
		}
	}
	return m
}()

// column is what one column of the file holds.
type column struct {
	field  string // a known field, or "" for an attribute
	key    string // the attribute's key
	header string
}

// mapColumns decides what each header holds: a column named by
// opts.Columns holds its field (or attribute), then a header in Aliases its
// field, and every other column is an attribute under its header. A field
// claimed by two columns is an error naming both.
func mapColumns(headers []string, opts Options, file string) ([]column, error) {
	bad := func(reason string) error { return &Error{File: file, Line: 1, Reason: reason} }
	byHeader := map[string]int{}
	for i, h := range headers {
		byHeader[normalizeHeader(h)] = i
	}
	cols := make([]column, len(headers))
	for i, h := range headers {
		cols[i] = column{key: h, header: h}
	}
	mapped := map[int]string{}
	fields := slices.Sorted(func(yield func(string) bool) {
		for f := range opts.Columns {
			if !yield(f) {
				return
			}
		}
	})
	for _, field := range fields {
		header := opts.Columns[field]
		i, ok := byHeader[normalizeHeader(header)]
		if !ok {
			return nil, bad(fmt.Sprintf("columns.%s names the header %q, which the file does not have; its headers are %q", field, header, headers))
		}
		if prev, dup := mapped[i]; dup {
			return nil, bad(fmt.Sprintf("columns.%s and columns.%s both name the header %q", prev, field, header))
		}
		mapped[i] = field
		if slices.Contains(Fields, field) {
			cols[i].field = field
		} else {
			cols[i].key = field
		}
	}
	claimed := map[string]int{}
	for i := range cols {
		if cols[i].field != "" {
			claimed[cols[i].field] = i
		}
	}
	for i, h := range headers {
		if _, ok := mapped[i]; ok {
			continue
		}
		field := aliasField[normalizeHeader(h)]
		if field == "" {
			continue
		}
		if _, byMapping := opts.Columns[field]; byMapping {
			continue // the mapping chose another column: this one is an attribute
		}
		if prev, dup := claimed[field]; dup {
			return nil, bad(fmt.Sprintf("the headers %q (column %d) and %q (column %d) both read as %s: map the one to use with columns.%s (or --column %s=HEADER)",
				headers[prev], prev+1, h, i+1, field, field, field))
		}
		claimed[field] = i
		cols[i].field = field
	}
	if _, ok := claimed["arr"]; !ok {
		return nil, bad(fmt.Sprintf("no arr column among %q: name it with columns.arr (or --column arr=HEADER)", headers))
	}
	return cols, nil
}
