package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// bookHeader are the calendar's columns as a Salesforce account export
// names them; accountcsv reads each of them without a mapping (owner,
// start_date, renewal_date, contract_term_months).
var bookHeader = []string{"Account Owner", "Contract Start Date", "Renewal Date", "Term"}

// asOf is the day of the export, the first day of the plans' start month:
// each renewal date is the contract's next anniversary on or after it.
var asOf = date{2027, 1, 1}

// lastCustomerMonth is the latest start of an account past onboarding.
var lastCustomerMonth = date{2026, 9, 1}

// Onboarding accounts started in the months from onboardingFrom to
// onboardingTo: most in the last half of 2026, a few booked deals in the
// first quarter of 2027, within the plans' window.
var onboardingFrom, onboardingTo = date{2026, 7, 1}, date{2027, 3, 1}

// monthWeight is how bookings fall in the year, January first: most at
// quarter end, the most in December.
var monthWeight = [12]float64{4, 5, 12, 4, 5, 12, 4, 4, 12, 5, 6, 18}

// book is how one company's accounts are owned and contracted.
type book struct {
	seed1, seed2 uint64
	// segments are the plan's segments, the first whose minimum ARR the
	// account reaches wins. Trials have no owner and no contract.
	segments []ownerSegment
	// yearWeight weighs the start months of the accounts past onboarding
	// by their year: the book has grown year on year.
	yearWeight map[int]float64
	// unowned is the share of customers whose owner the export leaves
	// empty.
	unowned float64
}

// ownerSegment is one segment of the plan and the CSMs who own its
// accounts.
type ownerSegment struct {
	minARR float64
	// prefix and a two-digit number are each CSM's id: csm-ent-01.
	prefix string
	csms   int
	// terms are the contract terms in months.
	terms []weighted
	// shapes are some CSMs' books, by number from 1; the others weigh
	// 0.85 to 1.15, at random.
	shapes map[int]bookShape
}

// bookShape is one CSM's book.
type bookShape struct {
	// weight is the book's size against a typical one's (1).
	weight float64
	// bunchShare of the CSM's contracts past onboarding started in one of
	// the bunch months (1-12), so that their renewals bunch there too.
	bunch      []int
	bunchShare float64
}

// meridianBook follows examples/plans/meridian/plan.yaml: Enterprise from
// $100K (12 CSMs), Mid-Market from $15K (14), SMB from $2K (10) and the
// Long Tail (4).
var meridianBook = book{
	seed1: 2027, seed2: 108,
	segments: []ownerSegment{
		{minARR: 100_000, prefix: "csm-ent-", csms: 12, terms: []weighted{{"12", 0.55}, {"24", 0.25}, {"36", 0.20}},
			shapes: map[int]bookShape{
				3: {weight: 1.35},
				7: {weight: 1.15, bunch: []int{6}, bunchShare: 0.6},
			}},
		{minARR: 15_000, prefix: "csm-mm-", csms: 14, terms: []weighted{{"12", 0.85}, {"24", 0.12}, {"36", 0.03}},
			shapes: map[int]bookShape{
				5:  {weight: 1.3, bunch: []int{11, 12}, bunchShare: 0.45},
				10: {weight: 1.2},
				14: {weight: 0.5}, // half time
			}},
		{minARR: 2_000, prefix: "csm-smb-", csms: 10, terms: []weighted{{"12", 0.97}, {"24", 0.03}},
			shapes: map[int]bookShape{2: {weight: 1.25}}},
		{minARR: 1, prefix: "csm-lt-", csms: 4, terms: []weighted{{"12", 1}}},
	},
	yearWeight: map[int]float64{2023: 1, 2024: 1.3, 2025: 1.6, 2026: 1.9},
	unowned:    0.003,
}

// sproutBook follows examples/plans/sprout/plan.yaml: Scale from $35K (2
// CSMs) and Core (4).
var sproutBook = book{
	seed1: 2027, seed2: 104,
	segments: []ownerSegment{
		{minARR: 35_000, prefix: "csm-scale-", csms: 2, terms: []weighted{{"12", 0.75}, {"24", 0.20}, {"36", 0.05}},
			shapes: map[int]bookShape{2: {weight: 1.25, bunch: []int{3}, bunchShare: 0.4}}},
		{minARR: 0, prefix: "csm-core-", csms: 4, terms: []weighted{{"12", 0.92}, {"24", 0.08}},
			shapes: map[int]bookShape{3: {weight: 1.3, bunch: []int{12}, bunchShare: 0.4}}},
	},
	yearWeight: map[int]float64{2023: 0.5, 2024: 1, 2025: 1.5, 2026: 2},
	unowned:    0.0125,
}

// ownerDraw writes the calendar's columns of each account, from random
// numbers of its own.
type ownerDraw struct {
	b   *book
	rng *rand.Rand
	// owners are each segment's CSM ids, weighted by the size of their
	// books, and counts the accounts each has so far.
	owners [][]weighted
	counts [][]int
	shapes map[string]bookShape
	// The months an account can start in, with their weights.
	customers, onboarding []weightedMonth
}

type weightedMonth struct {
	month  date
	weight float64
}

