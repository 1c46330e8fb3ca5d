package capacity

import (
	"github.com/csplan/csplan/internal/numfmt"

	"fmt"
	"strings"
)

// HireRequest describes one CSM hire: what it costs and how it ramps. Nil
// pointers take their documented defaults. EstimateHireCost prices it on
// its own; EvaluateHire and ForecastCapacity price it the same way.
type HireRequest struct {
	// BaseSalary is the annual base salary, above 0.
	BaseSalary float64
	// LoadedCostMultiplier is the loaded cost over salary; it defaults to
	// 1.5 (seed 004: $100K -> about $150K) when Itemized is nil. Giving
	// both is an error.
	LoadedCostMultiplier *float64
	// Itemized prices the loaded cost item by item instead of the
	// multiplier.
	Itemized *ItemizedCost
	// RecruitingFeeShare is the recruiting fee as a share of salary;
	// default 0 (in-house).
	RecruitingFeeShare *float64
	SignOnBonus        float64
	// RampMonths defaults to 3 (seed 004), at most MaxTimelineMonths;
	// RampCurve to ZERO.
	RampMonths *int32
	RampCurve  RampCurve
	// TrainerHours are the hours existing CSMs spend training the hire.
	TrainerHours float64
	// TrainerHourlyCost defaults to the hire's loaded cost over
	// WorkingHoursPerYear.
	TrainerHourlyCost *float64
	// TimeToHireMonths defaults to 2 (assumption), at most
	// MaxTimelineMonths.
	TimeToHireMonths *int32
	// HoursPerAccountMonth, or the Playbook it comes from (not both),
	// expresses the training hours in account-months.
	HoursPerAccountMonth *float64
	Playbook             *Playbook
	// CustomerLifetimeMonths amortises the playbook's one-time touchpoints;
	// default 36 (assumption).
	CustomerLifetimeMonths *float64
}

// ItemizedCost is the loaded cost item by item: salary x (1 +
// BenefitsShare + PayrollTaxShare) + ToolsPerYear + OtherPerYear.
type ItemizedCost struct {
	// BenefitsShare defaults to 0.20, PayrollTaxShare to 0.0765 (both
	// assumptions: US benefits and FICA).
	BenefitsShare   *float64
	PayrollTaxShare *float64
	ToolsPerYear    float64
	OtherPerYear    float64
}

// HireCost prices a hire. Money is per year unless named otherwise.
type HireCost struct {
	AnnualLoadedCost  float64
	MonthlyLoadedCost float64
	// RampCost is the unproductive part of the loaded cost during the
	// ramp: already in the loaded cost, not added again.
	RampCost      float64
	RecruitingFee float64
	SignOnBonus   float64
	TrainingCost  float64
	// FirstYearCost is the annual loaded cost plus the recruiting fee, the
	// sign-on bonus and the training cost.
	FirstYearCost float64
	// ProductiveMonthsFirstYear sums productivity over the 12 months from
	// the start.
	ProductiveMonthsFirstYear float64
	// TrainingCapacityHours are the customer hours the team loses to
	// training; TrainingCapacityAccountMonths the same in account-months
	// (0 without hours per account or a playbook).
	TrainingCapacityHours         float64
	TrainingCapacityAccountMonths float64
	Assumptions                   []Assumption
}

// OneTimeCost is what the hire costs once, beyond its loaded cost: the
// recruiting fee, the sign-on bonus and the training.
func (c HireCost) OneTimeCost() float64 { return c.RecruitingFee + c.SignOnBonus + c.TrainingCost }

// Defaults of a hire (section 5 of the design).
const (
	DefaultLoadedCostMultiplier = 1.5
	DefaultBenefitsShare        = 0.20
	DefaultPayrollTaxShare      = 0.0765
	DefaultRecruitingFeeShare   = 0.0
	DefaultRampMonths           = 3
	DefaultTimeToHireMonths     = 2
	// WorkingHoursPerYear prices a trainer's hour by default: 40 h a week
	// over 52 weeks less 25 days off, 40 x (52 - 25/5) = 1,880 h.
	WorkingHoursPerYear = DefaultWeeklyHours * (52 - DefaultTimeOffDaysPerYear/5)
)

