package capacity

import "strings"

// Benchmarks are the rules of thumb a team is measured against: per touch
// model the ARR-per-CSM band and the accounts-per-CSM ranges, the
// product-complexity multipliers on accounts, and the thresholds that turn
// signals into findings. Every value carries its source.
type Benchmarks struct {
	TouchModels           []TouchModelBenchmark
	ComplexityMultipliers []ComplexityMultiplier
	SignalThresholds      SignalThresholds
}

// TouchModelBenchmark holds the bands of one touch model.
type TouchModelBenchmark struct {
	TouchModel TouchModel
	// ARRPerCSMFloor is the efficiency milestone: below it the team is
	// expensive for its book.
	ARRPerCSMFloor float64
	// ARRPerCSMCeiling is the capacity ceiling: above it the team is
	// overloaded.
	ARRPerCSMCeiling float64
	// IdealAccountsMin and IdealAccountsMax bound the healthy book size.
	IdealAccountsMin float64
	IdealAccountsMax float64
	// AccountsCap is the most accounts a CSM should ever carry.
	AccountsCap float64
	// Source cites the source of each value.
	Source string
}

// ComplexityMultiplier scales the accounts ranges for one complexity.
type ComplexityMultiplier struct {
	Complexity Complexity
	Multiplier float64
	Source     string
}

// SignalThresholds turn the optional signals of an evaluation into
// findings (seed 000's "natural indicators that your model needs
// refinement"). The values are assumptions.
type SignalThresholds struct {
	// ChurnIncreaseCriticalRatio: churn at this multiple of last period's
	// or more is CRITICAL; any increase is a WARNING.
	ChurnIncreaseCriticalRatio float64
	CSMWeeklyHoursWarning      float64
	CSMWeeklyHoursCritical     float64
	// Completion of planned touchpoints below these shares.
	TouchpointCompletionWarning  float64
	TouchpointCompletionCritical float64
	// Share of accounts without recent contact above these.
	NoRecentContactShareWarning  float64
	NoRecentContactShareCritical float64
	Source                       string
}

// DefaultBenchmarks returns the documented defaults with their sources. Each
// call returns a fresh copy that the caller may change.
func DefaultBenchmarks() Benchmarks {
	return Benchmarks{
		TouchModels: []TouchModelBenchmark{
			{
				TouchModel:       TouchModelHigh,
				ARRPerCSMFloor:   1_000_000,
				ARRPerCSMCeiling: 2_000_000,
				IdealAccountsMin: 25,
				IdealAccountsMax: 30,
				AccountsCap:      50,
				Source:           "arr_per_csm_floor: seed 004 ($1M per CSM, the first milestone for high-touch); arr_per_csm_ceiling: seeds 000/001 (about $2M ACV per CSM); ideal_accounts_min, ideal_accounts_max: seeds 000/001 (25-30 accounts); accounts_cap: seeds 000/001 (never over 50)",
			},
			{
				TouchModel:       TouchModelLow,
				ARRPerCSMFloor:   2_000_000,
				ARRPerCSMCeiling: 5_000_000,
				IdealAccountsMin: 75,
				IdealAccountsMax: 125,
				AccountsCap:      200,
				Source:           "arr_per_csm_floor: seed 004 ($2M per CSM for low/tech-touch); arr_per_csm_ceiling: assumption (published ranges $2-5M); ideal_accounts_min, ideal_accounts_max: assumption (published pooled/SMB ranges 30-200); accounts_cap: assumption",
			},
			{
				TouchModel:       TouchModelTech,
				ARRPerCSMFloor:   2_000_000,
				ARRPerCSMCeiling: 10_000_000,
				IdealAccountsMin: 500,
				IdealAccountsMax: 1000,
				AccountsCap:      2000,
				Source:           "arr_per_csm_floor: seed 004 ($2M per CSM for low/tech-touch); arr_per_csm_ceiling: assumption; ideal_accounts_min, ideal_accounts_max: assumption (published \"500+\", \"1000:1\"); accounts_cap: assumption",
			},
		},
		ComplexityMultipliers: []ComplexityMultiplier{
			{Complexity: ComplexitySimple, Multiplier: 1.5, Source: "assumption: simpler products carry more accounts"},
			{Complexity: ComplexityModerate, Multiplier: 1.0, Source: "assumption: the benchmarks' own accounts ranges"},
			{Complexity: ComplexityComplex, Multiplier: 0.6, Source: "assumption: complex products carry fewer accounts"},
		},
		SignalThresholds: SignalThresholds{
			ChurnIncreaseCriticalRatio:   1.5,
			CSMWeeklyHoursWarning:        45,
			CSMWeeklyHoursCritical:       50,
			TouchpointCompletionWarning:  0.9,
			TouchpointCompletionCritical: 0.75,
			NoRecentContactShareWarning:  0.10,
			NoRecentContactShareCritical: 0.25,
			Source:                       "assumption: signals from seed 000's indicators that a model needs refinement; the levels are ours",
		},
	}
}

