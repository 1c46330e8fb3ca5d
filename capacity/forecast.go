package capacity

import (
	"fmt"
	"math"
	"sync"
)

// MaxHorizonMonths bounds a forecast's horizon.
const MaxHorizonMonths = 120

// ForecastRequest projects a book and a team month by month.
type ForecastRequest struct {
	// StartMonth is "YYYY-MM"; empty means the current month (UTC).
	StartMonth string
	// HorizonMonths defaults to 12 when 0; at most MaxHorizonMonths.
	HorizonMonths int32
	Accounts      int32
	ARR           float64
	CSMCount      int32
	// PlannedHireMonths are the start months ("YYYY-MM") of hires already
	// planned.
	PlannedHireMonths []string
	Growth            Growth
	// TouchModel (default HIGH) and Complexity (default MODERATE) set the
	// default thresholds.
	TouchModel TouchModel
	Complexity Complexity
	Thresholds Thresholds
	Timeline   Timeline
	// HireCost is the cost profile of a CSM. With it each month carries
	// the CS cost and its share of revenue, and each hire of the plan its
	// first-year cost. Only its costs are used: Timeline governs ramp and
	// time to hire.
	HireCost *HireRequest
}

// Growth describes how the book changes each month.
type Growth struct {
	NewAccountsPerMonth float64
	// MonthlyLogoChurnRate and MonthlyExpansionRate default to 0.
	MonthlyLogoChurnRate *float64
	MonthlyExpansionRate *float64
	// NewAccountARR defaults to the book's mean ARR.
	NewAccountARR *float64
}

// Thresholds on accounts per effective CSM and ARR per effective CSM. Nil
// fields default from the touch model and complexity: review at the ideal
// max, hire at the cap, critical at 1.5 times the cap (HIGH 30 / 50 / 75),
// ARR at the touch model's ceiling.
type Thresholds struct {
	ReviewAccountsPerCSM   *float64
	HireAccountsPerCSM     *float64
	CriticalAccountsPerCSM *float64
	ARRPerCSM              *float64
}

// Timeline is the hiring lead time and ramp.
type Timeline struct {
	// TimeToHireMonths defaults to 2 (assumption), RampMonths to 3 (seed
	// 004), RampCurve to ZERO, AnnualCSMAttritionRate to 0.
	TimeToHireMonths       *int32
	RampMonths             *int32
	RampCurve              RampCurve
	AnnualCSMAttritionRate *float64
}

// Forecast is the month-by-month projection with its triggers and the
// hiring plan that keeps load under the hire threshold.
type Forecast struct {
	Months      []ForecastMonth
	Triggers    []Trigger
	HiringPlan  []PlannedHire
	Assumptions []Assumption
}

// ForecastMonth is one row of the series. Values are expected values.
type ForecastMonth struct {
	Month          Month
	Accounts       float64
	ARR            float64
	CSMHeadcount   int32
	EffectiveCSMs  float64
	AccountsPerCSM float64
	ARRPerCSM      float64
	// CSCost is the headcount times the monthly loaded cost of a hire, and
	// CSCostShare 12 times that over the month's ARR (0 without ARR); both
	// 0 without a hire cost.
	CSCost      float64
	CSCostShare float64
}

// Trigger is one threshold: when it is crossed and when the requisition
// must open to have a ramped CSM in seat by then.
type Trigger struct {
	// Name is review, hire, critical or arr.
	Name      string
	Threshold float64
	// CrossingMonth and OpenRequisitionBy are nil when not reached within
	// the horizon.
	CrossingMonth     *Month
	OpenRequisitionBy *Month
	Status            TriggerStatus
	MonthsLate        int32
}

// PlannedHire is one hire of the suggested plan.
type PlannedHire struct {
	RequisitionMonth Month
	StartMonth       Month
	RampedMonth      Month
	// FirstYearCost is the hire's first-year cost, 0 without a hire cost.
	FirstYearCost float64
}

