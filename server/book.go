package server

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/bookwire"
)

// bookService implements BookService on the capacity domain's book
// analyzer.
type bookService struct {
	csplanv1.UnimplementedBookServiceServer
	logger            *slog.Logger
	now               func() time.Time
	maxUnaryAccounts  int
	maxStreamAccounts int
}

var _ csplanv1.BookServiceServer = (*bookService)(nil)

// AnalyzeBook analyzes a book of at most maxUnaryAccounts accounts, read
// one by one straight from the request.
func (s *bookService) AnalyzeBook(ctx context.Context, req *csplanv1.AnalyzeBookRequest) (*csplanv1.AnalyzeBookResponse, error) {
	accounts := req.GetAccounts()
	if n := len(accounts); n > s.maxUnaryAccounts {
		return nil, toStatus(ctx, s.logger, &capacity.FieldError{
			Field: "accounts",
			Reason: fmt.Sprintf("has %d accounts, more than the %d one call takes: send the book through StreamAnalyzeBook (POST /v1/book:analyzeStream) in batches",
				n, s.maxUnaryAccounts),
		})
	}
	var bad []*capacity.FieldError
	b, err := capacity.NewBookAnalyzer(bookSettingsFromProto(req.GetSettings()), capacity.MonthOf(s.now()))
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
	if badAccounts > maxAccountViolations {
		bad = append(bad, &capacity.FieldError{
			Field:  "accounts",
			Reason: fmt.Sprintf("%d more accounts are invalid: fix the ones listed and look for the same mistakes in the rest", badAccounts-maxAccountViolations),
		})
	}
	if len(bad) > 0 {
		return nil, toStatus(ctx, s.logger, &capacity.ValidationError{Violations: bad})
	}
	return &csplanv1.AnalyzeBookResponse{Result: bookAnalysisToProto(b.Result())}, nil
}

// StreamAnalyzeBook reads the settings from the first message, then adds
// each account of each batch to the analyzer as it arrives: the server
// holds CSMs x months and segments x months of hours, never the accounts.
func (s *bookService) StreamAnalyzeBook(stream csplanv1.BookService_StreamAnalyzeBookServer) error {
	ctx := stream.Context()
	fail := func(err error) error { return toStatus(ctx, s.logger, err) }

	st := &settingsStream{recv: stream.RecvMsg, frame: bookwire.New(&csplanv1.StreamAnalyzeBookRequest{}),
		limit: int64(min(s.maxStreamAccounts, capacity.MaxBookAccounts)), advice: "analyze the book in parts"}
	head, err := st.head(`{"settings": {"csms": [...], "segments": [...]}}`)
	if err != nil {
		return fail(err)
	}
	b, err := capacity.NewBookAnalyzer(bookSettingsFromProto(head.(*csplanv1.BookSettings)), capacity.MonthOf(s.now()))
	if err != nil {
		return fail(prefixViolations(err, "settings."))
	}
	if err := st.accounts(ctx, b.Add); err != nil {
		return fail(err)
	}
	return stream.SendAndClose(&csplanv1.StreamAnalyzeBookResponse{Result: bookAnalysisToProto(b.Result())})
}

func bookSettingsFromProto(s *csplanv1.BookSettings) capacity.BookSettings {
	rules := segmentRulesFromProto(s.GetSegments(), s.GetCsmTime())
	out := capacity.BookSettings{
		CSMTime:       rules.CSMTime,
		Segments:      rules.Segments,
		StartMonth:    s.GetStartMonth(),
		HorizonMonths: s.GetHorizonMonths(),
		Customers:     capacity.Customers{Stages: s.GetCustomerStages(), Exclude: s.GetExcludeStages()},
	}
	out.CSMs = bookCSMsFromProto(s.GetCsms())
	return out
}

func bookCSMsFromProto(cs []*csplanv1.BookCsm) []capacity.BookCSM {
	var out []capacity.BookCSM
	for _, c := range cs {
		out = append(out, capacity.BookCSM{
			ID: c.GetId(), Name: c.GetName(), Segment: c.GetSegment(),
			CapacityShare: c.CapacityShare, CapacityHours: c.CapacityHours,
		})
	}
	return out
}

func bookAnalysisToProto(r capacity.BookAnalysis) *csplanv1.BookAnalysis {
	months := make([]string, len(r.Months))
	for i, m := range r.Months {
		months[i] = m.String()
	}
	out := &csplanv1.BookAnalysis{
		Months:                    months,
		AvailableHoursPerCsmMonth: r.AvailableHoursPerCSMMonth,
		UnownedAccounts:           int32(r.UnownedAccounts),
		UnownedHours:              r.UnownedHours,
		UnknownOwners:             r.UnknownOwners,
		AccountsWithoutDates:      int32(r.AccountsWithoutDates),
		ExcludedAccounts:          int32(r.ExcludedAccounts),
		Assumptions:               assumptionsToProto(r.Assumptions),
	}
	for _, c := range r.CSMs {
		var peak []*csplanv1.BookAccountHours
		for _, d := range c.PeakAccounts {
			peak = append(peak, &csplanv1.BookAccountHours{AccountId: d.AccountID, Hours: d.Hours})
		}
		out.Csms = append(out.Csms, &csplanv1.BookCsmLoad{
			Id: c.CSM.ID, Name: c.CSM.Name, Segment: c.CSM.Segment,
			Accounts: int32(c.Accounts), Arr: c.ARR, CapacityHours: c.CapacityHours,
			Hours: c.Hours, Utilization: c.Utilization,
			PeakMonth: c.PeakMonth.String(), PeakUtilization: c.PeakUtilization,
			MonthsOverCapacity: int32(c.MonthsOverCapacity), PeakAccounts: peak,
		})
	}
	for _, g := range r.Segments {
		out.Segments = append(out.Segments, &csplanv1.BookSegmentLoad{
			Name: g.Name, Accounts: int32(g.Accounts), Hours: g.Hours, CsmFte: g.CSMFTE,
			PeakMonth: g.PeakMonth.String(), PeakCsmFte: g.PeakCSMFTE, MeanCsmFte: g.Mean,
		})
	}
	for _, m := range r.Renewals {
		out.Renewals = append(out.Renewals, &csplanv1.BookRenewalMonth{Month: m.Month.String(), Accounts: int32(m.Accounts), Arr: m.ARR})
	}
	return out
}
