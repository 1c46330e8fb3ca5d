package capacity

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// bruteCluster is the textbook O(k m^3) dynamic programme, every cluster
// cost summed afresh: the reference the fast clustering must match.
func bruteCluster(x, w []float64, k int) (starts []int, within float64) {
	m := len(x)
	k = min(k, m)
	cost := func(j, i int) float64 {
		var sw, s float64
		for t := j; t <= i; t++ {
			sw += w[t]
			s += w[t] * x[t]
		}
		mean := s / sw
		var c float64
		for t := j; t <= i; t++ {
			c += w[t] * (x[t] - mean) * (x[t] - mean)
		}
		return c
	}
	d := make([][]float64, k+1)
	arg := make([][]int, k+1)
	for q := range d {
		d[q] = make([]float64, m)
		arg[q] = make([]int, m)
	}
	for i := range m {
		d[1][i] = cost(0, i)
	}
	for q := 2; q <= k; q++ {
		for i := q - 1; i < m; i++ {
			d[q][i] = math.Inf(1)
			for j := q - 1; j <= i; j++ {
				if v := d[q-1][j-1] + cost(j, i); v < d[q][i] {
					d[q][i], arg[q][i] = v, j
				}
			}
		}
	}
	starts = make([]int, k)
	i := m - 1
	for q := k; q >= 2; q-- {
		starts[q-1] = arg[q][i]
		i = arg[q][i] - 1
	}
	return starts, d[k][m-1]
}

// partitionCost sums the clusters' squared deviations directly.
func partitionCost(x, w []float64, starts []int) float64 {
	var total float64
	for c, j := range starts {
		end := len(x)
		if c+1 < len(starts) {
			end = starts[c+1]
		}
		var sw, s float64
		for t := j; t < end; t++ {
			sw += w[t]
			s += w[t] * x[t]
		}
		for t := j; t < end; t++ {
			total += w[t] * (x[t] - s/sw) * (x[t] - s/sw)
		}
	}
	return total
}

func tierNear(a, b float64) bool { return math.Abs(a-b) <= 1e-9*(1+math.Abs(b)) }

// randomPoints draws m distinct sorted points; coarse ones repeat values in
// the draw (so ties between partitions happen), fine ones practically
// never tie.
func randomPoints(r *rand.Rand, m int, coarse bool) (x, w []float64) {
	seen := map[float64]bool{}
	for len(x) < m {
		v := r.NormFloat64()*1.5 + 4
		if coarse {
			v = math.Round(v*10) / 10
		}
		if !seen[v] {
			seen[v] = true
			x = append(x, v)
		}
	}
	slices.Sort(x)
	w = make([]float64, m)
	for i := range w {
		w[i] = float64(1 + r.IntN(3))
	}
	return x, w
}

// TestClusterMatchesBruteForce checks exactness on thousands of small
// inputs, with REDUCE at every level (ratio 1), lazily (the default) and
// never past the top levels.
func TestClusterMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 4000 {
		m := 1 + r.IntN(40)
		k := 1 + r.IntN(9)
		coarse := n%2 == 0
		x, w := randomPoints(r, m, coarse)
		wantStarts, want := bruteCluster(x, w, k)
		for _, ratio := range []int{1, 2, reduceRatio} {
			got := clusterWith(x, w, k, ratio)
			if len(got.starts) != min(k, m) {
				t.Fatalf("cluster(m=%d, k=%d, ratio %d) has %d clusters, want %d", m, k, ratio, len(got.starts), min(k, m))
			}
			for c := 1; c < len(got.starts); c++ {
				if got.starts[c] <= got.starts[c-1] {
					t.Fatalf("cluster(m=%d, k=%d, ratio %d) starts %v are not increasing", m, k, ratio, got.starts)
				}
			}
			if !tierNear(got.within, want) || !tierNear(partitionCost(x, w, got.starts), want) {
				t.Fatalf("cluster(%v, %v, k=%d, ratio %d) = %v (cost %v, reported %v), want cost %v (%v)",
					x, w, k, ratio, got.starts, partitionCost(x, w, got.starts), got.within, want, wantStarts)
			}
			if !coarse && !slices.Equal(got.starts, wantStarts) {
				t.Fatalf("cluster(%v, k=%d, ratio %d) = %v, want the unique optimum %v", x, k, ratio, got.starts, wantStarts)
			}
		}
	}
}

