package vtcodec

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/protorand"
)

// canonical is a message's deterministic encoding, the form two encodings
// of one message share.
func canonical(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameFloat compares as == does, but NaN equals NaN. -0 equals 0: the one
// way the generated marshaller differs from proto.Marshal is that it leaves
// out a proto3 double or float of -0 as it leaves out 0 (the value read
// back is 0), where proto.Marshal writes it.
var (
	sameFloat   = cmp.Comparer(func(a, b float64) bool { return a == b || (a != a && b != b) })
	sameFloat32 = cmp.Comparer(func(a, b float32) bool { return a == b || (a != a && b != b) })
)

// clearNegativeZeros sets every proto3 double or float of -0 in m to 0,
// what the generated marshaller sends for it.
func clearNegativeZeros(m protoreflect.Message) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			for i := range v.List().Len() {
				clearNegativeZeros(v.List().Get(i).Message())
			}
		case fd.IsMap() && fd.MapValue().Message() != nil:
			v.Map().Range(func(_ protoreflect.MapKey, e protoreflect.Value) bool {
				clearNegativeZeros(e.Message())
				return true
			})
		case fd.Message() != nil && !fd.IsList() && !fd.IsMap():
			clearNegativeZeros(v.Message())
		case !fd.HasPresence() && !fd.IsList() && !fd.IsMap() && (fd.Kind() == protoreflect.DoubleKind || fd.Kind() == protoreflect.FloatKind):
			if v.Float() == 0 {
				m.Clear(fd)
			}
		}
		return true
	})
}

// TestMarshalAgreesWithProto: on random messages of every csplan type, what
// Marshal writes is read back by proto.Unmarshal as the message it was.
func TestMarshalAgreesWithProto(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for _, mt := range protorand.Types(t) {
		for range 20 {
			m := mt.New()
			(&protorand.Gen{R: r}).Fill(m, 3)
			if _, ok := m.Interface().(sizedMarshaler); !ok {
				t.Fatalf("%s has no generated marshaller: is protoc-gen-go-vtproto in buf.gen.yaml?", mt.Descriptor().FullName())
			}
			data, err := Codec{}.Marshal(m.Interface())
			if err != nil {
				t.Fatalf("%s: %v", mt.Descriptor().FullName(), err)
			}
			back := mt.New().Interface()
			if err := proto.Unmarshal(data.Materialize(), back); err != nil {
				t.Fatalf("%s: proto.Unmarshal of Marshal's bytes: %v", mt.Descriptor().FullName(), err)
			}
			data.Free()
			clearNegativeZeros(m)
			if diff := cmp.Diff(m.Interface(), back, protocmp.Transform(), sameFloat, sameFloat32); diff != "" {
				t.Fatalf("%s: read back differently (-sent +read):\n%s", mt.Descriptor().FullName(), diff)
			}
		}
	}
}

// TestMarshalOfLargeAndForeignMessages: a message past the pooling
// threshold comes in a pooled buffer with the same bytes, and a message
// without generated methods is written by grpc's codec.
func TestMarshalOfLargeAndForeignMessages(t *testing.T) {
	big := &csplanv1.ForecastCapacityResponse{}
	for i := range 500 {
		big.Months = append(big.Months, &csplanv1.ForecastMonth{Month: "2027-01", Accounts: float64(i), CsCostShare: 0.1})
	}
	for _, m := range []proto.Message{big, &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, &csplanv1.ForecastCapacityResponse{}} {
		data, err := Codec{}.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := data.Materialize(), canonical(t, m); !bytes.Equal(got, want) {
			t.Fatalf("%T: %d bytes, proto.Marshal writes %d", m, len(got), len(want))
		}
		data.Free()
	}
	if _, err := (Codec{}).Marshal("not a message"); err == nil {
		t.Fatal("Marshal of a string succeeds")
	}
}

// TestUnmarshalIsProtos: reading refuses what proto.Unmarshal refuses,
// invalid UTF-8 in a string among it.
func TestUnmarshalIsProtos(t *testing.T) {
	if name := (Codec{}).Name(); name != "proto" {
		t.Fatalf("name %q", name)
	}
	good := canonical(t, &csplanv1.Account{Id: "a-1", Arr: 1200})
	var a csplanv1.Account
	if err := (Codec{}).Unmarshal(mem.BufferSlice{mem.SliceBuffer(good)}, &a); err != nil || a.GetId() != "a-1" || a.GetArr() != 1200 {
		t.Fatalf("Unmarshal = %v, %v", err, &a)
	}
	badText := []byte{0x0a, 0x01, 0xff} // Account.id = "\xff"
	if err := (Codec{}).Unmarshal(mem.BufferSlice{mem.SliceBuffer(badText)}, new(csplanv1.Account)); err == nil {
		t.Fatal("a string that is not UTF-8 was read")
	}
}

// BenchmarkForecastAnswer writes a 120-month forecast answer, the largest
// unary answer, as the server does and as proto.Marshal would.
func BenchmarkForecastAnswer(b *testing.B) {
	m := &csplanv1.ForecastCapacityResponse{}
	for i := range 121 {
		m.Months = append(m.Months, &csplanv1.ForecastMonth{Month: "2027-01", Accounts: float64(260 + i), Arr: 9.1e6 + float64(i)*3e4,
			CsmHeadcount: int32(7 + i/12), EffectiveCsms: 6.5, AccountsPerCsm: 40 + float64(i)/7, ArrPerCsm: 1.4e6, CsCost: 87500, CsCostShare: 0.11})
	}
	b.Run("codec", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			data, err := Codec{}.Marshal(m)
			if err != nil {
				b.Fatal(err)
			}
			data.Free()
		}
	})
	b.Run("proto.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := proto.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
