package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/bookwire"
)

func fullAccount(i int) *csplanv1.Account {
	h := float64(i % 100)
	return &csplanv1.Account{
		Id: fmt.Sprintf("ACC-%07d", i), Name: fmt.Sprintf("Account %d", i), Arr: float64((i*7919)%300_000) + 0.5,
		Stage: "Adoption", HealthScore: &h, Complexity: csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_COMPLEX,
		ExpansionPotential: 1000, Attributes: map[string]string{"region": "EMEA", "industry": "Software"},
	}
}

func settingsMsg(tiers int32) *csplanv1.StreamSuggestSegmentsRequest {
	return &csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Settings{Settings: &csplanv1.SuggestSettings{Tiers: tiers}}}
}

func batchMsg(accounts ...*csplanv1.Account) *csplanv1.StreamSuggestSegmentsRequest {
	return &csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}}
}

func marshal(t testing.TB, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// suggestWireStream feeds StreamSuggestSegments.
func suggestWireStream(msgs [][]byte) *wireStream[*csplanv1.StreamSuggestSegmentsRequest, *csplanv1.StreamSuggestSegmentsResponse] {
	return &wireStream[*csplanv1.StreamSuggestSegmentsRequest, *csplanv1.StreamSuggestSegmentsResponse]{
		ctx: context.Background(), msgs: msgs, newReq: func() *csplanv1.StreamSuggestSegmentsRequest { return new(csplanv1.StreamSuggestSegmentsRequest) }}
}

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
		w := suggestWireStream(suggestWire(b, b.N))
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
		f := bookwire.New(&csplanv1.StreamSuggestSegmentsRequest{})
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
			for i := range f.Len() {
				if err := sugg.Add(f.ARR(i)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("handler", func(b *testing.B) {
		w := suggestWireStream(suggestWire(b, b.N))
		b.ReportAllocs()
		b.ResetTimer()
		if err := svc.StreamSuggestSegments(w); err != nil {
			b.Fatal(err)
		}
	})
}
