package planner

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// DefaultBatch is how many accounts one stream message carries.
const DefaultBatch = 1000

// DefaultHorizonMonths is the forecast's horizon when the plan sets none.
const DefaultHorizonMonths = 12

// Threshold factors for a segment whose capacity comes from its playbook
// or coverage ratio (assumptions, overridable per segment): review at 90%
// of that capacity, hire at it, critical at 1.5 times it (the ratio of the
// service's HIGH defaults, 75 / 50).
const (
	reviewShareOfCapacity   = 0.9
	criticalShareOfCapacity = 1.5
)

// Options tune Analyze. The zero value is ready to use.
type Options struct {
	// Batch is accounts per stream message (default DefaultBatch).
	Batch int
	// Progress, when set, is called after each batch streamed with the
	// accounts read so far, and with -1 when the stream is done.
	Progress func(accounts int)
	// CallTimeout bounds each unary call (0: the client's own default).
	// Streams are bounded only by ctx.
	CallTimeout time.Duration
	// Now gives the current time, for a plan without start_month
	// (default time.Now).
	Now func() time.Time
}

// Analyze runs the whole analysis of a plan through the three services
// and returns the report. Every figure in the report is a service's answer
// (or a sum of them); the analysis only decides what to ask.
func Analyze(ctx context.Context, c *client.Client, p *Plan, opts Options) (*Report, error) {
	a := &analysis{c: c, p: p, opts: opts, r: &Report{Version: ReportVersion}}
	if a.opts.Batch <= 0 {
		a.opts.Batch = DefaultBatch
	}
	if a.opts.Now == nil {
		a.opts.Now = time.Now
	}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"segmentation", a.book},
		{"hiring", a.hireCost},
		{"capacity", a.capacity},
		{"coverage", a.coverage},
		{"forecast", a.forecast},
		{"capacity", a.capacityIn12},
		{"coverage", a.coverageIn12},
		{"evaluation", a.evaluate},
		{"hiring", a.evaluateHire},
	}
	for _, s := range steps {
		if err := s.run(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	a.summarize()
	return a.r, nil
}

// analysis carries the answers from one step to the next.
type analysis struct {
	c    *client.Client
	p    *Plan
	opts Options
	r    *Report

	start   string
	m12     int
	segs    []segState
	revenue float64
	hireReq *csplanv1.EstimateHireCostRequest
	loaded  float64

	coverage12 *csplanv1.PlanCoverageResponse
}

// segState is what the analysis knows of one plan segment.
type segState struct {
	spec       *Segment
	touch      csplanv1.TouchModel
	complexity csplanv1.ProductComplexity
	accounts   int
	arr        float64
	growth     *csplanv1.Growth

	// workload is the FTE the segment's journey needs (playbook or
	// ratio); nil when the segment has neither.
	workload, workload12 *float64
	// fte is the FTE the coverage plan gives it (all segments).
	fte, fte12 float64
	// capacity is accounts one CSM carries (unrounded), 0 when unknown.
	capacity float64

	accounts12 int
	arr12      float64
	csms12     int
	forecast   *csplanv1.ForecastCapacityResponse
}

func (a *analysis) call(ctx context.Context) (context.Context, context.CancelFunc) {
	if a.opts.CallTimeout > 0 {
		return context.WithTimeout(ctx, a.opts.CallTimeout)
	}
	return context.WithCancel(ctx)
}

// book reads the accounts (streaming the CSV through StreamSegmentAccounts,
// and StreamSuggestSegments when tiers are asked for) or takes the plan's
// inline totals.
func (a *analysis) book(ctx context.Context) error {
	p := a.p
	a.start = p.StartMonth
	if a.start == "" {
		a.start = a.opts.Now().UTC().Format("2006-01")
	}
	a.r.Company = p.Company
	a.r.Currency = cmp.Or(p.Currency, "USD")
	a.r.StartMonth = a.start
	a.r.HorizonMonths = cmp.Or(p.HorizonMonths, DefaultHorizonMonths)
	a.m12 = min(12, a.r.HorizonMonths)

	a.segs = make([]segState, len(p.Segments))
	for i := range p.Segments {
		s := &p.Segments[i]
		a.segs[i] = segState{spec: s, touch: cmp.Or(s.TouchModel.proto(), csplanv1.TouchModel_TOUCH_MODEL_HIGH),
			complexity: cmp.Or(s.Complexity.proto(), p.Complexity.proto(), csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_MODERATE)}
	}
	seg := &a.r.Segmentation
	if p.Book.AccountsCSV == "" {
		a.r.Book.Source = "inline"
		for i := range a.segs {
			a.segs[i].accounts, a.segs[i].arr = *p.Segments[i].Accounts, *p.Segments[i].ARR
			seg.TotalAccounts += a.segs[i].accounts
			seg.TotalARR += a.segs[i].arr
		}
		for _, s := range a.segs {
			sum := SegmentSummary{Name: s.spec.Name, TouchModel: enumName(s.touch), Accounts: s.accounts, ARR: s.arr,
				ARRMean: ratio(s.arr, float64(s.accounts)), AccountShare: ratio(float64(s.accounts), float64(seg.TotalAccounts)),
				ARRShare: ratio(s.arr, seg.TotalARR), StageCounts: []StageCount{}}
			seg.Segments = append(seg.Segments, sum)
		}
		seg.Unassigned = SegmentSummary{Name: "unassigned", StageCounts: []StageCount{}}
	} else {
		a.r.Book.Source = "csv"
		a.r.Book.AccountsFile = p.Book.AccountsCSV
		if err := a.streamBook(ctx); err != nil {
			return err
		}
	}
	a.r.Book.Accounts = seg.TotalAccounts
	a.r.Book.ARR = seg.TotalARR
	a.revenue = a.assignedARR()
	if p.Finance.Revenue != nil {
		a.revenue = *p.Finance.Revenue
	}
	a.r.Book.Revenue = a.revenue
	a.growths()
	return nil
}

func (a *analysis) assignedARR() float64 {
	var t float64
	for _, s := range a.segs {
		t += s.arr
	}
	return t
}

func (a *analysis) assignedAccounts() int {
	var t int
	for _, s := range a.segs {
		t += s.accounts
	}
	return t
}

// streamBook sends the CSV once, batch by batch, to the assignment stream
// and, when asked, to the suggestion stream.
func (a *analysis) streamBook(ctx context.Context) error {
	path := a.p.AccountsPath()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rd, err := accountcsv.NewReader(f, path)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	assign, err := a.c.Segmentation.StreamSegmentAccounts(ctx)
	if err != nil {
		return err
	}
	rules := &csplanv1.SegmentRules{CsmTime: a.csmTime()}
	for i := range a.segs {
		rules.Segments = append(rules.Segments, a.rule(i))
	}
	assignOK := assign.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: rules}}) == nil
	var suggest csplanv1.SegmentationService_StreamSuggestSegmentsClient
	suggestOK := false
	if t := a.p.Segmentation.SuggestTiers; t > 0 {
		suggest, err = a.c.Segmentation.StreamSuggestSegments(ctx)
		if err != nil {
			return err
		}
		suggestOK = suggest.Send(&csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Settings{Settings: &csplanv1.SuggestSettings{Tiers: int32(t)}}}) == nil
	}
	progress := func(n int) {
		if a.opts.Progress != nil {
			a.opts.Progress(n)
		}
	}
	for assignOK || suggestOK {
		accounts, err := rd.Next(a.opts.Batch)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			progress(-1)
			return err
		}
		batch := &csplanv1.AccountBatch{Accounts: accounts}
		if assignOK {
			// io.EOF means the server has answered already, with an
			// error most likely: CloseAndRecv returns it.
			assignOK = assign.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: batch}}) == nil
		}
		if suggestOK {
			suggestOK = suggest.Send(&csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Batch{Batch: batch}}) == nil
		}
		progress(rd.Rows())
	}
	progress(-1)
	resp, err := assign.CloseAndRecv()
	if err != nil {
		return err
	}
	if suggest != nil {
		sr, err := suggest.CloseAndRecv()
		if err != nil {
			return fmt.Errorf("suggest tiers: %w", err)
		}
		a.r.Segmentation.Suggestion = suggestion(sr)
		a.assume("segmentation", "", sr.GetAssumptions())
	}
	seg := &a.r.Segmentation
	seg.TotalAccounts = int(resp.GetTotalAccounts())
	seg.TotalARR = resp.GetTotalArr()
	byName := map[string]*csplanv1.SegmentSummary{}
	for _, s := range resp.GetSegments() {
		byName[s.GetName()] = s
	}
	for i := range a.segs {
		s := byName[a.segs[i].spec.Name]
		if s == nil {
			return fmt.Errorf("the answer has no segment %q", a.segs[i].spec.Name)
		}
		a.segs[i].accounts, a.segs[i].arr = int(s.GetAccounts()), s.GetArr()
		seg.Segments = append(seg.Segments, segmentSummary(s))
	}
	seg.Unassigned = segmentSummary(resp.GetUnassigned())
	a.assume("segmentation", "", resp.GetAssumptions())
	return nil
}

