package server

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// TestDirectCallsPassTheChain: a REST call that reaches a service directly
// still gets the interceptors, recovery among them: a panic becomes
// Internal, logged under the method's name, and the caller learns nothing
// of it.
func TestDirectCallsPassTheChain(t *testing.T) {
	var logs bytes.Buffer
	s := New(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	_, err := invoke(context.Background(), s.unary, s.capacity, csplanv1.CapacityService_ComputeCapacity_FullMethodName,
		&csplanv1.ComputeCapacityRequest{},
		func(context.Context, *csplanv1.ComputeCapacityRequest) (*csplanv1.ComputeCapacityResponse, error) {
			panic("secret detail")
		})
	if status.Code(err) != codes.Internal || strings.Contains(err.Error(), "secret") {
		t.Fatalf("panicking direct call = %v, want Internal without the panic value", err)
	}
	for _, want := range []string{"panic in handler", `"grpc.method":"ComputeCapacity"`, `"grpc.code":"Internal"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the logs lack %s:\n%s", want, logs.String())
		}
	}

	d := directCapacity{chain: s.unary, svc: s.capacity}
	if _, err := d.ComputeCapacity(context.Background(), &csplanv1.ComputeCapacityRequest{}); status.Code(err) != codes.InvalidArgument {
		t.Errorf("an empty request through the direct door = %v, want InvalidArgument", err)
	}
	resp, err := d.GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{})
	if err != nil || resp.GetBenchmarks() == nil {
		t.Errorf("GetBenchmarks through the direct door = %v, %v", resp, err)
	}
}
