package server

import (
	"context"
	"slices"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Methods lists the full names of every gRPC method s serves, for tests
// that must cover them all.
func Methods(s *Server) []string {
	var names []string
	for m := range knownMethods(s.grpc) {
		names = append(names, m)
	}
	slices.Sort(names)
	return names
}

// ProbeMethod is the one method of the probe service RegisterProbe adds.
const ProbeMethod = "/csplan.test.Probe/Run"

// RegisterProbe adds to s, before it serves, a hand-written unary service
// whose one method (ProbeMethod, empty in and out) runs fn through the
// server's interceptors: tests make it panic, block, or wait for its
// deadline.
func RegisterProbe(s *Server, fn func(ctx context.Context) error) {
	s.grpc.RegisterService(&grpc.ServiceDesc{
		ServiceName: "csplan.test.Probe",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{
			MethodName: "Run",
			Handler: func(_ any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
				in := new(emptypb.Empty)
				if err := dec(in); err != nil {
					return nil, err
				}
				h := func(ctx context.Context, _ any) (any, error) { return new(emptypb.Empty), fn(ctx) }
				return ic(ctx, in, &grpc.UnaryServerInfo{FullMethod: ProbeMethod}, h)
			},
		}},
	}, struct{}{})
}

// HealthStatus is what s's health service answers for the server as a
// whole, asked in process: it answers while shutdown refuses new calls.
func HealthStatus(s *Server) healthpb.HealthCheckResponse_ServingStatus {
	resp, err := s.health.Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil {
		return healthpb.HealthCheckResponse_UNKNOWN
	}
	return resp.GetStatus()
}

// benchComputeJSON is a three-segment playbook, as the harness in bench/
// sends it: the wire tests decode it, the transport benchmark sends it.
const benchComputeJSON = `{"csmTime": {"weeklyHours": 40, "timeOffDaysPerYear": 25, "targetUtilization": 0.9,
 "internalActivities": [{"name": "Team meetings", "hoursPerMonth": 12}, {"name": "Email", "hoursPerMonth": 20}]},
 "segments": [
  {"name": "Enterprise", "accounts": 45, "arr": 5400000, "newAccountsPerMonth": 1, "playbook": {
   "touchpoints": [{"name": "Weekly check-in", "hours": 1, "cadence": "CADENCE_WEEKLY"},
    {"name": "Executive business review", "hours": 8, "cadence": "CADENCE_QUARTERLY"},
    {"name": "Onboarding programme", "hours": 30, "cadence": "CADENCE_ONE_TIME"}],
   "inbound": [{"name": "Escalations", "perAccountPerMonth": 1.5, "hours": 1.5}]}},
  {"name": "Mid-Market", "accounts": 240, "arr": 6000000, "playbook": {
   "touchpoints": [{"name": "Monthly check-in", "hours": 1, "cadence": "CADENCE_MONTHLY"},
    {"name": "Kick-off", "hours": 6, "cadence": "CADENCE_ONE_TIME"}],
   "inbound": [{"name": "Product questions", "perAccountPerMonth": 1, "hours": 0.5}]}},
  {"name": "SMB", "accounts": 900, "arr": 4500000, "customerLifetimeMonths": 24, "playbook": {
   "touchpoints": [{"name": "Health review", "hours": 0.5, "perYear": 3}],
   "inbound": [{"name": "Requests", "perAccountPerMonth": 0.3, "hours": 0.5}]}}]}`

// BenchComputeJSON is benchComputeJSON for the external benchmarks.
const BenchComputeJSON = benchComputeJSON

// BenchBatch, BenchRules and BenchBatchMessage are the segmentation
// benchmarks' book (segmentation_bench_test.go), for the external ones.
const BenchBatch = benchBatch

var (
	BenchRules        = benchRules
	BenchBatchMessage = benchBatchMessage
)