// growths resolves each segment's growth: its own fields, else the plan's,
// with the plan's new accounts split by share of accounts.
func (a *analysis) growths() {
	g := a.p.Growth
	total := a.assignedAccounts()
	for i := range a.segs {
		s := &a.segs[i]
		sg := Growth{}
		if s.spec.Growth != nil {
			sg = *s.spec.Growth
		}
		out := &csplanv1.Growth{
			MonthlyLogoChurnRate: cmp.Or(sg.MonthlyLogoChurnRate, g.MonthlyLogoChurnRate),
			MonthlyExpansionRate: cmp.Or(sg.MonthlyExpansionRate, g.MonthlyExpansionRate),
			NewAccountArr:        cmp.Or(sg.NewAccountARR, g.NewAccountARR),
		}
		switch {
		case sg.NewAccountsPerMonth != nil:
			out.NewAccountsPerMonth = *sg.NewAccountsPerMonth
		case g.NewAccountsPerMonth != nil && total > 0:
			out.NewAccountsPerMonth = *g.NewAccountsPerMonth * float64(s.accounts) / float64(total)
		case g.NewAccountsPerMonth != nil:
			out.NewAccountsPerMonth = *g.NewAccountsPerMonth / float64(len(a.segs))
		}
		s.growth = out
	}
}

// hireCost prices one CSM: the loaded cost prices coverage and the
// forecast's cost, and the hire is what EvaluateHire weighs.
func (a *analysis) hireCost(ctx context.Context) error {
	h := a.p.Hiring
	req := &csplanv1.EstimateHireCostRequest{
		BaseSalary:           h.BaseSalary,
		LoadedCostMultiplier: h.LoadedCostMultiplier,
		RecruitingFeeShare:   h.RecruitingFeeShare,
		SignOnBonus:          h.SignOnBonus,
		RampMonths:           int32p(h.RampMonths),
		RampCurve:            h.RampCurve.proto(),
		TrainerHours:         h.TrainerHours,
		TrainerHourlyCost:    h.TrainerHourlyCost,
		TimeToHireMonths:     int32p(h.TimeToHireMonths),
		HoursPerAccountMonth: h.HoursPerAccountMonth,
	}
	if it := h.Itemized; it != nil {
		req.Itemized = &csplanv1.ItemizedCost{BenefitsShare: it.BenefitsShare, PayrollTaxShare: it.PayrollTaxShare, ToolsPerYear: it.ToolsPerYear, OtherPerYear: it.OtherPerYear}
	}
	a.hireReq = req
	ctx, cancel := a.call(ctx)
	defer cancel()
	resp, err := a.c.Hiring.EstimateHireCost(ctx, req)
	if err != nil {
		return err
	}
	a.loaded = resp.GetAnnualLoadedCost()
	a.r.Hiring.Cost = HireCost{
		BaseSalary: h.BaseSalary, AnnualLoadedCost: resp.GetAnnualLoadedCost(), MonthlyLoadedCost: resp.GetMonthlyLoadedCost(),
		RampCost: resp.GetRampCost(), RecruitingFee: resp.GetRecruitingFee(), SignOnBonus: resp.GetSignOnBonus(),
		TrainingCost: resp.GetTrainingCost(), FirstYearCost: resp.GetFirstYearCost(),
		ProductiveMonthsFirstYear: resp.GetProductiveMonthsFirstYear(), TrainingCapacityHours: resp.GetTrainingCapacityHours(),
		TrainingCapacityAccountMonths: resp.GetTrainingCapacityAccountMonths(),
	}
	a.assume("hiring", "", resp.GetAssumptions())
	return nil
}

