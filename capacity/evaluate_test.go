package capacity

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// factorOf returns the result of factor f, failing the test without it.
func factorOf(t *testing.T, ev TeamEvaluation, f Factor) FactorResult {
	t.Helper()
	for _, r := range ev.Factors {
		if r.Factor == f {
			return r
		}
	}
	t.Fatalf("EvaluateTeam factors = %v, want one for %v", ev.Factors, f)
	return FactorResult{}
}

func mustEvaluate(t *testing.T, req TeamRequest) TeamEvaluation {
	t.Helper()
	got, err := EvaluateTeam(req)
	if err != nil {
		t.Fatalf("EvaluateTeam(%+v) error = %v", req, err)
	}
	return got
}

// TestEvaluateTeamSeed004 reproduces seed 004: $4M ARR over 5 CSMs is $0.8M
// per CSM, under the $1M high-touch milestone; a 6th CSM makes it $0.667M.
func TestEvaluateTeamSeed004(t *testing.T) {
	tests := []struct {
		csms int32
		want float64
	}{
		{5, 800_000},
		{6, 666_666.6666666666},
	}
	for _, tt := range tests {
		req := TeamRequest{CSMCount: tt.csms, Accounts: 150, ARR: 4_000_000, TouchModel: TouchModelHigh}
		got := mustEvaluate(t, req)
		arr := factorOf(t, got, FactorARR)
		if !capNear(got.ARRPerCSM, tt.want) || !capNear(arr.Value, tt.want) || arr.Status != LoadStatusUnder {
			t.Errorf("EvaluateTeam(%d CSMs, $4M) ARR per CSM = %v (%v), want %v (%v)", tt.csms, got.ARRPerCSM, arr.Status, tt.want, LoadStatusUnder)
		}
		want := Finding{Severity: SeverityInfo, Factor: FactorARR, Value: tt.want, Threshold: 1_000_000}
		var found *Finding
		for i := range got.Findings {
			if got.Findings[i].Factor == FactorARR {
				found = &got.Findings[i]
			}
		}
		if found == nil {
			t.Fatalf("EvaluateTeam(%d CSMs, $4M) findings = %v, want an ARR finding", tt.csms, got.Findings)
		}
		if diff := cmp.Diff(want, *found, capFloatCmp, cmpopts.IgnoreFields(Finding{}, "Message")); diff != "" {
			t.Errorf("EvaluateTeam(%d CSMs, $4M) ARR finding (-want +got):\n%s", tt.csms, diff)
		}
	}
	// The message names the numbers a CS leader acts on.
	got := mustEvaluate(t, TeamRequest{CSMCount: 5, Accounts: 150, ARR: 4_000_000})
	if msg := got.Findings[0].Message; !strings.Contains(msg, "$800K") || !strings.Contains(msg, "$1.00M") || !strings.Contains(msg, "high-touch") {
		t.Errorf("EvaluateTeam($4M, 5 CSMs) message = %q, want it to name $800K, the $1.00M milestone and high-touch", msg)
	}
}

