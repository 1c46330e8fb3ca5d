package capacity

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// CostBand places the CS cost share of revenue against the band.
type CostBand int32

const (
	CostBandUnspecified CostBand = iota
	CostBandBelow
	CostBandWithin
	CostBandAbove
)

var costBandNames = [...]string{"COST_BAND_UNSPECIFIED", "COST_BAND_BELOW", "COST_BAND_WITHIN", "COST_BAND_ABOVE"}

func (b CostBand) String() string { return enumName(costBandNames[:], int32(b)) }

// OptionKind is one of seed 003's ways out of an over-budget plan.
type OptionKind int32

const (
	OptionKindUnspecified OptionKind = iota
	// OptionKindInvest funds the plan: the cost over budget is an
	// investment.
	OptionKindInvest
	// OptionKindCoverSubset keeps coverage for the segments that earn it
	// and moves the rest to a pooled tech-touch team.
	OptionKindCoverSubset
	// OptionKindReduceCoverage gives every CSM more accounts until the plan
	// fits.
	OptionKindReduceCoverage
)

var optionKindNames = [...]string{"OPTION_KIND_UNSPECIFIED", "OPTION_KIND_INVEST", "OPTION_KIND_COVER_SUBSET", "OPTION_KIND_REDUCE_COVERAGE"}

func (k OptionKind) String() string { return enumName(optionKindNames[:], int32(k)) }

// CoverageSegment is one segment to staff.
type CoverageSegment struct {
	Name     string
	Accounts int32
	ARR      float64
	// TouchModel defaults to HIGH.
	TouchModel TouchModel
	// AccountsPerCSM is the coverage ratio (seed 003: 5 accounts per rep).
	// Without it and without a playbook, the touch model's ideal max
	// applies; giving both is an error.
	AccountsPerCSM *float64
	// Playbook, when not nil, sizes the segment bottom-up (section 1).
	Playbook *Playbook
	// CustomerLifetimeMonths amortises the playbook's one-time touchpoints;
	// default 36 (assumption).
	CustomerLifetimeMonths *float64
}

// CoverageRequest asks what coverage costs and whether it fits the budget.
type CoverageRequest struct {
	Segments []CoverageSegment
	// CSMTime sizes playbook segments.
	CSMTime CSMTime
	// CSMLoadedCost is the annual loaded cost of one CSM.
	CSMLoadedCost float64
	// Revenue defaults to the segments' total ARR.
	Revenue *float64
	// MinCostShare and MaxCostShare bound the healthy CS cost share of
	// revenue; defaults 0.15 and 0.25 (seed 003).
	MinCostShare *float64
	MaxCostShare *float64
	// TechTouchAccountsPerCSM is the ratio of the pooled tech-touch team
	// COVER_SUBSET moves segments to; default the TECH ideal max, 1000.
	TechTouchAccountsPerCSM *float64
	// Currency is the display code of the options' money (default USD).
	Currency string
}

// CoveragePlan is the staffing plan, its cost, and the ways out when it is
// over budget.
type CoveragePlan struct {
	Segments          []SegmentCoverage
	TotalCSMHeadcount int32
	TotalCost         float64
	CostShare         float64
	Band              CostBand
	// Options are computed only when Band is ABOVE.
	Options     []CoverageOption
	Assumptions []Assumption
}

// SegmentCoverage is the staffing and cost of one segment.
type SegmentCoverage struct {
	Name string
	// AccountsPerCSM is the unrounded ratio used: given, available hours
	// over hours per account, or the touch model's ideal max.
	AccountsPerCSM float64
	CSMFTE         float64
	CSMHeadcount   int32
	Cost           float64
	CostShare      float64
}

// CoverageOption is one way out of an over-budget plan.
type CoverageOption struct {
	Kind        OptionKind
	Description string
	// ExtraCost is what the option still costs over the maximum share of
	// revenue; 0 when it fits.
	ExtraCost      float64
	CostShare      float64
	CoverageFactor float64
	KeptSegments   []string
	MovedSegments  []string
	Segments       []OptionSegment
}

