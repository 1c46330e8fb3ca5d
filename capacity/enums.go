package capacity

// The enums below mirror the contract's, value for value, so that the
// transport converts them with a plain cast. The zero value of each means
// "not given": a request gets the documented default, or an error where
// there is none.

// TouchModel is how a segment is served: dedicated CSMs, a pooled team, or
// digital programmes.
type TouchModel int32

const (
	TouchModelUnspecified TouchModel = iota
	TouchModelHigh
	TouchModelLow
	TouchModelTech
)

var touchModelNames = [...]string{"TOUCH_MODEL_UNSPECIFIED", "TOUCH_MODEL_HIGH", "TOUCH_MODEL_LOW", "TOUCH_MODEL_TECH"}

func (m TouchModel) String() string { return enumName(touchModelNames[:], int32(m)) }

// Valid reports whether m is one of the defined touch models or unspecified.
func (m TouchModel) Valid() bool { return m >= TouchModelUnspecified && m <= TouchModelTech }

// Complexity is how complex the product is to adopt; simpler products let a
// CSM carry more accounts.
type Complexity int32

const (
	ComplexityUnspecified Complexity = iota
	ComplexitySimple
	ComplexityModerate
	ComplexityComplex
)

var complexityNames = [...]string{"PRODUCT_COMPLEXITY_UNSPECIFIED", "PRODUCT_COMPLEXITY_SIMPLE", "PRODUCT_COMPLEXITY_MODERATE", "PRODUCT_COMPLEXITY_COMPLEX"}

func (c Complexity) String() string { return enumName(complexityNames[:], int32(c)) }

// Valid reports whether c is one of the defined complexities or unspecified.
func (c Complexity) Valid() bool { return c >= ComplexityUnspecified && c <= ComplexityComplex }

// Cadence is how often a recurring touchpoint happens.
type Cadence int32

const (
	CadenceUnspecified Cadence = iota
	CadenceWeekly
	CadenceBiweekly
	CadenceMonthly
	CadenceQuarterly
	CadenceSemiannual
	CadenceAnnual
	CadenceOneTime
)

var cadenceNames = [...]string{"CADENCE_UNSPECIFIED", "CADENCE_WEEKLY", "CADENCE_BIWEEKLY", "CADENCE_MONTHLY", "CADENCE_QUARTERLY", "CADENCE_SEMIANNUAL", "CADENCE_ANNUAL", "CADENCE_ONE_TIME"}

func (c Cadence) String() string { return enumName(cadenceNames[:], int32(c)) }

// Valid reports whether c is one of the defined cadences or unspecified.
func (c Cadence) Valid() bool { return c >= CadenceUnspecified && c <= CadenceOneTime }

// RampCurve is how a new hire's productivity grows until fully ramped.
type RampCurve int32

const (
	RampCurveUnspecified RampCurve = iota
	// RampCurveZero: nothing until ramped (seed 004), the default.
	RampCurveZero
	// RampCurveLinear: productivity k/ramp in the k-th month after the
	// start, k from 0.
	RampCurveLinear
)

var rampCurveNames = [...]string{"RAMP_CURVE_UNSPECIFIED", "RAMP_CURVE_ZERO", "RAMP_CURVE_LINEAR"}

func (r RampCurve) String() string { return enumName(rampCurveNames[:], int32(r)) }

// Valid reports whether r is one of the defined curves or unspecified.
func (r RampCurve) Valid() bool { return r >= RampCurveUnspecified && r <= RampCurveLinear }

// Factor is one of the three factors that size a team.
type Factor int32

const (
	FactorUnspecified Factor = iota
	FactorARR
	FactorVolume
	FactorWorkload
)

var factorNames = [...]string{"FACTOR_UNSPECIFIED", "FACTOR_ARR", "FACTOR_VOLUME", "FACTOR_WORKLOAD"}

func (f Factor) String() string { return enumName(factorNames[:], int32(f)) }

// LoadStatus places a factor's value in its band.
type LoadStatus int32

const (
	LoadStatusUnspecified LoadStatus = iota
	LoadStatusUnder
	LoadStatusHealthy
	LoadStatusStretched
	LoadStatusOver
)