// TestClusterLargeAgrees runs the three REDUCE policies on inputs too large
// for the brute force: their optima must agree exactly.
func TestClusterLargeAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, m := range []int{1000, 20000} {
		x, w := randomPoints(r, m, false)
		for _, k := range []int{2, 3, 5, 8} {
			ref := clusterWith(x, w, k, 1)
			for _, ratio := range []int{2, reduceRatio, 1 << 30} {
				if got := clusterWith(x, w, k, ratio); !slices.Equal(got.starts, ref.starts) || !tierNear(got.within, ref.within) {
					t.Errorf("m=%d k=%d: ratio %d gives %v (%v), ratio 1 %v (%v)", m, k, ratio, got.starts, got.within, ref.starts, ref.within)
				}
			}
		}
	}
}

// TestClusterKnownGroups: three tight groups a decade apart and an outlier
// group; the clusters must be the groups.
func TestClusterKnownGroups(t *testing.T) {
	x := []float64{1, 1.1, 1.2, 3, 3.1, 3.05, 6, 6.2, 9.9}
	slices.Sort(x)
	w := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1}
	got := cluster(x, w, 4)
	if want := []int{0, 3, 6, 8}; !slices.Equal(got.starts, want) {
		t.Errorf("cluster(%v, 4).starts = %v, want %v", x, got.starts, want)
	}
}

func TestSuggestTiersKnownGroups(t *testing.T) {
	// Three groups: small accounts about $1K, mid-market about $50K,
	// enterprise about $2M.
	req := TierRequest{ARR: []float64{1200, 52000, 1000, 2.1e6, 48000, 1100, 2e6, 50000}, Tiers: 3}
	got, err := SuggestTiers(req)
	if err != nil {
		t.Fatal(err)
	}
	const total = 1000 + 1100 + 1200 + 48000 + 50000 + 52000 + 2e6 + 2.1e6 // 4,253,300
	want := []Tier{
		// sqrt(52,000 x 2,000,000) = 322,490 -> 320,000.
		{Name: "Tier 1", MinARR: 2e6, MaxARR: 2.1e6, SuggestedMinARR: 320000, Accounts: 2, ARR: 4.1e6, ARRShare: 4.1e6 / total},
		// sqrt(1,200 x 48,000) = 7,589 -> 7,600.
		{Name: "Tier 2", MinARR: 48000, MaxARR: 52000, SuggestedMinARR: 7600, Accounts: 3, ARR: 150000, ARRShare: 150000 / total},
		{Name: "Tier 3", MinARR: 1000, MaxARR: 1200, SuggestedMinARR: 0, Accounts: 3, ARR: 3300, ARRShare: 3300 / total},
	}
	if diff := cmp.Diff(want, got.Tiers); diff != "" {
		t.Errorf("SuggestTiers tiers (-want +got):\n%s", diff)
	}
	// 8 accounts: the top 10% is ceil(0.8) = 1 account, the top 20%
	// ceil(1.6) = 2.
	if got.Top10PercentARRShare != 2.1e6/total || got.Top20PercentARRShare != 4.1e6/total {
		t.Errorf("top shares = %v, %v, want %v, %v", got.Top10PercentARRShare, got.Top20PercentARRShare, 2.1e6/total, 4.1e6/total)
	}
	if got.GoodnessOfVarianceFit < 0.99 || got.GoodnessOfVarianceFit > 1 {
		t.Errorf("goodness of fit = %v for three tight groups, want above 0.99", got.GoodnessOfVarianceFit)
	}
}