// Bounds on a hire's inputs: past them a value is a unit mistake (25 for a
// 0.25 share, a salary in cents), not a plan.
const (
	// MaxLoadedCostMultiplier bounds loaded_cost_multiplier; loaded cost
	// rarely exceeds twice the salary.
	MaxLoadedCostMultiplier = 5
	// maxTrainerHours is more than a whole team spends training in a year.
	maxTrainerHours = 1e6
	// hireMaxHoursPerMonth bounds the hours an account can need in a month.
	hireMaxHoursPerMonth = 24 * 31
)

// Sources of the hiring defaults, echoed in assumptions.
const (
	sourceHireMultiplier    = "seed 004 ($100K salary -> about $150K a year)"
	sourceHireBenefits      = "assumption: US benefits"
	sourceHirePayrollTax    = "assumption: US payroll taxes (FICA)"
	sourceHireRecruitingFee = "assumption: in-house recruiting (agencies charge 15-35% of salary)"
	sourceHireRamp          = "seed 004"
	sourceHireTrainerCost   = "default: the hire's annual loaded cost over 1880 working hours"
	sourceHireTimeToHire    = "assumption: about 42 days to fill, rounded up to whole months"
	sourceHirePlaybookHours = "playbook"
)

// EstimateHireCost prices one CSM hire: the loaded cost from a multiplier
// (default 1.5, seed 004) or an itemisation, the unproductive part of it
// during the ramp, the one-time costs (recruiting fee, sign-on bonus,
// training priced at the trainers' hourly cost) and the training drag on
// the team in hours and account-months. Every bad field is reported at once
// in a *ValidationError.
func EstimateHireCost(req HireRequest) (HireCost, error) {
	return hireCost(req, "")
}

// hireCost is EstimateHireCost for a HireRequest found at prefix in a
// larger request ("hire", "hire_cost"): errors and assumptions are named
// under it.
func hireCost(req HireRequest, prefix string) (HireCost, error) {
	p := func(field string) string { return path(prefix, field) }
	v := validateHire(req, prefix)
	// A playbook is checked even when the request has other errors, so that
	// one answer names them all.
	var pbHours float64
	var pbAs []Assumption
	if req.Playbook != nil {
		var err error
		pbHours, _, pbAs, err = HoursPerAccount(*req.Playbook, 0, nil, req.CustomerLifetimeMonths, p("playbook"))
		v.merge(err)
	}
	if !v.empty() {
		return HireCost{}, v.err()
	}

	var as assumptions
	salary := req.BaseSalary
	var annual float64
	if it := req.Itemized; it != nil {
		benefits := as.float(p("itemized.benefits_share"), it.BenefitsShare, DefaultBenefitsShare, sourceHireBenefits)
		taxes := as.float(p("itemized.payroll_tax_share"), it.PayrollTaxShare, DefaultPayrollTaxShare, sourceHirePayrollTax)
		annual = salary*(1+benefits+taxes) + it.ToolsPerYear + it.OtherPerYear
	} else {
		annual = salary * as.float(p("loaded_cost_multiplier"), req.LoadedCostMultiplier, DefaultLoadedCostMultiplier, sourceHireMultiplier)
	}
	monthly := annual / 12
	feeShare := as.float(p("recruiting_fee_share"), req.RecruitingFeeShare, DefaultRecruitingFeeShare, sourceHireRecruitingFee)
	ramp := int(as.int(p("ramp_months"), req.RampMonths, DefaultRampMonths, sourceHireRamp))
	curve := req.RampCurve
	if curve == RampCurveUnspecified {
		curve = RampCurveZero
		as.add(p("ramp_curve"), curve.String(), sourceHireRamp)
	} else {
		as.add(p("ramp_curve"), curve.String(), SourceRequest)
	}
	hourly := as.float(p("trainer_hourly_cost"), req.TrainerHourlyCost, annual/WorkingHoursPerYear, sourceHireTrainerCost)
	as.int(p("time_to_hire_months"), req.TimeToHireMonths, DefaultTimeToHireMonths, sourceHireTimeToHire)

	var perAccount float64
	switch {
	case req.HoursPerAccountMonth != nil:
		perAccount = as.float(p("hours_per_account_month"), req.HoursPerAccountMonth, 0, SourceRequest)
	case req.Playbook != nil:
		as = append(as, pbAs...)
		perAccount = pbHours
		as.add(p("hours_per_account_month"), formatFloat(pbHours), sourceHirePlaybookHours)
	}

	// Productivity follows the same curve as the forecast's hires.
	var productive, unproductive float64
	for k := range max(12, ramp) {
		prod := curve.Productivity(k, ramp)
		if k < 12 {
			productive += prod
		}
		if k < ramp {
			unproductive += 1 - prod
		}
	}

	c := HireCost{
		AnnualLoadedCost:              annual,
		MonthlyLoadedCost:             monthly,
		RampCost:                      monthly * unproductive,
		RecruitingFee:                 feeShare * salary,
		SignOnBonus:                   req.SignOnBonus,
		TrainingCost:                  req.TrainerHours * hourly,
		ProductiveMonthsFirstYear:     productive,
		TrainingCapacityHours:         req.TrainerHours,
		TrainingCapacityAccountMonths: ratio(req.TrainerHours, perAccount),
		Assumptions:                   as,
	}
	c.FirstYearCost = annual + c.OneTimeCost()
	return c, nil
}

