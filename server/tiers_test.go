package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

func (s *testServer) tiers() csplanv1.SegmentationServiceClient {
	return csplanv1.NewSegmentationServiceClient(s.Conn())
}

// Sources the tier answers cite.
const (
	tierMethod       = "exact k-means of log10 ARR (Ckmeans.1d.dp, SMAWK)"
	tierMethodSource = "Wang & Song 2011; Grønlund, Larsen, Mathiasen, Nielsen, Schneider & Song 2017"
)

// decadeBook has log10 ARR 1, 2 | 4, 5 and no ARR for one account: two
// tiers with a boundary at sqrt(100 x 10,000) = 1,000, within-tier squares
// 4 x 0.5^2 = 1 against 4 + 1 + 1 + 4 = 10 about the mean 3, so a fit of
// 0.9. Five accounts: the top 10% and 20% are both the $100K account.
var decadeBook = []float64{100, 100000, 0, 10, 10000}

func decadeWant() *csplanv1.SuggestSegmentsResponse {
	const total = 110110
	return &csplanv1.SuggestSegmentsResponse{
		Tiers: []*csplanv1.SuggestedTier{
			{Name: "Tier 1", MinArr: 10000, MaxArr: 100000, SuggestedMinArr: 1000, Accounts: 2, Arr: 110000, ArrShare: 110000.0 / total},
			{Name: "Tier 2", MinArr: 10, MaxArr: 100, SuggestedMinArr: 0, Accounts: 2, Arr: 110, ArrShare: 110.0 / total},
		},
		GoodnessOfVarianceFit: 0.9,
		ZeroArrAccounts:       1,
		Top10PercentArrShare:  100000.0 / total,
		Top20PercentArrShare:  100000.0 / total,
		Assumptions: []*csplanv1.Assumption{
			{Name: "tiers", Value: "2", Source: "request"},
			{Name: "method", Value: tierMethod, Source: tierMethodSource},
		},
	}
}

func accountsOf(arr []float64) []*csplanv1.Account {
	out := make([]*csplanv1.Account, len(arr))
	for i, a := range arr {
		out[i] = &csplanv1.Account{Id: fmt.Sprintf("A%d", i), Name: "Account", Arr: a, Stage: "Adoption",
			Attributes: map[string]string{"region": "EMEA"}}
	}
	return out
}

func TestSuggestSegmentsGRPC(t *testing.T) {
	s := newTestServer(t)
	for _, tc := range []struct {
		name string
		req  *csplanv1.SuggestSegmentsRequest
	}{
		{"arr", &csplanv1.SuggestSegmentsRequest{Arr: decadeBook, Tiers: 2}},
		{"accounts", &csplanv1.SuggestSegmentsRequest{Accounts: accountsOf(decadeBook), Tiers: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.tiers().SuggestSegments(context.Background(), tc.req)
			if err != nil {
				t.Fatalf("SuggestSegments: %v", err)
			}
			if diff := diffTiers(decadeWant(), got); diff != "" {
				t.Errorf("SuggestSegments (-want +got):\n%s", diff)
			}
		})
	}
}

// diffTiers compares answers with doubles equal to 1e-12 relative: the fit
// is computed through logarithms.
func diffTiers(want, got proto.Message) string {
	return cmp.Diff(want, got, protocmp.Transform(), cmp.Comparer(func(a, b float64) bool {
		return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
	}))
}