// capacityRequest prices the playbook segments' journeys on a book.
func (a *analysis) capacityRequest(in12 bool) (*csplanv1.ComputeCapacityRequest, []int) {
	req := &csplanv1.ComputeCapacityRequest{CsmTime: a.csmTime()}
	var idx []int
	for i, s := range a.segs {
		if s.spec.Playbook == nil {
			continue
		}
		cs := &csplanv1.CapacitySegment{Name: s.spec.Name, Accounts: int32(s.accounts), Arr: s.arr,
			Playbook: playbook(s.spec.Playbook), CustomerLifetimeMonths: s.spec.CustomerLifetimeMonths}
		if in12 {
			cs.Accounts, cs.Arr = int32(s.accounts12), s.arr12
		}
		if n := s.growth.GetNewAccountsPerMonth(); n > 0 {
			cs.NewAccountsPerMonth = proto.Float64(n)
		}
		req.Segments = append(req.Segments, cs)
		idx = append(idx, i)
	}
	return req, idx
}

func (a *analysis) capacity(ctx context.Context) error {
	req, idx := a.capacityRequest(false)
	a.r.Capacity = Capacity{Segments: []SegmentCapacity{}}
	if len(idx) == 0 {
		return nil
	}
	ctx, cancel := a.call(ctx)
	defer cancel()
	resp, err := a.c.Capacity.ComputeCapacity(ctx, req)
	if err != nil {
		return err
	}
	c := &a.r.Capacity
	c.AvailableHoursPerCSMMonth = resp.GetAvailableHoursPerCsmMonth()
	c.TotalCSMFTE, c.TotalCSMHeadcount = resp.GetTotalCsmFte(), int(resp.GetTotalCsmHeadcount())
	c.TotalARR, c.ARRPerCSM = resp.GetTotalArr(), resp.GetArrPerCsm()
	for k, s := range resp.GetSegments() {
		st := &a.segs[idx[k]]
		sc := SegmentCapacity{Name: s.GetName(), Accounts: st.accounts, ARR: st.arr, HoursPerAccountMonth: s.GetHoursPerAccountMonth(),
			AccountsPerCSM: s.GetAccountsPerCsm(), CSMFTE: s.GetCsmFte(), CSMHeadcount: int(s.GetCsmHeadcount()), ARRPerCSM: s.GetArrPerCsm()}
		for _, b := range s.GetBreakdown() {
			sc.Breakdown = append(sc.Breakdown, HoursBreakdown{Name: b.GetName(), HoursPerAccountMonth: b.GetHoursPerAccountMonth()})
		}
		c.Segments = append(c.Segments, sc)
		st.workload = proto.Float64(s.GetCsmFte())
		st.capacity = ratio(resp.GetAvailableHoursPerCsmMonth(), s.GetHoursPerAccountMonth())
	}
	a.assume("capacity", "", resp.GetAssumptions())
	return nil
}

// capacityIn12 sets the playbook segments' workload on the month-12 book.
func (a *analysis) capacityIn12(ctx context.Context) error {
	req, idx := a.capacityRequest(true)
	if len(idx) == 0 {
		return nil
	}
	ctx, cancel := a.call(ctx)
	defer cancel()
	resp, err := a.c.Capacity.ComputeCapacity(ctx, req)
	if err != nil {
		return err
	}
	for k, s := range resp.GetSegments() {
		a.segs[idx[k]].workload12 = proto.Float64(s.GetCsmFte())
	}
	return nil
}

func (a *analysis) coverageRequest(in12 bool) *csplanv1.PlanCoverageRequest {
	f := a.p.Finance
	req := &csplanv1.PlanCoverageRequest{CsmTime: a.csmTime(), CsmLoadedCost: a.loaded, Revenue: f.Revenue,
		MinCostShare: f.MinCostShare, MaxCostShare: f.MaxCostShare, TechTouchAccountsPerCsm: f.TechTouchAccountsPerCSM}
	arr0, arr12 := 0.0, 0.0
	for _, s := range a.segs {
		cs := &csplanv1.CoverageSegment{Name: s.spec.Name, Accounts: int32(s.accounts), Arr: s.arr, TouchModel: s.touch,
			AccountsPerCsm: s.spec.AccountsPerCSM, CustomerLifetimeMonths: s.spec.CustomerLifetimeMonths}
		if s.spec.Playbook != nil {
			cs.Playbook = playbook(s.spec.Playbook)
		}
		if in12 {
			cs.Accounts, cs.Arr = int32(s.accounts12), s.arr12
		}
		arr0 += s.arr
		arr12 += s.arr12
		req.Segments = append(req.Segments, cs)
	}
	if in12 && f.Revenue != nil {
		// Revenue grows as the book does.
		req.Revenue = proto.Float64(*f.Revenue * ratioOr(arr12, arr0, 1))
	}
	return req
}

