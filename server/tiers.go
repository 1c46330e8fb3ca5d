package server

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/bookwire"
)

// SuggestSegments suggests revenue tiers for a book of at most
// maxUnaryAccounts values or accounts.
func (s *segmentationService) SuggestSegments(ctx context.Context, req *csplanv1.SuggestSegmentsRequest) (*csplanv1.SuggestSegmentsResponse, error) {
	var tooMany []*capacity.FieldError
	for _, f := range []struct {
		name string
		n    int
	}{{"arr", len(req.GetArr())}, {"accounts", len(req.GetAccounts())}} {
		if f.n > s.maxUnaryAccounts {
			tooMany = append(tooMany, &capacity.FieldError{
				Field: f.name,
				Reason: fmt.Sprintf("has %d values, more than the %d one call takes: send the book through StreamSuggestSegments (POST /v1/segments:suggestStream) in batches",
					f.n, s.maxUnaryAccounts),
			})
		}
	}
	if len(tooMany) > 0 {
		return nil, toStatus(ctx, s.logger, &capacity.ValidationError{Violations: tooMany})
	}
	res, err := capacity.SuggestTiers(tierRequestFromProto(req))
	if err != nil {
		return nil, toStatus(ctx, s.logger, err)
	}
	return tierSuggestionToProto(res), nil
}

// StreamSuggestSegments reads the settings from the first message, then
// keeps the ARR of each account of each batch as it arrives, 8 bytes per
// account: never the messages, and (through bookwire.Frame) never the
// accounts' other fields either.
func (s *segmentationService) StreamSuggestSegments(stream csplanv1.SegmentationService_StreamSuggestSegmentsServer) error {
	ctx := stream.Context()
	fail := func(err error) error { return toStatus(ctx, s.logger, err) }

	frame := bookwire.New(&csplanv1.StreamSuggestSegmentsRequest{})
	err := stream.RecvMsg(frame)
	if errors.Is(err, io.EOF) {
		return fail(&capacity.FieldError{Field: "settings", Reason: `the stream is empty: send the settings first ({"settings": {"tiers": 3}}), then batches of accounts`})
	}
	if err != nil {
		return fail(err)
	}
	if frame.Payload() != bookwire.Head {
		return fail(&capacity.FieldError{Field: "settings", Reason: `the first message must carry the settings ({"settings": {"tiers": 3}}); batches of accounts follow it`})
	}
	sugg, err := capacity.NewTierSuggester(frame.Head().(*csplanv1.SuggestSettings).GetTiers(), "settings.tiers")
	if err != nil {
		return fail(err)
	}

	limit := min(s.maxStreamAccounts, capacity.MaxTierValues)
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
			return fail(&capacity.FieldError{Field: "settings", Reason: fmt.Sprintf("message %d carries settings again: only the first message carries them, the rest carry batches", msgNo)})
		case bookwire.None:
			return fail(&capacity.FieldError{Field: "payload", Reason: fmt.Sprintf(`message %d carries nothing: give a batch of accounts ({"batch": {"accounts": [...]}})`, msgNo)})
		}
		if sugg.Len()+frame.Len() > limit {
			return fail(&capacity.FieldError{Field: "batch.accounts", Reason: fmt.Sprintf("message %d takes the stream past %d accounts, the most one stream takes: suggest tiers on a sample or raise the server's --max-stream-accounts", msgNo, limit)})
		}
		// The per-account path: a validated append, nothing allocated.
		for i := range frame.Len() {
			if err := sugg.Add(frame.ARR(i)); err != nil {
				return fail(streamARRError(err, msgNo, i, sugg.Len()))
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	return stream.SendAndClose(streamTierSuggestionToProto(sugg.Result()))
}

// streamARRError names a refused value where it sits in its message, and
// says where that message sits in the stream.
func streamARRError(err error, msgNo, i, before int) error {
	var fe *capacity.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	return &capacity.FieldError{
		Field:  fmt.Sprintf("batch.accounts[%d].arr", i),
		Reason: fmt.Sprintf("message %d, account %d of the stream (from 0): %s", msgNo, before, fe.Reason),
	}
}

func tierRequestFromProto(req *csplanv1.SuggestSegmentsRequest) capacity.TierRequest {
	out := capacity.TierRequest{ARR: req.GetArr(), Tiers: req.GetTiers()}
	if accounts := req.GetAccounts(); len(accounts) > 0 {
		out.AccountARR = make([]float64, len(accounts))
		for i, a := range accounts {
			out.AccountARR[i] = a.GetArr()
		}
	}
	return out
}

func suggestedTiersToProto(ts []capacity.Tier) []*csplanv1.SuggestedTier {
	out := make([]*csplanv1.SuggestedTier, len(ts))
	for i, t := range ts {
		out[i] = &csplanv1.SuggestedTier{
			Name:            t.Name,
			MinArr:          t.MinARR,
			MaxArr:          t.MaxARR,
			SuggestedMinArr: t.SuggestedMinARR,
			Accounts:        t.Accounts,
			Arr:             t.ARR,
			ArrShare:        t.ARRShare,
		}
	}
	return out
}

func tierSuggestionToProto(r capacity.TierSuggestion) *csplanv1.SuggestSegmentsResponse {
	return &csplanv1.SuggestSegmentsResponse{
		Tiers:                 suggestedTiersToProto(r.Tiers),
		GoodnessOfVarianceFit: r.GoodnessOfVarianceFit,
		ZeroArrAccounts:       r.ZeroARRAccounts,
		Top10PercentArrShare:  r.Top10PercentARRShare,
		Top20PercentArrShare:  r.Top20PercentARRShare,
		Assumptions:           assumptionsToProto(r.Assumptions),
	}
}

func streamTierSuggestionToProto(r capacity.TierSuggestion) *csplanv1.StreamSuggestSegmentsResponse {
	return &csplanv1.StreamSuggestSegmentsResponse{
		Tiers:                 suggestedTiersToProto(r.Tiers),
		GoodnessOfVarianceFit: r.GoodnessOfVarianceFit,
		ZeroArrAccounts:       r.ZeroARRAccounts,
		Top10PercentArrShare:  r.Top10PercentARRShare,
		Top20PercentArrShare:  r.Top20PercentARRShare,
		Assumptions:           assumptionsToProto(r.Assumptions),
	}
}
