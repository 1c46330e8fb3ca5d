package capacity

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestArrValuesPercentiles: the selection gives exactly what PercentileInc
// gives on the sorted values, for books that cross chunk boundaries and
// orders that defeat naive pivots, and again after more values arrive.
func TestArrValuesPercentiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	patterns := []struct {
		name string
		gen  func(i, n int) float64
	}{
		{"random", func(int, int) float64 { return math.Round(rng.Float64() * 300_000) }},
		{"few distinct", func(int, int) float64 { return float64(rng.IntN(3) * 1000) }},
		{"all equal", func(int, int) float64 { return 42 }},
		{"ascending", func(i, _ int) float64 { return float64(i) }},
		{"descending", func(i, n int) float64 { return float64(n - i) }},
		{"organ pipe", func(i, n int) float64 { return float64(min(i, n-i)) }},
		{"sawtooth", func(i, _ int) float64 { return float64(i % 97) }},
		{"tiny and huge", func(i, _ int) float64 { return []float64{5e-324, 0, math.MaxFloat64, 1}[i%4] }},
	}
	for _, p := range patterns {
		for _, n := range []int{0, 1, 2, 3, 10, 101, arrChunk - 1, arrChunk, arrChunk + 1, 3*arrChunk + 17} {
			var v arrValues
			var plain []float64
			for round := range 2 {
				for i := range n {
					x := p.gen(i, n)
					v.add(x)
					plain = append(plain, x)
				}
				sorted := slices.Sorted(slices.Values(plain))
				median, at := v.percentileInc(0.5, 0)
				p90, _ := v.percentileInc(0.9, at)
				if want := PercentileInc(sorted, 0.5); median != want {
					t.Errorf("%s, n=%d, round %d: median %v, want %v", p.name, n, round, median, want)
				}
				if want := PercentileInc(sorted, 0.9); p90 != want {
					t.Errorf("%s, n=%d, round %d: p90 %v, want %v", p.name, n, round, p90, want)
				}
				if v.n != len(plain) {
					t.Fatalf("%s: holds %d values, want %d", p.name, v.n, len(plain))
				}
				// Reordered, never lost.
				var kept []float64
				for i := range v.n {
					kept = append(kept, v.at(i))
				}
				if slices.Sort(kept); !slices.Equal(kept, sorted) {
					t.Fatalf("%s, n=%d: the values changed", p.name, n)
				}
			}
		}
	}
}

// TestArrValuesChunks: past the first chunk, chunks are allocated whole
// and never regrown.
func TestArrValuesChunks(t *testing.T) {
	var v arrValues
	for i := range 2*arrChunk + 1 {
		v.add(float64(i))
	}
	if len(v.chunks) != 3 {
		t.Fatalf("%d chunks, want 3", len(v.chunks))
	}
	for i, c := range v.chunks[1:] {
		if cap(c) != arrChunk {
			t.Errorf("chunk %d has capacity %d, want %d", i+1, cap(c), arrChunk)
		}
	}
	for i := range v.n {
		if v.at(i) != float64(i) {
			t.Fatalf("value %d reads %v", i, v.at(i))
		}
	}
}

// BenchmarkArrValuesPercentiles measures the median and p90 of 10^6
// values, what Result did with a full sort before.
func BenchmarkArrValuesPercentiles(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	src := make([]float64, 1_000_000)
	for i := range src {
		src[i] = float64(rng.IntN(300_000))
	}
	b.Run("select", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			var v arrValues
			for _, x := range src {
				v.add(x)
			}
			b.StartTimer()
			_, at := v.percentileInc(0.5, 0)
			v.percentileInc(0.9, at)
		}
	})
	b.Run("sort", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s := slices.Clone(src)
			b.StartTimer()
			slices.Sort(s)
			PercentileInc(s, 0.5)
			PercentileInc(s, 0.9)
		}
	})
}