func TestEvaluateTeamFullResult(t *testing.T) {
	// 4 CSMs, 220 accounts (55 each: past the cap of 50), $10M (2.5M each:
	// over the $2M ceiling), a bottom-up plan needing 3.6 FTE (0.9 each).
	req := TeamRequest{CSMCount: 4, Accounts: 220, ARR: 10_000_000, WorkloadCSMFTE: capFloat(3.6), Policy: SizingPolicyMostConstrained}
	got := mustEvaluate(t, req)
	want := TeamEvaluation{
		ARRPerCSM:      2_500_000,
		AccountsPerCSM: 55,
		Factors: []FactorResult{
			{Factor: FactorARR, Value: 2_500_000, HealthyMin: 1_000_000, HealthyMax: 2_000_000, Limit: 2_000_000, Status: LoadStatusOver, CSMsNeeded: 5},
			{Factor: FactorVolume, Value: 55, HealthyMin: 25, HealthyMax: 30, Limit: 50, Status: LoadStatusOver, CSMsNeeded: 8},
			{Factor: FactorWorkload, Value: 0.9, HealthyMin: 0.7, HealthyMax: 1, Limit: 1, Status: LoadStatusHealthy, CSMsNeeded: 4},
		},
		BindingFactor: FactorVolume,
		CSMsNeeded:    8,
		CSMGap:        4,
		Findings: []Finding{
			{Severity: SeverityWarning, Factor: FactorARR, Value: 2_500_000, Threshold: 2_000_000},
			{Severity: SeverityWarning, Factor: FactorVolume, Value: 55, Threshold: 50},
		},
		Benchmarks: DefaultBenchmarks(),
		Assumptions: []Assumption{
			{Name: "touch_model", Value: "TOUCH_MODEL_HIGH", Source: sourceDefaultTouchModel},
			{Name: "complexity", Value: "PRODUCT_COMPLEXITY_MODERATE", Source: sourceDefaultComplexity},
		},
		Basis:  SizingBasisBenchmark,
		Policy: SizingPolicyMostConstrained,
	}
	// Under MOST_CONSTRAINED the binding factor, volume, sets the need: a
	// benchmark basis.
	if diff := cmp.Diff(want, got, capFloatCmp, cmpopts.IgnoreFields(Finding{}, "Message")); diff != "" {
		t.Errorf("EvaluateTeam(%+v) (-want +got):\n%s", req, diff)
	}
	for _, f := range got.Findings {
		if f.Message == "" {
			t.Errorf("EvaluateTeam(%+v) finding %v has no message", req, f)
		}
	}
}

// TestEvaluateTeamVolumeBands covers seeds 000/001: ideal 25-30 accounts,
// never over 50, scaled by complexity (SIMPLE 1.5: 37.5-45, cap 75;
// COMPLEX 0.6: 15-18, cap 30).
func TestEvaluateTeamVolumeBands(t *testing.T) {
	tests := []struct {
		complexity Complexity
		accounts   int32
		want       LoadStatus
		needed     int32
	}{
		{ComplexityModerate, 24, LoadStatusUnder, 1},
		{ComplexityModerate, 25, LoadStatusHealthy, 1},
		{ComplexityModerate, 30, LoadStatusHealthy, 1},
		{ComplexityModerate, 31, LoadStatusStretched, 2},
		{ComplexityModerate, 50, LoadStatusStretched, 2},
		{ComplexityModerate, 51, LoadStatusOver, 2},
		{ComplexityUnspecified, 51, LoadStatusOver, 2},
		{ComplexitySimple, 37, LoadStatusUnder, 1},
		{ComplexitySimple, 38, LoadStatusHealthy, 1},
		{ComplexitySimple, 45, LoadStatusHealthy, 1},
		{ComplexitySimple, 46, LoadStatusStretched, 2},
		{ComplexitySimple, 75, LoadStatusStretched, 2},
		{ComplexitySimple, 76, LoadStatusOver, 2},
		{ComplexityComplex, 18, LoadStatusHealthy, 1},
		{ComplexityComplex, 19, LoadStatusStretched, 2},
		{ComplexityComplex, 30, LoadStatusStretched, 2},
		{ComplexityComplex, 31, LoadStatusOver, 2},
	}
	for _, tt := range tests {
		req := TeamRequest{CSMCount: 1, Accounts: tt.accounts, ARR: 1_500_000, Complexity: tt.complexity}
		got := factorOf(t, mustEvaluate(t, req), FactorVolume)
		if got.Status != tt.want || got.CSMsNeeded != tt.needed || got.Value != float64(tt.accounts) {
			t.Errorf("EvaluateTeam(%v, %d accounts, 1 CSM) volume = %v, %d needed, value %v; want %v, %d needed",
				tt.complexity, tt.accounts, got.Status, got.CSMsNeeded, got.Value, tt.want, tt.needed)
		}
	}
	// The factor reports the scaled, unrounded band.
	simple := factorOf(t, mustEvaluate(t, TeamRequest{CSMCount: 1, Accounts: 40, Complexity: ComplexitySimple}), FactorVolume)
	if simple.HealthyMin != 37.5 || simple.HealthyMax != 45 || simple.Limit != 75 {
		t.Errorf("EvaluateTeam(SIMPLE) volume band = %v-%v, cap %v; want 37.5-45, cap 75", simple.HealthyMin, simple.HealthyMax, simple.Limit)
	}
}