// validateHire checks every field of a hire but its playbook, which
// HoursPerAccount checks.
func validateHire(req HireRequest, prefix string) *violations {
	v := &violations{}
	p := func(field string) string { return path(prefix, field) }
	switch s := req.BaseSalary; {
	case !finite(s) || s <= 0:
		v.add(p("base_salary"), "give the hire's annual base salary, a number above 0, got %s", formatFloat(s))
	case s > MaxAmount:
		v.add(p("base_salary"), "%s is too large to plan with; at most %s is accepted", formatFloat(s), formatFloat(MaxAmount))
	}
	if m := req.LoadedCostMultiplier; m != nil {
		switch {
		case req.Itemized != nil:
			v.add(p("loaded_cost_multiplier"), "give either loaded_cost_multiplier or itemized, not both: the multiplier stands in for the itemisation")
		case !finite(*m) || *m < 1 || *m > MaxLoadedCostMultiplier:
			v.add(p("loaded_cost_multiplier"), "is the loaded cost over salary: give a number from 1 to %d (1.5 for salary plus half again), got %s", MaxLoadedCostMultiplier, formatFloat(*m))
		}
	}
	if it := req.Itemized; it != nil {
		hireShare(v, p("itemized.benefits_share"), it.BenefitsShare)
		hireShare(v, p("itemized.payroll_tax_share"), it.PayrollTaxShare)
		hireMoney(v, p("itemized.tools_per_year"), it.ToolsPerYear)
		hireMoney(v, p("itemized.other_per_year"), it.OtherPerYear)
	}
	hireShare(v, p("recruiting_fee_share"), req.RecruitingFeeShare)
	hireMoney(v, p("sign_on_bonus"), req.SignOnBonus)
	hireMonths(v, p("ramp_months"), req.RampMonths)
	if !req.RampCurve.Valid() {
		v.add(p("ramp_curve"), "%d is not a ramp curve: use RAMP_CURVE_ZERO or RAMP_CURVE_LINEAR", int32(req.RampCurve))
	}
	if h := req.TrainerHours; !finite(h) || h < 0 || h > maxTrainerHours {
		v.add(p("trainer_hours"), "must be 0 to %s hours, got %s", formatFloat(maxTrainerHours), formatFloat(h))
	}
	if c := req.TrainerHourlyCost; c != nil {
		hireMoney(v, p("trainer_hourly_cost"), *c)
	}
	hireMonths(v, p("time_to_hire_months"), req.TimeToHireMonths)
	if h := req.HoursPerAccountMonth; h != nil {
		switch {
		case req.Playbook != nil:
			v.add(p("hours_per_account_month"), "give either hours_per_account_month or playbook, not both: the hours stand in for the playbook")
		case !finite(*h) || *h <= 0 || *h > hireMaxHoursPerMonth:
			v.add(p("hours_per_account_month"), "must be above 0 and at most %d hours (a month), got %s", hireMaxHoursPerMonth, formatFloat(*h))
		}
	}
	return v
}

