// Package planning runs a whole plan as one reconciled computation: one
// capacity per segment from its sizing basis, the company as the sum of
// its segments, the month-by-month headcount and cost bridge, the
// requisitions and one order-independent verdict. Every figure any output
// shows is computed here once; the service converts it, the reports
// format it. It builds on package capacity and knows no transport.
package planning

import "github.com/csplan/csplan/capacity"

// Plan is one company described once. Field paths in errors are the plan
// file's keys (segments[1].team.csms).
type Plan struct {
	Company string
	// Currency is a display code (default USD).
	Currency string
	// StartMonth is month 0, "YYYY-MM" (default: today's month).
	StartMonth string
	// HorizonMonths is 1-120 (default 12).
	HorizonMonths int32
	// Complexity is the default of every segment (default MODERATE).
	Complexity capacity.Complexity
	CSMTime    capacity.CSMTime
	Segments   []Segment
	Growth     Growth
	Hiring     Hiring
	Finance    Finance
	Signals    capacity.Signals
	// SuggestTiers, 2-8, asks where the book's revenue tiers lie (0: not
	// asked; needs accounts).
	SuggestTiers int32
	Policy       capacity.SizingPolicy
	// Customers are the book's customer stages (book.customer_stages or
	// book.exclude_stages): other accounts are left out of the plan.
	Customers capacity.Customers
	// CSMs are the team by name (book.csms), for the per-CSM calendar.
	CSMs []capacity.BookCSM
}

// Segment is one segment of the plan.
type Segment struct {
	Name       string
	TouchModel capacity.TouchModel
	Complexity capacity.Complexity
	// Match holds the segment's rule: only its matching fields are read.
	Match                  capacity.SegmentRule
	Playbook               *capacity.Playbook
	AccountsPerCSM         *float64
	CustomerLifetimeMonths *float64
	// Accounts and ARR are the segment's book when the run has no
	// accounts.
	Accounts *int32
	ARR      *float64
	CSMs     int32
	// PlannedHires are start months ("YYYY-MM") of hires already agreed.
	PlannedHires []string
	// Growth overrides the plan's, field by field.
	Growth     Growth
	Thresholds capacity.Thresholds
	TechTouch  *capacity.TechTouchAlternative
}

// Growth is how a book moves month by month; nil fields are unset.
type Growth struct {
	NewAccountsPerMonth  *float64
	MonthlyLogoChurnRate *float64
	MonthlyExpansionRate *float64
	NewAccountARR        *float64
}

// Hiring is one CSM's cost profile and the hiring timeline.
type Hiring struct {
	// Cost prices one hire; its TimeToHireMonths, RampMonths and RampCurve
	// are the timeline.
	Cost            capacity.HireRequest
	AnnualAttrition *float64
	TechTouch       *TechTouch
}

// TechTouch is the plan-level tech-touch alternative, for the segment it
// names (nil: the segment of the earliest requisition, ties by name).
type TechTouch struct {
	Segment *string
	capacity.TechTouchAlternative
}

// CostScope says which costs the cost share counts.
type CostScope int32

const (
	CostScopeUnspecified CostScope = iota
	// CostScopeFullyLoaded counts CSMs, managers and other CS cost (seed
	// 003's 15-25%); the default.
	CostScopeFullyLoaded
	// CostScopeCSMPayroll counts CSMs only.
	CostScopeCSMPayroll
)

// Finance is revenue, the band, cash and the CS cost besides CSMs.
type Finance struct {
	Revenue                 *float64
	MinCostShare            *float64
	MaxCostShare            *float64
	GrossMargin             *float64
	Cash                    *float64
	MonthlyBurn             *float64
	CurrentCSCost           *float64
	TechTouchAccountsPerCSM *float64
	CSMsPerManager          *float64
	ManagerLoadedCost       *float64
	OtherCSCostPerYear      *float64
	Scope                   CostScope
	FiscalYearStartMonth    *int32
}

// Book is what the run knows of the accounts: the segmented book, or nil
// when each segment gives its own accounts and ARR.
type Book struct {
	Segmented *capacity.SegmentationResult
	// Tiers is the revenue tiers of the book, when the plan asks.
	Tiers *capacity.TierSuggestion
	// Calendar is the book month by month, months 0 to the horizon
	// (CalendarSettings), when the accounts were read.
	Calendar *capacity.BookAnalysis
}

// Rules are the plan's segments as segmentation rules, in plan order, for
// the segmenter that reads the book.
func Rules(p Plan) capacity.SegmentRules {
	r := capacity.SegmentRules{CSMTime: p.CSMTime, Segments: make([]capacity.SegmentRule, len(p.Segments)),
		Customers: p.Customers, CustomersFields: [2]string{"book.customer_stages", "book.exclude_stages"}}
	for i, s := range p.Segments {
		m := s.Match
		m.Name, m.TouchModel = s.Name, s.TouchModel
		m.AccountsPerCSM, m.Playbook, m.CustomerLifetimeMonths = s.AccountsPerCSM, s.Playbook, s.CustomerLifetimeMonths
		r.Segments[i] = m
	}
	return r
}