func TestEvaluateTeamARRBands(t *testing.T) {
	tests := []struct {
		model  TouchModel
		arr    float64
		want   LoadStatus
		needed int32
	}{
		{TouchModelHigh, 999_999, LoadStatusUnder, 1},
		{TouchModelHigh, 1_000_000, LoadStatusHealthy, 1},
		{TouchModelHigh, 2_000_000, LoadStatusHealthy, 1},
		{TouchModelHigh, 2_000_000.0000000005, LoadStatusHealthy, 1}, // within the tolerance
		{TouchModelHigh, 2_000_001, LoadStatusOver, 2},
		{TouchModelLow, 1_999_999, LoadStatusUnder, 1},
		{TouchModelLow, 5_000_000, LoadStatusHealthy, 1},
		{TouchModelLow, 5_000_001, LoadStatusOver, 2},
		{TouchModelTech, 10_000_000, LoadStatusHealthy, 1},
		{TouchModelTech, 10_000_001, LoadStatusOver, 2},
	}
	for _, tt := range tests {
		req := TeamRequest{CSMCount: 1, Accounts: 1, ARR: tt.arr, TouchModel: tt.model}
		got := factorOf(t, mustEvaluate(t, req), FactorARR)
		if got.Status != tt.want || got.CSMsNeeded != tt.needed {
			t.Errorf("EvaluateTeam(%v, ARR %v, 1 CSM) ARR factor = %v, %d needed; want %v, %d needed", tt.model, tt.arr, got.Status, got.CSMsNeeded, tt.want, tt.needed)
		}
	}
}

func TestEvaluateTeamWorkloadBands(t *testing.T) {
	tests := []struct {
		fte    float64
		want   LoadStatus
		needed int32
	}{
		{6.9, LoadStatusUnder, 7},
		{7, LoadStatusHealthy, 7},
		{10, LoadStatusHealthy, 10},
		{10.1, LoadStatusOver, 11},
		{0, LoadStatusUnder, 0},
	}
	for _, tt := range tests {
		req := TeamRequest{CSMCount: 10, Accounts: 250, ARR: 15_000_000, WorkloadCSMFTE: capFloat(tt.fte)}
		got := factorOf(t, mustEvaluate(t, req), FactorWorkload)
		if got.Status != tt.want || got.CSMsNeeded != tt.needed || !capNear(got.Value, tt.fte/10) {
			t.Errorf("EvaluateTeam(%v FTE, 10 CSMs) workload = %v (%v), %d needed; want %v (%v), %d needed",
				tt.fte, got.Value, got.Status, got.CSMsNeeded, tt.fte/10, tt.want, tt.needed)
		}
	}
	// Without a bottom-up FTE there is no workload factor.
	if got := mustEvaluate(t, TeamRequest{CSMCount: 1, Accounts: 25, ARR: 1_500_000}); len(got.Factors) != 2 {
		t.Errorf("EvaluateTeam(no workload) factors = %v, want ARR and VOLUME only", got.Factors)
	}
}