// hireShare rejects a given share outside [0, 1].
func hireShare(v *violations, field string, x *float64) {
	if x != nil && (!finite(*x) || *x < 0 || *x > 1) {
		v.add(field, "is a share: give a fraction between 0 and 1 (0.2, not 20), got %s", formatFloat(*x))
	}
}

// hireMoney rejects an amount that is not a number of 0 or more, or absurd.
func hireMoney(v *violations, field string, x float64) {
	switch {
	case !finite(x) || x < 0:
		v.add(field, "must be an amount of 0 or more, got %s", formatFloat(x))
	case x > MaxAmount:
		v.add(field, "%s is too large to plan with; at most %s is accepted", formatFloat(x), formatFloat(MaxAmount))
	}
}

// hireMonths rejects a lead time or ramp outside 0..MaxTimelineMonths.
func hireMonths(v *violations, field string, m *int32) {
	if m != nil && (*m < 0 || *m > MaxTimelineMonths) {
		v.add(field, "must be 0 to %d months, got %d", MaxTimelineMonths, *m)
	}
}

// hireCostOnly are the fields of a hire the forecast uses: its costs. The
// forecast's timeline governs ramp and time to hire, so the hire's own are
// validated but not echoed there.
var hireCostOnly = map[string]bool{
	"loaded_cost_multiplier":     true,
	"itemized.benefits_share":    true,
	"itemized.payroll_tax_share": true,
	"recruiting_fee_share":       true,
	"trainer_hourly_cost":        true,
}

// hireCostAssumptions keeps the assumptions of hire cost c (priced at prefix)
// that name a cost field.
func hireCostAssumptions(c HireCost, prefix string) []Assumption {
	var out []Assumption
	for _, a := range c.Assumptions {
		if hireCostOnly[strings.TrimPrefix(a.Name, prefix+".")] {
			out = append(out, a)
		}
	}
	return out
}

// Verdict is the hiring decision.
type Verdict int32

const (
	VerdictUnspecified Verdict = iota
	// VerdictHireNow: the team needs capacity and the hire keeps ARR per
	// CSM and the cost share in line.
	VerdictHireNow
	// VerdictHireLater: no capacity need yet; hire by the trigger month.
	VerdictHireLater
	// VerdictHold: hold off and invest in tech touch first (seed 004).
	VerdictHold
)

var verdictNames = [...]string{"VERDICT_UNSPECIFIED", "VERDICT_HIRE_NOW", "VERDICT_HIRE_LATER", "VERDICT_HOLD"}

func (v Verdict) String() string { return enumName(verdictNames[:], int32(v)) }

// HireEvaluationRequest describes the team, the hire and the economics
// around it. Nil pointers take their documented defaults.
type HireEvaluationRequest struct {
	ARR      float64
	CSMCount int32
	// TouchModel defaults to HIGH, Complexity to MODERATE.
	TouchModel TouchModel
	Hire       HireRequest
	// CurrentCSCost per year defaults to CSMCount times the hire's annual
	// loaded cost.
	CurrentCSCost *float64
	// Revenue per year defaults to ARR.
	Revenue *float64
	// MaxCostShare of revenue defaults to 0.25 (seed 003).
	MaxCostShare *float64
	// GrossMargin defaults to 0.8 (assumption).
	GrossMargin *float64
	// Cash needs MonthlyBurn above 0; without cash runway is 0.
	Cash        *float64
	MonthlyBurn *float64
	Load        HireLoad
	Complexity  Complexity
	// CSMTime prices the tech-touch alternative in FTE.
	CSMTime CSMTime
	// TriggerMonth ("YYYY-MM", empty when none) is when a forecast trigger
	// calls for the hire; AsOfMonth is when the evaluation is made
	// (default the current month).
	TriggerMonth string
	AsOfMonth    string
	Alternative  TechTouchAlternative
	// Currency is the display code of the reasons' money (default USD).
	Currency string
	// Policy is PLAYBOOK_FIRST (the default: the team needs capacity when
	// its own sizing needs more CSMs than it has) or MOST_CONSTRAINED (when
	// any factor is over its limit).
	Policy SizingPolicy
}