const (
	// DefaultHorizonMonths is the horizon of a forecast that gives none.
	DefaultHorizonMonths = 12
	// MaxPlannedHires bounds planned_hire_months: every planned hire is
	// counted in every month, and a team plan longer than this is a mistake.
	MaxPlannedHires = 1000
	// MaxPlanHires bounds the suggested hiring plan. A book that would need
	// more hires to stay under the hire threshold is an error on
	// thresholds.hire_accounts_per_csm, not a capped plan: a truncated plan
	// would leave load over the threshold without saying so.
	MaxPlanHires = 100000
	// MaxTimelineMonths bounds time_to_hire_months and ramp_months.
	MaxTimelineMonths = 24
)

const (
	// Absurd sizes are rejected so that 120 months of growth and expansion
	// stay finite: MaxAmount compounded at 100% a month for 120 months is
	// still a float64.
	maxForecastNewAccounts = 1e9
	// lastMonth is 9999-12, the last month ParseMonth reads back.
	lastMonth = Month(9999*12 + 11)
)

// Sources of the forecast's defaults, echoed in its assumptions.
const (
	forecastSourceToday      = "current month (UTC)"
	forecastSourceAssumption = "assumption"
	forecastSourceRamp       = "seed 004"
	forecastSourceMeanARR    = "book mean ARR"
)

// ForecastCapacity projects the book and the team month by month from the
// start month (today when the request gives none), reports when each
// threshold is crossed and when its requisition must open, and suggests the
// hires that keep accounts per effective CSM under the hire threshold.
// Invalid requests return a *ValidationError naming every bad field.
func ForecastCapacity(req ForecastRequest, today Month) (Forecast, error) {
	in, err := resolveForecast(req, today)
	if err != nil {
		return Forecast{}, err
	}
	s := in.project()
	defer s.release()
	plan, err := in.hiringPlan(s)
	if err != nil {
		return Forecast{}, err
	}
	return Forecast{
		Months:      in.rows(s),
		Triggers:    in.triggers(s),
		HiringPlan:  plan,
		Assumptions: in.assumptions,
	}, nil
}

// Productivity is the share of a full CSM that a hire delivers in the k-th
// month after its start (k from 0): nothing before the start; for ZERO (and
// UNSPECIFIED, whose default it is) nothing until k reaches rampMonths; for
// LINEAR k/rampMonths. A ramp of 0 months is full productivity from the
// start month.
func (r RampCurve) Productivity(k, rampMonths int) float64 {
	switch {
	case k < 0:
		return 0
	case k >= rampMonths:
		return 1
	case r == RampCurveLinear:
		return float64(k) / float64(rampMonths)
	default:
		return 0
	}
}

// forecastInputs is a validated request with every default resolved.
type forecastInputs struct {
	start    Month
	startOK  bool
	horizon  int
	accounts float64
	arr      float64
	csmCount int32
	// planned holds the planned hires' start months as offsets from the
	// start month, each >= 0.
	planned       []int
	churn         float64
	expansion     float64
	newAccounts   float64
	newAccountARR float64
	review        float64
	hire          float64
	critical      float64
	arrThreshold  float64
	timeToHire    int
	ramp          int
	curve         RampCurve
	attrition     float64
	// cost prices the team, nil without a hire cost.
	cost        *HireCost
	assumptions assumptions
}

// resolveForecast validates the request, collecting every bad field, and
// fills in the defaults in the order the assumptions list them.
func resolveForecast(req ForecastRequest, today Month) (*forecastInputs, error) {
	c := &forecastCheck{}
	in := &forecastInputs{}
	in.resolveWindow(req, today, c)
	in.resolveBook(req, c)
	in.resolvePlanned(req.PlannedHireMonths, c)
	tm, cx := in.resolveModel(req, c)
	in.resolveGrowth(req.Growth, c)
	in.resolveThresholds(req.Thresholds, tm, cx, c)
	in.resolveTimeline(req.Timeline, c)
	in.resolveHireCost(req.HireCost, c)
	if err := c.err(); err != nil {
		return nil, err
	}
	return in, nil
}