func TestEvaluateTeamBinding(t *testing.T) {
	// The most constrained factor binds under MOST_CONSTRAINED.
	tests := []struct {
		name     string
		req      TeamRequest
		want     Factor
		needed   int32
		wantGap  int32
		wantEach [3]int32 // ARR, VOLUME, WORKLOAD
	}{
		{"ARR binds", TeamRequest{CSMCount: 3, Accounts: 60, ARR: 10_000_000}, FactorARR, 5, 2, [3]int32{5, 2}},
		{"ARR and VOLUME tie: VOLUME", TeamRequest{CSMCount: 3, Accounts: 60, ARR: 4_000_000}, FactorVolume, 2, -1, [3]int32{2, 2}},
		{"all tie: WORKLOAD", TeamRequest{CSMCount: 2, Accounts: 60, ARR: 4_000_000, WorkloadCSMFTE: capFloat(1.5)}, FactorWorkload, 2, 0, [3]int32{2, 2, 2}},
		{"WORKLOAD and ARR tie above VOLUME: WORKLOAD", TeamRequest{CSMCount: 2, Accounts: 30, ARR: 6_000_000, WorkloadCSMFTE: capFloat(3)}, FactorWorkload, 3, 1, [3]int32{3, 1, 3}},
		{"VOLUME binds over WORKLOAD", TeamRequest{CSMCount: 4, Accounts: 150, ARR: 4_000_000, WorkloadCSMFTE: capFloat(4)}, FactorVolume, 5, 1, [3]int32{2, 5, 4}},
		{"team larger than needed", TeamRequest{CSMCount: 10, Accounts: 30, ARR: 1_000_000}, FactorVolume, 1, -9, [3]int32{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Policy = SizingPolicyMostConstrained
			got := mustEvaluate(t, tt.req)
			if got.BindingFactor != tt.want || got.CSMsNeeded != tt.needed || got.CSMGap != tt.wantGap {
				t.Errorf("EvaluateTeam(%+v) = binding %v, %d needed, gap %d; want %v, %d, %d",
					tt.req, got.BindingFactor, got.CSMsNeeded, got.CSMGap, tt.want, tt.needed, tt.wantGap)
			}
			for i, f := range got.Factors {
				if f.CSMsNeeded != tt.wantEach[i] {
					t.Errorf("EvaluateTeam(%+v) %v needs %d CSMs, want %d", tt.req, f.Factor, f.CSMsNeeded, tt.wantEach[i])
				}
			}
		})
	}
}

// TestEvaluateTeamNoCSMs: per-CSM values are 0; load with no one to carry
// it is OVER; no load and no team is HEALTHY, with no finding.
func TestEvaluateTeamNoCSMs(t *testing.T) {
	tests := []struct {
		name      string
		req       TeamRequest
		want      []LoadStatus // ARR, VOLUME, (WORKLOAD)
		needed    int32
		findings  int
		wantValue float64
	}{
		{"load, no team", TeamRequest{Accounts: 40, ARR: 3_000_000, WorkloadCSMFTE: capFloat(1.2)},
			[]LoadStatus{LoadStatusOver, LoadStatusOver, LoadStatusOver}, 2, 3, 0},
		{"accounts only", TeamRequest{Accounts: 10}, []LoadStatus{LoadStatusHealthy, LoadStatusOver}, 1, 1, 0},
		{"nothing at all", TeamRequest{WorkloadCSMFTE: capFloat(0)}, []LoadStatus{LoadStatusHealthy, LoadStatusHealthy, LoadStatusHealthy}, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustEvaluate(t, tt.req)
			var statuses []LoadStatus
			for _, f := range got.Factors {
				statuses = append(statuses, f.Status)
				if f.Value != 0 {
					t.Errorf("EvaluateTeam(%+v) %v value = %v, want 0 with no CSMs", tt.req, f.Factor, f.Value)
				}
			}
			if diff := cmp.Diff(tt.want, statuses); diff != "" {
				t.Errorf("EvaluateTeam(%+v) statuses (-want +got):\n%s", tt.req, diff)
			}
			if got.ARRPerCSM != 0 || got.AccountsPerCSM != 0 || got.CSMsNeeded != tt.needed || got.CSMGap != tt.needed || len(got.Findings) != tt.findings {
				t.Errorf("EvaluateTeam(%+v) = %v ARR/CSM, %v accounts/CSM, %d needed, gap %d, %d findings; want 0, 0, %d, %d, %d",
					tt.req, got.ARRPerCSM, got.AccountsPerCSM, got.CSMsNeeded, got.CSMGap, len(got.Findings), tt.needed, tt.needed, tt.findings)
			}
			for _, f := range got.Findings {
				if f.Severity != SeverityWarning || !strings.Contains(f.Message, "no CSMs") {
					t.Errorf("EvaluateTeam(%+v) finding = %+v, want a WARNING that says there are no CSMs", tt.req, f)
				}
			}
		})
	}
}

