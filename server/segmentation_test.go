package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

func (s *testServer) segmentation() csplanv1.SegmentationServiceClient {
	return csplanv1.NewSegmentationServiceClient(s.Conn())
}

// segRules are three segments: an ARR band with a coverage ratio, an
// attribute rule on the touch model's default, and a catch-all above $0.
func segRules() []*csplanv1.SegmentRule {
	return []*csplanv1.SegmentRule{
		{Name: "Enterprise", MinArr: f64(100_000), AccountsPerCsm: f64(10)},
		{Name: "EMEA", TouchModel: csplanv1.TouchModel_TOUCH_MODEL_LOW,
			Attributes: map[string]*csplanv1.AttributeValues{"region": {Values: []string{"EMEA"}}}},
		{Name: "Rest", MinArr: f64(1), TouchModel: csplanv1.TouchModel_TOUCH_MODEL_TECH},
	}
}

// segBook is six accounts: Enterprise 150K and 250K, EMEA 20K and 40K,
// Rest 5K, and one at $0 that no rule takes.
func segBook() []*csplanv1.Account {
	emea := map[string]string{"region": "emea"}
	return []*csplanv1.Account{
		{Id: "a1", Arr: 150_000, Stage: "Adoption"},
		{Id: "a2", Arr: 20_000, Stage: "Renewal", Attributes: emea},
		{Id: "a3", Arr: 250_000, Stage: "adoption", Attributes: emea},
		{Id: "a4", Arr: 5_000, Stage: "Onboarding", Attributes: map[string]string{"region": "NA"}},
		{Id: "a5", Arr: 40_000, Stage: "Renewal", Attributes: emea},
		{Id: "a6", Arr: 0, Stage: "Trial"},
	}
}

// segWant is what segRules make of segBook.
func segWant() *csplanv1.SegmentAccountsResponse {
	const total = 465_000.0
	return &csplanv1.SegmentAccountsResponse{
		Segments: []*csplanv1.SegmentSummary{
			{
				Name: "Enterprise", TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH, Accounts: 2, Arr: 400_000, ArrMean: 200_000,
				// p90: rank 0.9, 150K + 0.9 x 100K.
				ArrMedian: 200_000, ArrP90: 240_000, AccountShare: 2.0 / 6, ArrShare: 400_000 / total,
				StageCounts:    []*csplanv1.StageCount{{Stage: "Adoption", Accounts: 2}},
				AccountsPerCsm: 10, CsmFte: 0.2, CsmHeadcount: 1,
			},
			{
				Name: "EMEA", TouchModel: csplanv1.TouchModel_TOUCH_MODEL_LOW, Accounts: 2, Arr: 60_000, ArrMean: 30_000,
				ArrMedian: 30_000, ArrP90: 38_000, AccountShare: 2.0 / 6, ArrShare: 60_000 / total,
				StageCounts:    []*csplanv1.StageCount{{Stage: "Renewal", Accounts: 2}},
				AccountsPerCsm: 125, CsmFte: 2.0 / 125, CsmHeadcount: 1,
			},
			{
				Name: "Rest", TouchModel: csplanv1.TouchModel_TOUCH_MODEL_TECH, Accounts: 1, Arr: 5_000, ArrMean: 5_000,
				ArrMedian: 5_000, ArrP90: 5_000, AccountShare: 1.0 / 6, ArrShare: 5_000 / total,
				StageCounts:    []*csplanv1.StageCount{{Stage: "Onboarding", Accounts: 1}},
				AccountsPerCsm: 1000, CsmFte: 0.001, CsmHeadcount: 1,
			},
		},
		Unassigned: &csplanv1.SegmentSummary{
			Name: "unassigned", Accounts: 1, AccountShare: 1.0 / 6,
			StageCounts: []*csplanv1.StageCount{{Stage: "Trial", Accounts: 1}},
		},
		TotalAccounts: 6,
		TotalArr:      total,
		Excluded:      &csplanv1.SegmentSummary{Name: "excluded"},
		Assignments: []*csplanv1.Assignment{
			{AccountId: "a1", Segment: "Enterprise"}, {AccountId: "a2", Segment: "EMEA"}, {AccountId: "a3", Segment: "Enterprise"},
			{AccountId: "a4", Segment: "Rest"}, {AccountId: "a5", Segment: "EMEA"}, {AccountId: "a6", Segment: "unassigned"},
		},
		Assumptions: []*csplanv1.Assumption{
			{Name: "segments[0].touch_model", Value: "TOUCH_MODEL_HIGH", Source: "assumption: dedicated CSMs, the model seeds 000/001 describe"},
			{Name: "segments[0].accounts_per_csm", Value: "10", Source: "request"},
			{Name: "segments[1].accounts_per_csm", Value: "125", Source: "assumption: the ideal accounts per CSM of TOUCH_MODEL_LOW"},
			{Name: "segments[2].accounts_per_csm", Value: "1000", Source: "assumption: the ideal accounts per CSM of TOUCH_MODEL_TECH"},
		},
	}
}

