package capacity

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestDefaultBenchmarks pins the design's table: HIGH from seeds 000/001 and
// 004, LOW and TECH floors from seed 004, the rest assumptions.
func TestDefaultBenchmarks(t *testing.T) {
	got := DefaultBenchmarks()
	ignoreSource := cmpopts.IgnoreFields(TouchModelBenchmark{}, "Source")
	wantModels := []TouchModelBenchmark{
		{TouchModel: TouchModelHigh, ARRPerCSMFloor: 1_000_000, ARRPerCSMCeiling: 2_000_000, IdealAccountsMin: 25, IdealAccountsMax: 30, AccountsCap: 50},
		{TouchModel: TouchModelLow, ARRPerCSMFloor: 2_000_000, ARRPerCSMCeiling: 5_000_000, IdealAccountsMin: 75, IdealAccountsMax: 125, AccountsCap: 200},
		{TouchModel: TouchModelTech, ARRPerCSMFloor: 2_000_000, ARRPerCSMCeiling: 10_000_000, IdealAccountsMin: 500, IdealAccountsMax: 1000, AccountsCap: 2000},
	}
	if diff := cmp.Diff(wantModels, got.TouchModels, ignoreSource); diff != "" {
		t.Errorf("DefaultBenchmarks().TouchModels (-want +got):\n%s", diff)
	}
	wantMult := map[Complexity]float64{ComplexitySimple: 1.5, ComplexityModerate: 1, ComplexityComplex: 0.6}
	for c, m := range wantMult {
		if g := got.Multiplier(c); g != m {
			t.Errorf("DefaultBenchmarks().Multiplier(%v) = %v, want %v", c, g, m)
		}
	}
	wantSignals := SignalThresholds{
		ChurnIncreaseCriticalRatio: 1.5, CSMWeeklyHoursWarning: 45, CSMWeeklyHoursCritical: 50,
		TouchpointCompletionWarning: 0.9, TouchpointCompletionCritical: 0.75,
		NoRecentContactShareWarning: 0.10, NoRecentContactShareCritical: 0.25,
	}
	if diff := cmp.Diff(wantSignals, got.SignalThresholds, cmpopts.IgnoreFields(SignalThresholds{}, "Source")); diff != "" {
		t.Errorf("DefaultBenchmarks().SignalThresholds (-want +got):\n%s", diff)
	}
	// Every value carries its source; HIGH cites both of its seeds.
	high := got.TouchModel(TouchModelHigh)
	if !strings.Contains(high.Source, "seed 004") || !strings.Contains(high.Source, "seeds 000/001") {
		t.Errorf("DefaultBenchmarks() HIGH source = %q, want it to cite seed 004 and seeds 000/001", high.Source)
	}
	for _, m := range got.TouchModels {
		if m.Source == "" {
			t.Errorf("DefaultBenchmarks() %v has no source", m.TouchModel)
		}
	}
	for _, m := range got.ComplexityMultipliers {
		if m.Source == "" {
			t.Errorf("DefaultBenchmarks() %v multiplier has no source", m.Complexity)
		}
	}
	if got.SignalThresholds.Source == "" {
		t.Error("DefaultBenchmarks() signal thresholds have no source")
	}
}

func TestDefaultBenchmarksFreshCopy(t *testing.T) {
	b := DefaultBenchmarks()
	b.TouchModels[0].AccountsCap = 1
	b.ComplexityMultipliers[0].Multiplier = 9
	if got := DefaultBenchmarks(); got.TouchModels[0].AccountsCap != 50 || got.ComplexityMultipliers[0].Multiplier != 1.5 {
		t.Errorf("DefaultBenchmarks() after a caller's change = %+v, want the defaults", got)
	}
}

func TestBenchmarksLookups(t *testing.T) {
	b := DefaultBenchmarks()
	if got := b.TouchModel(TouchModelTech); got.IdealAccountsMax != 1000 {
		t.Errorf("TouchModel(TECH) = %+v, want ideal max 1000", got)
	}
	if got := b.TouchModel(TouchModelUnspecified); got != (TouchModelBenchmark{}) {
		t.Errorf("TouchModel(UNSPECIFIED) = %+v, want the zero benchmark", got)
	}
	if got := b.Multiplier(ComplexityUnspecified); got != 1 {
		t.Errorf("Multiplier(UNSPECIFIED) = %v, want 1", got)
	}
}