func TestSuggestSegmentsDefaultTiers(t *testing.T) {
	s := newTestServer(t)
	// Three groups a decade and more apart: $1K, $50K, $2M.
	got, err := s.tiers().SuggestSegments(context.Background(), &csplanv1.SuggestSegmentsRequest{
		Arr: []float64{1200, 52000, 1000, 2.1e6, 48000, 1100, 2e6, 50000},
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var bounds []float64
	for _, tr := range got.GetTiers() {
		names = append(names, tr.GetName())
		bounds = append(bounds, tr.GetSuggestedMinArr())
	}
	// sqrt(52,000 x 2M) = 322,490 and sqrt(1,200 x 48,000) = 7,589, to two
	// significant figures.
	if diff := cmp.Diff([]string{"Tier 1", "Tier 2", "Tier 3"}, names); diff != "" {
		t.Errorf("tier names (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{320000, 7600, 0}, bounds); diff != "" {
		t.Errorf("suggested boundaries (-want +got):\n%s", diff)
	}
	wantTiers := &csplanv1.Assumption{Name: "tiers", Value: "3", Source: "assumption: three tiers, one per touch model (high, low, tech)"}
	if diff := cmp.Diff(wantTiers, got.GetAssumptions()[0], protocmp.Transform()); diff != "" {
		t.Errorf("tiers assumption (-want +got):\n%s", diff)
	}
}

// suggestMessages opens a stream with the settings and sends the book in
// batches of n accounts.
func suggestMessages(tiers int32, book []*csplanv1.Account, n int) []*csplanv1.StreamSuggestSegmentsRequest {
	msgs := []*csplanv1.StreamSuggestSegmentsRequest{{Payload: &csplanv1.StreamSuggestSegmentsRequest_Settings{Settings: &csplanv1.SuggestSettings{Tiers: tiers}}}}
	for i := 0; i < len(book); i += n {
		batch := &csplanv1.AccountBatch{Accounts: book[i:min(i+n, len(book))]}
		msgs = append(msgs, &csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Batch{Batch: batch}})
	}
	return msgs
}

func sendSuggestStream(ctx context.Context, c csplanv1.SegmentationServiceClient, msgs []*csplanv1.StreamSuggestSegmentsRequest) (*csplanv1.StreamSuggestSegmentsResponse, error) {
	stream, err := c.StreamSuggestSegments(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		if err := stream.Send(m); err != nil {
			break // the server has answered; CloseAndRecv says how
		}
	}
	return stream.CloseAndRecv()
}

// streamOf is the stream answer a unary answer stands for.
func streamOf(u *csplanv1.SuggestSegmentsResponse) *csplanv1.StreamSuggestSegmentsResponse {
	return &csplanv1.StreamSuggestSegmentsResponse{
		Tiers:                 u.GetTiers(),
		GoodnessOfVarianceFit: u.GetGoodnessOfVarianceFit(),
		ZeroArrAccounts:       u.GetZeroArrAccounts(),
		Top10PercentArrShare:  u.GetTop10PercentArrShare(),
		Top20PercentArrShare:  u.GetTop20PercentArrShare(),
		Assumptions:           u.GetAssumptions(),
	}
}

// syntheticBook is a book of n accounts, log-normal ARR in cents with
// every 13th account at zero.
func syntheticBook(n int) []*csplanv1.Account {
	arr := make([]float64, n)
	x := uint64(88172645463325252)
	for i := range arr {
		// xorshift: deterministic without a seeded global.
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		u := (float64(x>>11) + 0.5) / (1 << 53)
		if i%13 != 0 {
			arr[i] = math.Round(math.Exp(10+3*(u-0.5))*100) / 100
		}
	}
	return accountsOf(arr)
}

func TestStreamSuggestSegmentsGRPC(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	got, err := sendSuggestStream(ctx, s.tiers(), suggestMessages(2, accountsOf(decadeBook), 2))
	if err != nil {
		t.Fatalf("StreamSuggestSegments: %v", err)
	}
	if diff := diffTiers(streamOf(decadeWant()), got); diff != "" {
		t.Errorf("StreamSuggestSegments (-want +got):\n%s", diff)
	}

	// A larger book: the stream, in batches of any size, gives exactly the
	// unary answer.
	book := syntheticBook(5000)
	unary, err := s.tiers().SuggestSegments(ctx, &csplanv1.SuggestSegmentsRequest{Accounts: book, Tiers: 6})
	if err != nil {
		t.Fatal(err)
	}
	if len(unary.GetTiers()) != 6 || unary.GetZeroArrAccounts() != 385 {
		t.Fatalf("unary answer has %d tiers and %d zero-ARR accounts, want 6 and 385", len(unary.GetTiers()), unary.GetZeroArrAccounts())
	}
	for _, n := range []int{1, 777, 5000} {
		got, err := sendSuggestStream(ctx, s.tiers(), suggestMessages(6, book, n))
		if err != nil {
			t.Fatalf("stream in batches of %d: %v", n, err)
		}
		if diff := cmp.Diff(streamOf(unary), got, protocmp.Transform()); diff != "" {
			t.Errorf("stream in batches of %d differs from the unary call (-unary +stream):\n%s", n, diff)
		}
	}
}

func TestSuggestSegmentsREST(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()

	req := &csplanv1.SuggestSegmentsRequest{Arr: decadeBook, Tiers: 2}
	body, err := protojson.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	code, resp := s.Do(http.MethodPost, "/v1/segments:suggest", string(body))
	if code != http.StatusOK {
		t.Fatalf("POST /v1/segments:suggest = %d %s", code, resp)
	}
	gotREST := &csplanv1.SuggestSegmentsResponse{}
	if err := protojson.Unmarshal(resp, gotREST); err != nil {
		t.Fatalf("%v\n%s", err, resp)
	}
	gotGRPC, err := s.tiers().SuggestSegments(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(gotGRPC, gotREST, protocmp.Transform()); diff != "" {
		t.Errorf("REST differs from gRPC (-grpc +rest):\n%s", diff)
	}

	// What a frontend reads: lowerCamelCase names as the contract spells
	// them, the lowest tier's zero boundary rendered.
	var shape struct {
		Top10 *float64 `json:"top10PercentArrShare"`
		Top20 *float64 `json:"top20PercentArrShare"`
		Fit   *float64 `json:"goodnessOfVarianceFit"`
		Zero  *int     `json:"zeroArrAccounts"`
		Tiers []struct {
			SuggestedMinArr *float64 `json:"suggestedMinArr"`
		} `json:"tiers"`
	}
	if err := json.Unmarshal(resp, &shape); err != nil {
		t.Fatal(err)
	}
	if shape.Top10 == nil || shape.Top20 == nil || shape.Fit == nil || shape.Zero == nil || len(shape.Tiers) != 2 || shape.Tiers[1].SuggestedMinArr == nil {
		t.Errorf("JSON lacks top10PercentArrShare, top20PercentArrShare, goodnessOfVarianceFit, zeroArrAccounts or a rendered 0 boundary:\n%s", resp)
	}

	// The stream as newline-delimited JSON, as a curl user writes it.
	lines := `{"settings":{"tiers":2}}` + "\n" +
		`{"batch":{"accounts":[{"arr":100},{"arr":100000}]}}` + "\n" +
		`{"batch":{"accounts":[{"id":"no-arr"},{"arr":10,"name":"Small"},{"arr":10000,"attributes":{"region":"NA"}}]}}` + "\n"
	code, resp = s.Do(http.MethodPost, "/v1/segments:suggestStream", lines)
	if code != http.StatusOK {
		t.Fatalf("POST /v1/segments:suggestStream = %d %s", code, resp)
	}
	gotStream := &csplanv1.StreamSuggestSegmentsResponse{}
	if err := protojson.Unmarshal(resp, gotStream); err != nil {
		t.Fatalf("%v\n%s", err, resp)
	}
	if diff := cmp.Diff(streamOf(gotGRPC), gotStream, protocmp.Transform()); diff != "" {
		t.Errorf("NDJSON stream differs from the unary call (-unary +stream):\n%s", diff)
	}
}

func TestSuggestSegmentsInvalidArgumentGRPC(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	settings := func(tiers int32) *csplanv1.StreamSuggestSegmentsRequest {
		return &csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Settings{Settings: &csplanv1.SuggestSettings{Tiers: tiers}}}
	}
	batch := func(arr ...float64) *csplanv1.StreamSuggestSegmentsRequest {
		return &csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accountsOf(arr)}}}
	}
	unary := []struct {
		name string
		req  *csplanv1.SuggestSegmentsRequest
		want []string
	}{
		{"one tier", &csplanv1.SuggestSegmentsRequest{Arr: []float64{1, 2}, Tiers: 1}, []string{"tiers"}},
		{"nine tiers", &csplanv1.SuggestSegmentsRequest{Arr: []float64{1, 2}, Tiers: 9}, []string{"tiers"}},
		{"negative ARR", &csplanv1.SuggestSegmentsRequest{Arr: []float64{1, -2, 3}}, []string{"arr[1]"}},
		{"infinite account ARR", &csplanv1.SuggestSegmentsRequest{Accounts: accountsOf([]float64{math.Inf(1)})}, []string{"accounts[0].arr"}},
		{"arr and accounts", &csplanv1.SuggestSegmentsRequest{Arr: []float64{1}, Accounts: accountsOf([]float64{2})}, []string{"accounts"}},
	}
	for _, tc := range unary {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.tiers().SuggestSegments(ctx, tc.req)
			if diff := cmp.Diff(tc.want, tierFields(t, err)); diff != "" {
				t.Errorf("field violations (-want +got):\n%s", diff)
			}
		})
	}
	streams := []struct {
		name string
		msgs []*csplanv1.StreamSuggestSegmentsRequest
		want []string
	}{
		{"empty stream", nil, []string{"settings"}},
		{"batch before the settings", []*csplanv1.StreamSuggestSegmentsRequest{batch(1, 2), settings(3)}, []string{"settings"}},
		{"settings twice", []*csplanv1.StreamSuggestSegmentsRequest{settings(3), batch(1), settings(3)}, []string{"settings"}},
		{"nine tiers", []*csplanv1.StreamSuggestSegmentsRequest{settings(9), batch(1)}, []string{"settings.tiers"}},
		{"one tier", []*csplanv1.StreamSuggestSegmentsRequest{settings(1)}, []string{"settings.tiers"}},
		{"negative ARR", []*csplanv1.StreamSuggestSegmentsRequest{settings(3), batch(1, 2), batch(3, -4)}, []string{"batch.accounts[1].arr"}},
		{"empty message", []*csplanv1.StreamSuggestSegmentsRequest{settings(3), {}}, []string{"payload"}},
	}
	for _, tc := range streams {
		t.Run("stream "+tc.name, func(t *testing.T) {
			_, err := sendSuggestStream(ctx, s.tiers(), tc.msgs)
			if diff := cmp.Diff(tc.want, tierFields(t, err)); diff != "" {
				t.Errorf("field violations (-want +got):\n%s", diff)
			}
		})
	}
	// Where in the stream: the third message, the fourth account.
	_, err := sendSuggestStream(ctx, s.tiers(), []*csplanv1.StreamSuggestSegmentsRequest{settings(3), batch(1, 2), batch(3, -4)})
	if msg := status.Convert(err).Message(); !strings.Contains(msg, "message 3, account 3 of the stream") {
		t.Errorf("error %q does not say where the value sits in the stream", msg)
	}
	if _, err := s.tiers().SuggestSegments(ctx, &csplanv1.SuggestSegmentsRequest{Arr: []float64{1}}); err != nil {
		t.Errorf("after bad requests SuggestSegments = %v, want an answer", err)
	}
}