// resolveWindow settles the start month and the horizon.
func (in *forecastInputs) resolveWindow(req ForecastRequest, today Month, c *forecastCheck) {
	in.start, in.startOK = today, true
	if req.StartMonth == "" {
		in.assumptions.add("start_month", today.String(), forecastSourceToday)
	} else if m, err := ParseMonth(req.StartMonth); err != nil {
		c.add("start_month", "%v", err)
		in.startOK = false
	} else {
		in.start = m
		in.assumptions.add("start_month", m.String(), SourceRequest)
	}

	h := req.HorizonMonths
	switch {
	case h < 0 || h > MaxHorizonMonths:
		c.add("horizon_months", "must be 1 to %d months (or 0 for the default %d), got %d", MaxHorizonMonths, DefaultHorizonMonths, h)
		return
	case h == 0:
		h = DefaultHorizonMonths
		in.assumptions.add("horizon_months", fmt.Sprint(h), forecastSourceAssumption)
	default:
		in.assumptions.add("horizon_months", fmt.Sprint(h), SourceRequest)
	}
	in.horizon = int(h)
	// Every month of the response must be a month a client can read back.
	if in.startOK && in.start.Add(in.horizon) > lastMonth {
		c.add("horizon_months", "%d months from %s runs past %s; shorten the horizon", h, in.start, lastMonth)
	}
}

// resolveBook checks the book and the team as they stand at the start.
func (in *forecastInputs) resolveBook(req ForecastRequest, c *forecastCheck) {
	if req.Accounts < 0 {
		c.add("accounts", "must be 0 or more, got %d", req.Accounts)
	}
	if req.CSMCount < 0 {
		c.add("csm_count", "must be 0 or more, got %d", req.CSMCount)
	}
	c.amount("arr", req.ARR, MaxAmount)
	in.accounts, in.arr, in.csmCount = float64(req.Accounts), req.ARR, req.CSMCount
}

// resolvePlanned reads the planned hires' start months. A hire who started
// before the start month is already on the team: it belongs in csm_count.
func (in *forecastInputs) resolvePlanned(months []string, c *forecastCheck) {
	if len(months) > MaxPlannedHires {
		c.add("planned_hire_months", "lists %d hires; at most %d are accepted", len(months), MaxPlannedHires)
		return
	}
	for i, s := range months {
		field := index("planned_hire_months", i)
		m, err := ParseMonth(s)
		switch {
		case err != nil:
			c.add(field, "%v", err)
		case in.startOK && m < in.start:
			c.add(field, "%s is before start_month %s: count a hire who has already started in csm_count", m, in.start)
		default:
			in.planned = append(in.planned, int(m-in.start))
		}
	}
}

// resolveModel settles the touch model and complexity that set the default
// thresholds; an unknown value falls back to the default only to keep
// validating (the request fails anyway).
func (in *forecastInputs) resolveModel(req ForecastRequest, c *forecastCheck) (TouchModel, Complexity) {
	tm, cx := req.TouchModel, req.Complexity
	switch {
	case !tm.Valid():
		c.add("touch_model", "unknown touch model %d: use TOUCH_MODEL_HIGH, TOUCH_MODEL_LOW or TOUCH_MODEL_TECH", int32(tm))
		tm = TouchModelHigh
	case tm == TouchModelUnspecified:
		tm = TouchModelHigh
		in.assumptions.add("touch_model", tm.String(), forecastSourceAssumption)
	default:
		in.assumptions.add("touch_model", tm.String(), SourceRequest)
	}
	switch {
	case !cx.Valid():
		c.add("complexity", "unknown complexity %d: use PRODUCT_COMPLEXITY_SIMPLE, PRODUCT_COMPLEXITY_MODERATE or PRODUCT_COMPLEXITY_COMPLEX", int32(cx))
		cx = ComplexityModerate
	case cx == ComplexityUnspecified:
		cx = ComplexityModerate
		in.assumptions.add("complexity", cx.String(), forecastSourceAssumption)
	default:
		in.assumptions.add("complexity", cx.String(), SourceRequest)
	}
	return tm, cx
}

