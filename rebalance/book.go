package rebalance

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/csplan/csplan/capacity"
)

// Defaults of a book's rebalancing.
const (
	DefaultMinUtilization          = 0.8
	DefaultMaxUtilization          = 1.0
	DefaultFreezeDaysBeforeRenewal = 60
	maxFreezeDays                  = 366
)

// BookSettings are a book analysis's settings, the band and the
// guardrails.
type BookSettings struct {
	Book                           capacity.BookSettings
	MinUtilization, MaxUtilization *float64
	Weight                         Weight
	// FreezeDaysBeforeRenewal: an account whose next renewal falls within
	// this many days after AsOf stays.
	FreezeDaysBeforeRenewal *int32
	// AsOf is "YYYY-MM-DD" ("": today).
	AsOf            string
	Locked          []string
	KeepSegment     *bool
	MatchAttributes []string
	MaxMoves        *int32
	Departing       []string
	FrontierPoints  int32
	// TimeToHireMonths and RampMonths time a departure's backfill.
	TimeToHireMonths, RampMonths *int32
}

// Builder reads a book account by account, then rebalances it. It holds
// each account's id, owner, hours, ARR and group: rebalancing moves
// accounts, so it needs them all.
type Builder struct {
	s        BookSettings
	an       *capacity.BookAnalyzer
	lo, hi   float64
	freeze   int
	asOf     time.Time
	keep     bool
	locked   map[string]bool
	depart   map[string]bool
	drill    bool
	accounts []bookAccount
	unowned  int
	scratch  []float64
	assumed  []capacity.Assumption
}

type bookAccount struct {
	id, owner  string
	segment    int
	hours, arr float64
	monthly    []float64
	fixed      bool
	attrs      []string // the matched attributes' values
}

// NewBuilder checks the settings, naming every bad field at once.
func NewBuilder(s BookSettings, today time.Time) (*Builder, error) {
	var errs []*capacity.FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, &capacity.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	an, err := capacity.NewBookAnalyzer(s.Book, capacity.MonthOf(today))
	if err != nil {
		errs = append(errs, violations(err)...)
	}
	b := &Builder{s: s, an: an, locked: map[string]bool{}, depart: map[string]bool{}, keep: s.KeepSegment == nil || *s.KeepSegment}
	b.lo = b.float("band.min_utilization", s.MinUtilization, DefaultMinUtilization, "assumption: a CSM below 80% has room for more")
	b.hi = b.float("band.max_utilization", s.MaxUtilization, DefaultMaxUtilization, "assumption: no CSM above their capacity")
	if !(b.lo >= 0 && b.lo <= 2) {
		bad("band.min_utilization", "must be 0 to 2 (a fraction of capacity: 0.8 is 80%%), got %v", b.lo)
	}
	if !(b.hi > 0 && b.hi <= 2) {
		bad("band.max_utilization", "must be above 0 and at most 2 (a fraction of capacity: 1 is 100%%), got %v", b.hi)
	}
	if b.lo > b.hi {
		bad("band.min_utilization", "%v is above max_utilization %v: the band's minimum must not pass its maximum", b.lo, b.hi)
	}
	b.freeze = int(b.int("freeze_days_before_renewal", s.FreezeDaysBeforeRenewal, DefaultFreezeDaysBeforeRenewal, "assumption: no account changes hands in the two months before its renewal"))
	if b.freeze < 0 || b.freeze > maxFreezeDays {
		bad("freeze_days_before_renewal", "must be 0 to %d days, got %d", maxFreezeDays, b.freeze)
	}
	b.asOf = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if s.AsOf == "" {
		b.assume("as_of_date", b.asOf.Format(time.DateOnly), "the current day (UTC)")
	} else if d, err := time.Parse(time.DateOnly, s.AsOf); err != nil {
		bad("as_of_date", "%q is not a date: write it as YYYY-MM-DD, for example 2027-01-15", s.AsOf)
	} else {
		b.asOf = d
	}
	if s.MaxMoves != nil && *s.MaxMoves < 1 {
		bad("max_moves", "must be 1 or more (leave it out for no cap), got %d", *s.MaxMoves)
	}
	if s.FrontierPoints < 0 || s.FrontierPoints > MaxFrontierPoints {
		bad("frontier_points", "must be 0 to %d, got %d", MaxFrontierPoints, s.FrontierPoints)
	}
	for i, k := range s.MatchAttributes {
		if strings.TrimSpace(k) == "" {
			bad(fmt.Sprintf("match_attributes[%d]", i), "is empty: give an attribute key such as region or language")
		}
	}
	for i, id := range s.Locked {
		if strings.TrimSpace(id) == "" {
			bad(fmt.Sprintf("locked_account_ids[%d]", i), "is empty: give an account id")
		}
		b.locked[strings.TrimSpace(id)] = true
	}
	for i, id := range s.Departing {
		id = strings.TrimSpace(id)
		if id == "" {
			bad(fmt.Sprintf("departing_csm_ids[%d]", i), "is empty: give a CSM id")
		}
		b.depart[id] = true
	}
	b.drill = len(b.depart) > 0
	for _, f := range []struct {
		name string
		v    *int32
	}{{"timeline.time_to_hire_months", s.TimeToHireMonths}, {"timeline.ramp_months", s.RampMonths}} {
		if f.v != nil && (*f.v < 0 || *f.v > 24) {
			bad(f.name, "must be 0 to 24 months, got %d", *f.v)
		}
	}
	if len(errs) > 0 {
		return nil, &capacity.ValidationError{Violations: errs}
	}
	b.scratch = make([]float64, an.Months())
	return b, nil
}

