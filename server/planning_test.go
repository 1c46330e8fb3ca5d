package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/google/go-cmp/cmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/jsoncheck"
)

func (s *testServer) planning() csplanv1.PlanningServiceClient {
	return csplanv1.NewPlanningServiceClient(s.Conn())
}

// testPlan segments segBook with segRules' matching: Enterprise by a
// ratio of 10 with 1 CSM, EMEA and Rest on their benchmarks.
func testPlan() *csplanv1.Plan {
	return &csplanv1.Plan{
		Company: "Test Co", StartMonth: "2027-01", HorizonMonths: 12,
		Segments: []*csplanv1.PlanSegment{
			{Name: "Enterprise", Match: &csplanv1.PlanMatch{MinArr: f64(100_000)}, AccountsPerCsm: f64(10), Team: &csplanv1.PlanTeam{Csms: 1}},
			{Name: "EMEA", TouchModel: csplanv1.TouchModel_TOUCH_MODEL_LOW,
				Match: &csplanv1.PlanMatch{Attributes: map[string]*csplanv1.AttributeValues{"region": {Values: []string{"EMEA"}}}}, Team: &csplanv1.PlanTeam{Csms: 1}},
			{Name: "Rest", TouchModel: csplanv1.TouchModel_TOUCH_MODEL_TECH, Match: &csplanv1.PlanMatch{MinArr: f64(1)}},
		},
		Growth: &csplanv1.PlanGrowth{NewAccountsPerMonth: f64(3)},
		Hiring: &csplanv1.PlanHiring{BaseSalary: 100_000},
	}
}

// TestRunPlanEveryTransport: RunPlan over gRPC, StreamRunPlan over gRPC,
// and both REST routes give one answer for one plan and book.
func TestRunPlanEveryTransport(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	unary, err := s.planning().RunPlan(ctx, &csplanv1.RunPlanRequest{Plan: testPlan(), Accounts: segBook()})
	if err != nil {
		t.Fatal(err)
	}
	r := unary.GetResult()
	if r.GetSegmentation().GetTotalAccounts() != 6 || r.GetSegments()[0].GetAccounts() != 2 || r.GetSegments()[1].GetAccounts() != 2 {
		t.Fatalf("the book was not segmented: %v", r.GetSegmentation())
	}
	if got := r.GetSegments()[0]; got.GetSizingBasis() != csplanv1.SizingBasis_SIZING_BASIS_COVERAGE_RATIO || got.GetCapacityAccountsPerCsm() != 10 {
		t.Errorf("Enterprise is sized by %v at %v", got.GetSizingBasis(), got.GetCapacityAccountsPerCsm())
	}

	st, err := s.planning().StreamRunPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	book := segBook()
	msgs := []*csplanv1.StreamRunPlanRequest{{Payload: &csplanv1.StreamRunPlanRequest_Plan{Plan: testPlan()}},
		{Payload: &csplanv1.StreamRunPlanRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: book[:4]}}},
		{Payload: &csplanv1.StreamRunPlanRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: book[4:]}}}}
	for _, m := range msgs {
		if err := st.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	streamed, err := st.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, streamed.GetResult(), protocmp.Transform()); diff != "" {
		t.Errorf("StreamRunPlan differs from RunPlan (-unary +stream):\n%s", diff)
	}

	body, _ := protojson.Marshal(&csplanv1.RunPlanRequest{Plan: testPlan(), Accounts: segBook()})
	code, out := s.Do(http.MethodPost, "/v1/plans:run", string(body))
	var rest csplanv1.RunPlanResponse
	if code != http.StatusOK || protojson.Unmarshal(out, &rest) != nil {
		t.Fatalf("POST /v1/plans:run = %d %s", code, out)
	}
	if diff := cmp.Diff(r, rest.GetResult(), protocmp.Transform()); diff != "" {
		t.Errorf("REST differs from gRPC (-grpc +rest):\n%s", diff)
	}

	var nd strings.Builder
	for _, m := range msgs {
		b, _ := protojson.Marshal(m)
		nd.Write(append(b, '\n'))
	}
	code, out = s.Do(http.MethodPost, "/v1/plans:runStream", nd.String())
	var streamedREST csplanv1.StreamRunPlanResponse
	if code != http.StatusOK {
		t.Fatalf("POST /v1/plans:runStream = %d %s", code, out)
	}
	if err := (protojson.UnmarshalOptions{}).Unmarshal(out, &streamedREST); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if diff := cmp.Diff(r, streamedREST.GetResult(), protocmp.Transform()); diff != "" {
		t.Errorf("the NDJSON stream differs from gRPC (-grpc +rest):\n%s", diff)
	}
}