// resolveGrowth settles the monthly growth of the book.
func (in *forecastInputs) resolveGrowth(g Growth, c *forecastCheck) {
	c.amount("growth.new_accounts_per_month", g.NewAccountsPerMonth, maxForecastNewAccounts)
	in.newAccounts = g.NewAccountsPerMonth
	c.monthlyRate("growth.monthly_logo_churn_rate", g.MonthlyLogoChurnRate, false)
	in.churn = in.assumptions.float("growth.monthly_logo_churn_rate", g.MonthlyLogoChurnRate, 0, forecastSourceAssumption)
	c.monthlyRate("growth.monthly_expansion_rate", g.MonthlyExpansionRate, true)
	in.expansion = in.assumptions.float("growth.monthly_expansion_rate", g.MonthlyExpansionRate, 0, forecastSourceAssumption)
	if g.NewAccountARR != nil {
		c.amount("growth.new_account_arr", *g.NewAccountARR, MaxAmount)
	}
	// New accounts look like the average account today.
	in.newAccountARR = in.assumptions.float("growth.new_account_arr", g.NewAccountARR, ratio(in.arr, in.accounts), forecastSourceMeanARR)
}

// resolveThresholds fills each missing threshold from the touch model's
// benchmark scaled by the complexity multiplier (HIGH, MODERATE: 30 / 50 /
// 75 accounts, $2M ARR per CSM).
func (in *forecastInputs) resolveThresholds(t Thresholds, tm TouchModel, cx Complexity, c *forecastCheck) {
	b := DefaultBenchmarks()
	bm, mult := b.TouchModel(tm), b.Multiplier(cx)
	set := func(field string, given *float64, def float64, how string) float64 {
		c.positive(field, given)
		return in.assumptions.float(field, given, def, forecastThresholdSource(tm, how))
	}
	in.review = set("thresholds.review_accounts_per_csm", t.ReviewAccountsPerCSM, bm.IdealAccountsMax*mult, "ideal max x complexity multiplier")
	in.hire = set("thresholds.hire_accounts_per_csm", t.HireAccountsPerCSM, bm.AccountsCap*mult, "cap x complexity multiplier")
	in.critical = set("thresholds.critical_accounts_per_csm", t.CriticalAccountsPerCSM, 1.5*bm.AccountsCap*mult, "1.5 x cap x complexity multiplier")
	in.arrThreshold = set("thresholds.arr_per_csm", t.ARRPerCSM, bm.ARRPerCSMCeiling, "touch model's ARR per CSM ceiling")
}

// forecastThresholdSource cites a default threshold: the HIGH benchmarks
// come from seeds 000/001, the others are our assumptions.
func forecastThresholdSource(tm TouchModel, how string) string {
	if tm == TouchModelHigh {
		return "seeds 000/001 (" + how + ")"
	}
	return "assumption (" + tm.String() + " " + how + ")"
}

// resolveTimeline settles the hiring lead time, the ramp and attrition.
func (in *forecastInputs) resolveTimeline(tl Timeline, c *forecastCheck) {
	c.months("timeline.time_to_hire_months", tl.TimeToHireMonths)
	in.timeToHire = int(in.assumptions.int("timeline.time_to_hire_months", tl.TimeToHireMonths, 2, forecastSourceAssumption))
	c.months("timeline.ramp_months", tl.RampMonths)
	in.ramp = int(in.assumptions.int("timeline.ramp_months", tl.RampMonths, 3, forecastSourceRamp))
	switch {
	case !tl.RampCurve.Valid():
		c.add("timeline.ramp_curve", "unknown ramp curve %d: use RAMP_CURVE_ZERO or RAMP_CURVE_LINEAR", int32(tl.RampCurve))
	case tl.RampCurve == RampCurveUnspecified:
		in.curve = RampCurveZero
		in.assumptions.add("timeline.ramp_curve", in.curve.String(), forecastSourceRamp)
	default:
		in.curve = tl.RampCurve
		in.assumptions.add("timeline.ramp_curve", in.curve.String(), SourceRequest)
	}
	// An attrition of 1 would empty the team after month 0: no plan can
	// keep up with that, so the rate stays below 1.
	c.annualRate("timeline.annual_csm_attrition_rate", tl.AnnualCSMAttritionRate)
	in.attrition = in.assumptions.float("timeline.annual_csm_attrition_rate", tl.AnnualCSMAttritionRate, 0, forecastSourceAssumption)
}