// TouchModel returns the benchmark of model m; m must be a defined model.
func (b *Benchmarks) TouchModel(m TouchModel) TouchModelBenchmark {
	for _, t := range b.TouchModels {
		if t.TouchModel == m {
			return t
		}
	}
	return TouchModelBenchmark{TouchModel: m}
}

// Multiplier returns the accounts multiplier of complexity c.
func (b *Benchmarks) Multiplier(c Complexity) float64 {
	for _, m := range b.ComplexityMultipliers {
		if m.Complexity == c {
			return m.Multiplier
		}
	}
	return 1
}

// BenchmarkOverrides replace single benchmark values for one request; a nil
// field keeps the default.
type BenchmarkOverrides struct {
	TouchModels           []TouchModelOverride
	ComplexityMultipliers []ComplexityOverride
	SignalThresholds      SignalThresholdOverrides
}

// TouchModelOverride replaces values of one touch model's benchmark.
type TouchModelOverride struct {
	TouchModel       TouchModel
	ARRPerCSMFloor   *float64
	ARRPerCSMCeiling *float64
	IdealAccountsMin *float64
	IdealAccountsMax *float64
	AccountsCap      *float64
}

// ComplexityOverride replaces one complexity's multiplier.
type ComplexityOverride struct {
	Complexity Complexity
	Multiplier *float64
}

// SignalThresholdOverrides replace single signal thresholds.
type SignalThresholdOverrides struct {
	ChurnIncreaseCriticalRatio   *float64
	CSMWeeklyHoursWarning        *float64
	CSMWeeklyHoursCritical       *float64
	TouchpointCompletionWarning  *float64
	TouchpointCompletionCritical *float64
	NoRecentContactShareWarning  *float64
	NoRecentContactShareCritical *float64
}

