package server

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// crSlices cuts b into one buffer and into several, as a transport may
// hand them over.
func crSlices(b []byte) []mem.BufferSlice {
	out := []mem.BufferSlice{{mem.SliceBuffer(bytes.Clone(b))}}
	if len(b) >= 3 {
		i, j := len(b)/3, 2*len(b)/3
		out = append(out, mem.BufferSlice{mem.SliceBuffer(bytes.Clone(b[:i])), mem.SliceBuffer(bytes.Clone(b[i:j])), mem.SliceBuffer(bytes.Clone(b[j:]))})
	}
	return out
}

// crCodecCheck unmarshals b into a message of newMsg's type with
// serverCodec and with proto.Unmarshal and compares results and errors.
func crCodecCheck(t *testing.T, b []byte, newMsg func() proto.Message) {
	t.Helper()
	want := newMsg()
	werr := proto.Unmarshal(b, want)
	for _, data := range crSlices(b) {
		got := newMsg()
		// A message that is not fresh: Unmarshal replaces its content,
		// as proto.Unmarshal does.
		if m, ok := got.(*csplanv1.ComputeCapacityRequest); ok {
			m.Segments = []*csplanv1.CapacitySegment{{Name: "stale"}}
		}
		// Unmarshal holds the error of a csplan request for the door that
		// reads it: the error is what the codec found, all the same.
		gerr := serverCodec{}.Unmarshal(data, got)
		if held := takeDecodeFailure(got); gerr == nil {
			gerr = held
		}
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%x: serverCodec error %v, proto.Unmarshal error %v", b, gerr, werr)
		}
		if werr != nil {
			continue
		}
		if diff := crSame(want, got); diff != "" {
			t.Fatalf("%x: serverCodec decodes differently: %s", b, diff)
		}
	}
}

func TestServerCodecUnmarshal(t *testing.T) {
	compute := func() proto.Message { return new(csplanv1.ComputeCapacityRequest) }
	forecast := func() proto.Message { return new(csplanv1.ForecastCapacityRequest) }
	realistic := crRealistic(t)
	cases := [][]byte{
		nil,
		realistic,
		// Refused by the fast path, decoded by proto: an unknown field.
		append(bytes.Clone(realistic), protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 1)...),
		// Refused by both: truncated, invalid UTF-8.
		realistic[:len(realistic)-1],
		{0x12, 0x03, 0x0a, 0x01, 0xff},
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 50 {
		m := crRequest(r)
		cases = append(cases, mustMarshal(m), crEncode(r, m.ProtoReflect(), crWire{shuffle: true, dups: true, odd: true}))
	}
	for _, b := range cases {
		crCodecCheck(t, b, compute)
		crCodecCheck(t, b, forecast)
	}
	fc := &csplanv1.ForecastCapacityRequest{StartMonth: "2027-01", HorizonMonths: 12, Accounts: 40, Arr: 4e6, CsmCount: 2,
		PlannedHireMonths: []string{"2027-03"}, Growth: &csplanv1.Growth{NewAccountsPerMonth: 2}}
	crCodecCheck(t, mustMarshal(fc), forecast)
	crCodecCheck(t, mustMarshal(fc), compute)
}

func TestServerCodecMarshal(t *testing.T) {
	var c serverCodec
	if c.Name() != "proto" {
		t.Fatalf("name %q", c.Name())
	}
	m := &csplanv1.ComputeCapacityResponse{TotalCsmFte: 3.5, Segments: []*csplanv1.SegmentCapacity{{Name: "Enterprise", CsmHeadcount: 2}}}
	big := &csplanv1.ComputeCapacityResponse{}
	for range 2000 {
		big.Assumptions = append(big.Assumptions, &csplanv1.Assumption{Name: "csm_time.weekly_hours", Value: "40", Source: "request"})
	}
	for _, msg := range []proto.Message{m, big} {
		data, err := c.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		got := data.Materialize()
		data.Free()
		if !bytes.Equal(got, mustMarshal(msg)) {
			t.Fatalf("Marshal differs from proto.Marshal")
		}
	}
	if _, err := c.Marshal("not a message"); err == nil {
		t.Fatal("Marshal of a string succeeds")
	}
	if err := c.Unmarshal(mem.BufferSlice{mem.SliceBuffer([]byte{})}, new(int)); err == nil {
		t.Fatal("Unmarshal into an int succeeds")
	}
}

// TestDecodeFailuresAreHeldForOwnRequestsOnly: the codec hands a csplan
// request's decoding error to the door, and fails any other message (a
// health or reflection request, read by no door) as gRPC would.
func TestDecodeFailuresAreHeldForOwnRequestsOnly(t *testing.T) {
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
}
