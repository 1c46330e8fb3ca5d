package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// decodedFrame is what the tier stream reads of a message, from either
// decoder. ARR is compared by bit pattern, so that NaNs compare too.
type decodedFrame struct {
	Payload framePayload
	Tiers   int32
	ARR     []uint64
}

func frameView(f *suggestFrame) decodedFrame {
	out := decodedFrame{Payload: f.payload, Tiers: f.tiers, ARR: []uint64{}}
	for _, a := range f.arr {
		out.ARR = append(out.ARR, math.Float64bits(a))
	}
	return out
}

func protoView(m *csplanv1.StreamSuggestSegmentsRequest) decodedFrame {
	out := decodedFrame{ARR: []uint64{}}
	switch p := m.GetPayload().(type) {
	case *csplanv1.StreamSuggestSegmentsRequest_Settings:
		out.Payload, out.Tiers = payloadSettings, p.Settings.GetTiers()
	case *csplanv1.StreamSuggestSegmentsRequest_Batch:
		out.Payload = payloadBatch
		for _, a := range p.Batch.GetAccounts() {
			out.ARR = append(out.ARR, math.Float64bits(a.GetArr()))
		}
	}
	return out
}

// checkFrame decodes b both ways. Where proto.Unmarshal accepts b, the
// frame must decode it the same; where it refuses, the frame may refuse or
// decode, but never panic.
func checkFrame(t *testing.T, b []byte) {
	t.Helper()
	f := newSuggestFrame()
	ferr := proto.Unmarshal(b, f) // through the same entry point gRPC's codec uses
	var m csplanv1.StreamSuggestSegmentsRequest
	if err := proto.Unmarshal(b, &m); err != nil {
		return
	}
	if ferr != nil {
		t.Fatalf("frame refuses %x, which proto.Unmarshal accepts: %v", b, ferr)
	}
	if diff := cmp.Diff(protoView(&m), frameView(f)); diff != "" {
		t.Fatalf("frame decodes %x differently (-proto +frame):\n%s", b, diff)
	}
	// And what proto.Marshal writes of it.
	out, err := proto.Marshal(&m)
	if err != nil {
		return // proto3 strings that are not UTF-8 do not marshal
	}
	if err := proto.Unmarshal(out, f); err != nil {
		t.Fatalf("frame refuses proto.Marshal's %x: %v", out, err)
	}
	if diff := cmp.Diff(protoView(&m), frameView(f)); diff != "" {
		t.Fatalf("frame decodes proto.Marshal's %x differently (-proto +frame):\n%s", out, diff)
	}
}

func marshal(t testing.TB, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func settingsMsg(tiers int32) *csplanv1.StreamSuggestSegmentsRequest {
	return &csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Settings{Settings: &csplanv1.SuggestSettings{Tiers: tiers}}}
}

func batchMsg(accounts ...*csplanv1.Account) *csplanv1.StreamSuggestSegmentsRequest {
	return &csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}}
}

func fullAccount(i int) *csplanv1.Account {
	h := float64(i % 100)
	return &csplanv1.Account{
		Id: fmt.Sprintf("ACC-%07d", i), Name: fmt.Sprintf("Account %d", i), Arr: float64((i*7919)%300_000) + 0.5,
		Stage: "Adoption", HealthScore: &h, Complexity: csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_COMPLEX,
		ExpansionPotential: 1000, Attributes: map[string]string{"region": "EMEA", "industry": "Software"},
	}
}

// frameSeeds are encodings that exercise the oneof and merge rules,
// unknown and mistyped fields, and groups.
func frameSeeds(t testing.TB) [][]byte {
	var tag = protowire.AppendTag
	settings, batch := marshal(t, settingsMsg(5)), marshal(t, batchMsg(fullAccount(1), fullAccount(2)))
	// An account whose arr comes twice (the last counts), once with the
	// wrong wire type (unknown), beside an unknown field and a group.
	var acct []byte
	acct = protowire.AppendFixed64(tag(acct, 3, protowire.Fixed64Type), math.Float64bits(7))
	acct = protowire.AppendVarint(tag(acct, 3, protowire.VarintType), 99)
	acct = protowire.AppendBytes(tag(acct, 200, protowire.BytesType), []byte("x"))
	acct = tag(tag(protowire.AppendVarint(tag(tag(acct, 300, protowire.StartGroupType), 1, protowire.VarintType), 1), 300, protowire.EndGroupType), 3, protowire.Fixed64Type)
	acct = protowire.AppendFixed64(acct, math.Float64bits(42))
	var odd []byte
	odd = protowire.AppendBytes(tag(odd, 1, protowire.BytesType), acct)
	odd = protowire.AppendVarint(tag(odd, 1, protowire.VarintType), 3) // accounts mistyped
	oddBatch := protowire.AppendBytes(tag(nil, 2, protowire.BytesType), odd)
	// Settings with a negative tiers (a ten-byte varint) and tiers mistyped.
	var neg []byte
	neg = protowire.AppendVarint(tag(neg, 1, protowire.VarintType), uint64(math.MaxUint64-2))
	neg = protowire.AppendFixed32(tag(neg, 1, protowire.Fixed32Type), 9)
	negSettings := protowire.AppendBytes(tag(nil, 1, protowire.BytesType), neg)

	return [][]byte{
		{},
		settings,
		batch,
		append(append([]byte{}, settings...), batch...),                      // the batch replaces the settings
		append(append([]byte{}, batch...), settings...),                      // and the other way round
		append(append([]byte{}, batch...), batch...),                         // batches merge
		append(append([]byte{}, settings...), marshal(t, settingsMsg(7))...), // settings merge
		oddBatch,
		negSettings,
		protowire.AppendVarint(tag(nil, 9, protowire.VarintType), 1), // unknown top-level field
		marshal(t, batchMsg(&csplanv1.Account{Arr: math.NaN()}, &csplanv1.Account{Arr: math.Inf(-1)}, &csplanv1.Account{})),
		marshal(t, batchMsg()), // an empty batch is still a batch
		tag(nil, protowire.MaxValidNumber+1, protowire.VarintType), // past the valid numbers
		{0x12, 0x05, 0x0a},                  // truncated
		tag(nil, 4, protowire.EndGroupType), // stray end of group
	}
}