// resolveHireCost prices a CSM from hire_cost. Its ramp and time to hire
// are validated like the rest, but the timeline governs them here, so only
// the cost assumptions are echoed.
func (in *forecastInputs) resolveHireCost(h *HireRequest, c *forecastCheck) {
	if h == nil {
		return
	}
	cost, err := hireCost(*h, "hire_cost")
	if err != nil {
		c.merge(err)
		return
	}
	in.cost = &cost
	in.assumptions = append(in.assumptions, hireCostAssumptions(cost, "hire_cost")...)
}

// forecastCheck collects the forecast's field errors with the checks its
// fields share.
type forecastCheck struct{ violations }

// amount checks a count or sum of money: finite, 0 or more, at most max.
func (c *forecastCheck) amount(field string, x, limit float64) {
	switch {
	case !finite(x) || x < 0:
		c.add(field, "must be a number of 0 or more, got %s", formatFloat(x))
	case x > limit:
		c.add(field, "%s is too large to plan with; at most %s is accepted", formatFloat(x), formatFloat(limit))
	}
}

// MaxMonthlyRate bounds a monthly rate of churn or expansion: past half
// the book a month, the value is far likelier a percentage written as a
// fraction's worth than a plan.
const MaxMonthlyRate = 0.5

// monthlyRate checks an optional monthly rate: in [0, 0.5], or in
// (-0.5, 0.5] when it may be negative (expansion: a net contraction,
// downsell). A rate of 1 or more is a percentage written where a fraction
// goes, and the message says so.
func (c *forecastCheck) monthlyRate(field string, p *float64, negativeAllowed bool) {
	if p == nil {
		return
	}
	x := *p
	switch {
	case !finite(x):
		c.add(field, "must be a fraction a month, got %s", formatFloat(x))
	case math.Abs(x) >= 1:
		c.add(field, "rates are fractions: 1%% a month is 0.01, got %s", formatFloat(x))
	case x > MaxMonthlyRate:
		c.add(field, "%s is above 50%% a month: rates are fractions (0.05 is 5%%)", formatFloat(x))
	case x < 0 && !negativeAllowed:
		c.add(field, "must be 0 or more, got %s", formatFloat(x))
	case x <= -MaxMonthlyRate:
		c.add(field, "%s is a contraction of 50%% a month or more: give a fraction above -0.5 (-0.01 is 1%% less a month)", formatFloat(x))
	}
}

// annualRate checks an optional annual rate of attrition: in [0, 1).
func (c *forecastCheck) annualRate(field string, p *float64) {
	if p == nil {
		return
	}
	x := *p
	switch {
	case !finite(x) || x < 0:
		c.add(field, "must be a fraction of the team a year, 0 or more, got %s", formatFloat(x))
	case x > 1:
		c.add(field, "rates are fractions: 15%% a year is 0.15, got %s", formatFloat(x))
	case x == 1:
		c.add(field, "must be below 1 (1 would lose the whole team within a year), got 1")
	}
}

// positive checks an optional threshold: finite and above 0.
func (c *forecastCheck) positive(field string, p *float64) {
	if p != nil && (!finite(*p) || *p <= 0) {
		c.add(field, "must be a number above 0, got %s", formatFloat(*p))
	}
}

// months checks an optional lead time or ramp in months.
func (c *forecastCheck) months(field string, p *int32) {
	if p != nil && (*p < 0 || *p > MaxTimelineMonths) {
		c.add(field, "must be 0 to %d months, got %d", MaxTimelineMonths, *p)
	}
}

// forecastSeries is the monthly projection, t = 0..horizon.
type forecastSeries struct {
	accounts []float64
	arr      []float64
	// csms counts the current team plus planned hires by their ramp,
	// before attrition; decay is attrition's (1-a)^(t/12).
	csms      []float64
	decay     []float64
	headcount []int32
}