// diffProto compares messages with doubles equal to 1e-6 relative: the
// hand-computed figures are written as fractions.
func diffProto(want, got proto.Message) string {
	return cmp.Diff(want, got, protocmp.Transform(), cmp.Comparer(func(a, b float64) bool { return approx(a, b) }))
}

func TestSegmentAccountsGRPC(t *testing.T) {
	s := newTestServer(t)
	got, err := s.segmentation().SegmentAccounts(context.Background(), &csplanv1.SegmentAccountsRequest{
		Segments: segRules(), Accounts: segBook(), IncludeAssignments: true,
	})
	if err != nil {
		t.Fatalf("SegmentAccounts: %v", err)
	}
	if diff := diffProto(segWant(), got); diff != "" {
		t.Errorf("SegmentAccounts (-want +got):\n%s", diff)
	}

	got, err = s.segmentation().SegmentAccounts(context.Background(), &csplanv1.SegmentAccountsRequest{Segments: segRules(), Accounts: segBook()})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.GetAssignments()); n != 0 {
		t.Errorf("got %d assignments without include_assignments, want none", n)
	}
}

// streamWant is the unary answer as the stream gives it: the same fields
// less the assignments.
func streamWant(u *csplanv1.SegmentAccountsResponse) *csplanv1.StreamSegmentAccountsResponse {
	return &csplanv1.StreamSegmentAccountsResponse{
		Segments: u.GetSegments(), Unassigned: u.GetUnassigned(), TotalAccounts: u.GetTotalAccounts(),
		TotalArr: u.GetTotalArr(), Assumptions: u.GetAssumptions(), Excluded: u.GetExcluded(),
	}
}

// streamMessages splits a book into the stream's messages: the rules, then
// batches of n accounts.
func streamMessages(rules []*csplanv1.SegmentRule, book []*csplanv1.Account, n int) []*csplanv1.StreamSegmentAccountsRequest {
	msgs := []*csplanv1.StreamSegmentAccountsRequest{{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: &csplanv1.SegmentRules{Segments: rules}}}}
	for len(book) > 0 {
		k := min(n, len(book))
		msgs = append(msgs, &csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: book[:k]}}})
		book = book[k:]
	}
	return msgs
}

func sendStream(ctx context.Context, c csplanv1.SegmentationServiceClient, msgs []*csplanv1.StreamSegmentAccountsRequest) (*csplanv1.StreamSegmentAccountsResponse, error) {
	stream, err := c.StreamSegmentAccounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		if err := stream.Send(m); err != nil {
			// The server answered early; CloseAndRecv has its status.
			break
		}
	}
	return stream.CloseAndRecv()
}

// TestStreamSegmentAccountsGRPC checks that the stream, in batches of any
// size, answers as the unary call does.
func TestStreamSegmentAccountsGRPC(t *testing.T) {
	s := newTestServer(t)
	unary, err := s.segmentation().SegmentAccounts(context.Background(), &csplanv1.SegmentAccountsRequest{Segments: segRules(), Accounts: segBook()})
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range []int{1, 4, 6} {
		t.Run(fmt.Sprint("batches of ", batch), func(t *testing.T) {
			got, err := sendStream(context.Background(), s.segmentation(), streamMessages(segRules(), segBook(), batch))
			if err != nil {
				t.Fatalf("StreamSegmentAccounts: %v", err)
			}
			if diff := cmp.Diff(streamWant(unary), got, protocmp.Transform()); diff != "" {
				t.Errorf("stream differs from unary (-unary +stream):\n%s", diff)
			}
		})
	}
	t.Run("rules only", func(t *testing.T) {
		got, err := sendStream(context.Background(), s.segmentation(), streamMessages(segRules(), nil, 1))
		if err != nil {
			t.Fatal(err)
		}
		if got.GetTotalAccounts() != 0 || got.GetUnassigned().GetName() != "unassigned" || len(got.GetSegments()) != 3 {
			t.Errorf("empty book = %v, want 3 empty segments and an empty unassigned", got)
		}
	})
}