func (a *analysis) coverage(ctx context.Context) error {
	ctx, cancel := a.call(ctx)
	defer cancel()
	resp, err := a.c.Segmentation.PlanCoverage(ctx, a.coverageRequest(false))
	if err != nil {
		return err
	}
	cv := &a.r.Coverage
	*cv = Coverage{CSMLoadedCost: a.loaded, Revenue: assumed(resp.GetAssumptions(), "revenue", a.revenue),
		MinCostShare: assumed(resp.GetAssumptions(), "min_cost_share", 0.15), MaxCostShare: assumed(resp.GetAssumptions(), "max_cost_share", 0.25),
		TotalCSMHeadcount: int(resp.GetTotalCsmHeadcount()), TotalCost: resp.GetTotalCost(), CostShare: resp.GetCostShare(),
		Band: enumName(resp.GetBand()), Segments: []SegmentCoverage{}, Options: []CoverageOption{}}
	for i, s := range resp.GetSegments() {
		cv.Segments = append(cv.Segments, SegmentCoverage{Name: s.GetName(), AccountsPerCSM: s.GetAccountsPerCsm(), CSMFTE: s.GetCsmFte(),
			CSMHeadcount: int(s.GetCsmHeadcount()), Cost: s.GetCost(), CostShare: s.GetCostShare()})
		st := &a.segs[i]
		st.fte = s.GetCsmFte()
		if st.spec.AccountsPerCSM != nil {
			st.workload = proto.Float64(s.GetCsmFte())
			st.capacity = *st.spec.AccountsPerCSM
		}
		if a.r.Book.Source == "inline" {
			ss := &a.r.Segmentation.Segments[i]
			ss.AccountsPerCSM, ss.CSMFTE, ss.CSMHeadcount = s.GetAccountsPerCsm(), s.GetCsmFte(), int(s.GetCsmHeadcount())
		}
	}
	for _, o := range resp.GetOptions() {
		co := CoverageOption{Kind: enumName(o.GetKind()), Description: o.GetDescription(), ExtraCost: o.GetExtraCost(), CostShare: o.GetCostShare(),
			CoverageFactor: o.GetCoverageFactor(), KeptSegments: nonNil(o.GetKeptSegments()), MovedSegments: nonNil(o.GetMovedSegments()), Segments: []OptionSegment{}}
		for _, s := range o.GetSegments() {
			co.Segments = append(co.Segments, OptionSegment{Name: s.GetName(), AccountsPerCSM: s.GetAccountsPerCsm(), CSMHeadcount: int(s.GetCsmHeadcount()), Cost: s.GetCost()})
		}
		cv.Options = append(cv.Options, co)
	}
	a.assume("coverage", "", resp.GetAssumptions())
	return nil
}

func (a *analysis) coverageIn12(ctx context.Context) error {
	ctx, cancel := a.call(ctx)
	defer cancel()
	resp, err := a.c.Segmentation.PlanCoverage(ctx, a.coverageRequest(true))
	if err != nil {
		return err
	}
	a.coverage12 = resp
	for i, s := range resp.GetSegments() {
		st := &a.segs[i]
		st.fte12 = s.GetCsmFte()
		if st.spec.AccountsPerCSM != nil {
			st.workload12 = proto.Float64(s.GetCsmFte())
		}
	}
	return nil
}

func (a *analysis) timeline() *csplanv1.Timeline {
	h := a.p.Hiring
	return &csplanv1.Timeline{TimeToHireMonths: int32p(h.TimeToHireMonths), RampMonths: int32p(h.RampMonths),
		RampCurve: h.RampCurve.proto(), AnnualCsmAttritionRate: h.AnnualCSMAttritionRate}
}

// thresholds are the plan's, else derived from the segment's capacity
// (playbook or ratio), else the service's touch-model defaults.
func (a *analysis) thresholds(s *segState) *csplanv1.Thresholds {
	t := s.spec.Thresholds
	out := &csplanv1.Thresholds{ReviewAccountsPerCsm: t.ReviewAccountsPerCSM, HireAccountsPerCsm: t.HireAccountsPerCSM,
		CriticalAccountsPerCsm: t.CriticalAccountsPerCSM, ArrPerCsm: t.ARRPerCSM}
	if s.capacity > 0 {
		out.ReviewAccountsPerCsm = cmp.Or(out.ReviewAccountsPerCsm, proto.Float64(reviewShareOfCapacity*s.capacity))
		out.HireAccountsPerCsm = cmp.Or(out.HireAccountsPerCsm, proto.Float64(s.capacity))
		out.CriticalAccountsPerCsm = cmp.Or(out.CriticalAccountsPerCsm, proto.Float64(criticalShareOfCapacity*s.capacity))
	}
	return out
}

// forecast runs one ForecastCapacity per segment.
func (a *analysis) forecast(ctx context.Context) error {
	fc := &a.r.Forecast
	fc.Segments = []SegmentForecast{}
	for i := range a.segs {
		s := &a.segs[i]
		req := &csplanv1.ForecastCapacityRequest{
			StartMonth: a.start, HorizonMonths: int32(a.r.HorizonMonths), Accounts: int32(s.accounts), Arr: s.arr,
			CsmCount: int32(s.spec.Team.CSMs), PlannedHireMonths: s.spec.Team.PlannedHires, Growth: s.growth,
			TouchModel: s.touch, Complexity: s.complexity, Thresholds: a.thresholds(s), Timeline: a.timeline(), HireCost: a.hireReq,
		}
		cctx, cancel := a.call(ctx)
		resp, err := a.c.Capacity.ForecastCapacity(cctx, req)
		cancel()
		if err != nil {
			return fmt.Errorf("segment %q: %w", s.spec.Name, err)
		}
		s.forecast = resp
		months := resp.GetMonths()
		if len(months) <= a.m12 {
			return fmt.Errorf("segment %q: the forecast has %d months, want %d", s.spec.Name, len(months), a.m12+1)
		}
		m := months[a.m12]
		s.accounts12, s.arr12, s.csms12 = int(math.Round(m.GetAccounts())), m.GetArr(), int(m.GetCsmHeadcount())
		sf := SegmentForecast{Name: s.spec.Name, TouchModel: enumName(s.touch), NewAccountsPerMonth: s.growth.GetNewAccountsPerMonth(),
			MonthlyLogoChurnRate: s.growth.GetMonthlyLogoChurnRate(), MonthlyExpansionRate: s.growth.GetMonthlyExpansionRate(),
			PlannedHireMonths: nonNil(s.spec.Team.PlannedHires), Triggers: []Trigger{}, HiringPlan: []Requisition{}}
		for _, m := range months {
			sf.Months = append(sf.Months, forecastMonth(m))
		}
		for _, t := range resp.GetTriggers() {
			sf.Triggers = append(sf.Triggers, Trigger{Name: t.GetName(), Threshold: t.GetThreshold(), CrossingMonth: t.GetCrossingMonth(),
				OpenRequisitionBy: t.GetOpenRequisitionBy(), Status: enumName(t.GetStatus()), MonthsLate: int(t.GetMonthsLate())})
			switch t.GetName() {
			case "review":
				sf.Thresholds.ReviewAccountsPerCSM = t.GetThreshold()
			case "hire":
				sf.Thresholds.HireAccountsPerCSM = t.GetThreshold()
			case "critical":
				sf.Thresholds.CriticalAccountsPerCSM = t.GetThreshold()
			case "arr":
				sf.Thresholds.ARRPerCSM = t.GetThreshold()
			}
		}
		for _, h := range resp.GetHiringPlan() {
			sf.HiringPlan = append(sf.HiringPlan, a.requisition(s.spec.Name, h))
		}
		fc.Segments = append(fc.Segments, sf)
		a.assume("forecast", s.spec.Name, a.derived(s, resp.GetAssumptions()))
	}
	fc.Total = totalSeries(fc.Segments)
	a.collapse("forecast")
	return nil
}