// tierFields checks that err is InvalidArgument and returns its fields.
func tierFields(t *testing.T, err error) []string {
	t.Helper()
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("code = %v, want InvalidArgument (%v)", st.Code(), err)
	}
	return badRequestFields(st)
}

func TestSuggestSegmentsInvalidArgumentREST(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, route, body string
		wantField         string
	}{
		{"one tier", "/v1/segments:suggest", `{"arr":[1,2],"tiers":1}`, "tiers"},
		{"nine tiers", "/v1/segments:suggest", `{"arr":[1,2],"tiers":9}`, "tiers"},
		{"NaN", "/v1/segments:suggest", `{"arr":[1,"NaN"]}`, "arr[1]"},
		{"negative account ARR", "/v1/segments:suggest", `{"accounts":[{"id":"a","arr":-1}]}`, "accounts[0].arr"},
		{"stream starts with a batch", "/v1/segments:suggestStream",
			`{"batch":{"accounts":[{"arr":1000}]}}` + "\n" + `{"settings":{"tiers":3}}` + "\n", "settings"},
		{"stream with nine tiers", "/v1/segments:suggestStream", `{"settings":{"tiers":9}}` + "\n", "settings.tiers"},
		{"stream with a negative ARR", "/v1/segments:suggestStream",
			`{"settings":{"tiers":3}}` + "\n" + `{"batch":{"accounts":[{"arr":1000},{"arr":-5}]}}` + "\n", "batch.accounts[1].arr"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := s.Do(http.MethodPost, tc.route, tc.body)
			if code != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400: %s", code, body)
			}
			if fields := restFields(t, body); !contains(fields, tc.wantField) {
				t.Errorf("field violations %v lack %q\n%s", fields, tc.wantField, body)
			}
		})
	}
}

