package capacity

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Result summarises the accounts added so far. It may be called again
// after more accounts are added.
func (s *Segmenter) Result() SegmentationResult {
	out := SegmentationResult{
		Segments:      make([]SegmentSummary, len(s.rules)),
		TotalAccounts: count32(s.accounts),
		TotalARR:      s.arr,
		Assumptions:   slices.Clone(s.assumptions),
	}
	for i := range s.rules {
		r := &s.rules[i]
		sum := s.summary(&s.segs[i], r.name)
		sum.TouchModel = r.touchModel
		// A playbook segment reports whole accounts per CSM, as
		// ComputeCapacity does; its FTE stays exact.
		sum.AccountsPerCSM = r.staff.ratio
		if r.staff.playbook {
			sum.AccountsPerCSM = floorTol(r.staff.ratio)
		}
		sum.CSMFTE = r.staff.fte(float64(s.segs[i].accounts))
		sum.CSMHeadcount = count32(int64(ceilTol(sum.CSMFTE)))
		out.Segments[i] = sum
	}
	out.Unassigned = s.summary(&s.segs[len(s.segs)-1], UnassignedSegment)
	out.Excluded = s.summary(&s.excluded, ExcludedSegment)
	// The excluded are no share of the customers: their shares are of the
	// whole book read.
	book := float64(s.accounts + s.excluded.accounts)
	out.Excluded.AccountShare = ratio(float64(s.excluded.accounts), book)
	out.Excluded.ARRShare = ratio(s.excluded.arr, s.arr+s.excluded.arr)
	return out
}

// summary writes the counts, ARR statistics, shares and stage mix of one
// accumulator.
func (s *Segmenter) summary(acc *segmentAcc, name string) SegmentSummary {
	median, at := acc.values.percentileInc(0.5, 0)
	p90, _ := acc.values.percentileInc(0.9, at)
	out := SegmentSummary{
		Name:         name,
		Accounts:     count32(acc.accounts),
		ARR:          acc.arr,
		ARRMean:      ratio(acc.arr, float64(acc.accounts)),
		ARRMedian:    median,
		ARRP90:       p90,
		AccountShare: ratio(float64(acc.accounts), float64(s.accounts)),
		ARRShare:     ratio(acc.arr, s.arr),
		StageCounts:  []StageCount{},
	}
	for id, n := range acc.stageCounts {
		if n > 0 {
			out.StageCounts = append(out.StageCounts, StageCount{Stage: s.stages.names[id], Accounts: count32(n)})
		}
	}
	slices.SortFunc(out.StageCounts, func(a, b StageCount) int {
		if c := cmp.Compare(b.Accounts, a.Accounts); c != 0 {
			return c
		}
		return strings.Compare(a.Stage, b.Stage)
	})
	return out
}

// PercentileInc returns the p-th percentile (0 <= p <= 1) of sorted values
// as spreadsheet PERCENTILE.INC does: linear interpolation between the
// closest ranks, rank p x (n - 1) from 0. No values give 0.
func PercentileInc(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := p * float64(n-1)
	lo := int(math.Floor(rank))
	if lo >= n-1 {
		return sorted[n-1]
	}
	frac := rank - float64(lo)
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}

// count32 converts a count that callers keep within int32, saturating
// rather than wrapping should one not be.
func count32(n int64) int32 {
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	return int32(n)
}

// stageDict gives each stage, grouped case-insensitively after trimming
// spaces, a small id and remembers it as first written. Spellings already
// met are found without allocating; a new spelling costs one lower-casing.
type stageDict struct {
	exact  map[string]stageSpelling
	folded map[string]int
	names  []string
	other  int
	// recent caches exact spellings by a cheap hash: a book's handful of
	// stages are then found with one comparison, without hashing the
	// string for the map.
	recent [stageRecent]struct {
		stage string
		id    int
	}
}

const stageRecent = 16

// stageSpelling is a remembered spelling: its id, and the dictionary's
// own copy of it, which the cache may hold without keeping a caller's
// buffer alive.
type stageSpelling struct {
	key string
	id  int
}

func newStageDict() stageDict {
	return stageDict{exact: map[string]stageSpelling{}, folded: map[string]int{}, other: -1}
}

// exactMax bounds the spellings remembered; past it a spelling is
// lower-cased on every lookup.
const exactMax = 4 * MaxStages

func (d *stageDict) id(stage string) int {
	if stage == "" {
		return d.idOf(stage)
	}
	slot := (uint(len(stage))*31 + uint(stage[0])*7 + uint(stage[len(stage)-1])) % stageRecent
	if r := &d.recent[slot]; r.stage == stage && r.stage != "" {
		return r.id
	}
	id := d.idOf(stage)
	if sp, ok := d.exact[stage]; ok {
		d.recent[slot].stage, d.recent[slot].id = sp.key, sp.id
	}
	return id
}

func (d *stageDict) idOf(stage string) int {
	stage = strings.TrimSpace(stage)
	if sp, ok := d.exact[stage]; ok {
		return sp.id
	}
	key := strings.ToLower(stage)
	id, ok := d.folded[key]
	if !ok {
		if len(d.names) >= MaxStages {
			if d.other < 0 {
				d.other = len(d.names)
				d.names = append(d.names, OtherStages)
			}
			id = d.other
		} else {
			id = len(d.names)
			d.names = append(d.names, strings.Clone(stage))
			d.folded[key] = id
		}
	}
	if len(d.exact) < exactMax {
		k := strings.Clone(stage)
		d.exact[k] = stageSpelling{key: k, id: id}
	}
	return id
}
