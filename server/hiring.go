package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// hiringService implements HiringService on the capacity domain.
type hiringService struct {
	csplanv1.UnimplementedHiringServiceServer
	logger *slog.Logger
	now    func() time.Time
}

var _ csplanv1.HiringServiceServer = (*hiringService)(nil)

func (s *hiringService) EstimateHireCost(ctx context.Context, req *csplanv1.EstimateHireCostRequest) (*csplanv1.EstimateHireCostResponse, error) {
	c, err := capacity.EstimateHireCost(hireRequestFromProto(req))
	if err != nil {
		return nil, toStatus(ctx, s.logger, err)
	}
	return hireCostToProto(c), nil
}

func (s *hiringService) EvaluateHire(ctx context.Context, req *csplanv1.EvaluateHireRequest) (*csplanv1.EvaluateHireResponse, error) {
	e, err := capacity.EvaluateHire(hireEvaluationRequestFromProto(req), capacity.MonthOf(s.now()))
	if err != nil {
		return nil, toStatus(ctx, s.logger, err)
	}
	return hireEvaluationToProto(e), nil
}
