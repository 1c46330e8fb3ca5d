package capacity

import (
	"slices"
	"strings"
)

// peakAccounts is how many accounts a CSM's peak names.
const peakAccounts = 3

// AccountHoursInMonth is one account's hours in a month.
type AccountHoursInMonth struct {
	AccountID string
	Hours     float64
}

// peakMonth is a CSM's accounts with the most hours in one month, most
// first: their hours, and their ids as numbers in the analyzer's kept ids
// (0: an empty place). Numbers rather than strings keep a CSM's 24 months
// in 15 cache lines rather than 27, and the table free of pointers for the
// garbage collector to trace.
type peakMonth struct {
	hours [peakAccounts]float64
	ids   [peakAccounts]int32
}

// peakOf is CSM i's peak in month m.
func (b *BookAnalyzer) peakOf(i, m int) *peakMonth { return &b.top[i*b.s.Horizon+m] }

// peakAccountsOf is CSM i's peak accounts in month m, most first.
func (b *BookAnalyzer) peakAccountsOf(i, m int) []AccountHoursInMonth {
	var out []AccountHoursInMonth
	p := b.peakOf(i, m)
	for k, id := range p.ids {
		if id != 0 {
			out = append(out, AccountHoursInMonth{AccountID: b.kept[id-1], Hours: p.hours[k]})
		}
	}
	return out
}

// rank keeps, for each month, CSM i's accounts with the most hours: ties
// go to the smaller id, so that the order accounts come in changes
// nothing. newest says that id sorts after every id kept.
func (b *BookAnalyzer) rank(i int, id string, hours []float64, newest bool) {
	const last = peakAccounts - 1
	third := b.thirdOf(i)
	var kept int32
	for m, h := range hours {
		if h <= 0 || h < third[m] {
			continue
		}
		p := b.peakOf(i, m)
		if h == p.hours[last] && (newest || p.ids[last] == 0 || id >= b.kept[p.ids[last]-1]) {
			continue
		}
		if kept == 0 {
			kept = b.keep(id)
		}
		k := last
		for k > 0 && (h > p.hours[k-1] || h == p.hours[k-1] && !newest && id < b.kept[p.ids[k-1]-1]) {
			p.hours[k], p.ids[k] = p.hours[k-1], p.ids[k-1]
			k--
		}
		p.hours[k], p.ids[k] = h, kept
		third[m] = p.hours[last]
	}
	if kept != 0 {
		b.totals[i].floor = slices.Min(third)
	}
}

// mayTie reports whether id sorts before the last peak account of some
// month of CSM i: only then can it take a place with hours equal to that
// account's.
func (b *BookAnalyzer) mayTie(i int, id string) bool {
	for m := range b.s.Horizon {
		if k := b.peakOf(i, m).ids[peakAccounts-1]; k != 0 && id < b.kept[k-1] {
			return true
		}
	}
	return false
}

// keep adds id to the kept ids and returns its number. When the table has
// grown past its limit with ids that have since lost their places, it is
// rebuilt with the ids still in place; the limit leaves room for half as
// many new ids as there are places, so that the rebuilds cost at most two
// places' visits per id kept, and the table stays bounded by the places,
// never by the accounts.
func (b *BookAnalyzer) keep(id string) int32 {
	if len(b.kept) >= b.keptLimit {
		b.compactKept()
	}
	b.kept = append(b.kept, strings.Clone(id)) // the caller reuses the account's strings
	return int32(len(b.kept))
}

func (b *BookAnalyzer) compactKept() {
	renumber := make([]int32, len(b.kept))
	var kept []string
	for t := range b.top {
		p := &b.top[t]
		for k, id := range p.ids {
			if id == 0 {
				continue
			}
			if renumber[id-1] == 0 {
				kept = append(kept, b.kept[id-1])
				renumber[id-1] = int32(len(kept))
			}
			p.ids[k] = renumber[id-1]
		}
	}
	b.kept = kept
	b.keptLimit = 2*len(kept) + peakAccounts*len(b.top)/2 + 1024
}
