package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/bookwire"
)

// segmentationService implements SegmentationService on the capacity
// domain.
type segmentationService struct {
	csplanv1.UnimplementedSegmentationServiceServer
	logger *slog.Logger
	// maxUnaryAccounts bounds a unary call's book; past it the error names
	// the streaming RPC to use.
	maxUnaryAccounts int
	// maxStreamAccounts bounds a stream's book.
	maxStreamAccounts int
}

var _ csplanv1.SegmentationServiceServer = (*segmentationService)(nil)

// maxAccountViolations bounds the bad accounts one answer lists: past it a
// last violation counts the rest, so that a broken export does not produce
// a megabyte of errors.
const maxAccountViolations = 100

// SegmentAccounts assigns a book of at most maxUnaryAccounts accounts.
// The accounts are validated and counted one by one straight from the
// request, never copied into a second book.
func (s *segmentationService) SegmentAccounts(ctx context.Context, req *csplanv1.SegmentAccountsRequest) (*csplanv1.SegmentAccountsResponse, error) {
	accounts := req.GetAccounts()
	if n := len(accounts); n > s.maxUnaryAccounts {
		return nil, toStatus(ctx, s.logger, &capacity.FieldError{
			Field: "accounts",
			Reason: fmt.Sprintf("has %d accounts, more than the %d one call takes: send the book through StreamSegmentAccounts (POST /v1/segments:assignStream) in batches",
				n, s.maxUnaryAccounts),
		})
	}
	var bad []*capacity.FieldError
	rules := segmentRulesFromProto(req.GetSegments(), req.GetCsmTime())
	rules.Customers = capacity.Customers{Stages: req.GetCustomerStages(), Exclude: req.GetExcludeStages()}
	seg, err := capacity.NewSegmenter(rules)
	if err != nil {
		var ve *capacity.ValidationError
		if !errors.As(err, &ve) {
			return nil, toStatus(ctx, s.logger, err)
		}
		bad = append(bad, ve.Violations...)
	}

	var assignments []*csplanv1.Assignment
	if req.GetIncludeAssignments() {
		assignments = make([]*csplanv1.Assignment, 0, len(accounts))
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
		if seg == nil || badAccounts > 0 {
			continue
		}
		k := seg.Add(&acct)
		if assignments != nil {
			assignments = append(assignments, &csplanv1.Assignment{AccountId: a.GetId(), Segment: seg.SegmentName(k)})
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
	return segmentationToProto(seg.Result(), assignments), nil
}

// StreamSegmentAccounts reads the rules from the first message, then
// counts each account of each batch as it arrives: the server holds the
// segments' counters and 8 bytes of ARR per account, never the messages.
// Messages decode into one bookwire.Frame, whose accounts and strings are
// reused from batch to batch, so that an account costs no allocation.
func (s *segmentationService) StreamSegmentAccounts(stream csplanv1.SegmentationService_StreamSegmentAccountsServer) error {
	ctx := stream.Context()
	fail := func(err error) error { return toStatus(ctx, s.logger, err) }

	frame := bookwire.New(&csplanv1.StreamSegmentAccountsRequest{})
	err := stream.RecvMsg(frame)
	if errors.Is(err, io.EOF) {
		return fail(&capacity.FieldError{Field: "rules", Reason: "the stream is empty: send the rules first ({\"rules\": {...}}), then batches of accounts"})
	}
	if err != nil {
		return fail(err)
	}
	if frame.Payload() != bookwire.Head {
		return fail(&capacity.FieldError{Field: "rules", Reason: "the first message must carry the rules ({\"rules\": {\"segments\": [...]}}); batches of accounts follow it"})
	}
	rules := frame.Head().(*csplanv1.SegmentRules)
	segRules := segmentRulesFromProto(rules.GetSegments(), rules.GetCsmTime())
	segRules.Customers = capacity.Customers{Stages: rules.GetCustomerStages(), Exclude: rules.GetExcludeStages()}
	seg, err := capacity.NewSegmenter(segRules)
	if err != nil {
		return fail(prefixViolations(err, "rules."))
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
			return fail(&capacity.FieldError{Field: "rules", Reason: fmt.Sprintf("message %d carries rules again: only the first message carries them, the rest carry batches", msgNo)})
		case bookwire.None:
			return fail(&capacity.FieldError{Field: "payload", Reason: fmt.Sprintf("message %d carries nothing: give a batch of accounts ({\"batch\": {\"accounts\": [...]}})", msgNo)})
		}
		// The per-account path: nothing allocated.
		for j := range frame.Len() {
			if seg.Accounts() >= int64(limit) {
				return fail(&capacity.FieldError{Field: "batch.accounts", Reason: fmt.Sprintf("the stream passed %d accounts, the most one stream takes: segment the book in parts or raise the server's --max-stream-accounts", limit)})
			}
			frame.Account(j, &acct)
			if err := capacity.ValidateAccount(&acct, "batch.accounts", j); err != nil {
				return fail(annotateViolations(err, fmt.Sprintf("message %d, account %d of the stream (from 0)", msgNo, seg.Accounts())))
			}
			seg.Add(&acct)
		}
	}
	return stream.SendAndClose(streamSegmentationToProto(seg.Result()))
}

// PlanCoverage staffs and prices each segment against the cost band.
func (s *segmentationService) PlanCoverage(ctx context.Context, req *csplanv1.PlanCoverageRequest) (*csplanv1.PlanCoverageResponse, error) {
	plan, err := capacity.PlanCoverage(coverageRequestFromProto(req))
	if err != nil {
		return nil, toStatus(ctx, s.logger, err)
	}
	return coveragePlanToProto(plan), nil
}

// violationsOf returns the field errors in err.
func violationsOf(err error) []*capacity.FieldError {
	var ve *capacity.ValidationError
	if errors.As(err, &ve) {
		return ve.Violations
	}
	var fe *capacity.FieldError
	if errors.As(err, &fe) {
		return []*capacity.FieldError{fe}
	}
	return []*capacity.FieldError{{Reason: err.Error()}}
}

// prefixViolations names each field of err under prefix, as the field sits
// in a stream message ("rules.segments[0].name").
func prefixViolations(err error, prefix string) error {
	vs := violationsOf(err)
	for _, v := range vs {
		v.Field = prefix + v.Field
	}
	return &capacity.ValidationError{Violations: vs}
}

// annotateViolations says where in a stream the offending message sits.
func annotateViolations(err error, where string) error {
	vs := violationsOf(err)
	for _, v := range vs {
		v.Reason = where + ": " + v.Reason
	}
	return &capacity.ValidationError{Violations: vs}
}
