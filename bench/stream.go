package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// streamBatch is the accounts per message of the streamed book.
const streamBatch = 2000

var (
	industries = []string{"Software", "Financial Services", "Healthcare", "Retail"}
	stages     = []string{"Onboarding", "Adoption", "Expansion", "Renewal", "At Risk"}
)

// streamRules are four segments, one matched on an attribute, with
// coverage ratios, like examples/rules.yaml.
func streamRules() *csplanv1.SegmentRules {
	f := func(x float64) *float64 { return &x }
	return &csplanv1.SegmentRules{Segments: []*csplanv1.SegmentRule{
		{Name: "Strategic", MinArr: f(150_000), AccountsPerCsm: f(8)},
		{Name: "Regulated Mid-Market", MinArr: f(20_000), AccountsPerCsm: f(40),
			Attributes: map[string]*csplanv1.AttributeValues{"industry": {Values: []string{"Financial Services", "Healthcare"}}}},
		{Name: "Mid-Market", MinArr: f(20_000), TouchModel: csplanv1.TouchModel_TOUCH_MODEL_LOW, AccountsPerCsm: f(90)},
		{Name: "SMB", MinArr: f(1), TouchModel: csplanv1.TouchModel_TOUCH_MODEL_TECH},
	}}
}

// account i of the generated book: deterministic, every id distinct.
func account(i int) *csplanv1.Account {
	h := float64(i % 101)
	return &csplanv1.Account{
		Id:          "ACC-" + strconv.Itoa(10_000_000+i),
		Name:        "Account " + strconv.Itoa(i),
		Arr:         accountARR(i),
		Stage:       stages[i%len(stages)],
		HealthScore: &h,
		Attributes:  map[string]string{"region": "EMEA", "industry": industries[(i/7)%len(industries)]},
	}
}

// accountARR spreads ARR over $1K..$300K, whole dollars.
func accountARR(i int) float64 { return float64(1000 + (i*7919)%299_000) }

func bookARR(n int) float64 {
	var sum float64
	for i := range n {
		sum += accountARR(i)
	}
	return sum
}

// wireBook is the encoded stream: the rules, then batches of accounts.
// Encoding happens before the clock starts, so that the client's
// marshalling does not pace the server.
func wireBook(n int) ([][]byte, error) {
	rules, err := proto.Marshal(&csplanv1.StreamSegmentAccountsRequest{
		Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: streamRules()}})
	if err != nil {
		return nil, err
	}
	msgs := [][]byte{rules}
	for start := 0; start < n; start += streamBatch {
		batch := &csplanv1.AccountBatch{}
		for i := start; i < min(n, start+streamBatch); i++ {
			batch.Accounts = append(batch.Accounts, account(i))
		}
		b, err := proto.Marshal(&csplanv1.StreamSegmentAccountsRequest{
			Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: batch}})
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, b)
	}
	return msgs, nil
}

// rawCodec sends pre-encoded messages as they are and decodes answers as
// protobuf.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	if b, ok := v.([]byte); ok {
		return b, nil
	}
	return proto.Marshal(v.(proto.Message))
}
func (rawCodec) Unmarshal(b []byte, v any) error { return proto.Unmarshal(b, v.(proto.Message)) }
func (rawCodec) Name() string                    { return "proto" }

// streamResult is one streamed book: its rate and what the server said.
type streamResult struct {
	accounts int
	elapsed  time.Duration
	// cpu is the server's CPU time over the call.
	cpu     time.Duration
	rssGrow int64
	rssHow  string
}

func (r streamResult) perSecond() float64 { return float64(r.accounts) / r.elapsed.Seconds() }

// streamGRPC sends the book over one StreamSegmentAccounts call.
func streamGRPC(ctx context.Context, s *served, msgs [][]byte, n int) (streamResult, error) {
	conn, err := grpc.NewClient(s.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return streamResult{}, err
	}
	defer conn.Close()
	desc := &grpc.StreamDesc{StreamName: "StreamSegmentAccounts", ClientStreams: true}
	return measureStream(s, n, func() (*csplanv1.StreamSegmentAccountsResponse, error) {
		st, err := conn.NewStream(ctx, desc, csplanv1.SegmentationService_StreamSegmentAccounts_FullMethodName, grpc.ForceCodec(rawCodec{}))
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if err := st.SendMsg(m); err != nil {
				return nil, fmt.Errorf("send: %w", err)
			}
		}
		if err := st.CloseSend(); err != nil {
			return nil, err
		}
		resp := new(csplanv1.StreamSegmentAccountsResponse)
		return resp, st.RecvMsg(resp)
	})
}

