package server

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/encoding/protojson"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// benchComputeJSON is a three-segment playbook, as the harness in bench/
// sends it.
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

// benchServe serves on loopback until the benchmark ends.
func benchServe(b *testing.B) (grpcAddr, httpAddr string) {
	b.Helper()
	gl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(Config{}).Serve(ctx, gl, hl) }()
	b.Cleanup(func() { cancel(); <-done })
	return gl.Addr().String(), hl.Addr().String()
}

// BenchmarkComputeCapacityTransport measures one ComputeCapacity call end
// to end over loopback, client included, through each door: profile it
// (-cpuprofile) to see what the gateway adds to the gRPC path.
func BenchmarkComputeCapacityTransport(b *testing.B) {
	grpcAddr, httpAddr := benchServe(b)
	b.Run("grpc", func(b *testing.B) {
		conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		req := new(csplanv1.ComputeCapacityRequest)
		if err := protojson.Unmarshal([]byte(benchComputeJSON), req); err != nil {
			b.Fatal(err)
		}
		c := csplanv1.NewCapacityServiceClient(conn)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.ComputeCapacity(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("health", func(b *testing.B) {
		conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		c := healthpb.NewHealthClient(conn)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rest", func(b *testing.B) {
		url := "http://" + httpAddr + "/v1/capacity:compute"
		b.ReportAllocs()
		for b.Loop() {
			res, err := http.Post(url, "application/json", bytes.NewReader([]byte(benchComputeJSON)))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("HTTP %d", res.StatusCode)
			}
		}
	})
}