// derived marks the values the analysis worked out from the plan (not
// written in it): thresholds from a segment's capacity and new accounts
// split from the plan's growth.
func (a *analysis) derived(s *segState, as []*csplanv1.Assumption) []*csplanv1.Assumption {
	t := s.spec.Thresholds
	var sg Growth
	if s.spec.Growth != nil {
		sg = *s.spec.Growth
	}
	sources := map[string]string{}
	if s.capacity > 0 {
		what := "the playbook's accounts per CSM"
		if s.spec.AccountsPerCSM != nil {
			what = "the segment's accounts_per_csm"
		}
		if t.ReviewAccountsPerCSM == nil {
			sources["thresholds.review_accounts_per_csm"] = "planner: 90% of " + what + " (assumption)"
		}
		if t.HireAccountsPerCSM == nil {
			sources["thresholds.hire_accounts_per_csm"] = "planner: " + what
		}
		if t.CriticalAccountsPerCSM == nil {
			sources["thresholds.critical_accounts_per_csm"] = "planner: 1.5 x " + what + " (assumption)"
		}
	}
	if sg.NewAccountsPerMonth == nil && a.p.Growth.NewAccountsPerMonth != nil {
		sources["growth.new_accounts_per_month"] = "planner: growth.new_accounts_per_month split by share of accounts"
	}
	out := make([]*csplanv1.Assumption, len(as))
	for i, x := range as {
		out[i] = x
		if src, ok := sources[x.GetName()]; ok && x.GetSource() == "request" {
			out[i] = &csplanv1.Assumption{Name: x.GetName(), Value: x.GetValue(), Source: src}
		}
	}
	return out
}

// collapse merges a section's per-segment assumptions that are the same
// for every segment into one without a segment.
func (a *analysis) collapse(section string) {
	type key struct{ name, value, source string }
	n := map[key]int{}
	for _, x := range a.r.Assumptions {
		if x.Section == section && x.Segment != "" {
			n[key{x.Name, x.Value, x.Source}]++
		}
	}
	var out []Assumption
	done := map[key]bool{}
	for _, x := range a.r.Assumptions {
		k := key{x.Name, x.Value, x.Source}
		if x.Section == section && x.Segment != "" && n[k] == len(a.segs) {
			if !done[k] {
				done[k] = true
				out = append(out, Assumption{Section: section, Name: x.Name, Value: x.Value, Source: x.Source})
			}
			continue
		}
		out = append(out, x)
	}
	a.r.Assumptions = out
}

func (a *analysis) requisition(segment string, h *csplanv1.PlannedHire) Requisition {
	status := "UPCOMING"
	if h.GetRequisitionMonth() <= a.start {
		status = "DUE_NOW"
	}
	return Requisition{Segment: segment, RequisitionMonth: h.GetRequisitionMonth(), StartMonth: h.GetStartMonth(),
		RampedMonth: h.GetRampedMonth(), Status: status, FirstYearCost: h.GetFirstYearCost()}
}

// totalSeries adds the segments' series up month by month.
func totalSeries(segs []SegmentForecast) []ForecastMonth {
	if len(segs) == 0 {
		return []ForecastMonth{}
	}
	out := make([]ForecastMonth, len(segs[0].Months))
	for i := range out {
		t := &out[i]
		t.Month = segs[0].Months[i].Month
		for _, s := range segs {
			m := s.Months[i]
			t.Accounts += m.Accounts
			t.ARR += m.ARR
			t.CSMHeadcount += m.CSMHeadcount
			t.EffectiveCSMs += m.EffectiveCSMs
			t.CSCost += m.CSCost
		}
		t.AccountsPerCSM = ratio(t.Accounts, t.EffectiveCSMs)
		t.ARRPerCSM = ratio(t.ARR, t.EffectiveCSMs)
		t.CSCostShare = ratio(12*t.CSCost, t.ARR)
	}
	return out
}

// evaluate runs EvaluateTeam for each segment today and in 12 months, and
// for the company today.
func (a *analysis) evaluate(ctx context.Context) error {
	ev := &a.r.Evaluation
	ev.Segments = []TeamEvaluation{}
	var workload float64
	for i := range a.segs {
		s := &a.segs[i]
		now, as, err := a.evaluateTeam(ctx, s.spec.Name, s.touch, s.complexity, s.spec.Team.CSMs, s.accounts, s.arr, s.workload, nil)
		if err != nil {
			return fmt.Errorf("segment %q: %w", s.spec.Name, err)
		}
		a.assume("evaluation", s.spec.Name, as)
		later, _, err := a.evaluateTeam(ctx, s.spec.Name, s.touch, s.complexity, s.csms12, s.accounts12, s.arr12, s.workload12, nil)
		if err != nil {
			return fmt.Errorf("segment %q in 12 months: %w", s.spec.Name, err)
		}
		ev.Segments = append(ev.Segments, now)
		a.r.Summary.Segments = append(a.r.Summary.Segments, SegmentNeed{
			Name: s.spec.Name, TouchModel: enumName(s.touch), Accounts: s.accounts, ARR: s.arr, CSMs: s.spec.Team.CSMs,
			NeededNow: now.CSMsNeeded, GapNow: now.CSMGap, BindingFactor: now.BindingFactor,
			CSMsIn12Months: s.csms12, AccountsIn12Months: s.accounts12, ARRIn12Months: s.arr12,
			NeededIn12Months: later.CSMsNeeded, GapIn12Months: later.CSMsNeeded - s.csms12, BindingFactorIn12Months: later.BindingFactor,
		})
		workload += cmp.Or(deref(s.workload), s.fte)
	}
	touch, cx := a.companyTouch(), cmp.Or(a.p.Complexity.proto(), csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_MODERATE)
	blend, err := a.blendedBenchmarks(ctx, touch)
	if err != nil {
		return fmt.Errorf("company: %w", err)
	}
	if blend != nil {
		// The blend already holds each segment's complexity.
		cx = csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_MODERATE
	}
	overall, as, err := a.evaluateTeamWith(ctx, "Company", touch, cx, a.teamSize(), a.assignedAccounts(), a.assignedARR(), proto.Float64(workload), a.signals(), blend)
	if err != nil {
		return fmt.Errorf("company: %w", err)
	}
	a.collapse("evaluation")
	a.assume("evaluation", "", as)
	ev.Overall = overall
	return nil
}