func newOwnerDraw(b *book) *ownerDraw {
	d := &ownerDraw{b: b, rng: rand.New(rand.NewPCG(b.seed1, b.seed2)), shapes: map[string]bookShape{}}
	for _, s := range b.segments {
		var owners []weighted
		for n := 1; n <= s.csms; n++ {
			id := fmt.Sprintf("%s%02d", s.prefix, n)
			w := 0.85 + 0.3*d.rng.Float64()
			if sh, ok := s.shapes[n]; ok {
				w = sh.weight
				d.shapes[id] = sh
			}
			owners = append(owners, weighted{id, w})
		}
		d.owners = append(d.owners, owners)
		d.counts = append(d.counts, make([]int, len(owners)))
	}
	for m := (date{2023, 1, 1}); !lastCustomerMonth.before(m); m = m.addMonths(1) {
		d.customers = append(d.customers, weightedMonth{m, b.yearWeight[m.y] * monthWeight[m.m-1]})
	}
	for m := onboardingFrom; !onboardingTo.before(m); m = m.addMonths(1) {
		w := monthWeight[m.m-1]
		if !m.before(asOf) {
			w /= 2 // booked, not yet started
		}
		d.onboarding = append(d.onboarding, weightedMonth{m, w})
	}
	return d
}

// columns are the owner, contract start, renewal date and term of an
// account: a trial has none; a few percent of customers lack a date, a
// few a 12-month term, and a handful an owner, as exports do.
func (d *ownerDraw) columns(arr float64, stage string) []string {
	if lower(stage) == "trial" {
		return make([]string, len(bookHeader))
	}
	seg := len(d.b.segments) - 1
	for i, s := range d.b.segments {
		if arr >= s.minARR {
			seg = i
			break
		}
	}
	owner := ""
	if d.rng.Float64() >= d.b.unowned {
		owner = d.owner(seg)
	}
	start := d.start(owner, lower(stage) == "onboarding")
	term, _ := strconv.Atoi(pick(d.rng, d.b.segments[seg].terms))
	k := 1
	for start.addMonths(k * term).before(asOf) {
		k++
	}
	cols := []string{owner, start.String(), start.addMonths(k * term).String(), strconv.Itoa(term)}
	switch u := d.rng.Float64(); {
	case u < 0.01:
		cols[1], cols[2] = "", ""
	case u < 0.03:
		cols[1] = ""
	case u < 0.05:
		cols[2] = ""
	}
	if term == 12 && d.rng.Float64() < 0.02 {
		cols[3] = ""
	}
	return cols
}

// owner is the CSM of segment seg who gets the next account: the lighter
// of two drawn at random, by accounts against the size of their books, as
// a team lead hands out accounts (so that books follow their sizes,
// give or take a few accounts).
func (d *ownerDraw) owner(seg int) string {
	os, n := d.owners[seg], d.counts[seg]
	a, b := d.rng.IntN(len(os)), d.rng.IntN(len(os))
	if float64(n[b])/os[b].weight < float64(n[a])/os[a].weight {
		a = b
	}
	n[a]++
	return os[a].value
}

// start is an account's contract start: an onboarding account's in the
// last months, another's over the years before, bunched for some owners.
func (d *ownerDraw) start(owner string, onboarding bool) date {
	var m date
	sh := d.shapes[owner]
	switch {
	case onboarding:
		m = pickMonth(d.rng, d.onboarding)
	case len(sh.bunch) > 0 && d.rng.Float64() < sh.bunchShare:
		month := sh.bunch[d.rng.IntN(len(sh.bunch))]
		var years []weightedMonth
		for y := 2023; y <= lastCustomerMonth.y; y++ {
			if c := (date{y, month, 1}); !lastCustomerMonth.before(c) {
				years = append(years, weightedMonth{c, d.b.yearWeight[y]})
			}
		}
		m = pickMonth(d.rng, years)
	default:
		m = pickMonth(d.rng, d.customers)
	}
	last := daysIn(m.y, m.m)
	switch u := d.rng.Float64(); {
	case u < 0.35:
		m.d = 1
	case m.m%3 == 0 && u < 0.7:
		m.d = last - d.rng.IntN(8) // signed in the quarter's last days
	default:
		m.d = 1 + d.rng.IntN(last)
	}
	return m
}

func pickMonth(rng *rand.Rand, ms []weightedMonth) date {
	var total float64
	for _, m := range ms {
		total += m.weight
	}
	x := rng.Float64() * total
	for _, m := range ms {
		if x < m.weight {
			return m.month
		}
		x -= m.weight
	}
	return ms[len(ms)-1].month
}

// date is a calendar day.
type date struct{ y, m, d int }

func (t date) String() string { return fmt.Sprintf("%04d-%02d-%02d", t.y, t.m, t.d) }

func (t date) before(u date) bool {
	if t.y != u.y {
		return t.y < u.y
	}
	if t.m != u.m {
		return t.m < u.m
	}
	return t.d < u.d
}

// addMonths is the same day n months on, the month's last day when it is
// shorter: an anniversary.
func (t date) addMonths(n int) date {
	i := t.y*12 + t.m - 1 + n
	y, m := i/12, i%12+1
	return date{y, m, min(t.d, daysIn(y, m))}
}

func daysIn(y, m int) int { return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() }
