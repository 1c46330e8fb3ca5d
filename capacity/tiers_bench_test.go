package capacity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// logNormalBook draws n ARR values spread like a B2B book: log-normal
// around $20K, a factor of 4.5 either way for one standard deviation. With
// cents every value is distinct, the clustering's worst case.
func logNormalBook(n int, wholeDollars bool) []float64 {
	r := rand.New(rand.NewPCG(11, 12))
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Exp(math.Log(20000) + 1.5*r.NormFloat64())
		if wholeDollars {
			v[i] = math.Max(1, math.Round(v[i]))
		}
	}
	return v
}

// BenchmarkSuggestTiersVsSort times the whole suggestion (sort, distinct
// values, logs, prefix sums, eight layers of the programme, tiers and
// concentration) on a million values, next to slices.Sort of the same
// values, in the same iterations. ns/op is both together; sort-ns and
// suggest-ns split it, and x-sort is their ratio.
func BenchmarkSuggestTiersVsSort(b *testing.B) {
	for _, tc := range []struct {
		name  string
		whole bool
	}{{"distinct", false}, {"whole-dollars", true}} {
		b.Run(tc.name, func(b *testing.B) {
			book := logNormalBook(1_000_000, tc.whole)
			buf := make([]float64, len(book))
			s := newTierSuggester(8)
			s.values = make([]float64, len(book))
			b.ReportAllocs()
			var sortTime, suggestTime time.Duration
			for b.Loop() {
				copy(buf, book)
				start := time.Now()
				slices.Sort(buf)
				sortTime += time.Since(start)

				copy(s.values, book)
				start = time.Now()
				s.Result()
				suggestTime += time.Since(start)
			}
			n := float64(b.N)
			b.ReportMetric(float64(sortTime.Nanoseconds())/n, "sort-ns")
			b.ReportMetric(float64(suggestTime.Nanoseconds())/n, "suggest-ns")
			b.ReportMetric(float64(suggestTime)/float64(sortTime), "x-sort")
		})
	}
}

// BenchmarkSuggestTiers shows the growth with the book: linear after the
// sort.
func BenchmarkSuggestTiers(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		for _, k := range []int{3, 8} {
			b.Run(fmt.Sprintf("n=%d/tiers=%d", n, k), func(b *testing.B) {
				book := logNormalBook(n, false)
				s := newTierSuggester(int32(k))
				s.values = make([]float64, n)
				b.ReportAllocs()
				for b.Loop() {
					copy(s.values, book)
					s.Result()
				}
			})
		}
	}
}

// BenchmarkTierSuggesterAdd is the per-account cost of a stream: one
// validated append, no allocation once the slice has grown.
func BenchmarkTierSuggesterAdd(b *testing.B) {
	book := logNormalBook(1<<16, false)
	s := newTierSuggester(3)
	s.values = make([]float64, 0, len(book))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(book) {
			i, s.values = 0, s.values[:0]
		}
		if err := s.Add(book[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