// HireLoad is the team's load, for the capacity need. A nil field is not
// scored.
type HireLoad struct {
	Accounts       *int32
	WorkloadCSMFTE *float64
}

// TechTouchAlternative describes moving accounts to digital programmes
// instead of hiring.
type TechTouchAlternative struct {
	AccountsMoved             int32
	HoursSavedPerAccountMonth float64
	PlatformCostPerYear       float64
}

// HireEvaluation is the verdict on a hire with the figures behind it.
type HireEvaluation struct {
	ARRPerCSMBefore    float64
	ARRPerCSMAfter     float64
	ARRPerCSMMilestone float64
	CostShareBefore    float64
	CostShareAfter     float64
	FirstYearCost      float64
	// PaybackARR is the ARR the hire must retain or add to pay back its
	// first-year cost at the gross margin.
	PaybackARR         float64
	RunwayMonthsBefore float64
	RunwayMonthsAfter  float64
	Verdict            Verdict
	Reasons            []string
	// HireByMonth is set for HIRE_LATER.
	HireByMonth *Month
	// Factors are EvaluateTeam's, less VOLUME when load.accounts is not
	// given.
	Factors     []FactorResult
	Alternative AlternativeComparison
	Assumptions []Assumption
	// Basis and Policy are the team evaluation's.
	Basis  SizingBasis
	Policy SizingPolicy
}

// basisText names a sizing basis in a sentence.
func basisText(b SizingBasis) string {
	switch b {
	case SizingBasisPlaybook:
		return "the playbook"
	case SizingBasisCoverageRatio:
		return "the coverage ratio"
	default:
		return "the benchmark"
	}
}

// AlternativeComparison sets the tech-touch alternative against the hire.
type AlternativeComparison struct {
	CSMFTEFreed float64
	// Cost is the platform cost per year.
	Cost            float64
	CostPerFTEFreed float64
	// HireCostPerFTE is the hire's annual loaded cost.
	HireCostPerFTE float64
}

// Defaults of a hiring evaluation.
const (
	DefaultHireMaxCostShare = 0.25
	DefaultGrossMargin      = 0.8
)

const (
	sourceHireCurrentCSCost = "default: csm_count x the hire's annual loaded cost"
	sourceHireRevenue       = "default: arr"
	sourceHireMaxCostShare  = "seed 003 (CS cost at 15-25% of revenue)"
	sourceHireGrossMargin   = "assumption: a typical SaaS gross margin"
	sourceHireAsOfMonth     = "current month (UTC)"
)

// teamFieldInHire renames EvaluateTeam's fields to where EvaluateHire's
// request carries them.
var teamFieldInHire = map[string]string{
	"accounts":         "load.accounts",
	"workload_csm_fte": "load.workload_csm_fte",
}

