package planning

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/csplan/csplan/capacity"
)

// Defaults of a plan that its file does not set.
const (
	DefaultHorizonMonths    = 12
	maxHorizonMonths        = 120
	DefaultCurrency         = "USD"
	reviewShareOfCapacity   = 0.9
	criticalShareOfCapacity = 1.5
	// managerCostMultiple prices a manager against a CSM (assumption).
	managerCostMultiple = 1.3
	tolerance           = 1e-9
)

// run carries one plan's resolved inputs from step to step.
type run struct {
	p     Plan
	book  Book
	start capacity.Month
	n     int // months in the series: horizon + 1
	m12   int

	available     float64
	hire          capacity.HireCost
	tth, ramp     int
	curve         capacity.RampCurve
	attrition     float64
	bench         capacity.Benchmarks
	minShare      float64
	maxShare      float64
	span          float64 // CSMs per manager, 0 for none
	managerAnnual float64
	otherAnnual   float64
	// todayMonthly is the monthly cost of one of today's CSMs.
	todayMonthly float64

	segs []*seg
	r    Result
}

// seg is one segment's state through the run.
type seg struct {
	spec     *Segment
	touch    capacity.TouchModel
	cx       capacity.Complexity
	tm       capacity.TouchModelBenchmark
	mult     float64
	accounts int32
	arr      float64

	churn, expansion, newAccounts, newARR float64
	acc, arrs                             []float64
	sizing                                capacity.Sizing
	calendar                              bool // sized from the book's dates
	hireAt                                []float64
	planned                               []int
	bridge                                capacity.Bridge
	out                                   *SegmentResult
}

// Run runs the plan on the book; today is month 0 of a plan without a
// start month. A bad plan is a *capacity.ValidationError whose fields are
// the plan's paths.
func Run(p Plan, book Book, today capacity.Month) (Result, error) {
	start := startMonth(p, today)
	if err := validate(p, book.Segmented != nil, start); err != nil {
		return Result{}, err
	}
	r := &run{p: p, book: book, start: start, bench: capacity.DefaultBenchmarks()}
	if err := r.resolve(); err != nil {
		return Result{}, err
	}
	if err := r.size(); err != nil {
		return Result{}, err
	}
	r.price()
	if err := r.summarize(); err != nil {
		return Result{}, err
	}
	if err := r.guardrails(); err != nil {
		return Result{}, err
	}
	r.decide()
	if err := r.findings(); err != nil {
		return Result{}, err
	}
	for _, s := range r.segs {
		r.r.Segments = append(r.r.Segments, *s.out)
	}
	return r.r, nil
}

func (r *run) assume(name, value, source string) {
	a := capacity.Assumption{Name: name, Value: value, Source: source}
	if !slices.Contains(r.r.Assumptions, a) {
		r.r.Assumptions = append(r.r.Assumptions, a)
	}
}

func (r *run) assumeFloat(name string, given *float64, def float64, source string) float64 {
	if given != nil {
		r.assume(name, num(*given), capacity.SourceRequest)
		return *given
	}
	r.assume(name, num(def), source)
	return def
}

