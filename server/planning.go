package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/bookwire"
	"github.com/csplan/csplan/planning"
)

// planningService implements PlanningService on the planning domain.
type planningService struct {
	csplanv1.UnimplementedPlanningServiceServer
	logger            *slog.Logger
	now               func() time.Time
	maxUnaryAccounts  int
	maxStreamAccounts int
}

var _ csplanv1.PlanningServiceServer = (*planningService)(nil)

// RunPlan runs a plan on the accounts of the request, or on the
// segments' own totals without them.
func (s *planningService) RunPlan(ctx context.Context, req *csplanv1.RunPlanRequest) (*csplanv1.RunPlanResponse, error) {
	res, err := s.runUnary(req.GetPlan(), req.GetAccounts(), "plan.", "accounts")
	if err != nil {
		return nil, toStatus(ctx, s.logger, err)
	}
	return &csplanv1.RunPlanResponse{Result: res}, nil
}

// ComparePlans runs both plans and sets them side by side.
func (s *planningService) ComparePlans(ctx context.Context, req *csplanv1.ComparePlansRequest) (*csplanv1.ComparePlansResponse, error) {
	side := func(own []*csplanv1.Account) []*csplanv1.Account {
		if len(own) > 0 {
			return own
		}
		return req.GetAccounts()
	}
	baseField, whatIfField := "base_accounts", "what_if_accounts"
	if len(req.GetBaseAccounts()) == 0 {
		baseField = "accounts"
	}
	if len(req.GetWhatIfAccounts()) == 0 {
		whatIfField = "accounts"
	}
	var errs []*capacity.FieldError
	base, err := s.run(req.GetBase(), side(req.GetBaseAccounts()), "base.", baseField)
	errs = append(errs, violationsOrNil(err)...)
	whatIf, err := s.run(req.GetWhatIf(), side(req.GetWhatIfAccounts()), "what_if.", whatIfField)
	errs = append(errs, violationsOrNil(err)...)
	if len(errs) > 0 {
		return nil, toStatus(ctx, s.logger, &capacity.ValidationError{Violations: errs})
	}
	changes, err := planInputChanges(req.GetBase(), req.GetWhatIf())
	if err != nil {
		return nil, toStatus(ctx, s.logger, err)
	}
	out := &csplanv1.ComparePlansResponse{Base: planResultToProto(base), WhatIf: planResultToProto(whatIf), InputChanges: changes}
	for _, d := range planning.Compare(base, whatIf) {
		out.Deltas = append(out.Deltas, &csplanv1.PlanDelta{Group: d.Group, Measure: d.Measure, Base: d.Base, WhatIf: d.WhatIf, Change: d.Change})
	}
	return out, nil
}

func violationsOrNil(err error) []*capacity.FieldError {
	if err == nil {
		return nil
	}
	return violationsOf(err)
}

func (s *planningService) runUnary(plan *csplanv1.Plan, accounts []*csplanv1.Account, prefix, field string) (*csplanv1.PlanResult, error) {
	res, err := s.run(plan, accounts, prefix, field)
	if err != nil {
		return nil, err
	}
	return planResultToProto(res), nil
}

// run segments the accounts (when there are any) and runs the plan.
func (s *planningService) run(plan *csplanv1.Plan, accounts []*csplanv1.Account, prefix, field string) (planning.Result, error) {
	if n := len(accounts); n > s.maxUnaryAccounts {
		return planning.Result{}, &capacity.FieldError{Field: field, Reason: fmt.Sprintf(
			"has %d accounts, more than the %d one call takes: send the book through StreamRunPlan (POST /v1/plans:runStream) in batches", n, s.maxUnaryAccounts)}
	}
	p, book, err := s.begin(plan, len(accounts) > 0, prefix)
	if err != nil {
		return planning.Result{}, err
	}
	var acct capacity.Account
	var bad []*capacity.FieldError
	for i, a := range accounts {
		bookwire.FromProto(&acct, a)
		if err := capacity.ValidateAccount(&acct, field, i); err != nil {
			if len(bad) < maxAccountViolations {
				bad = append(bad, violationsOf(err)...)
			}
			continue
		}
		book.add(&acct)
	}
	if len(bad) > 0 {
		return planning.Result{}, &capacity.ValidationError{Violations: bad}
	}
	return s.finish(p, book, prefix)
}