// TestEvaluateTeamCeilTolerance: a need a hair above a whole number is that
// number, not one more.
func TestEvaluateTeamCeilTolerance(t *testing.T) {
	// A COMPLEX multiplier of 0.36 makes the ideal max 30 * 0.36 =
	// 10.799999999999999, and 54 accounts / that = 5.000000000000001.
	req := TeamRequest{CSMCount: 5, Accounts: 54, ARR: 5_000_000, Complexity: ComplexityComplex,
		Benchmarks: BenchmarkOverrides{ComplexityMultipliers: []ComplexityOverride{{Complexity: ComplexityComplex, Multiplier: capFloat(0.36)}}}}
	got := factorOf(t, mustEvaluate(t, req), FactorVolume)
	if got.CSMsNeeded != 5 || got.Status != LoadStatusHealthy {
		t.Errorf("EvaluateTeam(54 accounts, ideal max %v) volume = %v, %d needed; want HEALTHY, 5 needed", got.HealthyMax, got.Status, got.CSMsNeeded)
	}
	// 0.36 * 30 is not exactly 10.8: the test is only meaningful if the
	// division really lands above 5.
	if 54/got.HealthyMax <= 5 {
		t.Fatalf("54 / %v = %v, want a value just above 5", got.HealthyMax, 54/got.HealthyMax)
	}
	// Workload: 3.0000000001 FTE is 3 CSMs.
	w := factorOf(t, mustEvaluate(t, TeamRequest{CSMCount: 3, WorkloadCSMFTE: capFloat(3.0000000001)}), FactorWorkload)
	if w.CSMsNeeded != 3 || w.Status != LoadStatusHealthy {
		t.Errorf("EvaluateTeam(3.0000000001 FTE, 3 CSMs) workload = %v, %d needed; want HEALTHY, 3 needed", w.Status, w.CSMsNeeded)
	}
}