// resolve fills in every default, with its source, and reads the book.
func (r *run) resolve() error {
	p := &r.p
	c := &checker{}
	h := horizon(p.HorizonMonths)
	r.n, r.m12 = int(h)+1, min(12, int(h))
	r.r = Result{Company: p.Company, Currency: cmp.Or(p.Currency, DefaultCurrency), StartMonth: r.start.String(), HorizonMonths: h,
		Policy: cmp.Or(p.Policy, capacity.SizingPolicyPlaybookFirst), Scope: cmp.Or(p.Finance.Scope, CostScopeFullyLoaded)}
	if p.StartMonth == "" {
		r.assume("start_month", r.start.String(), "current month (UTC)")
	}
	if p.HorizonMonths == 0 {
		r.assume("horizon_months", strconv.Itoa(DefaultHorizonMonths), "default")
	}
	r.assume("sizing_policy", r.r.Policy.String(), sourceOr(p.Policy != 0, "default: size from the journey, benchmarks as guardrails (seeds 002, 003)"))

	var err error
	var as []capacity.Assumption
	r.available, as, err = capacity.AvailableHours(p.CSMTime, "csm_time")
	c.merge(err, "")
	r.r.Assumptions = append(r.r.Assumptions, as...)
	r.hire, err = capacity.EstimateHireCost(p.Hiring.Cost)
	c.merge(err, "hiring.")
	if err := c.err(); err != nil {
		return err
	}
	for _, a := range r.hire.Assumptions {
		r.assume("hiring."+a.Name, a.Value, a.Source)
	}
	hc := p.Hiring.Cost
	r.tth = int(deref32(hc.TimeToHireMonths, capacity.DefaultTimeToHireMonths))
	r.ramp = int(deref32(hc.RampMonths, capacity.DefaultRampMonths))
	r.curve = hc.RampCurve
	r.attrition = r.assumeFloat("hiring.annual_csm_attrition_rate", p.Hiring.AnnualAttrition, 0, "assumption: no attrition unless the plan gives it")

	f := p.Finance
	r.minShare = r.assumeFloat("finance.min_cost_share", f.MinCostShare, capacity.DefaultMinCostShare, "seed 003: fully loaded CS cost at 15-25% of revenue")
	r.maxShare = r.assumeFloat("finance.max_cost_share", f.MaxCostShare, max(capacity.DefaultMaxCostShare, r.minShare), "seed 003: fully loaded CS cost at 15-25% of revenue")
	if f.CSMsPerManager != nil {
		r.span = *f.CSMsPerManager
		r.managerAnnual = r.assumeFloat("finance.manager_loaded_cost", f.ManagerLoadedCost, managerCostMultiple*r.hire.AnnualLoadedCost,
			"assumption: 1.3 x a CSM's annual loaded cost")
	}
	if f.OtherCSCostPerYear != nil {
		r.otherAnnual = *f.OtherCSCostPerYear
	}

	r.segs = make([]*seg, len(p.Segments))
	for i := range p.Segments {
		s := &p.Segments[i]
		sg := &seg{spec: s, touch: cmp.Or(s.TouchModel, capacity.TouchModelHigh), cx: cmp.Or(s.Complexity, p.Complexity, capacity.ComplexityModerate)}
		sg.tm, sg.mult = r.bench.TouchModel(sg.touch), r.bench.Multiplier(sg.cx)
		if b := r.book.Segmented; b != nil {
			if i < len(b.Segments) {
				sg.accounts, sg.arr = b.Segments[i].Accounts, b.Segments[i].ARR
			}
		} else {
			sg.accounts, sg.arr = *s.Accounts, *s.ARR
		}
		r.segs[i] = sg
	}
	r.todayMonthly = r.hire.MonthlyLoadedCost
	if cur := f.CurrentCSCost; cur != nil {
		if today := r.csmsToday(); today > 0 {
			r.todayMonthly = *cur / float64(today) / 12
		}
	}
	r.growths()
	return nil
}

func horizon(h int32) int32 {
	if h == 0 {
		return DefaultHorizonMonths
	}
	return h
}

func sourceOr(given bool, def string) string {
	if given {
		return capacity.SourceRequest
	}
	return def
}

