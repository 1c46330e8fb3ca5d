package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/encoding/protojson"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// BenchmarkComputeCapacityTransport measures one ComputeCapacity call end
// to end over loopback, client included, through each door: profile it
// (-cpuprofile) to see what the gateway adds to the gRPC path.
func BenchmarkComputeCapacityTransport(b *testing.B) {
	srv := servertest.NewServer(b, server.Config{})
	b.Run("grpc", func(b *testing.B) {
		conn := srv.Dial()
		req := new(csplanv1.ComputeCapacityRequest)
		if err := protojson.Unmarshal([]byte(server.BenchComputeJSON), req); err != nil {
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
		conn := srv.Dial()
		c := healthpb.NewHealthClient(conn)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rest", func(b *testing.B) {
		url := srv.URL + "/v1/capacity:compute"
		b.ReportAllocs()
		for b.Loop() {
			res, err := http.Post(url, "application/json", bytes.NewReader([]byte(server.BenchComputeJSON)))
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