// EvaluateHire weighs one more CSM against the team's capacity need (the
// factors of EvaluateTeam), ARR per CSM against the touch model's
// efficiency milestone, the CS cost share of revenue against its maximum,
// runway and payback, and gives a verdict with its reasons: HIRE_NOW when
// the team needs capacity and the hire keeps ARR per CSM and the cost share
// in line, HIRE_LATER when there is no need yet but trigger_month lies
// after as_of_month (default today), else HOLD. A tech-touch alternative,
// where described, is priced per FTE freed against the hire. Every bad
// field is reported at once in a *ValidationError.
func EvaluateHire(req HireEvaluationRequest, today Month) (HireEvaluation, error) {
	v := &violations{}
	var accounts int32
	if req.Load.Accounts != nil {
		accounts = *req.Load.Accounts
	}
	ev, err := EvaluateTeam(TeamRequest{
		CSMCount:       req.CSMCount,
		Accounts:       accounts,
		ARR:            req.ARR,
		TouchModel:     req.TouchModel,
		Complexity:     req.Complexity,
		WorkloadCSMFTE: req.Load.WorkloadCSMFTE,
		Policy:         req.Policy,
	})
	if ve, ok := err.(*ValidationError); ok {
		for _, fe := range ve.Violations {
			if f, ok := teamFieldInHire[fe.Field]; ok {
				fe = &FieldError{Field: f, Reason: fe.Reason}
			}
			v.list = append(v.list, fe)
		}
	} else {
		v.merge(err)
	}
	cost, err := hireCost(req.Hire, "hire")
	v.merge(err)
	validateHireEconomics(v, req)
	available, timeAs, err := AvailableHours(req.CSMTime, "csm_time")
	v.merge(err)
	trigger, asOf, asOfSource := resolveHireMonths(v, req, today)
	if !v.empty() {
		return HireEvaluation{}, v.err()
	}

	as := assumptions(ev.Assumptions)
	as = append(as, cost.Assumptions...)
	annual := cost.AnnualLoadedCost
	current := as.float("current_cs_cost", req.CurrentCSCost, float64(req.CSMCount)*annual, sourceHireCurrentCSCost)
	revenue := as.float("revenue", req.Revenue, req.ARR, sourceHireRevenue)
	maxShare := as.float("max_cost_share", req.MaxCostShare, DefaultHireMaxCostShare, sourceHireMaxCostShare)
	margin := as.float("gross_margin", req.GrossMargin, DefaultGrossMargin, sourceHireGrossMargin)
	if trigger != nil {
		as.add("as_of_month", asOf.String(), asOfSource)
	}

	// Without load.accounts the volume factor would score an empty book.
	var factors []FactorResult
	for _, f := range ev.Factors {
		if f.Factor != FactorVolume || req.Load.Accounts != nil {
			factors = append(factors, f)
		}
	}
	e := HireEvaluation{
		ARRPerCSMBefore:    ratio(req.ARR, float64(req.CSMCount)),
		ARRPerCSMAfter:     req.ARR / (float64(req.CSMCount) + 1),
		ARRPerCSMMilestone: ev.Factors[0].HealthyMin,
		CostShareBefore:    ratio(current, revenue),
		CostShareAfter:     ratio(current+annual, revenue),
		FirstYearCost:      cost.FirstYearCost,
		PaybackARR:         cost.FirstYearCost / margin,
		Factors:            factors,
		Alternative:        AlternativeComparison{HireCostPerFTE: annual},
	}
	if req.Cash != nil {
		cash, burn := *req.Cash, *req.MonthlyBurn
		e.RunwayMonthsBefore = cash / burn
		// Cash the one-time costs would overdraw leaves no runway, not a
		// negative one.
		e.RunwayMonthsAfter = max(cash-cost.OneTimeCost(), 0) / (burn + cost.MonthlyLoadedCost)
	}
	alt := req.Alternative
	described := alt != (TechTouchAlternative{})
	if described {
		as = append(as, timeAs...)
		e.Alternative.CSMFTEFreed = float64(alt.AccountsMoved) * alt.HoursSavedPerAccountMonth / available
		e.Alternative.Cost = alt.PlatformCostPerYear
		e.Alternative.CostPerFTEFreed = ratio(alt.PlatformCostPerYear, e.Alternative.CSMFTEFreed)
	}

	model, _, _ := teamDefaults(TeamRequest{TouchModel: req.TouchModel})
	r := hireReasons{e: &e, model: model, csmCount: req.CSMCount, maxShare: maxShare, margin: margin, currency: req.Currency}
	e.Basis, e.Policy = ev.Basis, ev.Policy
	r.decide(factors, ev, trigger, asOf)
	if req.Cash != nil {
		r.add("Runway goes from %s to %s months with the hire's one-time costs and monthly loaded cost.",
			numberText(e.RunwayMonthsBefore), numberText(e.RunwayMonthsAfter))
	}
	if described {
		r.alternative()
	}
	e.Assumptions = as
	return e, nil
}