var loadStatusNames = [...]string{"LOAD_STATUS_UNSPECIFIED", "LOAD_STATUS_UNDER", "LOAD_STATUS_HEALTHY", "LOAD_STATUS_STRETCHED", "LOAD_STATUS_OVER"}

func (s LoadStatus) String() string { return enumName(loadStatusNames[:], int32(s)) }

// Severity ranks a finding.
type Severity int32

const (
	SeverityUnspecified Severity = iota
	SeverityInfo
	SeverityWarning
	SeverityCritical
)

var severityNames = [...]string{"SEVERITY_UNSPECIFIED", "SEVERITY_INFO", "SEVERITY_WARNING", "SEVERITY_CRITICAL"}

func (s Severity) String() string { return enumName(severityNames[:], int32(s)) }

// TriggerStatus says whether a requisition for a threshold is still ahead,
// due this month, or late.
type TriggerStatus int32

const (
	TriggerStatusUnspecified TriggerStatus = iota
	TriggerStatusNotReached
	TriggerStatusUpcoming
	TriggerStatusDueNow
	TriggerStatusOverdue
)

var triggerStatusNames = [...]string{"TRIGGER_STATUS_UNSPECIFIED", "TRIGGER_STATUS_NOT_REACHED", "TRIGGER_STATUS_UPCOMING", "TRIGGER_STATUS_DUE_NOW", "TRIGGER_STATUS_OVERDUE"}

func (s TriggerStatus) String() string { return enumName(triggerStatusNames[:], int32(s)) }

// SizingPolicy says how a segment's capacity is chosen.
type SizingPolicy int32

const (
	SizingPolicyUnspecified SizingPolicy = iota
	// SizingPolicyPlaybookFirst sizes from the company's own journey (its
	// playbook, else its stated ratio) and keeps benchmarks as guardrails
	// (seeds 002 and 003); the default.
	SizingPolicyPlaybookFirst
	// SizingPolicyMostConstrained takes the smallest capacity of the
	// basis and the benchmarks: every benchmark met.
	SizingPolicyMostConstrained
)

var sizingPolicyNames = [...]string{"SIZING_POLICY_UNSPECIFIED", "SIZING_POLICY_PLAYBOOK_FIRST", "SIZING_POLICY_MOST_CONSTRAINED"}

func (p SizingPolicy) String() string { return enumName(sizingPolicyNames[:], int32(p)) }

// SizingBasis is what a segment's capacity comes from.
type SizingBasis int32

const (
	SizingBasisUnspecified SizingBasis = iota
	SizingBasisPlaybook
	SizingBasisCoverageRatio
	SizingBasisBenchmark
	SizingBasisPooledQueue
)

var sizingBasisNames = [...]string{"SIZING_BASIS_UNSPECIFIED", "SIZING_BASIS_PLAYBOOK", "SIZING_BASIS_COVERAGE_RATIO", "SIZING_BASIS_BENCHMARK", "SIZING_BASIS_POOLED_QUEUE"}

func (b SizingBasis) String() string { return enumName(sizingBasisNames[:], int32(b)) }

// RequisitionKind says why a requisition exists: the book outgrows the
// team (GROWTH), or it replaces the capacity that attrition takes
// (BACKFILL).
type RequisitionKind int32

const (
	RequisitionKindUnspecified RequisitionKind = iota
	RequisitionKindGrowth
	RequisitionKindBackfill
)

var requisitionKindNames = [...]string{"REQUISITION_KIND_UNSPECIFIED", "REQUISITION_KIND_GROWTH", "REQUISITION_KIND_BACKFILL"}

func (k RequisitionKind) String() string { return enumName(requisitionKindNames[:], int32(k)) }

func enumName(names []string, v int32) string {
	if v < 0 || int(v) >= len(names) {
		return names[0]
	}
	return names[v]
}

// TouchpointAnchor says which months a touchpoint falls in when the book
// has dates (calendar.go).
type TouchpointAnchor int32

const (
	AnchorUnspecified TouchpointAnchor = iota // EVEN
	AnchorEven
	AnchorStart
	AnchorRenewal
)

// Valid reports whether a is one of the anchors.
func (a TouchpointAnchor) Valid() bool { return a >= AnchorUnspecified && a <= AnchorRenewal }