// StreamRunPlan reads the plan from the first message, then counts each
// account of each batch as it arrives, as StreamSegmentAccounts does: the
// server holds the segments' counters and 8 bytes of ARR per account
// (16 with tiers asked for), never the messages.
func (s *planningService) StreamRunPlan(stream csplanv1.PlanningService_StreamRunPlanServer) error {
	ctx := stream.Context()
	fail := func(err error) error { return toStatus(ctx, s.logger, err) }
	frame := bookwire.New(&csplanv1.StreamRunPlanRequest{})
	err := stream.RecvMsg(frame)
	if errors.Is(err, io.EOF) {
		return fail(&capacity.FieldError{Field: "plan", Reason: `the stream is empty: send the plan first ({"plan": {...}}), then batches of accounts`})
	}
	if err != nil {
		return fail(err)
	}
	if frame.Payload() != bookwire.Head {
		return fail(&capacity.FieldError{Field: "plan", Reason: `the first message must carry the plan ({"plan": {"segments": [...]}}); batches of accounts follow it`})
	}
	p, book, err := s.begin(frame.Head().(*csplanv1.Plan), true, "plan.")
	if err != nil {
		return fail(err)
	}
	limit := min(s.maxStreamAccounts, capacity.MaxBookAccounts)
	var acct capacity.Account
	for msgNo := 2; ; msgNo++ {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		err := stream.RecvMsg(frame)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(err)
		}
		switch frame.Payload() {
		case bookwire.Head:
			return fail(&capacity.FieldError{Field: "plan", Reason: fmt.Sprintf("message %d carries the plan again: only the first message carries it, the rest carry batches", msgNo)})
		case bookwire.None:
			return fail(&capacity.FieldError{Field: "payload", Reason: fmt.Sprintf(`message %d carries nothing: give a batch of accounts ({"batch": {"accounts": [...]}})`, msgNo)})
		}
		for j := range frame.Len() {
			if book.seg.Accounts() >= int64(limit) {
				return fail(&capacity.FieldError{Field: "batch.accounts", Reason: fmt.Sprintf("the stream passed %d accounts, the most one stream takes: plan the book in parts or raise the server's --max-stream-accounts", limit)})
			}
			frame.Account(j, &acct)
			if err := capacity.ValidateAccount(&acct, "batch.accounts", j); err != nil {
				return fail(annotateViolations(err, fmt.Sprintf("message %d, account %d of the stream (from 0)", msgNo, book.seg.Accounts())))
			}
			book.add(&acct)
		}
	}
	res, err := s.finish(p, book, "plan.")
	if err != nil {
		return fail(err)
	}
	return stream.SendAndClose(&csplanv1.StreamRunPlanResponse{Result: planResultToProto(res)})
}

// planBook reads a book for a plan: the segmenter and, when tiers are
// asked for, the tier suggester. Without accounts both are nil.
type planBook struct {
	seg   *capacity.Segmenter
	tiers *capacity.TierSuggester
	// cal reads the book's calendar: per segment and CSM, month by month.
	cal *capacity.BookAnalyzer
}

func (b *planBook) add(a *capacity.Account) {
	// The tiers are the customers' too: what the customer stages leave out
	// is in neither.
	if b.seg.Add(a) != capacity.ExcludedIndex && b.tiers != nil {
		// ValidateAccount has checked the ARR the suggester takes.
		_ = b.tiers.Add(a.ARR)
	}
	if b.cal != nil {
		b.cal.Add(a)
	}
}

