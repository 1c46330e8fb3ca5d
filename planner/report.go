package planner

// The report as data. Renderers (package report for terminal, Markdown and
// JSON; package report/html for HTML) read a *Report and never call the
// services themselves.
//
// The HTML renderer lives in github.com/csplan/csplan/report/html and
// provides
//
//	func Render(w io.Writer, r *Report) error
//
// JSON: every field below is rendered, zero values included; names are
// lowerCamelCase; enum-like strings carry the contract's value without its
// prefix ("HIGH", "OVER", "HIRE_NOW", "OVERDUE", "ABOVE"); months are
// "YYYY-MM"; money is in whole currency units, unrounded; shares and rates
// are fractions (0.25, not 25). Fields are only ever added, never renamed.

// ReportVersion is the version of the report's JSON shape. It changes only
// when a field is removed or changes meaning.
const ReportVersion = 1

// Report is the whole analysis of one plan.
type Report struct {
	// Version is ReportVersion.
	Version int `json:"version"`
	// Company is the plan's company name.
	Company string `json:"company"`
	// Currency is the plan's currency code, for display only (default USD).
	Currency string `json:"currency"`
	// StartMonth is month 0 of the forecast ("YYYY-MM").
	StartMonth string `json:"startMonth"`
	// HorizonMonths is the forecast's horizon; the series carry
	// HorizonMonths+1 months.
	HorizonMonths int `json:"horizonMonths"`
	// Book says where the accounts came from.
	Book Book `json:"book"`

	Summary      Summary      `json:"summary"`
	Capacity     Capacity     `json:"capacity"`
	Evaluation   Evaluation   `json:"evaluation"`
	Forecast     Forecast     `json:"forecast"`
	Segmentation Segmentation `json:"segmentation"`
	Coverage     Coverage     `json:"coverage"`
	Hiring       Hiring       `json:"hiring"`
	// Assumptions are the values the services used, with their sources,
	// de-duplicated across sections.
	Assumptions []Assumption `json:"assumptions"`
}

// Book describes the book of business the analysis ran on.
type Book struct {
	// Source is "csv" (accounts read from AccountsFile) or "inline" (totals
	// given per segment in the plan).
	Source string `json:"source"`
	// AccountsFile is the CSV path as the plan gives it ("" for inline).
	AccountsFile string `json:"accountsFile"`
	// Accounts and ARR are the totals today, unassigned accounts included.
	Accounts int     `json:"accounts"`
	ARR      float64 `json:"arr"`
	// Revenue is the revenue the cost shares are measured against
	// (default the ARR).
	Revenue float64 `json:"revenue"`
}

// Summary is what a leader acts on: the opening of every rendering.
type Summary struct {
	// Segments has one row per segment, in plan order.
	Segments []SegmentNeed `json:"segments"`
	// Total adds the segments up (Name "Total", TouchModel ""); its
	// binding factors are the ones that bind the most needed CSMs across
	// the segments.
	Total SegmentNeed `json:"total"`
	// Requisitions are the hires the forecasts ask for, in requisition
	// month order, across segments.
	Requisitions []Requisition `json:"requisitions"`
	// CostShare is CS cost against revenue and the plan's band.
	CostShare CostShare `json:"costShare"`
	// Verdict is the hiring evaluation's answer: HIRE_NOW, HIRE_LATER or
	// HOLD.
	Verdict string `json:"verdict"`
	// HireByMonth is set with HIRE_LATER.
	HireByMonth string `json:"hireByMonth"`
	// Reasons are the hiring evaluation's reasons, as the service gives
	// them.
	Reasons []string `json:"reasons"`
	// Actions are short sentences, most urgent first, that say what to do.
	Actions []string `json:"actions"`
}

