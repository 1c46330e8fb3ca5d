package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/bookwire"
)

// The benchmarks below count one op per account: run them with
// -benchtime=1000000x for a book of 10^6 accounts.

const benchBatch = 1000

func benchRules() *csplanv1.StreamSegmentAccountsRequest {
	f := func(x float64) *float64 { return &x }
	return &csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: &csplanv1.SegmentRules{
		Segments: []*csplanv1.SegmentRule{
			{Name: "Strategic", MinArr: f(150_000), AccountsPerCsm: f(8)},
			{Name: "Regulated Mid-Market", MinArr: f(20_000), AccountsPerCsm: f(40),
				Attributes: map[string]*csplanv1.AttributeValues{"industry": {Values: []string{"Financial Services", "Healthcare"}}}},
			{Name: "Mid-Market", MinArr: f(20_000), TouchModel: csplanv1.TouchModel_TOUCH_MODEL_LOW, AccountsPerCsm: f(90)},
			{Name: "SMB", MinArr: f(1), TouchModel: csplanv1.TouchModel_TOUCH_MODEL_TECH},
		},
	}}}
}

// benchBatchMessage is a batch of n accounts with a two-entry attribute
// map, the shape the design's decoding figures were measured on.
func benchBatchMessage(n int) *csplanv1.StreamSegmentAccountsRequest {
	industries := []string{"Software", "Financial Services", "Healthcare", "Retail"}
	stages := []string{"Onboarding", "Adoption", "Renewal", "At Risk"}
	batch := &csplanv1.AccountBatch{Accounts: make([]*csplanv1.Account, n)}
	for i := range batch.Accounts {
		h := float64(i % 100)
		batch.Accounts[i] = &csplanv1.Account{
			Id:          fmt.Sprintf("ACC-%07d", i),
			Name:        fmt.Sprintf("Account %d", i),
			Arr:         float64((i * 7919) % 300_000),
			Stage:       stages[i%len(stages)],
			HealthScore: &h,
			Attributes:  map[string]string{"region": "EMEA", "industry": industries[i%len(industries)]},
		}
	}
	return &csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: batch}}
}

// wireStream is the server side of a stream fed from encoded messages:
// RecvMsg decodes through proto.Unmarshal, as gRPC's codec does, and Recv
// into a fresh message, as gRPC's generated code does.
type wireStream[Req proto.Message, Resp any] struct {
	grpc.ServerStream
	ctx    context.Context
	msgs   [][]byte
	newReq func() Req
}

func (w *wireStream[Req, Resp]) Context() context.Context { return w.ctx }

func (w *wireStream[Req, Resp]) RecvMsg(m any) error {
	if len(w.msgs) == 0 {
		return io.EOF
	}
	err := proto.Unmarshal(w.msgs[0], m.(proto.Message))
	w.msgs = w.msgs[1:]
	return err
}

func (w *wireStream[Req, Resp]) Recv() (Req, error) {
	m := w.newReq()
	return m, w.RecvMsg(m)
}

func (w *wireStream[Req, Resp]) SendAndClose(Resp) error { return nil }

// segmentWireStream feeds StreamSegmentAccounts.
func segmentWireStream(msgs [][]byte) *wireStream[*csplanv1.StreamSegmentAccountsRequest, *csplanv1.StreamSegmentAccountsResponse] {
	return &wireStream[*csplanv1.StreamSegmentAccountsRequest, *csplanv1.StreamSegmentAccountsResponse]{
		ctx: context.Background(), msgs: msgs, newReq: func() *csplanv1.StreamSegmentAccountsRequest { return new(csplanv1.StreamSegmentAccountsRequest) }}
}

// benchWire encodes the rules and b.N accounts in batches of benchBatch.
func benchWire(b *testing.B) [][]byte {
	rules, err := proto.Marshal(benchRules())
	if err != nil {
		b.Fatal(err)
	}
	full, err := proto.Marshal(benchBatchMessage(benchBatch))
	if err != nil {
		b.Fatal(err)
	}
	msgs := [][]byte{rules}
	for n := b.N; n > 0; n -= benchBatch {
		if n >= benchBatch {
			msgs = append(msgs, full)
			continue
		}
		last, err := proto.Marshal(benchBatchMessage(n))
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, last)
	}
	return msgs
}

// BenchmarkStreamSegmentAccounts measures the server's stream path per
// account: "decode-proto" is proto.Unmarshal into fresh messages, the
// decoding bookwire.Frame replaces; "per-account" the frame's decoding,
// validation and counting, the steady-state path that must allocate
// nothing per account (one allocation per batch of benchBatch shows as 0
// allocs/op); "handler" the whole call, including the summary at its end.
func BenchmarkStreamSegmentAccounts(b *testing.B) {
	svc := &segmentationService{logger: slog.New(slog.DiscardHandler), maxUnaryAccounts: DefaultMaxUnaryAccounts, maxStreamAccounts: DefaultMaxStreamAccounts}
	b.Run("decode-proto", func(b *testing.B) {
		w := segmentWireStream(benchWire(b))
		b.ReportAllocs()
		b.ResetTimer()
		for {
			if _, err := w.Recv(); err == io.EOF {
				break
			}
		}
	})
	b.Run("per-account", func(b *testing.B) {
		msgs := benchWire(b)
		seg, err := capacity.NewSegmenter(segmentRulesFromProto(benchRules().GetRules().GetSegments(), nil))
		if err != nil {
			b.Fatal(err)
		}
		f := bookwire.New(&csplanv1.StreamSegmentAccountsRequest{})
		var acct capacity.Account
		b.ReportAllocs()
		b.ResetTimer()
		for _, m := range msgs[1:] {
			if err := proto.Unmarshal(m, f); err != nil {
				b.Fatal(err)
			}
			for j := range f.Len() {
				f.Account(j, &acct)
				if err := capacity.ValidateAccount(&acct, "batch.accounts", j); err != nil {
					b.Fatal(err)
				}
				seg.Add(&acct)
			}
		}
	})
	b.Run("handler", func(b *testing.B) {
		w := segmentWireStream(benchWire(b))
		b.ReportAllocs()
		b.ResetTimer()
		if err := svc.StreamSegmentAccounts(w); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkStreamSegmentAccountsBufconn runs the stream end to end in
// process: client encoding, HTTP/2 over an in-memory listener, the
// interceptors, decoding and the handler.
func BenchmarkStreamSegmentAccountsBufconn(b *testing.B) {
	srv := New(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, nil, nil) }()
	defer func() { cancel(); <-done }()
	conn, err := srv.InMemoryConn()
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	c := csplanv1.NewSegmentationServiceClient(conn)
	full := benchBatchMessage(benchBatch)

	b.ReportAllocs()
	b.ResetTimer()
	stream, err := c.StreamSegmentAccounts(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if err := stream.Send(benchRules()); err != nil {
		b.Fatal(err)
	}
	for n := b.N; n > 0; n -= benchBatch {
		msg := full
		if n < benchBatch {
			msg = benchBatchMessage(n)
		}
		if err := stream.Send(msg); err != nil {
			b.Fatal(err)
		}
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		b.Fatal(err)
	}
	if got := int(resp.GetTotalAccounts()); got != b.N {
		b.Fatalf("the server counted %d accounts, want %d", got, b.N)
	}
}
