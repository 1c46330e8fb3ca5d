package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// capacityService implements CapacityService on the capacity domain.
type capacityService struct {
	csplanv1.UnimplementedCapacityServiceServer
	logger *slog.Logger
	now    func() time.Time
}

var _ csplanv1.CapacityServiceServer = (*capacityService)(nil)

func (s *capacityService) ComputeCapacity(ctx context.Context, req *csplanv1.ComputeCapacityRequest) (*csplanv1.ComputeCapacityResponse, error) {
	plan, err := capacity.ComputeCapacity(capacityRequestFromProto(req))
	if err != nil {
		return nil, toStatus(ctx, s.logger, err)
	}
	return capacityPlanToProto(plan), nil
}

func (s *capacityService) EvaluateTeam(ctx context.Context, req *csplanv1.EvaluateTeamRequest) (*csplanv1.EvaluateTeamResponse, error) {
	ev, err := capacity.EvaluateTeam(teamRequestFromProto(req))
	if err != nil {
		return nil, toStatus(ctx, s.logger, err)
	}
	return teamEvaluationToProto(ev), nil
}

func (s *capacityService) ForecastCapacity(ctx context.Context, req *csplanv1.ForecastCapacityRequest) (*csplanv1.ForecastCapacityResponse, error) {
	f, err := capacity.ForecastCapacity(forecastRequestFromProto(req), capacity.MonthOf(s.now()))
	if err != nil {
		return nil, toStatus(ctx, s.logger, err)
	}
	return forecastToProto(f), nil
}

func (s *capacityService) GetBenchmarks(context.Context, *csplanv1.GetBenchmarksRequest) (*csplanv1.GetBenchmarksResponse, error) {
	return &csplanv1.GetBenchmarksResponse{Benchmarks: benchmarksToProto(capacity.DefaultBenchmarks())}, nil
}