func deref32(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

func (r *run) csmsToday() int32 {
	var n int32
	for _, s := range r.p.Segments {
		n += s.CSMs
	}
	return n
}

// growths resolves each segment's growth (its own fields, else the
// plan's, with the plan's new accounts split by share of accounts) and
// projects its accounts and ARR month by month.
func (r *run) growths() {
	g := r.p.Growth
	var total int64
	for _, s := range r.segs {
		total += int64(s.accounts)
	}
	for _, s := range r.segs {
		sg := s.spec.Growth
		s.churn = deref(cmp.Or(sg.MonthlyLogoChurnRate, g.MonthlyLogoChurnRate), 0)
		s.expansion = deref(cmp.Or(sg.MonthlyExpansionRate, g.MonthlyExpansionRate), 0)
		s.newARR = deref(cmp.Or(sg.NewAccountARR, g.NewAccountARR), ratio(s.arr, float64(s.accounts)))
		switch {
		case sg.NewAccountsPerMonth != nil:
			s.newAccounts = *sg.NewAccountsPerMonth
		case g.NewAccountsPerMonth != nil && total > 0:
			s.newAccounts = *g.NewAccountsPerMonth * float64(s.accounts) / float64(total)
		case g.NewAccountsPerMonth != nil:
			s.newAccounts = *g.NewAccountsPerMonth / float64(len(r.segs))
		}
		s.acc, s.arrs = make([]float64, r.n), make([]float64, r.n)
		acc, arr := float64(s.accounts), s.arr
		for t := range r.n {
			if t > 0 {
				acc = acc*(1-s.churn) + s.newAccounts
				arr = arr*(1-s.churn)*(1+s.expansion) + s.newAccounts*s.newARR
			}
			s.acc[t], s.arrs[t] = acc, arr
		}
	}
}

func deref(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func above(x, t float64) bool { return x > t+tolerance }

// size gives each segment its one capacity, its hire threshold and its
// bridge.
func (r *run) size() error {
	c := &checker{}
	for i, s := range r.segs {
		prefix := fmt.Sprintf("segments[%d].", i)
		sz, err := capacity.SizeSegment(capacity.SizingInput{
			Accounts: s.acc, ARR0: s.arr, Available: r.available, Playbook: s.spec.Playbook,
			NewAccountsPerMonth: s.newAccounts, CustomerLifetimeMonths: s.spec.CustomerLifetimeMonths,
			AccountsPerCSM: s.spec.AccountsPerCSM, IdealMax: s.tm.IdealAccountsMax * s.mult, ARRCeiling: s.tm.ARRPerCSMCeiling,
			Policy: r.r.Policy,
		})
		if err != nil {
			c.merge(err, prefix)
			continue
		}
		s.sizing = sz
		if hours, ok := r.calendarHours(i, s); ok {
			s.calendar = true
			r.calendarCapacity(s, hours)
			r.assume(prefix+"need", "calendar", "the hours the book's start and renewal dates place in each month, over one CSM's available hours")
		}
		s.hireAt = sz.Capacity
		if h := s.spec.Thresholds.HireAccountsPerCSM; h != nil {
			s.hireAt = make([]float64, r.n)
			for t := range s.hireAt {
				s.hireAt[t] = *h
			}
		}
		for _, m := range s.spec.PlannedHires {
			pm, _ := capacity.ParseMonth(m)
			if off := int(pm - r.start); off < r.n {
				s.planned = append(s.planned, off)
			}
		}
		b, err := capacity.PlanBridge(capacity.BridgeInput{
			Accounts: s.acc, Capacity: s.hireAt, CSMs: int(s.spec.CSMs), PlannedHires: s.planned,
			AnnualAttrition: r.attrition, RampMonths: r.ramp, Curve: r.curve, TimeToHireMonths: r.tth,
		})
		if err != nil {
			c.merge(err, prefix)
			continue
		}
		s.bridge = b
	}
	return c.err()
}

// decay is the share of a cohort left t months after it started.
func (r *run) decay(t int) float64 {
	if t < 0 {
		return 0
	}
	return math.Pow(1-r.attrition, float64(t)/12)
}

func (r *run) month(t int) string { return r.start.Add(t).String() }

// needed is ceil(accounts / capacity), the one need of a segment.
func (s *seg) needed(t int) int32 { return int32(capacity.NeededCSMs(s.acc[t], s.sizing.Capacity[t])) }