func TestEvaluateTeamSignals(t *testing.T) {
	type signalCase struct {
		name    string
		signals Signals
		want    []Finding // Message ignored
	}
	tests := []signalCase{
		{"nothing given", Signals{}, nil},
		{"churn without last period", Signals{ChurnRate: capFloat(0.5)}, nil},
		{"churn flat", Signals{ChurnRate: capFloat(0.02), PreviousChurnRate: capFloat(0.02)}, nil},
		{"churn down", Signals{ChurnRate: capFloat(0.01), PreviousChurnRate: capFloat(0.02)}, nil},
		{"churn up", Signals{ChurnRate: capFloat(0.025), PreviousChurnRate: capFloat(0.02)},
			[]Finding{{Severity: SeverityWarning, Signal: "churn_rate", Value: 0.025, Threshold: 0.02}}},
		{"churn at 1.5x", Signals{ChurnRate: capFloat(0.03), PreviousChurnRate: capFloat(0.02)},
			[]Finding{{Severity: SeverityCritical, Signal: "churn_rate", Value: 0.03, Threshold: 0.03}}},
		{"churn from zero", Signals{ChurnRate: capFloat(0.01), PreviousChurnRate: capFloat(0)},
			[]Finding{{Severity: SeverityCritical, Signal: "churn_rate", Value: 0.01, Threshold: 0}}},
		{"45 hours", Signals{CSMWeeklyHours: capFloat(45)}, nil},
		{"46 hours", Signals{CSMWeeklyHours: capFloat(46)},
			[]Finding{{Severity: SeverityWarning, Signal: "csm_weekly_hours", Value: 46, Threshold: 45}}},
		{"50 hours", Signals{CSMWeeklyHours: capFloat(50)},
			[]Finding{{Severity: SeverityWarning, Signal: "csm_weekly_hours", Value: 50, Threshold: 45}}},
		{"51 hours", Signals{CSMWeeklyHours: capFloat(51)},
			[]Finding{{Severity: SeverityCritical, Signal: "csm_weekly_hours", Value: 51, Threshold: 50}}},
		{"completion 0.9", Signals{TouchpointCompletionRate: capFloat(0.9)}, nil},
		{"completion 0.89", Signals{TouchpointCompletionRate: capFloat(0.89)},
			[]Finding{{Severity: SeverityWarning, Signal: "touchpoint_completion_rate", Value: 0.89, Threshold: 0.9}}},
		{"completion 0.75", Signals{TouchpointCompletionRate: capFloat(0.75)},
			[]Finding{{Severity: SeverityWarning, Signal: "touchpoint_completion_rate", Value: 0.75, Threshold: 0.9}}},
		{"completion 0.74", Signals{TouchpointCompletionRate: capFloat(0.74)},
			[]Finding{{Severity: SeverityCritical, Signal: "touchpoint_completion_rate", Value: 0.74, Threshold: 0.75}}},
		{"no contact 0.10", Signals{AccountsWithoutRecentContactShare: capFloat(0.10)}, nil},
		{"no contact 0.11", Signals{AccountsWithoutRecentContactShare: capFloat(0.11)},
			[]Finding{{Severity: SeverityWarning, Signal: "accounts_without_recent_contact_share", Value: 0.11, Threshold: 0.10}}},
		{"no contact 0.25", Signals{AccountsWithoutRecentContactShare: capFloat(0.25)},
			[]Finding{{Severity: SeverityWarning, Signal: "accounts_without_recent_contact_share", Value: 0.25, Threshold: 0.10}}},
		{"no contact 0.26", Signals{AccountsWithoutRecentContactShare: capFloat(0.26)},
			[]Finding{{Severity: SeverityCritical, Signal: "accounts_without_recent_contact_share", Value: 0.26, Threshold: 0.25}}},
		{"all at once, in request order", Signals{
			ChurnRate: capFloat(0.05), PreviousChurnRate: capFloat(0.04), CSMWeeklyHours: capFloat(55),
			TouchpointCompletionRate: capFloat(0.8), AccountsWithoutRecentContactShare: capFloat(0.3),
		}, []Finding{
			{Severity: SeverityWarning, Signal: "churn_rate", Value: 0.05, Threshold: 0.04},
			{Severity: SeverityCritical, Signal: "csm_weekly_hours", Value: 55, Threshold: 50},
			{Severity: SeverityWarning, Signal: "touchpoint_completion_rate", Value: 0.8, Threshold: 0.9},
			{Severity: SeverityCritical, Signal: "accounts_without_recent_contact_share", Value: 0.3, Threshold: 0.25},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A healthy team, so that only signals produce findings.
			req := TeamRequest{CSMCount: 4, Accounts: 110, ARR: 6_000_000, Signals: tt.signals}
			got := mustEvaluate(t, req)
			if diff := cmp.Diff(tt.want, got.Findings, capFloatCmp, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Finding{}, "Message")); diff != "" {
				t.Errorf("EvaluateTeam(signals %s) findings (-want +got):\n%s", tt.name, diff)
			}
			for _, f := range got.Findings {
				if f.Message == "" || f.Factor != FactorUnspecified {
					t.Errorf("EvaluateTeam(signals %s) finding %+v: want a message and no factor", tt.name, f)
				}
			}
		})
	}
}

