package capacity

import (
	"github.com/csplan/csplan/internal/numfmt"

	"fmt"
	"math"
	"strconv"
)

// TeamRequest asks how loaded a team is today, factor by factor.
type TeamRequest struct {
	CSMCount int32
	Accounts int32
	ARR      float64
	// TouchModel defaults to HIGH, Complexity to MODERATE.
	TouchModel TouchModel
	Complexity Complexity
	// WorkloadCSMFTE is the FTE a bottom-up plan needs for this book; the
	// workload factor is scored only when it is given.
	WorkloadCSMFTE *float64
	Benchmarks     BenchmarkOverrides
	Signals        Signals
	// Currency is the display code of the findings' money (default USD).
	Currency string
	// Policy is PLAYBOOK_FIRST (the default): the need is the workload's
	// when WorkloadCSMFTE is given, the ratio's when AccountsPerCSM is,
	// else the larger of volume and ARR; MOST_CONSTRAINED takes the
	// factor that needs most CSMs.
	Policy SizingPolicy
	// AccountsPerCSM is the company's own coverage ratio: the volume
	// factor's healthy maximum, as given (not with WorkloadCSMFTE).
	AccountsPerCSM *float64
}

// Signals are optional observations that a model needs refinement (seed
// 000). Rates and shares are fractions.
type Signals struct {
	ChurnRate                         *float64
	PreviousChurnRate                 *float64
	CSMWeeklyHours                    *float64
	TouchpointCompletionRate          *float64
	AccountsWithoutRecentContactShare *float64
}

// TeamEvaluation scores each factor and names the one that binds.
type TeamEvaluation struct {
	ARRPerCSM      float64
	AccountsPerCSM float64
	Factors        []FactorResult
	BindingFactor  Factor
	CSMsNeeded     int32
	// CSMGap is CSMsNeeded - CSMCount: negative when the team is larger
	// than needed.
	CSMGap      int32
	Findings    []Finding
	Benchmarks  Benchmarks
	Assumptions []Assumption
	// Basis is what the need comes from, Policy how it was chosen.
	Basis  SizingBasis
	Policy SizingPolicy
}

// FactorResult is one factor's value placed in its band.
type FactorResult struct {
	Factor     Factor
	Value      float64
	HealthyMin float64
	HealthyMax float64
	Limit      float64
	Status     LoadStatus
	CSMsNeeded int32
}

// Finding is something a person should act on.
type Finding struct {
	Severity Severity
	// Signal is the request field of the signal (churn_rate), empty for a
	// factor's finding, which sets Factor.
	Signal    string
	Factor    Factor
	Value     float64
	Threshold float64
	Message   string
}

// The workload band: utilization is the FTE a bottom-up plan needs over the
// CSMs on the team. Below the healthy minimum the team has slack; above the
// limit the playbook cannot be delivered.
const (
	WorkloadHealthyMin = 0.7
	WorkloadLimit      = 1.0
)

// Sources of the evaluation's defaults, echoed in assumptions.
const (
	sourceDefaultTouchModel = "assumption: dedicated CSMs, the model seeds 000/001 describe"
	sourceDefaultComplexity = "assumption: the benchmarks' own accounts ranges"
)

