package capacity

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchRules are four segments like examples/rules.yaml: ARR bands, an
// attribute rule and a stage list.
func benchRules() SegmentRules {
	return SegmentRules{Segments: []SegmentRule{
		{Name: "Strategic", MinARR: capFloat(150_000), AccountsPerCSM: capFloat(8)},
		{Name: "Regulated Mid-Market", MinARR: capFloat(20_000), Attributes: map[string][]string{
			"industry": {"Financial Services", "Healthcare"},
		}, AccountsPerCSM: capFloat(40)},
		{Name: "Mid-Market", MinARR: capFloat(20_000), TouchModel: TouchModelLow, AccountsPerCSM: capFloat(90)},
		{Name: "SMB", MinARR: capFloat(1), TouchModel: TouchModelTech, Stages: []string{"Onboarding", "Adoption", "Expansion", "Renewal", "At Risk"}},
	}}
}

// benchBook returns n accounts with the columns of examples/accounts.csv.
func benchBook(n int) []Account {
	rng := rand.New(rand.NewPCG(1, 2))
	stages := []string{"Onboarding", "Adoption", "Expansion", "Renewal", "At Risk", "adoption"}
	industries := []string{"Software", "Financial Services", "Healthcare", "Retail"}
	book := make([]Account, n)
	for i := range book {
		h := float64(rng.IntN(100))
		book[i] = Account{
			ID:          fmt.Sprintf("ACC-%07d", i),
			ARR:         float64(rng.IntN(300_000)),
			Stage:       stages[rng.IntN(len(stages))],
			HealthScore: &h,
			Complexity:  Complexity(rng.IntN(4)),
			Attributes: map[string]string{
				"region":   "EMEA",
				"industry": industries[rng.IntN(len(industries))],
				"plan":     "Growth",
			},
		}
	}
	return book
}

// BenchmarkMatch measures finding the first matching rule of one account.
func BenchmarkMatch(b *testing.B) {
	s, err := NewSegmenter(benchRules())
	if err != nil {
		b.Fatal(err)
	}
	book := benchBook(4096)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s.Match(&book[i%len(book)])
	}
}

// BenchmarkSegmenterAdd measures validating and counting one account, as
// the stream does for each, over a book of b.N accounts (run with
// -benchtime=1000000x for a book of 10^6).
func BenchmarkSegmenterAdd(b *testing.B) {
	s, err := NewSegmenter(benchRules())
	if err != nil {
		b.Fatal(err)
	}
	book := benchBook(4096)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a := &book[i%len(book)]
		if err := ValidateAccount(a, "accounts", i); err != nil {
			b.Fatal(err)
		}
		s.Add(a)
	}
}

// BenchmarkSegmenterResult measures summarising a book of 10^6 accounts:
// mostly sorting the ARR kept for the quantiles.
func BenchmarkSegmenterResult(b *testing.B) {
	book := benchBook(4096)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s, err := NewSegmenter(benchRules())
		if err != nil {
			b.Fatal(err)
		}
		for i := range 1_000_000 {
			s.Add(&book[i%len(book)])
		}
		b.StartTimer()
		s.Result()
	}
}
