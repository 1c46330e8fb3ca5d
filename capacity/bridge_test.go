package capacity

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func linear(n int, start, step float64) []float64 {
	out := make([]float64, n)
	for t := range out {
		out[t] = start + step*float64(t)
	}
	return out
}

func constant(n int, x float64) []float64 { return linear(n, x, 0) }

// TestBridgeSeed000 is seed 000's case as the design reads it: from
// 2026-12, one CSM, 60 accounts and 5 new a month against 75 a CSM, five
// months to hire and ramp. 75 is reached in month 3 and passed in month 4;
// the hire can be ramped by month 5 at the earliest, so the requisition is
// overdue by one month, to be opened now, and month 4 is unmet.
func TestBridgeSeed000(t *testing.T) {
	b, err := PlanBridge(BridgeInput{
		Accounts: linear(13, 60, 5), Capacity: constant(13, 75), CSMs: 1,
		TimeToHireMonths: 2, RampMonths: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Requisition{{Kind: RequisitionKindGrowth, NeededMonth: 4, OpenByMonth: 0, StartMonth: 2, RampedMonth: 5, MonthsLate: 1, Status: TriggerStatusOverdue}}
	if !slices.Equal(b.Requisitions, want) {
		t.Errorf("requisitions = %+v, want %+v", b.Requisitions, want)
	}
	if !slices.Equal(b.UnmetMonths, []int{4}) {
		t.Errorf("unmet months = %v, want [4]", b.UnmetMonths)
	}
	// Month 12: 120 accounts over the two CSMs.
	m := b.Months[12]
	if m.Headcount != 2 || m.EffectiveCSMs != 2 || m.NeededCSMs != 2 || m.AccountsPerEffectiveCSM != 60 || m.HeadcountWithoutPlan != 1 {
		t.Errorf("month 12 = %+v", m)
	}
	// The hire counts in the headcount from its start, on its ramp (ZERO:
	// nothing until ramped) for capacity.
	if b.Months[2].Headcount != 2 || b.Months[4].EffectiveCSMs != 1 || b.Months[5].EffectiveCSMs != 2 {
		t.Errorf("months 2, 4, 5 = %+v, %+v, %+v", b.Months[2], b.Months[4], b.Months[5])
	}
}

// TestBridgeAtCapacityNeedsNobody: a team exactly at capacity with no
// growth or attrition has no requisition, whatever the capacity's
// representation.
func TestBridgeAtCapacityNeedsNobody(t *testing.T) {
	for _, c := range []struct {
		accounts, capacity float64
		csms               int
	}{{150, 75, 2}, {100, 100.0 / 3, 3}, {0, 50, 0}, {7, 0.7, 10}} {
		b, err := PlanBridge(BridgeInput{Accounts: constant(25, c.accounts), Capacity: constant(25, c.capacity), CSMs: c.csms, RampMonths: 3, TimeToHireMonths: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Requisitions) != 0 || len(b.UnmetMonths) != 0 {
			t.Errorf("%v accounts at %v a CSM with %d CSMs: requisitions %v, unmet %v; want none", c.accounts, c.capacity, c.csms, b.Requisitions, b.UnmetMonths)
		}
	}
}

// TestBridgeBackfillsFollowLeavers: a book that does not grow, with a team
// losing a fifth a year, needs only backfills; each cohort decays from its
// own start.
func TestBridgeBackfillsFollowLeavers(t *testing.T) {
	b, err := PlanBridge(BridgeInput{
		Accounts: constant(37, 750), Capacity: constant(37, 75), CSMs: 10,
		PlannedHires: []int{12}, AnnualAttrition: 0.2, RampMonths: 2, TimeToHireMonths: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Requisitions) == 0 {
		t.Fatal("a team losing a fifth a year needs backfills")
	}
	for _, r := range b.Requisitions {
		if r.Kind != RequisitionKindBackfill {
			t.Errorf("requisition %+v of a book that does not grow is not a backfill", r)
		}
	}
	// Without the requisitions, at month 36: ten decayed three years, the
	// hire planned at month 12 two.
	want := 10*0.8*0.8*0.8 + 0.8*0.8
	if got := b.Months[36].HeadcountWithoutPlan; math.Abs(got-want) > 1e-9 {
		t.Errorf("headcount without the plan at month 36 = %v, want %v", got, want)
	}
}

// naiveHires is the hiring rule as the design states it, one hire at a
// time: the oracle for PlanBridge's shortcut.
func naiveHires(in BridgeInput) []int {
	decay := decayTable(in.AnnualAttrition, len(in.Accounts))
	_, e := in.baseTeam(decay)
	var ramped []int
	for t := in.TimeToHireMonths + in.RampMonths; t < len(e); t++ {
		for in.overloaded(t, e[t]) {
			ramped = append(ramped, t)
			addFromRamped(e, decay, t, in.RampMonths)
		}
	}
	return ramped
}

func randomBridge(r *rand.Rand) BridgeInput {
	n := 1 + r.IntN(60)
	in := BridgeInput{
		Accounts:         make([]float64, n),
		Capacity:         make([]float64, n),
		CSMs:             r.IntN(8),
		RampMonths:       r.IntN(5),
		TimeToHireMonths: r.IntN(4),
		Curve:            RampCurve(1 + r.IntN(2)),
	}
	if r.IntN(3) > 0 {
		in.AnnualAttrition = r.Float64() * 0.6
	}
	acc, growth := float64(r.IntN(400)), float64(r.IntN(20))-3
	capacity := 5 + r.Float64()*80
	if r.IntN(4) == 0 {
		capacity = math.Round(capacity)
	}
	for t := range n {
		in.Accounts[t] = max(0, acc+growth*float64(t))
		in.Capacity[t] = capacity * (1 + 0.2*math.Sin(float64(t)/5)*float64(r.IntN(2)))
	}
	for range r.IntN(3) {
		if n > 1 {
			in.PlannedHires = append(in.PlannedHires, 1+r.IntN(n-1))
		}
	}
	return in
}

// TestBridgeProperties checks the bridge's rules over generated segments:
// the hires are the naive rule's; every month a requisition opened now can
// reach is within capacity; each hire was needed; growth requisitions are
// as many as the plan needs without attrition, the rest backfills;
// statuses agree with the months; the planned hires' order does not
// matter.
func TestBridgeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 13))
	for i := range 600 {
		in := randomBridge(r)
		b, err := PlanBridge(in)
		if err != nil {
			t.Fatalf("case %d %+v: %v", i, in, err)
		}
		var ramped []int
		for _, rq := range b.Requisitions {
			ramped = append(ramped, rq.RampedMonth)
		}
		if want := naiveHires(in); !slices.Equal(ramped, want) {
			t.Fatalf("case %d: hires ramped at %v, the rule gives %v (%+v)", i, ramped, want, in)
		}
		decay := decayTable(in.AnnualAttrition, len(in.Accounts))
		_, e := in.baseTeam(decay)
		for _, m := range ramped {
			addFromRamped(e, decay, m, in.RampMonths)
		}
		earliest := in.TimeToHireMonths + in.RampMonths
		for m := earliest; m < len(e); m++ {
			if in.overloaded(m, e[m]) {
				t.Fatalf("case %d: month %d is above capacity after the plan", i, m)
			}
		}
		// The last hire was needed: without it its month is above capacity
		// (the earlier ones are the naive rule's, which adds only while
		// above).
		if k := len(ramped) - 1; k >= 0 {
			_, without := in.baseTeam(decay)
			for _, o := range ramped[:k] {
				addFromRamped(without, decay, o, in.RampMonths)
			}
			if !in.overloaded(ramped[k], without[ramped[k]]) {
				t.Fatalf("case %d: the last hire (ramped %d) was not needed", i, ramped[k])
			}
		}
		still := in
		still.AnnualAttrition = 0
		growth := len(naiveHires(still))
		kinds := map[RequisitionKind]int{}
		for _, rq := range b.Requisitions {
			kinds[rq.Kind]++
			want := TriggerStatusUpcoming
			if rq.MonthsLate > 0 {
				want = TriggerStatusOverdue
			} else if rq.OpenByMonth == 0 {
				want = TriggerStatusDueNow
			}
			if rq.Status != want || rq.OpenByMonth < 0 || rq.RampedMonth < earliest || rq.NeededMonth > rq.RampedMonth ||
				rq.StartMonth != rq.RampedMonth-in.RampMonths || rq.OpenByMonth != rq.StartMonth-in.TimeToHireMonths {
				t.Fatalf("case %d: requisition %+v is inconsistent (status want %v)", i, rq, want)
			}
		}
		if wantGrowth := min(growth, len(b.Requisitions)); kinds[RequisitionKindGrowth] != wantGrowth || kinds[RequisitionKindBackfill] != len(b.Requisitions)-wantGrowth {
			t.Fatalf("case %d: kinds %v, want %d growth of %d (%+v)", i, kinds, wantGrowth, len(b.Requisitions), in)
		}
		for m, row := range b.Months {
			if row.Headcount < row.HeadcountWithoutPlan-1e-9 || (len(ramped) == 0 && row.Headcount != row.HeadcountWithoutPlan) {
				t.Fatalf("case %d month %d: headcount %v, without the plan %v", i, m, row.Headcount, row.HeadcountWithoutPlan)
			}
		}
		shuffled := in
		shuffled.PlannedHires = slices.Clone(in.PlannedHires)
		r.Shuffle(len(shuffled.PlannedHires), func(a, b int) {
			shuffled.PlannedHires[a], shuffled.PlannedHires[b] = shuffled.PlannedHires[b], shuffled.PlannedHires[a]
		})
		if again, _ := PlanBridge(shuffled); !slices.Equal(again.Requisitions, b.Requisitions) {
			t.Fatalf("case %d: the planned hires' order changed the requisitions", i)
		}
	}
}

func TestBridgeRejectsBadInput(t *testing.T) {
	for _, in := range []BridgeInput{
		{},
		{Accounts: []float64{1}, Capacity: []float64{0}},
		{Accounts: []float64{-1}, Capacity: []float64{1}},
		{Accounts: []float64{1, 1}, Capacity: []float64{1, 1}, PlannedHires: []int{0}},
		{Accounts: []float64{1}, Capacity: []float64{1}, AnnualAttrition: 1},
		{Accounts: []float64{1}, Capacity: []float64{1}, RampMonths: -1},
	} {
		if _, err := PlanBridge(in); err == nil {
			t.Errorf("PlanBridge(%+v) succeeded, want an error", in)
		}
	}
}