// validateHireEconomics checks the evaluation's own fields: the cost and
// revenue figures, cash and burn, and the tech-touch alternative.
func validateHireEconomics(v *violations, req HireEvaluationRequest) {
	if c := req.CurrentCSCost; c != nil {
		hireMoney(v, "current_cs_cost", *c)
	}
	if r := req.Revenue; r != nil {
		hireMoney(v, "revenue", *r)
	}
	hireShare(v, "max_cost_share", req.MaxCostShare)
	if m := req.GrossMargin; m != nil && (!finite(*m) || *m <= 0 || *m > 1) {
		v.add("gross_margin", "is a fraction above 0 and at most 1 (0.8, not 80), got %s", formatFloat(*m))
	}
	if c := req.Cash; c != nil {
		hireMoney(v, "cash", *c)
	}
	switch b := req.MonthlyBurn; {
	case b != nil && (!finite(*b) || *b < 0 || *b > MaxAmount):
		v.add("monthly_burn", "must be an amount above 0 a month, got %s", formatFloat(*b))
	case req.Cash != nil && (b == nil || *b == 0):
		v.add("monthly_burn", "give the net burn per month, above 0, with cash: runway is cash over burn")
	}
	alt := req.Alternative
	switch n := alt.AccountsMoved; {
	case n < 0:
		v.add("tech_touch_alternative.accounts_moved", "must be 0 or more, got %d", n)
	case req.Load.Accounts != nil && n > *req.Load.Accounts:
		v.add("tech_touch_alternative.accounts_moved", "moves %d accounts out of a book of %d (load.accounts)", n, *req.Load.Accounts)
	}
	if h := alt.HoursSavedPerAccountMonth; !finite(h) || h < 0 || h > hireMaxHoursPerMonth {
		v.add("tech_touch_alternative.hours_saved_per_account_month", "must be 0 to %d hours a month, got %s", hireMaxHoursPerMonth, formatFloat(h))
	}
	hireMoney(v, "tech_touch_alternative.platform_cost_per_year", alt.PlatformCostPerYear)
}

// resolveHireMonths reads trigger_month (nil when not given) and
// as_of_month (today when not given).
func resolveHireMonths(v *violations, req HireEvaluationRequest, today Month) (*Month, Month, string) {
	var trigger *Month
	if req.TriggerMonth != "" {
		if m, err := ParseMonth(req.TriggerMonth); err != nil {
			v.add("trigger_month", "%v", err)
		} else {
			trigger = &m
		}
	}
	if req.AsOfMonth == "" {
		return trigger, today, sourceHireAsOfMonth
	}
	m, err := ParseMonth(req.AsOfMonth)
	if err != nil {
		v.add("as_of_month", "%v", err)
	}
	return trigger, m, SourceRequest
}

// hireReasons writes the verdict and the sentences behind it.
type hireReasons struct {
	e        *HireEvaluation
	model    TouchModel
	csmCount int32
	maxShare float64
	margin   float64
	currency string
}

func (r *hireReasons) add(format string, args ...any) {
	r.e.Reasons = append(r.e.Reasons, fmt.Sprintf(format, args...))
}