func (a *analysis) evaluateTeam(ctx context.Context, name string, touch csplanv1.TouchModel, cx csplanv1.ProductComplexity, csms, accounts int, arr float64, workload *float64, sig *csplanv1.Signals) (TeamEvaluation, []*csplanv1.Assumption, error) {
	return a.evaluateTeamWith(ctx, name, touch, cx, csms, accounts, arr, workload, sig, nil)
}

// blendedBenchmarks is the company's benchmark when its segments are served
// differently (touch model or complexity): each band blended so that the
// company needs what its segments need together. Accounts per CSM blend
// harmonically by accounts (accounts / sum(accounts_i / max_i) CSMs at the
// ideal max is sum(accounts_i / max_i)), ARR per CSM by ARR. Nil when every
// segment is served alike, so that the stock benchmark applies.
func (a *analysis) blendedBenchmarks(ctx context.Context, touch csplanv1.TouchModel) (*csplanv1.Benchmarks, error) {
	type key struct {
		touch csplanv1.TouchModel
		cx    csplanv1.ProductComplexity
	}
	kinds := map[key]bool{}
	for _, s := range a.segs {
		kinds[key{s.touch, cmp.Or(s.complexity, csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_MODERATE)}] = true
	}
	if len(kinds) < 2 {
		return nil, nil
	}
	ctx, cancel := a.call(ctx)
	defer cancel()
	resp, err := a.c.Capacity.GetBenchmarks(ctx, &csplanv1.GetBenchmarksRequest{})
	if err != nil {
		return nil, err
	}
	bench := resp.GetBenchmarks()
	model := map[csplanv1.TouchModel]*csplanv1.TouchModelBenchmark{}
	for _, t := range bench.GetTouchModels() {
		model[t.GetTouchModel()] = t
	}
	mult := map[csplanv1.ProductComplexity]float64{}
	for _, c := range bench.GetComplexityMultipliers() {
		mult[c.GetComplexity()] = c.GetMultiplier()
	}
	var accounts, arr, csmsMin, csmsMax, csmsCap, arrFloor, arrCeiling float64
	for _, s := range a.segs {
		t, m := model[s.touch], mult[cmp.Or(s.complexity, csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_MODERATE)]
		if t == nil || m <= 0 {
			return nil, nil
		}
		n := float64(s.accounts)
		accounts, arr = accounts+n, arr+s.arr
		csmsMin += n / (t.GetIdealAccountsMin() * m)
		csmsMax += n / (t.GetIdealAccountsMax() * m)
		csmsCap += n / (t.GetAccountsCap() * m)
		arrFloor += s.arr / t.GetArrPerCsmFloor()
		arrCeiling += s.arr / t.GetArrPerCsmCeiling()
	}
	if accounts == 0 || arr == 0 {
		return nil, nil
	}
	return &csplanv1.Benchmarks{TouchModels: []*csplanv1.TouchModelBenchmark{{
		TouchModel:       touch,
		IdealAccountsMin: proto.Float64(accounts / csmsMin),
		IdealAccountsMax: proto.Float64(accounts / csmsMax),
		AccountsCap:      proto.Float64(accounts / csmsCap),
		ArrPerCsmFloor:   proto.Float64(arr / arrFloor),
		ArrPerCsmCeiling: proto.Float64(arr / arrCeiling),
	}}}, nil
}

func (a *analysis) evaluateTeamWith(ctx context.Context, name string, touch csplanv1.TouchModel, cx csplanv1.ProductComplexity, csms, accounts int, arr float64, workload *float64, sig *csplanv1.Signals, bench *csplanv1.Benchmarks) (TeamEvaluation, []*csplanv1.Assumption, error) {
	req := &csplanv1.EvaluateTeamRequest{CsmCount: int32(csms), Accounts: int32(accounts), Arr: arr, TouchModel: touch, Complexity: cx,
		WorkloadCsmFte: workload, Signals: sig, Benchmarks: bench}
	ctx, cancel := a.call(ctx)
	defer cancel()
	resp, err := a.c.Capacity.EvaluateTeam(ctx, req)
	if err != nil {
		return TeamEvaluation{}, nil, err
	}
	te := TeamEvaluation{Name: name, TouchModel: enumName(touch), Complexity: enumName(cx), CSMs: csms, Accounts: accounts, ARR: arr,
		WorkloadCSMFTE: deref(workload), ARRPerCSM: resp.GetArrPerCsm(), AccountsPerCSM: resp.GetAccountsPerCsm(),
		Factors: factors(resp.GetFactors()), BindingFactor: enumName(resp.GetBindingFactor()), CSMsNeeded: int(resp.GetCsmsNeeded()),
		CSMGap: int(resp.GetCsmGap()), Findings: []Finding{}}
	for _, f := range resp.GetFindings() {
		te.Findings = append(te.Findings, Finding{Severity: enumName(f.GetSeverity()), Signal: f.GetSignal(), Factor: enumNameOrEmpty(f.GetFactor()),
			Value: f.GetValue(), Threshold: f.GetThreshold(), Message: f.GetMessage()})
	}
	return te, resp.GetAssumptions(), nil
}

func (a *analysis) teamSize() int {
	n := 0
	for _, s := range a.segs {
		n += s.spec.Team.CSMs
	}
	return n
}

// companyTouch is the plan's touch model, else the touch model of the
// segment with the most ARR.
func (a *analysis) companyTouch() csplanv1.TouchModel {
	if t := a.p.TouchModel.proto(); t != 0 {
		return t
	}
	best := a.segs[0]
	for _, s := range a.segs[1:] {
		if s.arr > best.arr {
			best = s
		}
	}
	return best.touch
}