// SegmentNeed is one segment's staffing today and in 12 months.
type SegmentNeed struct {
	Name string `json:"name"`
	// TouchModel is HIGH, LOW or TECH.
	TouchModel string  `json:"touchModel"`
	Accounts   int     `json:"accounts"`
	ARR        float64 `json:"arr"`
	// CSMs is the plan's team today (planned hires not included).
	CSMs int `json:"csms"`
	// NeededNow is the evaluation's CSMs needed today (the binding
	// factor's).
	NeededNow int `json:"neededNow"`
	// NeededIn12Months is the same evaluation on the forecast's month 12
	// (or the horizon's end, if shorter).
	NeededIn12Months int `json:"neededIn12Months"`
	// AccountsIn12Months and ARRIn12Months are the forecast's book at
	// month 12 (accounts rounded), CSMsIn12Months its headcount: today's
	// team plus the planned hires started by then.
	AccountsIn12Months int     `json:"accountsIn12Months"`
	ARRIn12Months      float64 `json:"arrIn12Months"`
	CSMsIn12Months     int     `json:"csmsIn12Months"`
	// GapNow is NeededNow minus CSMs; GapIn12Months is NeededIn12Months
	// minus CSMsIn12Months.
	GapNow        int `json:"gapNow"`
	GapIn12Months int `json:"gapIn12Months"`
	// BindingFactor is ARR, VOLUME or WORKLOAD.
	BindingFactor string `json:"bindingFactor"`
	// BindingFactorIn12Months is the binding factor at month 12.
	BindingFactorIn12Months string `json:"bindingFactorIn12Months"`
}

// Requisition is one hire of a segment's hiring plan.
type Requisition struct {
	Segment          string `json:"segment"`
	RequisitionMonth string `json:"requisitionMonth"`
	StartMonth       string `json:"startMonth"`
	RampedMonth      string `json:"rampedMonth"`
	// Status is DUE_NOW (the requisition opens in the start month) or
	// UPCOMING.
	Status string `json:"status"`
	// FirstYearCost is the hire's first-year cost (loaded cost, fee, bonus,
	// training).
	FirstYearCost float64 `json:"firstYearCost"`
}

// CostShare is CS cost as a share of revenue against the band.
type CostShare struct {
	// Min and Max are the band (default 0.15-0.25, seed 003).
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Current is the current team at the loaded cost of a CSM.
	CurrentCost float64 `json:"currentCost"`
	Current     float64 `json:"current"`
	CurrentBand string  `json:"currentBand"`
	// Needed is the coverage plan's: the CSMs the segments need today.
	NeededCost float64 `json:"neededCost"`
	Needed     float64 `json:"needed"`
	NeededBand string  `json:"neededBand"`
	// In12Months is the coverage plan on the forecast's month 12 book,
	// measured against that month's ARR (or revenue grown alike).
	In12MonthsCost float64 `json:"in12MonthsCost"`
	In12Months     float64 `json:"in12Months"`
	In12MonthsBand string  `json:"in12MonthsBand"`
}

// Capacity is the bottom-up model (ComputeCapacity) for the segments that
// describe a playbook.
type Capacity struct {
	AvailableHoursPerCSMMonth float64           `json:"availableHoursPerCsmMonth"`
	Segments                  []SegmentCapacity `json:"segments"`
	TotalCSMFTE               float64           `json:"totalCsmFte"`
	TotalCSMHeadcount         int               `json:"totalCsmHeadcount"`
	TotalARR                  float64           `json:"totalArr"`
	ARRPerCSM                 float64           `json:"arrPerCsm"`
}

// SegmentCapacity is one segment's playbook load and the CSMs it needs.
type SegmentCapacity struct {
	Name                 string           `json:"name"`
	Accounts             int              `json:"accounts"`
	ARR                  float64          `json:"arr"`
	HoursPerAccountMonth float64          `json:"hoursPerAccountMonth"`
	Breakdown            []HoursBreakdown `json:"breakdown"`
	AccountsPerCSM       float64          `json:"accountsPerCsm"`
	CSMFTE               float64          `json:"csmFte"`
	CSMHeadcount         int              `json:"csmHeadcount"`
	ARRPerCSM            float64          `json:"arrPerCsm"`
}

// HoursBreakdown is one touchpoint's or inbound activity's hours per
// account per month.
type HoursBreakdown struct {
	Name                 string  `json:"name"`
	HoursPerAccountMonth float64 `json:"hoursPerAccountMonth"`
}

// Evaluation is the three-factor evaluation (EvaluateTeam) of each segment
// and of the company.
type Evaluation struct {
	Segments []TeamEvaluation `json:"segments"`
	// Overall evaluates the whole book against the whole team with the
	// plan's signals. Where segments are served differently its bands
	// blend the segments' (see blendedBenchmarks), so that its CSMs
	// needed is what the segments need together.
	Overall TeamEvaluation `json:"overall"`
}