// decide sets the verdict: with a capacity need (a factor OVER) HIRE_NOW
// when ARR per CSM after the hire stays at or above the milestone and the
// cost share at or under its maximum, else HOLD; without one HIRE_LATER
// when the trigger month lies after as_of, else HOLD.
func (r *hireReasons) decide(factors []FactorResult, ev TeamEvaluation, trigger *Month, asOf Month) {
	e := r.e
	var over []string
	for _, f := range factors {
		if f.Status == LoadStatusOver {
			over = append(over, r.overText(f))
		}
	}
	need := len(over) > 0
	if ev.Policy != SizingPolicyMostConstrained {
		need = ev.CSMsNeeded > r.csmCount
	}
	switch {
	case need && r.csmCount == 0:
		r.add("The team needs capacity: there are no CSMs for the book.")
	case need && ev.Policy != SizingPolicyMostConstrained:
		detail := ""
		if len(over) > 0 {
			detail = "; " + strings.Join(over, "; ")
		}
		r.add("The team needs capacity: %s needs %s, more than the %s on the team%s.", basisText(ev.Basis), csmCountText(ev.CSMsNeeded), csmCountText(r.csmCount), detail)
	case need:
		r.add("The team needs capacity: %s.", strings.Join(over, "; "))
	case len(over) > 0:
		r.add("The team has no capacity need today: %s needs %s, no more than the %s on the team (over a guardrail: %s).",
			basisText(ev.Basis), csmCountText(ev.CSMsNeeded), csmCountText(r.csmCount), strings.Join(over, "; "))
	case ev.Policy != SizingPolicyMostConstrained:
		r.add("The team has no capacity need today: %s needs %s, no more than the %s on the team.", basisText(ev.Basis), csmCountText(ev.CSMsNeeded), csmCountText(r.csmCount))
	default:
		r.add("No factor is over its limit: the team has no capacity need today.")
	}

	arrOK := atLeast(e.ARRPerCSMAfter, e.ARRPerCSMMilestone)
	costOK := !above(e.CostShareAfter, r.maxShare)
	if !arrOK {
		r.add("ARR per CSM after the hire would be %s, below the %s efficiency milestone for %s (seed 004): the team would be expensive for its book.",
			moneyText(e.ARRPerCSMAfter, r.currency), moneyText(e.ARRPerCSMMilestone, r.currency), touchModelText(r.model))
	}
	if !costOK {
		r.add("CS cost would be %s of revenue after the hire, above the %s maximum.",
			percentText(e.CostShareAfter), percentText(r.maxShare))
	}

	switch {
	case need && arrOK && costOK:
		e.Verdict = VerdictHireNow
		r.add("Hire now: after the hire ARR per CSM is %s, at or above the %s milestone, and CS cost is %s of revenue, within the %s maximum.",
			moneyText(e.ARRPerCSMAfter, r.currency), moneyText(e.ARRPerCSMMilestone, r.currency), percentText(e.CostShareAfter), percentText(r.maxShare))
	case need:
		e.Verdict = VerdictHold
		r.add("Hold off (seed 004: if you are not completely sure, hold off): invest in tech touch first, moving accounts to digital programmes to free CSM time, then evaluate the hire again.")
	case trigger != nil && *trigger > asOf:
		e.Verdict = VerdictHireLater
		m := *trigger
		e.HireByMonth = &m
		r.add("Hire later: the forecast calls for the hire in %s; until then tech touch can push that month out.", m)
	case trigger != nil:
		e.Verdict = VerdictHold
		r.add("Hold: trigger_month %s is not after %s and no factor is over its limit; run the forecast again to date the next hire.", *trigger, asOf)
	default:
		e.Verdict = VerdictHold
		r.add("Hold: with no capacity need and no trigger_month there is nothing to hire for yet; a forecast dates the next hire.")
	}
	r.add("To pay back its first-year cost of %s at a gross margin of %s the hire must retain or add %s of ARR.",
		hireAmountText(e.FirstYearCost, r.currency), percentText(r.margin), hireAmountText(e.PaybackARR, r.currency))
}

// overText says how a factor that is OVER is over.
func (r *hireReasons) overText(f FactorResult) string {
	switch f.Factor {
	case FactorARR:
		return fmt.Sprintf("ARR per CSM is %s, above the %s capacity ceiling", moneyText(f.Value, r.currency), moneyText(f.Limit, r.currency))
	case FactorVolume:
		return fmt.Sprintf("each CSM carries %s accounts, past the cap of %s", numberText(f.Value), numberText(f.Limit))
	default:
		return fmt.Sprintf("the playbook needs %s of the team's customer hours", percentText(f.Value))
	}
}

// alternative compares the cost of an FTE freed by tech touch with an FTE
// hired.
func (r *hireReasons) alternative() {
	a := r.e.Alternative
	if !above(a.CSMFTEFreed, 0) {
		r.add("The tech-touch alternative frees no CSM time: give accounts_moved and hours_saved_per_account_month to compare it with the hire.")
		return
	}
	var verdict string
	switch {
	case below(a.CostPerFTEFreed, a.HireCostPerFTE):
		verdict = "tech touch is cheaper per FTE"
	case above(a.CostPerFTEFreed, a.HireCostPerFTE):
		verdict = "hiring is cheaper per FTE"
	default:
		verdict = "both cost the same per FTE"
	}
	r.add("Tech touch frees %s FTE for %s a year, %s per FTE, against %s per FTE by hiring: %s.",
		numberText(a.CSMFTEFreed), hireAmountText(a.Cost, r.currency), hireAmountText(a.CostPerFTEFreed, r.currency), hireAmountText(a.HireCostPerFTE, r.currency), verdict)
}

// hireAmountText writes a cost in whole currency units with thousands
// separators, so that a reason states the digits it was computed from.
func hireAmountText(x float64, currency string) string { return numfmt.MoneyWhole(x, currency) }