// TestRunPlanTotals: without accounts each segment's totals are the book.
func TestRunPlanTotals(t *testing.T) {
	s := newTestServer(t)
	p := testPlan()
	for i, n := range []int32{20, 200, 900} {
		p.Segments[i].Accounts, p.Segments[i].Arr = proto.Int32(n), f64(float64(n)*10_000)
	}
	resp, err := s.planning().RunPlan(context.Background(), &csplanv1.RunPlanRequest{Plan: p})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.GetResult()
	if r.GetSegmentation().GetSource() != "totals" || r.GetSegmentation().GetSegments()[0].ArrMedian != nil {
		t.Errorf("a book of totals reads %q with median %v", r.GetSegmentation().GetSource(), r.GetSegmentation().GetSegments()[0].ArrMedian)
	}
	// Enterprise: 20 accounts at 10 a CSM is 2; EMEA 200 at the low-touch
	// ideal max of 125 is 2; Rest 900 at 1000 is 1.
	if got := r.GetSummary().GetCsmsNeededNow(); got != 5 {
		t.Errorf("needed now = %d, want 5", got)
	}
}

// TestRunPlanErrors: bad plans are INVALID_ARGUMENT naming the plan's
// field, on gRPC and REST alike.
func TestRunPlanErrors(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	withCSV := testPlan()
	withCSV.Book = &csplanv1.PlanBook{AccountsCsv: "accounts.csv"}
	badRule := testPlan()
	badRule.Segments[0].Match.MinArr = f64(-5)
	badRate := testPlan()
	badRate.Growth.MonthlyLogoChurnRate = f64(2)
	cases := []struct {
		name  string
		req   *csplanv1.RunPlanRequest
		field string
		want  string
	}{
		{"no plan", &csplanv1.RunPlanRequest{}, "plan", "give the plan"},
		{"accounts csv", &csplanv1.RunPlanRequest{Plan: withCSV, Accounts: segBook()}, "plan.book.accounts_csv", "send the accounts in the request or the stream"},
		{"no totals", &csplanv1.RunPlanRequest{Plan: testPlan()}, "plan.segments[0].accounts", "every segment gives its accounts and arr"},
		{"bad rule", &csplanv1.RunPlanRequest{Plan: badRule, Accounts: segBook()}, "plan.segments[0].match.min_arr", ""},
		{"rates are fractions", &csplanv1.RunPlanRequest{Plan: badRate, Accounts: segBook()}, "plan.growth.monthly_logo_churn_rate", "rates are fractions"},
		{"bad account", &csplanv1.RunPlanRequest{Plan: testPlan(), Accounts: []*csplanv1.Account{{Id: "x", Arr: -1}}}, "accounts[0].arr", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.planning().RunPlan(ctx, tc.req)
			st, _ := status.FromError(err)
			if st.Code() != codes.InvalidArgument {
				t.Fatalf("code %v (%v), want InvalidArgument", st.Code(), err)
			}
			found := false
			for _, v := range fieldViolations(st) {
				if v.GetField() == tc.field && strings.Contains(v.GetDescription(), tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("no violation of %s saying %q in %v", tc.field, tc.want, fieldViolations(st))
			}
			body, _ := protojson.Marshal(tc.req)
			// REST names the same field in the request's JSON names.
			restField := jsoncheck.JSONPath(tc.field, tc.req.ProtoReflect().Descriptor())
			if code, out := s.Do(http.MethodPost, "/v1/plans:run", string(body)); code != http.StatusBadRequest || !strings.Contains(string(out), `"field":"`+restField+`"`) {
				t.Errorf("REST = %d %s", code, out)
			}
		})
	}
	// The stream: the plan first, and only once.
	st, err := s.planning().StreamRunPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = st.Send(&csplanv1.StreamRunPlanRequest{Payload: &csplanv1.StreamRunPlanRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: segBook()}}})
	if _, err := st.CloseAndRecv(); status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "the first message must carry the plan") {
		t.Errorf("a stream without its plan first: %v", err)
	}
}