// EvaluateTeam scores a team against the benchmarks of its touch model,
// factor by factor (ARR per CSM, accounts per CSM and, where a bottom-up FTE
// is given, workload), names the factor that binds, and turns bad factors
// and signals into findings. Every bad field is reported at once in a
// *ValidationError.
func EvaluateTeam(req TeamRequest) (TeamEvaluation, error) {
	v := validateTeam(req)
	bench, err := DefaultBenchmarks().Apply(req.Benchmarks, "benchmarks")
	v.merge(err)
	if !v.empty() {
		return TeamEvaluation{}, v.err()
	}
	model, complexity, as := teamDefaults(req)
	factors := scoreFactors(req, bench.TouchModel(model), bench.Multiplier(complexity))
	for _, f := range factors {
		if f.CSMsNeeded < 0 {
			// A need beyond int32 only comes from absurd inputs or
			// benchmark overrides; name the load that caused it.
			v.add(factorField[f.Factor], "needs more CSMs than a team can count (%d): check the units and the benchmarks", math.MaxInt32)
		}
	}
	if !v.empty() {
		return TeamEvaluation{}, v.err()
	}

	policy := req.Policy
	if policy == SizingPolicyUnspecified {
		policy = SizingPolicyPlaybookFirst
	}
	binding, basis := sizeBy(req, factors, policy)
	ctx := findingContext{model: model, complexity: complexity, req: req}
	findings := factorFindings(factors, ctx)
	findings = append(findings, capGuardrail(req, factors[1], basis, ctx)...)
	findings = append(findings, signalFindings(req.Signals, bench.SignalThresholds)...)
	return TeamEvaluation{
		ARRPerCSM:      factors[0].Value,
		AccountsPerCSM: factors[1].Value,
		Factors:        factors,
		BindingFactor:  binding.Factor,
		CSMsNeeded:     binding.CSMsNeeded,
		CSMGap:         binding.CSMsNeeded - req.CSMCount,
		Findings:       findings,
		Benchmarks:     bench,
		Assumptions:    as,
		Basis:          basis,
		Policy:         policy,
	}, nil
}

// sizeBy is the factor that sets the need and the basis it stands for.
// Under PLAYBOOK_FIRST the company's own journey or ratio sets it, else
// the larger of volume and ARR; under MOST_CONSTRAINED the factor that
// needs most CSMs.
func sizeBy(req TeamRequest, factors []FactorResult, policy SizingPolicy) (FactorResult, SizingBasis) {
	basisOf := func(f FactorResult) SizingBasis {
		switch {
		case f.Factor == FactorWorkload:
			return SizingBasisPlaybook
		case f.Factor == FactorVolume && req.AccountsPerCSM != nil:
			return SizingBasisCoverageRatio
		default:
			return SizingBasisBenchmark
		}
	}
	if policy == SizingPolicyMostConstrained {
		b := bindingFactor(factors)
		return b, basisOf(b)
	}
	switch {
	case req.WorkloadCSMFTE != nil:
		return factors[2], SizingBasisPlaybook
	case req.AccountsPerCSM != nil:
		return factors[1], SizingBasisCoverageRatio
	default:
		return bindingFactor(factors[:2]), SizingBasisBenchmark
	}
}

// capGuardrail warns when the basis implies more accounts per CSM than
// the cap (scaled by complexity): the ratio, or accounts over the
// playbook's FTE.
func capGuardrail(req TeamRequest, volume FactorResult, basis SizingBasis, ctx findingContext) []Finding {
	var implied float64
	var what string
	switch {
	case basis == SizingBasisCoverageRatio:
		implied, what = *req.AccountsPerCSM, "Your ratio of "+numberText(*req.AccountsPerCSM)+" accounts per CSM"
	case basis == SizingBasisPlaybook && req.WorkloadCSMFTE != nil && *req.WorkloadCSMFTE > 0:
		implied = float64(req.Accounts) / *req.WorkloadCSMFTE
		what = "The playbook's " + numberText(implied) + " accounts per CSM"
	default:
		return nil
	}
	if !above(implied, volume.Limit) {
		return nil
	}
	return []Finding{{Severity: SeverityWarning, Factor: FactorVolume, Value: implied, Threshold: volume.Limit,
		Message: fmt.Sprintf("%s is above the cap of %s for %s with a %s product: check the journey's hours or plan below the cap.",
			what, numberText(volume.Limit), touchModelText(ctx.model), complexityText(ctx.complexity))}}
}

// teamDefaults resolves the touch model (default HIGH) and complexity
// (default MODERATE) and records both, given or defaulted, as assumptions.
func teamDefaults(req TeamRequest) (TouchModel, Complexity, []Assumption) {
	var as assumptions
	model, modelSource := req.TouchModel, SourceRequest
	if model == TouchModelUnspecified {
		model, modelSource = TouchModelHigh, sourceDefaultTouchModel
	}
	as.add("touch_model", model.String(), modelSource)
	complexity, complexitySource := req.Complexity, SourceRequest
	if complexity == ComplexityUnspecified {
		complexity, complexitySource = ComplexityModerate, sourceDefaultComplexity
	}
	as.add("complexity", complexity.String(), complexitySource)
	return model, complexity, as
}