// begin checks the plan, every field at once, before any account is read.
func (s *planningService) begin(plan *csplanv1.Plan, withAccounts bool, prefix string) (planning.Plan, *planBook, error) {
	name := strings.TrimSuffix(prefix, ".")
	if plan == nil {
		return planning.Plan{}, nil, &capacity.FieldError{Field: name, Reason: "give the plan: its segments, team and hiring profile"}
	}
	var errs []*capacity.FieldError
	if plan.GetBook().GetAccountsCsv() != "" {
		errs = append(errs, &capacity.FieldError{Field: prefix + "book.accounts_csv",
			Reason: "the service reads no files: send the accounts in the request or the stream (the CLI reads book.accounts_csv for you)"})
	}
	p := planFromProto(plan)
	if err := planning.Validate(p, withAccounts, capacity.MonthOf(s.now())); err != nil {
		errs = append(errs, prefixed(err, prefix)...)
	}
	book := &planBook{}
	if withAccounts {
		seg, err := capacity.NewSegmenter(planning.Rules(p))
		if err != nil {
			errs = append(errs, ruleViolations(err, prefix)...)
		}
		book.seg = seg
		// The plan's checks above cover the analyzer's settings; a plan
		// they refuse reads no calendar.
		if len(errs) == 0 {
			book.cal, err = capacity.NewBookAnalyzer(planning.CalendarSettings(p, planning.StartMonth(p, capacity.MonthOf(s.now()))), 0)
			if err != nil {
				errs = append(errs, bookCSMViolations(err, prefix)...)
			}
		}
		if t := p.SuggestTiers; t >= 2 && t <= 8 {
			book.tiers, err = capacity.NewTierSuggester(t, prefix+"segmentation.suggest_tiers")
			if err != nil {
				errs = append(errs, violationsOf(err)...)
			}
		}
	}
	if len(errs) > 0 {
		return planning.Plan{}, nil, &capacity.ValidationError{Violations: dedupe(errs)}
	}
	return p, book, nil
}

// finish runs the plan on what the book has read.
func (s *planningService) finish(p planning.Plan, book *planBook, prefix string) (planning.Result, error) {
	var b planning.Book
	if book.seg != nil {
		r := book.seg.Result()
		b.Segmented = &r
		if book.tiers != nil {
			t := book.tiers.Result()
			b.Tiers = &t
		}
		if book.cal != nil {
			c := book.cal.Result()
			b.Calendar = &c
		}
	}
	res, err := planning.Run(p, b, capacity.MonthOf(s.now()))
	if err != nil {
		return planning.Result{}, &capacity.ValidationError{Violations: prefixed(err, prefix)}
	}
	return res, nil
}

func prefixed(err error, prefix string) []*capacity.FieldError {
	vs := violationsOf(err)
	out := make([]*capacity.FieldError, len(vs))
	for i, v := range vs {
		out[i] = &capacity.FieldError{Field: strings.TrimSuffix(prefix+v.Field, "."), Reason: v.Reason}
	}
	return out
}

// matchFields are the segmenter's rule fields that a plan holds under
// segments[i].match.
var matchFields = []string{"min_arr", "max_arr", "stages", "min_health", "max_health", "complexities", "attributes"}

// ruleViolations names the segmenter's complaints by their place in the
// plan: segments[0].min_arr is segments[0].match.min_arr there.
func ruleViolations(err error, prefix string) []*capacity.FieldError {
	out := prefixed(err, prefix)
	for _, v := range out {
		for _, f := range matchFields {
			if i := strings.Index(v.Field, "]."+f); i >= 0 && strings.HasPrefix(v.Field, prefix+"segments[") {
				v.Field = v.Field[:i+2] + "match." + v.Field[i+2:]
				break
			}
		}
	}
	return out
}

// dedupe drops a complaint made twice (the plan's check and the
// segmenter's may both find a duplicate name).
func dedupe(errs []*capacity.FieldError) []*capacity.FieldError {
	seen := map[string]bool{}
	out := errs[:0]
	for _, e := range errs {
		k := e.Field + "\x00" + e.Reason
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// bookCSMViolations names the analyzer's complaints, which with a valid
// plan can only be about book.csms, by their place in the plan.
func bookCSMViolations(err error, prefix string) []*capacity.FieldError {
	out := prefixed(err, prefix)
	for _, v := range out {
		if strings.HasPrefix(v.Field, prefix+"csms") {
			v.Field = prefix + "book." + strings.TrimPrefix(v.Field, prefix)
		}
	}
	return out
}