// OptionSegment is how an option would staff one segment, or the pooled
// tech-touch team (TechTouchPool).
type OptionSegment struct {
	Name           string
	AccountsPerCSM float64
	CSMHeadcount   int32
	Cost           float64
}

// TechTouchPool names the pooled tech-touch team of COVER_SUBSET.
const TechTouchPool = "Tech-touch pool"

// Defaults of a coverage plan.
const (
	DefaultMinCostShare = 0.15
	DefaultMaxCostShare = 0.25
)

const (
	sourceCostShare = "seed 003: fully loaded CS cost at 15-25% of revenue"
	sourceRevenue   = "default: the segments' total ARR"
	sourceTechTouch = "assumption: the ideal accounts per CSM of TOUCH_MODEL_TECH"
)

// coverageSegment is a validated segment with its resolved staffing.
type coverageSegment struct {
	CoverageSegment
	staff staffing
}

// PlanCoverage staffs each segment from its coverage ratio or playbook,
// prices whole CSMs at the loaded cost, places the cost share of revenue
// against the band and, when it is above the band, computes seed 003's
// three ways out: invest, cover a subset, reduce coverage. Every bad field
// is reported at once in a *ValidationError.
func PlanCoverage(req CoverageRequest) (CoveragePlan, error) {
	var v violations
	var as, segAs assumptions
	switch n := len(req.Segments); {
	case n == 0:
		v.add("segments", "give at least one segment to staff")
		return CoveragePlan{}, v.err()
	case n > MaxSegments:
		v.add("segments", "has %d segments, more than the %d allowed", n, MaxSegments)
		return CoveragePlan{}, v.err()
	}
	validateNames(&v, len(req.Segments), func(i int) string { return req.Segments[i].Name })
	available, timeAs, err := AvailableHours(req.CSMTime, "csm_time")
	v.merge(err)

	segs := make([]coverageSegment, len(req.Segments))
	var totalARR float64
	usedTime := false
	for i, s := range req.Segments {
		p := index("segments", i)
		if s.Accounts < 0 {
			v.add(path(p, "accounts"), "must be 0 or more, got %d", s.Accounts)
		}
		checkAmount(&v, path(p, "arr"), s.ARR)
		staff, ok := resolveStaffing(&v, &segAs, staffingInput{
			touchModel: s.TouchModel, ratio: s.AccountsPerCSM, playbook: s.Playbook, lifetime: s.CustomerLifetimeMonths, available: available,
		}, p, err == nil)
		if ok {
			usedTime = usedTime || staff.playbook
			segs[i] = coverageSegment{CoverageSegment: s, staff: staff}
		}
		totalARR += s.ARR
	}
	cost := req.CSMLoadedCost
	if !finite(cost) || cost <= 0 || cost > MaxAmount {
		v.add("csm_loaded_cost", "give the annual loaded cost of one CSM, above 0 and at most %s (for example 150000), got %s", formatFloat(MaxAmount), formatFloat(cost))
	}
	revenue, revenueSource := totalARR, sourceRevenue
	if r := req.Revenue; r != nil {
		revenue, revenueSource = *r, SourceRequest
		if !finite(*r) || *r <= 0 || *r > MaxAmount {
			v.add("revenue", "must be above 0 and at most %s in whole currency units, got %s", formatFloat(MaxAmount), formatFloat(*r))
		}
	} else if v.empty() && !(totalARR > 0) {
		v.add("revenue", "the segments carry no ARR: give the revenue to measure the CS cost against")
	}
	minShare, maxShare := DefaultMinCostShare, DefaultMaxCostShare
	minOK := checkCostShare(&v, "min_cost_share", req.MinCostShare, &minShare)
	maxOK := checkCostShare(&v, "max_cost_share", req.MaxCostShare, &maxShare)
	if minOK && maxOK && minShare > maxShare {
		v.add("min_cost_share", "%s is above max_cost_share %s: give the lower end of the band first", formatFloat(minShare), formatFloat(maxShare))
	}
	if req.MaxCostShare != nil && maxOK && maxShare == 0 {
		v.add("max_cost_share", "must be above 0: no CS team fits a budget of nothing")
	}
	bench := DefaultBenchmarks()
	pool := bench.TouchModel(TouchModelTech).IdealAccountsMax
	if t := req.TechTouchAccountsPerCSM; t != nil && (!finite(*t) || *t < MinAccountsPerCSM) {
		v.add("tech_touch_accounts_per_csm", "must be at least %s accounts per CSM (the default is %s), got %s", formatFloat(MinAccountsPerCSM), formatFloat(pool), formatFloat(*t))
	}
	if !v.empty() {
		return CoveragePlan{}, v.err()
	}

	if usedTime {
		as = append(as, timeAs...)
	}
	as = append(as, segAs...)
	as.float("csm_loaded_cost", &cost, 0, SourceRequest)
	as.add("revenue", formatFloat(revenue), revenueSource)
	as.float("min_cost_share", req.MinCostShare, DefaultMinCostShare, sourceCostShare)
	as.float("max_cost_share", req.MaxCostShare, DefaultMaxCostShare, sourceCostShare)
	pool = as.float("tech_touch_accounts_per_csm", req.TechTouchAccountsPerCSM, pool, sourceTechTouch)

	c := coverageCalc{segs: segs, cost: cost, revenue: revenue, budget: maxShare * revenue, maxShare: maxShare, pool: pool, currency: req.Currency}
	plan := CoveragePlan{Segments: make([]SegmentCoverage, len(segs))}
	var headcount int64
	for i, s := range segs {
		fte := s.staff.fte(float64(s.Accounts))
		h := ceilTol(fte)
		if !finite(fte) || h > math.MaxInt32 {
			v.add(path(index("segments", i), "accounts"), "%d accounts need more CSMs than a plan can count (%d): check the accounts and the ratio", s.Accounts, math.MaxInt32)
			continue
		}
		headcount += int64(h)
		segCost := h * cost
		plan.Segments[i] = SegmentCoverage{
			Name: s.Name, AccountsPerCSM: s.staff.ratio, CSMFTE: fte, CSMHeadcount: int32(h),
			Cost: segCost, CostShare: ratio(segCost, revenue),
		}
		plan.TotalCost += segCost
	}
	if headcount > math.MaxInt32 {
		v.add("segments", "the segments need %d CSMs, more than a plan can count (%d): check the accounts and ratios", headcount, math.MaxInt32)
	}
	if !finite(plan.TotalCost) {
		v.add("csm_loaded_cost", "the plan's cost is too large to count: check the loaded cost's units")
	}
	if !v.empty() {
		return CoveragePlan{}, v.err()
	}
	plan.TotalCSMHeadcount = int32(headcount)
	plan.CostShare = ratio(plan.TotalCost, revenue)
	switch {
	case below(plan.CostShare, minShare):
		plan.Band = CostBandBelow
	case above(plan.CostShare, maxShare):
		plan.Band = CostBandAbove
	default:
		plan.Band = CostBandWithin
	}
	if plan.Band == CostBandAbove {
		plan.Options = append(plan.Options, c.invest(plan))
		plan.Options = append(plan.Options, c.coverSubset(plan))
		if o, ok := c.reduceCoverage(); ok {
			plan.Options = append(plan.Options, o)
		}
	}
	plan.Assumptions = as
	return plan, nil
}