func TestSuggestSegmentsLimits(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{MaxUnaryAccounts: 4, MaxStreamAccounts: 5})
	c := csplanv1.NewSegmentationServiceClient(srv.Conn())
	ctx := context.Background()

	// Unary: at the limit served, past it refused with the stream named.
	if _, err := c.SuggestSegments(ctx, &csplanv1.SuggestSegmentsRequest{Arr: []float64{1, 2, 3, 4}}); err != nil {
		t.Errorf("4 values at a limit of 4: %v", err)
	}
	_, err := c.SuggestSegments(ctx, &csplanv1.SuggestSegmentsRequest{Accounts: accountsOf([]float64{1, 2, 3, 4, 5})})
	if diff := cmp.Diff([]string{"accounts"}, tierFields(t, err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	for _, want := range []string{"StreamSuggestSegments", "POST /v1/segments:suggestStream", "4 one call"} {
		if msg := status.Convert(err).Message(); !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %q", msg, want)
		}
	}

	// Stream: at the limit served, past it refused with the limit named.
	book := accountsOf([]float64{1, 2, 3, 4, 5, 6})
	if _, err := sendSuggestStream(ctx, c, suggestMessages(2, book[:5], 2)); err != nil {
		t.Errorf("a stream of exactly 5 accounts: %v", err)
	}
	_, err = sendSuggestStream(ctx, c, suggestMessages(2, book, 2))
	if diff := cmp.Diff([]string{"batch.accounts"}, tierFields(t, err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if msg := status.Convert(err).Message(); !strings.Contains(msg, "past 5 accounts") {
		t.Errorf("error %q does not name the limit of 5 accounts", msg)
	}
	var lines strings.Builder
	for _, m := range suggestMessages(2, book, 4) {
		b, err := protojson.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		lines.Write(b)
		lines.WriteByte('\n')
	}
	resp, body := httpDo(t, http.DefaultClient, http.MethodPost, srv.URL+"/v1/segments:suggestStream", lines.String(), nil)
	if resp.StatusCode != http.StatusBadRequest || !contains(restFields(t, []byte(body)), "batch.accounts") {
		t.Errorf("NDJSON stream past the limit = %d %s, want 400 on batch.accounts", resp.StatusCode, body)
	}
}

// TestStreamSuggestSegmentsCancelled checks that a client that gives up
// ends the call, and the server keeps serving.
func TestStreamSuggestSegmentsCancelled(t *testing.T) {
	s := newTestServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := s.tiers().StreamSuggestSegments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range suggestMessages(3, syntheticBook(100), 10) {
		if err := stream.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	// Cancelled before the half-close: the only answer is the
	// cancellation (see TestStreamCancelled).
	cancel()
	if err := stream.RecvMsg(new(csplanv1.StreamSuggestSegmentsResponse)); status.Code(err) != codes.Canceled {
		t.Errorf("the answer after cancel = %v, want Canceled", err)
	}
	if _, err := sendSuggestStream(context.Background(), s.tiers(), suggestMessages(3, syntheticBook(100), 10)); err != nil {
		t.Errorf("a stream after a cancelled one: %v", err)
	}
}
