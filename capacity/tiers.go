package capacity

import (
	"fmt"
	"math"
	"strconv"
)

// Tier suggestion bounds and defaults (DESIGN.md section 4).
const (
	// DefaultTiers is the number of tiers when a request leaves it unset.
	DefaultTiers = 3
	// MinTiers and MaxTiers bound the number of tiers a request may ask for.
	MinTiers = 2
	MaxTiers = 8
	// MaxTierValues caps the accounts of one suggestion. Exact clustering
	// needs every value: the accumulator keeps 8 bytes per account, and the
	// clustering about 100 more per distinct value while it runs (prefix
	// sums, one layer of the dynamic programme and the argmins of every
	// layer, for 8 tiers): about 1 GB at the cap.
	MaxTierValues = 10_000_000
)

// maxValueViolations bounds the bad values one error lists; a last
// violation counts the rest, so that a broken export does not produce a
// megabyte of errors.
const maxValueViolations = 100

// Sources of the suggestion's assumptions.
const (
	sourceDefaultTiers = "assumption: three tiers, one per touch model (high, low, tech)"
	tierMethod         = "exact k-means of log10 ARR (Ckmeans.1d.dp, SMAWK)"
	sourceTierMethod   = "Wang & Song 2011; Grønlund, Larsen, Mathiasen, Nielsen, Schneider & Song 2017"
)

// TierRequest asks where the revenue thresholds of a book lie.
type TierRequest struct {
	// ARR lists the book's ARR values (the request's arr).
	ARR []float64
	// AccountARR lists the ARR of the request's accounts, in order. Give
	// ARR or AccountARR, not both.
	AccountARR []float64
	// Tiers is the number of tiers, MinTiers to MaxTiers; 0 means
	// DefaultTiers.
	Tiers int32
}

// Tier is one revenue tier of a suggestion.
type Tier struct {
	// Name is "Tier 1" for the highest ARR, then "Tier 2"...
	Name string
	// MinARR and MaxARR are the smallest and largest ARR in the tier.
	MinARR, MaxARR float64
	// SuggestedMinARR is a round boundary between the tier below and this
	// one: the geometric mean of the lower tier's MaxARR and this tier's
	// MinARR to two significant figures, or more where two would not fall
	// in (lower MaxARR, MinARR]. 0 for the lowest tier.
	SuggestedMinARR float64
	// Accounts is the number of accounts in the tier.
	Accounts int32
	// ARR is the tier's total ARR, ARRShare its share of the book's.
	ARR, ARRShare float64
}

// TierSuggestion is the answer of SuggestTiers, highest tier first.
type TierSuggestion struct {
	Tiers []Tier
	// GoodnessOfVarianceFit is 1 - within-tier sum of squares / total sum
	// of squares of log10 ARR; 1 when all values are equal (or there are
	// none).
	GoodnessOfVarianceFit float64
	// ZeroARRAccounts counts the accounts without ARR, which no tier holds.
	ZeroARRAccounts int32
	// Top10PercentARRShare and Top20PercentARRShare are the shares of ARR
	// held by the ceil(n/10) and ceil(n/5) accounts of highest ARR, n
	// counting every account; 0 when the book has no ARR.
	Top10PercentARRShare, Top20PercentARRShare float64
	Assumptions                                []Assumption
}

// SuggestTiers clusters the positive ARR values of a book into tiers by
// exact k-means on log10 ARR, and measures how concentrated its revenue is.
// Every bad field is reported at once in a *ValidationError: the number of
// tiers, giving both arr and accounts, and each negative, NaN or infinite
// value by its path (arr[3], accounts[7].arr), the first 100 of them.
func SuggestTiers(req TierRequest) (TierSuggestion, error) {
	var v violations
	checkTiers(&v, "tiers", req.Tiers)
	values, field := req.ARR, "arr"
	if len(req.AccountARR) > 0 {
		if len(req.ARR) > 0 {
			v.add("accounts", "give arr or accounts, not both")
		}
		values, field = req.AccountARR, "accounts"
	}
	if len(values) > MaxTierValues {
		v.add(field, "%d values: one suggestion clusters at most %d", len(values), MaxTierValues)
	}
	bad := 0
	for i, x := range values {
		reason := arrProblem(x)
		if reason == "" {
			continue
		}
		if bad++; bad > maxValueViolations {
			continue
		}
		if field == "arr" {
			v.add(index("arr", i), "%s", reason)
		} else {
			v.add(index("accounts", i)+".arr", "%s", reason)
		}
	}
	if bad > maxValueViolations {
		v.add(field, "%d more values are invalid: fix the ones listed and look for the same mistakes in the rest", bad-maxValueViolations)
	}
	if !v.empty() {
		return TierSuggestion{}, v.err()
	}
	s := newTierSuggester(req.Tiers)
	s.values = make([]float64, 0, len(values))
	for _, x := range values {
		s.add(x)
	}
	return s.Result(), nil
}

// TierSuggester accumulates a book one ARR value at a time, for streams:
// it keeps the positive values, 8 bytes per account, and a count of the
// zero ones, never the messages they came in. Not safe for concurrent use.
type TierSuggester struct {
	tiers  int
	source string
	values []float64 // positive ARR, unsorted until Result
	zeros  int
}

// NewTierSuggester starts a suggestion in the given number of tiers (0 for
// DefaultTiers). An invalid number is a *ValidationError naming field
// ("tiers", or "settings.tiers" in a stream).
func NewTierSuggester(tiers int32, field string) (*TierSuggester, error) {
	var v violations
	checkTiers(&v, field, tiers)
	if !v.empty() {
		return nil, v.err()
	}
	return newTierSuggester(tiers), nil
}