// checkCostShare validates an optional share and stores it in dst when
// given; it reports whether the value is usable.
func checkCostShare(v *violations, field string, given *float64, dst *float64) bool {
	if given == nil {
		return true
	}
	if !finite(*given) || *given < 0 || *given > 1 {
		v.add(field, "is a share of revenue: give a fraction from 0 to 1 (0.25, not 25), got %s", formatFloat(*given))
		return false
	}
	*dst = *given
	return true
}

// coverageCalc holds what the options are computed from.
type coverageCalc struct {
	segs     []coverageSegment
	cost     float64
	revenue  float64
	budget   float64
	maxShare float64
	pool     float64
	currency string
}

// fits reports whether a cost is within the budget (max share x revenue).
func (c *coverageCalc) fits(cost float64) bool { return !above(cost, c.budget) }

func (c *coverageCalc) option(kind OptionKind, cost, factor float64) CoverageOption {
	return CoverageOption{
		Kind:           kind,
		ExtraCost:      math.Max(0, cost-c.budget),
		CostShare:      ratio(cost, c.revenue),
		CoverageFactor: factor,
		KeptSegments:   []string{},
		MovedSegments:  []string{},
	}
}

func (c *coverageCalc) names() []string {
	out := make([]string, len(c.segs))
	for i, s := range c.segs {
		out[i] = s.Name
	}
	return out
}