func TestEvaluateTeamOverrides(t *testing.T) {
	req := TeamRequest{
		CSMCount: 2, Accounts: 80, ARR: 2_800_000, TouchModel: TouchModelHigh, Complexity: ComplexityModerate,
		Benchmarks: BenchmarkOverrides{
			TouchModels:      []TouchModelOverride{{TouchModel: TouchModelHigh, ARRPerCSMFloor: capFloat(1_500_000), AccountsCap: capFloat(35)}},
			SignalThresholds: SignalThresholdOverrides{CSMWeeklyHoursWarning: capFloat(42)},
		},
		Signals: Signals{CSMWeeklyHours: capFloat(43)},
	}
	got := mustEvaluate(t, req)
	arr, vol := factorOf(t, got, FactorARR), factorOf(t, got, FactorVolume)
	if arr.HealthyMin != 1_500_000 || arr.Status != LoadStatusUnder {
		t.Errorf("EvaluateTeam(floor 1.5M, 1.4M per CSM) ARR = min %v, %v; want 1.5e6, UNDER", arr.HealthyMin, arr.Status)
	}
	if vol.Limit != 35 || vol.Status != LoadStatusOver {
		t.Errorf("EvaluateTeam(cap 35, 40 per CSM) volume = cap %v, %v; want 35, OVER", vol.Limit, vol.Status)
	}
	if high := got.Benchmarks.TouchModel(TouchModelHigh); high.ARRPerCSMFloor != 1_500_000 || high.AccountsCap != 35 || high.IdealAccountsMax != 30 {
		t.Errorf("EvaluateTeam benchmarks HIGH = %+v, want the overrides applied and the rest kept", high)
	}
	if got.Benchmarks.SignalThresholds.CSMWeeklyHoursWarning != 42 {
		t.Errorf("EvaluateTeam benchmarks signal thresholds = %+v, want the weekly hours warning at 42", got.Benchmarks.SignalThresholds)
	}
	wantAssume := []Assumption{
		{Name: "touch_model", Value: "TOUCH_MODEL_HIGH", Source: SourceRequest},
		{Name: "complexity", Value: "PRODUCT_COMPLEXITY_MODERATE", Source: SourceRequest},
	}
	if diff := cmp.Diff(wantAssume, got.Assumptions); diff != "" {
		t.Errorf("EvaluateTeam assumptions (-want +got):\n%s", diff)
	}
	var weekly bool
	for _, f := range got.Findings {
		weekly = weekly || (f.Signal == "csm_weekly_hours" && f.Threshold == 42)
	}
	if !weekly {
		t.Errorf("EvaluateTeam findings = %+v, want a csm_weekly_hours finding at the overridden 42", got.Findings)
	}
}

func TestEvaluateTeamErrors(t *testing.T) {
	tests := []struct {
		name string
		req  TeamRequest
		want []string
	}{
		{"every field bad", TeamRequest{
			CSMCount: -1, Accounts: -1, ARR: math.NaN(), TouchModel: TouchModel(9), Complexity: Complexity(-1),
			WorkloadCSMFTE: capFloat(-0.5),
			Benchmarks:     BenchmarkOverrides{TouchModels: []TouchModelOverride{{TouchModel: TouchModelLow, AccountsCap: capFloat(-1)}}},
			Signals: Signals{
				ChurnRate: capFloat(2), PreviousChurnRate: capFloat(-0.1), CSMWeeklyHours: capFloat(200),
				TouchpointCompletionRate: capFloat(math.Inf(1)), AccountsWithoutRecentContactShare: capFloat(25),
			},
		}, []string{
			"csm_count", "accounts", "arr", "touch_model", "complexity", "workload_csm_fte",
			"benchmarks.touch_models[0].accounts_cap",
			"signals.churn_rate", "signals.previous_churn_rate", "signals.csm_weekly_hours",
			"signals.touchpoint_completion_rate", "signals.accounts_without_recent_contact_share",
		}},
		{"infinite ARR and FTE", TeamRequest{CSMCount: 1, ARR: math.Inf(1), WorkloadCSMFTE: capFloat(math.NaN())}, []string{"arr", "workload_csm_fte"}},
		{"negative hours", TeamRequest{CSMCount: 1, Signals: Signals{CSMWeeklyHours: capFloat(-1)}}, []string{"signals.csm_weekly_hours"}},
		{"ARR past MaxAmount", TeamRequest{CSMCount: 1, ARR: 1e300}, []string{"arr"}},
		{"more CSMs than a count holds", TeamRequest{CSMCount: 1, ARR: MaxAmount, WorkloadCSMFTE: capFloat(1e12)}, []string{"workload_csm_fte"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EvaluateTeam(tt.req)
			if err == nil {
				t.Fatalf("EvaluateTeam(%+v) = %+v, want an error", tt.req, got)
			}
			if diff := cmp.Diff(sortedFields(tt.want...), violationFields(t, err)); diff != "" {
				t.Errorf("EvaluateTeam(%+v) error fields (-want +got):\n%s", tt.req, diff)
			}
		})
	}
}