// scoreFactors scores ARR, VOLUME and, where a bottom-up FTE is given,
// WORKLOAD, in that order (bindingFactor relies on it).
func scoreFactors(req TeamRequest, tm TouchModelBenchmark, mult float64) []FactorResult {
	csms := float64(req.CSMCount)
	volume := volumeFactor(float64(req.Accounts), csms, tm, mult)
	if r := req.AccountsPerCSM; r != nil {
		// The company's own ratio is the healthy maximum, as given.
		volume.HealthyMax = *r
		volume.CSMsNeeded = factorCSMs(float64(req.Accounts) / *r)
		volume.Status = bandStatus(float64(req.Accounts), csms, volume)
	}
	factors := []FactorResult{arrFactor(req.ARR, csms, tm), volume}
	if req.WorkloadCSMFTE != nil {
		factors = append(factors, workloadFactor(*req.WorkloadCSMFTE, csms))
	}
	return factors
}

// factorField is the request field that carries each factor's load.
var factorField = map[Factor]string{
	FactorARR:      "arr",
	FactorVolume:   "accounts",
	FactorWorkload: "workload_csm_fte",
}

// validateTeam checks every field of req except the benchmark overrides,
// which Benchmarks.Apply checks.
func validateTeam(req TeamRequest) *violations {
	v := &violations{}
	if req.CSMCount < 0 {
		v.add("csm_count", "must be 0 or more, got %d", req.CSMCount)
	}
	if req.Accounts < 0 {
		v.add("accounts", "must be 0 or more, got %d", req.Accounts)
	}
	checkAmount(v, "arr", req.ARR)
	if !req.TouchModel.Valid() {
		v.add("touch_model", "%d is not a touch model: use TOUCH_MODEL_HIGH, TOUCH_MODEL_LOW or TOUCH_MODEL_TECH", int32(req.TouchModel))
	}
	if !req.Complexity.Valid() {
		v.add("complexity", "%d is not a product complexity: use PRODUCT_COMPLEXITY_SIMPLE, PRODUCT_COMPLEXITY_MODERATE or PRODUCT_COMPLEXITY_COMPLEX", int32(req.Complexity))
	}
	if w := req.WorkloadCSMFTE; w != nil && (!finite(*w) || *w < 0) {
		v.add("workload_csm_fte", "must be 0 or more FTE, got %s", formatFloat(*w))
	}
	if r := req.AccountsPerCSM; r != nil {
		switch {
		case req.WorkloadCSMFTE != nil:
			v.add("accounts_per_csm", "give workload_csm_fte (a playbook's FTE) or accounts_per_csm (a ratio), not both")
		case !finite(*r) || *r <= 0:
			v.add("accounts_per_csm", "must be above 0 accounts, got %s", formatFloat(*r))
		}
	}
	if req.Policy < 0 || req.Policy > SizingPolicyMostConstrained {
		v.add("sizing_policy", "%d is not a sizing policy: use SIZING_POLICY_PLAYBOOK_FIRST or SIZING_POLICY_MOST_CONSTRAINED", int32(req.Policy))
	}
	s := req.Signals
	checkChurn(v, "signals.churn_rate", s.ChurnRate)
	checkChurn(v, "signals.previous_churn_rate", s.PreviousChurnRate)
	if h := s.CSMWeeklyHours; h != nil && (!finite(*h) || *h < 0 || *h > MaxWeeklyHours) {
		v.add("signals.csm_weekly_hours", "must be 0 to %d hours a week, got %s", MaxWeeklyHours, formatFloat(*h))
	}
	checkShare(v, "signals.touchpoint_completion_rate", s.TouchpointCompletionRate)
	checkShare(v, "signals.accounts_without_recent_contact_share", s.AccountsWithoutRecentContactShare)
	return v
}

// checkShare rejects a given rate or share outside [0, 1].
// checkChurn checks a period's logo churn: a fraction, where 1 (every
// account lost) is surely 1% written as a percentage.
func checkChurn(v *violations, field string, x *float64) {
	if x != nil && finite(*x) && *x >= 1 {
		v.add(field, "rates are fractions: 1%% churn is 0.01, got %s (which would be every account lost)", formatFloat(*x))
		return
	}
	checkShare(v, field, x)
}