// invest keeps the plan as it is and names the cost over budget.
func (c *coverageCalc) invest(plan CoveragePlan) CoverageOption {
	o := c.option(OptionKindInvest, plan.TotalCost, 1)
	o.KeptSegments = c.names()
	for _, s := range plan.Segments {
		o.Segments = append(o.Segments, OptionSegment{Name: s.Name, AccountsPerCSM: s.AccountsPerCSM, CSMHeadcount: s.CSMHeadcount, Cost: s.Cost})
	}
	o.Description = fmt.Sprintf("Fund the plan as it stands: %s a year beyond %s of revenue, to be treated as an investment in coverage (seed 003).",
		moneyText(o.ExtraCost, c.currency), percentText(c.maxShare))
	return o
}

// coverSubset ranks the segments by ARR per dollar of their coverage cost
// and, starting from every segment moved to one pooled tech-touch team,
// keeps each in rank order whose cost fits beside the pool of the rest.
func (c *coverageCalc) coverSubset(plan CoveragePlan) CoverageOption {
	order := make([]int, len(c.segs))
	for i := range order {
		order[i] = i
	}
	// A segment that costs nothing earns the most per dollar.
	perDollar := func(i int) float64 {
		if plan.Segments[i].Cost == 0 {
			return math.Inf(1)
		}
		return c.segs[i].ARR / plan.Segments[i].Cost
	}
	slices.SortStableFunc(order, func(a, b int) int {
		pa, pb := perDollar(a), perDollar(b)
		switch {
		case pa > pb:
			return -1
		case pa < pb:
			return 1
		}
		return 0
	})

	var pooled int64
	for _, s := range c.segs {
		pooled += int64(s.Accounts)
	}
	poolCost := func(accounts int64) (int32, float64) {
		h := ceilTol(float64(accounts) / c.pool)
		return int32(h), h * c.cost
	}
	kept := make([]bool, len(c.segs))
	var keptCost float64
	for _, i := range order {
		rest := pooled - int64(c.segs[i].Accounts)
		_, restCost := poolCost(rest)
		if c.fits(keptCost + plan.Segments[i].Cost + restCost) {
			kept[i] = true
			keptCost += plan.Segments[i].Cost
			pooled = rest
		}
	}

	poolHeadcount, pc := poolCost(pooled)
	o := c.option(OptionKindCoverSubset, keptCost+pc, 1)
	var movedAccounts int64
	for i, s := range c.segs {
		if kept[i] {
			o.KeptSegments = append(o.KeptSegments, s.Name)
			ps := plan.Segments[i]
			o.Segments = append(o.Segments, OptionSegment{Name: s.Name, AccountsPerCSM: ps.AccountsPerCSM, CSMHeadcount: ps.CSMHeadcount, Cost: ps.Cost})
		} else {
			o.MovedSegments = append(o.MovedSegments, s.Name)
			movedAccounts += int64(s.Accounts)
		}
	}
	if len(o.MovedSegments) > 0 {
		o.Segments = append(o.Segments, OptionSegment{Name: TechTouchPool, AccountsPerCSM: c.pool, CSMHeadcount: poolHeadcount, Cost: pc})
	}
	keptText := "no segment"
	if len(o.KeptSegments) > 0 {
		keptText = listText(o.KeptSegments)
	}
	moved := fmt.Sprintf("%d accounts", movedAccounts)
	if movedAccounts == 1 {
		moved = "1 account"
	}
	o.Description = fmt.Sprintf("Keep coverage for %s, ranked by ARR per dollar of coverage; move %s (%s) to a pooled tech-touch team at %s accounts per CSM.",
		keptText, listText(o.MovedSegments), moved, numberText(c.pool))
	if o.ExtraCost > 0 {
		o.Description += fmt.Sprintf(" It still costs %s a year beyond %s of revenue.", moneyText(o.ExtraCost, c.currency), percentText(c.maxShare))
	}
	return o
}