// TeamEvaluation is one EvaluateTeam answer.
type TeamEvaluation struct {
	Name       string  `json:"name"`
	TouchModel string  `json:"touchModel"`
	Complexity string  `json:"complexity"`
	CSMs       int     `json:"csms"`
	Accounts   int     `json:"accounts"`
	ARR        float64 `json:"arr"`
	// WorkloadCSMFTE is the FTE the workload factor was given (0: none).
	WorkloadCSMFTE float64        `json:"workloadCsmFte"`
	ARRPerCSM      float64        `json:"arrPerCsm"`
	AccountsPerCSM float64        `json:"accountsPerCsm"`
	Factors        []FactorResult `json:"factors"`
	BindingFactor  string         `json:"bindingFactor"`
	CSMsNeeded     int            `json:"csmsNeeded"`
	CSMGap         int            `json:"csmGap"`
	Findings       []Finding      `json:"findings"`
}

// FactorResult is one factor's value, healthy band, limit and status.
type FactorResult struct {
	// Factor is ARR, VOLUME or WORKLOAD.
	Factor     string  `json:"factor"`
	Value      float64 `json:"value"`
	HealthyMin float64 `json:"healthyMin"`
	HealthyMax float64 `json:"healthyMax"`
	Limit      float64 `json:"limit"`
	// Status is UNDER, HEALTHY, STRETCHED or OVER.
	Status     string `json:"status"`
	CSMsNeeded int    `json:"csmsNeeded"`
}

// Finding is a factor or signal that needs attention.
type Finding struct {
	// Severity is INFO, WARNING or CRITICAL.
	Severity  string  `json:"severity"`
	Signal    string  `json:"signal"`
	Factor    string  `json:"factor"`
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
	Message   string  `json:"message"`
}

// Forecast is one ForecastCapacity per segment (each segment's team is
// dedicated to it, so its thresholds are its touch model's).
type Forecast struct {
	Segments []SegmentForecast `json:"segments"`
	// Total adds the segments' series up month by month (accounts, ARR,
	// headcount, effective CSMs, cost; the per-CSM ratios and the cost
	// share are recomputed from the sums). It has no thresholds.
	Total []ForecastMonth `json:"total"`
}

// SegmentForecast is one segment's monthly series, thresholds, triggers
// and hiring plan.
type SegmentForecast struct {
	Name       string `json:"name"`
	TouchModel string `json:"touchModel"`
	// Growth is what the forecast was given.
	NewAccountsPerMonth  float64 `json:"newAccountsPerMonth"`
	MonthlyLogoChurnRate float64 `json:"monthlyLogoChurnRate"`
	MonthlyExpansionRate float64 `json:"monthlyExpansionRate"`
	// PlannedHireMonths are the start months of hires already planned.
	PlannedHireMonths []string        `json:"plannedHireMonths"`
	Thresholds        Thresholds      `json:"thresholds"`
	Months            []ForecastMonth `json:"months"`
	Triggers          []Trigger       `json:"triggers"`
	// HiringPlan is the service's minimal plan that keeps load under the
	// hire threshold (planned hires not included).
	HiringPlan []Requisition `json:"hiringPlan"`
}

// Thresholds are the load levels the triggers watch, per effective CSM.
type Thresholds struct {
	ReviewAccountsPerCSM   float64 `json:"reviewAccountsPerCsm"`
	HireAccountsPerCSM     float64 `json:"hireAccountsPerCsm"`
	CriticalAccountsPerCSM float64 `json:"criticalAccountsPerCsm"`
	ARRPerCSM              float64 `json:"arrPerCsm"`
}

// ForecastMonth is one month of a forecast.
type ForecastMonth struct {
	Month          string  `json:"month"`
	Accounts       float64 `json:"accounts"`
	ARR            float64 `json:"arr"`
	CSMHeadcount   int     `json:"csmHeadcount"`
	EffectiveCSMs  float64 `json:"effectiveCsms"`
	AccountsPerCSM float64 `json:"accountsPerCsm"`
	ARRPerCSM      float64 `json:"arrPerCsm"`
	CSCost         float64 `json:"csCost"`
	CSCostShare    float64 `json:"csCostShare"`
}

// Trigger is one threshold's crossing and the requisition it calls for.
type Trigger struct {
	// Name is review, hire, critical or arr.
	Name              string  `json:"name"`
	Threshold         float64 `json:"threshold"`
	CrossingMonth     string  `json:"crossingMonth"`
	OpenRequisitionBy string  `json:"openRequisitionBy"`
	// Status is NOT_REACHED, UPCOMING, DUE_NOW or OVERDUE.
	Status     string `json:"status"`
	MonthsLate int    `json:"monthsLate"`
}