func checkShare(v *violations, field string, x *float64) {
	if x != nil && (!finite(*x) || *x < 0 || *x > 1) {
		v.add(field, "is a fraction between 0 and 1 (0.25, not 25), got %s", formatFloat(*x))
	}
}

// arrFactor scores ARR per CSM against the touch model's band: below the
// floor (the efficiency milestone) the team is expensive for its book,
// above the ceiling it is overloaded.
func arrFactor(arr, csms float64, tm TouchModelBenchmark) FactorResult {
	f := FactorResult{
		Factor:     FactorARR,
		Value:      ratio(arr, csms),
		HealthyMin: tm.ARRPerCSMFloor,
		HealthyMax: tm.ARRPerCSMCeiling,
		Limit:      tm.ARRPerCSMCeiling,
		CSMsNeeded: factorCSMs(arr / tm.ARRPerCSMCeiling),
	}
	f.Status = bandStatus(arr, csms, f)
	return f
}

// volumeFactor scores accounts per CSM against the touch model's ranges
// scaled by the complexity multiplier (unrounded): STRETCHED between the
// ideal maximum and the cap.
func volumeFactor(accounts, csms float64, tm TouchModelBenchmark, mult float64) FactorResult {
	f := FactorResult{
		Factor:     FactorVolume,
		Value:      ratio(accounts, csms),
		HealthyMin: tm.IdealAccountsMin * mult,
		HealthyMax: tm.IdealAccountsMax * mult,
		Limit:      tm.AccountsCap * mult,
		CSMsNeeded: factorCSMs(accounts / (tm.IdealAccountsMax * mult)),
	}
	f.Status = bandStatus(accounts, csms, f)
	return f
}

// workloadFactor scores utilization, the bottom-up FTE over the CSMs.
func workloadFactor(fte, csms float64) FactorResult {
	f := FactorResult{
		Factor:     FactorWorkload,
		Value:      ratio(fte, csms),
		HealthyMin: WorkloadHealthyMin,
		HealthyMax: WorkloadLimit,
		Limit:      WorkloadLimit,
		CSMsNeeded: factorCSMs(fte),
	}
	f.Status = bandStatus(fte, csms, f)
	return f
}

// bandStatus places f.Value in f's band: UNDER below the healthy minimum,
// HEALTHY up to and including the healthy maximum, STRETCHED up to and
// including the limit (only where the limit lies above the healthy maximum,
// as for volume), OVER past the limit.
//
// With no CSMs the per-CSM value is 0 and says nothing: load with no one to
// carry it is OVER (the design's rule), and no load with no team is HEALTHY,
// since nothing is over- or under-served and there is no team to be
// expensive; that case gives no finding.
func bandStatus(load, csms float64, f FactorResult) LoadStatus {
	switch {
	case csms == 0 && above(load, 0):
		return LoadStatusOver
	case csms == 0:
		return LoadStatusHealthy
	case below(f.Value, f.HealthyMin):
		return LoadStatusUnder
	case !above(f.Value, f.HealthyMax):
		return LoadStatusHealthy
	case !above(f.Value, f.Limit):
		return LoadStatusStretched
	default:
		return LoadStatusOver
	}
}

// factorCSMs is ceil with the tolerance as a count; -1 flags a need too
// large for int32 (or not a number), which the caller rejects.
func factorCSMs(x float64) int32 {
	n := ceilTol(x)
	if !finite(n) || n > math.MaxInt32 {
		return -1
	}
	return int32(max(n, 0))
}

// bindingFactor is the factor that needs most CSMs. factors are in the
// order ARR, VOLUME, WORKLOAD, so taking a later factor on a tie gives ties
// to WORKLOAD, then VOLUME, then ARR.
func bindingFactor(factors []FactorResult) FactorResult {
	best := factors[0]
	for _, f := range factors[1:] {
		if f.CSMsNeeded >= best.CSMsNeeded {
			best = f
		}
	}
	return best
}