func violations(err error) []*capacity.FieldError {
	if ve, ok := err.(*capacity.ValidationError); ok {
		return ve.Violations
	}
	if fe, ok := err.(*capacity.FieldError); ok {
		return []*capacity.FieldError{fe}
	}
	return []*capacity.FieldError{{Reason: err.Error()}}
}

func (b *Builder) assume(name, value, source string) {
	b.assumed = append(b.assumed, capacity.Assumption{Name: name, Value: value, Source: source})
}

func (b *Builder) float(name string, given *float64, def float64, source string) float64 {
	if given != nil {
		b.assume(name, strconv.FormatFloat(*given, 'g', -1, 64), capacity.SourceRequest)
		return *given
	}
	b.assume(name, strconv.FormatFloat(def, 'g', -1, 64), source)
	return def
}

func (b *Builder) int(name string, given *int32, def int32, source string) int32 {
	if given != nil {
		b.assume(name, strconv.Itoa(int(*given)), capacity.SourceRequest)
		return *given
	}
	b.assume(name, strconv.Itoa(int(def)), source)
	return def
}

// Add reads one account, which ValidateAccount has passed. Accounts
// without an owner stay out of the rebalancing and are counted; accounts
// that are not customers are left out.
func (b *Builder) Add(a *capacity.Account) {
	b.an.Add(a)
	segment := b.an.HoursOf(a, b.scratch)
	if segment == capacity.ExcludedIndex {
		return
	}
	owner := strings.TrimSpace(a.Owner)
	if owner == "" {
		b.unowned++
		return
	}
	acc := bookAccount{id: strings.Clone(a.ID), owner: strings.Clone(owner), segment: segment, arr: a.ARR}
	for _, h := range b.scratch {
		acc.hours += h
	}
	acc.hours /= float64(len(b.scratch))
	if b.drill {
		acc.monthly = slices.Clone(b.scratch)
	}
	acc.fixed = b.locked[acc.id] || b.frozen(a)
	for _, k := range b.s.MatchAttributes {
		v, _ := a.Attribute(strings.TrimSpace(k))
		acc.attrs = append(acc.attrs, strings.ToLower(v))
	}
	b.accounts = append(b.accounts, acc)
}

// frozen reports whether a's next renewal falls within the freeze: the
// renewal date plus whole terms, the first on or after as_of_date (a
// renewal given as YYYY-MM counts from the month's first day).
func (b *Builder) frozen(a *capacity.Account) bool {
	if b.freeze == 0 || a.RenewalDate == "" {
		return false
	}
	s := a.RenewalDate
	if len(s) == len("2006-01") {
		s += "-01"
	}
	r, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return false
	}
	term := capacity.DefaultContractTermMonths
	if a.ContractTermMonths != nil {
		term = int(*a.ContractTermMonths)
	}
	// The dates are years 1000 to 9999 and terms 1 to 120 months, so
	// either loop ends within 108,000 steps.
	for r.Before(b.asOf) {
		r = r.AddDate(0, term, 0)
	}
	for {
		prev := r.AddDate(0, -term, 0)
		if prev.Before(b.asOf) {
			break
		}
		r = prev
	}
	return r.Sub(b.asOf) <= time.Duration(b.freeze)*24*time.Hour
}

// indexOf maps each CSM's id to its index.
func indexOf(csms []capacity.BookCSMResult) map[string]int {
	m := make(map[string]int, len(csms))
	for i, c := range csms {
		m[c.CSM.ID] = i
	}
	return m
}

// groupOf is the key of the CSMs an account may move to.
func (b *Builder) groupOf(segment string, attrs []string) string {
	var k strings.Builder
	if b.keep {
		k.WriteString(segment)
	}
	for _, v := range attrs {
		k.WriteByte(0)
		k.WriteString(v)
	}
	return k.String()
}

// csmSegments gives each CSM its segment: the one the settings name, else
// the one most of its accounts fall in (ties to the first rule).
func (b *Builder) csmSegments(csms []capacity.BookCSMResult, at map[string]int) []string {
	rules := b.s.Book.Segments
	counts := make([][]int, len(csms))
	for _, a := range b.accounts {
		if a.segment < 0 {
			continue
		}
		i := at[a.owner]
		if counts[i] == nil {
			counts[i] = make([]int, len(rules))
		}
		counts[i][a.segment]++
	}
	out := make([]string, len(csms))
	for i, c := range csms {
		if c.CSM.Segment != "" {
			out[i] = c.CSM.Segment
			continue
		}
		best := -1
		for k, n := range counts[i] {
			if n > 0 && (best < 0 || n > counts[i][best]) {
				best = k
			}
		}
		if best >= 0 {
			out[i] = rules[best].Name
		}
	}
	return out
}

// csmAttrs are each CSM's values of the matched attributes, lower case.
func (b *Builder) csmAttrs(c capacity.BookCSM) []string {
	var out []string
	for _, k := range b.s.MatchAttributes {
		out = append(out, strings.ToLower(strings.TrimSpace(c.Attributes[strings.TrimSpace(k)])))
	}
	return out
}

func segmentName(rules []capacity.SegmentRule, i int) string {
	if i < 0 || i >= len(rules) {
		return ""
	}
	return rules[i].Name
}