// TestSuggestTiersFit checks the fit on values whose logs are whole: $10,
// $100 | $10K, $100K have log10 1, 2 | 4, 5. Within-tier squares:
// 4 x 0.5^2 = 1; about the mean 3: 4 + 1 + 1 + 4 = 10; fit 1 - 1/10.
func TestSuggestTiersFit(t *testing.T) {
	got, err := SuggestTiers(TierRequest{ARR: []float64{100000, 10, 10000, 100}, Tiers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !tierNear(got.GoodnessOfVarianceFit, 0.9) {
		t.Errorf("goodness of fit = %v, want 0.9", got.GoodnessOfVarianceFit)
	}
	// sqrt(100 x 10,000) = 1,000 exactly.
	if len(got.Tiers) != 2 || got.Tiers[0].SuggestedMinARR != 1000 || got.Tiers[0].MinARR != 10000 {
		t.Errorf("tiers = %+v, want Tier 1 from $10,000 with boundary 1,000", got.Tiers)
	}
}

func TestSuggestTiersEdgeCases(t *testing.T) {
	cases := []struct {
		name string
		req  TierRequest
		want TierSuggestion
	}{
		{
			name: "empty book",
			req:  TierRequest{},
			want: TierSuggestion{Tiers: []Tier{}, GoodnessOfVarianceFit: 1},
		},
		{
			name: "only zero ARR",
			req:  TierRequest{ARR: []float64{0, 0}},
			want: TierSuggestion{Tiers: []Tier{}, GoodnessOfVarianceFit: 1, ZeroARRAccounts: 2},
		},
		{
			name: "one distinct value gives one tier",
			req:  TierRequest{ARR: []float64{500, 500, 500}, Tiers: 3},
			want: TierSuggestion{
				Tiers:                 []Tier{{Name: "Tier 1", MinARR: 500, MaxARR: 500, Accounts: 3, ARR: 1500, ARRShare: 1}},
				GoodnessOfVarianceFit: 1,
				// 3 accounts: ceil(0.3) = 1, ceil(0.6) = 1.
				Top10PercentARRShare: 500.0 / 1500, Top20PercentARRShare: 500.0 / 1500,
			},
		},
		{
			// Two distinct values for three tiers: two tiers. n = 10
			// with 8 zero-ARR accounts: the top 10% is the $900 account,
			// the top 20% both paying ones.
			name: "fewer distinct values than tiers, zeros apart",
			req:  TierRequest{ARR: []float64{0, 0, 900, 0, 0, 0, 100, 0, 0, 0}},
			want: TierSuggestion{
				Tiers: []Tier{
					// sqrt(100 x 900) = 300.
					{Name: "Tier 1", MinARR: 900, MaxARR: 900, SuggestedMinARR: 300, Accounts: 1, ARR: 900, ARRShare: 0.9},
					{Name: "Tier 2", MinARR: 100, MaxARR: 100, Accounts: 1, ARR: 100, ARRShare: 0.1},
				},
				GoodnessOfVarianceFit: 1,
				ZeroARRAccounts:       8,
				Top10PercentARRShare:  0.9,
				Top20PercentARRShare:  1,
			},
		},
		{
			// 30 accounts: the top 10% is 3 accounts (0.1 x 30 must not
			// round up to 4), the top 20% 6.
			name: "ceil of 10% is exact",
			req:  TierRequest{ARR: append(slices.Repeat([]float64{1}, 24), 10, 10, 10, 10, 10, 10), Tiers: 2},
			want: TierSuggestion{
				Tiers: []Tier{
					// sqrt(1 x 10) = 3.16 -> 3.2.
					{Name: "Tier 1", MinARR: 10, MaxARR: 10, SuggestedMinARR: 3.2, Accounts: 6, ARR: 60, ARRShare: 60.0 / 84},
					{Name: "Tier 2", MinARR: 1, MaxARR: 1, Accounts: 24, ARR: 24, ARRShare: 24.0 / 84},
				},
				GoodnessOfVarianceFit: 1,
				Top10PercentARRShare:  30.0 / 84,
				Top20PercentARRShare:  60.0 / 84,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SuggestTiers(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(TierSuggestion{}, "Assumptions")); diff != "" {
				t.Errorf("SuggestTiers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSuggestTiersAssumptions(t *testing.T) {
	for _, tc := range []struct {
		tiers      int32
		wantValue  string
		wantSource string
	}{
		{0, "3", sourceDefaultTiers},
		{5, "5", SourceRequest},
	} {
		got, err := SuggestTiers(TierRequest{ARR: []float64{1, 2, 3}, Tiers: tc.tiers})
		if err != nil {
			t.Fatal(err)
		}
		want := []Assumption{
			{Name: "tiers", Value: tc.wantValue, Source: tc.wantSource},
			{Name: "method", Value: tierMethod, Source: sourceTierMethod},
		}
		if diff := cmp.Diff(want, got.Assumptions); diff != "" {
			t.Errorf("SuggestTiers(tiers %d) assumptions (-want +got):\n%s", tc.tiers, diff)
		}
	}
}

func TestRoundBoundary(t *testing.T) {
	next := math.Nextafter(1000, 2000)
	cases := []struct {
		below, above, want float64
	}{
		{9000, 20000, 13000},          // 13,416 to two figures
		{1, 1e6, 1000},                // exactly
		{99, 101, 100},                // 99.995
		{120, 130, 125},               // 124.9: 120 is not above 120, three figures
		{100, 101, 100.5},             // 100.499: four figures
		{49999, 50001, 50000},         // 49,999.99999
		{1000, 1000.5, 1000.2},        // 1,000.24997: 1,000 is not above 1,000 until five figures
		{1000, next, next},            // adjacent doubles: the upper one
		{0.4, 0.9, 0.6},               // 0.6 exactly
		{2500, 2500.0001, 2500.00005}, // nine figures
	}
	for _, tc := range cases {
		got := roundBoundary(tc.below, tc.above)
		if got != tc.want {
			t.Errorf("roundBoundary(%v, %v) = %v, want %v", tc.below, tc.above, got, tc.want)
		}
		if !(got > tc.below && got <= tc.above) {
			t.Errorf("roundBoundary(%v, %v) = %v, outside (below, above]", tc.below, tc.above, got)
		}
	}
}

// TestSuggestTiersBoundaryRandom: every suggested boundary separates its
// tier from the one below, on random books.
func TestSuggestTiersBoundaryRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		n := 1 + r.IntN(300)
		arr := make([]float64, n)
		for i := range arr {
			arr[i] = math.Round(math.Exp(r.NormFloat64()*2+9)*100) / 100
		}
		got, err := SuggestTiers(TierRequest{ARR: arr, Tiers: int32(2 + r.IntN(7))})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(got.Tiers); i++ {
			up, down := got.Tiers[i], got.Tiers[i+1]
			if !(up.SuggestedMinARR > down.MaxARR && up.SuggestedMinARR <= up.MinARR) {
				t.Fatalf("%s boundary %v not in (%v, %v]", up.Name, up.SuggestedMinARR, down.MaxARR, up.MinARR)
			}
		}
		var accounts int32
		var share float64
		for _, tr := range got.Tiers {
			accounts += tr.Accounts
			share += tr.ARRShare
		}
		if int(accounts+got.ZeroARRAccounts) != n || (accounts > 0 && !tierNear(share, 1)) {
			t.Fatalf("tiers hold %d accounts (+%d zero), shares sum to %v; want %d and 1", accounts, got.ZeroARRAccounts, share, n)
		}
	}
}

func TestSuggestTiersValidation(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		req  TierRequest
		want []string
	}{
		{"one tier", TierRequest{ARR: []float64{1}, Tiers: 1}, []string{"tiers"}},
		{"nine tiers", TierRequest{ARR: []float64{1}, Tiers: 9}, []string{"tiers"}},
		{"negative tiers", TierRequest{Tiers: -3}, []string{"tiers"}},
		{"bad values", TierRequest{ARR: []float64{1, -5, nan, 3, inf}}, []string{"arr[1]", "arr[2]", "arr[4]"}},
		{"bad account", TierRequest{AccountARR: []float64{10, 20, -1}}, []string{"accounts[2].arr"}},
		{"both, and everything else", TierRequest{ARR: []float64{1}, AccountARR: []float64{math.Inf(-1)}, Tiers: 10},
			[]string{"accounts", "accounts[0].arr", "tiers"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SuggestTiers(tc.req)
			if diff := cmp.Diff(tc.want, violationFields(t, err)); diff != "" {
				t.Errorf("SuggestTiers field violations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTierSuggester(t *testing.T) {
	if _, err := NewTierSuggester(9, "settings.tiers"); !slices.Equal(violationFields(t, err), []string{"settings.tiers"}) {
		t.Errorf("NewTierSuggester(9) = %v, want a violation of settings.tiers", err)
	}
	s, err := NewTierSuggester(0, "settings.tiers")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []float64{-1, math.NaN(), math.Inf(1)} {
		var fe *FieldError
		if err := s.Add(bad); !errors.As(err, &fe) || fe.Field != "arr" {
			t.Errorf("Add(%v) = %v, want a *FieldError on arr", bad, err)
		}
	}
	if s.Len() != 0 {
		t.Errorf("Len() = %d after refused values, want 0", s.Len())
	}

	// The same book in another order, through the accumulator, gives the
	// unary answer; and Result can be asked twice.
	r := rand.New(rand.NewPCG(7, 8))
	book := make([]float64, 5000)
	for i := range book {
		if i%17 != 0 {
			book[i] = math.Round(math.Exp(r.NormFloat64()*1.5+10)*100) / 100
		}
	}
	want, err := SuggestTiers(TierRequest{AccountARR: book, Tiers: 5})
	if err != nil {
		t.Fatal(err)
	}
	s, err = NewTierSuggester(5, "settings.tiers")
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range r.Perm(len(book)) {
		if err := s.Add(book[i]); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if diff := cmp.Diff(want, s.Result()); diff != "" {
			t.Errorf("TierSuggester.Result differs from SuggestTiers (-unary +stream):\n%s", diff)
		}
	}
}

func TestSortPositive(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 100, radixMin, 3 * radixMin, 100000} {
		v := make([]float64, n)
		for i := range v {
			switch i % 3 {
			case 0:
				v[i] = math.Exp(r.NormFloat64() * 10)
			case 1:
				v[i] = float64(1 + r.IntN(50)) // repeats
			default:
				v[i] = math.SmallestNonzeroFloat64 * float64(1+r.IntN(4))
			}
		}
		want := slices.Clone(v)
		slices.Sort(want)
		sortPositive(v)
		if !slices.Equal(v, want) {
			t.Errorf("sortPositive of %d values differs from slices.Sort", n)
		}
	}
}

func TestSuggestTiersManyBadValues(t *testing.T) {
	arr := slices.Repeat([]float64{-1}, maxValueViolations+5)
	_, err := SuggestTiers(TierRequest{ARR: arr})
	fields := violationFields(t, err)
	if len(fields) != maxValueViolations+1 || !slices.Contains(fields, "arr") || !slices.Contains(fields, "arr[99]") || slices.Contains(fields, "arr[100]") {
		t.Errorf("violations %v, want arr[0]..arr[99] and one on arr counting the rest", fields)
	}
}

// FuzzSuggestTiers drives the suggestion with arbitrary doubles (8 bytes
// each) and tier counts: a request is rejected with named fields, or
// answered with consistent tiers whose within-tier sum of squares is the
// brute-force optimum.
func FuzzSuggestTiers(f *testing.F) {
	enc := func(xs ...float64) []byte {
		var b []byte
		for _, x := range xs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
		return b
	}
	f.Add(enc(1200, 52000, 1000, 2.1e6, 48000, 1100, 2e6, 50000), int32(3), false)
	f.Add(enc(0, 0, 5, 5, 5), int32(8), true)
	f.Add(enc(math.SmallestNonzeroFloat64, math.MaxFloat64, 1, 1e-300, 1e300), int32(2), false)
	f.Add(enc(-1, math.NaN(), math.Inf(1)), int32(9), true)
	f.Fuzz(func(t *testing.T, raw []byte, tiers int32, asAccounts bool) {
		values := make([]float64, 0, len(raw)/8)
		for ; len(raw) >= 8 && len(values) < 64; raw = raw[8:] {
			values = append(values, math.Float64frombits(binary.LittleEndian.Uint64(raw)))
		}
		req := TierRequest{ARR: values, Tiers: tiers}
		if asAccounts {
			req = TierRequest{AccountARR: values, Tiers: tiers}
		}
		got, err := SuggestTiers(req)
		if err != nil {
			checkRejection(t, err)
			return
		}
		k := int(tiers)
		if k == 0 {
			k = DefaultTiers
		}
		var positive []float64
		for _, v := range values {
			if v > 0 {
				positive = append(positive, v)
			}
		}
		slices.Sort(positive)
		var x, w []float64
		for i, v := range positive {
			if i > 0 && v == positive[i-1] {
				w[len(w)-1]++
				continue
			}
			x, w = append(x, math.Log10(v)), append(w, 1)
		}
		if len(got.Tiers) != min(k, len(x)) {
			t.Fatalf("%d tiers for %d distinct values and k = %d", len(got.Tiers), len(x), k)
		}
		checkFinite(t, "suggestion", got.GoodnessOfVarianceFit, got.Top10PercentARRShare, got.Top20PercentARRShare)
		if got.GoodnessOfVarianceFit < 0 || got.GoodnessOfVarianceFit > 1 || got.Top10PercentARRShare > got.Top20PercentARRShare || got.Top20PercentARRShare > 1+1e-12 {
			t.Fatalf("fit %v, top shares %v and %v out of order or range", got.GoodnessOfVarianceFit, got.Top10PercentARRShare, got.Top20PercentARRShare)
		}
		accounts := got.ZeroARRAccounts
		var starts []int
		for i, tr := range slices.Backward(got.Tiers) {
			accounts += tr.Accounts
			if i+1 < len(got.Tiers) {
				if below := got.Tiers[i+1]; !(tr.SuggestedMinARR > below.MaxARR && tr.SuggestedMinARR <= tr.MinARR && below.MaxARR < tr.MinARR) {
					t.Fatalf("%s: boundary %v not in (%v, %v]", tr.Name, tr.SuggestedMinARR, below.MaxARR, tr.MinARR)
				}
			}
			starts = append(starts, slices.Index(x, math.Log10(tr.MinARR)))
		}
		if int(accounts) != len(values) {
			t.Fatalf("tiers and zeros hold %d accounts of %d", accounts, len(values))
		}
		if len(x) == 0 {
			return
		}
		_, want := bruteCluster(x, w, k)
		var total float64
		for _, v := range x {
			total += v * v
		}
		if got := partitionCost(x, w, starts); math.Abs(got-want) > 1e-9*(1+total) {
			t.Fatalf("tiers cost %v, the optimum is %v (x %v, w %v, starts %v)", got, want, x, w, starts)
		}
	})
}
