package server

import (
	"context"
	"fmt"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/bookwire"
	"github.com/csplan/csplan/rebalance"
)

// RebalanceBook rebalances a book of at most maxUnaryAccounts accounts.
func (s *bookService) RebalanceBook(ctx context.Context, req *csplanv1.RebalanceBookRequest) (*csplanv1.RebalanceBookResponse, error) {
	accounts := req.GetAccounts()
	if n := len(accounts); n > s.maxUnaryAccounts {
		return nil, toStatus(ctx, s.logger, &capacity.FieldError{
			Field: "accounts",
			Reason: fmt.Sprintf("has %d accounts, more than the %d one call takes: send the book through StreamRebalanceBook (POST /v1/book:rebalanceStream) in batches",
				n, s.maxUnaryAccounts),
		})
	}
	var bad []*capacity.FieldError
	b, err := rebalance.NewBuilder(rebalanceSettingsFromProto(req.GetSettings()), s.now())
	if err != nil {
		bad = append(bad, violationsOf(prefixViolations(err, "settings."))...)
	}
	var acct capacity.Account
	badAccounts := 0
	for i, a := range accounts {
		bookwire.FromProto(&acct, a)
		if err := capacity.ValidateAccount(&acct, "accounts", i); err != nil {
			if badAccounts++; badAccounts <= maxAccountViolations {
				bad = append(bad, violationsOf(err)...)
			}
			continue
		}
		if b != nil && badAccounts == 0 {
			b.Add(&acct)
		}
	}
	if len(bad) > 0 {
		return nil, toStatus(ctx, s.logger, &capacity.ValidationError{Violations: bad})
	}
	res, err := b.Result()
	if err != nil {
		return nil, toStatus(ctx, s.logger, prefixViolations(err, "settings."))
	}
	return &csplanv1.RebalanceBookResponse{Result: rebalanceResultToProto(res)}, nil
}

// StreamRebalanceBook reads the settings, then every account of every
// batch: rebalancing moves accounts, so the server keeps each one's id,
// owner, hours and group (about 100 bytes), never the messages.
func (s *bookService) StreamRebalanceBook(stream csplanv1.BookService_StreamRebalanceBookServer) error {
	ctx := stream.Context()
	fail := func(err error) error { return toStatus(ctx, s.logger, err) }
	st := &settingsStream{recv: stream.RecvMsg, frame: bookwire.New(&csplanv1.StreamRebalanceBookRequest{}),
		limit: int64(min(s.maxStreamAccounts, capacity.MaxBookAccounts)), advice: "rebalance the book segment by segment"}
	head, err := st.head(`{"settings": {"csms": [...], "band": {...}}}`)
	if err != nil {
		return fail(err)
	}
	b, err := rebalance.NewBuilder(rebalanceSettingsFromProto(head.(*csplanv1.RebalanceSettings)), s.now())
	if err != nil {
		return fail(prefixViolations(err, "settings."))
	}
	if err := st.accounts(ctx, b.Add); err != nil {
		return fail(err)
	}
	res, err := b.Result()
	if err != nil {
		return fail(prefixViolations(err, "settings."))
	}
	return stream.SendAndClose(&csplanv1.StreamRebalanceBookResponse{Result: rebalanceResultToProto(res)})
}

func rebalanceSettingsFromProto(s *csplanv1.RebalanceSettings) rebalance.BookSettings {
	s = orEmpty(s)
	book := bookSettingsFromProto(&csplanv1.BookSettings{CsmTime: s.GetCsmTime(), Segments: s.GetSegments(), Csms: s.GetCsms(),
		StartMonth: s.GetStartMonth(), HorizonMonths: s.GetHorizonMonths(), CustomerStages: s.GetCustomerStages(), ExcludeStages: s.GetExcludeStages()})
	for i, c := range s.GetCsms() {
		book.CSMs[i].Attributes = c.GetAttributes()
	}
	band, timeline := orEmpty(s.GetBand()), orEmpty(s.GetTimeline())
	out := rebalance.BookSettings{
		Book:           book,
		MinUtilization: band.MinUtilization, MaxUtilization: band.MaxUtilization,
		FreezeDaysBeforeRenewal: s.FreezeDaysBeforeRenewal, AsOf: s.GetAsOfDate(), Locked: s.GetLockedAccountIds(),
		KeepSegment: s.KeepSegment, MatchAttributes: s.GetMatchAttributes(), MaxMoves: s.MaxMoves,
		Departing: s.GetDepartingCsmIds(), FrontierPoints: s.GetFrontierPoints(),
		TimeToHireMonths: timeline.TimeToHireMonths, RampMonths: timeline.RampMonths,
	}
	switch s.GetDisruptionWeight() {
	case csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_HOURS:
		out.Weight = rebalance.WeightHours
	case csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_ARR:
		out.Weight = rebalance.WeightARR
	}
	return out
}

func rebalanceResultToProto(r rebalance.BookResult) *csplanv1.RebalanceResult {
	out := &csplanv1.RebalanceResult{
		Disruption: r.Disruption, LowerBound: r.LowerBound, Optimal: r.Optimal, Feasible: r.Feasible,
		Assumptions: assumptionsToProto(r.Assumptions), UnownedAccounts: int32(r.Unowned), UnbandedCsms: int32(r.Unbanded),
	}
	if !r.Feasible {
		out.Infeasibility = &csplanv1.Infeasibility{Reason: r.Reason, FteShort: r.FTEShort}
	}
	for _, m := range r.Moves {
		out.Moves = append(out.Moves, &csplanv1.AccountMove{AccountId: m.AccountID, FromCsm: m.From, ToCsm: m.To, MonthlyHours: m.Hours, Arr: m.ARR, Reason: m.Reason})
	}
	for _, c := range r.CSMs {
		out.Csms = append(out.Csms, &csplanv1.CsmRebalance{Id: c.ID, HoursBefore: c.HoursBefore, HoursAfter: c.HoursAfter,
			UtilizationBefore: c.UtilizationBefore, UtilizationAfter: c.UtilizationAfter, AccountsBefore: int32(c.AccountsBefore),
			AccountsAfter: int32(c.AccountsAfter), CapacityHours: c.Capacity, Departing: c.Departing, Unbanded: c.Unbanded})
	}
	for _, f := range r.Frontier {
		out.Frontier = append(out.Frontier, &csplanv1.FrontierPoint{MinUtilization: f.MinUtilization, MaxUtilization: f.MaxUtilization,
			Disruption: f.Disruption, Moves: int32(f.Moves), Feasible: f.Feasible})
	}
	if d := r.Departure; d != nil {
		out.Departure = &csplanv1.Departure{PeakUtilization: d.PeakUtilization, BackfillRampedMonth: d.BackfillRamped.String()}
		for _, m := range d.MonthsOver {
			out.Departure.MonthsOver = append(out.Departure.MonthsOver, m.String())
		}
	}
	return out
}