// Segmentation is the book by segment: the assignment of the accounts CSV
// (StreamSegmentAccounts), or the plan's inline totals.
type Segmentation struct {
	Segments      []SegmentSummary `json:"segments"`
	Unassigned    SegmentSummary   `json:"unassigned"`
	TotalAccounts int              `json:"totalAccounts"`
	TotalARR      float64          `json:"totalArr"`
	// Suggestion is set when the plan asks for suggested tiers (and the
	// book is a CSV).
	Suggestion *Suggestion `json:"suggestion"`
}

// SegmentSummary is one segment of the book.
type SegmentSummary struct {
	Name       string  `json:"name"`
	TouchModel string  `json:"touchModel"`
	Accounts   int     `json:"accounts"`
	ARR        float64 `json:"arr"`
	ARRMean    float64 `json:"arrMean"`
	// ARRMedian and ARRP90 are unset when the book is given as segment
	// totals: there are no accounts to rank.
	ARRMedian      *float64     `json:"arrMedian,omitempty"`
	ARRP90         *float64     `json:"arrP90,omitempty"`
	AccountShare   float64      `json:"accountShare"`
	ARRShare       float64      `json:"arrShare"`
	StageCounts    []StageCount `json:"stageCounts"`
	AccountsPerCSM float64      `json:"accountsPerCsm"`
	CSMFTE         float64      `json:"csmFte"`
	CSMHeadcount   int          `json:"csmHeadcount"`
}

// StageCount is the number of a segment's accounts in one lifecycle stage.
type StageCount struct {
	Stage    string `json:"stage"`
	Accounts int    `json:"accounts"`
}

// Suggestion is SuggestSegments' revenue tiers for the book.
type Suggestion struct {
	Tiers                 []SuggestedTier `json:"tiers"`
	GoodnessOfVarianceFit float64         `json:"goodnessOfVarianceFit"`
	ZeroARRAccounts       int             `json:"zeroArrAccounts"`
	Top10PercentARRShare  float64         `json:"top10PercentArrShare"`
	Top20PercentARRShare  float64         `json:"top20PercentArrShare"`
}

// SuggestedTier is one suggested revenue tier, highest ARR first.
type SuggestedTier struct {
	Name            string  `json:"name"`
	MinARR          float64 `json:"minArr"`
	MaxARR          float64 `json:"maxArr"`
	SuggestedMinARR float64 `json:"suggestedMinArr"`
	Accounts        int     `json:"accounts"`
	ARR             float64 `json:"arr"`
	ARRShare        float64 `json:"arrShare"`
}

// Coverage is PlanCoverage on today's book: CSMs and cost per segment, the
// cost share against the band and, above it, the ways out.
type Coverage struct {
	CSMLoadedCost     float64           `json:"csmLoadedCost"`
	Revenue           float64           `json:"revenue"`
	MinCostShare      float64           `json:"minCostShare"`
	MaxCostShare      float64           `json:"maxCostShare"`
	Segments          []SegmentCoverage `json:"segments"`
	TotalCSMHeadcount int               `json:"totalCsmHeadcount"`
	TotalCost         float64           `json:"totalCost"`
	CostShare         float64           `json:"costShare"`
	// Band is BELOW, WITHIN or ABOVE.
	Band    string           `json:"band"`
	Options []CoverageOption `json:"options"`
}

// SegmentCoverage is one segment's coverage staffing and cost.
type SegmentCoverage struct {
	Name           string  `json:"name"`
	AccountsPerCSM float64 `json:"accountsPerCsm"`
	CSMFTE         float64 `json:"csmFte"`
	CSMHeadcount   int     `json:"csmHeadcount"`
	Cost           float64 `json:"cost"`
	CostShare      float64 `json:"costShare"`
}

// CoverageOption is one way back into the band (seed 003).
type CoverageOption struct {
	// Kind is INVEST, COVER_SUBSET or REDUCE_COVERAGE.
	Kind           string          `json:"kind"`
	Description    string          `json:"description"`
	ExtraCost      float64         `json:"extraCost"`
	CostShare      float64         `json:"costShare"`
	CoverageFactor float64         `json:"coverageFactor"`
	KeptSegments   []string        `json:"keptSegments"`
	MovedSegments  []string        `json:"movedSegments"`
	Segments       []OptionSegment `json:"segments"`
}

