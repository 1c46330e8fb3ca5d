package capacity

import "math"

// One capacity per segment: from its sizing basis, the accounts an
// effective CSM carries at each month, unrounded. Every figure called
// "needed" for the segment comes from it.

// SizingInput is one segment's sizing inputs.
type SizingInput struct {
	// Accounts holds the segment's accounts at each month t = 0..horizon.
	Accounts []float64
	// ARR0 is the segment's ARR at month 0.
	ARR0 float64
	// Available is a CSM's customer hours a month (AvailableHours).
	Available float64
	// Playbook, when set, is the segment's customer journey; with it,
	// NewAccountsPerMonth smooths its one-time touchpoints over the base,
	// and CustomerLifetimeMonths (default 36) amortises them when the base
	// is empty.
	Playbook               *Playbook
	NewAccountsPerMonth    float64
	CustomerLifetimeMonths *float64
	// AccountsPerCSM, when set, is the company's own coverage ratio, as
	// given (not scaled by complexity).
	AccountsPerCSM *float64
	// IdealMax is the touch model's ideal maximum accounts per CSM, scaled
	// by the segment's complexity; ARRCeiling its healthy maximum ARR per
	// CSM.
	IdealMax, ARRCeiling float64
	Policy               SizingPolicy
}

// Sizing is a segment's basis and its capacity at each month.
type Sizing struct {
	Basis    SizingBasis
	Capacity []float64
	// Benchmark is the touch model's capacity, min(ideal max, accounts(0)
	// x ARR ceiling / ARR(0)): MOST_CONSTRAINED caps every capacity by it.
	Benchmark float64
}

// SizeSegment chooses the segment's basis and capacity. Under
// PLAYBOOK_FIRST (the default): the playbook, at available / h(t) with
// h(t) the recurring and inbound hours plus the one-time hours times new
// accounts a month over accounts(t), so that month 0 is what
// ComputeCapacity gives; else the coverage ratio as given; else the
// benchmark, min(ideal max, accounts(0) x ARR ceiling / ARR(0)), so that
// ceil(accounts / capacity) at month 0 is the larger of the volume and
// ARR needs, as EvaluateTeam gives them. Under MOST_CONSTRAINED the
// capacity is the smallest of the basis's and the benchmark's terms.
func SizeSegment(in SizingInput) (Sizing, error) {
	var v violations
	if len(in.Accounts) == 0 {
		v.add("accounts", "sizing needs the accounts of at least one month")
	}
	if !finite(in.Available) || in.Available <= 0 {
		v.add("csm_time", "a CSM's customer hours must be above 0, got %s", formatFloat(in.Available))
	}
	if r := in.AccountsPerCSM; r != nil && (!finite(*r) || *r <= 0) {
		v.add("accounts_per_csm", "must be above 0 accounts, got %s", formatFloat(*r))
	}
	if !finite(in.IdealMax) || in.IdealMax <= 0 || !finite(in.ARRCeiling) || in.ARRCeiling < 0 {
		v.add("benchmarks", "the touch model's ideal maximum must be above 0 and its ARR ceiling 0 or more")
	}
	var recurring, oneTime, lifetime float64
	if pb := in.Playbook; pb != nil {
		pv := validatePlaybook(*pb, "playbook")
		v.merge(pv.err())
		recurring, oneTime = playbookParts(*pb)
		if pv.empty() && !above(recurring+oneTime, 0) {
			v.add("playbook", "the playbook adds up to 0 hours per account: give touchpoints or inbound activities that take time")
		}
		lifetime = DefaultCustomerLifetimeMonths
		if l := in.CustomerLifetimeMonths; l != nil {
			lifetime = *l
		}
		if !finite(lifetime) || lifetime <= 0 {
			v.add("customer_lifetime_months", "must be above 0 months, got %s", formatFloat(lifetime))
		}
	}
	if !v.empty() {
		return Sizing{}, v.err()
	}

	benchmark := in.IdealMax
	if in.ARR0 > 0 && in.ARRCeiling > 0 {
		benchmark = min(benchmark, in.Accounts[0]*in.ARRCeiling/in.ARR0)
	}
	out := Sizing{Capacity: make([]float64, len(in.Accounts)), Benchmark: benchmark}
	for t, accounts := range in.Accounts {
		var c float64
		switch {
		case in.Playbook != nil:
			out.Basis = SizingBasisPlaybook
			share := 1 / lifetime
			if accounts > 0 {
				share = in.NewAccountsPerMonth / accounts
			}
			c = in.Available / (recurring + oneTime*share)
		case in.AccountsPerCSM != nil:
			out.Basis = SizingBasisCoverageRatio
			c = *in.AccountsPerCSM
		default:
			out.Basis = SizingBasisBenchmark
			c = benchmark
		}
		if in.Policy == SizingPolicyMostConstrained {
			c = min(c, benchmark)
		}
		if !finite(c) || c <= 0 {
			v.add("playbook", "month %d: no capacity can be computed (%s accounts a CSM): check the playbook's hours and the accounts", t, formatFloat(c))
			return Sizing{}, v.err()
		}
		out.Capacity[t] = c
	}
	return out, nil
}

// playbookParts splits a playbook's hours per account a month into what
// recurs (touchpoints at their cadence, inbound activities) and the hours
// of its one-time touchpoints, which an account takes once.
func playbookParts(pb Playbook) (recurring, oneTime float64) {
	for _, t := range pb.Touchpoints {
		if t.oneTime() {
			oneTime += t.Hours
		} else {
			recurring += t.Hours * perYear(t) / 12
		}
	}
	for _, in := range pb.Inbound {
		recurring += in.PerAccountPerMonth * in.Hours
	}
	return recurring, oneTime
}

// NeededCSMs is the need a capacity gives: ceil(accounts / capacity).
func NeededCSMs(accounts, capacity float64) int {
	if accounts <= 0 {
		return 0
	}
	return int(math.Min(ceilTol(accounts/capacity), math.MaxInt32))
}
