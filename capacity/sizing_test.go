package capacity

import (
	"math"
	"math/rand/v2"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// TestSizingPlaybookMonthZeroIsComputeCapacity: a playbook segment's
// capacity at month 0 gives the FTE ComputeCapacity gives for it, over
// generated playbooks with and without one-time touchpoints.
func TestSizingPlaybookMonthZeroIsComputeCapacity(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	available, _, err := AvailableHours(CSMTime{}, "csm_time")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		pb := Playbook{}
		for j := range 1 + r.IntN(4) {
			tp := Touchpoint{Name: string(rune('a' + j)), Hours: 0.25 + r.Float64()*6, Cadence: Cadence(1 + r.IntN(int(CadenceOneTime)))}
			pb.Touchpoints = append(pb.Touchpoints, tp)
		}
		if r.IntN(2) == 0 {
			pb.Inbound = append(pb.Inbound, InboundActivity{Name: "tickets", PerAccountPerMonth: r.Float64() * 3, Hours: 0.5})
		}
		accounts := int32(1 + r.IntN(3000))
		newAccounts := float64(r.IntN(40))
		plan, err := ComputeCapacity(CapacityRequest{Segments: []Segment{{Name: "S", Accounts: accounts, Playbook: pb, NewAccountsPerMonth: &newAccounts}}})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		s, err := SizeSegment(SizingInput{Accounts: []float64{float64(accounts)}, Available: available, Playbook: &pb,
			NewAccountsPerMonth: newAccounts, IdealMax: 50, ARRCeiling: 2e6})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		fte := float64(accounts) / s.Capacity[0]
		if s.Basis != SizingBasisPlaybook || math.Abs(fte-plan.Segments[0].CSMFTE) > 1e-9*plan.Segments[0].CSMFTE {
			t.Fatalf("case %d: basis %v, FTE %v; ComputeCapacity %v", i, s.Basis, fte, plan.Segments[0].CSMFTE)
		}
	}
}

// TestSizingBenchmarkIsTheLargerOfVolumeAndARR: without a playbook or a
// ratio, the need at month 0 is the larger of the volume and ARR needs.
func TestSizingBenchmarkIsTheLargerOfVolumeAndARR(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 500 {
		accounts := float64(1 + r.IntN(5000))
		arr := float64(r.IntN(50)) * 1e6 * r.Float64()
		idealMax, ceiling := 10+r.Float64()*200, 1e6+r.Float64()*4e6
		s, err := SizeSegment(SizingInput{Accounts: []float64{accounts}, ARR0: arr, Available: 100, IdealMax: idealMax, ARRCeiling: ceiling})
		if err != nil {
			t.Fatal(err)
		}
		want := max(NeededCSMs(accounts, idealMax), NeededCSMs(arr, ceiling))
		if s.Basis != SizingBasisBenchmark || NeededCSMs(accounts, s.Capacity[0]) != want {
			t.Fatalf("case %d: %v accounts, $%v: need %d at capacity %v, want %d", i, accounts, arr, NeededCSMs(accounts, s.Capacity[0]), s.Capacity[0], want)
		}
	}
}

// TestSizingPolicies: under PLAYBOOK_FIRST a ratio is taken as given, past
// the benchmark too (the benchmark is a guardrail); under MOST_CONSTRAINED
// no capacity is above the benchmark's.
func TestSizingPolicies(t *testing.T) {
	in := SizingInput{Accounts: []float64{720, 760}, ARR0: 30e6, Available: 100, AccountsPerCSM: ptr(36.0), IdealMax: 30, ARRCeiling: 2e6}
	s, err := SizeSegment(in)
	if err != nil {
		t.Fatal(err)
	}
	if s.Basis != SizingBasisCoverageRatio || s.Capacity[0] != 36 || s.Capacity[1] != 36 {
		t.Errorf("ratio of 36 under PLAYBOOK_FIRST = %+v", s)
	}
	in.Policy = SizingPolicyMostConstrained
	s, err = SizeSegment(in)
	if err != nil {
		t.Fatal(err)
	}
	// The benchmark: min(30, 720 x 2M / 30M = 48).
	if s.Basis != SizingBasisCoverageRatio || s.Capacity[0] != 30 {
		t.Errorf("ratio of 36 under MOST_CONSTRAINED = %+v, want 30", s)
	}
	// A playbook's capacity moves with the base: one-time onboarding over
	// more accounts weighs less per account.
	pb := Playbook{Touchpoints: []Touchpoint{
		{Name: "Check-in", Hours: 1, Cadence: CadenceMonthly},
		{Name: "Onboarding", Hours: 20, Cadence: CadenceOneTime},
	}}
	s, err = SizeSegment(SizingInput{Accounts: []float64{100, 200, 0}, Available: 100, Playbook: &pb, NewAccountsPerMonth: 10, IdealMax: 30})
	if err != nil {
		t.Fatal(err)
	}
	// 1 + 20 x 10/100 = 3 hours; 1 + 20 x 10/200 = 2; empty: 1 + 20/36.
	want := []float64{100.0 / 3, 50, 100 / (1 + 20.0/36)}
	for m, w := range want {
		if math.Abs(s.Capacity[m]-w) > 1e-9 {
			t.Errorf("month %d capacity %v, want %v", m, s.Capacity[m], w)
		}
	}
}

func TestSizingRejectsBadInput(t *testing.T) {
	for _, in := range []SizingInput{
		{},
		{Accounts: []float64{1}, Available: 0, IdealMax: 1},
		{Accounts: []float64{1}, Available: 1, IdealMax: 0},
		{Accounts: []float64{1}, Available: 1, IdealMax: 1, AccountsPerCSM: ptr(0.0)},
		{Accounts: []float64{1}, Available: 1, IdealMax: 1, Playbook: &Playbook{}},
	} {
		if _, err := SizeSegment(in); err == nil {
			t.Errorf("SizeSegment(%+v) succeeded, want an error", in)
		}
	}
}
