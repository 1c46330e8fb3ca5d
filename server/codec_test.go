package server

import (
	"testing"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// TestDecodeFailuresAreHeldForOwnRequestsOnly: the codec hands a csplan
// request's decoding error to the door, and fails any other message (a
// health or reflection request, read by no door) as gRPC would.
func TestDecodeFailuresAreHeldForOwnRequestsOnly(t *testing.T) {
	if name := (serverCodec{}).Name(); name != "proto" {
		t.Fatalf("codec name %q, want proto: clients would see another content type", name)
	}
	bad := mem.BufferSlice{mem.SliceBuffer([]byte{0x0a, 0xff})}
	own := new(csplanv1.EvaluateTeamRequest)
	if err := (serverCodec{}).Unmarshal(bad, own); err != nil {
		t.Fatalf("a bad csplan request failed in the codec: %v", err)
	}
	if err := takeDecodeFailure(own); status.Code(err) != codes.Internal {
		t.Fatalf("the held failure = %v, want the codec's error", err)
	}
	if err := takeDecodeFailure(own); err != nil {
		t.Fatalf("a failure was taken twice: %v", err)
	}
	other := new(healthpb.HealthCheckRequest)
	if err := (serverCodec{}).Unmarshal(bad, other); err == nil {
		t.Fatal("a bad health request was held, want it failed in the codec")
	}
	good := mem.BufferSlice{mem.SliceBuffer(marshal(t, &csplanv1.EvaluateTeamRequest{CsmCount: 3}))}
	if err := (serverCodec{}).Unmarshal(good, own); err != nil || own.GetCsmCount() != 3 || takeDecodeFailure(own) != nil {
		t.Fatalf("a good request: %v, %v", err, own)
	}
}