// TestComparePlans: the input that changed, by its path with segments
// named, and deltas that are the two results' figures.
func TestComparePlans(t *testing.T) {
	s := newTestServer(t)
	whatIf := testPlan()
	whatIf.Segments[0].Team.Csms = 3
	whatIf.Segments = []*csplanv1.PlanSegment{whatIf.Segments[2], whatIf.Segments[0], whatIf.Segments[1]} // reordered: no change
	resp, err := s.planning().ComparePlans(context.Background(), &csplanv1.ComparePlansRequest{Base: testPlan(), WhatIf: whatIf, Accounts: segBook()})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetInputChanges()) != 1 || resp.GetInputChanges()[0].GetField() != "segments.Enterprise.team.csms" ||
		resp.GetInputChanges()[0].GetBase() != "1" || resp.GetInputChanges()[0].GetWhatIf() != "3" {
		t.Errorf("input changes = %v", resp.GetInputChanges())
	}
	for _, d := range resp.GetDeltas() {
		if d.GetGroup() == "Total" && d.GetMeasure() == "csms_today" && (d.GetBase() != 2 || d.GetWhatIf() != 4 || d.GetChange() != 2) {
			t.Errorf("CSMs today delta = %v", d)
		}
	}
	body, _ := protojson.Marshal(&csplanv1.ComparePlansRequest{Base: testPlan(), WhatIf: &csplanv1.Plan{}, Accounts: segBook()})
	code, out := s.Do(http.MethodPost, "/v1/plans:compare", string(body))
	if code != http.StatusBadRequest || !strings.Contains(string(out), `"field":"whatIf.segments"`) || !strings.Contains(string(out), `"field":"whatIf.hiring.baseSalary"`) {
		t.Errorf("an empty what-if = %d %s", code, out)
	}
}

func fieldViolations(st *status.Status) []*errdetails.BadRequest_FieldViolation {
	var out []*errdetails.BadRequest_FieldViolation
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			out = append(out, br.GetFieldViolations()...)
		}
	}
	return out
}

// TestRunPlanWarnsOfAnEmptySegment: a segment whose rule matches none of
// the book's accounts is planned empty, and a WARNING finding says so.
func TestRunPlanWarnsOfAnEmptySegment(t *testing.T) {
	s := newTestServer(t)
	p := testPlan()
	p.Segments = append([]*csplanv1.PlanSegment{{Name: "APAC", TouchModel: csplanv1.TouchModel_TOUCH_MODEL_LOW,
		Match: &csplanv1.PlanMatch{Attributes: map[string]*csplanv1.AttributeValues{"region": {Values: []string{"APAC"}}}}}}, p.Segments...)
	resp, err := s.planning().RunPlan(context.Background(), &csplanv1.RunPlanRequest{Plan: p, Accounts: segBook()})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, f := range resp.GetResult().GetFindings() {
		if f.GetSegment() == "APAC" && f.GetSeverity() == csplanv1.Severity_SEVERITY_WARNING {
			found = append(found, f.GetMessage())
		}
	}
	if len(found) != 1 || !strings.Contains(found[0], "APAC's rule matches none of the book's 6 accounts") {
		t.Errorf("findings on APAC: %q", found)
	}
	for _, f := range resp.GetResult().GetFindings() {
		if f.GetSegment() != "APAC" && strings.Contains(f.GetMessage(), "matches none") {
			t.Errorf("a segment with accounts is warned of: %q", f.GetMessage())
		}
	}
}