// seriesPool recycles the series of finished forecasts: they are scratch,
// and a what-if page asks for forecast after forecast.
var seriesPool sync.Pool

func newForecastSeries(n int) forecastSeries {
	if p, ok := seriesPool.Get().(*forecastSeries); ok && cap(p.accounts) >= n {
		return forecastSeries{
			accounts: p.accounts[:n], arr: p.arr[:n], csms: p.csms[:n], decay: p.decay[:n], headcount: p.headcount[:n],
		}
	}
	return forecastSeries{
		accounts:  make([]float64, n),
		arr:       make([]float64, n),
		csms:      make([]float64, n),
		decay:     make([]float64, n),
		headcount: make([]int32, n),
	}
}

// release returns the series to the pool; nothing may use them after.
func (s forecastSeries) release() { seriesPool.Put(&s) }

// project runs the growth recurrences and the team month by month.
func (in *forecastInputs) project() forecastSeries {
	n := in.horizon + 1
	s := newForecastSeries(n)
	// Attrition keeps (1-a)^(t/12) of the team at month t: whole years
	// times the fraction of a year, so that a horizon of any length takes
	// two dozen powers rather than one a month.
	base := 1 - in.attrition
	var monthPart [12]float64
	for j := range monthPart {
		monthPart[j] = math.Pow(base, float64(j)/12)
	}
	yearPart := 1.0
	acc, arr := in.accounts, in.arr
	for t := range n {
		if t > 0 {
			acc = acc*(1-in.churn) + in.newAccounts
			arr = arr*(1-in.churn)*(1+in.expansion) + in.newAccounts*in.newAccountARR
		}
		s.accounts[t], s.arr[t] = acc, arr
		s.csms[t], s.headcount[t] = in.teamAt(t)
		if t%12 == 0 && t > 0 {
			yearPart = math.Pow(base, float64(t/12))
		}
		s.decay[t] = yearPart * monthPart[t%12]
	}
	return s
}

// teamAt returns the team's capacity before attrition (planned hires along
// their ramp) and its headcount (planned hires count once started) at t.
func (in *forecastInputs) teamAt(t int) (float64, int32) {
	csms, heads := float64(in.csmCount), int64(in.csmCount)
	for _, p := range in.planned {
		csms += in.curve.Productivity(t-p, in.ramp)
		if p <= t {
			heads++
		}
	}
	// csm_count near the int32 limit plus planned hires saturates rather
	// than wrapping negative.
	return csms, int32(min(heads, math.MaxInt32))
}

// rows shapes the series into the response's months.
func (in *forecastInputs) rows(s forecastSeries) []ForecastMonth {
	out := make([]ForecastMonth, len(s.accounts))
	for t := range out {
		eff := s.csms[t] * s.decay[t]
		out[t] = ForecastMonth{
			Month:          in.start.Add(t),
			Accounts:       s.accounts[t],
			ARR:            s.arr[t],
			CSMHeadcount:   s.headcount[t],
			EffectiveCSMs:  eff,
			AccountsPerCSM: ratio(s.accounts[t], eff),
			ARRPerCSM:      ratio(s.arr[t], eff),
		}
		if in.cost != nil {
			// Attrition's decay is capacity lost, not payroll saved: the
			// cost follows headcount.
			out[t].CSCost = float64(s.headcount[t]) * in.cost.MonthlyLoadedCost
			out[t].CSCostShare = ratio(12*out[t].CSCost, s.arr[t])
		}
	}
	return out
}

// forecastOverloaded reports whether load on the given effective capacity
// is past the threshold: per-CSM load above it (beyond the tolerance), the
// comparison of the bands too (seed 000: "not assign over 50 accounts"), so
// a team exactly at its threshold needs nobody; or load with no capacity
// at all. No load never counts, so an absurdly small threshold does not
// fire on an empty book.
func forecastOverloaded(load, capacity, threshold float64) bool {
	if load <= 0 {
		return false
	}
	return capacity <= 0 || above(load/capacity, threshold)
}