func newTierSuggester(tiers int32) *TierSuggester {
	if tiers == 0 {
		return &TierSuggester{tiers: DefaultTiers, source: sourceDefaultTiers}
	}
	return &TierSuggester{tiers: int(tiers), source: SourceRequest}
}

func checkTiers(v *violations, field string, tiers int32) {
	if tiers != 0 && (tiers < MinTiers || tiers > MaxTiers) {
		v.add(field, "%d tiers: give %d to %d, or leave it unset for %d", tiers, MinTiers, MaxTiers, DefaultTiers)
	}
}

// arrProblem says what is wrong with an ARR value, or "" when nothing is.
func arrProblem(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Sprintf("ARR is %s: it must be a finite amount", formatFloat(x))
	case x < 0:
		return fmt.Sprintf("ARR is %s: it must be 0 or more", formatFloat(x))
	case x > MaxAmount:
		return fmt.Sprintf("ARR is %s: at most %s is accepted", formatFloat(x), formatFloat(MaxAmount))
	}
	return ""
}

// Add records one account's ARR. A negative, NaN or infinite value, or one
// past MaxTierValues accounts, is refused with a *FieldError on "arr"; a
// caller that knows where the value sits (batch.accounts[3].arr) names it
// there. A refused value leaves the suggester as it was.
func (s *TierSuggester) Add(arr float64) error {
	if reason := arrProblem(arr); reason != "" {
		return &FieldError{Field: "arr", Reason: reason}
	}
	if s.Len() >= MaxTierValues {
		return &FieldError{Field: "arr", Reason: fmt.Sprintf("more than %d accounts: one suggestion clusters at most %d", MaxTierValues, MaxTierValues)}
	}
	s.add(arr)
	return nil
}

func (s *TierSuggester) add(arr float64) {
	if arr == 0 {
		s.zeros++
		return
	}
	s.values = append(s.values, arr)
}

// Len returns the number of accounts added, zero-ARR ones included.
func (s *TierSuggester) Len() int { return len(s.values) + s.zeros }

// Result clusters the accounts added so far. It sorts the kept values in
// place (a linear radix sort) and may be called again, after more Adds
// too. The clustering of n accounts into k tiers takes O(k n).
func (s *TierSuggester) Result() TierSuggestion {
	sortPositive(s.values)
	out := TierSuggestion{
		GoodnessOfVarianceFit: 1,
		ZeroARRAccounts:       int32(s.zeros),
		Assumptions: []Assumption{
			{Name: "tiers", Value: strconv.Itoa(s.tiers), Source: s.source},
			{Name: "method", Value: tierMethod, Source: sourceTierMethod},
		},
	}
	sorted := s.values
	if len(sorted) == 0 {
		out.Tiers = []Tier{}
		return out
	}

	// Equal values always share a tier, so the clustering runs on the
	// distinct values, each weighted by its count.
	x := make([]float64, 0, len(sorted))
	w := make([]float64, 0, len(sorted))
	first := make([]int32, 0, len(sorted)) // where each distinct value starts in sorted
	for i, a := range sorted {
		if i > 0 && a == sorted[i-1] {
			w[len(w)-1]++
			continue
		}
		x = append(x, math.Log10(a))
		w = append(w, 1)
		first = append(first, int32(i))
	}
	km := cluster(x, w, s.tiers)
	if km.total > 0 {
		out.GoodnessOfVarianceFit = min(max(1-km.within/km.total, 0), 1)
	}

	k := len(km.starts)
	tiers := make([]Tier, k)
	var total float64
	for c, j := range km.starts {
		lo, hi := int(first[j]), len(sorted)
		if c+1 < k {
			hi = int(first[km.starts[c+1]])
		}
		t := &tiers[k-1-c]
		t.Name = "Tier " + strconv.Itoa(k-c)
		t.MinARR, t.MaxARR = sorted[lo], sorted[hi-1]
		t.Accounts = int32(hi - lo)
		for _, a := range sorted[lo:hi] {
			t.ARR += a
		}
		if c > 0 {
			t.SuggestedMinARR = roundBoundary(sorted[lo-1], sorted[lo])
		}
		total += t.ARR
	}
	for i := range tiers {
		tiers[i].ARRShare = ratio(tiers[i].ARR, total)
	}
	out.Tiers = tiers

	n := s.Len()
	out.Top10PercentARRShare = ratio(topSum(sorted, (n+9)/10), total)
	out.Top20PercentARRShare = ratio(topSum(sorted, (n+4)/5), total)
	return out
}

// topSum adds the t largest of the sorted positive values (all of them when
// there are fewer: the rest of the top t have no ARR).
func topSum(sorted []float64, t int) float64 {
	var sum float64
	for _, a := range sorted[max(len(sorted)-t, 0):] {
		sum += a
	}
	return sum
}

// roundBoundary returns a round ARR threshold between a tier whose largest
// value is below and one whose smallest is above: their geometric mean
// (the midpoint on the log scale the tiers are found on) to two significant
// figures, or to as many more as it takes to fall in (below, above].
func roundBoundary(below, above float64) float64 {
	g := math.Sqrt(below) * math.Sqrt(above)
	for digits := 2; digits <= 17; digits++ {
		r, err := strconv.ParseFloat(strconv.FormatFloat(g, 'e', digits-1, 64), 64)
		if err == nil && r > below && r <= above {
			return r
		}
	}
	// Adjacent doubles: no mean falls strictly between them.
	return above
}