func TestBenchmarksApply(t *testing.T) {
	defaults := DefaultBenchmarks()
	o := BenchmarkOverrides{
		TouchModels: []TouchModelOverride{{TouchModel: TouchModelLow, ARRPerCSMCeiling: capFloat(4_000_000), AccountsCap: capFloat(150)}},
		ComplexityMultipliers: []ComplexityOverride{
			{Complexity: ComplexityComplex, Multiplier: capFloat(0.5)},
			{Complexity: ComplexitySimple}, // named, nothing replaced
		},
		SignalThresholds: SignalThresholdOverrides{CSMWeeklyHoursCritical: capFloat(55), NoRecentContactShareWarning: capFloat(0.05)},
	}
	got, err := defaults.Apply(o, "benchmarks")
	if err != nil {
		t.Fatalf("Apply(%+v) error = %v", o, err)
	}

	want := DefaultBenchmarks()
	low := &want.TouchModels[1]
	low.ARRPerCSMCeiling, low.AccountsCap = 4_000_000, 150
	low.Source += "; overridden by request: arr_per_csm_ceiling, accounts_cap"
	want.ComplexityMultipliers[2].Multiplier, want.ComplexityMultipliers[2].Source = 0.5, SourceRequest
	want.SignalThresholds.CSMWeeklyHoursCritical = 55
	want.SignalThresholds.NoRecentContactShareWarning = 0.05
	want.SignalThresholds.Source += "; overridden by request: csm_weekly_hours_critical, no_recent_contact_share_warning"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Apply(%+v) (-want +got):\n%s", o, diff)
	}
	// Apply works on a copy: the receiver keeps its values.
	if diff := cmp.Diff(DefaultBenchmarks(), defaults); diff != "" {
		t.Errorf("Apply changed its receiver (-want +got):\n%s", diff)
	}
	// No overrides: the defaults, unchanged.
	if got, err := DefaultBenchmarks().Apply(BenchmarkOverrides{}, "benchmarks"); err != nil || !cmp.Equal(got, DefaultBenchmarks()) {
		t.Errorf("Apply(no overrides) = %+v, %v; want the defaults, nil", got, err)
	}
}

func TestBenchmarksApplyErrors(t *testing.T) {
	tests := []struct {
		name string
		o    BenchmarkOverrides
		want []string
	}{
		{"touch models", BenchmarkOverrides{TouchModels: []TouchModelOverride{
			{TouchModel: TouchModelUnspecified, AccountsCap: capFloat(10)},
			{TouchModel: TouchModel(7)},
			{TouchModel: TouchModelHigh, ARRPerCSMFloor: capFloat(-1), IdealAccountsMin: capFloat(0)},
			{TouchModel: TouchModelHigh},
			{TouchModel: TouchModelLow, ARRPerCSMFloor: capFloat(6_000_000), IdealAccountsMin: capFloat(300), IdealAccountsMax: capFloat(250)},
		}}, []string{
			"benchmarks.touch_models[0].touch_model",
			"benchmarks.touch_models[1].touch_model",
			"benchmarks.touch_models[2].arr_per_csm_floor", "benchmarks.touch_models[2].ideal_accounts_min",
			"benchmarks.touch_models[3].touch_model",
			"benchmarks.touch_models[4].arr_per_csm_floor", "benchmarks.touch_models[4].ideal_accounts_min", "benchmarks.touch_models[4].ideal_accounts_max",
		}},
		{"complexities", BenchmarkOverrides{ComplexityMultipliers: []ComplexityOverride{
			{Complexity: ComplexityUnspecified, Multiplier: capFloat(1)},
			{Complexity: ComplexitySimple, Multiplier: capFloat(0)},
			{Complexity: ComplexitySimple, Multiplier: capFloat(2)},
		}}, []string{
			"benchmarks.complexity_multipliers[0].complexity",
			"benchmarks.complexity_multipliers[1].multiplier",
			"benchmarks.complexity_multipliers[2].complexity",
		}},
		{"signal thresholds", BenchmarkOverrides{SignalThresholds: SignalThresholdOverrides{
			ChurnIncreaseCriticalRatio:   capFloat(0.5),
			CSMWeeklyHoursWarning:        capFloat(-1),
			TouchpointCompletionWarning:  capFloat(90),
			NoRecentContactShareCritical: capFloat(1.5),
		}}, []string{
			"benchmarks.signal_thresholds.churn_increase_critical_ratio",
			"benchmarks.signal_thresholds.csm_weekly_hours_warning",
			"benchmarks.signal_thresholds.touchpoint_completion_warning",
			"benchmarks.signal_thresholds.no_recent_contact_share_critical",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DefaultBenchmarks().Apply(tt.o, "benchmarks")
			if err == nil {
				t.Fatalf("Apply(%+v) = %+v, want an error", tt.o, got)
			}
			if diff := cmp.Diff(sortedFields(tt.want...), violationFields(t, err)); diff != "" {
				t.Errorf("Apply(%+v) error fields (-want +got):\n%s", tt.o, diff)
			}
		})
	}
}