// ndjson writes stream messages as the REST route takes them: one JSON
// message per line.
func ndjson(t *testing.T, msgs []*csplanv1.StreamSegmentAccountsRequest) string {
	t.Helper()
	var b strings.Builder
	for _, m := range msgs {
		line, err := protojson.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestSegmentationREST(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	unaryReq := &csplanv1.SegmentAccountsRequest{Segments: segRules(), Accounts: segBook(), IncludeAssignments: true}
	unary, err := s.segmentation().SegmentAccounts(ctx, unaryReq)
	if err != nil {
		t.Fatal(err)
	}

	body, err := protojson.Marshal(unaryReq)
	if err != nil {
		t.Fatal(err)
	}
	code, resp := s.Do(http.MethodPost, "/v1/segments:assign", string(body))
	if code != http.StatusOK {
		t.Fatalf("POST /v1/segments:assign = %d %s", code, resp)
	}
	gotUnary := &csplanv1.SegmentAccountsResponse{}
	if err := protojson.Unmarshal(resp, gotUnary); err != nil {
		t.Fatalf("%v\n%s", err, resp)
	}
	if diff := cmp.Diff(unary, gotUnary, protocmp.Transform()); diff != "" {
		t.Errorf("REST differs from gRPC (-grpc +rest):\n%s", diff)
	}

	code, resp = s.Do(http.MethodPost, "/v1/segments:assignStream", ndjson(t, streamMessages(segRules(), segBook(), 2)))
	if code != http.StatusOK {
		t.Fatalf("POST /v1/segments:assignStream = %d %s", code, resp)
	}
	gotStream := &csplanv1.StreamSegmentAccountsResponse{}
	if err := protojson.Unmarshal(resp, gotStream); err != nil {
		t.Fatalf("%v\n%s", err, resp)
	}
	if diff := cmp.Diff(streamWant(unary), gotStream, protocmp.Transform()); diff != "" {
		t.Errorf("NDJSON stream differs from the unary call (-unary +stream):\n%s", diff)
	}

	// The literal form a curl user writes, with the unassigned summary
	// rendered with zero counts.
	lines := `{"rules":{"segments":[{"name":"All","minArr":1}]}}` + "\n" +
		`{"batch":{"accounts":[{"id":"x","arr":10,"stage":"Adoption"}]}}` + "\n" +
		`{"batch":{"accounts":[{"id":"y","arr":30,"stage":"adoption"}]}}` + "\n"
	code, resp = s.Do(http.MethodPost, "/v1/segments:assignStream", lines)
	if code != http.StatusOK {
		t.Fatalf("POST /v1/segments:assignStream = %d %s", code, resp)
	}
	for _, want := range []string{`"totalAccounts":2`, `"arrMedian":20`, `"unassigned":{"name":"unassigned","touchModel":"TOUCH_MODEL_UNSPECIFIED","accounts":0`} {
		if !strings.Contains(strings.ReplaceAll(string(resp), " ", ""), want) {
			t.Errorf("stream answer lacks %s:\n%s", want, resp)
		}
	}
}

func TestSegmentAccountsUnaryLimit(t *testing.T) {
	s := newTestServer(t)
	book := make([]*csplanv1.Account, server.DefaultMaxUnaryAccounts+1)
	for i := range book {
		book[i] = &csplanv1.Account{Id: fmt.Sprint(i), Arr: 1}
	}
	_, err := s.segmentation().SegmentAccounts(context.Background(), &csplanv1.SegmentAccountsRequest{Segments: segRules(), Accounts: book})
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("code = %v, want InvalidArgument (%v)", st.Code(), err)
	}
	if diff := cmp.Diff([]string{"accounts"}, badRequestFields(st)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	// The reason is what a person acts on: it names the stream and the
	// limit.
	for _, want := range []string{"StreamSegmentAccounts", "/v1/segments:assignStream", fmt.Sprint(server.DefaultMaxUnaryAccounts)} {
		if !strings.Contains(st.Message(), want) {
			t.Errorf("error %q does not name %s", st.Message(), want)
		}
	}
	// At the limit the call is served.
	if _, err := s.segmentation().SegmentAccounts(context.Background(), &csplanv1.SegmentAccountsRequest{Segments: segRules(), Accounts: book[1:]}); err != nil {
		t.Errorf("a book of exactly %d accounts: %v", len(book)-1, err)
	}
}

func TestSegmentationInvalidArgumentGRPC(t *testing.T) {
	s := newTestServer(t)
	batch := func(accounts ...*csplanv1.Account) *csplanv1.StreamSegmentAccountsRequest {
		return &csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}}
	}
	rules := func(r ...*csplanv1.SegmentRule) *csplanv1.StreamSegmentAccountsRequest {
		return &csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: &csplanv1.SegmentRules{Segments: r}}}
	}
	badRules := []*csplanv1.SegmentRule{
		{Name: "A", MinArr: f64(10), MaxArr: f64(5)},
		{Name: "a", AccountsPerCsm: f64(5), Playbook: &csplanv1.Playbook{}},
	}
	ok := &csplanv1.Account{Id: "ok", Arr: 10}
	t.Run("unary", func(t *testing.T) {
		_, err := s.segmentation().SegmentAccounts(context.Background(), &csplanv1.SegmentAccountsRequest{
			Segments: badRules,
			Accounts: []*csplanv1.Account{ok, {Id: "neg", Arr: -1}, {Arr: 5}},
		})
		want := []string{"segments[1].name", "segments[0].min_arr", "segments[1].accounts_per_csm", "accounts[1].arr", "accounts[2].id"}
		if diff := cmp.Diff(want, invalidFields(t, err)); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	})
	streams := []struct {
		name string
		msgs []*csplanv1.StreamSegmentAccountsRequest
		want []string
	}{
		{"empty stream", nil, []string{"rules"}},
		{"batch first", []*csplanv1.StreamSegmentAccountsRequest{batch(ok), rules(segRules()...)}, []string{"rules"}},
		{"rules twice", []*csplanv1.StreamSegmentAccountsRequest{rules(segRules()...), batch(ok), rules(segRules()...)}, []string{"rules"}},
		{"empty message", []*csplanv1.StreamSegmentAccountsRequest{rules(segRules()...), {}}, []string{"payload"}},
		{"bad rules", []*csplanv1.StreamSegmentAccountsRequest{rules(badRules...)}, []string{"rules.segments[1].name", "rules.segments[0].min_arr", "rules.segments[1].accounts_per_csm"}},
		{"bad account in the second batch", []*csplanv1.StreamSegmentAccountsRequest{rules(segRules()...), batch(ok), batch(ok, &csplanv1.Account{Id: "x", Arr: -3, Complexity: 9})},
			[]string{"batch.accounts[1].arr", "batch.accounts[1].complexity"}},
	}
	for _, tc := range streams {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sendStream(context.Background(), s.segmentation(), tc.msgs)
			if diff := cmp.Diff(tc.want, invalidFields(t, err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

// invalidFields checks that err is InvalidArgument and returns its fields.
func invalidFields(t *testing.T, err error) []string {
	t.Helper()
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("code = %v, want InvalidArgument (%v)", st.Code(), err)
	}
	return badRequestFields(st)
}

func TestSegmentationInvalidArgumentREST(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, route, body string
		wantField         string
	}{
		{"duplicate names", "/v1/segments:assign", `{"segments":[{"name":"A"},{"name":" a"}],"accounts":[{"id":"1"}]}`, "segments[1].name"},
		{"negative ARR", "/v1/segments:assign", `{"segments":[{"name":"A"}],"accounts":[{"id":"1","arr":-5}]}`, "accounts[0].arr"},
		{"health range inverted", "/v1/segments:assign", `{"segments":[{"name":"A","minHealth":80,"maxHealth":20}]}`, "segments[0].minHealth"},
		{"stream starts with a batch", "/v1/segments:assignStream", `{"batch":{"accounts":[{"id":"1"}]}}` + "\n" + `{"rules":{"segments":[{"name":"A"}]}}` + "\n", "rules"},
		{"bad account in a stream", "/v1/segments:assignStream", `{"rules":{"segments":[{"name":"A"}]}}` + "\n" + `{"batch":{"accounts":[{"id":"1","arr":"NaN"}]}}` + "\n", "batch.accounts[0].arr"},
		{"coverage without a loaded cost", "/v1/coverage:plan", `{"segments":[{"name":"A","accounts":10,"arr":100}]}`, "csmLoadedCost"},
		{"coverage ratio and playbook", "/v1/coverage:plan", `{"csmLoadedCost":1,"segments":[{"name":"A","accounts":10,"arr":100,"accountsPerCsm":5,"playbook":{}}]}`, "segments[0].accountsPerCsm"},
		{"coverage share as a percentage", "/v1/coverage:plan", `{"csmLoadedCost":1,"maxCostShare":25,"segments":[{"name":"A","accounts":10,"arr":100}]}`, "maxCostShare"},
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
	if code, body := s.Do(http.MethodPost, "/v1/segments:assign", `{"segments":[{"name":"A"}],"accounts":[{"id":"1"}]}`); code != http.StatusOK {
		t.Errorf("after bad requests POST /v1/segments:assign = %d %s, want 200", code, body)
	}
}

func TestStreamAccountLimit(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{MaxStreamAccounts: 5})
	c := csplanv1.NewSegmentationServiceClient(srv.Conn())
	book := make([]*csplanv1.Account, 6)
	for i := range book {
		book[i] = &csplanv1.Account{Id: fmt.Sprint(i), Arr: 100}
	}
	if _, err := sendStream(context.Background(), c, streamMessages(segRules(), book[:5], 2)); err != nil {
		t.Errorf("a stream of exactly 5 accounts: %v", err)
	}
	_, err := sendStream(context.Background(), c, streamMessages(segRules(), book, 2))
	if diff := cmp.Diff([]string{"batch.accounts"}, invalidFields(t, err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if msg := status.Convert(err).Message(); !strings.Contains(msg, "5 accounts") {
		t.Errorf("error %q does not name the limit of 5 accounts", msg)
	}
	resp, body := httpDo(t, http.DefaultClient, http.MethodPost, srv.URL+"/v1/segments:assignStream", ndjson(t, streamMessages(segRules(), book, 4)), nil)
	if resp.StatusCode != http.StatusBadRequest || !contains(restFields(t, []byte(body)), "batch.accounts") {
		t.Errorf("NDJSON stream past the limit = %d %s, want 400 on batch.accounts", resp.StatusCode, body)
	}
}

// TestStreamCancelled checks that a client that gives up ends the call.
func TestStreamCancelled(t *testing.T) {
	s := newTestServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := s.segmentation().StreamSegmentAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range streamMessages(segRules(), segBook(), 2) {
		if err := stream.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	// Cancelled before the client half-closes: the server is still waiting
	// for batches, so the answer can only be the cancellation (with a
	// half-close first the server may answer before the cancel reaches it).
	cancel()
	if err := stream.RecvMsg(new(csplanv1.StreamSegmentAccountsResponse)); status.Code(err) != codes.Canceled {
		t.Errorf("the answer after cancel = %v, want Canceled", err)
	}
	// The server is still serving.
	if _, err := sendStream(context.Background(), s.segmentation(), streamMessages(segRules(), segBook(), 2)); err != nil {
		t.Errorf("a stream after a cancelled one: %v", err)
	}
}

// overBudgetCoverage costs 13 CSMs at $350K, $4.55M on $16M of ARR: 28%.
func overBudgetCoverage() *csplanv1.PlanCoverageRequest {
	return &csplanv1.PlanCoverageRequest{
		Segments: []*csplanv1.CoverageSegment{
			{Name: "Enterprise", Accounts: 40, Arr: 8_000_000, AccountsPerCsm: f64(10)},
			{Name: "Mid-Market", Accounts: 200, Arr: 6_000_000, TouchModel: csplanv1.TouchModel_TOUCH_MODEL_LOW, AccountsPerCsm: f64(50)},
			{Name: "SMB", Accounts: 1000, Arr: 2_000_000, TouchModel: csplanv1.TouchModel_TOUCH_MODEL_TECH, AccountsPerCsm: f64(200)},
		},
		CsmLoadedCost: 350_000,
	}
}

func TestPlanCoverageGRPC(t *testing.T) {
	s := newTestServer(t)
	// Seed 003: 200 accounts at 5 per rep are 40 reps.
	got, err := s.segmentation().PlanCoverage(context.Background(), &csplanv1.PlanCoverageRequest{
		Segments:      []*csplanv1.CoverageSegment{{Name: "Strategic", Accounts: 200, Arr: 24_000_000, AccountsPerCsm: f64(5)}},
		CsmLoadedCost: 120_000,
	})
	if err != nil {
		t.Fatalf("PlanCoverage: %v", err)
	}
	want := []*csplanv1.SegmentCoverage{{Name: "Strategic", AccountsPerCsm: 5, CsmFte: 40, CsmHeadcount: 40, Cost: 4_800_000, CostShare: 0.2}}
	if diff := diffProto(&csplanv1.PlanCoverageResponse{Segments: want}, &csplanv1.PlanCoverageResponse{Segments: got.GetSegments()}); diff != "" {
		t.Errorf("segments (-want +got):\n%s", diff)
	}
	if got.GetBand() != csplanv1.CostBand_COST_BAND_WITHIN || len(got.GetOptions()) != 0 {
		t.Errorf("band %v with %d options, want WITHIN and none", got.GetBand(), len(got.GetOptions()))
	}

	got, err = s.segmentation().PlanCoverage(context.Background(), overBudgetCoverage())
	if err != nil {
		t.Fatal(err)
	}
	if got.GetBand() != csplanv1.CostBand_COST_BAND_ABOVE || got.GetTotalCsmHeadcount() != 13 || got.GetTotalCost() != 4_550_000 {
		t.Errorf("plan = %v, %d CSMs, %v; want ABOVE, 13, 4550000", got.GetBand(), got.GetTotalCsmHeadcount(), got.GetTotalCost())
	}
	type summary struct {
		Kind          csplanv1.OptionKind
		ExtraCost     float64
		Factor        float64
		Kept, Moved   []string
		TotalCSMs     int32
		CostShareX1e3 int
	}
	var gotOptions []summary
	for _, o := range got.GetOptions() {
		var csms int32
		for _, s := range o.GetSegments() {
			csms += s.GetCsmHeadcount()
		}
		gotOptions = append(gotOptions, summary{o.GetKind(), o.GetExtraCost(), o.GetCoverageFactor(), o.GetKeptSegments(), o.GetMovedSegments(), csms, int(o.GetCostShare()*1000 + 0.5)})
	}
	all := []string{"Enterprise", "Mid-Market", "SMB"}
	wantOptions := []summary{
		{csplanv1.OptionKind_OPTION_KIND_INVEST, 550_000, 1, all, []string{}, 13, 284},
		{csplanv1.OptionKind_OPTION_KIND_COVER_SUBSET, 0, 1, []string{"Enterprise", "Mid-Market"}, []string{"SMB"}, 9, 197},
		{csplanv1.OptionKind_OPTION_KIND_REDUCE_COVERAGE, 0, 4.0 / 3, all, []string{}, 10, 219},
	}
	if diff := cmp.Diff(wantOptions, gotOptions, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b float64) bool { return approx(a, b) })); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
}

// TestPlanCoverageREST checks the options over REST: the same answer as
// gRPC, enums as names, empty lists rendered.
func TestPlanCoverageREST(t *testing.T) {
	s := newTestServer(t)
	want, err := s.segmentation().PlanCoverage(context.Background(), overBudgetCoverage())
	if err != nil {
		t.Fatal(err)
	}
	body, err := protojson.Marshal(overBudgetCoverage())
	if err != nil {
		t.Fatal(err)
	}
	code, resp := s.Do(http.MethodPost, "/v1/coverage:plan", string(body))
	if code != http.StatusOK {
		t.Fatalf("POST /v1/coverage:plan = %d %s", code, resp)
	}
	got := &csplanv1.PlanCoverageResponse{}
	if err := protojson.Unmarshal(resp, got); err != nil {
		t.Fatalf("%v\n%s", err, resp)
	}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("REST differs from gRPC (-grpc +rest):\n%s", diff)
	}
	compact := strings.ReplaceAll(string(resp), " ", "")
	for _, s := range []string{`"band":"COST_BAND_ABOVE"`, `"kind":"OPTION_KIND_REDUCE_COVERAGE"`, `"movedSegments":[]`, `"name":"Tech-touchpool"`} {
		if !strings.Contains(compact, s) {
			t.Errorf("JSON lacks %s:\n%s", s, resp)
		}
	}
}

// TestSegmentationEmptyRequests sends each route the smallest bodies: a
// result or a 400 naming a field, never a 500.
func TestSegmentationEmptyRequests(t *testing.T) {
	s := newTestServer(t)
	for _, route := range []string{"/v1/segments:assign", "/v1/coverage:plan", "/v1/segments:assignStream"} {
		for _, body := range []string{`{}`, ``, `{"segments":[{}]}`, `{"segments":[{"playbook":{}}],"accounts":[{}]}`} {
			code, resp := s.Do(http.MethodPost, route, body)
			if code >= 500 {
				t.Errorf("POST %s %s = %d %s, want 200 or 4xx", route, body, code, resp)
			}
		}
	}
}