func (a *analysis) signals() *csplanv1.Signals {
	s := a.p.Signals
	return &csplanv1.Signals{ChurnRate: s.ChurnRate, PreviousChurnRate: s.PreviousChurnRate, CsmWeeklyHours: s.CSMWeeklyHours,
		TouchpointCompletionRate: s.TouchpointCompletionRate, AccountsWithoutRecentContactShare: s.AccountsWithoutRecentContactShare}
}

// evaluateHire asks whether to make the next hire: the first requisition
// of the forecasts (earliest, then in plan order), weighed in its
// segment (ARR, team, touch model and load) against the company's CS cost
// and revenue. Without any requisition it weighs one more CSM for the
// company as a whole.
func (a *analysis) evaluateHire(ctx context.Context) error {
	f, h := a.p.Finance, a.p.Hiring
	var workload float64
	for _, s := range a.segs {
		workload += cmp.Or(deref(s.workload), s.fte)
	}
	currentCost := float64(a.teamSize()) * a.loaded
	if f.CurrentCSCost != nil {
		currentCost = *f.CurrentCSCost
	}
	req := &csplanv1.EvaluateHireRequest{
		Arr: a.assignedARR(), CsmCount: int32(a.teamSize()), TouchModel: a.companyTouch(), Hire: a.hireReq,
		CurrentCsCost: proto.Float64(currentCost), Revenue: proto.Float64(a.revenue), MaxCostShare: f.MaxCostShare, GrossMargin: f.GrossMargin,
		Cash: f.Cash, MonthlyBurn: f.MonthlyBurn,
		Load:       &csplanv1.HireLoad{Accounts: proto.Int32(int32(a.assignedAccounts())), WorkloadCsmFte: proto.Float64(workload)},
		Complexity: cmp.Or(a.p.Complexity.proto(), csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_MODERATE),
		CsmTime:    a.csmTime(), AsOfMonth: proto.String(a.start),
	}
	segment := ""
	if i, month := a.nextHire(); i >= 0 {
		s := a.segs[i]
		segment = s.spec.Name
		req.Arr, req.CsmCount, req.TouchModel, req.Complexity = s.arr, int32(s.spec.Team.CSMs), s.touch, s.complexity
		req.Load = &csplanv1.HireLoad{Accounts: proto.Int32(int32(s.accounts)), WorkloadCsmFte: s.workload}
		if month > a.start {
			req.TriggerMonth = proto.String(month)
		}
	}
	alt := h.TechTouchAlternative
	note := ""
	if alt != nil && int32(alt.AccountsMoved) > req.GetLoad().GetAccounts() {
		note = fmt.Sprintf("The tech-touch alternative moves %d accounts, more than the %d the next hire's segment holds: it is not compared.",
			alt.AccountsMoved, req.GetLoad().GetAccounts())
		alt = nil
	}
	if alt != nil {
		req.TechTouchAlternative = &csplanv1.TechTouchAlternative{AccountsMoved: int32(alt.AccountsMoved),
			HoursSavedPerAccountMonth: alt.HoursSavedPerAccountMonth, PlatformCostPerYear: alt.PlatformCostPerYear}
	}
	ctx, cancel := a.call(ctx)
	defer cancel()
	resp, err := a.c.Hiring.EvaluateHire(ctx, req)
	if err != nil {
		return err
	}
	he := HireEvaluation{Segment: segment, TriggerMonth: req.GetTriggerMonth(), ARRPerCSMBefore: resp.GetArrPerCsmBefore(), ARRPerCSMAfter: resp.GetArrPerCsmAfter(),
		ARRPerCSMMilestone: resp.GetArrPerCsmMilestone(), CostShareBefore: resp.GetCostShareBefore(), CostShareAfter: resp.GetCostShareAfter(),
		FirstYearCost: resp.GetFirstYearCost(), PaybackARR: resp.GetPaybackArr(), RunwayMonthsBefore: resp.GetRunwayMonthsBefore(),
		RunwayMonthsAfter: resp.GetRunwayMonthsAfter(), Verdict: enumName(resp.GetVerdict()), Reasons: nonNil(resp.GetReasons()),
		HireByMonth: resp.GetHireByMonth(), Factors: factors(resp.GetFactors()), AlternativeNote: note}
	if req.TechTouchAlternative != nil {
		alt := resp.GetAlternative()
		he.Alternative = &Alternative{CSMFTEFreed: alt.GetCsmFteFreed(), Cost: alt.GetCost(), CostPerFTEFreed: alt.GetCostPerFteFreed(), HireCostPerFTE: alt.GetHireCostPerFte()}
	}
	a.r.Hiring.Evaluation = he
	a.assume("hiring", segment, resp.GetAssumptions())
	return nil
}

// nextHire is the segment of the forecasts' first requisition (-1 when
// there is none) and the month its hire must be ramped by: the month the
// forecast calls for the hire, and so EvaluateHire's trigger month.
func (a *analysis) nextHire() (int, string) {
	best, first, ramped := -1, "", ""
	for i, s := range a.r.Forecast.Segments {
		for _, h := range s.HiringPlan {
			if best < 0 || h.RequisitionMonth < first {
				best, first, ramped = i, h.RequisitionMonth, h.RampedMonth
			}
		}
	}
	return best, ramped
}

// Conversions from the plan to the contract.

func (a *analysis) csmTime() *csplanv1.CsmTime {
	ct := a.p.CSMTime
	out := &csplanv1.CsmTime{WeeklyHours: ct.WeeklyHours, TimeOffDaysPerYear: ct.TimeOffDaysPerYear,
		CustomerFacingShare: ct.CustomerFacingShare, TargetUtilization: ct.TargetUtilization}
	for _, ia := range ct.InternalActivities {
		out.InternalActivities = append(out.InternalActivities, &csplanv1.InternalActivity{Name: ia.Name, HoursPerMonth: ia.HoursPerMonth})
	}
	return out
}

func playbook(p *Playbook) *csplanv1.Playbook {
	if p == nil {
		return nil
	}
	out := &csplanv1.Playbook{}
	for _, t := range p.Touchpoints {
		out.Touchpoints = append(out.Touchpoints, &csplanv1.Touchpoint{Name: t.Name, Hours: t.Hours, Cadence: t.Cadence.proto(), PerYear: t.PerYear})
	}
	for _, in := range p.Inbound {
		out.Inbound = append(out.Inbound, &csplanv1.InboundActivity{Name: in.Name, PerAccountPerMonth: in.PerAccountPerMonth, Hours: in.Hours})
	}
	return out
}

