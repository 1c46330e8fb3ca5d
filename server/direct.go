package server

import (
	"context"

	"google.golang.org/grpc"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// The gateway hands unary REST calls to these services directly, without
// encoding the request as protobuf and crossing an in-memory HTTP/2
// connection. Each call still passes through the server's unary
// interceptor chain under its gRPC method name, so metrics, request ids,
// logs, the deadline and panic recovery behave as they do
// for gRPC callers. The gateway supplies what the interceptors read: the
// HTTP headers as incoming metadata, and a transport stream that carries
// grpc.SetHeader back as response headers.

// invoke runs handler for req through chain as method.
func invoke[Req, Resp any](ctx context.Context, chain grpc.UnaryServerInterceptor, srv any, method string, req Req,
	handler func(context.Context, Req) (Resp, error)) (Resp, error) {
	resp, err := chain(ctx, req, &grpc.UnaryServerInfo{Server: srv, FullMethod: method},
		func(ctx context.Context, r any) (any, error) { return handler(ctx, r.(Req)) })
	if err != nil {
		var zero Resp
		return zero, err
	}
	return resp.(Resp), nil
}

type directCapacity struct {
	csplanv1.UnimplementedCapacityServiceServer
	chain grpc.UnaryServerInterceptor
	svc   *capacityService
}

func (d directCapacity) ComputeCapacity(ctx context.Context, r *csplanv1.ComputeCapacityRequest) (*csplanv1.ComputeCapacityResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.CapacityService_ComputeCapacity_FullMethodName, r, d.svc.ComputeCapacity)
}

func (d directCapacity) EvaluateTeam(ctx context.Context, r *csplanv1.EvaluateTeamRequest) (*csplanv1.EvaluateTeamResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.CapacityService_EvaluateTeam_FullMethodName, r, d.svc.EvaluateTeam)
}

func (d directCapacity) ForecastCapacity(ctx context.Context, r *csplanv1.ForecastCapacityRequest) (*csplanv1.ForecastCapacityResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.CapacityService_ForecastCapacity_FullMethodName, r, d.svc.ForecastCapacity)
}

func (d directCapacity) GetBenchmarks(ctx context.Context, r *csplanv1.GetBenchmarksRequest) (*csplanv1.GetBenchmarksResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.CapacityService_GetBenchmarks_FullMethodName, r, d.svc.GetBenchmarks)
}

// directSegmentation leaves the two client streams to the in-memory gRPC
// connection: the gateway cannot call a stream directly.
type directSegmentation struct {
	csplanv1.UnimplementedSegmentationServiceServer
	chain grpc.UnaryServerInterceptor
	svc   *segmentationService
}

func (d directSegmentation) SegmentAccounts(ctx context.Context, r *csplanv1.SegmentAccountsRequest) (*csplanv1.SegmentAccountsResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.SegmentationService_SegmentAccounts_FullMethodName, r, d.svc.SegmentAccounts)
}

func (d directSegmentation) SuggestSegments(ctx context.Context, r *csplanv1.SuggestSegmentsRequest) (*csplanv1.SuggestSegmentsResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.SegmentationService_SuggestSegments_FullMethodName, r, d.svc.SuggestSegments)
}

func (d directSegmentation) PlanCoverage(ctx context.Context, r *csplanv1.PlanCoverageRequest) (*csplanv1.PlanCoverageResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.SegmentationService_PlanCoverage_FullMethodName, r, d.svc.PlanCoverage)
}

type directHiring struct {
	csplanv1.UnimplementedHiringServiceServer
	chain grpc.UnaryServerInterceptor
	svc   *hiringService
}

func (d directHiring) EstimateHireCost(ctx context.Context, r *csplanv1.EstimateHireCostRequest) (*csplanv1.EstimateHireCostResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.HiringService_EstimateHireCost_FullMethodName, r, d.svc.EstimateHireCost)
}

func (d directHiring) EvaluateHire(ctx context.Context, r *csplanv1.EvaluateHireRequest) (*csplanv1.EvaluateHireResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.HiringService_EvaluateHire_FullMethodName, r, d.svc.EvaluateHire)
}

type directPlanning struct {
	csplanv1.UnimplementedPlanningServiceServer
	chain grpc.UnaryServerInterceptor
	svc   *planningService
}

func (d directPlanning) RunPlan(ctx context.Context, r *csplanv1.RunPlanRequest) (*csplanv1.RunPlanResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.PlanningService_RunPlan_FullMethodName, r, d.svc.RunPlan)
}

func (d directPlanning) ComparePlans(ctx context.Context, r *csplanv1.ComparePlansRequest) (*csplanv1.ComparePlansResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.PlanningService_ComparePlans_FullMethodName, r, d.svc.ComparePlans)
}

type directBook struct {
	csplanv1.UnimplementedBookServiceServer
	chain grpc.UnaryServerInterceptor
	svc   *bookService
}

func (d directBook) AnalyzeBook(ctx context.Context, r *csplanv1.AnalyzeBookRequest) (*csplanv1.AnalyzeBookResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.BookService_AnalyzeBook_FullMethodName, r, d.svc.AnalyzeBook)
}

func (d directBook) RebalanceBook(ctx context.Context, r *csplanv1.RebalanceBookRequest) (*csplanv1.RebalanceBookResponse, error) {
	return invoke(ctx, d.chain, d.svc, csplanv1.BookService_RebalanceBook_FullMethodName, r, d.svc.RebalanceBook)
}
