package planning

import "github.com/csplan/csplan/capacity"

// Result is the reconciled plan. Months are "YYYY-MM" text; money is in
// whole currency units, monthly where it says so.
type Result struct {
	Company, Currency string
	StartMonth        string
	HorizonMonths     int32
	Policy            capacity.SizingPolicy
	Scope             CostScope
	Summary           Summary
	Segments          []SegmentResult
	Requisitions      []Requisition
	Months            []Month
	CostByQuarter     []PeriodCost
	CostByFiscalYear  []PeriodCost
	Book              BookResult
	// CoverageOptions are the ways out when the need is above the band.
	CoverageOptions []capacity.CoverageOption
	Hiring          HiringResult
	Findings        []Finding
	Assumptions     []capacity.Assumption
	// Calendar is the book month by month (Book.Calendar), when read.
	Calendar *capacity.BookAnalysis
}

// Summary is what a leader acts on.
type Summary struct {
	CSMsToday, CSMsNeededNow, CSMsNeededIn12Months int32
	In12MonthsMonth                                string
	RequisitionsDueNow                             int32
	FirstRequisitionMonth                          string
	Verdict                                        capacity.Verdict
	HireByMonth                                    string
	Reasons                                        []string
	CostShareNow, CostShareNeeded                  float64
	BandNow, BandNeeded                            capacity.CostBand
	MinCostShare, MaxCostShare                     float64
	// CostNow and CostNeeded are annual run-rate costs in scope.
	CostNow, CostNeeded float64
	Revenue             float64
	// PeakMonth is the month of the highest company need (the sum of the
	// segments' needs; the earliest on a tie), and CSMsNeededAtPeak that
	// need.
	PeakMonth        string
	CSMsNeededAtPeak int32
}

// SegmentResult is one segment of the plan.
type SegmentResult struct {
	Name       string
	TouchModel capacity.TouchModel
	Complexity capacity.Complexity
	Basis      capacity.SizingBasis
	// Capacity is accounts per effective CSM at month 0, unrounded.
	Capacity             float64
	Accounts             int32
	ARR                  float64
	CSMsToday            int32
	CSMFTENow            float64
	CSMsNeededNow        int32
	CSMsNeededIn12Months int32
	Verdict              capacity.Verdict
	UnmetMonths          []string
	Months               []Month
	// Hours is set for a playbook segment.
	Hours      *SegmentHours
	Guardrails []Guardrail
	Triggers   []capacity.Trigger
	Coverage   capacity.SegmentCoverage
	// Calendar says the need is sized month by month from the hours the
	// book's dates place in each month.
	Calendar bool
	// PeakMonth is the month of the highest need (the earliest on a tie),
	// and CSMsNeededAtPeak that need.
	PeakMonth        string
	CSMsNeededAtPeak int32
}

// SegmentHours is a playbook segment's hours.
type SegmentHours struct {
	AvailableHoursPerCSMMonth float64
	HoursPerAccountMonth      float64
	Breakdown                 []capacity.HoursItem
}

// Guardrail is one benchmark factor in its band; CSMsAtBenchmark is what
// the factor alone would call for, never "needed".
type Guardrail struct {
	capacity.FactorResult
}

// Requisition is one hire the plan needs.
type Requisition struct {
	Segment                                           string
	Kind                                              capacity.RequisitionKind
	NeededMonth, OpenByMonth, StartMonth, RampedMonth string
	Status                                            capacity.TriggerStatus
	MonthsLate                                        int32
	FirstYearCost, IncrementalCost                    float64
	TechTouchFirst                                    bool

	// offsets, for the verdict
	openBy, ramped int
}

// Month is one month of a bridge; costs are monthly expected spend.
type Month struct {
	Month                              string
	Accounts, ARR, Revenue             float64
	Headcount, EffectiveCSMs           float64
	NeededCSMs                         int32
	AccountsPerEffectiveCSM            float64
	Managers                           int32
	CSMCost, ManagerCost, OtherCost    float64
	OneTimeCost, TotalCost             float64
	CostShare                          float64
	BandMinCostShare, BandMaxCostShare float64
	HeadcountWithoutPlan               float64
	EffectiveCSMsWithoutPlan           float64
	AccountsPerEffectiveCSMWithoutPlan float64
	Capacity                           float64
	growthStarts, backfillStarts       int
}

// PeriodCost is a fiscal quarter or year.
type PeriodCost struct {
	Period                     string
	TotalCost                  float64
	GrowthHires, BackfillHires int32
	Partial                    bool
	Months                     int32
}

// BookResult is the book the plan ran on.
type BookResult struct {
	// Source is "accounts" or "totals".
	Source        string
	TotalAccounts int32
	TotalARR      float64
	Segments      []BookSegment
	Unassigned    BookSegment
	Tiers         *capacity.TierSuggestion
	// Excluded are the accounts the plan's customer stages left out: in
	// no segment and not in the totals.
	Excluded BookSegment
}

// BookSegment is one segment's book; the statistics are nil for totals.
type BookSegment struct {
	Name                       string
	Accounts                   int32
	ARR                        float64
	ARRMean, ARRMedian, ARRP90 *float64
	AccountShare, ARRShare     float64
	StageCounts                []capacity.StageCount
}

// HiringResult is one hire's cost and economics.
type HiringResult struct {
	Cost                                  capacity.HireCost
	HireCostPerProductiveFTE              float64
	PaybackARR                            float64
	RunwayMonthsBefore, RunwayMonthsAfter float64
	TechTouch                             *TechTouchResult
}

// TechTouchResult prices the tech-touch alternative.
type TechTouchResult struct {
	Segment              string
	AccountsMoved        int32
	CSMFTEFreed          float64
	CostPerYear          float64
	CostPerFTEFreed      float64
	RequisitionsReplaced int32
}

// Finding is something to act on, made from the figures it states.
type Finding struct {
	Segment  string
	Severity capacity.Severity
	Message  string
}