func TestSuggestFrameMatchesProto(t *testing.T) {
	for _, b := range frameSeeds(t) {
		checkFrame(t, b)
	}
	// Spot checks of the rules themselves.
	f := newSuggestFrame()
	cases := []struct {
		name string
		b    []byte
		want decodedFrame
	}{
		{"batch after settings", append(marshal(t, settingsMsg(5)), marshal(t, batchMsg(&csplanv1.Account{Arr: 3}))...),
			decodedFrame{Payload: payloadBatch, ARR: []uint64{math.Float64bits(3)}}},
		{"settings merge", append(marshal(t, settingsMsg(5)), marshal(t, settingsMsg(7))...),
			decodedFrame{Payload: payloadSettings, Tiers: 7, ARR: []uint64{}}},
		{"odd account", frameSeeds(t)[7], decodedFrame{Payload: payloadBatch, ARR: []uint64{math.Float64bits(42)}}},
	}
	for _, tc := range cases {
		if err := proto.Unmarshal(tc.b, f); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, frameView(f)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	for _, b := range [][]byte{{0x12, 0x05, 0x0a}, protowire.AppendTag(nil, protowire.MaxValidNumber+1, protowire.VarintType)} {
		if err := proto.Unmarshal(b, f); err == nil {
			t.Errorf("frame accepts the invalid encoding %x", b)
		}
	}
}

// FuzzSuggestFrame: on arbitrary bytes the frame never panics; on bytes
// proto.Unmarshal accepts, and on what proto.Marshal writes of them, it
// decodes what proto.Unmarshal decodes.
func FuzzSuggestFrame(f *testing.F) {
	for _, b := range frameSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkFrame(t, b) })
}

// suggestWireStream is the server side of a stream fed from encoded
// messages: RecvMsg decodes through proto.Unmarshal, as gRPC's codec does.
type suggestWireStream struct {
	grpc.ServerStream
	ctx  context.Context
	msgs [][]byte
}

func (w *suggestWireStream) Context() context.Context { return w.ctx }

func (w *suggestWireStream) RecvMsg(m any) error {
	if len(w.msgs) == 0 {
		return io.EOF
	}
	err := proto.Unmarshal(w.msgs[0], m.(proto.Message))
	w.msgs = w.msgs[1:]
	return err
}

func (w *suggestWireStream) Recv() (*csplanv1.StreamSuggestSegmentsRequest, error) {
	m := new(csplanv1.StreamSuggestSegmentsRequest)
	return m, w.RecvMsg(m)
}

func (w *suggestWireStream) SendAndClose(*csplanv1.StreamSuggestSegmentsResponse) error { return nil }

const suggestBenchBatch = 1000

// suggestWire encodes the settings and n accounts (CRM-export shaped: id,
// name, stage, health, two attributes) in batches of suggestBenchBatch.
func suggestWire(b *testing.B, n int) [][]byte {
	full := make([]*csplanv1.Account, suggestBenchBatch)
	for i := range full {
		full[i] = fullAccount(i)
	}
	msgs := [][]byte{marshal(b, settingsMsg(8))}
	for ; n > 0; n -= suggestBenchBatch {
		msgs = append(msgs, marshal(b, batchMsg(full[:min(n, suggestBenchBatch)]...)))
	}
	return msgs
}

// BenchmarkStreamSuggestSegments measures the stream per account (run with
// -benchtime=1000000x for a book of 10^6): "decode-proto" is the generated
// decoding the frame replaces, "per-account" the frame's decoding and the
// accumulator's Add (the path that must not allocate), "handler" the whole
// call including the clustering at its end.
func BenchmarkStreamSuggestSegments(b *testing.B) {
	svc := &segmentationService{logger: slog.New(slog.DiscardHandler), maxUnaryAccounts: DefaultMaxUnaryAccounts, maxStreamAccounts: DefaultMaxStreamAccounts}
	b.Run("decode-proto", func(b *testing.B) {
		w := &suggestWireStream{ctx: context.Background(), msgs: suggestWire(b, b.N)}
		b.ReportAllocs()
		b.ResetTimer()
		for {
			if _, err := w.Recv(); err == io.EOF {
				break
			}
		}
	})
	b.Run("per-account", func(b *testing.B) {
		msgs := suggestWire(b, b.N)
		f := newSuggestFrame()
		sugg, err := capacity.NewTierSuggester(8, "settings.tiers")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for _, m := range msgs[1:] {
			if err := proto.Unmarshal(m, f); err != nil {
				b.Fatal(err)
			}
			for _, arr := range f.arr {
				if err := sugg.Add(arr); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("handler", func(b *testing.B) {
		w := &suggestWireStream{ctx: context.Background(), msgs: suggestWire(b, b.N)}
		b.ReportAllocs()
		b.ResetTimer()
		if err := svc.StreamSuggestSegments(w); err != nil {
			b.Fatal(err)
		}
	})
}
