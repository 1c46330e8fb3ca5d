package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// TestCustomerStages: the stages that are not customers are left out of
// every segment and total, counted as excluded, the same on the unary
// call, the gRPC stream, REST and in a plan.
func TestCustomerStages(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	seg := csplanv1.NewSegmentationServiceClient(s.Conn())
	rules := []*csplanv1.SegmentRule{{Name: "All"}}
	unary, err := seg.SegmentAccounts(ctx, &csplanv1.SegmentAccountsRequest{Segments: rules, Accounts: segBook(), ExcludeStages: []string{"trial", "ONBOARDING"}})
	if err != nil {
		t.Fatal(err)
	}
	if unary.GetTotalAccounts() != 4 || unary.GetTotalArr() != 460_000 || unary.GetSegments()[0].GetAccounts() != 4 ||
		unary.GetExcluded().GetAccounts() != 2 || unary.GetExcluded().GetArr() != 5_000 {
		t.Errorf("unary: total %d %v, excluded %v", unary.GetTotalAccounts(), unary.GetTotalArr(), unary.GetExcluded())
	}
	st, err := seg.StreamSegmentAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: &csplanv1.SegmentRules{
		Segments: rules, CustomerStages: []string{"Adoption", "Renewal"}}}})
	st.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: segBook()}}})
	streamed, err := st.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}
	if streamed.GetTotalAccounts() != unary.GetTotalAccounts() || streamed.GetExcluded().GetArr() != unary.GetExcluded().GetArr() {
		t.Errorf("the stream with customer_stages: total %d, excluded %v", streamed.GetTotalAccounts(), streamed.GetExcluded())
	}

	p := testPlan()
	p.Book = &csplanv1.PlanBook{CustomerStages: []string{"adoption", "renewal"}}
	plan, err := csplanv1.NewPlanningServiceClient(s.Conn()).RunPlan(ctx, &csplanv1.RunPlanRequest{Plan: p, Accounts: segBook()})
	if err != nil {
		t.Fatal(err)
	}
	b := plan.GetResult().GetSegmentation()
	if b.GetTotalAccounts() != 4 || b.GetExcluded().GetAccounts() != 2 || plan.GetResult().GetSummary().GetRevenue() != 460_000 {
		t.Errorf("the plan: %d accounts, excluded %v, revenue %v", b.GetTotalAccounts(), b.GetExcluded(), plan.GetResult().GetSummary().GetRevenue())
	}

	// Both lists, an empty stage, and stages without accounts are refused
	// by name.
	_, err = seg.SegmentAccounts(ctx, &csplanv1.SegmentAccountsRequest{Segments: rules, CustomerStages: []string{"A"}, ExcludeStages: []string{""}})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "exclude_stages: give customer_stages or exclude_stages, not both") ||
		!strings.Contains(err.Error(), "exclude_stages[0]: is empty") {
		t.Errorf("both lists: %v", err)
	}
	p = testPlan()
	p.Book = &csplanv1.PlanBook{ExcludeStages: []string{"Trial"}}
	p.Segments = []*csplanv1.PlanSegment{{Name: "All", Accounts: proto.Int32(10), Arr: proto.Float64(100_000)}}
	_, err = csplanv1.NewPlanningServiceClient(s.Conn()).RunPlan(ctx, &csplanv1.RunPlanRequest{Plan: p})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "plan.book.exclude_stages: says which of the book's accounts are customers, but the plan has no accounts") {
		t.Errorf("stages without accounts: %v", err)
	}
	code, body := s.Do(http.MethodPost, "/v1/segments:assign", `{"segments":[{"name":"All"}],"accounts":[{"id":"1","arr":5,"stage":"Prospect"}],"customerStages":["Customer"]}`)
	if code != http.StatusOK || !strings.Contains(string(body), `"excluded":{"name":"excluded","touchModel":"TOUCH_MODEL_UNSPECIFIED","accounts":1,"arr":5`) {
		t.Errorf("REST = %d %s", code, body)
	}
}