// findingContext is what a factor's message needs beyond the factor.
type findingContext struct {
	model      TouchModel
	complexity Complexity
	req        TeamRequest
}

// factorFindings turns OVER factors into WARNINGs and UNDER ones into INFOs;
// the threshold is the limit crossed (OVER) or the healthy minimum (UNDER).
func factorFindings(factors []FactorResult, ctx findingContext) []Finding {
	var out []Finding
	for _, f := range factors {
		switch f.Status {
		case LoadStatusOver:
			out = append(out, Finding{Severity: SeverityWarning, Factor: f.Factor, Value: f.Value, Threshold: f.Limit, Message: overMessage(f, ctx)})
		case LoadStatusUnder:
			out = append(out, Finding{Severity: SeverityInfo, Factor: f.Factor, Value: f.Value, Threshold: f.HealthyMin, Message: underMessage(f, ctx)})
		}
	}
	return out
}

func overMessage(f FactorResult, ctx findingContext) string {
	if ctx.req.CSMCount == 0 {
		return noCSMsMessage(f, ctx)
	}
	switch f.Factor {
	case FactorARR:
		return fmt.Sprintf("ARR per CSM is %s, above the %s capacity ceiling for %s: the team is overloaded for its book; with %s it would be within the ceiling.",
			moneyText(f.Value, ctx.req.Currency), moneyText(f.Limit, ctx.req.Currency), touchModelText(ctx.model), csmCountText(f.CSMsNeeded))
	case FactorVolume:
		return fmt.Sprintf("Each CSM carries %s accounts, past the cap of %s for %s with a %s product: accounts go unserved; %s would bring the book within the ideal %s per CSM.",
			numberText(f.Value), numberText(f.Limit), touchModelText(ctx.model), complexityText(ctx.complexity), csmCountText(f.CSMsNeeded), numberText(f.HealthyMax))
	default:
		return fmt.Sprintf("The playbook needs %s%% of the team's customer hours: it cannot be delivered as planned; %s would cover it, or lighten the playbook.",
			numberText(f.Value*100), csmCountText(f.CSMsNeeded))
	}
}

// noCSMsMessage names the load that has no one to carry it.
func noCSMsMessage(f FactorResult, ctx findingContext) string {
	switch f.Factor {
	case FactorARR:
		return fmt.Sprintf("There are no CSMs for %s of ARR: at the %s ceiling for %s it needs %s; assign or hire them.",
			moneyText(ctx.req.ARR, ctx.req.Currency), moneyText(f.Limit, ctx.req.Currency), touchModelText(ctx.model), csmCountText(f.CSMsNeeded))
	case FactorVolume:
		return fmt.Sprintf("There are no CSMs for %d accounts: at the ideal %s per CSM for %s it needs %s; assign or hire them.",
			ctx.req.Accounts, numberText(f.HealthyMax), touchModelText(ctx.model), csmCountText(f.CSMsNeeded))
	default:
		return fmt.Sprintf("There are no CSMs for a playbook that needs %s FTE: it needs %s; assign or hire them.",
			numberText(*ctx.req.WorkloadCSMFTE), csmCountText(f.CSMsNeeded))
	}
}

func underMessage(f FactorResult, ctx findingContext) string {
	switch f.Factor {
	case FactorARR:
		return fmt.Sprintf("ARR per CSM is %s, below the %s efficiency milestone for %s: the team is expensive for its book; grow the book or move accounts to a lighter touch before hiring.",
			moneyText(f.Value, ctx.req.Currency), moneyText(f.HealthyMin, ctx.req.Currency), touchModelText(ctx.model))
	case FactorVolume:
		return fmt.Sprintf("Each CSM carries %s accounts, below the ideal minimum of %s for %s with a %s product: the team has room for more accounts before it hires.",
			numberText(f.Value), numberText(f.HealthyMin), touchModelText(ctx.model), complexityText(ctx.complexity))
	default:
		return fmt.Sprintf("The playbook uses %s%% of the team's customer hours, below %s%%: there is room to deepen the playbook or take on more accounts.",
			numberText(f.Value*100), numberText(f.HealthyMin*100))
	}
}