func (a *analysis) rule(i int) *csplanv1.SegmentRule {
	s := a.segs[i]
	m := s.spec.Match
	r := &csplanv1.SegmentRule{Name: s.spec.Name, TouchModel: s.touch, MinArr: m.MinARR, MaxArr: m.MaxARR, Stages: m.Stages,
		MinHealth: m.MinHealth, MaxHealth: m.MaxHealth, AccountsPerCsm: s.spec.AccountsPerCSM, Playbook: playbook(s.spec.Playbook),
		CustomerLifetimeMonths: s.spec.CustomerLifetimeMonths}
	for _, c := range m.Complexities {
		r.Complexities = append(r.Complexities, c.proto())
	}
	if len(m.Attributes) > 0 {
		r.Attributes = map[string]*csplanv1.AttributeValues{}
		for k, v := range m.Attributes {
			r.Attributes[k] = &csplanv1.AttributeValues{Values: v}
		}
	}
	return r
}

// Conversions from the contract to the report.

func ptr[T any](v T) *T { return &v }

func segmentSummary(s *csplanv1.SegmentSummary) SegmentSummary {
	out := SegmentSummary{Name: s.GetName(), TouchModel: enumNameOrEmpty(s.GetTouchModel()), Accounts: int(s.GetAccounts()), ARR: s.GetArr(),
		ARRMean: s.GetArrMean(), ARRMedian: ptr(s.GetArrMedian()), ARRP90: ptr(s.GetArrP90()), AccountShare: s.GetAccountShare(), ARRShare: s.GetArrShare(),
		AccountsPerCSM: s.GetAccountsPerCsm(), CSMFTE: s.GetCsmFte(), CSMHeadcount: int(s.GetCsmHeadcount()), StageCounts: []StageCount{}}
	for _, c := range s.GetStageCounts() {
		out.StageCounts = append(out.StageCounts, StageCount{Stage: c.GetStage(), Accounts: int(c.GetAccounts())})
	}
	return out
}

func suggestion(r *csplanv1.StreamSuggestSegmentsResponse) *Suggestion {
	out := &Suggestion{GoodnessOfVarianceFit: r.GetGoodnessOfVarianceFit(), ZeroARRAccounts: int(r.GetZeroArrAccounts()),
		Top10PercentARRShare: r.GetTop10PercentArrShare(), Top20PercentARRShare: r.GetTop20PercentArrShare(), Tiers: []SuggestedTier{}}
	for _, t := range r.GetTiers() {
		out.Tiers = append(out.Tiers, SuggestedTier{Name: t.GetName(), MinARR: t.GetMinArr(), MaxARR: t.GetMaxArr(),
			SuggestedMinARR: t.GetSuggestedMinArr(), Accounts: int(t.GetAccounts()), ARR: t.GetArr(), ARRShare: t.GetArrShare()})
	}
	return out
}

func forecastMonth(m *csplanv1.ForecastMonth) ForecastMonth {
	return ForecastMonth{Month: m.GetMonth(), Accounts: m.GetAccounts(), ARR: m.GetArr(), CSMHeadcount: int(m.GetCsmHeadcount()),
		EffectiveCSMs: m.GetEffectiveCsms(), AccountsPerCSM: m.GetAccountsPerCsm(), ARRPerCSM: m.GetArrPerCsm(),
		CSCost: m.GetCsCost(), CSCostShare: m.GetCsCostShare()}
}

func factors(fs []*csplanv1.FactorResult) []FactorResult {
	out := []FactorResult{}
	for _, f := range fs {
		out = append(out, FactorResult{Factor: enumName(f.GetFactor()), Value: f.GetValue(), HealthyMin: f.GetHealthyMin(),
			HealthyMax: f.GetHealthyMax(), Limit: f.GetLimit(), Status: enumName(f.GetStatus()), CSMsNeeded: int(f.GetCsmsNeeded())})
	}
	return out
}

// assume records a call's assumptions once per section, segment, name and
// value; values the plan gave are marked "plan".
func (a *analysis) assume(section, segment string, as []*csplanv1.Assumption) {
	for _, x := range as {
		src := x.GetSource()
		if src == "request" {
			src = "plan"
		}
		n := Assumption{Section: section, Segment: segment, Name: x.GetName(), Value: x.GetValue(), Source: src}
		if !slices.Contains(a.r.Assumptions, n) {
			a.r.Assumptions = append(a.r.Assumptions, n)
		}
	}
}

// enumName is a contract enum's value without its prefix:
// TOUCH_MODEL_HIGH -> HIGH.
func enumName[E interface {
	~int32
	String() string
}](e E) string {
	s := e.String()
	for _, p := range []string{"TOUCH_MODEL_", "PRODUCT_COMPLEXITY_", "LOAD_STATUS_", "TRIGGER_STATUS_", "COST_BAND_", "OPTION_KIND_", "FACTOR_", "SEVERITY_", "VERDICT_", "CADENCE_", "RAMP_CURVE_"} {
		if strings.HasPrefix(s, p) {
			return strings.TrimPrefix(s, p)
		}
	}
	return s
}

// enumNameOrEmpty is enumName, with "" for the unspecified value.
func enumNameOrEmpty[E interface {
	~int32
	String() string
}](e E) string {
	if e == 0 {
		return ""
	}
	return enumName(e)
}

func assumed(as []*csplanv1.Assumption, name string, def float64) float64 {
	for _, a := range as {
		if a.GetName() == name {
			var x float64
			if _, err := fmt.Sscan(a.GetValue(), &x); err == nil {
				return x
			}
		}
	}
	return def
}

func ratio(a, b float64) float64 { return ratioOr(a, b, 0) }

func ratioOr(a, b, def float64) float64 {
	if b == 0 {
		return def
	}
	return a / b
}

func deref(x *float64) float64 {
	if x == nil {
		return 0
	}
	return *x
}

func int32p(x *int) *int32 {
	if x == nil {
		return nil
	}
	return proto.Int32(int32(*x))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