// ndjsonBook writes the book as NDJSON lines while the request streams,
// so the client holds one batch at a time.
func ndjsonBook(w *io.PipeWriter, n int) {
	rules, _ := protojson.Marshal(&csplanv1.StreamSegmentAccountsRequest{
		Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: streamRules()}})
	var buf bytes.Buffer
	buf.Write(rules)
	buf.WriteByte('\n')
	for start := 0; start < n; start += streamBatch {
		buf.WriteString(`{"batch":{"accounts":[`)
		for i := start; i < min(n, start+streamBatch); i++ {
			if i > start {
				buf.WriteByte(',')
			}
			appendAccountJSON(&buf, i)
		}
		buf.WriteString("]}}\n")
		if _, err := w.Write(buf.Bytes()); err != nil {
			return
		}
		buf.Reset()
	}
	w.Close()
}

func appendAccountJSON(buf *bytes.Buffer, i int) {
	a := account(i)
	b := buf.AvailableBuffer()
	b = append(b, `{"id":"`...)
	b = append(b, a.Id...)
	b = append(b, `","name":"`...)
	b = append(b, a.Name...)
	b = append(b, `","arr":`...)
	b = strconv.AppendFloat(b, a.Arr, 'f', -1, 64)
	b = append(b, `,"stage":"`...)
	b = append(b, a.Stage...)
	b = append(b, `","healthScore":`...)
	b = strconv.AppendFloat(b, a.GetHealthScore(), 'f', -1, 64)
	b = append(b, `,"attributes":{"region":"EMEA","industry":"`...)
	b = append(b, a.Attributes["industry"]...)
	b = append(b, `"}}`...)
	buf.Write(b)
}

// streamREST posts the book as NDJSON to the gateway's assignStream.
func streamREST(ctx context.Context, s *served, n int) (streamResult, error) {
	return measureStream(s, n, func() (*csplanv1.StreamSegmentAccountsResponse, error) {
		pr, pw := io.Pipe()
		go ndjsonBook(pw, n)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+s.httpAddr+"/v1/segments:assignStream", pr)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-ndjson")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			return nil, err
		}
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d: %.300s", res.StatusCode, body)
		}
		resp := new(csplanv1.StreamSegmentAccountsResponse)
		return resp, protojson.Unmarshal(body, resp)
	})
}

// measureStream times one streamed book, watches the server's peak RSS
// and checks the answer's totals.
func measureStream(s *served, n int, call func() (*csplanv1.StreamSegmentAccountsResponse, error)) (streamResult, error) {
	r, resp, err := timed(s, call)
	if err != nil {
		return streamResult{}, err
	}
	if got := int(resp.GetTotalAccounts()); got != n {
		return streamResult{}, fmt.Errorf("the server counted %d accounts, want %d", got, n)
	}
	if got, want := resp.GetTotalArr(), bookARR(n); math.Abs(got-want) > 1e-6*want {
		return streamResult{}, fmt.Errorf("the server summed ARR %.0f, want %.0f", got, want)
	}
	r.accounts = n
	return r, nil
}

// timed runs one streamed call, measuring its time, the server's CPU and
// its peak RSS growth.
func timed[T any](s *served, call func() (T, error)) (streamResult, T, error) {
	var zero T
	watch, err := s.watchRSS()
	if err != nil {
		return streamResult{}, zero, err
	}
	cpu0, err := s.cpuTime()
	if err != nil {
		return streamResult{}, zero, err
	}
	start := time.Now()
	resp, err := call()
	elapsed := time.Since(start)
	cpu1, cerr := s.cpuTime()
	grow, how, werr := watch.growth()
	if err != nil {
		return streamResult{}, zero, err
	}
	if werr != nil {
		return streamResult{}, zero, werr
	}
	if cerr != nil {
		return streamResult{}, zero, cerr
	}
	return streamResult{elapsed: elapsed, cpu: cpu1 - cpu0, rssGrow: grow, rssHow: how}, resp, nil
}