func touchModelText(m TouchModel) string {
	switch m {
	case TouchModelLow:
		return "low-touch (pooled)"
	case TouchModelTech:
		return "tech-touch (digital)"
	default:
		return "high-touch"
	}
}

func complexityText(c Complexity) string {
	switch c {
	case ComplexitySimple:
		return "simple"
	case ComplexityComplex:
		return "complex"
	default:
		return "moderately complex"
	}
}

func csmCountText(n int32) string {
	if n == 1 {
		return "1 CSM"
	}
	return fmt.Sprintf("%d CSMs", n)
}

// moneyText writes an amount for a person in the request's currency, as
// every report writes money: $12.5K, $1.46M, €900.
func moneyText(x float64, currency string) string { return numfmt.Money(x, currency) }

// numberText writes a count or ratio with at most two decimals: 45, 66.67.
func numberText(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

// signalFindings turns each given signal that crosses its threshold into a
// finding, in request order; the critical level is checked first.
func signalFindings(s Signals, t SignalThresholds) []Finding {
	var out []Finding
	if s.ChurnRate != nil && s.PreviousChurnRate != nil {
		if f, ok := churnFinding(*s.ChurnRate, *s.PreviousChurnRate, t.ChurnIncreaseCriticalRatio); ok {
			out = append(out, f)
		}
	}
	if h := s.CSMWeeklyHours; h != nil {
		msg := "CSMs work %s hours a week, above %s: the book is heavier than the plan says; re-check the playbook's hours before burnout turns into attrition."
		if f, ok := thresholdFinding("csm_weekly_hours", *h, t.CSMWeeklyHoursWarning, t.CSMWeeklyHoursCritical, above, msg, numberText); ok {
			out = append(out, f)
		}
	}
	if c := s.TouchpointCompletionRate; c != nil {
		msg := "Only %s of planned touchpoints were delivered, below %s: CSMs cannot keep up with the playbook; lighten it or add capacity."
		if f, ok := thresholdFinding("touchpoint_completion_rate", *c, t.TouchpointCompletionWarning, t.TouchpointCompletionCritical, below, msg, percentText); ok {
			out = append(out, f)
		}
	}
	if n := s.AccountsWithoutRecentContactShare; n != nil {
		msg := "%s of accounts have had no recent contact, above %s: accounts are slipping through; find who owns them and reach out."
		if f, ok := thresholdFinding("accounts_without_recent_contact_share", *n, t.NoRecentContactShareWarning, t.NoRecentContactShareCritical, above, msg, percentText); ok {
			out = append(out, f)
		}
	}
	return out
}

// churnFinding flags churn above last period's: a WARNING (threshold: last
// period's rate), or CRITICAL at criticalRatio times it or more (threshold:
// criticalRatio times it).
func churnFinding(churn, previous, criticalRatio float64) (Finding, bool) {
	if !above(churn, previous) {
		return Finding{}, false
	}
	f := Finding{Severity: SeverityWarning, Signal: "churn_rate", Value: churn, Threshold: previous}
	if critical := criticalRatio * previous; atLeast(churn, critical) {
		f.Severity, f.Threshold = SeverityCritical, critical
	}
	f.Message = fmt.Sprintf("Churn rose to %s from %s last period (critical at %s): find out which accounts left and whether they had enough CSM attention.",
		percentText(churn), percentText(previous), percentText(criticalRatio*previous))
	return f, true
}

// thresholdFinding checks value against the critical, then the warning
// threshold, with crossed saying which side is bad (above or below).
func thresholdFinding(signal string, value, warning, critical float64, crossed func(x, t float64) bool, msg string, format func(float64) string) (Finding, bool) {
	f := Finding{Signal: signal, Value: value}
	switch {
	case crossed(value, critical):
		f.Severity, f.Threshold = SeverityCritical, critical
	case crossed(value, warning):
		f.Severity, f.Threshold = SeverityWarning, warning
	default:
		return Finding{}, false
	}
	f.Message = fmt.Sprintf(msg, format(value), format(f.Threshold))
	return f, true
}

// percentText writes a fraction as a percentage: 0.125 is 12.5%.
func percentText(x float64) string { return numberText(x*100) + "%" }