// reduceCoverage finds the smallest factor f >= 1 on every segment's
// accounts per CSM for which the whole-CSM cost fits the budget. It reports
// false when none does: each segment with accounts needs at least one CSM.
func (c *coverageCalc) reduceCoverage() (CoverageOption, bool) {
	headcounts := func(f float64) (int64, []int64) {
		var total int64
		hs := make([]int64, len(c.segs))
		for i, s := range c.segs {
			if s.Accounts > 0 {
				hs[i] = int64(ceilTol(float64(s.Accounts) / (s.staff.ratio * f)))
				total += hs[i]
			}
		}
		return total, hs
	}
	fitsAt := func(f float64) bool {
		total, _ := headcounts(f)
		return c.fits(float64(total) * c.cost)
	}

	// At fMax every segment with accounts is down to one CSM, the fewest it
	// can have.
	fMax := 1.0
	for _, s := range c.segs {
		if s.Accounts > 0 {
			fMax = math.Max(fMax, float64(s.Accounts)/s.staff.ratio)
		}
	}
	if !fitsAt(fMax) {
		return CoverageOption{}, false
	}
	// Headcount falls as f grows, one step at each breakpoint
	// f = accounts / (ratio x h). Bisect down to adjacent floats, then snap
	// to the breakpoint where the fitting headcounts begin.
	lo, hi := 1.0, fMax
	if fitsAt(lo) {
		hi = lo
	}
	for hi > lo && math.Nextafter(lo, hi) < hi {
		mid := lo + (hi-lo)/2
		if fitsAt(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	_, hs := headcounts(hi)
	f := 1.0
	for i, s := range c.segs {
		if hs[i] > 0 {
			f = math.Max(f, float64(s.Accounts)/(s.staff.ratio*float64(hs[i])))
		}
	}
	if !fitsAt(f) {
		f = hi
	}
	total, hs := headcounts(f)
	o := c.option(OptionKindReduceCoverage, float64(total)*c.cost, f)
	o.KeptSegments = c.names()
	for i, s := range c.segs {
		o.Segments = append(o.Segments, OptionSegment{Name: s.Name, AccountsPerCSM: s.staff.ratio * f, CSMHeadcount: int32(hs[i]), Cost: float64(hs[i]) * c.cost})
	}
	o.Description = fmt.Sprintf("Give every CSM %sx the accounts: %s CSMs cost %s, %s of revenue. It fits the budget but does not improve the customer experience (seed 003).",
		factorText(f), numberText(float64(total)), moneyText(float64(total)*c.cost, c.currency), percentText(o.CostShare))
	return o, true
}

// factorText writes a factor with at most three decimals: 1.6, 1.333.
func factorText(f float64) string {
	return strconv.FormatFloat(math.Round(f*1000)/1000, 'f', -1, 64)
}

// listText joins names for a sentence: "A", "A and B", "A, B and C".
func listText(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