// OptionSegment is how an option would staff one segment.
type OptionSegment struct {
	Name           string  `json:"name"`
	AccountsPerCSM float64 `json:"accountsPerCsm"`
	CSMHeadcount   int     `json:"csmHeadcount"`
	Cost           float64 `json:"cost"`
}

// Hiring is the cost of one more CSM (EstimateHireCost) and whether to
// make the hire (EvaluateHire) for the company as a whole.
type Hiring struct {
	Cost       HireCost       `json:"cost"`
	Evaluation HireEvaluation `json:"evaluation"`
}

// HireCost is EstimateHireCost's answer.
type HireCost struct {
	BaseSalary                    float64 `json:"baseSalary"`
	AnnualLoadedCost              float64 `json:"annualLoadedCost"`
	MonthlyLoadedCost             float64 `json:"monthlyLoadedCost"`
	RampCost                      float64 `json:"rampCost"`
	RecruitingFee                 float64 `json:"recruitingFee"`
	SignOnBonus                   float64 `json:"signOnBonus"`
	TrainingCost                  float64 `json:"trainingCost"`
	FirstYearCost                 float64 `json:"firstYearCost"`
	ProductiveMonthsFirstYear     float64 `json:"productiveMonthsFirstYear"`
	TrainingCapacityHours         float64 `json:"trainingCapacityHours"`
	TrainingCapacityAccountMonths float64 `json:"trainingCapacityAccountMonths"`
}

// HireEvaluation is EvaluateHire's answer for the next hire: the
// forecasts' first requisition, weighed in its segment (its ARR, team,
// touch model and load) against the company's CS cost and revenue.
type HireEvaluation struct {
	// Segment is the segment the next hire is for ("" when no requisition
	// is planned: then one more CSM for the company as a whole).
	Segment string `json:"segment"`
	// TriggerMonth is the month that requisition's hire must be ramped by:
	// when the forecast's load reaches the hire threshold ("" when it is
	// not after the start month).
	TriggerMonth       string         `json:"triggerMonth"`
	ARRPerCSMBefore    float64        `json:"arrPerCsmBefore"`
	ARRPerCSMAfter     float64        `json:"arrPerCsmAfter"`
	ARRPerCSMMilestone float64        `json:"arrPerCsmMilestone"`
	CostShareBefore    float64        `json:"costShareBefore"`
	CostShareAfter     float64        `json:"costShareAfter"`
	FirstYearCost      float64        `json:"firstYearCost"`
	PaybackARR         float64        `json:"paybackArr"`
	RunwayMonthsBefore float64        `json:"runwayMonthsBefore"`
	RunwayMonthsAfter  float64        `json:"runwayMonthsAfter"`
	Verdict            string         `json:"verdict"`
	Reasons            []string       `json:"reasons"`
	HireByMonth        string         `json:"hireByMonth"`
	Factors            []FactorResult `json:"factors"`
	// Alternative is set when the plan describes a tech-touch alternative
	// that fits the next hire's segment.
	Alternative *Alternative `json:"alternative"`
	// AlternativeNote says why a tech-touch alternative the plan describes
	// was not compared ("" otherwise).
	AlternativeNote string `json:"alternativeNote"`
}

// Alternative compares a tech-touch investment with the hire.
type Alternative struct {
	CSMFTEFreed     float64 `json:"csmFteFreed"`
	Cost            float64 `json:"cost"`
	CostPerFTEFreed float64 `json:"costPerFteFreed"`
	HireCostPerFTE  float64 `json:"hireCostPerFte"`
}

// Assumption is one value a service used, where it stands in the request
// and where it came from.
type Assumption struct {
	// Section is the report section whose call used it (capacity,
	// evaluation, forecast, segmentation, coverage, hiring).
	Section string `json:"section"`
	// Segment names the segment whose call used it ("" for calls on the
	// whole book or for values that are the same for every segment).
	Segment string `json:"segment"`
	// Name is the contract's request field path the value stands for.
	Name  string `json:"name"`
	Value string `json:"value"`
	// Source is "plan" (the plan gave it), or the default's source ("seed 004",
	// "assumption").
	Source string `json:"source"`
}