// Apply returns b with the overrides in o, validated. prefix is the path of
// the overrides in the request ("benchmarks").
func (b Benchmarks) Apply(o BenchmarkOverrides, prefix string) (Benchmarks, error) {
	var v violations
	out := b
	out.TouchModels = append([]TouchModelBenchmark(nil), b.TouchModels...)
	out.ComplexityMultipliers = append([]ComplexityMultiplier(nil), b.ComplexityMultipliers...)

	seenModel := map[TouchModel]bool{}
	for i, t := range o.TouchModels {
		p := index(path(prefix, "touch_models"), i)
		if t.TouchModel == TouchModelUnspecified || !t.TouchModel.Valid() {
			v.add(path(p, "touch_model"), "name the touch model this override is for: TOUCH_MODEL_HIGH, TOUCH_MODEL_LOW or TOUCH_MODEL_TECH")
			continue
		}
		if seenModel[t.TouchModel] {
			v.add(path(p, "touch_model"), "%s is overridden twice; give each touch model once", t.TouchModel)
			continue
		}
		seenModel[t.TouchModel] = true
		for j := range out.TouchModels {
			tm := &out.TouchModels[j]
			if tm.TouchModel != t.TouchModel {
				continue
			}
			var changed []string
			set := func(field string, dst *float64, src *float64) {
				if src == nil {
					return
				}
				if !finite(*src) || *src <= 0 {
					v.add(path(p, field), "must be a positive number, got %s", formatFloat(*src))
					return
				}
				*dst = *src
				changed = append(changed, field)
			}
			set("arr_per_csm_floor", &tm.ARRPerCSMFloor, t.ARRPerCSMFloor)
			set("arr_per_csm_ceiling", &tm.ARRPerCSMCeiling, t.ARRPerCSMCeiling)
			set("ideal_accounts_min", &tm.IdealAccountsMin, t.IdealAccountsMin)
			set("ideal_accounts_max", &tm.IdealAccountsMax, t.IdealAccountsMax)
			set("accounts_cap", &tm.AccountsCap, t.AccountsCap)
			if tm.ARRPerCSMFloor > tm.ARRPerCSMCeiling {
				v.add(path(p, "arr_per_csm_floor"), "the floor (%s) must not exceed the ceiling (%s)", formatFloat(tm.ARRPerCSMFloor), formatFloat(tm.ARRPerCSMCeiling))
			}
			if tm.IdealAccountsMin > tm.IdealAccountsMax {
				v.add(path(p, "ideal_accounts_min"), "the ideal minimum (%s) must not exceed the ideal maximum (%s)", formatFloat(tm.IdealAccountsMin), formatFloat(tm.IdealAccountsMax))
			}
			if tm.IdealAccountsMax > tm.AccountsCap {
				v.add(path(p, "ideal_accounts_max"), "the ideal maximum (%s) must not exceed the cap (%s)", formatFloat(tm.IdealAccountsMax), formatFloat(tm.AccountsCap))
			}
			if len(changed) > 0 {
				tm.Source = overriddenSource(tm.Source, changed)
			}
		}
	}

	seenComplexity := map[Complexity]bool{}
	for i, c := range o.ComplexityMultipliers {
		p := index(path(prefix, "complexity_multipliers"), i)
		if c.Complexity == ComplexityUnspecified || !c.Complexity.Valid() {
			v.add(path(p, "complexity"), "name the complexity this override is for: PRODUCT_COMPLEXITY_SIMPLE, PRODUCT_COMPLEXITY_MODERATE or PRODUCT_COMPLEXITY_COMPLEX")
			continue
		}
		if seenComplexity[c.Complexity] {
			v.add(path(p, "complexity"), "%s is overridden twice; give each complexity once", c.Complexity)
			continue
		}
		seenComplexity[c.Complexity] = true
		if c.Multiplier == nil {
			continue
		}
		if !finite(*c.Multiplier) || *c.Multiplier <= 0 {
			v.add(path(p, "multiplier"), "must be a positive number, got %s", formatFloat(*c.Multiplier))
			continue
		}
		for j := range out.ComplexityMultipliers {
			if out.ComplexityMultipliers[j].Complexity == c.Complexity {
				out.ComplexityMultipliers[j].Multiplier = *c.Multiplier
				out.ComplexityMultipliers[j].Source = SourceRequest
			}
		}
	}

	st := &out.SignalThresholds
	so := o.SignalThresholds
	sp := path(prefix, "signal_thresholds")
	var changed []string
	setThreshold := func(field string, dst *float64, src *float64, share bool) {
		if src == nil {
			return
		}
		switch {
		case !finite(*src) || *src < 0:
			v.add(path(sp, field), "must be a number of 0 or more, got %s", formatFloat(*src))
			return
		case share && *src > 1:
			v.add(path(sp, field), "is a share: give a fraction between 0 and 1 (0.25, not 25), got %s", formatFloat(*src))
			return
		}
		*dst = *src
		changed = append(changed, field)
	}
	setThreshold("churn_increase_critical_ratio", &st.ChurnIncreaseCriticalRatio, so.ChurnIncreaseCriticalRatio, false)
	setThreshold("csm_weekly_hours_warning", &st.CSMWeeklyHoursWarning, so.CSMWeeklyHoursWarning, false)
	setThreshold("csm_weekly_hours_critical", &st.CSMWeeklyHoursCritical, so.CSMWeeklyHoursCritical, false)
	setThreshold("touchpoint_completion_warning", &st.TouchpointCompletionWarning, so.TouchpointCompletionWarning, true)
	setThreshold("touchpoint_completion_critical", &st.TouchpointCompletionCritical, so.TouchpointCompletionCritical, true)
	setThreshold("no_recent_contact_share_warning", &st.NoRecentContactShareWarning, so.NoRecentContactShareWarning, true)
	setThreshold("no_recent_contact_share_critical", &st.NoRecentContactShareCritical, so.NoRecentContactShareCritical, true)
	if so.ChurnIncreaseCriticalRatio != nil && *so.ChurnIncreaseCriticalRatio < 1 && finite(*so.ChurnIncreaseCriticalRatio) {
		v.add(path(sp, "churn_increase_critical_ratio"), "must be 1 or more: it is the multiple of last period's churn that is critical, got %s", formatFloat(*so.ChurnIncreaseCriticalRatio))
	}
	if len(changed) > 0 {
		st.Source = overriddenSource(st.Source, changed)
	}
	return out, v.err()
}

func overriddenSource(source string, fields []string) string {
	return source + "; overridden by request: " + strings.Join(fields, ", ")
}