// TestEvaluateTeamPlaybookFirst: by default the company's own journey or
// ratio sets the need, and the benchmarks stay as guardrails with their
// own counts; the cap warning names the basis and the figure.
func TestEvaluateTeamPlaybookFirst(t *testing.T) {
	// A playbook needing 4 FTE for 150 accounts (37.5 each) on 4 CSMs: the
	// volume benchmark alone would call for 5.
	got := mustEvaluate(t, TeamRequest{CSMCount: 4, Accounts: 150, ARR: 4_000_000, WorkloadCSMFTE: capFloat(4)})
	if got.BindingFactor != FactorWorkload || got.CSMsNeeded != 4 || got.Basis != SizingBasisPlaybook || got.Policy != SizingPolicyPlaybookFirst {
		t.Errorf("playbook first = %v %d %v %v, want WORKLOAD 4 PLAYBOOK", got.BindingFactor, got.CSMsNeeded, got.Basis, got.Policy)
	}
	if got.Factors[1].CSMsNeeded != 5 {
		t.Errorf("the volume guardrail lost its own count: %+v", got.Factors[1])
	}
	// A ratio of 36 sets the volume band's maximum and the need.
	got = mustEvaluate(t, TeamRequest{CSMCount: 3, Accounts: 108, ARR: 4_000_000, AccountsPerCSM: capFloat(36)})
	if got.BindingFactor != FactorVolume || got.CSMsNeeded != 3 || got.Basis != SizingBasisCoverageRatio || got.Factors[1].HealthyMax != 36 {
		t.Errorf("a ratio of 36 = %v %d %v max %v", got.BindingFactor, got.CSMsNeeded, got.Basis, got.Factors[1].HealthyMax)
	}
	// A ratio past the cap: the warning says so, with both figures.
	got = mustEvaluate(t, TeamRequest{CSMCount: 2, Accounts: 120, ARR: 2_000_000, AccountsPerCSM: capFloat(60)})
	found := false
	for _, f := range got.Findings {
		found = found || f.Message == "Your ratio of 60 accounts per CSM is above the cap of 50 for high-touch with a moderately complex product: check the journey's hours or plan below the cap."
	}
	if !found {
		t.Errorf("no cap warning for a ratio of 60: %+v", got.Findings)
	}
	for _, f := range mustEvaluate(t, TeamRequest{CSMCount: 3, Accounts: 108, ARR: 4_000_000, AccountsPerCSM: capFloat(36)}).Findings {
		if f.Threshold == 50 && f.Factor == FactorVolume {
			t.Errorf("a cap warning for a ratio of 36: %q", f.Message)
		}
	}
	if _, err := EvaluateTeam(TeamRequest{CSMCount: 1, Accounts: 10, AccountsPerCSM: capFloat(10), WorkloadCSMFTE: capFloat(1)}); err == nil ||
		!strings.Contains(err.Error(), "accounts_per_csm: give workload_csm_fte") {
		t.Errorf("both a ratio and a workload: %v", err)
	}
}

// TestChurnAsAPercentage: churn of 1 (meant 1%) is refused with the
// fraction it probably meant; 0.6 a period is high but possible.
func TestChurnAsAPercentage(t *testing.T) {
	_, err := EvaluateTeam(TeamRequest{CSMCount: 1, Accounts: 10, Signals: Signals{ChurnRate: capFloat(1), PreviousChurnRate: capFloat(3)}})
	for _, want := range []string{"signals.churn_rate: rates are fractions: 1% churn is 0.01, got 1", "signals.previous_churn_rate: rates are fractions: 1% churn is 0.01, got 3"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("EvaluateTeam = %v, want %q", err, want)
		}
	}
	if _, err := EvaluateTeam(TeamRequest{CSMCount: 1, Accounts: 10, Signals: Signals{ChurnRate: capFloat(0.6), PreviousChurnRate: capFloat(0.4)}}); err != nil {
		t.Errorf("churn of 60%% a period: %v", err)
	}
}