// triggers reports the four thresholds in order review, hire, critical, arr.
func (in *forecastInputs) triggers(s forecastSeries) []Trigger {
	return []Trigger{
		in.trigger("review", in.review, s.accounts, s),
		in.trigger("hire", in.hire, s.accounts, s),
		in.trigger("critical", in.critical, s.accounts, s),
		in.trigger("arr", in.arrThreshold, s.arr, s),
	}
}

// trigger finds the first month load crosses the threshold and dates the
// requisition that would have a ramped CSM in seat by then.
func (in *forecastInputs) trigger(name string, threshold float64, load []float64, s forecastSeries) Trigger {
	tr := Trigger{Name: name, Threshold: threshold, Status: TriggerStatusNotReached}
	for t := range load {
		if !forecastOverloaded(load[t], s.csms[t]*s.decay[t], threshold) {
			continue
		}
		r := t - in.timeToHire - in.ramp
		crossing, req := in.start.Add(t), in.start.Add(r)
		tr.CrossingMonth, tr.OpenRequisitionBy = &crossing, &req
		switch {
		case r > 0:
			tr.Status = TriggerStatusUpcoming
		case r == 0:
			tr.Status = TriggerStatusDueNow
		default:
			tr.Status, tr.MonthsLate = TriggerStatusOverdue, int32(-r)
		}
		return tr
	}
	return tr
}

// hiringPlan walks the months a requisition opened now can first be ramped
// in, and adds the fewest hires ramped at each month that bring accounts per
// effective CSM strictly under the hire threshold. The plan's hires count
// fully from their ramped month and decay with attrition like everyone
// else, so attrition shows up as backfills. Load over the threshold before
// the first reachable month is late already; the triggers report it.
func (in *forecastInputs) hiringPlan(s forecastSeries) ([]PlannedHire, error) {
	plan := []PlannedHire{}
	hired := 0
	for t := in.timeToHire + in.ramp; t <= in.horizon; t++ {
		n, ok := forecastHiresNeeded(s.accounts[t], s.csms[t]+float64(hired), s.decay[t], in.hire)
		if !ok || hired+n > MaxPlanHires {
			return nil, &ValidationError{Violations: []*FieldError{{
				Field: "thresholds.hire_accounts_per_csm",
				Reason: fmt.Sprintf("keeping accounts per CSM under %s would take more than %d hires by %s; check the threshold, growth and attrition",
					formatFloat(in.hire), MaxPlanHires, in.start.Add(t)),
			}}}
		}
		ramped := in.start.Add(t)
		start := ramped.Add(-in.ramp)
		hire := PlannedHire{RequisitionMonth: start.Add(-in.timeToHire), StartMonth: start, RampedMonth: ramped}
		if in.cost != nil {
			hire.FirstYearCost = in.cost.FirstYearCost
		}
		for range n {
			plan = append(plan, hire)
		}
		hired += n
	}
	return plan, nil
}

// forecastHiresNeeded returns the fewest extra full CSMs n for which load on
// (csms + n) * decay is no longer above the threshold, or false when no
// count up to MaxPlanHires does. It solves for n directly and then steps
// over rounding at the boundary, so its cost does not grow with n.
func forecastHiresNeeded(load, csms, decay, threshold float64) (int, bool) {
	over := func(n float64) bool { return forecastOverloaded(load, (csms+n)*decay, threshold) }
	if !over(0) {
		return 0, true
	}
	// Over while load / capacity > threshold + tolerance: with a threshold
	// of 0 or less, or no decay left, no team is ever enough.
	limit := threshold + tolerance
	if threshold <= 0 || decay <= 0 {
		return 0, false
	}
	// Within once (csms + n) * decay >= load / limit.
	n := math.Ceil(load/(decay*limit) - csms)
	if !finite(n) || n > MaxPlanHires {
		return 0, false
	}
	n = max(n, 1)
	for n > 1 && !over(n-1) {
		n--
	}
	for over(n) {
		if n++; n > MaxPlanHires {
			return 0, false
		}
	}
	return int(n), true
}
